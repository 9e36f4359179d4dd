"""Hostile inputs: active PDF content, polyglots, hand-crafted broken image headers, unsafe
names, oversized files. Each is flagged or fails alone; the rest of the batch goes through."""

from __future__ import annotations

import io
import struct
import time
import zipfile

import pikepdf
import pytest
from PIL import Image
from sqlalchemy import select

from core.context import open_context
from core.db import SourceFile
from core.errors import InputError
from core.settings import IngestSettings
from ingest import detect_type, inspect_source
from ingest._hazards import check_tiff_structure, pdf_hazards, safe_display_name
from pipeline.intake import get_or_create_batch, register_paths
from tests.conftest import image_pdf, text_page, text_pdf

CFG = IngestSettings()
SHA = "0" * 64


def _small_pdf() -> bytes:
    return image_pdf([text_page(["Trang một"], size=(300, 200), font_px=20)])


def _with(mutate) -> bytes:
    pdf = pikepdf.open(io.BytesIO(_small_pdf()))
    mutate(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _js(pdf):
    pdf.Root.OpenAction = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')"))
    )


def _names_js(pdf):
    action = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("1"))
    )
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), action]))
    )


def _launch(pdf):
    annot = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[0, 0, 10, 10],
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")),
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annot)]))


def _page_aa(pdf):
    pdf.pages[0].obj.AA = pikepdf.Dictionary(
        O=pikepdf.Dictionary(S=pikepdf.Name.SubmitForm, F=pikepdf.String("http://x"))
    )


def _embedded(pdf):
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00")


def _xfa(pdf):
    pdf.Root.AcroForm = pikepdf.Dictionary(
        Fields=pikepdf.Array(), XFA=pdf.make_stream(b"<xdp:xdp/>")
    )


PDF_CASES = [
    (_js, {"pdf_javascript", "pdf_auto_action"}),
    (_names_js, {"pdf_javascript"}),
    (_launch, {"pdf_launch"}),
    (_page_aa, {"pdf_auto_action", "pdf_external_action"}),
    (_embedded, {"pdf_embedded_files"}),
    (_xfa, {"pdf_xfa"}),
]


@pytest.mark.parametrize(("mutate", "expected"), PDF_CASES)
def test_active_pdf_content_is_flagged_and_the_file_still_read(tmp_path, mutate, expected):
    p = tmp_path / "a.pdf"
    p.write_bytes(_with(mutate))
    info = inspect_source(p, "pdf", SHA, CFG)
    assert info.page_count == 1
    assert set(info.warnings) == expected


def test_ordinary_pdfs_raise_no_warning(tmp_path):
    for name, data in (("scan.pdf", _small_pdf()), ("text.pdf", text_pdf("Hello\nWorld"))):
        p = tmp_path / name
        p.write_bytes(data)
        assert inspect_source(p, "pdf", SHA, CFG).warnings == ()
        with pikepdf.open(p) as pdf:
            pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])
            assert pdf_hazards(pdf) == []  # "open at page 1" is not an action


def _jpeg(size=(32, 32)) -> bytes:
    buf = io.BytesIO()
    Image.new("L", size, 128).save(buf, format="JPEG")
    return buf.getvalue()


def _png(size=(32, 32)) -> bytes:
    buf = io.BytesIO()
    Image.new("L", size, 128).save(buf, format="PNG")
    return buf.getvalue()


def _noisy_png() -> bytes:
    buf = io.BytesIO()
    Image.effect_noise((64, 64), 64).save(buf, format="PNG")  # > 1 KiB: no header in reach
    return buf.getvalue()


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("payload.js", "alert(1)")
    return buf.getvalue()


def _jpeg_with_pdf_in_comment() -> bytes:
    pdf, jpg = _small_pdf(), _jpeg()
    return jpg[:2] + b"\xff\xfe" + struct.pack(">H", len(pdf) + 2) + pdf + jpg[2:]


POLYGLOTS = [
    (_jpeg() + _zip(), "jpeg", "zip"),
    (_small_pdf() + _zip(), "pdf", "zip"),
    (_noisy_png() + _small_pdf(), "png", "pdf"),
    (_jpeg_with_pdf_in_comment(), "pdf", "jpeg"),  # sniffed as PDF, also a valid JPEG
]


@pytest.mark.parametrize(("data", "kind", "second"), POLYGLOTS)
def test_polyglots_are_flagged(tmp_path, data, kind, second):
    p = tmp_path / "poly"
    p.write_bytes(data)
    assert detect_type(data[:2048]) == kind
    info = inspect_source(p, kind, SHA, CFG)
    assert f"polyglot:{second}" in info.warnings


def _tiff(w=32, h=32, *, next_ifd=0, count=None, ifd_at=8, cut=None, pixels=True) -> bytes:
    entries = [
        (256, 4, w),
        (257, 4, h),
        (258, 3, 8),
        (259, 3, 1),
        (262, 3, 1),
        (273, 4, 0),
        (277, 3, 1),
        (278, 4, h),
        (279, 4, w * h % (1 << 32)),
    ]
    ifd = struct.pack("<H", len(entries) if count is None else count)
    for tag, typ, val in entries:
        ifd += (
            struct.pack("<HHIHH", tag, typ, 1, val, 0)
            if typ == 3
            else struct.pack("<HHII", tag, typ, 1, val)
        )
    data = b"II*\x00" + struct.pack("<I", ifd_at) + ifd + struct.pack("<I", next_ifd)
    data = data.replace(
        struct.pack("<HHII", 273, 4, 1, 0), struct.pack("<HHII", 273, 4, 1, len(data))
    )
    data += b"\x80" * (w * h if pixels and w * h < 1 << 16 else 0)
    return data[:cut] if cut else data


def _jpeg_sof(w=None, h=None, length=None) -> bytes:
    d = bytearray(_jpeg())
    i = d.find(b"\xff\xc0")
    if h is not None:
        struct.pack_into(">H", d, i + 5, h)
    if w is not None:
        struct.pack_into(">H", d, i + 7, w)
    if length is not None:
        struct.pack_into(">H", d, i + 2, length)
    return bytes(d)


def _png_ihdr(w, h) -> bytes:
    import zlib

    d = bytearray(_png())
    struct.pack_into(">II", d, 16, w, h)
    struct.pack_into(">I", d, 29, zlib.crc32(bytes(d[12:29])))
    return bytes(d)


MALFORMED = [
    (_tiff(cut=30), "tiff", "image_corrupt"),  # IFD cut short
    (_tiff(count=65535), "tiff", "image_corrupt"),  # IFD claims more entries than exist
    (_tiff(ifd_at=10**6, pixels=False), "tiff", "image_corrupt"),  # IFD beyond the end
    (_tiff(next_ifd=8), "tiff", "image_corrupt"),  # IFD chain loops on itself
    (_tiff(0, 32), "tiff", "image_corrupt"),  # zero-width frame
    (_tiff(2**31 - 1, 2**31 - 1, pixels=False), "tiff", "image_too_large"),
    (b"II*\x00\x08", "tiff", "image_corrupt"),  # header only
    (_jpeg_sof(w=0), "jpeg", "image_corrupt"),
    (_jpeg_sof(h=0), "jpeg", "image_corrupt"),  # height "defined later" (DNL): refused
    (_jpeg_sof(length=3), "jpeg", "image_corrupt"),  # SOF segment too short
    (_jpeg_sof(65535, 65535), "jpeg", "image_too_large"),
    (b"\xff\xd8\xff\xe0", "jpeg", "image_corrupt"),
    (_png_ihdr(0, 32), "png", "image_corrupt"),
    (_png_ihdr(2**31 - 1, 2**31 - 1), "png", "image_too_large"),
]


@pytest.mark.parametrize(("data", "kind", "code"), MALFORMED)
def test_malformed_image_headers_fail_cleanly_and_fast(tmp_path, data, kind, code):
    p = tmp_path / "bad"
    p.write_bytes(data)
    t0 = time.monotonic()
    with pytest.raises(InputError) as e:
        inspect_source(p, kind, SHA, CFG)
    assert e.value.code == code and e.value.message_vi
    assert time.monotonic() - t0 < 2


def test_well_formed_tiff_passes_and_frame_count_is_bounded(tmp_path):
    p = tmp_path / "ok.tif"
    p.write_bytes(_tiff())
    assert inspect_source(p, "tiff", SHA, CFG).page_count == 1
    # A chain of many frames: counted without Pillow, refused past the page limit.
    frames = 6
    body = bytearray(b"II*\x00" + struct.pack("<I", 8))
    for i in range(frames):
        at = len(body)
        nxt = at + 2 + 2 * 12 + 4 if i < frames - 1 else 0
        body += struct.pack("<H", 2) + struct.pack("<HHII", 256, 4, 1, 32)
        body += struct.pack("<HHII", 257, 4, 1, 32) + struct.pack("<I", nxt)
    p.write_bytes(bytes(body))
    assert check_tiff_structure(p, max_frames=10, max_megapixels=1) == frames
    with pytest.raises(InputError) as e:
        check_tiff_structure(p, max_frames=5, max_megapixels=1)
    assert e.value.code == "image_too_large"


def test_damaged_tiff_metadata_is_a_warning_not_a_failure(tmp_path):
    data = _tiff()
    at = data.find(struct.pack("<HHII", 279, 4, 1, 32 * 32))
    # A tag whose value points a megabyte past the end of the file.
    entry = struct.pack("<HHII", 305, 2, 100, 10**6)
    count = struct.unpack("<H", data[8:10])[0] + 1
    data = data[:8] + struct.pack("<H", count) + data[10 : at + 12] + entry + data[at + 12 :]
    strip = data.find(struct.pack("<HH", 273, 4))
    data = data[: strip + 8] + struct.pack("<I", data.find(b"\x80" * 16)) + data[strip + 12 :]
    p = tmp_path / "meta.tif"
    p.write_bytes(data)
    info = inspect_source(p, "tiff", SHA, CFG)
    assert info.page_count == 1 and info.warnings == ("image_metadata_corrupt",)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("quyen1/p1.pdf", "quyen1/p1.pdf"),
        ("../../etc/passwd", "_/_/etc/passwd"),
        ("/abs/x.pdf", "abs/x.pdf"),
        ("C:\\scans\\a.pdf", "scans/a.pdf"),
        ("bad\nname\x00.pdf", "bad_name_.pdf"),
        ("hóa_đơn\u202efdp.exe", "hóa_đơnfdp.exe"),  # right-to-left override spoofing
        ("hoa\u0300.pdf", "hoà.pdf"),  # NFC
        ("a.zip/./b//c.pdf", "a.zip/b/c.pdf"),
        ("", "_"),
    ],
)
def test_safe_display_name(raw, shown):
    assert safe_display_name(raw) == shown


def test_overlong_names_are_shortened_keeping_the_extension():
    name = safe_display_name("x" * 5000 + ".pdf")
    assert len(name) <= 200 and name.endswith("….pdf")
    deep = safe_display_name("/".join(["thư mục"] * 400) + "/a.pdf")
    assert len(deep) <= 900


def test_hostile_files_fail_alone_and_the_batch_goes_on(tmp_path, settings):
    """Every hostile case above, plus an oversized file and a hostile name, in one folder."""
    settings = settings.model_copy(update={"ingest": IngestSettings(max_file_mb=1)})
    ctx = open_context(settings)
    d = tmp_path / "in"
    d.mkdir()
    (d / "a00_good.pdf").write_bytes(_small_pdf())
    expected_failed, expected_ready = {}, {"a00", "z99"}
    for i, (data, _kind, code) in enumerate(MALFORMED):
        (d / f"m{i:02d}.img").write_bytes(data)
        expected_failed[f"m{i:02d}"] = code
    for i, (mutate, _warn) in enumerate(PDF_CASES):
        (d / f"p{i:02d}.pdf").write_bytes(_with(mutate))
        expected_ready.add(f"p{i:02d}")
    for i, (data, _kind, _second) in enumerate(POLYGLOTS):
        (d / f"g{i:02d}.bin").write_bytes(data)
        expected_ready.add(f"g{i:02d}")
    (d / "h00_huge.tif").write_bytes(b"II*\x00" + b"\x00" * (2 << 20))
    expected_failed["h00"] = "file_too_large"
    (d / "n00 tên\nxấu\x1b[31m.png").write_bytes(_png((64, 64)))
    expected_ready.add("n00")
    (d / "z99_good.png").write_bytes(_png((80, 64)))
    report = register_paths(ctx, get_or_create_batch(ctx, "hostile"), [d])
    assert report.files == len(expected_failed) + len(expected_ready)
    assert {n[:3]: code for n, code, _ in report.failed} == expected_failed
    with ctx.session() as s:
        ready = {
            f.original_name[:3]
            for f in s.scalars(select(SourceFile).where(SourceFile.status == "ready"))
        }
        names = [f.original_name for f in s.scalars(select(SourceFile))]
    assert ready == expected_ready and not report.duplicates
    hostile = next(n for n in names if n.startswith("n00"))
    assert safe_display_name(hostile) == "n00 tên_xấu_[31m.png"
    ctx.engine.dispose()
