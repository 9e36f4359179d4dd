"""Ingest stage: sniff, validate and split stored originals into pages."""

from ingest._encoded import encoded_page_image
from ingest._hazards import safe_display_name
from ingest._inspect import inspect_source
from ingest._pdfpage import page_text
from ingest._render import RenderedPage, image_dpi, render_page
from ingest._sniff import detect_type, sniff_file
from ingest._walk import expand_paths, natural_key
from ingest._zip import ZipMember, list_members, read_member

__all__ = [
    "RenderedPage",
    "ZipMember",
    "detect_type",
    "encoded_page_image",
    "expand_paths",
    "image_dpi",
    "inspect_source",
    "list_members",
    "natural_key",
    "page_text",
    "read_member",
    "render_page",
    "safe_display_name",
    "sniff_file",
]
