"""Image files as scanners and tools write them (TIFF, PNG, JPEG), through render_page.

Modes and encodings Pillow meets in the wild: 1-bit G4 TIFF either photometric, one TIFF
with a different encoding per frame, 16-bit grey and colour, palettes with and without
transparency, alpha, CMYK. Every check is on the picture (see ``_pdfbuild.check_pattern``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, TiffImagePlugin

from core.models import PageRef
from core.settings import IngestSettings
from ingest import render_page
from ingest._render import AS_STORED
from tests.ingest import _pdfbuild as b
from tests.ingest._pdfbuild import DPI, PALETTE, RED, RED_CMYK, H, W

CFG = IngestSettings()


def _render_file(path: Path, kind: str, frame: int = 0):
    return render_page(PageRef(str(path), kind, frame), CFG)


@pytest.mark.parametrize("photometric", [0, 1], ids=["MinIsWhite", "MinIsBlack"])
def test_one_bit_tiff_g4(tmp_path, photometric):
    path = tmp_path / "g4.tif"
    b.pattern(grey=False).convert("1", dither=Image.Dither.NONE).save(
        path, compression="group4", dpi=(DPI, DPI), tiffinfo={262: photometric}
    )
    r = _render_file(path, "tiff")
    assert (r.origin, r.dpi, r.image.mode) == (AS_STORED, DPI, "L")
    b.check_pattern(r.image)


def test_multi_frame_tiff_with_an_encoding_per_frame(tmp_path):
    frames = [
        (b.pattern(grey=False).convert("1", dither=Image.Dither.NONE), "group4"),
        (b.pattern(), "tiff_lzw"),
        (b.pattern("RGB", colour=RED), "jpeg"),
        (b.pattern("CMYK", colour=RED_CMYK), "tiff_adobe_deflate"),
    ]
    path = tmp_path / "mixed.tif"
    with TiffImagePlugin.AppendingTiffWriter(str(path), new=True) as tf:
        for im, compression in frames:
            im.save(tf, "TIFF", compression=compression, dpi=(DPI, DPI))
            tf.newFrame()
    with Image.open(path) as check:
        seen = []
        for i in range(check.n_frames):
            check.seek(i)
            seen.append(check.tag_v2[259])
    assert seen == [4, 5, 7, 8]  # G4, LZW, JPEG, Deflate
    for i, (_im, compression) in enumerate(frames):
        r = _render_file(path, "tiff", i)
        assert r.origin == AS_STORED and r.dpi == DPI
        b.check_pattern(r.image, grey=compression != "group4", colour=RED if i >= 2 else None)


def test_16_bit_grey_png_and_tiff(tmp_path):
    wide = Image.fromarray(np.asarray(b.pattern()).astype(np.uint16) * 257)
    assert wide.mode == "I;16"
    for name in ("g16.png", "g16.tif"):
        wide.save(tmp_path / name, dpi=(DPI, DPI))
        r = _render_file(tmp_path / name, "png" if name.endswith("png") else "tiff")
        assert r.image.mode == "L"
        b.check_pattern(r.image, grey=True)


def test_16_bit_rgb_png_and_tiff(tmp_path):
    im = b.pattern("RGB", colour=RED)
    (tmp_path / "c16.png").write_bytes(b.png16_rgb(im))
    (tmp_path / "c16.tif").write_bytes(b.tiff16_rgb(im))
    for name, kind in (("c16.png", "png"), ("c16.tif", "tiff")):
        r = _render_file(tmp_path / name, kind)
        assert r.dpi == DPI
        b.check_pattern(r.image, grey=True, colour=RED)


def test_palette_png_with_and_without_transparency(tmp_path):
    im = Image.fromarray(b.indices(), "P")
    im.putpalette(PALETTE)
    im.save(tmp_path / "p.png")
    b.check_pattern(_render_file(tmp_path / "p.png", "png").image, grey=True, colour=RED)
    # Index 0 (paper) transparent: must come out as white paper, not as whatever RGB it holds.
    im.putpalette(bytes([0, 0, 0]) + PALETTE[3:])
    im.save(tmp_path / "t.png", transparency=0)
    b.check_pattern(_render_file(tmp_path / "t.png", "png").image, grey=True, colour=RED)


@pytest.mark.parametrize("kind", ["png", "tiff"])
def test_alpha_images_are_laid_on_white_paper(tmp_path, kind):
    # Transparent black paper, opaque ink: dropping alpha would give a black page.
    rgb = np.asarray(b.pattern("RGB", colour=RED))
    alpha = np.where((rgb == 255).all(axis=2), 0, 255).astype(np.uint8)
    rgba = np.dstack([np.where(alpha[..., None] == 0, 0, rgb).astype(np.uint8), alpha])
    Image.fromarray(rgba, "RGBA").save(tmp_path / f"a.{kind}")
    b.check_pattern(_render_file(tmp_path / f"a.{kind}", kind).image, grey=True, colour=RED)
    grey = np.asarray(b.pattern())
    la = np.dstack([np.where(grey == 255, 0, grey), np.where(grey == 255, 0, 255)])
    Image.fromarray(la.astype(np.uint8), "LA").save(tmp_path / f"la.{kind}")
    r = _render_file(tmp_path / f"la.{kind}", kind)
    assert r.image.mode == "L"
    b.check_pattern(r.image, grey=True)


def test_cmyk_jpeg_and_tiff_files_have_true_colours(tmp_path):
    im = b.pattern("CMYK", colour=RED_CMYK)
    im.save(tmp_path / "c.jpg", quality=92, dpi=(DPI, DPI))  # Adobe inverted CMYK
    im.save(tmp_path / "c.tif", dpi=(DPI, DPI))
    for name, kind in (("c.jpg", "jpeg"), ("c.tif", "tiff")):
        r = _render_file(tmp_path / name, kind)
        assert r.image.mode == "RGB"
        b.check_pattern(r.image, grey=True, colour=RED)


def test_i16_tiff(tmp_path):
    wide = np.asarray(b.pattern()).astype(np.uint16) * 257
    Image.frombytes("I;16", (W, H), wide.astype("<u2").tobytes()).save(tmp_path / "i.tif")
    b.check_pattern(_render_file(tmp_path / "i.tif", "tiff").image, grey=True)
