"""Making stored text safe to write into a report cell (XLSX, CSV, PDF).

Names typed at the command line (batch, collection, department, uploader, file names) may
hold control characters from before input was checked. Old rows are kept as they are: the
writers clean each value on the way out instead, so a report never fails on them.
"""

from __future__ import annotations

import re
from typing import Any

# C0/C1 controls except tab and newline (carriage return is folded into newline), DEL, and
# the bidi overrides that could reorder what a reader sees (as api.security refuses on input).
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
REPLACEMENT = "\ufffd"  # shown as "�": the reader sees that something was there
# A text cell starting with one of these is read as a formula by Excel and LibreOffice.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def printable(text: str) -> str:
    """Return ``text`` with control and bidi-override characters replaced by ``�``."""
    return _UNSAFE.sub(REPLACEMENT, text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_value(value: Any) -> Any:
    """Clean a cell value: text through :func:`printable`, anything else unchanged."""
    return printable(value) if isinstance(value, str) else value


def inert_csv_text(text: str) -> str:
    """Return CSV text that a spreadsheet opening the file will not run as a formula."""
    text = printable(text)
    return "'" + text if text.startswith(FORMULA_START) else text
