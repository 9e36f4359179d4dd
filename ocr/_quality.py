"""Quality gate: pages whose recognition looks unreliable are flagged for review, with why."""

from __future__ import annotations

from collections.abc import Sequence

from core.models import OcrWord
from core.settings import OcrSettings
from core.states import PageFlag


def quality_flags(
    mean_conf: float, valid: float | None, words: Sequence[OcrWord], cfg: OcrSettings
) -> list[str]:
    """Return flags for a page: ``low_quality`` plus one reason per failed check.

    Reasons: ``no_text``; ``low_confidence:<mean>`` under ``cfg.min_confidence``;
    ``invalid_syllables:<share>`` when fewer than ``cfg.min_valid_syllables`` of the words
    are Vietnamese syllables (garbage from stamps, noise or a wrong orientation).
    """
    reasons: list[str] = []
    if not words:
        reasons.append(PageFlag.NO_TEXT)
    else:
        if mean_conf < cfg.min_confidence:
            reasons.append(PageFlag.LOW_CONFIDENCE.with_detail(f"{mean_conf:.0f}"))
        if valid is not None and valid < cfg.min_valid_syllables:
            reasons.append(PageFlag.INVALID_SYLLABLES.with_detail(f"{valid:.2f}"))
    return [PageFlag.LOW_QUALITY, *reasons] if reasons else []
