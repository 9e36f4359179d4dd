"""Colour kept for re-reading the signer under a red seal and a blue signature."""

from __future__ import annotations

import io
import math

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFont

import ocr
from bench.metrics import levenshtein
from core.models import PageRef
from core.settings import Settings
from core.storage import Storage
from pipeline.rereaders import line_reader
from pipeline.steps import PageJob, process_page
from tests.conftest import FONT

RED, BLUE = (215, 30, 40), (30, 50, 190)
NAME = "Hồ Ngọc Trâm"


def _signed_page(colour: bool = True) -> Image.Image:
    """An A4 page at 150 dpi: a body, a signature block, a red seal and a pen over the name."""
    im = Image.new("RGB", (1240, 1754), (250, 248, 244))
    d = ImageDraw.Draw(im)
    font, bold = ImageFont.truetype(str(FONT), 30), ImageFont.truetype(str(FONT), 32)
    for k, line in enumerate(
        (
            "TỈNH ỦY LÂM ĐỒNG",
            "Số 05-TTr/BDVTU",
            "Tờ trình về công tác dân vận ở vùng đồng bào dân tộc thiểu số",
            "Căn cứ Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XI, nhiệm kỳ 2020 - 2025,",
            "Ban Dân vận Tỉnh ủy kính trình Thường trực Tỉnh ủy xem xét, quyết định.",
        )
    ):
        d.text((130, 120 + 60 * k), line, fill=(20, 20, 20), font=font)
    d.text((130, 560), "Nơi nhận:", fill=(20, 20, 20), font=font)
    d.text((130, 610), "- Như trên,", fill=(20, 20, 20), font=font)
    d.text((700, 560), "K/T TRƯỞNG BAN", fill=(20, 20, 20), font=bold)
    d.text((640, 610), "PHÓ TRƯỞNG BAN", fill=(20, 20, 20), font=bold)
    d.text((700, 800), NAME, fill=(20, 20, 20), font=bold)
    # Seal and pen go on in ink over the print (multiplied, as on paper: print stays dark).
    ink = Image.new("RGB", im.size, "white")
    d = ImageDraw.Draw(ink)
    # The seal: double ring and star over the first letters of the name.
    cx, cy, r = 690, 760, 120
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=RED, width=9)
    d.ellipse([cx - r + 22, cy - r + 22, cx + r - 22, cy + r - 22], outline=RED, width=4)
    star = [
        (
            cx + (44 if k % 2 == 0 else 18) * math.sin(math.pi * k / 5),
            cy - (44 if k % 2 == 0 else 18) * math.cos(math.pi * k / 5),
        )
        for k in range(10)
    ]
    d.polygon(star, fill=RED)
    for k in range(12):
        a = math.pi * (0.8 + 1.4 * k / 11)
        d.text(
            (cx + (r - 14) * math.cos(a) - 8, cy + (r - 14) * math.sin(a) - 10),
            "BANDÂNVẬNTỈ"[k % 11],
            fill=RED,
            font=ImageFont.truetype(str(FONT), 20),
        )
    # A pen signature looping through the name.
    pts = [(680 + 4 * t, 790 + 30 * math.sin(t / 6.0)) for t in range(0, 90)]
    d.line(pts, fill=BLUE, width=4)
    d.line([(700, 830), (1000, 770)], fill=BLUE, width=3)
    im = ImageChops.multiply(im, ink)
    if not colour:
        im = im.convert("L")
    buf = io.BytesIO()
    im.save(buf, format="JPEG", quality=85)  # colour fringes as a scanner's JPEG has them
    return Image.open(io.BytesIO(buf.getvalue()))


def test_colour_ink_is_told_from_black_print_and_dropped():
    seal = np.asarray(_signed_page().convert("RGB"))
    assert ocr.has_colour_ink(seal)
    plain = Image.new("RGB", (1240, 1754), "white")
    ImageDraw.Draw(plain).text(
        (130, 120), "TỈNH ỦY " * 8, fill="black", font=ImageFont.truetype(str(FONT), 40)
    )
    buf = io.BytesIO()
    plain.save(buf, format="JPEG", quality=40)
    assert not ocr.has_colour_ink(np.asarray(Image.open(buf).convert("RGB")))
    assert not ocr.has_colour_ink(np.zeros((10, 10), np.uint8))
    dropped = ocr.drop_colour(seal[700:860, 560:1100])
    red_ring = seal[760 - 120 + 2, 690 - 3 : 690 + 3]  # top of the outer ring
    assert red_ring.min(axis=1).max() < 120  # dark in grey: a threshold keeps it
    assert ocr.drop_colour(red_ring[None]).min() > 180  # light once colour is dropped
    assert dropped.min() < 80  # the black print stays


def test_the_colour_test_counts_the_chroma_of_every_fourth_pixel():
    # Channels compared one by one: the same count as the spread along the last axis.
    rng = np.random.default_rng(5)
    for share in (0.0, 0.0004, 0.001, 0.002, 0.3):
        rgb = np.full((401, 397, 3), 200, np.uint8)
        spots = rng.random(rgb.shape[:2]) < share
        rgb[spots] = rng.integers(0, 256, (int(spots.sum()), 3), dtype=np.uint8)
        small = rgb[::4, ::4].astype(np.int16)
        chroma = small.max(axis=2) - small.min(axis=2)
        expected = np.count_nonzero(chroma >= 80) >= 0.001 * chroma.size
        assert ocr.has_colour_ink(rgb) == expected
        assert ocr.has_colour_ink(np.dstack([rgb, rgb[..., :1]])) == expected  # alpha ignored


def test_a_turned_colour_scan_keeps_its_colour_copy_in_the_ocr_geometry(tmp_path):
    # Scanned upside down and 2° askew: the copy must line up with the straightened page.
    scan = _signed_page().convert("RGB").rotate(182, expand=True, fillcolor="white")
    src = tmp_path / "scan.png"
    scan.save(src, dpi=(150, 150))
    storage = Storage(tmp_path / "data")
    settings = Settings()
    job = PageJob(7, PageRef(str(src), "png", 0), str(storage.page_dir(7)))
    result = process_page(job, settings)
    assert result.ok and result.rotation == 180
    colour = Image.open(storage.page_colour_image(7)).convert("RGB")
    grey = np.asarray(Image.open(storage.page_image(7)).convert("L"), dtype=np.float32)
    assert colour.size == (grey.shape[1], grey.shape[0])
    as_grey = np.asarray(colour.convert("L"), dtype=np.float32)
    # Same picture, same place: the grey review image and the colour copy agree pixel by
    # pixel far better than a copy shifted by a few pixels would.
    diff = np.abs(as_grey - grey).mean()
    shifted = np.abs(np.roll(as_grey, 4, axis=0) - grey).mean()
    assert diff < 0.5 * shifted, (diff, shifted)

    read = line_reader(storage, ocr.load_engine(settings.ocr))
    lines = read(7, (560, 520, 680, 400))  # the right half, from Nơi nhận down
    # Grey thresholds alone read this block as "HO XUỐC TRHỂ" and debris; with the colour
    # dropped the name comes out whole, at most one mark off ("Ngợc"), which the name model
    # of extraction mends.
    assert min(levenshtein(line.strip(), NAME) for line in lines) <= 1, lines


def test_grey_scans_and_colour_scans_of_black_print_keep_no_colour_copy(tmp_path):
    storage = Storage(tmp_path / "data")
    src = tmp_path / "grey.jpg"
    _signed_page(colour=False).save(src)
    job = PageJob(8, PageRef(str(src), "jpeg", 0), str(storage.page_dir(8)))
    assert process_page(job, Settings()).ok
    assert storage.page_image(8).exists() and not storage.page_colour_image(8).exists()


def test_a_line_is_first_read_as_it_is_and_a_column_only_thresholded():
    class Engine:
        def __init__(self) -> None:
            self.shapes: list[tuple[int, int]] = []

        def read_region(self, image: np.ndarray, *, single_line: bool) -> str:
            self.shapes.append(image.shape[:2])
            return "ngày 14 tháng 8 năm 2023\n"

    line, column = Engine(), Engine()
    ocr.read_lines_without_stamps(np.full((60, 600), 255, np.uint8), line)  # type: ignore[arg-type]
    ocr.read_lines_without_stamps(np.full((700, 600), 255, np.uint8), column)  # type: ignore[arg-type]
    # The plain reading comes first, on a white margin; the four thresholds follow.
    assert line.shapes == [(100, 640)] + [(60, 600)] * 4
    assert column.shapes == [(700, 600)] * 4


def test_the_readings_of_a_region_go_to_an_engine_in_one_run():
    class Engine:
        def __init__(self) -> None:
            self.runs: list[list[tuple[int, int]]] = []

        def read_region(self, image: np.ndarray, *, single_line: bool) -> str:
            raise AssertionError("read one by one")

        def read_regions(self, images: list[np.ndarray], *, single_line: bool) -> list[str]:
            self.runs.append([im.shape[:2] for im in images])
            return [f"dòng {n}\n\n" for n in range(len(images))]

    engine = Engine()
    lines = ocr.read_lines_without_stamps(np.full((60, 600), 255, np.uint8), engine)  # type: ignore[arg-type]
    assert engine.runs == [[(100, 640)] + [(60, 600)] * 4]
    assert lines == [f"dòng {n}" for n in range(5)]  # in reading order, blank lines dropped


def test_a_colour_copy_that_cannot_be_made_does_not_fail_the_page(tmp_path, monkeypatch):
    import cv2

    def broken(*_a, **_k):
        raise cv2.error("warp failed")

    monkeypatch.setattr(ocr, "straighten_colour", broken)
    storage = Storage(tmp_path / "data")
    src = tmp_path / "seal.png"
    _signed_page().convert("RGB").save(src, dpi=(150, 150))
    result = process_page(
        PageJob(9, PageRef(str(src), "png", 0), str(storage.page_dir(9))), Settings()
    )
    assert result.ok and "PHÓ TRƯỞNG BAN" in result.text
    assert storage.page_image(9).exists() and not storage.page_colour_image(9).exists()
