"""What the command line prints about received files and batches (Vietnamese, for clerks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from core.states import STAGE_VI, STATE_VI

if TYPE_CHECKING:  # imported where used: `sohoa --help` loads none of it
    from core.context import AppContext
    from pipeline.intake import IntakeReport

err = Console(stderr=True)
out = Console()


def tag(code: object) -> str:
    """Return ``[code]`` escaped so rich prints it instead of reading it as markup."""
    return escape(f"[{code}]")


def print_intake(ctx: AppContext, report: IntakeReport, user: str | None) -> None:
    """Print what happened to the files handed in: counts, duplicates, re-sends, failures."""
    from sqlalchemy import select

    from accounts.scope import intake_notices, scope_of
    from core.access import Scope
    from core.db_users import User

    err.print(f"Đã nhận {report.files} tệp, {report.pages} trang.")
    with ctx.session() as s:
        # As --user when it names an account (their collections and clearance), else as
        # the operator at the console, who may see everything.
        account = s.scalar(select(User).where(User.username == user)) if user else None
        scope = scope_of(account) if account is not None else Scope("tuyet_mat")
        for _name, notice in intake_notices(s, scope, report):
            err.print(f"[yellow]{escape(notice)}[/yellow]")
    for name, code, msg in report.failed:
        err.print(f"[red]Lỗi[/red] {escape(name)} {tag(code)}: {escape(msg)}")
    if report.skipped:
        err.print(f"Bỏ qua {len(report.skipped)} tệp không phải bản quét (.json, .txt, …).")


def print_status(st: dict[str, object]) -> None:
    """Print one batch's counts per stage and every failure with its reason."""
    table = Table(title=f"Lô {st['batch']}")
    table.add_column("Công đoạn")
    table.add_column("Trạng thái")
    table.add_column("Số lượng", justify="right")
    for name, n in sorted(dict(st["files"]).items()):  # type: ignore[call-overload]
        table.add_row("Tệp", STATE_VI.get(name, name), str(n))
    for stage, counts in dict(st["stages"]).items():  # type: ignore[call-overload]
        for status, n in sorted(counts.items()):
            table.add_row(STAGE_VI.get(stage, stage), STATE_VI.get(status, status), str(n))
    table.add_row("Tài liệu", "", str(st["documents"]))
    out.print(table)
    for f in st["failed_files"]:  # type: ignore[attr-defined]
        out.print(
            f"[red]Tệp lỗi[/red] {escape(f['file'])} {tag(f['code'])}: {escape(f['error'] or '')}"
        )
    for p in st["failed_pages"]:  # type: ignore[attr-defined]
        out.print(
            f"[red]Trang lỗi[/red] {escape(p['file'])} trang {p['page']} "
            f"{tag(p['code'])}: {escape(p['error'] or '')}"
        )
    for d in st["duplicates"]:  # type: ignore[attr-defined]
        out.print(f"[yellow]Trùng lặp[/yellow] {escape(d['file'])} (= tệp #{d['duplicate_of']})")
