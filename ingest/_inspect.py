"""Validating a stored original and counting its pages, without decoding page images."""

from __future__ import annotations

import re
import struct
import warnings as _warnings
from dataclasses import replace
from pathlib import Path

import pikepdf
from PIL import Image, UnidentifiedImageError

from core.errors import InputError
from core.models import JPEG, PDF, PNG, TIFF, SourceInfo
from core.settings import IngestSettings
from ingest import _hazards
from ingest import errors as _errors
from ingest._pdfpage import find_scan_image, page_texts

_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def inspect_source(path: Path, kind: str, sha256: str, cfg: IngestSettings) -> SourceInfo:
    """Validate one stored file of a page type and describe its pages.

    Raises:
        InputError: corrupt, encrypted, too many pages, or an image over the pixel limit.
    """
    size = path.stat().st_size
    if size == 0:
        raise _errors.empty_file()
    if kind == PDF:
        info = _inspect_pdf(path, sha256, size, cfg)
    elif kind in (TIFF, JPEG, PNG):
        info = _inspect_image(path, kind, sha256, size, cfg)
    else:
        raise _errors.unsupported(kind)
    second = _hazards.polyglot_format(path, kind)
    if second is not None:
        info = replace(info, warnings=(*info.warnings, f"{_hazards.POLYGLOT}:{second}"))
    return info


def _inspect_pdf(path: Path, sha256: str, size: int, cfg: IngestSettings) -> SourceInfo:
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError as e:
        raise _errors.pdf_encrypted() from e
    except (pikepdf.PdfError, OSError, ValueError) as e:
        raise _errors.pdf_corrupt(str(e)) from e
    with pdf:
        repaired = bool(pdf.get_warnings())
        hazards = _hazards.pdf_hazards(pdf)
        n = len(pdf.pages)
        if n == 0:
            raise _errors.pdf_corrupt("no pages")
        if n > cfg.max_pdf_pages:
            raise _errors.pdf_too_many_pages(n, cfg.max_pdf_pages)
        texts = page_texts(path) or []
        text_pages: list[int] = []
        empty_pages: list[int] = []
        for i, page in enumerate(pdf.pages):
            scan = find_scan_image(page)
            letters = len(_LETTERS.findall(texts[i])) if i < len(texts) else 0
            if scan is not None:
                if scan.width * scan.height > cfg.max_image_megapixels * 1e6:
                    raise _errors.image_too_large(scan.width, scan.height, cfg.max_image_megapixels)
            elif letters >= cfg.text_layer_min_chars:
                text_pages.append(i)
            elif repaired:
                # A repaired file whose page has neither its scan nor text lost that page.
                empty_pages.append(i)
    if repaired and len(empty_pages) == n:
        raise _errors.pdf_corrupt("repaired file has no page content left")
    warnings = []
    if repaired:
        warnings.append("pdf_repaired")
    warnings.extend(f"page_damaged:{i}" for i in empty_pages)
    warnings.extend(hazards)
    return SourceInfo(sha256, size, PDF, n, tuple(text_pages), tuple(warnings))


def _inspect_image(
    path: Path, kind: str, sha256: str, size: int, cfg: IngestSettings
) -> SourceInfo:
    limit = cfg.max_image_megapixels * 1e6
    if kind == TIFF:
        # Pillow follows IFD offsets it does not bound; walk the chain ourselves first.
        _hazards.check_tiff_structure(path, cfg.max_pdf_pages, cfg.max_image_megapixels)
    # Opening reads headers only; decoding happens later, one page at a time, and only after
    # each frame's size has been checked against our own limit here. Pillow's built-in guard
    # would refuse at open time without telling the dimensions the clerk needs to hear.
    saved, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        with _warnings.catch_warnings(record=True) as caught:
            _warnings.simplefilter("always")
            with Image.open(path) as im:
                frames = _check_frames(im, limit, cfg)
    except InputError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        EOFError,
        SyntaxError,
        ValueError,
        struct.error,
        IndexError,
        KeyError,
        TypeError,
        ZeroDivisionError,
    ) as e:
        # Header parsers meet hostile bytes here; any of these means "not a decodable image".
        raise _errors.image_corrupt(f"{type(e).__name__}: {e}") from e
    finally:
        Image.MAX_IMAGE_PIXELS = saved
    # Pillow warns (does not fail) on damaged EXIF/metadata: keep the image, note the damage.
    notes = (_hazards.IMAGE_METADATA_CORRUPT,) if caught else ()
    return SourceInfo(sha256, size, kind, frames, (), notes)


def _check_frames(im: Image.Image, limit: float, cfg: IngestSettings) -> int:
    frames = int(getattr(im, "n_frames", 1))
    for i in range(frames):
        if i:
            im.seek(i)
        w, h = im.size
        if w * h > limit:
            raise _errors.image_too_large(w, h, cfg.max_image_megapixels)
        if w < 16 or h < 16:
            raise _errors.image_corrupt(f"frame {i} is only {w}x{h} pixels")
    return frames
