/* Shared helpers: API calls with the CSRF header, Vietnamese number/date formatting. */
"use strict";
(function () {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const csrf = meta ? meta.content : "";
  async function api(method, url, body, extraHeaders) {
    const headers = Object.assign({ "X-CSRF-Token": csrf }, extraHeaders || {});
    let payload = body;
    if (body !== undefined && !(body instanceof Blob) && !(body instanceof ArrayBuffer)) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    const r = await fetch(url, { method, headers, body: payload, credentials: "same-origin" });
    let data = null;
    try { data = await r.json(); } catch (e) { data = null; }
    if (!r.ok) {
      const msg = data && data.error ? data.error.message :
        (data && data.detail ? "Dữ liệu không hợp lệ." : "Lỗi máy chủ (" + r.status + ").");
      const err = new Error(msg);
      err.status = r.status;
      throw err;
    }
    return data;
  }
  function num(n) {
    return (n === null || n === undefined) ? "—" : Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }
  // Times are shown in Vietnam's time, whatever the browser's zone: a batch made at 03:05 on
  // 05/12 in Vietnam (20:05 on 04/12 UTC) reads 05/12.
  const VN = "Asia/Ho_Chi_Minh";
  function date(iso) {
    if (!iso) return "";
    if (/T\d{2}:\d{2}/.test(iso)) return dateTime(iso).slice(0, 10);
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
    return m ? m[3] + "/" + m[2] + "/" + m[1] : iso;
  }
  function dateTime(iso) {
    const d = new Date(iso);
    if (isNaN(d)) return String(iso || "");
    const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", { timeZone: VN, year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(d).map((p) => [p.type, p.value]));
    return parts.day + "/" + parts.month + "/" + parts.year + " " + parts.hour + ":" + parts.minute;
  }
  function timeNow() {
    return new Intl.DateTimeFormat("vi-VN", { timeZone: VN, hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(new Date());
  }
  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") e.textContent = v; else if (v !== null && v !== undefined) e.setAttribute(k, v);
    }
    for (const c of children || []) e.append(c);
    return e;
  }
  // A message that stays until the user closes it (long actions must not vanish on refresh).
  function notice(box, text, kind, extra) {
    const close = el("button", { type: "button", class: "link close", "aria-label": "Đóng thông báo", text: "Đóng ✕" });
    close.addEventListener("click", () => { box.hidden = true; box.replaceChildren(); });
    box.className = "notice " + (kind || "");
    box.replaceChildren(el("p", { text }, extra || []), close);
    box.hidden = false;
  }
  const labels = {
    kind: { party_document: "Văn bản Đảng", state_document: "Văn bản Nhà nước", profile: "Hồ sơ", other: "Khác" },
    level: { thuong: "Thường", mat: "MẬT", toi_mat: "TỐI MẬT", tuyet_mat: "TUYỆT MẬT" },
    status: { extracted: "đã trích xuất", reviewed: "đã rà soát", merged: "đã gộp", pending: "đang chờ",
      needs_review: "cần rà soát", failed: "lỗi", store_only: "chỉ lưu bản gốc" },
    facet: { kind: "Loại", doc_type: "Loại văn bản", year: "Năm", issuer: "Cơ quan ban hành", batch: "Lô",
      collection: "Bộ sưu tập", classification: "Độ mật", status: "Trạng thái" },
  };
  labels.values = { kind: labels.kind, classification: labels.level, status: labels.status };
  // Vietnamese messages instead of the browser's English tooltips on required fields.
  document.addEventListener("invalid", (e) => {
    const f = e.target;
    if (f.validity.valueMissing) f.setCustomValidity("Vui lòng điền mục này.");
    else if (f.validity.tooShort) f.setCustomValidity("Cần ít nhất " + f.minLength + " ký tự (hiện có " + f.value.length + ").");
    else if (f.validity.typeMismatch || f.validity.patternMismatch || f.validity.badInput) f.setCustomValidity("Giá trị không hợp lệ.");
    else if (f.validity.rangeUnderflow || f.validity.rangeOverflow) f.setCustomValidity("Giá trị nằm ngoài khoảng cho phép.");
  }, true);
  document.addEventListener("input", (e) => { if (e.target.setCustomValidity) e.target.setCustomValidity(""); }, true);
  window.sohoa = { api, num, date, dateTime, timeNow, el, csrf, notice, labels };
})();
