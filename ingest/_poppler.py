"""Rendering one PDF page with poppler (pdftoppm), the path that is slower but always right."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from pdf2image import convert_from_path
from pdf2image.exceptions import PDFPageCountError, PDFSyntaxError
from PIL import Image

from core.errors import StageError
from ingest import errors as _errors


def rasterize(
    path: Path, index: int, *, dpi: int, size: tuple[int, int] | None = None, grey: bool = False
) -> Image.Image:
    """Return page ``index`` (0-based) rendered at ``dpi``, or scaled to exactly ``size``.

    Raises:
        InputError: the PDF is corrupt or the page produced no image.
        StageError: poppler failed for another reason.
    """
    # None is pdf2image's own default for size (render at dpi); its type hint omits it.
    scale = cast(tuple[int, int], size)
    try:
        images = convert_from_path(
            str(path),
            dpi=dpi,
            first_page=index + 1,
            last_page=index + 1,
            timeout=300,
            grayscale=grey,
            size=scale,
        )
    except (PDFPageCountError, PDFSyntaxError) as e:
        raise _errors.pdf_corrupt(str(e)) from e
    except Image.DecompressionBombError:
        raise
    except Exception as e:  # pdf2image raises bare exceptions for poppler failures
        raise StageError(
            f"rendering page {index + 1} failed: {e}",
            code="render_failed",
            message_vi=f"Không dựng được ảnh trang {index + 1} của tệp PDF.",
        ) from e
    if not images:
        raise _errors.pdf_corrupt(f"page {index + 1} produced no image")
    return images[0]
