/* Review queue: lowest confidence first; Enter on a row opens it. */
"use strict";
(function () {
  const { api, el, date } = window.sohoa;
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
        const title = it.subject || [it.doc_type, it.symbol].filter(Boolean).join(" ") || ("Tài liệu #" + it.id);
        const link = el("a", { href: "/review/" + it.id, text: title });
        const meta = ["#" + it.id, it.doc_type, it.symbol, kinds[it.kind] || it.kind].filter(Boolean).join(" · ");
        body.append(el("tr", {}, [el("td", { class: "doc-cell" }, [link, el("div", { class: "hint", text: meta })]), el("td", { class: "nowrap", text: date(it.date) || "—" }), el("td", { text: it.batch }),
          el("td", { text: labels[it.weakest_field] || it.weakest_field || "—" }), el("td", { class: it.confidence < 0.6 ? "low" : "", text: Math.round(it.confidence * 100) + "%" }), el("td", { text: String(it.pages) })]));
      }
    } catch (e) { body.replaceChildren(el("tr", {}, [el("td", { colspan: "6", class: "error", text: e.message })])); }
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); load(); });
  load();
})();
