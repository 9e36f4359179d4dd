"""Stage packages stay pure: no web, queue or orchestration imports, no sibling stages."""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
STAGES = ("ingest", "ocr", "extract", "search")
FORBIDDEN = {"celery", "fastapi", "starlette", "api", "pipeline", "uvicorn"}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("stage", STAGES)
def test_stage_imports_only_core_and_libraries(stage):
    bad = []
    for py in (REPO / stage).rglob("*.py"):
        for mod in _imports(py):
            if mod in FORBIDDEN or (mod in STAGES and mod != stage):
                bad.append(f"{py.relative_to(REPO)} imports {mod}")
    assert not bad, bad


def test_core_imports_no_layer_above_it():
    bad = [f"{py.relative_to(REPO)} imports {mod}"
           for py in (REPO / "core").rglob("*.py")
           for mod in _imports(py) if mod in FORBIDDEN | set(STAGES)]
    assert not bad, bad
