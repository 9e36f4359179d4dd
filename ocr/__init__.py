"""OCR stage: orientation, deskew, cleaning and Tesseract recognition of one page."""

from ocr._run import OcrOutput, ocr_page, to_gray
from ocr._tesseract import tesseract_version

__all__ = ["OcrOutput", "ocr_page", "tesseract_version", "to_gray"]
