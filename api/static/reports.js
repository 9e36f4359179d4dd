/* Reports: pick the period and format, preview the tables on screen, download the file. */
"use strict";
(function () {
  const { api, el } = window.sohoa;
  const form = document.getElementById("report-form");
  const msg = document.getElementById("report-msg");
  const link = document.getElementById("download");
  function params(withFormat) {
    const p = new URLSearchParams({ period: form.elements.period.value });
    if (form.elements.date.value) p.set("date", form.elements.date.value);
    if (withFormat) p.set("format", form.elements.format.value);
    return p;
  }
  function valid() {
    const d = form.elements.date;
    if (d.value && !/^\d{4}-\d{2}-\d{2}$/.test(d.value)) { msg.textContent = "Ngày không hợp lệ; chọn ngày trên lịch."; return false; }
    if (d.value && (d.value < "1900-01-01" || d.value > "2200-12-31")) { msg.textContent = "Ngày phải trong khoảng 01/01/1900 đến 31/12/2200."; return false; }
    msg.textContent = "";
    return true;
  }
  function syncLink() { link.href = "/api/progress/report?" + params(true); }
  async function preview() {
    if (!valid()) return;
    syncLink();
    history.replaceState(null, "", "/reports?" + params(true));
    const box = document.getElementById("report-tables");
    try {
      const rep = await api("GET", "/api/progress/report/preview?" + params(false));
      document.getElementById("report-title").textContent = rep.title;
      document.getElementById("report-rule").textContent = rep.rule;
      box.replaceChildren(...rep.tables.filter((t) => t.rows.length).map((t) => el("div", { class: "table-wrap" }, [
        el("table", {}, [el("caption", { text: t.title }),
          el("thead", {}, [el("tr", {}, t.headers.map((h) => el("th", { scope: "col", text: h })))]),
          el("tbody", {}, t.rows.map((r) => el("tr", {}, r.map((c) => el("td", { text: c })))))]),
      ])));
    } catch (e) { box.replaceChildren(el("p", { class: "error", text: e.message })); }
  }
  const start = new URLSearchParams(location.search);
  for (const k of ["period", "date", "format"]) if (start.get(k)) form.elements[k].value = start.get(k);
  form.addEventListener("submit", (e) => { e.preventDefault(); preview(); });
  form.elements.format.addEventListener("change", syncLink);
  link.addEventListener("click", (e) => { if (!valid()) e.preventDefault(); else syncLink(); });
  preview();
})();
