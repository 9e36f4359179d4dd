"""The OCR engine seam: what sohoa asks of an engine, and how the settings choose one.

Modelled on OCRmyPDF's ``OcrEngine`` plugin interface: an engine can check itself before any
work starts, read a whole page with word boxes, read a small region again, and tell a page's
orientation. ``ocr.engine`` names it:

- ``tesseract`` (default): :class:`ocr._tesseract.TesseractEngine`;
- ``package.module:factory``: any callable taking :class:`OcrSettings` and returning an
  engine (tests use this for fake and fault-injecting engines, as OCRmyPDF's tests/plugins do).

Engines raise the error tree's classes with these meanings, whatever their implementation:
:class:`DependencyError` (the engine or a model is missing: the run stops), :class:`TransientError`
(a time-out: retry the page), :class:`StageError` (this page cannot be read: it fails alone).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from core.errors import ConfigError
from core.models import OcrWord
from core.settings import OcrSettings

if TYPE_CHECKING:  # the runner's parent checks the engine without NumPy
    import numpy as np


@dataclass(frozen=True, slots=True)
class OsdResult:
    """What an orientation detector said about a page.

    Attributes:
        rotation: Counter-clockwise rotation found in the image: 0, 90, 180 or 270.
        confidence: Detector confidence (Tesseract's ``Orientation confidence``).
    """

    rotation: int
    confidence: float


class OcrEngine(Protocol):
    """An OCR engine as the OCR stage uses it."""

    @property
    def label(self) -> str:
        """Return what is recorded on each page as the engine (and model) that read it."""
        ...

    def check(self) -> str:
        """Check the engine and its models before any work; return a version line.

        Raises:
            DependencyError: the engine or a model it needs is missing.
        """
        ...

    def recognize(self, image: np.ndarray) -> list[OcrWord]:
        """Read a whole upright greyscale page; words with boxes in reading order."""
        ...

    def read_region(self, image: np.ndarray, *, single_line: bool) -> str:
        """Read a small greyscale region again; its text, lines separated by newlines."""
        ...

    # Optional: ``read_regions(images, *, single_line) -> list[str]``, several regions in one
    # run with the texts ``read_region`` gives for each (see :func:`read_regions`).

    def orientation(self, image: np.ndarray, dpi: int) -> OsdResult | None:
        """Return the page's quarter-turn rotation, or None when it cannot tell."""
        ...


EngineFactory = Callable[[OcrSettings], OcrEngine]


def read_regions(
    engine: OcrEngine, images: Sequence[np.ndarray], *, single_line: bool
) -> list[str]:
    """Read several regions the same way; their texts, in order.

    An engine with a ``read_regions`` method reads them all in one run (Tesseract starts and
    loads its model once instead of once a region); any other reads them one by one.
    """
    many = getattr(engine, "read_regions", None)
    if many is not None and len(images) > 1:
        return list(many(images, single_line=single_line))
    return [engine.read_region(image, single_line=single_line) for image in images]


def _factory(name: str) -> EngineFactory:
    if name == "tesseract":
        from ocr._tesseract import TesseractEngine

        return TesseractEngine.from_settings
    module, sep, attr = name.partition(":")
    if not sep:
        raise ConfigError(
            f"unknown OCR engine {name!r}",
            code="ocr_engine_unknown",
            message_vi=f"Không có bộ nhận dạng '{name}' (ocr.engine: tesseract hoặc module:hàm).",
        )
    try:
        factory: EngineFactory = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as e:
        raise ConfigError(
            f"cannot load OCR engine {name!r}: {e}",
            code="ocr_engine_unknown",
            message_vi=f"Không nạp được bộ nhận dạng '{name}' (ocr.engine).",
        ) from e
    return factory


@lru_cache(maxsize=8)
def _load(cfg_json: str) -> OcrEngine:
    cfg = OcrSettings.model_validate_json(cfg_json)
    return _factory(cfg.engine)(cfg)


def load_engine(cfg: OcrSettings) -> OcrEngine:
    """Return the engine the settings name (built once per process and settings).

    Raises:
        ConfigError: ``ocr.engine`` names nothing that can be loaded.
    """
    return _load(cfg.model_dump_json())
