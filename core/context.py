"""The objects an edge (CLI, API, worker) needs: settings, database, storage."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from core.db import make_engine, make_sessionmaker
from core.encryption_check import require_encrypted_storage
from core.faults import READ_ONLY, dir_writable, make_storage_error, storage_faults
from core.migrate import upgrade
from core.settings import Settings
from core.storage import Storage


@dataclass(frozen=True)
class AppContext:
    """Settings plus the live database and storage built from them."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Any]
    storage: Storage
    read_only: bool = False  # the data directory cannot be written (opened for reading)

    def __post_init__(self) -> None:
        # Sessions carry the settings: the audit trail finds its key and anchor file
        # (data_dir/audit) from the session it is given (audit.anchor).
        self.sessions.configure(info={"settings": self.settings})

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Yield a session that commits on success and rolls back on error.

        A read-only or full disk met by the block or by the commit becomes one
        :class:`~core.errors.StorageError`, whichever edge runs the block.
        """
        with storage_faults(), self.sessions() as s, s.begin():
            yield s


def open_context(settings: Settings, *, migrate: bool = True) -> AppContext:
    """Create the data directory, migrate the database (unless told not to), return the context.

    Concurrent starts on an empty database migrate it once (``core.migrate``); ``sohoa db
    status`` opens without migrating to show where the schema stands. A data directory that
    cannot be written (a read-only mount, no permission) is opened for reading: commands
    that only read (``sohoa status``) work, and the first write raises ``StorageError``.

    Raises:
        StorageError: the data directory cannot be created, or it is read-only while the
            SQLite database in it does not exist yet or needs a schema upgrade.
    """
    with storage_faults():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        read_only = not dir_writable(settings.data_dir)
        require_encrypted_storage(settings.data_dir, settings.require_encrypted_storage)
        storage = Storage(settings.data_dir)
        if not read_only:
            storage.create()
        sqlite_file = None if settings.database_url else settings.data_dir / "sohoa.db"
        if read_only and sqlite_file is not None and not sqlite_file.exists():
            raise make_storage_error(READ_ONLY, str(settings.data_dir))
        engine = make_engine(settings.db_url, read_only=read_only and sqlite_file is not None)
        if migrate:
            upgrade(engine)  # an up-to-date database is recognised without writing
    return AppContext(settings, engine, make_sessionmaker(engine), storage, read_only)
