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
  function date(iso) {
    if (!iso) return "";
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
    return m ? m[3] + "/" + m[2] + "/" + m[1] : iso;
  }
  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") e.textContent = v; else if (v !== null && v !== undefined) e.setAttribute(k, v);
    }
    for (const c of children || []) e.append(c);
    return e;
  }
  window.sohoa = { api, num, date, el, csrf };
})();
