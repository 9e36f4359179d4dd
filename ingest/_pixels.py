"""Bringing any decoded page image to the two modes the OCR stage reads: L or RGB.

Pillow's own ``convert`` is wrong for scans in two ways this module exists for: it drops an
alpha channel instead of laying the image on paper (a black image whose text is in its alpha
becomes a black page), and it clips 16-bit samples to 255 instead of scaling them (a 16-bit
grey scan becomes a white page).
"""

from __future__ import annotations

from PIL import Image

_ALPHA_MODES = {"LA": "L", "La": "L", "PA": "RGB", "RGBA": "RGB", "RGBa": "RGB"}
_WIDE_GREY = ("I;16", "I;16L", "I;16B", "I;16N", "I")


def page_pixels(im: Image.Image) -> Image.Image:
    """Return the image as the page looks on white paper, in mode L or RGB."""
    mode = im.mode
    if mode in ("L", "RGB"):
        return im
    if mode == "1":
        return im.convert("L")
    if mode in _WIDE_GREY:
        return _grey_to_8bit(im)
    if mode == "F":
        return _float_to_8bit(im)
    if mode == "P":
        if "transparency" in im.info:
            return _on_paper(im.convert("RGBA"))
        return im.convert("RGB")
    if mode in _ALPHA_MODES:
        return _on_paper(im)
    # CMYK (Pillow has already undone Adobe's inverted JPEG samples), YCbCr, LAB, HSV...
    return im.convert("RGB")


def _on_paper(im: Image.Image) -> Image.Image:
    """Composite an image with alpha over white: what a viewer shows on a blank page."""
    if im.mode in ("La", "RGBa"):  # premultiplied: undo it first
        im = im.convert("LA" if im.mode == "La" else "RGBA")
    if im.mode == "PA":
        im = im.convert("RGBA")
    base = _ALPHA_MODES[im.mode]
    paper = Image.new(base, im.size, 255 if base == "L" else (255, 255, 255))
    paper.paste(im.convert(base), mask=im.getchannel("A"))
    return paper


def _grey_to_8bit(im: Image.Image) -> Image.Image:
    """Scale 16-bit (or 32-bit integer) grey to 8 bits."""
    import numpy as np  # only for these rare modes: the web app that stores uploads stays light

    arr = np.asarray(im)
    if im.mode == "I" and int(arr.max(initial=0)) <= 255:
        return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    # I;16 holds 0..65535; an "I" image over 255 came from 16-bit samples too.
    wide = np.clip(arr.astype(np.int64), 0, 65535)
    return Image.fromarray(((wide * 255 + 32767) // 65535).astype(np.uint8), "L")


def _float_to_8bit(im: Image.Image) -> Image.Image:
    import numpy as np

    arr = np.asarray(im, dtype=np.float64)
    top = 1.0 if float(np.nanmax(arr, initial=0.0)) <= 1.0 else 255.0
    scaled = np.nan_to_num(arr / top * 255.0, nan=255.0)
    return Image.fromarray(np.clip(np.rint(scaled), 0, 255).astype(np.uint8), "L")
