"""The rooms of sohoa and the direction of their imports (docs/architecture.md).

    core ← stages (ingest, ocr, extract, search) ← audit ← pipeline
         ← services (accounts, review, progress, records, backup) ← edges (cli, api)

A package may import only the layers below it (and, for services, each other). Stage packages
stay pure: no web, queue or orchestration imports and no sibling stage.
"""

import ast
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
STAGES = ("ingest", "ocr", "extract", "search")
SERVICES = ("accounts", "review", "progress", "records", "backup")
FRAMEWORKS = {"celery", "fastapi", "starlette", "uvicorn"}
OURS = {"core", *STAGES, "audit", "pipeline", *SERVICES, "cli", "api"}
ALLOWED = {
    "core": {"core"},
    **{s: {"core", s} for s in STAGES},
    "audit": {"core", "audit"},
    "pipeline": {"core", *STAGES, "audit", "pipeline"},
    **{s: {"core", *STAGES, "audit", "pipeline", *SERVICES} for s in SERVICES},
    "cli": OURS,  # `sohoa serve` starts the web app
    "api": OURS - {"cli"},
}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_the_layers_below(package):
    bad = []
    for py in (REPO / package).rglob("*.py"):
        for mod in _imports(py):
            ours_but_not_allowed = mod in OURS and mod not in ALLOWED[package]
            framework_in_core = mod in FRAMEWORKS and package in {"core", *STAGES, "audit"}
            if ours_but_not_allowed or framework_in_core:
                bad.append(f"{py.relative_to(REPO)} imports {mod}")
    assert not bad, bad


def test_every_package_is_placed():
    packages = {p.parent.name for p in REPO.glob("*/__init__.py")} - {"tests", "bench", "samples"}
    assert packages == set(ALLOWED), packages ^ set(ALLOWED)


def test_pipeline_holds_processing_only():
    modules = sorted(p.name for p in (REPO / "pipeline").rglob("*.py"))
    assert len(modules) <= 25, modules
    assert not [m for m in modules if m.startswith("cli")], modules


def test_packages_are_not_shadowed_by_installed_distributions():
    # A flat layout with short names: an installed top-level module of the same name would
    # be imported instead of ours depending on sys.path order.
    for name in OURS:
        for entry in sys.path[1:]:
            if not entry or Path(entry).resolve() == REPO:
                continue
            hit = Path(entry) / name
            assert not (hit / "__init__.py").exists() and not hit.with_suffix(".py").exists(), hit


def test_only_the_tesseract_engine_runs_tesseract():
    engine = REPO / "ocr" / "_tesseract.py"
    offenders = []
    for py in REPO.rglob("*.py"):
        if any(part in {".venv", "tests", "bench", "samples"} for part in py.parts):
            continue
        if py == engine:
            continue
        text = py.read_text(encoding="utf-8")
        if "pytesseract" in text or '"tesseract"' in text and "subprocess" in text:
            offenders.append(str(py.relative_to(REPO)))
    assert not offenders, offenders
