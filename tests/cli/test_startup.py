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


def test_web_app_loads_no_ocr_stack():
    """The web app lists, searches and exports without OpenCV and numpy (~55 MiB per process).

    OCR loads with the first batch an embedded server runs or the first re-OCR a reviewer asks
    for; a server whose workers do the OCR never carries it (issue 18: export peak RSS).
    """
    code = "import sys\nimport api.main\nprint('cv2' in sys.modules or 'numpy' in sys.modules)\n"
    r = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert r.stdout.strip() == "False"
