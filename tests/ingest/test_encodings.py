"""Every image encoding a scanner or PDF tool writes, through render_page and the PDF embed.

Each PDF case is a one-page PDF written with pikepdf: the raw stream with its /Filter,
/DecodeParms and colour space, holding the known pattern of ``_pdfbuild``. The checks are
about the picture, not just the absence of a crash: size, resolution, a dark rectangle and
text on light paper (polarity), a mid-grey patch (16-bit scaling), colours (CMYK), and which
path the page took: decoded as stored, or rendered by poppler with the reason recorded.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image, ImageCms, TiffImagePlugin

from core.models import PageRef
from core.settings import IngestSettings
from ingest import encoded_page_image, render_page
from ingest._render import AS_STORED, RENDERED_FALLBACK
from ocr import build_searchable_pdf
from tests.ingest import _jbig2enc as jbig2
from tests.ingest import _pdfbuild as b
from tests.ingest._pdfbuild import DPI, H, Sub, W

CFG = IngestSettings()
RED_CMYK = (0, 255, 255, 0)
RED = (255, 0, 0)
PALETTE = bytes([255, 255, 255, 0, 0, 0, 255, 0, 0, 128, 128, 128])  # white black red grey


def _dark(im: Image.Image) -> np.ndarray:
    return np.asarray(im.convert("L")) < 128


def _indices() -> np.ndarray:
    """Palette indices of the colour pattern: 0 paper, 1 ink, 2 red patch, 3 grey patch."""
    rgb = np.asarray(b.pattern("RGB", colour=RED)).astype(int)
    idx = np.zeros(rgb.shape[:2], np.uint8)
    idx[(rgb == 0).all(axis=2)] = 1
    idx[(rgb == (255, 0, 0)).all(axis=2)] = 2
    idx[(rgb == 128).all(axis=2)] = 3
    idx[(rgb.sum(axis=2) < 384) & (idx == 0)] = 1  # antialiased text edges
    return idx


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
    assert np.array_equal(_dark(r.image), _dark(b.pattern(grey=False)))  # bit for bit


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
    assert np.array_equal(_dark(r.image), _dark(b.pattern(grey=False)))


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
    assert np.array_equal(_dark(r.image), _dark(im))


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


def test_devicen_is_rendered_by_poppler_at_the_scan_resolution(tmp_path):
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
    idx = _indices()
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
        b.flate(_indices().tobytes()),
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
    ones_are_ink = np.packbits(_dark(b.pattern(grey=False)), axis=1)
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
    ink = _dark(b.pattern(grey=False))
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


# --- Image files ---------------------------------------------------------------------------


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
    im = Image.fromarray(_indices(), "P")
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


# --- Embedding in the searchable PDF -------------------------------------------------------


def _embedded(enc) -> Image.Image:
    from core.models import SearchablePage

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
    assert np.array_equal(_dark(back), _dark(b.pattern(grey=False)))  # lossless


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
