"""Extraction stage: split pages into documents and read their fields."""

from extract._calibrate import extract_fields
from extract._marks import BandReader, LineReader, MarkReader, mark_level, urgency_level
from extract._profile import PROFILE_KEYS
from extract._segment import Grouping, first_page_score, split_documents
from extract._validate import normalize_symbol, parse_symbol, symbol_agrees

__all__ = [
    "BandReader",
    "Grouping",
    "LineReader",
    "MarkReader",
    "PROFILE_KEYS",
    "extract_fields",
    "first_page_score",
    "mark_level",
    "normalize_symbol",
    "parse_symbol",
    "split_documents",
    "symbol_agrees",
    "urgency_level",
]
