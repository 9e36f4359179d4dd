"""TUYỆT MẬT found by OCR under store_only: text, word boxes, fields and PDF are purged."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from audit import trail as audit
from core.db import Batch, Document, Page, PageStage, SourceFile
from core.db_audit import AuditEntry
from core.search_types import SearchQuery
from core.states import DocumentStatus, PageFlag
from pipeline import indexing
from pipeline.intake import get_or_create_batch, register_paths
from pipeline.runner import finish_batch, run_batch
from pipeline.steps import PageResult, save_page_result
from pipeline.topsecret import MESSAGE_VI
from tests.conftest import image_pdf, text_page

SECRET = [
    "ĐẢNG BỘ TỈNH LÂM ĐỒNG",
    "TỈNH ỦY",
    "*",
    "Số 12-QĐ/TU",
    "TUYỆT MẬT",
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "Lâm Đồng, ngày 5 tháng 3 năm 2015",
    "QUYẾT ĐỊNH",
    "về phương án bảo vệ kho lưu trữ Hoàng Liên",
]
PLAIN = [
    "ĐẢNG BỘ TỈNH LÂM ĐỒNG",
    "TỈNH ỦY",
    "*",
    "Số 13-TB/TU",
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "Lâm Đồng, ngày 6 tháng 3 năm 2015",
    "THÔNG BÁO",
    "về lịch họp giao ban tháng ba",
]


def _register(ctx, tmp_path, *pages: list[str]) -> int:
    folder = tmp_path / "quet"
    folder.mkdir()
    for i, lines in enumerate(pages, start=1):
        (folder / f"p{i}.pdf").write_bytes(image_pdf([text_page(lines, font_px=30)]))
    batch = get_or_create_batch(ctx, "lo-quet")  # declared ordinary: OCR runs
    assert register_paths(ctx, batch, sorted(folder.iterdir())).pages == len(pages)
    return batch


def _fake_ocr(ctx, batch: int, texts: list[list[str]]) -> None:
    """Save what a worker returns: text, review image and word boxes, per page."""
    with ctx.session() as s:
        rows = s.execute(
            select(Page, PageStage)
            .join(PageStage, PageStage.page_id == Page.id)
            .join(SourceFile, SourceFile.id == Page.source_file_id)
            .where(Page.batch_id == batch)
            .order_by(SourceFile.order_key)
        ).all()
        for (page, st), lines in zip(rows, texts, strict=True):
            save_page_result(
                page,
                st,
                PageResult(
                    page.id,
                    text="\n".join(lines),
                    mean_confidence=91.0,
                    width=900,
                    height=1200,
                ),
            )
            folder = ctx.storage.page_dir(page.id)
            (folder / "page.jpg").write_bytes(b"\xff\xd8 anh trang")
            words = []
            for n, line in enumerate(lines):  # boxes laid out as text_page draws the lines
                left = 110
                for w in line.split():
                    words.append(
                        {
                            "text": w,
                            "conf": 90.0,
                            "left": left,
                            "top": 120 + 48 * n,
                            "width": 16 * len(w),
                            "height": 30,
                            "block": 1,
                            "par": 1 + n,
                            "line": 1,
                        }
                    )
                    left += 16 * len(w) + 12
            (folder / "words.json").write_text(
                json.dumps(
                    {
                        "width": 900,
                        "height": 1200,
                        "display_scale": 1.0,
                        "rotation": 0,
                        "to_source": [1, 0, 0, 0, 1, 0],
                        "words": words,
                    },
                    ensure_ascii=False,
                ),
                "utf-8",
            )


def _docs(ctx, batch: int) -> list[Document]:
    with ctx.session() as s:
        return list(
            s.scalars(select(Document).where(Document.batch_id == batch).order_by(Document.seq))
        )


def _assert_purged(ctx, doc: Document) -> None:
    with ctx.session() as s:
        d = s.get(Document, doc.id)
        pages = list(d.pages)
        assert d.classification == "tuyet_mat" and d.status == DocumentStatus.STORE_ONLY
        assert d.error == MESSAGE_VI
        assert d.fields == {"secrecy": "TUYỆT MẬT"}
        assert set(d.field_confidence) <= {"secrecy"} and set(d.provenance) <= {"secrecy"}
        for p in pages:
            assert p.text is None and PageFlag.TOP_SECRET_PURGED in p.flags
            folder = ctx.storage.derived / "pages" / str(p.id)
            words = json.loads((folder / "words.json").read_text("utf-8"))
            assert words["words"] == [] and words["width"] > 0  # geometry only
            assert "Hoàng" not in (folder / "words.json").read_text("utf-8")
            assert (folder / "page.jpg").exists()  # the page image stays, as stored
            assert ctx.storage.original_path(p.source_file.sha256).exists()
        entry = s.scalar(
            select(AuditEntry).where(
                AuditEntry.action == audit.TOP_SECRET_PURGED, AuditEntry.object_id == str(doc.id)
            )
        )
        assert entry is not None and entry.actor == audit.SYSTEM
        assert entry.details["pages"] == [p.id for p in pages]
        assert entry.details["mark"] == "TUYỆT MẬT"
        assert entry.details["fields_removed"] and "secrecy" not in entry.details["fields_removed"]
    assert not (ctx.storage.derived / "documents" / str(doc.id)).exists()  # no PDF
    res = indexing.get_backend(ctx).search(SearchQuery("Hoàng Liên", clearance="tuyet_mat"))
    assert res.total == 0
    assert audit.verify(ctx).ok


def test_mark_found_after_fake_ocr_purges_that_document_only(ctx, tmp_path):
    assert ctx.settings.security.top_secret_policy == "store_only"
    batch = _register(ctx, tmp_path, SECRET, PLAIN)
    _fake_ocr(ctx, batch, [SECRET, PLAIN])
    assert finish_batch(ctx, batch) == 2
    secret, plain = _docs(ctx, batch)
    _assert_purged(ctx, secret)
    with ctx.session() as s:  # the ordinary document keeps everything
        d = s.get(Document, plain.id)
        assert d.status == "extracted" and d.fields["symbol"] == "13-TB/TU"
        assert "giao ban" in d.pages[0].text
        assert PageFlag.TOP_SECRET_PURGED not in (d.pages[0].flags or [])
    assert (ctx.storage.derived / "documents" / str(plain.id) / "document.pdf").exists()
    hits = indexing.get_backend(ctx).search(SearchQuery("giao ban", clearance="tuyet_mat"))
    assert [h.id for h in hits.hits] == [plain.id]
    with ctx.session() as s:
        assert s.scalar(select(Batch.classification).where(Batch.id == batch)) == "thuong"
        # Nothing is left to review in a purged document: not queued, not counted as waiting.
        from core.access import Scope
        from progress.counts import batch_progress
        from review.actions import review_queue

        assert [i.id for i in review_queue(s, Scope("tuyet_mat"))] == [plain.id]
        (bp,) = batch_progress(s, [batch])
        assert (bp.documents, bp.documents_needs_review) == (2, 1)


def test_process_policy_keeps_the_text(ctx, tmp_path):
    ctx.settings.security.top_secret_policy = "process"
    batch = _register(ctx, tmp_path, SECRET)
    _fake_ocr(ctx, batch, [SECRET])
    finish_batch(ctx, batch)
    (doc,) = _docs(ctx, batch)
    with ctx.session() as s:
        d = s.get(Document, doc.id)
        assert d.classification == "tuyet_mat" and d.status == "extracted"
        assert "Hoàng Liên" in d.pages[0].text and d.fields["symbol"] == "12-QĐ/TU"
        assert (
            s.scalar(select(AuditEntry).where(AuditEntry.action == audit.TOP_SECRET_PURGED)) is None
        )


@pytest.mark.tesseract
@pytest.mark.slow
def test_mark_found_by_real_tesseract_is_purged(ctx, tmp_path):
    from core.access import Scope
    from core.errors import InputError
    from review.actions import change_classification
    from review.reocr import reocr_document

    batch = _register(ctx, tmp_path, SECRET)
    run_batch(ctx, batch, workers=1)
    (doc,) = _docs(ctx, batch)
    _assert_purged(ctx, doc)
    admin = Scope("tuyet_mat")
    with pytest.raises(InputError) as refused:  # stored only: no OCR while TUYỆT MẬT
        reocr_document(ctx, doc.id, "quantri", admin)
    assert refused.value.code == "reocr_top_secret"
    # An administrator rules the mark wrong (lowering, with a reason); the text comes back
    # from the original, and the mark read again does not overrule the decision.
    change_classification(
        ctx, doc.id, "mat", "quantri", admin, "Dấu in nhầm, xem QĐ 9/2026", is_admin=True
    )
    assert reocr_document(ctx, doc.id, "quantri", admin) == 1
    with ctx.session() as s:
        d = s.get(Document, doc.id)
        assert d.classification == "mat" and d.status == "extracted" and d.error is None
        assert "Hoàng Liên" in d.pages[0].text and PageFlag.TOP_SECRET_PURGED not in (
            d.pages[0].flags or []
        )
        # The secrecy field is the classification the administrator decided, not the read.
        assert d.fields["symbol"] == "12-QĐ/TU" and d.fields["secrecy"] == "MẬT"
        assert s.scalar(
            select(AuditEntry).where(
                AuditEntry.action == audit.DOC_REOCR, AuditEntry.object_id == str(doc.id)
            )
        )
    assert (ctx.storage.derived / "documents" / str(doc.id) / "document.pdf").exists()
    hits = indexing.get_backend(ctx).search(SearchQuery("Hoàng Liên", clearance="mat")).hits
    assert [h.id for h in hits] == [doc.id]
    assert audit.verify(ctx).ok


def test_raising_to_tuyet_mat_later_purges_and_lowering_needs_an_admin_and_reason(
    ctx, tmp_path, capsys, monkeypatch, request
):
    from cli.main import main
    from core.access import Scope
    from core.errors import InputError, PermissionDenied
    from core.settings import get_settings
    from pipeline.topsecret import RAISED_VI
    from review.actions import change_classification

    monkeypatch.setenv("SOHOA_DATA_DIR", str(ctx.settings.data_dir))
    get_settings.cache_clear()
    request.addfinalizer(get_settings.cache_clear)  # later tests read their own settings

    batch = _register(ctx, tmp_path, PLAIN)
    _fake_ocr(ctx, batch, [PLAIN])
    finish_batch(ctx, batch)
    (doc,) = _docs(ctx, batch)
    reviewer = Scope("tuyet_mat")
    assert change_classification(ctx, doc.id, "mat", "rasoat", reviewer) == "thuong"
    with pytest.raises(PermissionDenied):  # a reviewer may raise, never lower
        change_classification(ctx, doc.id, "thuong", "rasoat", reviewer, "nhầm")
    with pytest.raises(InputError):  # an administrator must say why
        change_classification(ctx, doc.id, "thuong", "quantri", reviewer, " ", is_admin=True)
    assert (
        "<mark>giao</mark>"
        in indexing.get_backend(ctx)
        .search(SearchQuery("giao ban", clearance="tuyet_mat"))
        .hits[0]
        .snippets[0]
    )
    # The command line acts as an administrator; raising to TUYỆT MẬT drops the text.
    assert main(["classify", str(doc.id), "tuyet_mat", "--user", "quantri"]) == 0
    assert f"#{doc.id}: MẬT → TUYỆT MẬT" in capsys.readouterr().out
    with ctx.session() as s:
        d = s.get(Document, doc.id)
        assert d.classification == "tuyet_mat" and d.status == DocumentStatus.STORE_ONLY
        assert d.error == RAISED_VI and d.pages[0].text is None
        actions = [
            e.action
            for e in s.scalars(
                select(AuditEntry)
                .where(AuditEntry.object_id == str(doc.id))
                .order_by(AuditEntry.id)
            )
        ]
    assert actions.count(audit.CLASSIFICATION_CHANGED) == 2
    assert actions[-1] == audit.TOP_SECRET_PURGED
    assert (
        indexing.get_backend(ctx).search(SearchQuery("giao ban", clearance="tuyet_mat")).total == 0
    )
    assert main(["classify", str(doc.id), "mat", "--reason", "Giải mật theo QĐ 5/2026"]) == 0
    with ctx.session() as s:
        assert s.get(Document, doc.id).classification == "mat"
    assert main(["reocr", str(doc.id), "--user", "quantri"]) == 0  # the text comes back
    with ctx.session() as s:
        d = s.get(Document, doc.id)
        assert "giao ban" in d.pages[0].text and d.status == "extracted"
    assert audit.verify(ctx).ok


def test_reocr_keeps_what_people_did(ctx, tmp_path):
    from core.access import Scope
    from review.actions import correct_field, correct_page_text
    from review.reocr import reocr_document

    cont = ["- 2 -", "Các đơn vị dự họp giao ban đúng giờ."]
    batch = _register(ctx, tmp_path, PLAIN, cont)
    _fake_ocr(ctx, batch, [PLAIN, cont])
    finish_batch(ctx, batch)
    (doc,) = _docs(ctx, batch)
    scope = Scope("tuyet_mat")
    with ctx.session() as s:
        first, second = sorted(s.get(Document, doc.id).pages, key=lambda p: p.doc_order)
        first_id, second_id = first.id, second.id
    typed = "\n".join(PLAIN) + "\nDòng do người rà soát gõ lại"
    assert correct_page_text(ctx, first_id, typed, "rasoat", scope)
    assert correct_field(ctx, doc.id, "subject", "Trích yếu do người sửa", "rasoat", scope)[0]
    # Only the page nobody typed is read again (real Tesseract on its stored original).
    assert reocr_document(ctx, doc.id, "quantri", scope) == 1
    with ctx.session() as s:
        d = s.get(Document, doc.id)
        pages = {p.id: p for p in d.pages}
        assert pages[first_id].text == typed and pages[first_id].text_source == "manual"
        assert "giao ban" in pages[second_id].text  # read again from its scan
        assert d.fields["subject"] == "Trích yếu do người sửa"
        assert d.field_confidence["subject"] == 1.0
        assert d.fields["symbol"] == "13-TB/TU"  # read again from the texts
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == audit.DOC_REOCR))
        assert entry.details["redone"] == [second_id] and entry.details["kept"] == ["subject"]
