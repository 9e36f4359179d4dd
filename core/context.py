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

    def __post_init__(self) -> None:
        # Sessions carry the settings: the audit trail finds its key and anchor file
        # (data_dir/audit) from the session it is given (audit.anchor).
        self.sessions.configure(info={"settings": self.settings})

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Yield a session that commits on success and rolls back on error."""
        with self.sessions() as s, s.begin():
            yield s


def open_context(settings: Settings) -> AppContext:
    """Create the data directory, migrate the database and return the context."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    require_encrypted_storage(settings.data_dir, settings.require_encrypted_storage)
    storage = Storage(settings.data_dir)
    storage.create()
    engine = make_engine(settings.db_url)
    upgrade(engine)
    return AppContext(settings, engine, make_sessionmaker(engine), storage)
