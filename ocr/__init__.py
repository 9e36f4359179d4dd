"""OCR stage: orientation, deskew, cleaning and Tesseract recognition of one page."""

from ocr._reread import read_boxed_lines, read_lines_without_stamps
from ocr._run import OcrOutput, ocr_page, to_gray
from ocr._tesseract import tesseract_version
from ocr._textpdf import build_searchable_pdf

__all__ = [
    "OcrOutput",
    "build_searchable_pdf",
    "ocr_page",
    "read_boxed_lines",
    "read_lines_without_stamps",
    "tesseract_version",
    "to_gray",
]
