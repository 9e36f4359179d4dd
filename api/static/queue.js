/* Review queue: lowest confidence first; Enter on a row opens it. */
"use strict";
(function () {
  const { api, el } = window.sohoa;
  const body = document.getElementById("queue-body");
  const form = document.getElementById("queue-filters");
  const kinds = { party_document: "Văn bản Đảng", state_document: "Văn bản Nhà nước", profile: "Hồ sơ", other: "Khác" };
  const labels = JSON.parse(body.dataset.labels || "{}");
  async function load() {
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) params.set(k, v);
    try {
      const data = await api("GET", "/api/review/queue?" + params);
      body.replaceChildren();
      if (!data.items.length) body.append(el("tr", {}, [el("td", { colspan: "6", text: "Không còn tài liệu nào cần rà soát." })]));
      for (const it of data.items) {
        const link = el("a", { href: "/review/" + it.id, text: "#" + it.id });
        body.append(el("tr", {}, [el("td", {}, [link]), el("td", { text: it.batch }), el("td", { text: kinds[it.kind] || it.kind }),
          el("td", { text: labels[it.weakest_field] || it.weakest_field || "—" }), el("td", { text: Math.round(it.confidence * 100) + "%" }), el("td", { text: String(it.pages) })]));
      }
    } catch (e) { body.replaceChildren(el("tr", {}, [el("td", { colspan: "6", class: "error", text: e.message })])); }
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); load(); });
  load();
})();
