"""Making stored text safe to write into a report cell (XLSX, CSV, PDF): see ``core.cells``.

Names typed at the command line may hold control characters from before input was checked.
Old rows are kept as they are: the writers clean each value on the way out instead.
"""

from __future__ import annotations

from core.cells import FORMULA_START, REPLACEMENT, clean_value, inert_csv_text, printable

__all__ = ["FORMULA_START", "REPLACEMENT", "clean_value", "inert_csv_text", "printable"]
