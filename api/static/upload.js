/* Upload: create the batch, send files one by one (raw body, per-file progress), then process. */
"use strict";
(function () {
  const { api, num, el, csrf } = window.sohoa;
  const drop = document.getElementById("drop");
  const picker = document.getElementById("files");
  const list = document.getElementById("file-list");
  const status = document.getElementById("upload-status");
  const queue = [];
  const maxBytes = 0;
  void maxBytes;

  function add(files) {
    for (const f of files) {
      const prog = el("progress", { max: "100", value: "0", "aria-label": "Tiến độ " + f.name });
      const state = el("span", { class: "state", text: "chờ gửi · " + num(f.size / 1024) + " KB" });
      const li = el("li", {}, [el("span", { class: "fname", text: f.name }), prog, state]);
      list.append(li);
      queue.push({ file: f, prog, state, done: false });
    }
    status.textContent = "Đã chọn " + num(queue.length) + " tệp.";
  }
  picker.addEventListener("change", () => { add(picker.files); picker.value = ""; });
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); add(e.dataTransfer.files); });
  drop.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); picker.click(); } });

  function send(batch, item) {
    // XHR, not fetch: it reports upload progress. One attempt; a failed one can be re-sent safely.
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", "/api/batches/" + encodeURIComponent(batch) + "/files?filename=" + encodeURIComponent(item.file.name));
      xhr.setRequestHeader("X-CSRF-Token", csrf);
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) item.prog.value = Math.round(100 * e.loaded / e.total); };
      xhr.onload = () => {
        let data = null; try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
        if (xhr.status === 201 && data) {
          item.prog.value = 100; item.done = true;
          if (data.status === "duplicate") item.state.textContent = data.message || "trùng lặp với tệp đã có — không xử lý lại";
          else if (data.status === "failed") item.state.textContent = "lỗi: " + data.errors.map((x) => x.message).join("; ");
          else item.state.textContent = "đã nhận · " + num(data.pages) + " trang" + (data.retried ? " · " + data.message : "");
          item.state.className = "state " + data.status;
        } else {
          item.state.textContent = (data && data.error ? data.error.message : "Lỗi " + xhr.status) + " — bấm lại để gửi lại";
          item.state.className = "state failed";
        }
        resolve();
      };
      xhr.onerror = () => { item.state.textContent = "Mất kết nối — bấm lại để gửi lại (không tạo bản ghi dở dang)"; item.state.className = "state failed"; resolve(); };
      xhr.send(item.file);
    });
  }

  document.getElementById("start").addEventListener("click", async () => {
    const form = document.getElementById("batch-form");
    if (!form.reportValidity()) return;
    const fd = new FormData(form);
    const batch = fd.get("name").trim();
    if (!queue.some((q) => !q.done)) { status.textContent = "Hãy chọn ít nhất một tệp."; return; }
    const body = { name: batch, collection: fd.get("collection") || null, department: fd.get("department") || null,
      year_from: fd.get("year_from") ? Number(fd.get("year_from")) : null,
      year_to: fd.get("year_to") ? Number(fd.get("year_to")) : null, classification: fd.get("classification"), grouping: fd.get("grouping") || "auto" };
    try { await api("POST", "/api/batches", body); }
    catch (e) { if (!/Đã có lô/.test(e.message)) { status.textContent = e.message; return; } }
    status.textContent = "Đang gửi tệp…";
    for (const item of queue) { if (!item.done) await send(batch, item); }
    try {
      await api("POST", "/api/batches/" + encodeURIComponent(batch) + "/process");
      status.replaceChildren("Đã gửi xong, đang xử lý. ", el("a", { href: "/", text: "Theo dõi tiến độ trên trang Tổng quan" }));
    } catch (e) { status.textContent = e.message; }
  });
})();
