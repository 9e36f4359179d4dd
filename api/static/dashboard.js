/* Dashboard: batches with per-stage bars, refreshed every few seconds while work runs. */
"use strict";
(function () {
  const { api, num, dateTime, timeNow, el } = window.sohoa;
  const box = document.getElementById("batches");
  let timer = null;
  let wasBusy = false;
  let planAt = Date.now();
  // Results of "retry failed pages" per batch: kept across refreshes until dismissed.
  const feedback = {};

  async function refreshPlan() {
    // The plan figures are rendered by the server; fetch them again once work settles.
    const r = await fetch("/", { credentials: "same-origin" });
    const doc = new DOMParser().parseFromString(await r.text(), "text/html");
    const fresh = doc.getElementById("plan");
    if (fresh) document.getElementById("plan").replaceWith(fresh);
  }

  function bar(b) {
    const id = "bar-" + Math.random().toString(36).slice(2);
    return el("div", { class: "bar" }, [
      el("label", { for: id, text: b.label + ": " + num(b.done) + "/" + num(b.total) + " (" + b.pct + "%)" }),
      el("progress", { id, max: "100", value: String(b.pct) }, [b.pct + "%"]),
    ]);
  }

  function render(data) {
    box.replaceChildren();
    if (!data.batches.length) { box.append(el("p", { class: "hint", text: "Chưa có lô nào." })); return; }
    for (const b of data.batches) {
      const failures = [...b.failed_files.map((f) => f.file + ": " + (f.error || f.code)),
        ...b.failed_pages.map((p) => p.file + " trang " + p.page + ": " + (p.error || p.code))];
      const head = el("h3", {}, [b.name + " ", el("span", { class: "hint", text: (b.collection || "") + " · " + num(b.pages) + " trang · " + num(b.documents) + " tài liệu · tạo lúc " + dateTime(b.created_at) }),
        el("span", { class: b.busy ? "badge busy" : "badge done", text: b.busy ? "Đang xử lý" : "Đã xong" })]);
      const item = el("article", { class: "batch", "data-batch": b.name }, [head, el("div", { class: "bars" }, b.bars.map(bar))]);
      if (b.duplicates.length) item.append(el("p", { class: "hint", text: "Trùng lặp (không xử lý lại): " + b.duplicates.map((d) => d.file).join(", ") }));
      if (failures.length) {
        const list = el("ul", { class: "failures" }, failures.slice(0, 20).map((t) => el("li", { text: t })));
        item.append(el("details", {}, [el("summary", { text: "Lỗi: " + num(failures.length) }), list]));
        if (data.can_manage && b.failed_pages.length) {
          const btn = el("button", { type: "button", class: "retry", text: "Xử lý lại các trang lỗi" });
          btn.addEventListener("click", async () => {
            btn.disabled = true;
            try { const r = await api("POST", "/api/batches/" + encodeURIComponent(b.name) + "/retry-failed"); feedback[b.name] = { ok: true, text: "Đã đặt lại " + num(r.reset) + " trang lỗi để xử lý lại (lúc " + timeNow() + ")." }; }
            catch (e) { feedback[b.name] = { ok: false, text: e.message }; }
            refresh();
          });
          item.append(btn);
        }
      }
      if (feedback[b.name]) {
        const f = feedback[b.name];
        const note = el("div", { class: "notice " + (f.ok ? "ok" : "error"), role: "status" });
        window.sohoa.notice(note, f.text, f.ok ? "ok" : "error");
        note.querySelector(".close").addEventListener("click", () => { delete feedback[b.name]; });
        item.append(note);
      }
      box.append(item);
    }
  }

  async function refresh() {
    clearTimeout(timer);
    try {
      const data = await api("GET", box.dataset.src);
      render(data);
      const busy = data.batches.some((b) => b.busy);
      // The plan is recomputed from every batch: after work settles, and every 30 s otherwise.
      if ((wasBusy && !busy) || Date.now() - planAt > 30000) { planAt = Date.now(); refreshPlan(); }
      wasBusy = busy;
      document.getElementById("updated").textContent = "cập nhật lúc " + timeNow();
      timer = setTimeout(refresh, data.batches.some((b) => b.busy) ? 2000 : 10000);
    } catch (e) {
      box.replaceChildren(el("p", { class: "error", text: e.message }));
      timer = setTimeout(refresh, 10000);
    }
  }
  refresh();
})();
