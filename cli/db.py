"""``sohoa db upgrade`` and ``sohoa db status``: the database schema, for operators.

Every sohoa process upgrades the schema on start (once, under a lock: ``core.migrate``), so
nothing here is required. ``db upgrade`` lets a deployment migrate before starting anything
(the systemd units' ``ExecStartPre``) and see a failure in one place; ``db status`` shows the
revisions the database has against the ones this code expects, without changing anything.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: `sohoa --help` loads none of it
    from core.context import AppContext


def _names(revs: frozenset[str]) -> str:
    return ", ".join(sorted(revs)) or "(trống)"


def cmd_db_status(args: argparse.Namespace, ctx: AppContext) -> int:
    """Print the current and expected revisions; exit 1 when an upgrade is due."""
    from core.migrate import schema_state

    state = schema_state(ctx.engine)
    if args.json:
        print(
            json.dumps(
                {
                    "database": ctx.engine.dialect.name,
                    "current": sorted(state.current),
                    "pending": sorted(state.pending),
                    "unknown": sorted(state.unknown),
                    "up_to_date": state.up_to_date,
                }
            )
        )
    else:
        print(f"Cơ sở dữ liệu: {ctx.engine.url.render_as_string(hide_password=True)}")
        print(f"Phiên bản hiện tại: {_names(state.current)}")
        print(f"Chưa áp dụng: {_names(state.pending)}")
        if state.unknown:
            print(f"Phiên bản lạ (do sohoa mới hơn tạo): {_names(state.unknown)}")
        print("Đã cập nhật." if state.up_to_date else "Cần chạy: sohoa db upgrade")
    return 0 if state.up_to_date else 1


def cmd_db_upgrade(args: argparse.Namespace, ctx: AppContext) -> int:
    """Bring the schema to this code's revisions (waits for a concurrent upgrade)."""
    from core.migrate import schema_state, upgrade

    before = schema_state(ctx.engine)
    after = upgrade(ctx.engine)
    if before.up_to_date:
        print(f"Cơ sở dữ liệu đã ở phiên bản mới nhất ({_names(after.current)}).")
    else:
        print(f"Đã nâng cấp cơ sở dữ liệu: {_names(before.current)} → {_names(after.current)}.")
    return 0


def register(sub: Any) -> None:
    """Add ``db upgrade`` and ``db status``; neither migrates before it runs."""
    db = sub.add_parser("db", help="lược đồ cơ sở dữ liệu: nâng cấp, xem phiên bản")
    dsub = db.add_subparsers(dest="db_command", required=True)
    up = dsub.add_parser("upgrade", help="nâng cấp lược đồ lên phiên bản của mã nguồn")
    up.set_defaults(func=cmd_db_upgrade, migrate=False)
    st = dsub.add_parser("status", help="phiên bản lược đồ hiện tại và phiên bản cần có")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_db_status, migrate=False)
