"""Small JPEG previews of pages for the documents list, made once from the review image."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from core.errors import NotFoundError
from core.storage import Storage, write_atomic

WIDTH = 160  # CSS shows them at 80 px: sharp on a 2x screen, ~5 KB each
QUALITY = 70


def page_thumbnail(storage: Storage, page_id: int) -> Path:
    """Return the cached thumbnail of a page, making it from the page image when missing.

    Raises:
        NotFoundError: ``page_image_missing`` when the page has no review image (yet).
    """
    thumb = storage.page_thumbnail(page_id)
    if thumb.exists():
        return thumb
    source = storage.page_image(page_id)
    if not source.exists():
        raise NotFoundError(
            "no page image", code="page_image_missing", message_vi="Trang này chưa có ảnh để xem."
        )
    with Image.open(source) as img:
        img.draft("L" if img.mode == "L" else "RGB", (WIDTH * 2, WIDTH * 4))  # fast JPEG decode
        small = img.convert("L" if img.mode in ("1", "L") else "RGB")
        small.thumbnail((WIDTH, WIDTH * 2))
        out = io.BytesIO()
        small.save(out, "JPEG", quality=QUALITY, optimize=True)
    # Written atomically: two requests making the same thumbnail never serve half a file.
    write_atomic(thumb, out.getvalue())
    return thumb
