"""Content-addressed store of originals and per-page/per-document derived files.

Layout under the data directory::

    originals/ab/cd/<sha256>        the bytes as received, read-only, never rewritten
    derived/pages/<page_id>/        page image for review, words JSON
    derived/documents/<doc_id>/     searchable PDF, text
    tmp/                            partial uploads (same filesystem, so the final move is atomic)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from core.errors import InputError

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class StoredBlob:
    """Result of storing bytes: where they are and whether they were already there."""

    sha256: str
    size: int
    path: Path
    existed: bool


class Storage:
    """Files of one sohoa installation, rooted at the data directory."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.originals = self.root / "originals"
        self.derived = self.root / "derived"
        self.tmp = self.root / "tmp"
        for d in (self.originals, self.derived, self.tmp):
            d.mkdir(parents=True, exist_ok=True)

    def original_path(self, sha256: str) -> Path:
        """Return where the original with this digest lives."""
        return self.originals / sha256[:2] / sha256[2:4] / sha256

    def store_stream(self, chunks: Iterable[bytes], *, max_bytes: int | None = None) -> StoredBlob:
        """Write a stream to a temporary file while hashing it, then move it into place once.

        Raises:
            InputError: ``file_too_large`` when the stream exceeds ``max_bytes``.
        """
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.tmp, prefix="in-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise InputError(
                            f"file exceeds {max_bytes} bytes",
                            code="file_too_large",
                            message_vi=f"Tệp quá lớn (vượt {max_bytes // (1 << 20)} MB); "
                            "hãy tách thành nhiều tệp nhỏ hơn.",
                        )
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            final = self.original_path(sha)
            if final.exists():
                return StoredBlob(sha, size, final, existed=True)
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            tmp.replace(final)
            return StoredBlob(sha, size, final, existed=False)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    def store_file(self, fh: BinaryIO, *, max_bytes: int | None = None) -> StoredBlob:
        """Store an open binary file (see :meth:`store_stream`)."""
        return self.store_stream(iter(lambda: fh.read(_CHUNK), b""), max_bytes=max_bytes)

    def page_dir(self, page_id: int) -> Path:
        """Return (and create) the folder of derived files for one page."""
        d = self.derived / "pages" / str(page_id)
        d.mkdir(parents=True, exist_ok=True)
        return d

    def document_dir(self, doc_id: int) -> Path:
        """Return (and create) the folder of derived files for one document."""
        d = self.derived / "documents" / str(doc_id)
        d.mkdir(parents=True, exist_ok=True)
        return d


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so readers never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        Path(tmp_name).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(tmp_name).unlink()
        raise
