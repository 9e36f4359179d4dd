"""Input errors a clerk can act on, one constructor per kind of bad file."""

from __future__ import annotations

from core.errors import InputError


def empty_file() -> InputError:
    """Return the error for a 0-byte file."""
    return InputError(
        "file is empty (0 bytes)",
        code="empty_file",
        message_vi="Tệp rỗng (0 byte), không có nội dung để số hóa. "
        "Hãy quét hoặc sao chép lại tệp.",
    )


def unsupported(detected: str) -> InputError:
    """Return the error for content that is not a PDF, TIFF, JPEG, PNG or ZIP."""
    return InputError(
        f"unsupported file type: {detected}",
        code="unsupported_type",
        message_vi=f"Định dạng tệp không được hỗ trợ (nội dung thực là: {detected}). "
        "Chỉ nhận PDF, TIFF, JPEG, PNG hoặc ZIP chứa các tệp đó.",
        detected=detected,
    )


def pdf_corrupt(reason: str) -> InputError:
    """Return the error for a PDF that cannot be read or repaired."""
    return InputError(
        f"PDF is corrupt or truncated: {reason}",
        code="pdf_corrupt",
        message_vi="Tệp PDF bị hỏng hoặc không đầy đủ (có thể do sao chép/tải lên "
        "bị gián đoạn), không đọc được nội dung trang. "
        "Hãy xuất hoặc quét lại tệp.",
    )


def pdf_encrypted() -> InputError:
    """Return the error for a password-protected PDF."""
    return InputError(
        "PDF is password-protected",
        code="pdf_encrypted",
        message_vi="Tệp PDF được đặt mật khẩu. Hãy gỡ mật khẩu (hoặc xuất lại "
        "bản không mật khẩu) rồi tải lên lại.",
    )


def pdf_too_many_pages(pages: int, limit: int) -> InputError:
    """Return the error for a PDF over the page limit."""
    return InputError(
        f"PDF has {pages} pages, limit {limit}",
        code="pdf_too_many_pages",
        message_vi=f"Tệp PDF có {pages} trang, vượt giới hạn {limit} trang. "
        "Hãy tách thành nhiều tệp.",
    )


def image_too_large(width: int, height: int, limit_mp: float) -> InputError:
    """Return the error for an image over the pixel limit (decompression-bomb guard)."""
    mp = width * height / 1e6
    return InputError(
        f"image {width}x{height} ({mp:.0f} MP) exceeds {limit_mp:.0f} MP",
        code="image_too_large",
        message_vi=f"Ảnh quá lớn ({width}×{height} điểm ảnh, {mp:.0f} megapixel; "
        f"giới hạn {limit_mp:.0f} megapixel). Hãy quét lại ở độ phân "
        "giải 200-300 dpi.",
    )


def image_corrupt(reason: str) -> InputError:
    """Return the error for an image whose data cannot be decoded."""
    return InputError(
        f"image cannot be decoded: {reason}",
        code="image_corrupt",
        message_vi="Tệp ảnh bị hỏng, không giải mã được. Hãy quét hoặc sao chép lại tệp.",
    )


def office_document(kind: str) -> InputError:
    """Return the error for a Word/Excel/OpenDocument file (a ZIP) sent as a scan."""
    return InputError(
        f"office document ({kind}), not a scan",
        code="unsupported_type",
        message_vi=f"Đây là tệp văn phòng ({kind}), không phải bản quét. Hãy xuất "
        "sang PDF rồi tải lên.",
        detected=kind,
    )


def zip_unsafe(name: str) -> InputError:
    """Return the error for a ZIP entry with an absolute or parent-escaping path."""
    return InputError(
        f"unsafe path in ZIP: {name!r}",
        code="zip_unsafe_path",
        message_vi=f"Tệp nén chứa đường dẫn không an toàn ({name}); mục này bị bỏ qua.",
    )


def zip_bomb(reason: str) -> InputError:
    """Return the error for an archive that would expand beyond the limits."""
    return InputError(
        f"ZIP exceeds limits: {reason}",
        code="zip_bomb",
        message_vi="Tệp nén bung ra quá lớn hoặc quá nhiều tệp (nghi là tệp nén "
        "độc hại); không xử lý. Hãy nén lại thành các phần nhỏ hơn.",
    )


def zip_corrupt(reason: str) -> InputError:
    """Return the error for a ZIP that cannot be read."""
    return InputError(
        f"ZIP cannot be read: {reason}",
        code="zip_corrupt",
        message_vi="Tệp nén ZIP bị hỏng hoặc có mật khẩu, không đọc được.",
    )


def file_vanished(name: str) -> InputError:
    """Return the error for a file that disappeared or shrank while being read."""
    return InputError(
        f"file vanished while reading: {name}",
        code="file_vanished",
        message_vi="Tệp biến mất hoặc bị thay đổi trong lúc đang đọc (tải lên "
        "bị gián đoạn?). Hãy gửi lại tệp.",
    )


def file_unreadable(name: str, reason: str) -> InputError:
    """Return the error for a file the system refuses to read (permissions, I/O error)."""
    return InputError(
        f"cannot read {name}: {reason}",
        code="file_unreadable",
        message_vi="Không đọc được tệp (không có quyền hoặc lỗi ổ đĩa). Hãy kiểm "
        "tra tệp rồi gửi lại.",
    )


def image_too_many_frames(limit: int) -> InputError:
    """Return the error for a multi-page image (TIFF) with more frames than allowed."""
    return InputError(
        f"image has more than {limit} frames",
        code="image_too_large",
        message_vi=f"Tệp ảnh nhiều trang có quá {limit} trang. Hãy tách thành nhiều tệp.",
    )
