"""Which exceptions are disk faults, and which are not (tests/pipeline/test_disk_faults.py
has the real read-only and full filesystems)."""

from __future__ import annotations

import errno
import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from core.errors import InputError, StorageError
from core.faults import storage_fault, storage_faults


def _sqlite_error(name: str) -> sqlite3.OperationalError:
    e = sqlite3.OperationalError("disk trouble")
    e.sqlite_errorname = name  # type: ignore[attr-defined]
    return e


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (OSError(errno.ENOSPC, "No space left on device", "/d/x"), "disk_full"),
        (OSError(errno.EROFS, "Read-only file system", "/d/x"), "storage_read_only"),
        (PermissionError(errno.EACCES, "Permission denied", "/d/x"), "storage_read_only"),
        (_sqlite_error("SQLITE_READONLY"), "storage_read_only"),
        (_sqlite_error("SQLITE_FULL"), "disk_full"),
        (_sqlite_error("SQLITE_IOERR_SHMSIZE"), "disk_full"),  # no room for the -shm file
        (_sqlite_error("SQLITE_IOERR_WRITE"), "disk_io_error"),
        (OperationalError("UPDATE x", {}, _sqlite_error("SQLITE_FULL")), "disk_full"),
    ],
)
def test_disk_faults_become_one_storage_error(exc, code):
    fault = storage_fault(exc)
    assert isinstance(fault, StorageError) and fault.code == code and fault.exit_code == 74
    assert "chạy lại" in fault.message_vi


def test_other_errors_are_left_alone():
    assert storage_fault(ValueError("x")) is None
    assert storage_fault(OSError(errno.ENOENT, "No such file", "/d/x")) is None
    assert storage_fault(PermissionError(errno.EACCES, "socket")) is None  # not a file
    assert storage_fault(_sqlite_error("SQLITE_CONSTRAINT")) is None
    # An unreadable input file is the sender's problem, whatever OS error is behind it.
    try:
        try:
            raise PermissionError(errno.EACCES, "Permission denied", "/in/scan.pdf")
        except OSError as e:
            raise InputError("unreadable", code="file_unreadable") from e
    except InputError as e:
        assert storage_fault(e) is None
    with pytest.raises(InputError), storage_faults():
        raise InputError("bad", code="empty_file")
    with pytest.raises(StorageError), storage_faults():
        raise OSError(errno.ENOSPC, "No space left on device", "/d/x")
