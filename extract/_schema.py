"""Export field keys mapped to NĐ 30/2020 (Phụ lục VI) metadata names for CSV headers."""

from __future__ import annotations

# NĐ 30/2020/NĐ-CP Phụ lục VI, Phần II, I (văn bản đi) names; keys NĐ 30 does not define get a
# name in the same style (marked "ext" below) so every exported column has one header.
ND30_FIELD_NAMES: dict[str, str] = {
    "doc_type": "TypeName",
    "number": "CodeNumber",
    "symbol": "CodeNotation",
    "date": "IssuedDate",
    "issuer": "OrganName",
    "subject": "Subject",
    "page_count": "PageAmount",
    "signer_title": "Position",
    "signer_name": "FullName",
    "recipients": "To.OrganName",
    "secrecy": "Priority.Secrecy",  # NĐ 30 field 14 "Mức độ khẩn, độ mật" (Priority)
    "urgency": "Priority.Urgency",  # same field 14, urgency half
    "parent_issuer": "ParentOrganName",  # ext: tên cơ quan chủ quản
    "place": "IssuedPlace",  # ext: địa danh
    "signing_authority": "SigningAuthority",  # ext: quyền hạn ký (T/M, K/T, TM., KT. …)
}
ND30_NATIVE = frozenset(
    k for k in ND30_FIELD_NAMES if k not in ("parent_issuer", "place", "signing_authority")
)
