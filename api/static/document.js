/* Document page: page images with navigation; opens at the page given in ?page=. */
"use strict";
(function () {
  const root = document.getElementById("docview");
  window.sohoa.api("GET", "/api/documents/" + root.dataset.doc).then((doc) => {
    const viewer = new window.Viewer(doc.pages);
    document.addEventListener("pagechange", (ev) => { document.getElementById("page-text").textContent = ev.detail.text; });
    viewer.show(Number(root.dataset.start || 1) - 1);
    document.querySelectorAll("a[data-page]").forEach((a) => a.addEventListener("click", (ev) => { ev.preventDefault(); viewer.show(Number(a.dataset.page) - 1); }));
  });
  // Reviewers raise the level; only an administrator lowers it, with a reason (server rule).
  const form = document.getElementById("cls-form");
  if (form) {
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const msg = document.getElementById("cls-msg");
      try {
        await window.sohoa.api("PUT", "/api/documents/" + root.dataset.doc + "/classification", {
          level: document.getElementById("cls-level").value,
          reason: document.getElementById("cls-reason").value,
        });
        window.location.reload();
      } catch (e) { msg.textContent = e.message; msg.className = "error"; }
    });
  }
})();
