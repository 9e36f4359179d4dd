"""The one table of record fields: every place that names a field reads it from here.

Extraction orders its output by it, review lists and labels what a reviewer edits, the UI
shows the Vietnamese labels, the CSV export heads its columns with the NĐ 30/2020 names, and
indexing states which fields have a search field of their own. A field is added here once.

Keys of personal-file fields are ``profile.<key>``: they are stored nested under
``fields["profile"]`` and reviewed, exported and labelled flat.

Every field has a :class:`FieldType`; ``core.validation.field_value`` checks and normalises
what a person types for it (dates to ISO, symbols by their pattern, marks from their lists),
within ``max_len`` characters (NĐ 30/2020 Phụ lục VI lengths where the decree gives one).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FieldType(StrEnum):
    """What a field's value is, which decides how it is validated, stored and shown."""

    TEXT = "text"  # one line of free text, NFC, single spaces
    NAME = "name"  # a person's name
    DATE = "date"  # ISO yyyy-mm-dd, shown dd/mm/yyyy
    NUMBER = "number"  # document number: digits (a letter suffix such as 12a is kept)
    SYMBOL = "symbol"  # số và ký hiệu: 14-KH/BTCTU, 45/QĐ-UBND, 12/2016/QĐ-UBND
    SECRECY = "secrecy"  # "" | MẬT | TỐI MẬT | TUYỆT MẬT (the document's classification)
    URGENCY = "urgency"  # "" | KHẨN | THƯỢNG KHẨN | HỎA TỐC
    LIST = "list"  # a list of lines (recipients)
    COUNT = "count"  # a whole number of things (pages)


DOCUMENTS = frozenset({"party_document", "state_document", "other"})
PROFILES = frozenset({"profile"})
EVERY_KIND = DOCUMENTS | PROFILES


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a record.

    Attributes:
        key: Name in ``fields`` (``profile.<key>`` for personal-file fields).
        nd30: Column name after NĐ 30/2020 Phụ lục VI (or a name in its style for fields the
            decree does not define, ``nd30_native`` False).
        label: What Vietnamese users read.
        type: How the value is validated and shown.
        kinds: Document kinds that carry the field.
        indexed: Whether the search index has a field of its own for it.
        nd30_native: Whether ``nd30`` is a name the decree itself defines.
        max_len: Longest accepted value (a list: each item), None for the type's default.
        min_year: Earliest year of a date field (documents: 1930, the Party's founding).
    """

    key: str
    nd30: str
    label: str
    type: FieldType
    kinds: frozenset[str] = DOCUMENTS
    indexed: bool = False
    nd30_native: bool = True
    max_len: int | None = None
    min_year: int = 1930

    @property
    def profile_key(self) -> str | None:
        """Return the key under ``fields["profile"]`` for a personal-file field."""
        return self.key.split(".", 1)[1] if self.key.startswith("profile.") else None


def _profile(
    key: str, label: str, type_: FieldType = FieldType.TEXT, min_year: int = 1930
) -> FieldSpec:
    return FieldSpec(
        f"profile.{key}",
        f"profile.{key}",
        label,
        type_,
        PROFILES,
        nd30_native=False,
        min_year=min_year,
    )


T = FieldType
# In form order: the order reviewers see and the export writes (a personal file shows its
# form fields after its title, then its mark and page count).
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "doc_type", "TypeName", "Loại văn bản", T.TEXT, EVERY_KIND, indexed=True, max_len=100
    ),
    # Personal files (Sơ yếu lý lịch, Phiếu/Lý lịch đảng viên).
    _profile("ho_ten", "Họ và tên", T.NAME),
    _profile("ho_ten_khai_sinh", "Họ tên khai sinh", T.NAME),
    _profile("bi_danh", "Bí danh"),
    _profile("gioi_tinh", "Giới tính"),
    # Veteran members' files hold birth dates long before the archive's own documents.
    _profile("ngay_sinh", "Ngày sinh", T.DATE, min_year=1880),
    _profile("noi_sinh", "Nơi sinh"),
    _profile("que_quan", "Quê quán"),
    _profile("noi_o", "Nơi ở hiện nay"),
    _profile("dan_toc", "Dân tộc"),
    _profile("ton_giao", "Tôn giáo"),
    _profile("nghe_nghiep", "Nghề nghiệp"),
    _profile("trinh_do_pho_thong", "Giáo dục phổ thông"),
    _profile("ly_luan_chinh_tri", "Lý luận chính trị"),
    _profile("ngoai_ngu", "Ngoại ngữ"),
    _profile("ngay_vao_doan", "Ngày vào Đoàn", T.DATE),
    _profile("ngay_vao_dang", "Ngày vào Đảng", T.DATE),
    _profile("ngay_chinh_thuc", "Ngày chính thức", T.DATE),
    _profile("so_the_dang_vien", "Số thẻ đảng viên"),
    _profile("so_ly_lich", "Số lý lịch"),
    _profile("so_cccd", "Số CCCD/CMND"),
    FieldSpec("number", "CodeNumber", "Số", T.NUMBER),
    FieldSpec("symbol", "CodeNotation", "Ký hiệu", T.SYMBOL, indexed=True),
    FieldSpec("date", "IssuedDate", "Ngày ban hành", T.DATE, indexed=True),
    FieldSpec("issuer", "OrganName", "Cơ quan ban hành", T.TEXT, indexed=True),
    FieldSpec("parent_issuer", "ParentOrganName", "Cơ quan chủ quản", T.TEXT, nd30_native=False),
    FieldSpec("place", "IssuedPlace", "Địa danh", T.TEXT, nd30_native=False, max_len=100),
    FieldSpec("subject", "Subject", "Trích yếu", T.TEXT, indexed=True, max_len=500),
    FieldSpec("signer_name", "FullName", "Người ký", T.NAME, indexed=True),
    FieldSpec("signer_title", "Position", "Chức vụ người ký", T.TEXT, indexed=True, max_len=100),
    FieldSpec(
        "signing_authority",
        "SigningAuthority",
        "Thẩm quyền ký",
        T.TEXT,
        nd30_native=False,
        max_len=50,
    ),
    # NĐ 30 field 14 "Mức độ khẩn, độ mật" (Priority), split into its two halves.
    FieldSpec("secrecy", "Priority.Secrecy", "Độ mật", T.SECRECY, EVERY_KIND),
    FieldSpec("urgency", "Priority.Urgency", "Độ khẩn", T.URGENCY),
    FieldSpec("recipients", "To.OrganName", "Nơi nhận", T.LIST),
    FieldSpec("page_count", "PageAmount", "Số trang", T.COUNT, EVERY_KIND),
)
BY_KEY: dict[str, FieldSpec] = {f.key: f for f in FIELDS}
KEYS: tuple[str, ...] = tuple(BY_KEY)
LABELS: dict[str, str] = {f.key: f.label for f in FIELDS}
# Top-level fields of administrative documents, and the keys under fields["profile"].
DOCUMENT_KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS if f.profile_key is None)
PROFILE_KEYS: tuple[str, ...] = tuple(f.profile_key for f in FIELDS if f.profile_key)


def fields_for(kind: str | None) -> tuple[FieldSpec, ...]:
    """Return the fields a record of this kind carries, in form order."""
    kind = kind if kind in EVERY_KIND else "other"
    return tuple(f for f in FIELDS if kind in f.kinds)
