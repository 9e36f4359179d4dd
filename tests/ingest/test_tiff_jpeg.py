"""Grey JPEG TIFFs go into the searchable PDF as their own JPEG data, strips joined."""

from __future__ import annotations

import io
import subprocess
import tracemalloc
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image, TiffImagePlugin

from core.models import EncodedImage, PageRef, SearchablePage
from core.settings import IngestSettings
from ingest import encoded_page_image, render_page
from ocr import build_searchable_pdf

CFG = IngestSettings()
W, H = 413, 300  # neither a whole number of blocks: padded blocks at the right and bottom


def _page(seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    noise = rng.integers(0, 256, (H, W)) // 48 * 48
    ramp = np.tile(np.linspace(0, 255, W), (H, 1))
    return Image.fromarray(((noise + ramp) // 2).astype(np.uint8))


def _save(path: Path, frames: list[Image.Image], rows: int, monkeypatch, **options) -> Path:
    monkeypatch.setattr(TiffImagePlugin, "STRIP_SIZE", W * rows)  # rows per strip, as libtiff
    frames[0].save(
        path, compression="jpeg", quality=70, save_all=True, append_images=frames[1:], **options
    )
    return path


def _poppler(enc: EncodedImage, tmp_path: Path) -> np.ndarray:
    spec = SearchablePage(
        image=enc, width=enc.width, height=enc.height, words=(), to_source=(1, 0, 0, 0, 1, 0)
    )
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(build_searchable_pdf([spec]))
    subprocess.run(["pdfimages", "-png", str(pdf), str(tmp_path / "img")], check=True)
    with Image.open(tmp_path / "img-000.png") as back:
        return np.asarray(back.convert("L"))


@pytest.mark.parametrize("rows", [24, 160])  # 13 strips (restart markers wrap at 8), or 2
def test_strips_are_joined_into_one_jpeg_of_the_same_pixels(tmp_path, monkeypatch, rows):
    path = _save(tmp_path / "scan.tif", [_page(1), _page(2)], rows, monkeypatch)
    with Image.open(path) as tif:
        assert len(tif.tag_v2[273]) == -(-H // rows)
    for index in (0, 1):
        ref = PageRef(str(path), "tiff", index)
        enc = encoded_page_image(ref, CFG)
        assert (enc.filter, enc.colorspace, enc.bits, enc.width, enc.height) == (
            "DCTDecode",
            "DeviceGray",
            8,
            W,
            H,
        )
        seen = np.asarray(render_page(ref, CFG).image)  # what the OCR stage read
        with Image.open(io.BytesIO(enc.data)) as jpeg:
            assert np.array_equal(np.asarray(jpeg), seen), index
        assert np.array_equal(_poppler(enc, tmp_path), seen), index
        with pikepdf.open(tmp_path / "page.pdf") as pdf:
            (xobj,) = list(pdf.pages[0].resources.XObject.values())
            assert np.array_equal(np.asarray(pikepdf.PdfImage(xobj).as_pil_image()), seen)


def test_other_tiffs_are_compressed_again_losslessly(tmp_path, monkeypatch):
    grey = _page(3)
    cases = {
        "colour": _save(tmp_path / "c.tif", [grey.convert("RGB")], 24, monkeypatch),
        "turned": _save(tmp_path / "t.tif", [grey], 24, monkeypatch, tiffinfo={274: 6}),
        "lzw": tmp_path / "l.tif",
    }
    grey.save(cases["lzw"], compression="tiff_lzw")
    for name, path in cases.items():
        ref = PageRef(str(path), "tiff", 0)
        enc = encoded_page_image(ref, CFG)
        assert enc.filter == "FlateDecode", name
        seen = render_page(ref, CFG).image.convert("L")
        assert np.array_equal(_poppler(enc, tmp_path), np.asarray(seen)), name


def test_a_strip_said_to_reach_past_the_files_end_is_not_read(tmp_path, monkeypatch):
    # A hostile StripByteCounts (4 GB) must not be read as asked: the page is compressed again
    # from what the OCR stage decoded, the same pixels.
    from ingest._tiffjpeg import tiff_jpeg

    path = _save(tmp_path / "scan.tif", [_page(4)], 24, monkeypatch)
    with Image.open(path) as tif:
        counts = list(tif.tag_v2[279])
    data = bytearray(path.read_bytes())
    # The counts are stored once, as little-endian longs (Pillow writes "II").
    packed = b"".join(c.to_bytes(4, "little") for c in counts)
    at = data.find(packed)
    assert at > 0
    data[at : at + 4] = (2**32 - 1).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    tracemalloc.start()
    try:
        assert tiff_jpeg(path, 0) is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20  # no buffer of the size the tag claims
