"""`sohoa --help` starts fast: no heavy library is loaded to print the commands."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

HEAVY = ("cv2", "numpy", "sqlalchemy", "tantivy", "celery", "fastapi", "PIL", "pikepdf")


def test_help_loads_no_heavy_library():
    code = (
        "import sys, contextlib, io\n"
        "from cli.main import main\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help'])\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert r.stdout.strip() == "", f"loaded by --help: {r.stdout.strip()}"


def test_every_command_still_registers():
    r = subprocess.run(
        [sys.executable, "-m", "cli.main", "--help"], cwd=REPO, capture_output=True, text=True
    )
    assert r.returncode == 0
    for command in (
        "ingest",
        "status",
        "export",
        "serve",
        "worker",
        "plan",
        "report",
        "search",
        "reindex",
        "reconcile",
        "users",
        "audit",
        "backup",
        "classify",
        "reocr",
    ):
        assert command in r.stdout, command
