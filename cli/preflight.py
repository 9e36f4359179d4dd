"""Checks a command makes before it starts work it could not finish."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.context import AppContext


def preflight(ctx: AppContext) -> None:
    """Stop a command that will read pages before it starts, if the OCR engine cannot run.

    Raises:
        DependencyError: the engine or a model is missing (exit 69).
        ConfigError: ``ocr.engine`` names nothing loadable (exit 78).
    """
    import ocr  # loads numpy and OpenCV: only for commands that read pages

    ocr.load_engine(ctx.settings.ocr).check()
