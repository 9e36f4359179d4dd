/* Page viewer: upright page image, zoom, page navigation, highlighted box of a field,
   colour or grey copy of the page. */
"use strict";
(function () {
  // The reviewer's choice of copy, kept for the next documents (a preference, no content).
  const COPY_KEY = "sohoa.pageCopy";
  function savedCopy() { try { return window.localStorage.getItem(COPY_KEY); } catch (e) { return null; } }
  function saveCopy(v) { try { window.localStorage.setItem(COPY_KEY, v); } catch (e) { /* private mode */ } }

  function Viewer(pages) {
    this.pages = pages; this.index = 0; this.zoom = 1; this.words = {};
    this.colour = savedCopy() !== "grey";
    this.img = document.getElementById("page-img");
    this.stage = document.getElementById("stage");
    this.hl = document.getElementById("hl");
    this.label = document.getElementById("page-label");
    this.copy = document.getElementById("page-copy");
    this.box = null;
    document.getElementById("prev-page").addEventListener("click", () => this.show(this.index - 1));
    document.getElementById("next-page").addEventListener("click", () => this.show(this.index + 1));
    document.getElementById("zoom-in").addEventListener("click", () => this.setZoom(this.zoom * 1.25));
    document.getElementById("zoom-out").addEventListener("click", () => this.setZoom(this.zoom / 1.25));
    this.img.addEventListener("load", () => this.draw());
    // A colour copy gone since the record was read (the page was read again): show grey.
    this.img.addEventListener("error", () => {
      const p = this.current();
      if (p && p.colour_image && this.img.getAttribute("src") === p.colour_image) { p.colour_image = null; this.load(); }
    });
    if (this.copy) {
      document.getElementById("show-colour").addEventListener("click", () => this.setColour(true));
      document.getElementById("show-grey").addEventListener("click", () => this.setColour(false));
      // Alt+M (màu) from anywhere, fields included; by key position, whatever the layout.
      document.addEventListener("keydown", (ev) => {
        if (ev.altKey && !ev.ctrlKey && !ev.metaKey && ev.code === "KeyM") { ev.preventDefault(); this.setColour(!this.colour); }
      });
    }
  }
  Viewer.prototype.current = function () { return this.pages[this.index]; };
  Viewer.prototype.show = async function (i, box) {
    if (!this.pages.length) { this.label.textContent = "Không có trang"; return; }
    i = Math.max(0, Math.min(this.pages.length - 1, i));
    this.index = i; this.box = box || null;
    const p = this.pages[i];
    this.label.textContent = "Trang " + (i + 1) + "/" + this.pages.length;
    if (!this.words[p.id]) {
      try { this.words[p.id] = await window.sohoa.api("GET", p.words); } catch (e) { this.words[p.id] = { width: 0, height: 0, words: [] }; }
    }
    if (!this.load()) this.draw();
    document.dispatchEvent(new CustomEvent("pagechange", { detail: p }));
  };
  // Point the image at the copy to show (colour where the page has one and it is wanted) and
  // set the buttons; returns whether a new image is loading (its load event draws the box).
  Viewer.prototype.load = function () {
    const p = this.current();
    const colour = Boolean(this.colour && p.colour_image);
    const src = colour ? p.colour_image : p.image;
    this.img.alt = "Ảnh trang tài liệu" + (p.colour_image ? (colour ? " (bản màu)" : " (bản xám)") : "");
    if (this.copy) {
      // Grey-only documents need no choice; a grey-only page of a mixed one offers none.
      this.copy.hidden = !this.pages.some((q) => q.colour_image);
      const colourBtn = document.getElementById("show-colour");
      colourBtn.disabled = !p.colour_image;
      colourBtn.title = p.colour_image ? "Ảnh màu như trên giấy: dấu đỏ, chữ ký (Alt+M)" : "Trang này không có bản màu";
      colourBtn.setAttribute("aria-pressed", String(colour));
      document.getElementById("show-grey").setAttribute("aria-pressed", String(!colour));
    }
    if (this.img.getAttribute("src") === src) return false;
    this.img.src = src;
    return true;
  };
  Viewer.prototype.setColour = function (on) {
    const p = this.current();
    if (!p || !p.colour_image) return;  // nothing to switch on this page
    this.colour = on;
    saveCopy(on ? "colour" : "grey");
    if (!this.load()) this.draw();
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
    // Boxes are in the unscaled upright image; percentages make them follow any zoom, and
    // either copy (the colour one has the grey one's geometry).
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
