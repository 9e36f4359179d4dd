"""``sohoa search``, ``sohoa reindex`` and ``sohoa reconcile``."""

from __future__ import annotations

import argparse
import json
import re
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape

from core.access import Scope

if TYPE_CHECKING:  # imported where used: `sohoa --help` loads none of it
    from core.context import AppContext

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
_TAG_RE = re.compile(r"<[^>]+>")


def _plain(snippet: str) -> str:
    """Turn an HTML snippet into rich markup: marks in bold yellow, entities decoded."""
    import html

    parts = re.split(r"(<mark>.*?</mark>)", snippet)
    return "".join(
        f"[bold yellow]{escape(html.unescape(_TAG_RE.sub('', p)))}[/bold yellow]"
        if p.startswith("<mark>")
        else escape(html.unescape(p))
        for p in parts
    )


def cmd_search(args: argparse.Namespace, ctx: AppContext) -> int:
    """Search the index as a user (their clearance and collections) or at a clearance."""
    from accounts.scope import scope_of, search_in_scope
    from core.db_users import get_user
    from core.search_types import SearchQuery
    from pipeline import indexing

    with ctx.session() as s:
        # --user sees exactly what that account sees on the web; --clearance alone has no
        # collection limit (the operator's own search, as before).
        scope = scope_of(get_user(s, args.user)) if args.user else Scope(args.clearance)
        query = SearchQuery(
            text=args.query,
            clearance=scope.clearance,
            doc_types=tuple(args.type or ()),
            issuers=tuple(args.issuer or ()),
            kinds=tuple(args.kind or ()),
            batches=tuple(args.batch or ()),
            collections=tuple(args.collection or ()),
            year_from=args.year_from,
            year_to=args.year_to,
            limit=args.limit,
        )
        result = search_in_scope(indexing.get_backend(ctx), s, query, scope)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return 0
    out.print(f"{result.total} tài liệu ({result.took_ms:.1f} ms)")
    for n, hit in enumerate(result.hits, start=1):
        meta = " · ".join(x for x in (hit.symbol, hit.date, hit.issuer) if x)
        pages = ", ".join(str(p) for p in hit.pages)
        out.print(f"[bold]{n}. #{hit.id} {escape(hit.title or '(không có tiêu đề)')}[/bold]")
        if meta:
            out.print(f"   {escape(meta)}")
        if pages:
            out.print(f"   trang: {pages}")
        for snip in hit.snippets:
            out.print(f"   {_plain(snip)}")
    for name, values in result.facets.items():
        if values:
            shown = ", ".join(f"{escape(v.value)} ({v.count})" for v in values[:8])
            out.print(f"[dim]{name}: {shown}[/dim]")
    return 0


def cmd_reindex(args: argparse.Namespace, ctx: AppContext) -> int:
    """Rebuild the whole index from the database."""
    from pipeline import indexing

    n = indexing.reindex(ctx)
    err.print(f"Đã lập lại chỉ mục {ctx.settings.search.backend}: {n} tài liệu.")
    return 0


def cmd_reconcile(args: argparse.Namespace, ctx: AppContext) -> int:
    """Compare database and index, repair drift and report what was fixed."""
    from pipeline import indexing
    from pipeline.pdfs import rebuild_missing_pdfs

    r = indexing.reconcile(ctx)
    pdfs = rebuild_missing_pdfs(ctx)
    report: dict[str, Any] = {
        "checked": r.checked,
        "added": list(r.added),
        "updated": list(r.updated),
        "removed": list(r.removed),
        "pdfs_built": pdfs,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return 0
    if pdfs:
        err.print(f"Đã dựng lại bản PDF còn thiếu của {len(pdfs)} tài liệu.")
    if r.clean:
        err.print(f"Chỉ mục khớp cơ sở dữ liệu ({r.checked} tài liệu), không cần sửa.")
    else:
        err.print(
            f"Đã kiểm tra {r.checked} tài liệu: thêm {len(r.added)}, cập nhật "
            f"{len(r.updated)}, xóa {len(r.removed)} khỏi chỉ mục."
        )
        for label, ids in (("thêm", r.added), ("cập nhật", r.updated), ("xóa", r.removed)):
            if ids:
                err.print(
                    f"  {label}: "
                    + ", ".join(f"#{i}" for i in ids[:50])
                    + (" …" if len(ids) > 50 else "")
                )
    return 0


def register(sub: Any) -> None:
    """Add the ``search``, ``reindex`` and ``reconcile`` commands."""
    se = sub.add_parser("search", help="tìm kiếm toàn văn (có dấu hoặc không dấu, số ký hiệu)")
    se.add_argument("query", help='từ khóa, "cụm từ" hoặc số ký hiệu như 14-KH/BTCTU')
    se.add_argument("--type", action="append", help="loại văn bản, ví dụ 'NGHỊ QUYẾT'")
    se.add_argument("--issuer", action="append", help="cơ quan ban hành")
    se.add_argument(
        "--kind", action="append", choices=["party_document", "state_document", "profile", "other"]
    )
    se.add_argument("--batch", action="append", help="tên lô")
    se.add_argument("--collection", action="append", help="bộ sưu tập")
    se.add_argument("--year-from", type=int)
    se.add_argument("--year-to", type=int)
    se.add_argument("--limit", type=int, default=10)
    who = se.add_mutually_exclusive_group()
    who.add_argument(
        "--clearance",
        default="thuong",
        choices=["thuong", "mat", "toi_mat", "tuyet_mat"],
        help="mức được phép xem của người tra cứu",
    )
    who.add_argument(
        "--user", help="tra cứu như tài khoản này (mức được xem, bộ sưu tập, đơn vị của tài khoản)"
    )
    se.add_argument("--json", action="store_true")
    se.set_defaults(func=cmd_search)

    ri = sub.add_parser("reindex", help="lập lại toàn bộ chỉ mục tìm kiếm từ cơ sở dữ liệu")
    ri.set_defaults(func=cmd_reindex)

    rc = sub.add_parser("reconcile", help="so khớp chỉ mục với cơ sở dữ liệu và sửa sai lệch")
    rc.add_argument("--json", action="store_true")
    rc.set_defaults(func=cmd_reconcile)
