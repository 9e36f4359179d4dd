"""The searchable PDF's copy of pages whose stored stream cannot be passed through.

Such pages are embedded as the lossless image the OCR saw; each test reads the embedded
image back out of the built PDF and checks the picture.
"""

from __future__ import annotations

import io

import numpy as np
import pikepdf
from PIL import Image

from core.models import EncodedImage, PageRef, SearchablePage
from core.settings import IngestSettings
from ingest import encoded_page_image
from ocr import build_searchable_pdf
from tests.ingest import _jbig2enc as jbig2
from tests.ingest import _pdfbuild as b
from tests.ingest._pdfbuild import DPI, RED, RED_CMYK, H, Sub, W

CFG = IngestSettings()


def _embedded(enc: EncodedImage) -> Image.Image:
    spec = SearchablePage(
        image=enc,
        width=enc.width,
        height=enc.height,
        words=(),
        to_source=(1.0, 0.0, 0.0, 0.0, 1.0, 0.0),
    )
    with pikepdf.open(io.BytesIO(build_searchable_pdf([spec], pdfa=True))) as pdf:
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
