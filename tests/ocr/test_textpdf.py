"""Searchable PDF: text extracts in Vietnamese, words sit on their ink, scans kept as stored."""

from __future__ import annotations

import io
import subprocess
import unicodedata

import numpy as np
import pikepdf
import pytest
from PIL import Image

from core.models import PageRef, SearchablePage
from core.settings import IngestSettings, OcrSettings
from ingest import encoded_page_image, render_page
from ocr import build_searchable_pdf, ocr_page
from tests.conftest import text_page

LINES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương",
    "ngày 19 tháng 6 năm 2015;",
    "Xét đề nghị của Trưởng ban Tổ chức Tỉnh ủy,",
    "QUYẾT ĐỊNH:",
    "Điều 1. Phê duyệt kế hoạch số hóa tài liệu",
    "lưu trữ của cơ quan Đảng.",
]


def _scan(tmp_path, angle: float) -> tuple[PageRef, bytes]:
    page = text_page(LINES * 2, font_px=40).rotate(angle, expand=True, fillcolor=255)
    buf = io.BytesIO()
    page.save(buf, format="JPEG", quality=90, dpi=(150, 150))
    path = tmp_path / "scan.jpg"
    path.write_bytes(buf.getvalue())
    return PageRef(str(path), "jpeg", 0), buf.getvalue()


def _build(ref: PageRef):
    rendered = render_page(ref, IngestSettings())
    out = ocr_page(rendered.image, rendered.dpi, OcrSettings())
    spec = SearchablePage(
        image=encoded_page_image(ref, IngestSettings()),
        width=out.page.width,
        height=out.page.height,
        words=out.page.words,
        to_source=out.page.to_source,
    )
    return out, build_searchable_pdf([spec], title="Kế hoạch")


def _pdftotext(data: bytes, tmp_path) -> str:
    p = tmp_path / "out.pdf"
    p.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(p), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")


def _words(text: str) -> list[str]:
    return unicodedata.normalize("NFC", text).split()


@pytest.mark.tesseract
@pytest.mark.parametrize("angle", [0.0, 92.0])
def test_text_layer_extracts_as_recognized(tmp_path, angle):
    ref, _ = _scan(tmp_path, angle)
    out, data = _build(ref)
    extracted = _words(_pdftotext(data, tmp_path))
    recognized = _words(out.page.text)
    assert extracted == recognized
    assert "Tỉnh" in extracted or "Tổ" in extracted  # diacritics survive


@pytest.mark.tesseract
def test_words_sit_on_their_ink_and_page_keeps_its_size(tmp_path):
    ref, jpeg = _scan(tmp_path, 92.0)
    out, data = _build(ref)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.pdf_version >= "1.4"
        page = pdf.pages[0]
        (name,) = list(page.resources.XObject.keys())
        # The scan is embedded byte for byte: no second lossy generation.
        assert page.resources.XObject[name].read_raw_bytes() == jpeg
        box = [float(v) for v in page.mediabox]
    # Page size in points equals the straightened image at the scan's 150 dpi.
    assert abs(box[2] - out.page.width * 72 / 150) < 1
    assert abs(box[3] - out.page.height * 72 / 150) < 1
    pdf_path = tmp_path / "p.pdf"
    pdf_path.write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-gray",
            "-png",
            "-singlefile",
            str(pdf_path),
            str(tmp_path / "r"),
        ],
        check=True,
    )
    raster = np.asarray(Image.open(tmp_path / "r.png").convert("L"))
    words = [w for w in out.page.words if w.conf > 60 and len(w.text) > 2]
    on_ink = sum(
        (raster[w.top : w.top + w.height, w.left : w.left + w.width] < 128).mean() > 0.05
        for w in words
    )
    assert words and on_ink == len(words)


def test_flate_fallback_is_lossless(tmp_path):
    im = text_page(["Lưu trữ"], size=(300, 200))
    path = tmp_path / "p.png"
    im.save(path)
    enc = encoded_page_image(PageRef(str(path), "png", 0), IngestSettings())
    assert enc.filter == "FlateDecode" and (enc.width, enc.height) == (300, 200)
    spec = SearchablePage(
        image=enc, width=300, height=200, words=(), to_source=(1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
    )
    with pikepdf.open(io.BytesIO(build_searchable_pdf([spec]))) as pdf:
        (xobj,) = list(pdf.pages[0].resources.XObject.values())
        back = pikepdf.PdfImage(xobj).as_pil_image()
    assert np.array_equal(np.asarray(back), np.asarray(im))


def test_pdfa_option_declares_pdfa2b_with_an_output_intent():
    im = text_page(["Lưu trữ"], size=(300, 200))
    buf = io.BytesIO()
    im.save(buf, format="JPEG")
    from core.models import EncodedImage

    enc = EncodedImage(buf.getvalue(), "DCTDecode", "DeviceGray", 8, 300, 200, 150)
    spec = SearchablePage(
        image=enc, width=300, height=200, words=(), to_source=(1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
    )
    with pikepdf.open(io.BytesIO(build_searchable_pdf([spec], title="Hồ sơ", pdfa=True))) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"] == "Hồ sơ"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == pikepdf.Name.GTS_PDFA1 and int(intent.DestOutputProfile.N) == 3
