"""Disk faults (read-only or full data directory) recognised wherever they surface.

The same condition reaches sohoa in several shapes: an ``OSError`` from a file write
(``EROFS``, ``ENOSPC``), an SQLite error from the database file (``SQLITE_READONLY``,
``SQLITE_FULL``), a PostgreSQL ``disk_full`` (SQLSTATE 53100). :func:`storage_fault` turns
each into one :class:`StorageError` with a Vietnamese message naming what to do; anything
else is left alone (None), so callers re-raise it unchanged.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.errors import SohoaError, StorageError

READ_ONLY = "storage_read_only"
DISK_FULL = "disk_full"
IO_ERROR = "disk_io_error"
CODES = frozenset({READ_ONLY, DISK_FULL, IO_ERROR})

_ERRNO = {
    errno.EROFS: READ_ONLY,
    errno.EACCES: READ_ONLY,
    errno.EPERM: READ_ONLY,
    errno.ENOSPC: DISK_FULL,
    errno.EDQUOT: DISK_FULL,
    errno.EFBIG: DISK_FULL,
    errno.EIO: IO_ERROR,
}
_SQLITE = (  # first match wins: SHMSIZE (no room for the -shm file) before other I/O errors
    ("SQLITE_READONLY", READ_ONLY),
    ("SQLITE_FULL", DISK_FULL),
    ("SQLITE_IOERR_SHMSIZE", DISK_FULL),
    ("SQLITE_IOERR", IO_ERROR),
)
_SQLSTATE = {"53100": DISK_FULL, "25006": READ_ONLY}


def make_storage_error(code: str, where: str | None = None, detail: str = "") -> StorageError:
    """Return the :class:`StorageError` of ``code``, naming ``where`` when known."""
    at = f" ({where})" if where else ""
    if code == DISK_FULL:
        vi = (
            f"Ổ đĩa chứa dữ liệu đã đầy{at}; việc đang làm đã dừng và không có gì bị ghi dở. "
            "Hãy giải phóng dung lượng rồi chạy lại đúng lệnh này để tiếp tục."
        )
    elif code == READ_ONLY:
        vi = (
            f"Không ghi được vào thư mục dữ liệu{at}: ổ đĩa đang ở chế độ chỉ đọc hoặc không "
            "có quyền ghi. Các lệnh chỉ xem (sohoa status) vẫn dùng được; hãy cho phép ghi "
            "rồi chạy lại lệnh này."
        )
    else:
        vi = f"Lỗi đọc/ghi ổ đĩa{at}. Hãy kiểm tra ổ đĩa rồi chạy lại lệnh này."
    return StorageError(f"{code}: {detail or where or ''}".rstrip(": "), code=code, message_vi=vi)


def _classify(exc: BaseException) -> tuple[str, str | None] | None:
    if isinstance(exc, OSError) and exc.errno in _ERRNO:
        # A permission error without a file name is not about the disk (a socket, a signal).
        if exc.filename is None and exc.errno in (errno.EACCES, errno.EPERM):
            return None
        return _ERRNO[exc.errno], None if exc.filename is None else str(exc.filename)
    name = getattr(exc, "sqlite_errorname", None)  # sqlite3 errors (Python 3.11+)
    if isinstance(name, str):
        for prefix, code in _SQLITE:
            if name.startswith(prefix):
                return code, None
    state = getattr(exc, "sqlstate", None)  # psycopg errors
    if isinstance(state, str) and state in _SQLSTATE:
        return _SQLSTATE[state], None
    return None


def storage_fault(exc: BaseException) -> StorageError | None:
    """Return the :class:`StorageError` that ``exc`` (or what it wraps) amounts to, or None."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, SohoaError):
            # Already translated: an unreadable input file is the sender's problem, not ours.
            return cur if isinstance(cur, StorageError) else None
        found = _classify(cur)
        if found is not None:
            return make_storage_error(found[0], found[1], str(cur))
        # SQLAlchemy keeps the driver's exception in .orig; others chain with "raise … from".
        cur = getattr(cur, "orig", None) or cur.__cause__
    return None


@contextmanager
def storage_faults() -> Iterator[None]:
    """Re-raise a disk fault escaping the block as :class:`StorageError` (others unchanged)."""
    try:
        yield
    except SohoaError:
        raise
    except Exception as e:
        fault = storage_fault(e)
        if fault is None:
            raise
        raise fault from e


def dir_writable(path: Path) -> bool:
    """Return whether files can be created in ``path`` (False on a read-only mount)."""
    return os.access(path, os.W_OK | os.X_OK)
