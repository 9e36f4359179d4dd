/* Documents list: every document the user may open; filters, sort and page live in the URL. */
"use strict";
(function () {
  const { api, num, date, el, labels, notice } = window.sohoa;
  const form = document.getElementById("list-form");
  const rows = document.getElementById("rows");
  const facetsBox = document.getElementById("facets");
  const selected = new Set();
  const MULTI = ["type", "kind", "issuer", "batch", "collection", "classification", "status"];
  const FACET_PARAM = { doc_type: "type", year: "year" };
  const params = () => new URLSearchParams(location.search);

  function setForm(p) {
    for (const name of ["sort", "order", "size", "year_from", "year_to"]) {
      const v = p.get(name);
      if (v !== null) form.elements[name].value = v;
    }
  }
  function go(p, keepPage) {
    if (!keepPage) { p.delete("page"); p.delete("after"); p.delete("before"); }
    history.pushState(null, "", "/documents?" + p);
    load();
  }
  function yearOk(input) {
    const v = input.value.trim();
    if (v && !/^\d{4}$/.test(v)) return "Năm phải gồm 4 chữ số, ví dụ 2015.";
    return "";
  }
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const msg = document.getElementById("form-msg");
    const bad = yearOk(form.elements.year_from) || yearOk(form.elements.year_to);
    msg.textContent = bad;
    if (bad) return;
    const p = params();
    for (const name of ["sort", "order", "size", "year_from", "year_to"]) {
      const v = form.elements[name].value.trim();
      if (v) p.set(name, v); else p.delete(name);
    }
    go(p);
  });

  function statusLabel(s) { return labels.status[s] || s; }
  function row(d) {
    const cb = el("input", { type: "checkbox", "aria-label": "Chọn tài liệu #" + d.id, value: d.id });
    cb.checked = selected.has(d.id);
    cb.addEventListener("change", () => { if (cb.checked) selected.add(d.id); else selected.delete(d.id); bulkBar(); });
    const thumb = d.thumbnail ? el("img", { src: d.thumbnail, alt: "", loading: "lazy", class: "thumb", width: "60" }) : el("span", { class: "thumb none", text: "—" });
    const title = el("a", { href: "/documents/" + d.id, class: "hit-title", text: d.title || ("Tài liệu #" + d.id) });
    const meta = [d.doc_type, d.symbol, labels.kind[d.kind] || d.kind, d.pages + " trang"].filter(Boolean).join(" · ");
    const level = d.classification !== "thuong" ? el("span", { class: "level", text: labels.level[d.classification] }) : "";
    const conf = Math.round(d.min_confidence * 100);
    return el("tr", {}, [
      el("td", {}, [cb]), el("td", {}, [thumb]),
      el("td", { class: "doc-cell" }, [title, " ", level, el("div", { class: "hint", text: meta })]),
      el("td", { class: "nowrap", text: date(d.date) || "—" }), el("td", { text: d.issuer || "—" }),
      el("td", { text: d.batch }), el("td", { text: statusLabel(d.status) }),
      el("td", { class: "nowrap " + (conf < 60 ? "low" : ""), text: conf + "%" }),
    ]);
  }
  function pager(data) {
    const prev = document.getElementById("prev"), next = document.getElementById("next");
    const base = params();
    for (const k of ["after", "before", "page"]) base.delete(k);
    document.getElementById("page-no").textContent = "Trang " + num(data.page);
    prev.hidden = !data.prev_cursor; next.hidden = !data.next_cursor;
    if (data.prev_cursor) { const p = new URLSearchParams(base); p.set("page", data.page - 1); if (data.page - 1 > 1) p.set("before", data.prev_cursor); prev.href = "/documents?" + p; }
    if (data.next_cursor) { const p = new URLSearchParams(base); p.set("page", data.page + 1); p.set("after", data.next_cursor); next.href = "/documents?" + p; }
  }
  async function load() {
    const p = params();
    setForm(p);
    try {
      const data = await api("GET", "/api/documents?" + p);
      rows.replaceChildren(...(data.items.length ? data.items.map(row) : [el("tr", {}, [el("td", { colspan: "8", text: "Không có tài liệu nào khớp bộ lọc." })])]));
      document.getElementById("select-all").checked = false;
      pager(data);
    } catch (e) { rows.replaceChildren(el("tr", {}, [el("td", { colspan: "8", class: "error", text: e.message })])); }
    // Facets and the total count the whole filtered list: asked again only when the filters
    // change, not when the page, the sort or the page size does.
    const key = filterKey(p);
    if (key !== lastFilters) { lastFilters = key; facets(p); }
  }
  let lastFilters = null;
  function filterKey(p) {
    const q = new URLSearchParams(p);
    for (const k of ["after", "before", "page", "size", "sort", "order"]) q.delete(k);
    q.sort();
    return q.toString();
  }
  async function facets(p) {
    const q = new URLSearchParams(p);
    for (const k of ["after", "before", "page", "size", "sort", "order"]) q.delete(k);
    let data;
    try { data = await api("GET", "/api/documents/facets?" + q); }
    catch (e) { facetsBox.replaceChildren(el("p", { class: "error", text: e.message })); return; }
    document.getElementById("total").textContent = "· " + num(data.total) + " tài liệu";
    facetsBox.replaceChildren();
    for (const [name, values] of Object.entries(data.facets)) {
      if (!values.length) continue;
      const param = FACET_PARAM[name] || name;
      const box = el("fieldset", {}, [el("legend", { text: labels.facet[name] || name })]);
      for (const v of values.slice(0, 10)) {
        const id = "f-" + name + "-" + v.value.replace(/\W+/g, "_");
        const cb = el("input", { type: "checkbox", id, value: v.value });
        cb.checked = param === "year" ? p.get("year_from") === v.value && p.get("year_to") === v.value : p.getAll(param).includes(v.value);
        cb.addEventListener("change", () => {
          const next = params();
          if (param === "year") {
            if (cb.checked) { next.set("year_from", v.value); next.set("year_to", v.value); } else { next.delete("year_from"); next.delete("year_to"); }
          } else {
            const keep = next.getAll(param).filter((x) => x !== v.value);
            next.delete(param);
            for (const x of keep) next.append(param, x);
            if (cb.checked) next.append(param, v.value);
          }
          go(next);
        });
        const text = ((labels.values[name] || {})[v.value] || v.value) + " (" + num(v.count) + ")";
        box.append(el("div", { class: "facet" }, [cb, el("label", { for: id, text: " " + text })]));
      }
      facetsBox.append(box);
    }
  }
  document.getElementById("select-all").addEventListener("change", (e) => {
    for (const cb of rows.querySelectorAll("input[type=checkbox]")) {
      cb.checked = e.target.checked;
      if (cb.checked) selected.add(Number(cb.value)); else selected.delete(Number(cb.value));
    }
    bulkBar();
  });

  // Bulk actions: the result of each item stays on screen until dismissed.
  const bulk = document.getElementById("bulk"), action = document.getElementById("bulk-action");
  const level = document.getElementById("bulk-level"), coll = document.getElementById("bulk-collection");
  function bulkBar() {
    bulk.hidden = selected.size === 0;
    document.getElementById("bulk-count").textContent = "Đã chọn " + num(selected.size) + " tài liệu";
    level.hidden = action.value !== "classify"; coll.hidden = action.value !== "assign";
  }
  action.addEventListener("change", bulkBar);
  document.getElementById("bulk-clear").addEventListener("click", () => { selected.clear(); load(); bulkBar(); });
  document.getElementById("bulk-run").addEventListener("click", async () => {
    const ids = [...selected];
    const box = document.getElementById("bulk-result");
    const btn = document.getElementById("bulk-run");
    btn.disabled = true;
    notice(box, "Đang thực hiện với " + num(ids.length) + " tài liệu…", "busy");
    try {
      if (action.value.startsWith("export-")) {
        const format = action.value.slice(7);
        const r = await fetch("/api/documents/export", { method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": window.sohoa.csrf }, body: JSON.stringify({ ids, format }) });
        if (!r.ok) throw new Error("Không xuất được (" + r.status + ").");
        const url = URL.createObjectURL(await r.blob());
        const a = el("a", { href: url, download: "tai-lieu-da-chon." + format, text: "Tải tệp đã xuất" });
        const skipped = Number(r.headers.get("X-Skipped") || 0);
        notice(box, "Đã xuất " + num(ids.length - skipped) + " tài liệu" + (skipped ? ", bỏ qua " + skipped + " tài liệu không được xem" : "") + ". ", "ok", [a]);
        a.click();
      } else {
        const body = { action: action.value, ids };
        if (action.value === "classify") body.level = level.value;
        if (action.value === "assign") body.collection = coll.value;
        const r = await api("POST", "/api/documents/bulk", body);
        const list = el("ul", {}, r.items.map((it) => el("li", { class: it.ok ? "ok" : "error", text: "#" + it.id + ": " + it.message })));
        notice(box, "Xong: " + num(r.done) + " tài liệu; từ chối: " + num(r.refused) + ".", r.refused ? "warn" : "ok", [list]);
        selected.clear(); bulkBar(); load();
      }
    } catch (e) { notice(box, e.message, "error"); }
    btn.disabled = false;
  });

  // Saved views: the current filters under a name, per user.
  const viewsBox = document.getElementById("views");
  async function loadViews() {
    const views = await api("GET", "/api/views");
    viewsBox.replaceChildren(...views.map((v) => {
      const del = el("button", { type: "button", class: "link", text: "Xóa", "aria-label": "Xóa chế độ xem " + v.name });
      del.addEventListener("click", async () => { await api("DELETE", "/api/views/" + v.id); loadViews(); });
      return el("li", {}, [el("a", { href: v.url, text: v.name }), " ", del]);
    }));
    if (!views.length) viewsBox.append(el("li", { class: "hint", text: "Chưa có chế độ xem nào." }));
  }
  document.getElementById("view-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const name = document.getElementById("view-name");
    const msg = document.getElementById("view-msg");
    if (!name.value.trim()) { msg.textContent = "Hãy nhập tên cho chế độ xem."; msg.className = "error"; name.focus(); return; }
    try {
      await api("POST", "/api/views", { name: name.value, query: location.search.slice(1) });
      msg.textContent = "Đã lưu."; msg.className = "ok"; name.value = ""; loadViews();
    } catch (err) { msg.textContent = err.message; msg.className = "error"; }
  });
  // On a phone the list comes first: filters and views fold away until opened.
  const narrow = window.matchMedia("(max-width: 820px)");
  const fold = () => document.querySelectorAll("details.filters-box").forEach((d) => { d.open = !narrow.matches; });
  narrow.addEventListener("change", fold);
  fold();
  window.addEventListener("popstate", load);
  load();
  loadViews();
})();
