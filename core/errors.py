"""The one error tree of sohoa.

    SohoaError
    ├── InputError (422)          bad or unsupported input; the file fails alone
    ├── ConfigError               settings or installation wrong; exit 78
    ├── DependencyError           a required program or model is missing; exit 69
    ├── StageError (500)          a stage could not finish a page or document
    ├── NotFoundError (404)
    ├── PermissionDenied (403)
    └── TransientError (503)      retryable: a lock, a busy database, a broker hiccup
        └── StorageError (507)    the data directory is read-only or full; exit 74

Every error carries a stable ``code`` (stored in the database next to the failed file or page)
and a Vietnamese message a clerk can act on (``message_vi``); ``str(err)`` stays English for logs.
Edges translate exactly once: one FastAPI handler, Celery ``autoretry_for=(TransientError,)``,
one CLI handler mapping to ``exit_code``.
"""

from __future__ import annotations

from typing import Any, ClassVar


class SohoaError(Exception):
    """Base of every error sohoa raises on purpose."""

    http_status: ClassVar[int] = 500
    exit_code: ClassVar[int] = 1
    retryable: ClassVar[bool] = False
    default_code: ClassVar[str] = "error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        message_vi: str | None = None,
        **details: Any,
    ) -> None:
        super().__init__(message)
        self.code = code or self.default_code
        self.message_vi = message_vi or message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-friendly form used in the export, the API and the database."""
        return {"code": self.code, "message": self.message_vi, "detail": str(self)}


class InputError(SohoaError):
    """The input itself is bad: empty, corrupt, encrypted, unsupported, too large, unsafe."""

    http_status = 422
    exit_code = 65  # EX_DATAERR
    default_code = "bad_input"


class ConfigError(SohoaError):
    """Settings are inconsistent or point at something unusable."""

    exit_code = 78  # EX_CONFIG
    default_code = "config"


class DependencyError(SohoaError):
    """A program or model sohoa needs (tesseract, pdftoppm, a tessdata file) is missing."""

    exit_code = 69  # EX_UNAVAILABLE
    default_code = "dependency_missing"


class StageError(SohoaError):
    """A processing stage failed on one page or document for a reason not in the input."""

    exit_code = 70  # EX_SOFTWARE
    default_code = "stage_failed"


class NotFoundError(SohoaError):
    """The batch, document or page asked for does not exist."""

    http_status = 404
    exit_code = 66  # EX_NOINPUT
    default_code = "not_found"


class PermissionDenied(SohoaError):
    """The caller may not see or change this object."""

    http_status = 403
    exit_code = 77  # EX_NOPERM
    default_code = "forbidden"


class TransientError(SohoaError):
    """Worth retrying later: a lock, a busy database, an unreachable broker."""

    http_status = 503
    exit_code = 75  # EX_TEMPFAIL
    retryable = True
    default_code = "transient"


class StorageError(TransientError):
    """The data directory (or the database's disk) cannot be written: read-only or full.

    Its own exit code, 74 (``EX_IOERR``), rather than 78: nothing in the settings is wrong and
    the operator's fix is on the machine (free space, remount read-write), after which simply
    running the same command again finishes the work. It is a :class:`TransientError` so a
    Celery task retries it with backoff and then gives its page back instead of failing it: a
    full disk says nothing about the page.
    """

    http_status = 507  # Insufficient Storage
    exit_code = 74  # EX_IOERR
    default_code = "storage_unwritable"
