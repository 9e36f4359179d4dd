"""Every image encoding a PDF tool writes for a scan page, through render_page.

Each case is a one-page PDF written with pikepdf: the raw stream with its /Filter,
/DecodeParms and colour space, holding the known pattern of ``_pdfbuild``. The checks are
about the picture, not just the absence of a crash: size, resolution, a dark rectangle and
text on light paper (polarity), a mid-grey patch (16-bit scaling), colours (CMYK), and which
path the page took: decoded as stored, or rendered by poppler with the reason recorded.
Image files (TIFF/PNG/JPEG) are in ``test_encodings_files``, the searchable PDF's copy of
the page in ``test_encodings_embed``.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageCms

from core.models import PageRef
from core.settings import IngestSettings
from ingest import render_page
from ingest._render import AS_STORED, RENDERED_FALLBACK
from tests.ingest import _jbig2enc as jbig2
from tests.ingest import _pdfbuild as b
from tests.ingest._pdfbuild import DPI, PALETTE, RED, RED_CMYK, H, Sub, W

CFG = IngestSettings()


def _srgb() -> Sub:
    return Sub(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(), {"N": 3})


def _ccitt_entries(k: int, black_is_1: bool = False, **extra: object) -> dict:
    parms = {"K": k, "Columns": W, "Rows": H, "BlackIs1": black_is_1, **extra}
    return {
        "Filter": "/CCITTFaxDecode",
        "ColorSpace": "/DeviceGray",
        "BitsPerComponent": 1,
        "DecodeParms": parms,
    }


def _render(tmp_path: Path, data: bytes, **entries: object):
    path = b.one_page_pdf(tmp_path / "p.pdf", data, **entries)
    return render_page(PageRef(str(path), "pdf", 0), CFG), path


# --- JBIG2 ---------------------------------------------------------------------------------


def test_jbig2_generic_region_is_decoded_as_stored(tmp_path):
    r, _ = _render(
        tmp_path,
        jbig2.generic_mmr(b.pattern(grey=False), DPI),
        Filter="/JBIG2Decode",
        ColorSpace="/DeviceGray",
        BitsPerComponent=1,
    )
    assert (r.origin, r.notes, r.dpi) == (AS_STORED, (), DPI)
    b.check_pattern(r.image)
    assert np.array_equal(b.dark(r.image), b.dark(b.pattern(grey=False)))  # bit for bit


def test_jbig2_with_globals_symbol_dictionary_is_decoded_as_stored(tmp_path):
    page, globals_ = jbig2.symbol_page(b.pattern(grey=False), DPI)
    r, _ = _render(
        tmp_path,
        page,
        Filter="/JBIG2Decode",
        ColorSpace="/DeviceGray",
        BitsPerComponent=1,
        DecodeParms={"JBIG2Globals": Sub(globals_)},
    )
    assert (r.origin, r.notes) == (AS_STORED, ())
    b.check_pattern(r.image)
    assert np.array_equal(b.dark(r.image), b.dark(b.pattern(grey=False)))


def test_jbig2_without_jbig2dec_falls_back_to_poppler(tmp_path, monkeypatch):
    # Only poppler's tools on PATH: pikepdf cannot run jbig2dec, as on a machine without it.
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("pdftoppm", "pdfinfo"):
        found = shutil.which(tool)
        assert found is not None
        (tools / tool).symlink_to(found)
    monkeypatch.setenv("PATH", str(tools))
    r, _ = _render(
        tmp_path,
        jbig2.generic_mmr(b.pattern(grey=False), DPI),
        Filter="/JBIG2Decode",
        ColorSpace="/DeviceGray",
        BitsPerComponent=1,
    )
    assert (r.origin, r.notes) == (RENDERED_FALLBACK, ("rendered_fallback:decoder_missing",))
    assert r.dpi == DPI and r.image.mode == "L"
    b.check_pattern(r.image)


# --- CCITT ---------------------------------------------------------------------------------


@pytest.mark.parametrize("black_is_1", [False, True])
@pytest.mark.parametrize("k", [-1, 0, 1], ids=["G4", "G3-1D", "G3-2D"])
def test_ccitt_fax_is_decoded_as_stored_with_the_right_polarity(tmp_path, k, black_is_1):
    im = b.pattern(grey=False)
    r, _ = _render(
        tmp_path, b.ccitt(im, k=k, black_is_1=black_is_1), **_ccitt_entries(k, black_is_1)
    )
    assert (r.origin, r.notes) == (AS_STORED, ())
    b.check_pattern(r.image)
    assert np.array_equal(b.dark(r.image), b.dark(im))


def test_ccitt_g4_with_decode_array_inverts(tmp_path):
    # Runs coded from the negative, shown right by /Decode [1 0].
    im = b.pattern(grey=False)
    r, _ = _render(
        tmp_path, b.ccitt(im, k=-1, black_is_1=True), **_ccitt_entries(-1), Decode=[1, 0]
    )
    assert r.origin == AS_STORED
    b.check_pattern(r.image)


@pytest.mark.parametrize("k", [0, 1], ids=["G3-1D", "G3-2D"])
def test_ccitt_encoded_byte_align_is_rendered_by_poppler(tmp_path, k):
    im = b.pattern(grey=False)
    r, _ = _render(
        tmp_path, b.ccitt(im, k=k, byte_align=True), **_ccitt_entries(k, EncodedByteAlign=True)
    )
    assert (r.origin, r.notes) == (RENDERED_FALLBACK, ("rendered_fallback:unsupported_encoding",))
    assert r.dpi == DPI
    b.check_pattern(r.image)


# --- JPEG 2000, JPEG -----------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_jpeg2000_is_decoded_as_stored(tmp_path, mode):
    im = b.pattern(mode, colour=RED if mode == "RGB" else None)
    buf = io.BytesIO()
    im.save(buf, "JPEG2000", irreversible=False)  # lossless
    r, _ = _render(tmp_path, buf.getvalue(), Filter="/JPXDecode")
    assert r.origin == AS_STORED and r.image.mode == mode
    b.check_pattern(r.image, grey=True, colour=RED if mode == "RGB" else None)


def test_cmyk_jpeg_adobe_inverted_with_decode_array_has_true_colours(tmp_path):
    # Pillow writes CMYK JPEGs the Adobe way (inverted samples, APP14 marker); a PDF writer
    # adds /Decode [1 0 1 0 1 0 1 0] for viewers that ignore the marker. Poppler agrees.
    data = b.jpeg(b.pattern("CMYK", colour=RED_CMYK))
    assert b"Adobe" in data[:200]
    r, path = _render(
        tmp_path,
        data,
        Filter="/DCTDecode",
        ColorSpace="/DeviceCMYK",
        BitsPerComponent=8,
        Decode=[1, 0] * 4,
    )
    assert r.origin == AS_STORED and r.image.mode == "RGB"
    b.check_pattern(r.image, grey=True, colour=RED)
    _agrees_with_poppler(r.image, path)


def test_cmyk_jpeg_adobe_inverted_without_decode_array_trusts_the_marker(tmp_path):
    data = b.jpeg(b.pattern("CMYK", colour=RED_CMYK))
    r, _ = _render(
        tmp_path, data, Filter="/DCTDecode", ColorSpace="/DeviceCMYK", BitsPerComponent=8
    )
    assert r.origin == AS_STORED
    b.check_pattern(r.image, grey=True, colour=RED)


def test_grey_jpeg_with_decode_array_is_inverted(tmp_path):
    negative = Image.eval(b.pattern(), lambda v: 255 - v)
    r, path = _render(
        tmp_path,
        b.jpeg(negative),
        Filter="/DCTDecode",
        ColorSpace="/DeviceGray",
        BitsPerComponent=8,
        Decode=[1, 0],
    )
    assert r.origin == AS_STORED
    b.check_pattern(r.image, grey=True)
    _agrees_with_poppler(r.image, path)


# --- Colour spaces -------------------------------------------------------------------------


def test_flate_cmyk_has_true_colours(tmp_path):
    im = b.pattern("CMYK", colour=RED_CMYK)
    r, path = _render(
        tmp_path,
        b.flate(im.tobytes()),
        Filter="/FlateDecode",
        ColorSpace="/DeviceCMYK",
        BitsPerComponent=8,
    )
    assert r.origin == AS_STORED
    b.check_pattern(r.image, grey=True, colour=RED)


def test_devicen_is_rendered_by_poppler_at_the_scan_resolution(tmp_path, caplog):
    # Two spot inks, both full where the page is black; grey = 1 - (a + b) / 2.
    ink = (255 - np.asarray(b.pattern())).astype(np.uint8)
    samples = np.stack([ink, ink], axis=-1)
    tint = Sub(
        b"{ add 2 div 1 exch sub }", {"FunctionType": 4, "Domain": [0, 1, 0, 1], "Range": [0, 1]}
    )
    r, _ = _render(
        tmp_path,
        b.flate(samples.tobytes()),
        Filter="/FlateDecode",
        BitsPerComponent=8,
        ColorSpace=["/DeviceN", ["/SpotA", "/SpotB"], "/DeviceGray", tint],
    )
    assert (r.origin, r.notes) == (RENDERED_FALLBACK, ("rendered_fallback:devicen",))
    assert r.dpi == DPI
    b.check_pattern(r.image, grey=True)
    # Never silent: the log says which page and why.
    (record,) = [x for x in caplog.records if x.name == "ingest._render"]
    assert record.levelname == "WARNING" and "page 1" in record.getMessage()
    assert "devicen" in record.getMessage() and "poppler at 100 dpi" in record.getMessage()


def test_separation_is_rendered_by_poppler(tmp_path):
    ink = (255 - np.asarray(b.pattern())).astype(np.uint8)
    tint = Sub(b"{ 1 exch sub }", {"FunctionType": 4, "Domain": [0, 1], "Range": [0, 1]})
    r, _ = _render(
        tmp_path,
        b.flate(ink.tobytes()),
        Filter="/FlateDecode",
        BitsPerComponent=8,
        ColorSpace=["/Separation", "/Spot", "/DeviceGray", tint],
    )
    assert (r.origin, r.notes) == (RENDERED_FALLBACK, ("rendered_fallback:separation",))
    b.check_pattern(r.image, grey=True)


def test_fallback_keeps_native_resolution_and_page_rotation(tmp_path):
    ink = (255 - np.asarray(b.pattern())).astype(np.uint8)
    tint = Sub(b"{ 1 exch sub }", {"FunctionType": 4, "Domain": [0, 1], "Range": [0, 1]})
    path = b.one_page_pdf(
        tmp_path / "r.pdf",
        b.flate(ink.tobytes()),
        dpi=150,
        rotate=90,
        Filter="/FlateDecode",
        BitsPerComponent=8,
        ColorSpace=["/Separation", "/Spot", "/DeviceGray", tint],
    )
    r = render_page(PageRef(str(path), "pdf", 0), IngestSettings(raster_dpi=300))
    assert r.origin == RENDERED_FALLBACK and r.dpi == 150
    b.check_pattern(r.image.rotate(90, expand=True), grey=True)  # turned back upright


@pytest.mark.parametrize("bits", [8, 4, 2])
def test_indexed_palette_images(tmp_path, bits):
    idx = b.indices()
    per_byte = 8 // bits
    rows = idx.reshape(H, W // per_byte, per_byte).astype(np.uint16)
    packed = np.zeros(rows.shape[:2], np.uint16)
    for i in range(per_byte):
        packed = (packed << bits) | rows[:, :, i]
    r, _ = _render(
        tmp_path,
        b.flate(packed.astype(np.uint8).tobytes()),
        Filter="/FlateDecode",
        BitsPerComponent=bits,
        ColorSpace=["/Indexed", "/DeviceRGB", 3, PALETTE],
    )
    assert r.origin == AS_STORED
    b.check_pattern(r.image, grey=True, colour=RED)


def test_indexed_over_iccbased(tmp_path):
    r, _ = _render(
        tmp_path,
        b.flate(b.indices().tobytes()),
        Filter="/FlateDecode",
        BitsPerComponent=8,
        ColorSpace=["/Indexed", ["/ICCBased", _srgb()], 3, PALETTE],
    )
    assert r.origin == AS_STORED
    b.check_pattern(r.image, grey=True, colour=RED)


def test_iccbased_rgb(tmp_path):
    im = b.pattern("RGB", colour=RED)
    r, _ = _render(
        tmp_path,
        b.flate(im.tobytes()),
        Filter="/FlateDecode",
        BitsPerComponent=8,
        ColorSpace=["/ICCBased", _srgb()],
    )
    assert r.origin == AS_STORED and r.image.mode == "RGB"
    b.check_pattern(r.image, grey=True, colour=RED)


def test_iccbased_grey(tmp_path):
    profile = Sub(b.grey_icc_profile(), {"N": 1})
    r, _ = _render(
        tmp_path,
        b.flate(b.pattern().tobytes()),
        Filter="/FlateDecode",
        BitsPerComponent=8,
        ColorSpace=["/ICCBased", profile],
    )
    assert r.origin == AS_STORED and r.image.mode == "L"
    b.check_pattern(r.image, grey=True)


# --- Depth, masks, polarity ----------------------------------------------------------------


def test_16_bit_grey_is_scaled_not_clipped(tmp_path):
    wide = np.asarray(b.pattern()).astype(">u2") * 257
    r, _ = _render(
        tmp_path,
        b.flate(wide.tobytes()),
        Filter="/FlateDecode",
        ColorSpace="/DeviceGray",
        BitsPerComponent=16,
    )
    assert r.origin == AS_STORED and r.image.mode == "L"
    b.check_pattern(r.image, grey=True)


def test_16_bit_rgb(tmp_path):
    wide = np.asarray(b.pattern("RGB", colour=RED)).astype(">u2") * 257
    r, _ = _render(
        tmp_path,
        b.flate(wide.tobytes()),
        Filter="/FlateDecode",
        ColorSpace="/DeviceRGB",
        BitsPerComponent=16,
    )
    assert r.origin == AS_STORED
    b.check_pattern(r.image, grey=True, colour=RED)


def test_soft_mask_is_laid_on_white_paper(tmp_path):
    # A black image whose page shows only through its soft mask: dropping the mask would
    # give a black page.
    black = np.zeros((H, W, 3), np.uint8)
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
    r, path = _render(
        tmp_path,
        b.flate(black.tobytes()),
        Filter="/FlateDecode",
        ColorSpace="/DeviceRGB",
        BitsPerComponent=8,
        SMask=smask,
    )
    assert r.origin == AS_STORED
    b.check_pattern(r.image, grey=True)
    _agrees_with_poppler(r.image, path)


def test_one_bit_with_decode_1_0(tmp_path):
    ones_are_ink = np.packbits(b.dark(b.pattern(grey=False)), axis=1)
    r, path = _render(
        tmp_path,
        b.flate(ones_are_ink.tobytes()),
        Filter="/FlateDecode",
        ColorSpace="/DeviceGray",
        BitsPerComponent=1,
        Decode=[1, 0],
    )
    assert r.origin == AS_STORED
    b.check_pattern(r.image)
    _agrees_with_poppler(r.image, path)


@pytest.mark.parametrize("decode", [None, [1, 0]])
def test_image_mask(tmp_path, decode):
    # By default 0 samples are painted (with the black fill); /Decode [1 0] paints the 1s.
    ink = b.dark(b.pattern(grey=False))
    samples = ink if decode else ~ink
    extra = {"Decode": decode} if decode else {}
    r, path = _render(
        tmp_path,
        b.flate(np.packbits(samples, axis=1).tobytes()),
        Filter="/FlateDecode",
        ImageMask=True,
        **extra,
    )
    assert r.origin == AS_STORED
    b.check_pattern(r.image)
    _agrees_with_poppler(r.image, path)


def _agrees_with_poppler(image: Image.Image, path: Path) -> None:
    """Assert the as-stored image matches what poppler shows for the page."""
    from pdf2image import convert_from_path

    (shown,) = convert_from_path(str(path), size=image.size, grayscale=True)
    diff = np.abs(np.asarray(image.convert("L"), float) - np.asarray(shown, float))
    assert float(diff.mean()) < 12, float(diff.mean())


def test_damaged_stream_is_rendered_by_poppler_not_failed(tmp_path):
    # Half the Flate data: pikepdf refuses the short buffer; poppler draws what survives.
    data = b.flate(np.asarray(b.pattern()).tobytes())
    r, _ = _render(
        tmp_path,
        data[: len(data) // 2],
        Filter="/FlateDecode",
        ColorSpace="/DeviceGray",
        BitsPerComponent=8,
    )
    assert (r.origin, r.notes) == (RENDERED_FALLBACK, ("rendered_fallback:decode_failed",))
    assert r.image.size == (W, H) and r.dpi == DPI
    top = np.asarray(r.image)[b.RECT[1] + 6 : b.RECT[3] - 6, b.RECT[0] + 6 : b.RECT[2] - 6]
    assert top.mean() < 40  # the rectangle near the top survived
