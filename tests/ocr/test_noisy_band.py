"""A header lost under dirty-drum streaks, read again from the stored page (real Tesseract)."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

import extract
import ocr
from core.models import PageRef, PageText
from core.settings import Settings
from core.storage import Storage
from pipeline.rereaders import band_reader
from pipeline.steps import PageJob, process_page
from tests.conftest import FONT
from tests.extract._pages import two_column_page
from tests.ocr._drawing import body_lines


def _streaked_band(seed: int = 5) -> np.ndarray:
    """A header band at 150 dpi, crossed by four vertical bands of dark toner specks."""
    im = Image.new("L", (1240, 330), 250)
    d = ImageDraw.Draw(im)
    font = ImageFont.truetype(str(FONT), 28)
    d.text((150, 60), "TỈNH ỦY LÂM ĐỒNG", fill=20, font=font)
    d.text((210, 110), "Số 6-KH/TU", fill=20, font=font)
    d.text((680, 60), "ĐẢNG CỘNG SẢN VIỆT NAM", fill=20, font=font)
    d.text((640, 120), "Lâm Đồng, ngày 22 tháng 5 năm 2013", fill=20, font=font)
    a = np.array(im)
    rng = np.random.default_rng(seed)
    for x0 in (100, 450, 600, 1100):
        specks = rng.random((a.shape[0], 26)) < 0.25
        a[:, x0 : x0 + 26][specks] = rng.integers(0, 60, int(specks.sum()))
    return a


def test_a_streaked_band_read_several_ways_gives_the_header_back() -> None:
    engine = ocr.load_engine(Settings().ocr)
    readings = ocr.read_noisy_band(_streaked_band(), engine, 150)
    page = two_column_page([("ỳ Ñ", "ị ‡"), ("KẾ HOẠCH", ""), ("Xử lý các vụ phá rừng", "")])
    page = PageText(page.page_id, "", page.words, width=1240, height=1754)
    res = extract.extract_fields([page], band_reader=lambda p, b: readings)
    assert res.fields["symbol"] == "6-KH/TU", readings
    assert res.fields["date"] == "2013-05-22" and res.fields["place"] == "Lâm Đồng", readings


def test_the_band_reader_reads_the_stored_review_image(tmp_path) -> None:
    page = Image.new("L", (1240, 1754), 250)
    page.paste(Image.fromarray(_streaked_band()), (0, 0))
    d = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 28)
    d.text((520, 380), "KẾ HOẠCH", fill=20, font=font)
    body_lines(d, 460, 12, font)
    src = tmp_path / "scan.png"
    page.save(src, dpi=(150, 150))
    storage = Storage(tmp_path / "data")
    settings = Settings()
    assert process_page(
        PageJob(9, PageRef(str(src), "png", 0), str(storage.page_dir(9))), settings
    ).ok
    read = band_reader(storage, ocr.load_engine(settings.ocr))
    readings = read(9, (0, 0, 1240, 340))
    assert len(readings) >= 2  # as it is, median-smoothed (and lifted, where streaks are found)
    lines = [line for text in readings for line in text.splitlines()]
    assert sum("6-KH/TU" in line for line in lines) >= 2, lines
    assert sum("22 tháng 5" in line for line in lines) >= 2, lines
