"""OCR stage: orientation, deskew, cleaning and Tesseract recognition of one page."""

from ocr._run import OcrOutput, ocr_page, to_gray
from ocr._tesseract import tesseract_version
from ocr._textpdf import build_searchable_pdf

__all__ = ["OcrOutput", "build_searchable_pdf", "ocr_page", "tesseract_version", "to_gray"]
