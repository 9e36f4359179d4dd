"""A signature between dirty-drum streaks, read again with the streaked rows painted paper.

On dev2-fit, a signer's ``K'Mát`` printed between two streaks came out of the page's OCR as
``AAU ° la LƠN``, and the signature column's re-read (``ocr.read_lines_without_stamps``, every
seal threshold) lost it in the streaks too; it reads once the streaked rows
(``ocr._clean.streak_rows``) are painted paper.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

import ocr
from core.settings import Settings
from ocr._clean import streak_rows
from tests.conftest import FONT
from tests.ocr._drawing import body_lines

DPI = 150
BANDS = (230, 1010, 1160, 1400)  # tops of the streaks, 60 px high, across the whole sheet
NAME = "Nguyễn Văn Toàn"


def _page(seed: int = 3, bands: tuple[int, ...] = BANDS) -> np.ndarray:
    """An A4 page at 150 dpi: header, body, the closing, and the signer's name between streaks."""
    im = Image.new("L", (1240, 1754), 250)
    d = ImageDraw.Draw(im)
    font = ImageFont.truetype(str(FONT), 28)
    bold = ImageFont.truetype(str(FONT), 30)
    d.text((150, 120), "TỈNH ỦY LÂM ĐỒNG", fill=20, font=font)
    d.text((680, 120), "ĐẢNG CỘNG SẢN VIỆT NAM", fill=20, font=font)
    body_lines(d, 300, 10, font)
    d.text((150, 900), "Nơi nhận:", fill=20, font=font)
    d.text((150, 945), "- Lưu VT.", fill=20, font=font)
    d.text((760, 900), "K/T BÍ THƯ", fill=20, font=bold)
    d.text((760, 945), "PHÓ BÍ THƯ", fill=20, font=bold)
    d.text((800, 1110), NAME, fill=20, font=bold)
    a = np.array(im)
    rng = np.random.default_rng(seed)
    for top in bands:
        band = a[top : top + 60]
        specks = rng.random(band.shape) < 0.35
        band[specks] = rng.integers(0, 70, int(specks.sum()))
    return a


def test_streaked_rows_are_found_through_both_margins_and_not_grown() -> None:
    rows = streak_rows(_page(), DPI)
    assert rows is not None
    for top in BANDS:
        assert rows[top + 5 : top + 55].all()
        # Exactly the streaked rows: a line printed close under a streak is not cut.
        assert not rows[top - 4 : top - 1].any() and not rows[top + 61 : top + 64].any()
    assert not rows[1100:1150].any()  # the name's line, between two streaks
    assert not rows[300:800].any()  # the body


def test_a_clean_page_or_a_margin_note_has_no_streaked_rows() -> None:
    assert streak_rows(_page(bands=()), DPI) is None
    noted = _page(bands=())
    noted[600:900, 20:80] = np.where(np.random.default_rng(1).random((300, 60)) < 0.3, 20, 250)
    assert streak_rows(noted, DPI) is None


# The signature column of dev2-fit doc_0106 (a dirty-drum TIFF, 200 dpi) as the review image
# stores it, in 8 grey levels: ``K'Mát`` under ``PHÓ TRƯỞNG BAN THƯỜNG TRỰC``, a seal and a
# scribble over it, streaks above and below the name.
COLUMN = Path(__file__).parent / "data" / "signature_between_streaks.png"


@pytest.mark.tesseract
def test_the_signature_column_is_read_again_between_the_streaks() -> None:
    engine = ocr.load_engine(Settings().ocr)
    column = cv2.imread(str(COLUMN), cv2.IMREAD_GRAYSCALE)
    # As the seal re-read reads it (every threshold), the name is lost in the streaks...
    assert not any("Mát" in line for line in ocr.read_lines_without_stamps(column, engine))
    # ...and read with the streaked rows painted paper.
    lines = ocr.read_lines_without_stamps(column, engine, 200)
    assert "K'Mát" in [line.strip() for line in lines], lines
