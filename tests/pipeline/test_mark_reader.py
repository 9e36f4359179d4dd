"""The mark re-reader finds a secrecy mark whose frame a fax broke into dots."""

from __future__ import annotations

import json

from PIL import Image, ImageDraw, ImageFont

import extract
import ocr
from core.settings import Settings
from core.storage import Storage
from pipeline.rereaders import mark_reader
from tests.conftest import FONT


def _page(storage: Storage, page_id: int, dotted_mark: bool) -> None:
    im = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(im)
    font = ImageFont.truetype(str(FONT), 34)
    if dotted_mark:
        draw.text((130, 90), "TUYỆT MẬT", fill=0, font=font)
        for x in range(112, 372, 9):  # a frame of dots, as a halftoned fax prints it
            draw.point([(x, 80), (x, 136)], fill=0)
        for y in range(80, 137, 9):
            draw.point([(112, y), (372, y)], fill=0)
    draw.text((130, 170), "TỈNH ỦY LÂM ĐỒNG", fill=0, font=font)
    draw.text((700, 170), "ĐẢNG CỘNG SẢN VIỆT NAM", fill=0, font=font)
    draw.text((130, 230), "Số 14-NQ/TU", fill=0, font=font)
    path = storage.page_image(page_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path)
    storage.page_words(page_id).write_text(json.dumps({"display_scale": 1.0, "words": []}))


def test_a_mark_in_a_dotted_frame_is_read_and_an_unmarked_header_gives_none(tmp_path):
    storage = Storage(tmp_path)
    engine = ocr.load_engine(Settings().ocr)
    read = mark_reader(storage, engine)
    band = (0, 0, 1240, 700)
    _page(storage, 1, dotted_mark=True)
    assert "TUYỆT MẬT" in {extract.mark_level(t) for t in read(1, band)}
    _page(storage, 2, dotted_mark=False)
    assert not any(extract.mark_level(t) for t in read(2, band))
