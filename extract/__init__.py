"""Extraction stage: split pages into documents and read their fields."""

from extract._fields import extract_fields, normalize_symbol
from extract._segment import first_page_score, split_documents

__all__ = ["extract_fields", "first_page_score", "normalize_symbol", "split_documents"]
