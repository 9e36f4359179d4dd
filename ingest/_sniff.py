"""File type from magic bytes, never from the file name."""

from __future__ import annotations

import zipfile
from pathlib import Path

from core.models import JPEG, PDF, PNG, TIFF, ZIP
from ingest import errors as _errors

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"PK\x03\x04", ZIP),
    (b"PK\x05\x06", ZIP),  # empty archive
)
# Recognised but refused, so the clerk is told what the file really is.
_KNOWN_OTHER: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0", "Microsoft Office 97-2003 (doc/xls)"),
    (b"GIF8", "GIF"),
    (b"BM", "BMP"),
    (b"RIFF", "RIFF (WebP/AVI/WAV)"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7-Zip"),
    (b"{\\rtf", "RTF"),
    (b"II\xbc", "JPEG XR"),
    (b"\x00\x00\x00\x0cjP", "JPEG 2000"),
)


def detect_type(head: bytes) -> str:
    """Return ``pdf``, ``tiff``, ``jpeg``, ``png`` or ``zip`` for the first bytes of a file.

    Raises:
        InputError: empty or unsupported content.
    """
    if not head:
        raise _errors.empty_file()
    # PDF readers accept a header within the first KiB (some scanners prepend junk).
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return PDF
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    for magic, name in _KNOWN_OTHER:
        if head.startswith(magic):
            raise _errors.unsupported(name)
    if head.lstrip()[:1] in (b"<",):
        raise _errors.unsupported("HTML/XML")
    try:
        head[:512].decode("utf-8")
    except UnicodeDecodeError:
        raise _errors.unsupported("dữ liệu nhị phân không rõ") from None
    raise _errors.unsupported("văn bản thuần (text)")


def sniff_file(path: Path) -> str:
    """Detect the type of a stored file; refuses office documents hiding in ZIP containers.

    Raises:
        InputError: empty, unsupported, or an office document.
    """
    with path.open("rb") as fh:
        head = fh.read(2048)
    kind = detect_type(head)
    if kind == ZIP:
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist()[:50])
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            raise _errors.zip_corrupt(str(e)) from e
        if "[Content_Types].xml" in names:
            office = "Word (.docx)" if any(n.startswith("word/") for n in names) else "Office OOXML"
            raise _errors.office_document(office)
        if "mimetype" in names and any(n == "content.xml" for n in names):
            raise _errors.office_document("OpenDocument")
    return kind
