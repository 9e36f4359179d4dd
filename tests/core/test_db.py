from sqlalchemy import inspect, text

from core.db import make_engine
from core.migrate import upgrade


def test_migrations_create_schema_in_wal_mode(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    upgrade(engine)
    upgrade(engine)  # idempotent on every start
    tables = set(inspect(engine).get_table_names())
    assert {"batch", "source_file", "document", "page", "page_stage"} <= tables
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
