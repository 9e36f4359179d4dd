/* Keyboard-first review: Enter saves and moves on, Ctrl+Enter accepts the document. */
"use strict";
(function () {
  const { api, el } = window.sohoa;
  const root = document.getElementById("review");
  const docId = root.dataset.doc;
  const msg = document.getElementById("msg");
  const inputs = Array.from(document.querySelectorAll("#fields-form input[data-field], #fields-form select[data-field]"));
  let doc = null, viewer = null;
  const saved = {};

  // What extraction noticed about a field (provenance._flags), said to the reviewer.
  const FLAG_TEXT = {
    repaired: "Máy đã sửa lỗi nhận dạng: ",
    symbol_type_mismatch: "Ký hiệu không khớp loại văn bản: ",
    symbol_unparsed: "Không đọc được cấu trúc ký hiệu: ",
    date_year_mismatch: "Năm ban hành khác năm trong ký hiệu: ",
    date_blank: "Ngày tháng để trống: ",
    date_unreadable: "Không đọc được ngày tháng: ",
    date_invalid: "Ngày tháng không tồn tại: ",
    date_implausible: "Ngày tháng nằm ngoài khoảng hợp lý: ",
  };
  function flagsOf(f) {
    const all = (doc.provenance._flags && doc.provenance._flags.flags) || [];
    // A repair's detail may list the word changes before "old → new": say the change once.
    const once = (x) => (x.code === "repaired" && /^[^:]*→[^:]*: /.test(x.detail) ? x.detail.slice(x.detail.indexOf(": ") + 2) : x.detail);
    return all.filter((x) => x.field === f && FLAG_TEXT[x.code]).map((x) => FLAG_TEXT[x.code] + once(x));
  }

  function say(text, bad) { msg.textContent = text; msg.className = bad ? "error" : "ok"; }
  // List items keep the punctuation they were printed with ("Như trên,"): drop it before
  // joining, or the form reads ",;".
  function text(v) { return Array.isArray(v) ? v.map((x) => String(x).replace(/[\s,;]+$/, "")).join("; ") : (v === null || v === undefined ? "" : String(v)); }

  // The machine's value arrives joined with "; "; clean it the same way for the comparison.
  function listText(v) { return typeof v === "string" ? v.replace(/[\s,;]+;\s*/g, "; ") : v; }

  async function load() {
    doc = await api("GET", "/api/documents/" + docId);
    document.getElementById("doc-meta").textContent = "· lô " + doc.batch + " · " + doc.classification_label + (doc.status === "reviewed" ? " · đã duyệt" : "");
    for (const input of inputs) {
      const f = input.dataset.field;
      input.value = saved[f] = text(doc.flat_fields[f]);
      document.getElementById("w-" + f).textContent = flagsOf(f).join(" · ");
      const c = doc.field_confidence[f];
      const badge = document.getElementById("c-" + f);
      badge.textContent = c === undefined ? "" : Math.round(c * 100) + "%";
      badge.className = "conf " + (c === undefined ? "" : c < 0.6 ? "low" : c < 0.85 ? "mid" : "high");
      const orig = listText(doc.machine[f]);
      document.getElementById("m-" + f).textContent = orig !== undefined && orig !== input.value ? "Máy đọc: " + (orig || "(trống)") : "";
    }
    if (!viewer) { viewer = new window.Viewer(doc.pages); } else { viewer.pages = doc.pages; }
    await viewer.show(viewer.index || 0);
  }

  // A refused value is explained beside its field (and read out: role="alert").
  function invalid(input, text) {
    document.getElementById("e-" + input.dataset.field).textContent = text || "";
    if (text) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
  }

  async function saveField(input) {
    const f = input.dataset.field;
    if (input.value.trim() === saved[f]) { invalid(input, ""); return true; }
    try {
      const r = await api("PUT", "/api/documents/" + docId + "/fields/" + f, { value: input.value });
      invalid(input, "");
      input.value = saved[f] = r.value;  // as stored: a date typed 06/04/2016 shows 2016-04-06
      if (r.changed) {
        say("Đã lưu " + input.labels[0].firstChild.textContent.trim() + ".");
        const badge = document.getElementById("c-" + f);
        badge.textContent = "100%"; badge.className = "conf high";
        const orig = listText(doc.machine[f]);
        document.getElementById("m-" + f).textContent = orig !== saved[f] ? "Máy đọc: " + (orig || "(trống)") : "";
      }
      return true;
    } catch (e) {
      if (e.status === 422 || e.status === 403) invalid(input, e.message);
      say(e.message, true);
      return false;
    }
  }

  async function accept() {
    for (const input of inputs) { if (!(await saveField(input))) return; }
    try {
      const r = await api("POST", "/api/documents/" + docId + "/accept");
      say("Đã duyệt tài liệu #" + docId + ".");
      window.location.href = r.next ? "/review/" + r.next : "/review";
    } catch (e) { say(e.message, true); }
  }

  for (const [i, input] of inputs.entries()) {
    input.addEventListener("focus", () => {
      const prov = doc && doc.provenance[input.dataset.field];
      document.querySelectorAll(".field.focus").forEach((n) => n.classList.remove("focus"));
      input.closest(".field").classList.add("focus");
      if (viewer) viewer.highlight(prov ? prov.page : null, prov ? prov.box : null);
    });
    input.addEventListener("blur", () => { saveField(input); });
    input.addEventListener("keydown", async (ev) => {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); await accept(); return; }
      if (ev.key === "Enter") {
        ev.preventDefault();
        if (await saveField(input)) {
          const next = inputs[i + 1];
          if (next) next.focus(); else document.getElementById("accept").focus();
        }
      } else if (ev.key === "Escape") { input.value = saved[input.dataset.field]; invalid(input, ""); }
    });
  }
  document.getElementById("accept").addEventListener("click", accept);
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) && ev.target.tagName !== "INPUT") { ev.preventDefault(); accept(); }
    if (!ev.altKey || !viewer) return;
    if (ev.key === "ArrowLeft") { ev.preventDefault(); viewer.show(viewer.index - 1); }
    if (ev.key === "ArrowRight") { ev.preventDefault(); viewer.show(viewer.index + 1); }
    if (ev.key === "=" || ev.key === "+") { ev.preventDefault(); viewer.setZoom(viewer.zoom * 1.25); }
    if (ev.key === "-") { ev.preventDefault(); viewer.setZoom(viewer.zoom / 1.25); }
  });
  document.addEventListener("pagechange", (ev) => { document.getElementById("page-text").value = ev.detail.text; });
  document.getElementById("save-text").addEventListener("click", async () => {
    const p = viewer.current();
    try {
      await api("PUT", "/api/pages/" + p.id + "/text", { text: document.getElementById("page-text").value });
      p.text = document.getElementById("page-text").value;
      say("Đã lưu chữ của trang " + (viewer.index + 1) + ".");
    } catch (e) { say(e.message, true); }
  });
  document.getElementById("split-here").addEventListener("click", async () => {
    const p = viewer.current();
    if (!window.confirm("Tách thành tài liệu mới bắt đầu từ trang " + (viewer.index + 1) + "?")) return;
    try { const r = await api("POST", "/api/documents/" + docId + "/split", { page_id: p.id }); say("Đã tách: tài liệu mới #" + r.new_document + "."); viewer.index = 0; await load(); }
    catch (e) { say(e.message, true); }
  });
  document.getElementById("merge-next").addEventListener("click", async () => {
    if (!window.confirm("Gộp tài liệu kế tiếp vào tài liệu này?")) return;
    try { const r = await api("POST", "/api/documents/" + docId + "/merge-next"); say("Đã gộp tài liệu #" + r.merged + "."); await load(); }
    catch (e) { say(e.message, true); }
  });
  load().then(() => { if (inputs[0]) inputs[0].focus(); }).catch((e) => say(e.message, true));
  void el;
})();
