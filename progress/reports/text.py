"""Fixed Vietnamese wording of the report (headings shared by every format)."""

from __future__ import annotations

from progress.reports.model import Report

TITLE = "BÁO CÁO TIẾN ĐỘ SỐ HÓA TÀI LIỆU LƯU TRỮ"
RECOMMENDATIONS = "V. Đề xuất, kiến nghị"
RECOMMENDATIONS_HINT = "(Phần này do người lập báo cáo bổ sung.)"
SIGNATURES = (
    ("NGƯỜI LẬP BÁO CÁO", "(Ký, ghi rõ họ tên)"),
    ("LÃNH ĐẠO ĐƠN VỊ", "(Ký, ghi rõ họ tên, đóng dấu)"),
)
RULE_TITLE = "Cách tính và quy tắc đánh giá"
DEFINITIONS = (
    "Một trang được coi là hoàn thành số hóa khi tài liệu chứa trang đó đã được rà soát, "
    "kiểm tra các trường dữ liệu; trang mới nhận dạng (OCR) chưa được tính là hoàn thành."
)


def subtitle(rep: Report) -> str:
    """Return e.g. ``Tháng 11/2026 (từ ngày 01/11/2026 đến ngày 26/11/2026)``."""
    p = rep.period
    return f"{p.label_vi} (từ ngày {p.start:%d/%m/%Y} đến ngày {p.end:%d/%m/%Y})"


def made_on(rep: Report) -> str:
    """Return the line saying when the report was made (Viet Nam time)."""
    from progress.counts import TZ

    return f"Ngày lập báo cáo: {rep.generated_at.astimezone(TZ):%d/%m/%Y %H:%M}"
