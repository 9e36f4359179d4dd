"""Patterns of Vietnamese Party and State documents, matched on folded upper-case text.

Matching runs on ``fold(text).upper()`` so OCR diacritic errors (``ĐÁNG`` for ``ĐẢNG``) do not
hide a header; values are then cut from the original NFC text at the same offsets, which is
safe because folding keeps one character per character.
"""

from __future__ import annotations

import re

PARTY_HEADER = re.compile(r"DANG\s+CONG\s+SAN\s+VIET\s+NAM")
STATE_HEADER = re.compile(r"CONG\s+HOA\s+XA\s+HOI\s+CHU\s+NGHIA\s+VIET\s+NAM")
PROFILE_TITLE = re.compile(
    r"^\s*(SO\s+YEU\s+LY\s+LICH|PHIEU\s+DANG\s+VIEN|LY\s+LICH\s+DANG\s+VIEN|"
    r"LY\s+LICH\s+CUA\s+NGUOI\s+XIN\s+VAO\s+DANG)\b", re.MULTILINE)
# "Số 14-KH/BTCTU" (Party, no colon) or "Số: 1234/QĐ-UBND" (State). Not anchored at the
# line end: Tesseract often reads the two header columns across into one line.
NUMBER_LINE = re.compile(
    r"(?:^|\s)SO\s*:?\s*(?P<num>\d{1,6})\s?(?P<sym>[-/]\s?[A-Z0-9](?:[A-Z0-9\-/.]|\s?[-/]\s?)*)",
    re.MULTILINE)
DATE_WORDS = re.compile(
    r"NGAY\s+(?P<d>\d{1,2})\s+THANG\s+(?P<m>\d{1,2})\s+NAM\s+(?P<y>(?:19|20)\d\d)")
SECRECY = re.compile(r"^\s*(TUYET\s+MAT|TOI\s+MAT|MAT)\s*$", re.MULTILINE)
DOC_TYPES = (
    "NGHI QUYET", "QUYET DINH", "QUY DINH", "CHI THI", "KET LUAN", "THONG BAO",
    "HUONG DAN", "KE HOACH", "BAO CAO", "TO TRINH", "CHUONG TRINH", "QUY CHE", "DE AN",
    "PHUONG AN", "BIEN BAN", "THONG TRI", "CONG VAN", "GIAY MOI", "GIAY GIOI THIEU",
    "THONG CAO", "HOP DONG", "DU AN", "CONG DIEN",
)
DOC_TYPE_LINE = re.compile(r"^\s*(" + "|".join(DOC_TYPES) + r")\s*$", re.MULTILINE)
