"""Roles of the web application's users, in the order the admin page lists them."""

from __future__ import annotations

# Administrator, archive staff (upload), reviewer, searcher (read only).
ROLES = ("admin", "luu_tru", "ra_soat", "tra_cuu")
ROLE_LABELS = {
    "admin": "Quản trị",
    "luu_tru": "Lưu trữ",
    "ra_soat": "Rà soát",
    "tra_cuu": "Tra cứu",
}
