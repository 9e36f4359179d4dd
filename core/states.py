"""The states of files, page stages and documents, and the flags a page can carry.

Each is a ``StrEnum``: members compare equal to the strings stored in the database and the
export, so rows written before these enums existed read back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class FileStatus(StrEnum):
    """Where a received file stands."""

    STORED = "stored"  # bytes stored, not yet inspected
    READY = "ready"  # inspected; its pages are registered
    FAILED = "failed"  # bad input; the reason is on the row
    DUPLICATE = "duplicate"  # the same bytes were processed before
    EXPANDED = "expanded"  # a ZIP whose entries became files of their own
    SKIPPED = "skipped"  # not a scan (hidden file, system metadata): recorded, not processed


class StageStatus(StrEnum):
    """The state of one stage on one page (``page_stage``)."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"


class Stage(StrEnum):
    """Page stages, in order; documents are assembled once every page of a batch settles."""

    OCR = "ocr"


class DocumentStatus(StrEnum):
    """The life of a document record."""

    PENDING = "pending"
    EXTRACTED = "extracted"  # fields read by the machine, waiting for review
    REVIEWED = "reviewed"  # accepted by a person
    MERGED = "merged"  # emptied into the document before it by a reviewer
    STORE_ONLY = "store_only"  # TUYỆT MẬT under the store_only policy: no text kept
    FAILED = "failed"


# What people read for each state (CLI tables, web pages): one word list for every screen.
STATE_VI = {
    "stored": "đã lưu",
    "ready": "sẵn sàng",
    "failed": "lỗi",
    "duplicate": "trùng lặp",
    "expanded": "đã giải nén",
    "pending": "đang chờ",
    "running": "đang chạy",
    "done": "xong",
    "skipped": "bỏ qua",
    "extracted": "đã trích xuất",
    "reviewed": "đã rà soát",
    "merged": "đã gộp",
    "store_only": "chỉ lưu bản gốc (TUYỆT MẬT)",
    "needs_review": "cần rà soát",
}
STAGE_VI = {"ocr": "Nhận dạng (OCR)"}

# Documents that count toward review work: everything not accepted, merged away or purged.
NOT_TO_REVIEW = frozenset(
    {DocumentStatus.REVIEWED, DocumentStatus.MERGED, DocumentStatus.STORE_ONLY}
)


class PageFlag(StrEnum):
    """Flags the OCR stage and the policies put on a page (some carry ``:<detail>``)."""

    LOW_QUALITY = "low_quality"  # the quality gate failed; reasons follow as flags
    NO_TEXT = "no_text"
    LOW_CONFIDENCE = "low_confidence"  # low_confidence:<mean>
    INVALID_SYLLABLES = "invalid_syllables"  # invalid_syllables:<share>
    ORIENTATION_OSD = "orientation_osd"
    ORIENTATION_UNSURE = "orientation_unsure"
    TURNED_AFTER_READING = "turned_after_reading"  # read as garbage, then right way up
    SKEW_METHODS_DISAGREE = "skew_methods_disagree"
    SKEW_UNCONFIRMED = "skew_unconfirmed"
    SKEW_OUT_OF_RANGE = "skew_out_of_range"
    BLANK_PAGE = "blank_page"
    CLEANED_BACKGROUND = "cleaned_background"
    CLEANED_BORDER = "cleaned_border"
    CLEANED_SPECKLE = "cleaned_speckle"
    CLEANED_STREAKS = "cleaned_streaks"  # dirty-drum streaks: grey specks lifted to paper
    CLEANED_SPECKS = "cleaned_specks"  # dense toner noise erased for recognition only
    READ_THROUGH_GRAIN = "read_through_grain"  # read nothing; photocopy grain smoothed away
    POSTCORRECTED = "postcorrected"  # postcorrected:<words changed>
    RECOVERED_LINES = "recovered_lines"  # recovered_lines:<lines the page's OCR dropped>
    POSTCORRECT_UNAVAILABLE = "postcorrect_unavailable"
    TOP_SECRET_PURGED = "top_secret_purged"

    def with_detail(self, detail: object) -> str:
        """Return the flag with a detail after a colon (``low_confidence:62``)."""
        return f"{self.value}:{detail}"


# A page needs a reviewer's eye when recognition or straightening was unsure.
LOW_QUALITY_FLAGS = frozenset(
    {
        PageFlag.LOW_QUALITY,
        PageFlag.ORIENTATION_UNSURE,
        PageFlag.TURNED_AFTER_READING,
        PageFlag.SKEW_METHODS_DISAGREE,
        PageFlag.SKEW_UNCONFIRMED,
        PageFlag.SKEW_OUT_OF_RANGE,
    }
)


def flag_names(flags: Iterable[str] | None) -> set[str]:
    """Return the flags without their details (``low_confidence:62`` → ``low_confidence``)."""
    return {str(f).split(":", 1)[0] for f in flags or ()}


def is_low_quality(flags: Iterable[str] | None) -> bool:
    """Return whether a page's flags mark it low quality."""
    return bool(flag_names(flags) & LOW_QUALITY_FLAGS)
