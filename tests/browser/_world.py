"""A batch of documents written straight into the database for the screen tests (no OCR).

Real page images (text drawn with DejaVu Sans), a real searchable-PDF stand-in, documents
of several types, dates and issuers, one MẬT document for the clearance checks, indexed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

import pipeline.indexing as indexing
from core.context import AppContext
from core.db import Batch, Document, Page, PageStage, SourceFile
from core.states import StageStatus

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BATCH = "LO-UX-2015"
TYPES = ("KẾ HOẠCH", "QUYẾT ĐỊNH", "BÁO CÁO", "CÔNG VĂN", "THÔNG BÁO")
ISSUERS = ("BAN TỔ CHỨC TỈNH ỦY", "UBND TỈNH LÂM ĐỒNG", "VĂN PHÒNG TỈNH ỦY")
SUBJECTS = (
    "Về công tác phát triển đảng viên năm {y}",
    "Về việc kiện toàn tổ chức bộ máy năm {y}",
    "Tổng kết công tác kiểm tra, giám sát năm {y}",
    "Về việc chuẩn bị đại hội chi bộ nhiệm kỳ {y}",
)
SECRET_SUBJECT = "Phương án bảo vệ kho lưu trữ mật danh Hoàng Liên"


@dataclass
class World:
    """Ids the screen tests use."""

    docs: list[int] = field(default_factory=list)
    secret: int = 0
    with_pdf: int = 0


def _jpeg(lines: list[str], shade: int = 250) -> bytes:
    img = Image.new("L", (620, 877), shade)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 22) if FONT.exists() else ImageFont.load_default()
    for i, line in enumerate(lines):
        draw.text((50, 60 + 34 * i), line, fill=20, font=font)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def seed(ctx: AppContext, count: int = 36) -> World:
    """Write ``count`` ordinary documents and one MẬT document; index them."""
    w = World()
    with ctx.session() as s:
        batch = Batch(name=BATCH, collection="Văn bản 2014-2024", department="Văn phòng")
        # The MẬT document, and one ordinary one, lie in a collection the plan does not know
        # (an unplanned row, which a reader without clearance still sees for the ordinary one).
        other = Batch(name=f"{BATCH}-MAT", collection="Hồ sơ cán bộ", department="Văn phòng")
        s.add_all([batch, other])
        s.flush()
        for n in range(count + 1):
            secret = n == count
            year = 2014 + n % 8
            doc_type = "PHƯƠNG ÁN" if secret else TYPES[n % len(TYPES)]
            symbol = f"{n + 1}-{'PA' if secret else doc_type.split()[0][:2]}/TU"
            subject = SECRET_SUBJECT if secret else SUBJECTS[n % len(SUBJECTS)].format(y=year)
            lines = ["ĐẢNG BỘ TỈNH LÂM ĐỒNG", f"Số {symbol}", doc_type, subject]
            data = _jpeg(lines)
            blob = ctx.storage.store_stream([data])
            home = other if secret or n == count - 1 else batch
            sf = SourceFile(
                batch_id=home.id,
                original_name=f"quyen-{n + 1:02d}.jpg",
                order_key=f"{n:04d}",
                sha256=blob.sha256,
                size=len(data),
                detected_type="jpeg",
                status="ready",
                page_count=1,
            )
            s.add(sf)
            s.flush()
            fields = {
                "doc_type": doc_type,
                "symbol": symbol,
                "number": str(n + 1),
                "date": f"{year}-{1 + n % 12:02d}-{1 + n % 27:02d}",
                "issuer": ISSUERS[n % len(ISSUERS)],
                "subject": subject,
                "recipients": ["Như trên,", "Lưu VP."],
            }
            if secret:
                fields["secrecy"] = "MẬT"
            doc = Document(
                batch_id=home.id,
                seq=n + 1,
                kind="party_document",
                classification="mat" if secret else "thuong",
                status="extracted",
                fields=fields,
                field_confidence={k: round(0.45 + (n % 10) / 20, 2) for k in fields},
                provenance={},
            )
            s.add(doc)
            s.flush()
            page = Page(
                batch_id=home.id,
                source_file_id=sf.id,
                page_index=0,
                document_id=doc.id,
                doc_order=0,
                text="\n".join(lines),
                mean_confidence=90.0,
                width=620,
                height=877,
                text_source="ocr",
            )
            s.add(page)
            s.flush()
            s.add(PageStage(page_id=page.id, stage="ocr", status=StageStatus.DONE))
            path = ctx.storage.page_image(page.id)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            if secret:
                w.secret = doc.id
            else:
                w.docs.append(doc.id)
        w.with_pdf = w.docs[0]
    pdf = ctx.storage.document_pdf(w.with_pdf)
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(ctx.storage.page_image(_first_page(ctx, w.with_pdf))) as img:
        img.convert("RGB").save(pdf, "PDF", resolution=75.0)
    indexing.index_documents(ctx, [*w.docs, w.secret])
    return w


def _first_page(ctx: AppContext, doc_id: int) -> int:
    with ctx.session() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        return doc.pages[0].id
