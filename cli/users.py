"""``sohoa users …`` (accounts, roles, API tokens) and ``sohoa inbox`` (a scanner's drop folder)."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import logging
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import InputError
from core.levels import LEVELS
from core.roles import ROLES

if TYPE_CHECKING:  # imported where used: `sohoa --help` loads none of it
    from accounts import users
    from core.context import AppContext
    from pipeline.intake import IntakeReport

log = logging.getLogger(__name__)
DONE_DIR, FAILED_DIR = "da_xu_ly", "loi"
PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial")
STATE_DONE_VI = {
    "lock": "đã khóa tài khoản",
    "unlock": "đã mở khóa tài khoản",
    "deactivate": "đã vô hiệu hóa tài khoản",
    "activate": "đã kích hoạt lại tài khoản",
}


def _password(args: argparse.Namespace) -> str:
    # Prefer an environment variable or stdin to a command-line argument (ps shows argv).
    if args.password_env:
        value = os.environ.get(args.password_env)
        if not value:
            raise InputError(
                "password env empty",
                code="bad_argument",
                message_vi=f"Biến môi trường {args.password_env} trống.",
            )
        return value
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mật khẩu: ")
    if getpass.getpass("Nhập lại: ") != first:
        raise InputError(
            "mismatch", code="password_mismatch", message_vi="Hai lần nhập mật khẩu không khớp."
        )
    return first


def _actor() -> users.Actor:
    # The operating-system login acts at the command line; no account, so no self-checks.
    from accounts import users
    from audit import trail as audit

    return users.Actor(audit.cli_actor(None), "cli")


def cmd_add(args: argparse.Namespace, ctx: AppContext) -> int:
    """Create a user."""
    from accounts import users

    password = _password(args)
    with ctx.session() as s:
        u = users.create_user(
            s,
            _actor(),
            args.username,
            password,
            args.role,
            args.clearance,
            args.full_name,
            args.collection or (),
            args.department or (),
        )
        name = u.username
    print(f"Đã tạo người dùng {name} (vai trò {args.role}, được xem {args.clearance}).")
    return 0


def cmd_list(args: argparse.Namespace, ctx: AppContext) -> int:
    """List users."""
    from accounts import users

    with ctx.session() as s:
        print(f"{'tên đăng nhập':20} {'vai trò':10} {'được xem':10} {'trạng thái':10} họ tên")
        for u in users.list_users(s):
            state = "khóa" if u.locked else ("hoạt động" if u.active else "vô hiệu")
            print(f"{u.username:20} {u.role:10} {u.clearance:10} {state:10} {u.full_name or ''}")
    return 0


def cmd_set_role(args: argparse.Namespace, ctx: AppContext) -> int:
    """Change a user's role and/or clearance."""
    from accounts import users
    from core.db_users import get_user

    with ctx.session() as s:
        u = users.change_access(s, _actor(), get_user(s, args.username), args.role, args.clearance)
        print(f"{u.username}: vai trò {u.role}, được xem {u.clearance}.")
    return 0


def cmd_set_scope(args: argparse.Namespace, ctx: AppContext) -> int:
    """Set the collections and departments a user works on (replacing the old lists)."""
    from accounts import users
    from core.db_users import get_user

    with ctx.session() as s:
        u = get_user(s, args.username)
        users.change_scope(s, _actor(), u, args.collection or (), args.department or ())
        print(
            f"{u.username}: bộ sưu tập {', '.join(u.collections or []) or '—'}; "
            f"đơn vị {', '.join(u.departments or []) or '—'}."
        )
    return 0


def cmd_state(args: argparse.Namespace, ctx: AppContext) -> int:
    """Lock, unlock, deactivate or reactivate an account."""
    from accounts import users
    from core.db_users import get_user

    with ctx.session() as s:
        u = get_user(s, args.username)
        if args.users_command in ("lock", "unlock"):
            users.set_locked(s, _actor(), u, args.users_command == "lock")
        else:
            users.set_active(s, _actor(), u, args.users_command == "activate")
    print(f"{args.username}: {STATE_DONE_VI[args.users_command]}.")
    return 0


def cmd_reset_password(args: argparse.Namespace, ctx: AppContext) -> int:
    """Set a new password (ends the user's sessions)."""
    from accounts import users
    from core.db_users import get_user

    password = _password(args)
    with ctx.session() as s:
        users.reset_password(s, _actor(), get_user(s, args.username), password)
    print(f"Đã đặt lại mật khẩu cho {args.username}; các phiên đăng nhập cũ đã kết thúc.")
    return 0


def cmd_token(args: argparse.Namespace, ctx: AppContext) -> int:
    """Create an API token (printed once) or revoke a user's tokens."""
    from accounts import users

    with ctx.session() as s:
        if args.revoke:
            n = users.revoke_tokens(s, _actor(), args.username)
            print(f"Đã thu hồi {n} mã truy cập của {args.username}.")
            return 0
        secret = users.issue_token(s, _actor(), args.username, args.name or "", args.days)
    print(secret)
    print(
        "Lưu mã này ngay: nó không được hiển thị lại. Gửi kèm tiêu đề "
        "'Authorization: Bearer <mã>'.",
        file=sys.stderr,
    )
    return 0


def _stable_files(folder: Path, sizes: dict[Path, int]) -> list[Path]:
    """Return files whose size did not change since the last poll (the scanner finished)."""
    ready = []
    seen = {}
    for p in sorted(folder.iterdir()):
        if not p.is_file() or p.name.startswith(".") or p.name.lower().endswith(PARTIAL_SUFFIXES):
            continue
        size = p.stat().st_size
        seen[p] = size
        if sizes.get(p) == size:
            ready.append(p)
    sizes.clear()
    sizes.update(seen)
    return ready


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            yield chunk


def inbox_once(
    ctx: AppContext, folder: Path, prefix: str, sizes: dict[Path, int], today: dt.date | None = None
) -> tuple[int | None, IntakeReport]:
    """Register the folder's settled files into the day's batch and move them aside."""
    from pipeline.intake import IntakeReport, get_or_create_batch, register_stream

    report = IntakeReport()
    ready = _stable_files(folder, sizes)
    if not ready:
        return None, report
    day = today or dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
    batch_id = get_or_create_batch(ctx, f"{prefix}-{day.isoformat()}", created_by="inbox")
    for path in ready:
        failed_before = len(report.failed)
        register_stream(ctx, batch_id, path.name, _chunks(path), report)
        # The bytes are stored either way; failed files go to a separate folder for a look.
        dest = folder / (FAILED_DIR if len(report.failed) > failed_before else DONE_DIR)
        dest.mkdir(exist_ok=True)
        target = dest / path.name
        if target.exists():
            target = dest / f"{path.stem}-{int(time.time())}{path.suffix}"
        path.replace(target)
        sizes.pop(path, None)
    return batch_id, report


def cmd_inbox(args: argparse.Namespace, ctx: AppContext) -> int:
    """Poll a folder written by scanners; register, move aside, process."""
    from pipeline.runner import run_batch

    folder = Path(args.watch)
    if not folder.is_dir():
        raise InputError(
            f"{folder} is not a folder",
            code="bad_argument",
            message_vi=f"Không thấy thư mục {folder}.",
        )
    sizes: dict[Path, int] = {}
    print(f"Đang theo dõi {folder} (lô {args.batch_prefix}-<ngày>). Nhấn Ctrl+C để dừng.")
    while True:
        batch_id, report = inbox_once(ctx, folder, args.batch_prefix, sizes)
        if batch_id is not None:
            print(
                f"Đã nhận {report.files} tệp, {report.pages} trang; trùng lặp: "
                f"{len(report.duplicates)}; lỗi: {len(report.failed)}."
            )
            if not args.no_process:
                run_batch(ctx, batch_id)
        if args.once and not sizes:
            return 0
        time.sleep(args.poll)


def register(sub: Any) -> None:
    """Add the ``users`` and ``inbox`` commands."""
    us = sub.add_parser("users", help="quản lý người dùng, vai trò, mã truy cập API")
    uss = us.add_subparsers(dest="users_command", required=True)
    pw = argparse.ArgumentParser(add_help=False)
    pw.add_argument(
        "--password-env",
        help="đọc mật khẩu từ biến môi trường này (mặc định: hỏi, hoặc đọc một dòng từ stdin)",
    )
    scope = argparse.ArgumentParser(add_help=False)
    scope.add_argument(
        "--collection",
        action="append",
        metavar="TÊN",
        help="bộ sưu tập phụ trách (lặp lại cho nhiều)",
    )
    scope.add_argument(
        "--department",
        action="append",
        metavar="TÊN",
        help="đơn vị / phòng ban (lặp lại cho nhiều)",
    )
    add = uss.add_parser("add", parents=[pw, scope], help="tạo người dùng")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, default="tra_cuu")
    add.add_argument("--clearance", choices=LEVELS, default="thuong")
    add.add_argument("--full-name")
    add.set_defaults(func=cmd_add)
    uss.add_parser("list", help="liệt kê người dùng").set_defaults(func=cmd_list)
    sr = uss.add_parser("set-role", help="đổi vai trò / mức được xem")
    sr.add_argument("username")
    sr.add_argument("role", choices=ROLES)
    sr.add_argument("--clearance", choices=LEVELS)
    sr.set_defaults(func=cmd_set_role)
    ss = uss.add_parser(
        "set-scope", parents=[scope], help="đặt bộ sưu tập / đơn vị phụ trách (thay danh sách cũ)"
    )
    ss.add_argument("username")
    ss.set_defaults(func=cmd_set_scope)
    for name, text in (
        ("lock", "khóa tài khoản"),
        ("unlock", "mở khóa (xóa cả khóa do đăng nhập sai)"),
        ("deactivate", "vô hiệu hóa tài khoản"),
        ("activate", "kích hoạt lại tài khoản"),
    ):
        st = uss.add_parser(name, help=text)
        st.add_argument("username")
        st.set_defaults(func=cmd_state)
    rp = uss.add_parser("reset-password", parents=[pw], help="đặt lại mật khẩu")
    rp.add_argument("username")
    rp.set_defaults(func=cmd_reset_password)
    tk = uss.add_parser("token", help="tạo (hoặc --revoke thu hồi) mã truy cập API")
    tk.add_argument("username")
    tk.add_argument("--name", help="ghi chú: script nào dùng mã này")
    tk.add_argument("--revoke", action="store_true")
    tk.add_argument("--days", type=int, default=90, help="hiệu lực (ngày, 1–365; mặc định 90)")
    tk.set_defaults(func=cmd_token)

    ib = sub.add_parser("inbox", help="theo dõi thư mục máy quét ghi vào, tự nhận và xử lý")
    ib.add_argument("--watch", required=True, metavar="DIR")
    ib.add_argument("--batch-prefix", required=True, metavar="P", help="lô theo ngày: P-YYYY-MM-DD")
    ib.add_argument("--poll", type=float, default=10.0)
    ib.add_argument("--once", action="store_true", help="dừng khi thư mục đã trống")
    ib.add_argument("--no-process", action="store_true", help="chỉ nhận, không chạy OCR")
    ib.set_defaults(func=cmd_inbox)
