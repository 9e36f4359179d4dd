/* Form checks in Vietnamese before posting (forms carry novalidate: no English tooltips). */
"use strict";
(function () {
  function message(f, form) {
    const v = f.value;
    if (f.required && !v.trim()) return "Vui lòng điền mục này.";
    if (f.dataset.match && v !== form.elements[f.dataset.match].value) return "Hai mật khẩu mới không giống nhau.";
    if (f.minLength > 0 && v.length < f.minLength) return "Cần ít nhất " + f.minLength + " ký tự (hiện có " + v.length + ").";
    return "";
  }
  function slot(f) {
    let box = document.getElementById(f.id + "-msg");
    if (!box) {
      box = document.createElement("small");
      box.id = f.id + "-msg"; box.className = "error"; box.setAttribute("aria-live", "polite");
      f.after(box);
    }
    return box;
  }
  for (const form of document.querySelectorAll("form[novalidate][method=post]")) {
    form.addEventListener("submit", (e) => {
      let first = null;
      for (const f of form.querySelectorAll("input[required], input[minlength], input[data-match]")) {
        const text = message(f, form);
        slot(f).textContent = text;
        f.setAttribute("aria-invalid", text ? "true" : "false");
        if (text && !first) first = f;
      }
      if (first) { e.preventDefault(); first.focus(); }
    });
  }
})();
