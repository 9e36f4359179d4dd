"""Classification levels of documents and clearance levels of users, in increasing order.

``thuong`` (ordinary) < ``mat`` (MẬT) < ``toi_mat`` (TỐI MẬT) < ``tuyet_mat`` (TUYỆT MẬT).
Codes are ASCII for URLs, settings and the database; labels are what users read.
"""

from __future__ import annotations

LEVELS = ("thuong", "mat", "toi_mat", "tuyet_mat")
LABELS = {"thuong": "Thường", "mat": "MẬT", "toi_mat": "TỐI MẬT", "tuyet_mat": "TUYỆT MẬT"}
_MARKS = {"": "thuong", "MẬT": "mat", "TỐI MẬT": "toi_mat", "TUYỆT MẬT": "tuyet_mat"}


def rank(level: str) -> int:
    """Return the order of a level code (unknown codes rank highest: fail closed)."""
    try:
        return LEVELS.index(level)
    except ValueError:
        return len(LEVELS)


def highest(*levels: str) -> str:
    """Return the most restrictive of the given level codes."""
    return max(levels, key=rank) if levels else "thuong"


def mark_of(level: str) -> str:
    """Return the printed mark of a level code (``""`` for ``thuong``): the ``secrecy`` field."""
    return "" if level == "thuong" else LABELS.get(level, "")


def level_of_mark(mark: str) -> str:
    """Map a printed secrecy mark (``MẬT``, ``TỐI MẬT``, ``TUYỆT MẬT``, ``""``) to its code."""
    return _MARKS.get(mark.strip().upper(), "thuong")


def may_see(clearance: str, classification: str) -> bool:
    """Return whether a user with ``clearance`` may see a document at ``classification``."""
    return rank(classification) <= rank(clearance) < len(LEVELS)


def keeps_text(classification: str, top_secret_policy: str) -> bool:
    """Return whether a document at ``classification`` keeps its recognised text.

    The one statement of the TUYỆT MẬT policy (``security.top_secret_policy``): under
    ``store_only`` (the default) a TUYỆT MẬT document is stored and shown as an image only,
    with no OCR text, no extracted fields beyond its mark, no searchable PDF and no index
    entry; under ``process`` it is treated like every other level.
    """
    return rank(classification) < rank("tuyet_mat") or top_secret_policy == "process"
