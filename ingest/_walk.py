"""Expanding user-given paths into files in natural order (``p2`` before ``p10``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

_DIGITS = re.compile(r"(\d+)")
# Metadata and tooling that live beside scans in folders (ground truth, notes, scripts).
_SIDECARS = {
    ".json",
    ".md",
    ".txt",
    ".csv",
    ".xml",
    ".yaml",
    ".yml",
    ".ini",
    ".log",
    ".db",
    ".py",
    ".sh",
}


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Return a sort key that orders embedded numbers by value: ``p2`` < ``p10``."""
    parts = _DIGITS.split(name.casefold())
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p != "")


def expand_paths(paths: Iterable[Path]) -> tuple[list[tuple[Path, str]], list[Path]]:
    """Return ``(file, display name)`` for every file under the given files and folders.

    Folders are walked recursively in natural order; folders keep the order given. Hidden
    files (``.DS_Store``, ``._x``) and metadata sidecars (.json, .txt, .md) inside folders are
    not scans: they are returned separately so the caller can say they were skipped. A file
    named explicitly is always taken.
    """
    out: list[tuple[Path, str]] = []
    skipped: list[Path] = []
    for root in paths:
        root = Path(root)
        if root.is_dir():
            found = sorted(
                (p for p in root.rglob("*") if p.is_file()),
                key=lambda p: natural_key(p.relative_to(root).as_posix()),
            )
            for p in found:
                if _ignored(p, root):
                    skipped.append(p)
                else:
                    out.append((p, p.relative_to(root).as_posix()))
        else:
            out.append((root, root.name))
    return out, skipped


def _ignored(path: Path, root: Path) -> bool:
    rel = path.relative_to(root)
    if any(part.startswith(".") for part in rel.parts):
        return True
    return path.suffix.lower() in _SIDECARS
