"""Frozen hand-off data classes passed between stages (JSON-friendly, no ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# File types detected from magic bytes.
PDF, TIFF, JPEG, PNG, ZIP = "pdf", "tiff", "jpeg", "png", "zip"


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What ingest learned about one stored original."""

    sha256: str
    size: int
    detected_type: str
    page_count: int
    text_layer_pages: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PageRef:
    """Where one page lives: a stored original and the 0-based page index inside it."""

    path: str
    detected_type: str
    page_index: int
    text_layer: bool = False


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One recognized word with its box in the upright, deskewed page image."""

    text: str
    conf: float
    left: int
    top: int
    width: int
    height: int
    block: int = 0
    par: int = 0
    line: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict: ``asdict``'s, without its deep copies.

        Seven times faster (7 ms a page of words less for the OCR worker).
        """
        return {
            "text": self.text,
            "conf": self.conf,
            "left": self.left,
            "top": self.top,
            "width": self.width,
            "height": self.height,
            "block": self.block,
            "par": self.par,
            "line": self.line,
        }


@dataclass(frozen=True, slots=True)
class OcrPage:
    """The text of one page, where it came from, and how the page was straightened."""

    text: str
    words: tuple[OcrWord, ...]
    mean_confidence: float
    rotation: int
    skew_deg: float
    width: int
    height: int
    text_source: str = "ocr"  # "ocr" or "text_layer"
    engine: str = ""
    timings_ms: dict[str, float] = field(default_factory=dict)
    flags: tuple[str, ...] = ()
    # Affine map (a, b, c, d, e, f) from word-box pixels to the stored scan's pixels.
    to_source: tuple[float, ...] = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)


@dataclass(frozen=True, slots=True)
class EncodedImage:
    """A page image ready to embed in a PDF without re-encoding loss.

    ``filter`` is ``DCTDecode`` (JPEG bytes passed through as scanned) or ``FlateDecode``
    (lossless pixels, 1 bit per pixel for black-and-white pages, else 8 per channel).
    ``predictor`` is the Flate data's PDF ``/Predictor``: 1, raw rows; 15, rows that each start
    with a PNG filter byte, as a PNG file's image data is stored.
    """

    data: bytes
    filter: str
    colorspace: str  # DeviceGray or DeviceRGB
    bits: int  # 1 or 8
    width: int
    height: int
    dpi: int
    predictor: int = 1


@dataclass(frozen=True, slots=True)
class SearchablePage:
    """One page of a searchable PDF: the scan, how it maps to the OCR image, and the words.

    ``width``/``height`` are the straightened OCR image's size, the frame ``words`` and
    ``to_source`` (OCR pixels → scan pixels) refer to.
    """

    image: EncodedImage
    width: int
    height: int
    words: tuple[OcrWord, ...]
    to_source: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class PageText:
    """What extraction needs about a page: its recognized text, and where it came from.

    ``file`` is the source file's name as received (folder-relative, ZIP entries as
    ``archive.zip/entry``) and ``frame`` the 0-based page inside it: file edges are document
    edges unless the page says otherwise. ``flags`` are the OCR stage's page flags.
    """

    page_id: int
    text: str
    words: tuple[OcrWord, ...] = ()
    file: str = ""
    frame: int = 0
    flags: tuple[str, ...] = ()
    width: int = 0  # of the image the word boxes refer to (0: unknown)
    height: int = 0


@dataclass(frozen=True, slots=True)
class ExtractedFields:
    """Fields of one document with per-field confidence (0..1) and provenance."""

    kind: str
    fields: dict[str, Any]
    confidence: dict[str, float]
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
