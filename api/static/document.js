/* Document page: page images or the searchable PDF, notes, similar documents, classification. */
"use strict";
(function () {
  const { api, el, date, dateTime, labels } = window.sohoa;
  const root = document.getElementById("docview");
  const docId = root.dataset.doc;
  api("GET", "/api/documents/" + docId).then((doc) => {
    const viewer = new window.Viewer(doc.pages);
    document.addEventListener("pagechange", (ev) => { document.getElementById("page-text").textContent = ev.detail.text; });
    viewer.show(Number(root.dataset.start || 1) - 1);
    document.querySelectorAll("a[data-page]").forEach((a) => a.addEventListener("click", (ev) => { ev.preventDefault(); showImages(); viewer.show(Number(a.dataset.page) - 1); }));
  });

  // Page images or the PDF: the PDF is loaded only when asked for (each load is audited).
  const frame = document.getElementById("pdf-frame");
  const scroll = document.getElementById("scroll");
  const imgBtn = document.getElementById("show-images"), pdfBtn = document.getElementById("show-pdf");
  const imgTools = document.querySelector(".img-tools");
  function showImages() {
    if (!frame) return;
    frame.hidden = true; scroll.hidden = false; imgTools.hidden = false;
    imgBtn.setAttribute("aria-pressed", "true"); pdfBtn.setAttribute("aria-pressed", "false");
  }
  if (frame) {
    imgBtn.addEventListener("click", showImages);
    pdfBtn.addEventListener("click", () => {
      if (!frame.src) frame.src = frame.dataset.src;
      frame.hidden = false; scroll.hidden = true; imgTools.hidden = true;
      imgBtn.setAttribute("aria-pressed", "false"); pdfBtn.setAttribute("aria-pressed", "true");
    });
  }

  // Notes: everyone may write; authors (and administrators) delete their own.
  const notesBox = document.getElementById("notes");
  // The page's first load can answer after the one a saved note starts: only the latest
  // answer is drawn, or the list would lose the note just saved.
  let notesAsked = 0;
  async function loadNotes() {
    const asked = ++notesAsked;
    const notes = await api("GET", "/api/documents/" + docId + "/notes");
    if (asked !== notesAsked) return;
    notesBox.replaceChildren(...notes.map((n) => {
      const li = el("li", {}, [el("p", { class: "note-text", text: n.text }), el("span", { class: "hint", text: n.user + " · " + dateTime(n.at) + " " })]);
      if (n.user === root.dataset.user || root.dataset.admin) {
        const del = el("button", { type: "button", class: "link", text: "Xóa" });
        del.addEventListener("click", async () => { await api("DELETE", "/api/documents/" + docId + "/notes/" + n.id); loadNotes(); });
        li.append(del);
      }
      return li;
    }));
    if (!notes.length) notesBox.append(el("li", { class: "hint", text: "Chưa có ghi chú." }));
  }
  document.getElementById("note-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = document.getElementById("note-text"), msg = document.getElementById("note-msg");
    if (!text.value.trim()) { msg.textContent = "Ghi chú đang để trống."; msg.className = "error"; text.focus(); return; }
    try { await api("POST", "/api/documents/" + docId + "/notes", { text: text.value }); text.value = ""; msg.textContent = "Đã lưu ghi chú."; msg.className = "ok"; loadNotes(); }
    catch (e) { msg.textContent = e.message; msg.className = "error"; }
  });
  loadNotes();

  api("GET", "/api/documents/" + docId + "/similar").then((items) => {
    const box = document.getElementById("similar");
    box.replaceChildren(...items.map((d) => el("li", {}, [el("a", { href: "/documents/" + d.id, text: d.title || [d.doc_type, d.symbol].filter(Boolean).join(" ") || ("Tài liệu #" + d.id) }),
      el("span", { class: "hint", text: " " + [d.doc_type, d.symbol, date(d.date), d.classification !== "thuong" ? labels.level[d.classification] : ""].filter(Boolean).join(" · ") })])));
    if (!items.length) box.append(el("li", { class: "hint", text: "Không tìm thấy tài liệu tương tự." }));
  }).catch((e) => { document.getElementById("similar").replaceChildren(el("li", { class: "error", text: e.message })); });

  // An accepted document (by a person or by the collection's policy) goes back into review.
  const reopen = document.getElementById("reopen");
  if (reopen) {
    reopen.addEventListener("click", async () => {
      const msg = document.getElementById("reopen-msg");
      try {
        await api("POST", "/api/documents/" + docId + "/reopen");
        window.location.reload();
      } catch (e) { msg.textContent = e.message; msg.className = "error"; }
    });
  }

  // Reviewers raise the level; only an administrator lowers it, with a reason (server rule).
  const form = document.getElementById("cls-form");
  if (form) {
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const msg = document.getElementById("cls-msg");
      try {
        await api("PUT", "/api/documents/" + docId + "/classification", {
          level: document.getElementById("cls-level").value,
          reason: document.getElementById("cls-reason").value,
        });
        window.location.reload();
      } catch (e) { msg.textContent = e.message; msg.className = "error"; }
    });
  }
})();
