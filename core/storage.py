"""Content-addressed store of originals and per-page/per-document derived files.

Layout under the data directory (every path below is asked of :class:`Storage`)::

    originals/ab/cd/<sha256>          the bytes as received, read-only, never rewritten
    derived/pages/<page_id>/          page.jpg (review image), words.json (word boxes),
                                      thumb.jpg (list preview, made on first request),
                                      page-colour.jpg (colour scans with seals or pen only)
    derived/documents/<doc_id>/       document.pdf (searchable PDF)
    index/<backend>/                  the search index (unless settings name another folder)
    locks/                            batch locks of SQLite mode
    broker/                           the embedded Celery broker's queue files
    workers/                          worker heartbeat files
    tmp/                              partial uploads (same filesystem: the final move is atomic)
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from core.errors import InputError
from core.faults import storage_faults


@dataclass(frozen=True, slots=True)
class StoredBlob:
    """Result of storing bytes: where they are and whether they were already there."""

    sha256: str
    size: int
    path: Path
    existed: bool


class Storage:
    """Files of one sohoa installation, rooted at the data directory."""

    PAGE_IMAGE = "page.jpg"
    PAGE_COLOUR = "page-colour.jpg"  # only for colour scans with seals or pen: re-readers
    PAGE_WORDS = "words.json"
    PAGE_THUMBNAIL = "thumb.jpg"
    DOCUMENT_PDF = "document.pdf"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.originals = self.root / "originals"
        self.derived = self.root / "derived"
        self.tmp = self.root / "tmp"
        self.locks = self.root / "locks"
        self.broker = self.root / "broker"
        self.workers = self.root / "workers"

    def create(self) -> None:
        """Create the folders that must exist before anything is stored."""
        for d in (self.originals, self.derived, self.tmp):
            d.mkdir(parents=True, exist_ok=True)

    def original_path(self, sha256: str) -> Path:
        """Return where the original with this digest lives."""
        return self.originals / sha256[:2] / sha256[2:4] / sha256

    def store_stream(self, chunks: Iterable[bytes], *, max_bytes: int | None = None) -> StoredBlob:
        """Write a stream to a temporary file while hashing it, then move it into place once.

        Raises:
            InputError: ``file_too_large`` when the stream exceeds ``max_bytes``.
            StorageError: the disk is read-only or full (the partial file is removed).
        """
        digest = hashlib.sha256()
        size = 0
        with storage_faults():
            self.tmp.mkdir(parents=True, exist_ok=True)
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

    def page_dir(self, page_id: int) -> Path:
        """Return (and create) the folder of derived files for one page."""
        d = self.derived / "pages" / str(page_id)
        with storage_faults():
            d.mkdir(parents=True, exist_ok=True)
        return d

    def page_image(self, page_id: int) -> Path:
        """Return where the review image of a page is (or will be) written."""
        return self.derived / "pages" / str(page_id) / self.PAGE_IMAGE

    def page_colour_image(self, page_id: int) -> Path:
        """Return where the colour copy of a page's review image is, when it was kept."""
        return self.derived / "pages" / str(page_id) / self.PAGE_COLOUR

    def page_words(self, page_id: int) -> Path:
        """Return where the word boxes of a page are (or will be) written."""
        return self.derived / "pages" / str(page_id) / self.PAGE_WORDS

    def page_thumbnail(self, page_id: int) -> Path:
        """Return where the small list preview of a page is cached (made on first request)."""
        return self.derived / "pages" / str(page_id) / self.PAGE_THUMBNAIL

    def document_dir(self, doc_id: int) -> Path:
        """Return the folder of derived files for one document (not created)."""
        return self.derived / "documents" / str(doc_id)

    def document_pdf(self, doc_id: int) -> Path:
        """Return where the searchable PDF of a document is (or will be) written."""
        return self.document_dir(doc_id) / self.DOCUMENT_PDF

    def index_dir(self, backend: str, configured: Path | None = None) -> Path:
        """Return the search index folder of ``backend`` (a configured folder wins)."""
        return configured or self.root / "index" / backend


def write_atomic(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` so readers never see a half-written file.

    ``mode`` sets the file's permissions (the temporary file is created 0600).

    Raises:
        StorageError: the disk is read-only or full; ``path`` is left as it was.
    """
    with storage_faults():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            if mode is not None:
                Path(tmp_name).chmod(mode)
            Path(tmp_name).replace(path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                Path(tmp_name).unlink()
            raise


@contextlib.contextmanager
def atomic_output(path: Path, **open_args: Any) -> Iterator[TextIO]:
    """Write a text file (an export, a report) that appears only once complete.

    The text goes to a hidden file beside ``path`` that replaces it at the end; if writing
    fails (a full disk) or the block raises, ``path`` is left as it was and nothing partial
    remains.

    Raises:
        StorageError: the destination cannot be written (read-only or full disk).
    """
    path = Path(path)
    with storage_faults():
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "w", **open_args) as fh:
                yield fh
            tmp.chmod(0o644)  # mkstemp's 0600 would surprise whoever reads the export
            tmp.replace(path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise
