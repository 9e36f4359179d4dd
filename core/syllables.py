"""The Vietnamese syllable list (Debian ``hunspell-vi``), shared by OCR and extraction.

Both stages judge OCR'd syllables against it: OCR post-correction swaps marks, extraction
repairs one misread letter. One loader so both read the same list the same way.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from core.text import normalize_vi

DEFAULT_SYLLABLES = Path("/usr/share/hunspell/vi_VN.dic")


@lru_cache(maxsize=4)
def load_syllables(path: Path = DEFAULT_SYLLABLES) -> frozenset[str] | None:
    """Return the lower-case valid syllables (tone placement normalized); None if missing.

    Entries starting with a capital (proper names) are left out; either tone placement
    counts as valid because both sides are normalized (hoà = hòa).
    """
    if not path.exists():
        return None
    lines = path.read_text(encoding="utf-8").splitlines()[1:]  # first line: the count
    return frozenset(
        normalize_vi(s.split("/")[0]).lower() for s in lines if s and not s[0].isupper()
    )
