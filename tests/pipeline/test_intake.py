"""Bad input fails alone, duplicates are recognised, nothing a clerk sent goes unrecorded."""

import io
import zipfile

from sqlalchemy import func, select

from core.db import Page, PageStage, SourceFile
from pipeline.intake import get_or_create_batch, register_paths
from tests.conftest import image_pdf, text_page


def _files(tmp_path):
    good = image_pdf([text_page(["Số 14-KH/BTCTU"]), text_page(["Trang hai"])])
    d = tmp_path / "in"
    d.mkdir()
    (d / "p1.pdf").write_bytes(good)
    (d / "p2_empty.pdf").write_bytes(b"")
    (d / "p3_truncated.pdf").write_bytes(good[: len(good) // 3])
    (d / "p4_docx.pdf").write_bytes(_docx())
    (d / "p10.png").write_bytes(_png())
    (d / "ghi_chu.json").write_text("{}")
    return d


def _png():
    buf = io.BytesIO()
    text_page(["Ảnh một trang"]).save(buf, format="PNG")
    return buf.getvalue()


def _docx():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def test_each_bad_file_fails_alone_and_the_rest_goes_on(ctx, tmp_path):
    d = _files(tmp_path)
    batch = get_or_create_batch(ctx, "lo1")
    report = register_paths(ctx, batch, [d])
    assert report.files == 5 and report.pages == 3
    assert {name: code for name, code, _ in report.failed} == {
        "p2_empty.pdf": "empty_file",
        "p3_truncated.pdf": "pdf_corrupt",
        "p4_docx.pdf": "unsupported_type",
    }
    assert [p.rsplit("/", 1)[-1] for p in report.skipped] == ["ghi_chu.json"]
    with ctx.session() as s:
        files = {f.original_name: f for f in s.scalars(select(SourceFile))}
        # Every file, even the broken ones, was stored before being judged.
        for f in files.values():
            assert f.sha256 and ctx.storage.original_path(f.sha256).exists()
        assert files["p1.pdf"].status == "ready" and files["p1.pdf"].page_count == 2
        assert files["p10.png"].status == "ready"
        assert all(f.error for f in files.values() if f.status == "failed")
        assert s.scalar(select(func.count(PageStage.id))) == 3


def test_same_bytes_again_are_a_duplicate_not_reprocessed(ctx, tmp_path):
    d = _files(tmp_path)
    b1 = get_or_create_batch(ctx, "lo1")
    register_paths(ctx, b1, [d / "p1.pdf"])
    copy = tmp_path / "ban_sao.pdf"
    copy.write_bytes((d / "p1.pdf").read_bytes())
    b2 = get_or_create_batch(ctx, "lo2")
    report = register_paths(ctx, b2, [copy])
    assert report.pages == 0 and len(report.duplicates) == 1
    with ctx.session() as s:
        assert s.scalar(select(func.count(Page.id))) == 2
        dup = s.scalar(select(SourceFile).where(SourceFile.original_name == "ban_sao.pdf"))
        assert dup.status == "duplicate" and dup.duplicate_of_id is not None


def test_file_vanishing_before_read_is_recorded(ctx, tmp_path):
    batch = get_or_create_batch(ctx, "lo1")
    report = register_paths(ctx, batch, [tmp_path / "da_xoa.pdf"])
    assert [c for _, c, _ in report.failed] == ["file_vanished"]


def test_zip_entries_become_files_and_unsafe_ones_fail_alone(ctx, tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("vol/p10.png", _png())
        zf.writestr("vol/p2.png", _png() + b"\0")  # different bytes
        zf.writestr("../thoat.png", _png())
    z = tmp_path / "quyen1.zip"
    z.write_bytes(buf.getvalue())
    batch = get_or_create_batch(ctx, "lo1")
    report = register_paths(ctx, batch, [z])
    assert report.pages == 2
    # The unsafe entry is recorded under a sanitised name, never the traversal path.
    assert [(n, c) for n, c, _ in report.failed] == [("quyen1.zip/_/thoat.png", "zip_unsafe_path")]
    with ctx.session() as s:
        names = [f.original_name for f in s.scalars(select(SourceFile).order_by(SourceFile.id))]
    assert names[0] == "quyen1.zip"
    assert names.index("quyen1.zip/vol/p2.png") < names.index("quyen1.zip/vol/p10.png")


def test_nested_zip_bomb_depth_is_limited(ctx, tmp_path):
    inner = _png()
    for _ in range(3):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("inner.zip" if inner[:2] == b"PK" else "p.png", inner)
        inner = buf.getvalue()
    z = tmp_path / "nested.zip"
    z.write_bytes(inner)
    report = register_paths(ctx, get_or_create_batch(ctx, "lo1"), [z])
    assert [c for _, c, _ in report.failed] == ["zip_bomb"]


def test_bytes_that_failed_before_are_taken_again_not_called_duplicates(ctx, tmp_path):
    scan = tmp_path / "to.png"
    text_page(["Ảnh lớn gửi lại"], size=(1200, 900)).save(scan)  # 1.08 megapixels
    ctx.settings.ingest.max_image_megapixels = 0.5  # a limit set too low, later raised
    first = register_paths(ctx, get_or_create_batch(ctx, "lo1"), [scan])
    assert [c for _, c, _ in first.failed] == ["image_too_large"]
    ctx.settings.ingest.max_image_megapixels = 120
    again = register_paths(ctx, get_or_create_batch(ctx, "lo2"), [scan])
    assert again.pages == 1 and not again.duplicates and not again.failed
    with ctx.session() as s:
        rows = list(s.scalars(select(SourceFile).order_by(SourceFile.id)))
    # A new attempt on a new row; the failure stays on the first row for its batch to show.
    assert [(f.batch_id, f.status, f.error_code) for f in rows] == [
        (1, "failed", "image_too_large"),
        (2, "ready", None),
    ]
    assert again.retried == [("to.png", rows[0].id, "image_too_large")]
    # Bytes processed successfully are a duplicate of that success, not of the failure.
    third = register_paths(ctx, get_or_create_batch(ctx, "lo3"), [scan])
    assert third.duplicates == [("to.png", rows[1].id)] and third.pages == 0


def test_bytes_whose_intake_was_cut_short_are_taken_again(ctx, tmp_path):
    scan = tmp_path / "p.png"
    scan.write_bytes(_png())
    blob = ctx.storage.store_stream([scan.read_bytes()])
    with ctx.session() as s:  # what a killed ingest leaves: bytes stored, never inspected
        s.add(
            SourceFile(
                batch_id=get_or_create_batch(ctx, "lo1"),
                original_name="p.png",
                sha256=blob.sha256,
                size=blob.size,
            )
        )
    report = register_paths(ctx, get_or_create_batch(ctx, "lo2"), [scan])
    assert report.pages == 1 and not report.duplicates
