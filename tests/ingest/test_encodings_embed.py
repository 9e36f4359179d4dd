"""The searchable PDF's copy of pages whose stored stream cannot be passed through.

Such pages are embedded as the lossless image the OCR saw; each test reads the embedded
image back out of the built PDF and checks the picture.
"""

from __future__ import annotations

import io
import subprocess

import numpy as np
import pikepdf
from PIL import Image, PngImagePlugin

from core.models import EncodedImage, PageRef, SearchablePage
from core.settings import IngestSettings
from ingest import encoded_page_image, render_page
from ingest._encoded import lossless
from ocr import build_searchable_pdf
from tests.ingest import _jbig2enc as jbig2
from tests.ingest import _pdfbuild as b
from tests.ingest._pdfbuild import DPI, RED, RED_CMYK, H, Sub, W

CFG = IngestSettings()


def _pdf(enc: EncodedImage) -> bytes:
    spec = SearchablePage(
        image=enc,
        width=enc.width,
        height=enc.height,
        words=(),
        to_source=(1.0, 0.0, 0.0, 0.0, 1.0, 0.0),
    )
    return build_searchable_pdf([spec], pdfa=True)


def _embedded(enc: EncodedImage) -> Image.Image:
    with pikepdf.open(io.BytesIO(_pdf(enc))) as pdf:
        (xobj,) = list(pdf.pages[0].resources.XObject.values())
        return pikepdf.PdfImage(xobj).as_pil_image()


def test_jbig2_page_is_embedded_as_one_bit_flate(tmp_path):
    page, globals_ = jbig2.symbol_page(b.pattern(grey=False), DPI)
    path = b.one_page_pdf(
        tmp_path / "j.pdf",
        page,
        Filter="/JBIG2Decode",
        ColorSpace="/DeviceGray",
        BitsPerComponent=1,
        DecodeParms={"JBIG2Globals": Sub(globals_)},
    )
    enc = encoded_page_image(PageRef(str(path), "pdf", 0), CFG)
    assert (enc.filter, enc.colorspace, enc.bits) == ("FlateDecode", "DeviceGray", 1)
    assert (enc.width, enc.height, enc.dpi) == (W, H, DPI)
    back = _embedded(enc)
    assert np.array_equal(b.dark(back), b.dark(b.pattern(grey=False)))  # lossless


def test_devicen_page_is_embedded_as_its_poppler_rendering(tmp_path):
    ink = (255 - np.asarray(b.pattern())).astype(np.uint8)
    tint = Sub(
        b"{ add 2 div 1 exch sub }", {"FunctionType": 4, "Domain": [0, 1, 0, 1], "Range": [0, 1]}
    )
    path = b.one_page_pdf(
        tmp_path / "d.pdf",
        b.flate(np.stack([ink, ink], -1).tobytes()),
        Filter="/FlateDecode",
        BitsPerComponent=8,
        ColorSpace=["/DeviceN", ["/SpotA", "/SpotB"], "/DeviceGray", tint],
    )
    enc = encoded_page_image(PageRef(str(path), "pdf", 0), CFG)
    assert enc.filter == "FlateDecode" and enc.bits == 8 and (enc.width, enc.height) == (W, H)
    b.check_pattern(_embedded(enc), grey=True)


def test_cmyk_jpeg_file_is_embedded_as_rgb_not_passed_through(tmp_path):
    b.pattern("CMYK", colour=RED_CMYK).save(tmp_path / "c.jpg", quality=92, dpi=(DPI, DPI))
    enc = encoded_page_image(PageRef(str(tmp_path / "c.jpg"), "jpeg", 0), CFG)
    assert (enc.filter, enc.colorspace) == ("FlateDecode", "DeviceRGB")
    b.check_pattern(_embedded(enc), grey=True, colour=RED)


def test_jpeg_with_soft_mask_is_not_passed_through(tmp_path):
    alpha = 255 - np.asarray(b.pattern())
    smask = Sub(
        b.flate(alpha.tobytes()),
        {
            "Type": "/XObject",
            "Subtype": "/Image",
            "Width": W,
            "Height": H,
            "ColorSpace": "/DeviceGray",
            "BitsPerComponent": 8,
            "Filter": "/FlateDecode",
        },
    )
    black = Image.new("L", (W, H), 0)
    path = b.one_page_pdf(
        tmp_path / "m.pdf",
        b.jpeg(black),
        Filter="/DCTDecode",
        ColorSpace="/DeviceGray",
        BitsPerComponent=8,
        SMask=smask,
    )
    enc = encoded_page_image(PageRef(str(path), "pdf", 0), CFG)
    assert enc.filter == "FlateDecode"
    b.check_pattern(_embedded(enc), grey=True)


def _png_idat(path) -> bytes:
    """The image data of a PNG file: its IDAT chunks' contents, joined."""
    data, pos, out = path.read_bytes(), 8, b""
    while pos < len(data):
        length, kind = int.from_bytes(data[pos : pos + 4], "big"), data[pos + 4 : pos + 8]
        out += data[pos + 8 : pos + 8 + length] if kind == b"IDAT" else b""
        pos += 12 + length
    return out


def test_grey_and_colour_pngs_are_embedded_with_their_own_compressed_data(tmp_path):
    rng = np.random.default_rng(7)
    grey = Image.fromarray(rng.integers(0, 256, (H, W), dtype=np.uint8))
    kinds = {
        "grey": (grey, "DeviceGray", 8),
        "rgb": (Image.fromarray(rng.integers(0, 256, (H, W, 3), dtype=np.uint8)), "DeviceRGB", 8),
        "bits": (grey.point(lambda v: 255 if v > 100 else 0).convert("1"), "DeviceGray", 1),
    }
    for name, (im, colorspace, bits) in kinds.items():
        path = tmp_path / f"{name}.png"
        im.save(path, dpi=(DPI, DPI))
        enc = encoded_page_image(PageRef(str(path), "png", 0), CFG)
        # No second compression: the file's own data, which the PDF reads as PNG rows.
        assert enc.data == _png_idat(path) and enc.predictor == 15, name
        assert (enc.colorspace, enc.bits, enc.width, enc.height, enc.dpi) == (
            colorspace,
            bits,
            W,
            H,
            DPI,
        )
        mode = "RGB" if colorspace == "DeviceRGB" else "L"
        back = _embedded(enc).convert(mode)
        assert np.array_equal(np.asarray(back), np.asarray(im.convert(mode))), name


def test_pngs_a_pdf_cannot_carry_as_they_are_are_compressed_again_losslessly(tmp_path):
    rng = np.random.default_rng(8)
    grey = rng.integers(0, 256, (H, W), dtype=np.uint8)
    cases = {
        # 8-bit grey of pure black and white: packed to 1 bit, as when decoded
        "bilevel": (Image.fromarray(np.where(grey > 128, 255, 0).astype(np.uint8)), {}, 1, 1),
        "palette": (Image.fromarray(grey).convert("P"), {}, 8, 15),
        "alpha": (Image.fromarray(grey).convert("LA"), {}, 8, 15),
    }
    for name, (im, options, bits, predictor) in cases.items():
        path = tmp_path / f"{name}.png"
        im.save(path, **options)
        enc = encoded_page_image(PageRef(str(path), "png", 0), CFG)
        assert enc.data != _png_idat(path), name
        assert (enc.filter, enc.bits, enc.predictor) == ("FlateDecode", bits, predictor), name
        shown = render_page(PageRef(str(path), "png", 0), CFG).image.convert("L")
        assert np.array_equal(np.asarray(_embedded(enc).convert("L")), np.asarray(shown)), name


def test_pixels_compressed_again_are_read_back_the_same_by_poppler(tmp_path):
    # Rows after PNG's Up filter under /Predictor 15: what qpdf decodes (above), poppler must too.
    rng = np.random.default_rng(10)
    noise = rng.integers(0, 256, (H, W), dtype=np.uint8)
    ramp = np.tile(np.arange(W, dtype=np.uint8), (H, 1))
    images = {
        "L": Image.fromarray(noise),
        "RGB": Image.fromarray(np.dstack([noise, ramp, 255 - noise])),
    }
    for mode, im in images.items():
        enc = lossless(im, DPI)
        assert (enc.filter, enc.bits, enc.predictor) == ("FlateDecode", 8, 15), mode
        pdf = tmp_path / f"{mode}.pdf"
        pdf.write_bytes(_pdf(enc))
        subprocess.run(["pdfimages", "-png", str(pdf), str(tmp_path / mode)], check=True)
        with Image.open(tmp_path / f"{mode}-000.png") as back:
            assert back.mode == mode and np.array_equal(np.asarray(back), np.asarray(im)), mode


def test_png_orientation_is_read_wherever_pillow_finds_it(tmp_path):
    # Pillow reads a PNG's orientation from its EXIF chunk, EXIF as hex in a text chunk, or
    # XMP; the orientation is only looked for (by decoding the page) when one of those is
    # there. A turned page is compressed again as the OCR stage sees it, upright.
    rng = np.random.default_rng(9)
    grey = Image.fromarray(rng.integers(0, 256, (H, W), dtype=np.uint8))
    exif = Image.Exif()
    exif[0x0112] = 6
    raw = exif.tobytes()
    hexed = raw.hex()
    texts = {
        "exif": {"exif": raw},
        "raw": {"pnginfo": _png_text("Raw profile type exif", f"\nexif\n{len(raw)}\n{hexed}")},
        "xmp": {"pnginfo": _png_text("XML:com.adobe.xmp", _XMP.format(6), itxt=True)},
    }
    for name, options in texts.items():
        path = tmp_path / f"{name}.png"
        grey.save(path, **options)
        enc = encoded_page_image(PageRef(str(path), "png", 0), CFG)
        assert enc.data != _png_idat(path) and (enc.width, enc.height) == (H, W), name
        shown = render_page(PageRef(str(path), "png", 0), CFG).image.convert("L")
        assert np.array_equal(np.asarray(_embedded(enc).convert("L")), np.asarray(shown)), name
    # Upright (orientation 1) in a text chunk: the file's own data, as without one.
    path = tmp_path / "upright.png"
    grey.save(path, pnginfo=_png_text("XML:com.adobe.xmp", _XMP.format(1), itxt=True))
    assert encoded_page_image(PageRef(str(path), "png", 0), CFG).data == _png_idat(path)


_XMP = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description tiff:Orientation="{}"/>'
_XMP += "</rdf:RDF></x:xmpmeta>"


def _png_text(key: str, value: str, itxt: bool = False) -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    if itxt:
        info.add_itxt(key, value)
    else:
        info.add_text(key, value)
    return info


def test_a_grey_png_is_found_bilevel_or_not_past_its_white_top(tmp_path):
    # The first rows decide for a scan; a page white at the top is looked at whole: grey
    # below 600 white rows is carried as it is, pure black and white packed to 1 bit.
    page = np.full((H, W), 255, np.uint8)
    page[700:720, 100:400] = 0
    for name, level, bits in (("grey", 128, 8), ("bilevel", 0, 1)):
        page[760, 50] = level
        path = tmp_path / f"{name}.png"
        Image.fromarray(page).save(path)
        enc = encoded_page_image(PageRef(str(path), "png", 0), CFG)
        assert enc.bits == bits and (enc.data == _png_idat(path)) == (bits == 8), name
        shown = render_page(PageRef(str(path), "png", 0), CFG).image.convert("L")
        assert np.array_equal(np.asarray(_embedded(enc).convert("L")), np.asarray(shown)), name
