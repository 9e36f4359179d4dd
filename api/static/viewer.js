/* Page viewer: upright page image, zoom, page navigation, highlighted box of a field. */
"use strict";
(function () {
  function Viewer(pages) {
    this.pages = pages; this.index = 0; this.zoom = 1; this.words = {};
    this.img = document.getElementById("page-img");
    this.stage = document.getElementById("stage");
    this.hl = document.getElementById("hl");
    this.label = document.getElementById("page-label");
    this.box = null;
    document.getElementById("prev-page").addEventListener("click", () => this.show(this.index - 1));
    document.getElementById("next-page").addEventListener("click", () => this.show(this.index + 1));
    document.getElementById("zoom-in").addEventListener("click", () => this.setZoom(this.zoom * 1.25));
    document.getElementById("zoom-out").addEventListener("click", () => this.setZoom(this.zoom / 1.25));
    this.img.addEventListener("load", () => this.draw());
  }
  Viewer.prototype.current = function () { return this.pages[this.index]; };
  Viewer.prototype.show = async function (i, box) {
    if (!this.pages.length) { this.label.textContent = "Không có trang"; return; }
    i = Math.max(0, Math.min(this.pages.length - 1, i));
    const changed = i !== this.index || !this.img.src;
    this.index = i; this.box = box || null;
    const p = this.pages[i];
    this.label.textContent = "Trang " + (i + 1) + "/" + this.pages.length;
    if (!this.words[p.id]) {
      try { this.words[p.id] = await window.sohoa.api("GET", p.words); } catch (e) { this.words[p.id] = { width: 0, height: 0, words: [] }; }
    }
    if (changed) this.img.src = p.image; else this.draw();
    document.dispatchEvent(new CustomEvent("pagechange", { detail: p }));
  };
  Viewer.prototype.setZoom = function (z) {
    this.zoom = Math.max(0.5, Math.min(4, z));
    this.stage.style.width = (this.zoom * 100) + "%";
    this.draw();
  };
  Viewer.prototype.highlight = function (pageId, box) {
    const i = this.pages.findIndex((p) => p.id === pageId);
    if (i < 0) { this.box = null; this.draw(); return; }
    this.show(i, box);
  };
  Viewer.prototype.draw = function () {
    const w = this.words[this.current() && this.current().id];
    if (!this.box || !w || !w.width) { this.hl.hidden = true; return; }
    const [l, t, bw, bh] = this.box;
    // Boxes are in the unscaled upright image; percentages make them follow any zoom.
    this.hl.style.left = (100 * l / w.width) + "%";
    this.hl.style.top = (100 * t / w.height) + "%";
    this.hl.style.width = (100 * bw / w.width) + "%";
    this.hl.style.height = (100 * bh / w.height) + "%";
    this.hl.hidden = false;
    const scroll = document.getElementById("scroll");
    const y = this.img.clientHeight * t / w.height;
    scroll.scrollTo({ top: Math.max(0, y - scroll.clientHeight / 3), behavior: "auto" });
  };
  window.Viewer = Viewer;
})();
