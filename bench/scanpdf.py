"""Fast generator of image-only, scan-like multi-page PDFs with Vietnamese text (for memory runs).

Two or three page templates are rendered once; each page is a template plus a stamped page line,
JPEG-encoded and added to the PDF as a DCT image, so only compressed pages are kept in memory.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pikepdf
from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
DPI = 200
A4_PX = (1654, 2339)  # 210 x 297 mm at 200 dpi
A4_PT = (595.28, 841.89)
MARGIN = 150

BODY = [
    "UBND TỈNH LÂM ĐỒNG                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "SỞ NỘI VỤ                                   Độc lập - Tự do - Hạnh phúc",
    "Số: 428/KH-SNV                        Lâm Đồng, ngày 07 tháng 9 năm 2016",
    "KẾ HOẠCH",
    "Về việc chỉnh lý, số hóa tài liệu lưu trữ của cơ quan",
    "Căn cứ Luật Lưu trữ ngày 11 tháng 11 năm 2011;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ",
    "về công tác văn thư; theo đề nghị của Chánh Văn phòng Sở,",
    "Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng của kế hoạch này.",
    "Văn bản hành chính được soạn thảo, ký ban hành, quản lý và lập hồ sơ",
    "theo đúng thể thức, kỹ thuật trình bày; bảo đảm tính chính xác, đầy đủ.",
    "Điều 2. Trách nhiệm của người đứng đầu cơ quan, tổ chức trong việc",
    "chỉ đạo, kiểm tra, hướng dẫn thực hiện công tác văn thư, lưu trữ.",
    "Điều 3. Các phòng, đơn vị thuộc Sở chịu trách nhiệm thi hành Kế hoạch này.",
    "Nơi nhận:                                               GIÁM ĐỐC",
    "- Như Điều 3;",
    "- Lưu: VT, VP.                                     Nguyễn Ngọc Trang",
]


def render_template(variant: int) -> Image.Image:
    """Render one greyscale A4 page template: yellowish paper, body text, light noise, skew."""
    rng = np.random.default_rng(variant)
    font = ImageFont.truetype(str(FONT), 38)
    page = Image.new("L", A4_PX, 236)
    draw = ImageDraw.Draw(page)
    lines = BODY[variant % 3 :] + BODY[: variant % 3]
    y = MARGIN + 60
    while y < A4_PX[1] - MARGIN - 100:
        for line in lines:
            draw.text((MARGIN, y), line, font=font, fill=30)
            y += 58
            if y >= A4_PX[1] - MARGIN - 100:
                break
    page = page.rotate(
        (-1.2, 0.7, 2.1)[variant % 3], fillcolor=236, resample=Image.Resampling.BILINEAR
    )
    noise = rng.normal(0.0, 3.0, (A4_PX[1], A4_PX[0]))
    pixels = np.clip(np.asarray(page, dtype=np.float32) + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels, mode="L")


def page_jpeg(template: Image.Image, number: int, total: int, quality: int = 65) -> bytes:
    """Return one JPEG page: the template with a distinct page line stamped at top and bottom."""
    font = ImageFont.truetype(str(FONT), 40)
    page = template.copy()
    draw = ImageDraw.Draw(page)
    draw.text(
        (MARGIN, 90), f"Hồ sơ số {number:05d} - trang {number} trên {total}", font=font, fill=20
    )
    draw.text((A4_PX[0] // 2 - 40, A4_PX[1] - 120), f"- {number} -", font=font, fill=20)
    buf = io.BytesIO()
    page.save(buf, format="JPEG", quality=quality, dpi=(DPI, DPI))
    return buf.getvalue()


def write_scan_pdf(path: Path, pages: int, templates: int = 3) -> Path:
    """Write an image-only PDF of ``pages`` distinct A4 200-dpi greyscale scan pages to ``path``."""
    bases = [render_template(i) for i in range(templates)]
    pdf = pikepdf.new()
    width, height = A4_PX
    for number in range(1, pages + 1):
        image = pikepdf.Stream(pdf, page_jpeg(bases[number % templates], number, pages))
        image.Type = pikepdf.Name.XObject
        image.Subtype = pikepdf.Name.Image
        image.Width, image.Height = width, height
        image.ColorSpace = pikepdf.Name.DeviceGray
        image.BitsPerComponent = 8
        image.Filter = pikepdf.Name.DCTDecode
        content = f"q {A4_PT[0]} 0 0 {A4_PT[1]} 0 0 cm /Im0 Do Q".encode()
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, A4_PT[0], A4_PT[1]],
            Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)),
            Contents=pikepdf.Stream(pdf, content),
        )
        pdf.pages.append(pikepdf.Page(page))
    pdf.save(path)
    return path
