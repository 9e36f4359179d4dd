"""OCR stage: orientation, deskew, cleaning and recognition of one page by an OCR engine."""

from ocr._colour import drop_colour, has_colour_ink, straighten_colour
from ocr._lost import RECOVERED_BLOCK
from ocr._reread import read_boxed_lines, read_lines_without_stamps
from ocr._run import OcrOutput, ocr_page, to_gray
from ocr._textpdf import build_searchable_pdf
from ocr._unread import unread_ink_lines
from ocr.engine import OcrEngine, OsdResult, load_engine

__all__ = [
    "OcrEngine",
    "OcrOutput",
    "OsdResult",
    "RECOVERED_BLOCK",
    "build_searchable_pdf",
    "drop_colour",
    "has_colour_ink",
    "load_engine",
    "ocr_page",
    "read_boxed_lines",
    "read_lines_without_stamps",
    "unread_ink_lines",
    "straighten_colour",
    "to_gray",
]
