"""Hostile-input checks: active PDF content, polyglots, malformed TIFF structure, unsafe names.

Nothing here executes or renders anything: PDFs are walked as objects, files are read as
bytes with fixed bounds, so a hostile file costs at most a few reads and never hangs.
"""

from __future__ import annotations

import re
import struct
import unicodedata
import zipfile
from pathlib import Path

import pikepdf

from core.models import JPEG, PDF, PNG, TIFF, ZIP
from core.text import nfc
from ingest import errors as _errors

# Warning codes put in SourceInfo.warnings (the file is still processed; none of this is ever
# executed by sohoa, but a clerk and an auditor should know the file carries it).
PDF_JAVASCRIPT = "pdf_javascript"
PDF_AUTO_ACTION = "pdf_auto_action"  # /OpenAction action or /AA additional actions
PDF_LAUNCH = "pdf_launch"
PDF_EMBEDDED_FILES = "pdf_embedded_files"
PDF_XFA = "pdf_xfa"
PDF_EXTERNAL_ACTION = "pdf_external_action"  # SubmitForm, ImportData, GoToR/GoToE
POLYGLOT = "polyglot"  # "polyglot:<second format>", e.g. polyglot:zip
IMAGE_METADATA_CORRUPT = "image_metadata_corrupt"

MAX_PDF_OBJECTS = 500_000  # beyond this the walk stops; max_file_mb bounds the rest
_EXTERNAL = {"/SubmitForm", "/ImportData", "/GoToR", "/GoToE"}
_LEADING = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"PK\x03\x04", ZIP),
)
# Version digits too, so compressed image data cannot match by chance.
_PDF_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")
_BIDI_AND_CONTROLS = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
MAX_NAME_PART = 200
MAX_NAME = 900


def pdf_hazards(pdf: pikepdf.Pdf, max_objects: int = MAX_PDF_OBJECTS) -> list[str]:
    """Return warning codes for active or hidden content in an open PDF (sorted, unique)."""
    found: set[str] = set()
    root = pdf.Root
    if isinstance(root.get("/OpenAction"), pikepdf.Dictionary):
        found.add(PDF_AUTO_ACTION)  # an array is only "open at page N"
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        if "/JavaScript" in names:
            found.add(PDF_JAVASCRIPT)
        if "/EmbeddedFiles" in names:
            found.add(PDF_EMBEDDED_FILES)
    form = root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary) and "/XFA" in form:
        found.add(PDF_XFA)
    for i, obj in enumerate(pdf.objects):
        if i >= max_objects:
            break
        _visit(obj, found, 0)
    return sorted(found)


def _visit(obj: pikepdf.Object, found: set[str], depth: int) -> None:
    # Direct (inline) dictionaries, e.g. an annotation's /A action, are not objects of their
    # own: descend into them. Indirect children are visited in their own turn.
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        _classify(obj, found)
        children = list(obj.values())
    elif isinstance(obj, pikepdf.Array):
        children = list(obj)[:10_000]
    else:
        return
    if depth >= 12:
        return
    for child in children:
        if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not child.is_indirect:
            _visit(child, found, depth + 1)


def _classify(obj: pikepdf.Object, found: set[str]) -> None:
    keys = set(obj.keys())
    if "/JS" in keys:
        found.add(PDF_JAVASCRIPT)
    if "/AA" in keys:
        found.add(PDF_AUTO_ACTION)
    if "/EF" in keys or "/EmbeddedFile" in {str(obj.get("/Type")), str(obj.get("/Subtype"))}:
        found.add(PDF_EMBEDDED_FILES)
    if str(obj.get("/Subtype")) == "/FileAttachment":
        found.add(PDF_EMBEDDED_FILES)
    if "/XFA" in keys:
        found.add(PDF_XFA)
    action = str(obj.get("/S")) if "/S" in keys else ""
    if action == "/JavaScript":
        found.add(PDF_JAVASCRIPT)
    elif action == "/Launch":
        found.add(PDF_LAUNCH)
    elif action in _EXTERNAL:
        found.add(PDF_EXTERNAL_ACTION)


def polyglot_format(path: Path, kind: str) -> str | None:
    """Return a second format the file is also valid as (``zip``, ``pdf``, ``jpeg``…), or None.

    Sniffing decides by the leading bytes; a reader of another format may still accept the
    same file (ZIP readers look at the end, PDF readers accept a header after junk).
    """
    with path.open("rb") as fh:
        head = fh.read(2048)
    lead = next((k for magic, k in _LEADING if head.startswith(magic)), None)
    if kind == PDF and lead not in (None, PDF):
        return lead  # e.g. a JPEG whose first KiB also holds "%PDF-"
    if kind != ZIP and _ends_with_zip(path):
        return ZIP
    if kind != PDF and _contains(path, _PDF_HEADER, limit=64 << 20):
        return PDF
    return None


def _ends_with_zip(path: Path) -> bool:
    # The end-of-central-directory record only: reading a hostile directory could be huge.
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False


def _contains(path: Path, pattern: re.Pattern[bytes], limit: int) -> bool:
    seen, tail = 0, b""
    with path.open("rb") as fh:
        while seen < limit and (chunk := fh.read(1 << 20)):
            if pattern.search(tail + chunk):
                return True
            tail, seen = chunk[-16:], seen + len(chunk)
    return False


def check_tiff_structure(path: Path, max_frames: int, max_megapixels: float) -> int:
    """Walk a TIFF's IFD chain by hand, before Pillow sees it; return the frame count.

    Raises:
        InputError: ``image_corrupt`` (IFD outside the file, truncated, looping, zero-sized
            frame) or ``image_too_large`` (a frame over the pixel limit, or too many frames).
    """
    size = path.stat().st_size
    with path.open("rb") as fh:
        header = fh.read(8)
        if len(header) < 8:
            raise _errors.image_corrupt("TIFF header truncated")
        end = "<" if header[:2] == b"II" else ">"
        if struct.unpack(end + "H", header[2:4])[0] == 43:
            return 0  # BigTIFF: left to Pillow, which bounds it by the pixel limit
        offset = struct.unpack(end + "I", header[4:8])[0]
        seen: set[int] = set()
        while offset:
            if offset in seen:
                raise _errors.image_corrupt(f"IFD chain loops back to offset {offset}")
            if len(seen) >= max_frames:
                raise _errors.image_too_many_frames(max_frames)
            seen.add(offset)
            if offset < 8 or offset + 2 > size:
                raise _errors.image_corrupt(f"IFD offset {offset} outside the file ({size} B)")
            fh.seek(offset)
            (count,) = struct.unpack(end + "H", fh.read(2))
            body = fh.read(count * 12 + 4)
            if count == 0 or len(body) < count * 12 + 4:
                raise _errors.image_corrupt(f"IFD at {offset} truncated ({count} entries)")
            dims = _dimensions(body, count, end)
            w, h = dims.get(256, 0), dims.get(257, 0)
            if w * h > max_megapixels * 1e6:
                raise _errors.image_too_large(w, h, max_megapixels)
            if w == 0 or h == 0:
                raise _errors.image_corrupt(f"frame {len(seen) - 1} is {w}x{h} pixels")
            (offset,) = struct.unpack(end + "I", body[count * 12 : count * 12 + 4])
    if not seen:
        raise _errors.image_corrupt("TIFF has no image directory")
    return len(seen)


def _dimensions(body: bytes, count: int, end: str) -> dict[int, int]:
    dims: dict[int, int] = {}
    for i in range(count):
        tag, typ, _n = struct.unpack(end + "HHI", body[i * 12 : i * 12 + 8])
        if tag in (256, 257):
            raw = body[i * 12 + 8 : i * 12 + 12]
            dims[tag] = struct.unpack(
                end + ("H" if typ == 3 else "I"), raw[: 2 if typ == 3 else 4]
            )[0]
    return dims


def safe_display_name(name: str, max_len: int = MAX_NAME) -> str:
    """Return a file name fit to show and store in metadata (never used as a file path).

    NFC; control and bidi-override characters removed; no absolute, drive or ``..`` parts;
    ``/`` as the only separator; each part and the whole bounded in length. Folder-relative
    paths (``quyen1/p1.pdf``) and ZIP members (``a.zip/x.pdf``) keep their structure; a
    backslash inside a part becomes a separator, so the result never escapes upward.
    """
    text = nfc(name)
    text = "".join("_" if unicodedata.category(c) == "Cc" else c for c in text)
    text = _BIDI_AND_CONTROLS.sub("", text)
    parts = [p.strip() for p in re.split(r"[/\\]+", text)]
    if parts and re.fullmatch(r"[A-Za-z]:", parts[0]):
        parts = parts[1:]  # a Windows drive
    clean = [_shorten(p, MAX_NAME_PART) for p in parts if p and p != "."]
    clean = ["_" if p == ".." else p for p in clean]
    out = "/".join(clean) or "_"
    return out if len(out) <= max_len else _shorten(out, max_len)


def _shorten(part: str, limit: int) -> str:
    if len(part) <= limit:
        return part
    stem, dot, ext = part.rpartition(".")
    if not dot or len(ext) > 10:
        stem, ext = part, ""
    keep = limit - len(ext) - (2 if ext else 1)
    return stem[:keep] + "…" + ("." + ext if ext else "")
