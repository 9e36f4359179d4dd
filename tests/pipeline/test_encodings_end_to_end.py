"""A PDF with a JBIG2 page and a DeviceN page through the real pipeline and Tesseract."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
from sqlalchemy import select

from core.db import Document, Page, PageStage
from pipeline.intake import get_or_create_batch, register_paths
from pipeline.runner import run_batch
from tests.conftest import text_page
from tests.ingest import _jbig2enc as jbig2
from tests.ingest import _pdfbuild as b

pytestmark = [pytest.mark.tesseract]

JBIG2_LINES = ["BIÊN BẢN HỌP HỘI ĐỒNG", "Hôm nay ngày 12 tháng 5 năm 2016"]
DEVICEN_LINES = ["QUYẾT ĐỊNH KHEN THƯỞNG", "Căn cứ Luật Thi đua khen thưởng"]


def _pages() -> list[b.PageImage]:
    dpi = 150
    scan = text_page(JBIG2_LINES, size=(1240, 900), font_px=40)
    page, globals_ = jbig2.symbol_page(scan, dpi)
    bilevel = b.PageImage(
        page,
        {
            "Filter": "/JBIG2Decode",
            "ColorSpace": "/DeviceGray",
            "BitsPerComponent": 1,
            "DecodeParms": {"JBIG2Globals": b.Sub(globals_)},
        },
        1240,
        900,
        dpi,
    )
    ink = 255 - np.asarray(text_page(DEVICEN_LINES, size=(1240, 900), font_px=40))
    tint = b.Sub(
        b"{ add 2 div 1 exch sub }",
        {"FunctionType": 4, "Domain": [0, 1, 0, 1], "Range": [0, 1]},
    )
    spot = b.PageImage(
        b.flate(np.stack([ink, ink], axis=-1).astype(np.uint8).tobytes()),
        {
            "Filter": "/FlateDecode",
            "BitsPerComponent": 8,
            "ColorSpace": ["/DeviceN", ["/SpotA", "/SpotB"], "/DeviceGray", tint],
        },
        1240,
        900,
        dpi,
    )
    return [bilevel, spot]


def test_jbig2_and_devicen_pages_are_recognised_and_the_pdf_built(ctx, tmp_path):
    folder = tmp_path / "quet"
    folder.mkdir()
    b.image_pdf(folder / "hoso.pdf", _pages())
    batch = get_or_create_batch(ctx, "ma-hoa")
    assert register_paths(ctx, batch, [folder / "hoso.pdf"]).pages == 2
    run_batch(ctx, batch, workers=1)
    with ctx.session() as s:
        pages = s.scalars(select(Page).order_by(Page.page_index)).all()
        stages = s.scalars(select(PageStage)).all()
        assert [st.status for st in stages] == ["done", "done"], [st.error for st in stages]
        jbig2_page, devicen_page = pages
        assert "HỘI ĐỒNG" in jbig2_page.text and "tháng 5 năm 2016" in jbig2_page.text
        assert "KHEN THƯỞNG" in devicen_page.text and "Luật Thi đua" in devicen_page.text
        # The JBIG2 page was decoded as stored; the DeviceN page says poppler rendered it.
        assert not any(f.startswith("rendered_fallback") for f in jbig2_page.flags)
        assert "rendered_fallback:devicen" in devicen_page.flags
        docs = s.scalars(select(Document)).all()
        pdfs = [ctx.storage.document_pdf(d.id) for d in docs]
    assert pdfs and all(p.exists() for p in pdfs)
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(p), "-"], capture_output=True, check=True
        ).stdout.decode("utf-8")
        for p in pdfs
    )
    assert "HỘI ĐỒNG" in text and "KHEN THƯỞNG" in text
