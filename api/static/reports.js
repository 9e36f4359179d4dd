/* Reports: pick the period and format, preview the tables on screen, download the file. */
"use strict";
(function () {
  const { api, el } = window.sohoa;
  const form = document.getElementById("report-form");
  const msg = document.getElementById("report-msg");
  const link = document.getElementById("download");
  // Dates are typed the Vietnamese way (24/11/2026); the API takes ISO (2026-11-24).
  function iso(text) {
    const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
    if (!m) return null;
    const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const when = new Date(Date.UTC(y, mo - 1, d));
    if (when.getUTCMonth() !== mo - 1 || when.getUTCDate() !== d) return null;
    return y + "-" + String(mo).padStart(2, "0") + "-" + String(d).padStart(2, "0");
  }
  function params(withFormat) {
    const p = new URLSearchParams({ period: form.elements.period.value });
    const day = iso(form.elements.date.value);
    if (day) p.set("date", day);
    if (withFormat) p.set("format", form.elements.format.value);
    return p;
  }
  function valid() {
    const d = form.elements.date, day = iso(d.value);
    if (d.value.trim() && !day) { msg.textContent = "Ngày không hợp lệ; hãy gõ dạng ngày/tháng/năm, ví dụ 24/11/2026."; d.focus(); return false; }
    if (day && (day < "1900-01-01" || day > "2200-12-31")) { msg.textContent = "Ngày phải trong khoảng 01/01/1900 đến 31/12/2200."; return false; }
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
  for (const k of ["period", "format"]) if (start.get(k)) form.elements[k].value = start.get(k);
  const startDay = /^(\d{4})-(\d{2})-(\d{2})$/.exec(start.get("date") || "");
  if (startDay) form.elements.date.value = startDay[3] + "/" + startDay[2] + "/" + startDay[1];
  form.addEventListener("submit", (e) => { e.preventDefault(); preview(); });
  form.elements.format.addEventListener("change", syncLink);
  link.addEventListener("click", (e) => { if (!valid()) e.preventDefault(); else syncLink(); });
  preview();
})();
