"""Making text safe to write into a spreadsheet cell: every CSV and XLSX sohoa writes.

Names typed at the command line (batch, collection, department, uploader, file names), a user
name tried at a failed login, or any field value may hold control characters or start like a
formula. Stored rows are kept as they are: writers clean each value on the way out instead, so
an export never fails on old data and never becomes a spreadsheet formula (OWASP "CSV
injection": a cell starting with ``= + - @``, tab or carriage return gets a leading ``'``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
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
    # Checked before cleaning too: a leading tab or CR is itself a formula trigger.
    quoted = text.startswith(FORMULA_START)
    text = printable(text)
    return "'" + text if quoted or text.startswith(FORMULA_START) else text


def inert_cell(value: Any) -> Any:
    """Return a CSV cell: text made inert (:func:`inert_csv_text`), other values unchanged."""
    return inert_csv_text(value) if isinstance(value, str) else value


class SafeCsvWriter:
    """A ``csv.writer`` whose every text cell goes through :func:`inert_csv_text`.

    The one way sohoa writes CSV (records export, audit export, reports), so no writer can
    forget a column.
    """

    def __init__(self, out: Any) -> None:
        self._w = csv.writer(out)

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row with every text cell made inert."""
        self._w.writerow([inert_cell(v) for v in row])
