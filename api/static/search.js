/* Search: one box (with or without diacritics), facet filters, highlighted snippets. */
"use strict";
(function () {
  const { api, num, date, el } = window.sohoa;
  const form = document.getElementById("search-form");
  const input = document.getElementById("q");
  const results = document.getElementById("results");
  const summary = document.getElementById("summary");
  const facetsBox = document.getElementById("facets");
  const facetNames = { kind: "Loại", doc_type: "Loại văn bản", year: "Năm", issuer: "Cơ quan ban hành", batch: "Lô", collection: "Bộ sưu tập", classification: "Độ mật" };
  const filters = {};
  const SIZE = 20;
  let page = Math.max(1, Number(new URLSearchParams(location.search).get("page")) || 1);
  const valueNames = { kind: { party_document: "Văn bản Đảng", state_document: "Văn bản Nhà nước", profile: "Hồ sơ", other: "Khác" },
    classification: { thuong: "Thường", mat: "Mật", toi_mat: "Tối mật", tuyet_mat: "Tuyệt mật" } };
  // Snippets come from the server as HTML with <mark>; keep only the marks, escape the rest.
  function safeSnippet(html) {
    const frag = document.createDocumentFragment();
    const parts = String(html).split(/(<mark>|<\/mark>)/);
    let inMark = false;
    for (const p of parts) {
      if (p === "<mark>") { inMark = true; continue; }
      if (p === "</mark>") { inMark = false; continue; }
      const t = document.createElement("textarea"); t.innerHTML = p; // decode entities only
      const text = document.createTextNode(t.value.replace(/<[^>]*>/g, ""));
      frag.append(inMark ? el("mark", {}, [text]) : text);
    }
    return frag;
  }
  async function run(pushState) {
    const params = new URLSearchParams({ q: input.value });
    // Facet names map onto the search route's filter parameters.
    for (const [k, v] of Object.entries(filters)) {
      if (k === "year") { params.set("year_from", v); params.set("year_to", v); }
      else params.append(k === "doc_type" ? "type" : k, v);
    }
    if (page > 1) params.set("page", page);
    if (pushState) history.replaceState(null, "", "/search?" + params);
    const api_params = new URLSearchParams(params);
    api_params.delete("page");
    api_params.set("limit", SIZE);
    api_params.set("offset", (page - 1) * SIZE);
    let data;
    try { data = await api("GET", "/api/search?" + api_params); }
    catch (e) { summary.textContent = e.message; return; }
    const first = data.total ? (page - 1) * SIZE + 1 : 0;
    summary.textContent = "Tìm thấy " + num(data.total) + " tài liệu" + (data.total > SIZE ? " (hiển thị " + num(first) + "–" + num(Math.min(data.total, page * SIZE)) + ")." : ".");
    const last = Math.max(1, Math.ceil(data.total / SIZE));
    const prev = document.getElementById("prev"), next = document.getElementById("next");
    document.getElementById("page-no").textContent = data.total > SIZE ? "Trang " + num(page) + "/" + num(last) : "";
    prev.hidden = page <= 1; next.hidden = page >= last || page * SIZE >= 10000;
    const link = (n) => { const p = new URLSearchParams(params); if (n > 1) p.set("page", n); else p.delete("page"); return "/search?" + p; };
    prev.href = link(page - 1); next.href = link(page + 1);
    results.replaceChildren();
    for (const h of data.hits) {
      const page = h.pages && h.pages.length ? h.pages[0] : 1;
      const title = el("a", { href: "/documents/" + h.id + "?page=" + page, class: "hit-title", text: h.title || ("Tài liệu #" + h.id) });
      const meta = [h.doc_type, h.symbol, date(h.date), h.issuer].filter(Boolean).join(" · ");
      const li = el("li", {}, [title, el("p", { class: "hint", text: meta + (h.pages && h.pages.length ? " · trang " + h.pages.join(", ") : "") })]);
      for (const s of (h.snippets || []).slice(0, 2)) {
        const p = el("p", { class: "snippet" });
        if (h.plain) p.textContent = s; else p.append(safeSnippet(s));
        li.append(p);
      }
      results.append(li);
    }
    facetsBox.replaceChildren();
    for (const [name, values] of Object.entries(data.facets || {})) {
      if (!values.length) continue;
      const box = el("fieldset", {}, [el("legend", { text: facetNames[name] || name })]);
      for (const v of values.slice(0, 8)) {
        const id = "f-" + name + "-" + v.value;
        const cb = el("input", { type: "checkbox", id, value: v.value });
        cb.checked = filters[name] === v.value;
        cb.addEventListener("change", () => { if (cb.checked) filters[name] = v.value; else delete filters[name]; page = 1; run(true); });
        box.append(el("div", {}, [cb, el("label", { for: id, text: " " + ((valueNames[name] || {})[v.value] || v.value) + " (" + num(v.count) + ")" })]));
      }
      facetsBox.append(box);
    }
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); page = 1; run(true); });
  // An empty search lists everything indexed (newest matches first), so the page is never blank.
  const start = new URLSearchParams(location.search);
  input.value = start.get("q") || "";
  for (const [k, v] of start) {
    if (k === "type") filters.doc_type = v;
    else if (["kind", "issuer", "batch", "collection", "classification"].includes(k)) filters[k] = v;
    else if (k === "year_from") filters.year = v;
  }
  run(false);
})();
