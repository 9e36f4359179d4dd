import pytest
from sqlalchemy import inspect, select, text

from core.db import Batch, make_engine
from core.migrate import upgrade


@pytest.mark.sqlite_only(reason="SQLite's journal mode")
def test_migrations_create_schema_in_wal_mode(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    upgrade(engine)
    upgrade(engine)  # idempotent on every start
    tables = set(inspect(engine).get_table_names())
    assert {"batch", "source_file", "document", "page", "page_stage"} <= tables
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_text_never_carries_nul_on_either_database(ctx):
    # PostgreSQL refuses NUL in text (a broken PDF text layer, a pasted correction); SQLite
    # took it. Both now store U+FFFD, so the same input behaves the same on each.
    with ctx.session() as s:
        s.add(Batch(name="lô\x00một", collection="a\x00"))
    with ctx.session() as s:
        assert s.scalars(select(Batch.name)).all() == ["lô\ufffdmột"]
