"""The page viewer in headless Chromium shows the colour copy of a page where the scan kept one
(a red seal, a signature in blue pen, as on paper) and switches to the grey copy OCR read, by
button or Alt+M; grey-only pages and documents stay grey.

Runs last on the shared server (file order): its documents must not join the review queue of
test_ui.py.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont

from core.db import Batch, Document, Page, SourceFile
from tests.browser import _world
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser]
WIDE = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SEAL = (480, 680)  # the centre of the red seal, in page pixels
BOX = [50, 162, 520, 30]  # where the subject line was read (page 1)
SIGNER = [380, 780, 200, 30]  # where the signer's name was read, under the seal
# The viewer's image once the copy whose URL ends with `arg` is loaded and decoded.
SHOWN = (
    "end => { const i = document.getElementById('page-img');"
    " return (i.getAttribute('src') || '').endsWith(end) && i.complete && i.naturalWidth > 0; }"
)
# One pixel of the image as shown (same origin: the canvas may read it).
PIXEL = (
    "([x, y]) => { const i = document.getElementById('page-img');"
    " const c = document.createElement('canvas'); c.width = i.naturalWidth;"
    " c.height = i.naturalHeight; const g = c.getContext('2d'); g.drawImage(i, 0, 0);"
    " return Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3)); }"
)


@dataclass
class Docs:
    """A document of two pages (colour copy on the first only), one grey-only document."""

    mixed: int
    first: int
    second: int
    grey_only: int


def _page_images(ctx: Any, page_id: int, colour: bool) -> None:
    """Write a page's grey review image, and its colour copy (seal, pen) when asked."""
    lines = ["ĐẢNG BỘ TỈNH LÂM ĐỒNG", f"Trang #{page_id}", "QUYẾT ĐỊNH", "Về việc khen thưởng"]
    paper = Image.open(io.BytesIO(_world._jpeg(lines))).convert("RGB")
    if colour:
        draw = ImageDraw.Draw(paper)
        x, y = SEAL
        draw.ellipse((x - 80, y - 80, x + 80, y + 80), fill=(205, 25, 35))
        draw.line((x - 140, y + 20, x + 60, y - 40), fill=(25, 45, 190), width=6)
        draw.text((SIGNER[0], SIGNER[1]), "Nguyễn Văn An", fill=20, font=_font())
    path = ctx.storage.page_image(page_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    paper.convert("L").save(path, "JPEG", quality=85)  # what OCR read: the seal in grey
    if colour:
        paper.save(ctx.storage.page_colour_image(page_id), "JPEG", quality=85)


def _font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return (
        ImageFont.truetype(str(_world.FONT), 22)
        if _world.FONT.exists()
        else ImageFont.load_default()
    )


@pytest.fixture(scope="module")
def docs(app_server) -> Docs:
    _base, ctx = app_server
    made: list[tuple[int, list[int]]] = []
    with ctx.session() as s:
        b = Batch(name="lo-ban-mau", collection="Văn bản 2014-2024")
        s.add(b)
        s.flush()
        sf = SourceFile(batch_id=b.id, original_name="mau.pdf", status="ready", page_count=3)
        s.add(sf)
        s.flush()
        for seq, count in ((1, 2), (2, 1)):
            doc = Document(
                batch_id=b.id,
                seq=seq,
                kind="party_document",
                status="extracted",
                fields={
                    "doc_type": "QUYẾT ĐỊNH",
                    "subject": "Về việc khen thưởng",
                    "signer_name": "Nguyễn Văn An",
                },
                field_confidence={"doc_type": 0.9, "subject": 0.7, "signer_name": 0.5},
            )
            s.add(doc)
            s.flush()
            pages = [
                Page(
                    batch_id=b.id,
                    source_file_id=sf.id,
                    page_index=3 * seq + i,
                    document_id=doc.id,
                    doc_order=i,
                    text=f"trang {i + 1}",
                    width=620,
                    height=877,
                )
                for i in range(count)
            ]
            s.add_all(pages)
            s.flush()
            doc.provenance = {
                "subject": {"page": pages[0].id, "box": BOX},
                "signer_name": {"page": pages[0].id, "box": SIGNER},
            }
            made.append((doc.id, [p.id for p in pages]))
    (mixed, (first, second)), (grey_only, (only,)) = made
    for page_id, colour in ((first, True), (second, False), (only, False)):
        _page_images(ctx, page_id, colour)
    return Docs(mixed, first, second, grey_only)


def _shown(page: Any, end: str) -> tuple[int, int, int]:
    """Wait for the copy ending with ``end``; return the pixel at the seal as shown."""
    page.wait_for_function(SHOWN, arg=end)
    r, g, b = page.evaluate(PIXEL, list(SEAL))
    return r, g, b


def _is_red(rgb: tuple[int, int, int]) -> bool:
    r, g, b = rgb
    return r > 150 and r - g > 100 and r - b > 100


def _is_grey(rgb: tuple[int, int, int]) -> bool:
    return max(rgb) - min(rgb) < 12 and max(rgb) < 160  # the seal as OCR saw it


def _pressed(page: Any) -> tuple[str | None, str | None]:
    return (
        page.locator("#show-colour").get_attribute("aria-pressed"),
        page.locator("#show-grey").get_attribute("aria-pressed"),
    )


def test_review_shows_the_colour_copy_and_switches_to_grey(app_server, docs, page):
    base, _ctx = app_server
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, base, "rasoat", f"/review/{docs.mixed}")
    page.evaluate("localStorage.removeItem('sohoa.pageCopy')")
    page.reload()
    page.locator("#f-doc_type:focus").wait_for()
    # Colour first: the red seal as on paper, the colour half of the switch pressed.
    assert _is_red(_shown(page, "/image/colour"))
    assert page.get_by_role("group", name="Bản ảnh trang").is_visible()
    assert _pressed(page) == ("true", "false")
    assert page.locator("#page-img").get_attribute("alt") == "Ảnh trang tài liệu (bản màu)"
    # The field's word box lies on the colour copy as on the grey one (same geometry).
    page.locator("#f-subject").focus()
    page.locator("#hl").wait_for(state="visible")
    hl = page.locator("#hl").bounding_box()
    img = page.locator("#page-img").bounding_box()
    assert hl and img
    assert abs((hl["x"] - img["x"]) / img["width"] - BOX[0] / 620) < 0.01
    # The signer's name under the seal: the viewer scrolls to it, in colour.
    for size, suffix in ((WIDE, ""), (PHONE, "_390")):
        page.set_viewport_size(size)
        page.locator("#f-signer_name").focus()
        page.evaluate("window.scrollTo(0, 0)")  # on a phone the image is above the form
        page.wait_for_timeout(150)
        assert page.locator("#hl").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        shot(page, f"05b_ra_soat_ban_mau{suffix}")
        page.locator("#f-subject").focus()
    page.set_viewport_size(WIDE)
    # Alt+M from inside a field: the grey copy, focus and the typed value untouched.
    page.keyboard.press("Alt+m")
    assert _is_grey(_shown(page, f"/api/pages/{docs.first}/image"))
    assert _pressed(page) == ("false", "true")
    assert page.locator("#f-subject:focus").count() == 1
    assert page.locator("#hl").is_visible()
    page.keyboard.press("Alt+m")
    assert _is_red(_shown(page, "/image/colour"))
    # The buttons, by keyboard.
    page.locator("#show-grey").focus()
    page.keyboard.press("Enter")
    assert _is_grey(_shown(page, "/image"))
    page.locator("#show-colour").focus()
    page.keyboard.press("Space")
    assert _is_red(_shown(page, "/image/colour"))
    # Page 2 has no colour copy: grey, the colour half not offered; back on page 1, colour.
    page.keyboard.press("Alt+ArrowRight")
    page.locator("#page-label", has_text="Trang 2/2").wait_for()
    page.wait_for_function(SHOWN, arg=f"/api/pages/{docs.second}/image")
    assert page.locator("#show-colour").is_disabled()
    assert _pressed(page) == ("false", "true")
    page.keyboard.press("Alt+m")  # nothing to switch to: stays grey
    page.wait_for_timeout(100)
    assert page.locator("#page-img").get_attribute("src").endswith("/image")
    page.keyboard.press("Alt+ArrowLeft")
    assert _is_red(_shown(page, "/image/colour"))
    # The choice of grey is kept for the next documents.
    page.keyboard.press("Alt+m")
    _shown(page, "/image")
    page.reload()
    assert _is_grey(_shown(page, "/image"))
    assert _pressed(page) == ("false", "true")
    page.keyboard.press("Alt+m")
    _shown(page, "/image/colour")
    # A document kept in grey only offers no choice.
    page.goto(f"{base}/review/{docs.grey_only}")
    page.wait_for_function(SHOWN, arg="/image")
    assert page.locator("#page-copy").is_hidden()
    assert page.locator("#page-img").get_attribute("alt") == "Ảnh trang tài liệu"
    assert not errors, errors


def test_document_page_shows_the_colour_copy_too(app_server, docs, page):
    base, _ctx = app_server
    login(page, base, "tracuu", f"/documents/{docs.mixed}")
    page.evaluate("localStorage.removeItem('sohoa.pageCopy')")
    page.reload()
    assert _is_red(_shown(page, "/image/colour"))
    for size, suffix in ((WIDE, ""), (PHONE, "_390")):
        page.set_viewport_size(size)
        page.wait_for_timeout(150)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        shot(page, f"07b_tai_lieu_ban_mau{suffix}")
    page.set_viewport_size(WIDE)
    page.get_by_role("button", name="Bản xám").click()
    assert _is_grey(_shown(page, "/image"))
    page.get_by_role("button", name="Bản màu").click()
    assert _is_red(_shown(page, "/image/colour"))
