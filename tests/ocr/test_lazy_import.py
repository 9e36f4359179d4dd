"""The OCR stage loads its page code on first use: the runner's parent never reads a page."""

from __future__ import annotations

import subprocess
import sys

import ocr
from tests.conftest import REPO

PAGE_LIBRARIES = ("cv2", "numpy")


def _loaded_after(code: str, names: tuple[str, ...] = PAGE_LIBRARIES) -> list[str]:
    probe = f"import sys\n{code}\nprint(','.join(m for m in {names!r} if m in sys.modules))"
    r = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    return [m for m in r.stdout.strip().split(",") if m]


def test_every_name_resolves_from_its_module():
    assert sorted(ocr.__all__) == sorted(ocr._HOME)
    for name in ocr.__all__:
        assert getattr(ocr, name) is not None, name
    assert set(ocr.MODULES) >= set(ocr._HOME.values())


def test_checking_the_engine_loads_no_page_library():
    code = (
        "import ocr\n"
        "from core.settings import OcrSettings\n"
        "engine = ocr.load_engine(OcrSettings())\n"
        "engine.label\n"
    )
    assert _loaded_after(code) == []


def test_the_runner_parent_imports_no_page_library():
    # Pool processes get the stage from the fork server's preload (forking.WORKER_MODULES).
    assert _loaded_after("import pipeline.runner") == []


def test_starting_the_fork_server_early_loads_no_page_library_nor_the_database():
    # `ingest --wait` imports it before opening the database (pipeline.forking).
    heavy = (*PAGE_LIBRARIES, "sqlalchemy", "extract", "pipeline.runner")
    assert _loaded_after("import pipeline.forking", heavy) == []
