"""Drawing helpers shared by the OCR tests that render their own pages."""

from __future__ import annotations

from PIL import ImageDraw, ImageFont

BODY_LINE = "Ban Thường vụ Tỉnh ủy xây dựng kế hoạch như sau."


def body_lines(
    draw: ImageDraw.ImageDraw, top: int, count: int, font: ImageFont.FreeTypeFont
) -> None:
    """Draw ``count`` lines of body prose from ``top`` down, 50 px apart, at the left margin."""
    for k in range(count):
        draw.text((150, top + 50 * k), BODY_LINE, fill=20, font=font)
