"""`sohoa --help` starts fast: no heavy library is loaded to print the commands."""

from __future__ import annotations

import os
import platform
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


def test_web_app_loads_no_intake_or_extraction():
    """Uploads load ingest (pikepdf, pdf2image) and re-OCR loads extraction, on first use.

    A web process that only lists, searches and exports carries neither (~9 MiB; issue 18).
    """
    code = (
        "import sys\nimport api.main\n"
        "print(','.join(m for m in ('pikepdf', 'pdf2image', 'ingest', 'pipeline.intake', "
        "'extract') if m in sys.modules))\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert r.stdout.strip() == "", f"loaded by api.main: {r.stdout.strip()}"


def test_web_app_caps_malloc_arenas_unless_the_operator_set_them():
    code = (
        "import os\nfrom core.heap import limit_arenas\nprint(limit_arenas())\n"
        "os.environ['MALLOC_ARENA_MAX'] = '4'\nprint(limit_arenas())\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    r = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    capped, left = r.stdout.split()
    assert left == "False"  # the operator's setting rules
    assert capped in ("True", "False")  # False only where the C library has no mallopt
    if platform.libc_ver()[0] == "glibc":
        assert capped == "True"
