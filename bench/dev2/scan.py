"""Scanner and paper degradations for dev2, made with augraphy (pinned 8.2.6).

Each page gets one profile. The profile's parameters are drawn from the document's own
``random.Random`` and passed to augraphy as one-value ranges, so the recorded parameters are
exactly the ones applied and the ground truth never depends on augraphy's internal draws.
augraphy's remaining randomness (noise fields, line positions) comes from ``random``, numpy's
global generator and OpenCV's RNG, all three seeded from the page seed before each page.

Order, as on a real desk: paper and ink effects first, then the page is placed on the glass
(skew, then a quarter or half turn), then the copier or scanner effects and grey conversion.
"""

from __future__ import annotations

import random

import cv2
import numpy as np
from augraphy import (
    BadPhotoCopy,
    BleedThrough,
    BrightnessTexturize,
    ColorPaper,
    DirtyDrum,
    Faxify,
    InkBleed,
    LowInkPeriodicLines,
    LowInkRandomLines,
    NoiseTexturize,
    SubtleNoise,
)
from PIL import Image

PROFILES = [
    "clean",
    "photocopy",
    "ink_bleed",
    "low_ink",
    "dirty_drum",
    "bleed_through",
    "aged_paper",
    "fax",
]
WEIGHTS = [10, 16, 14, 14, 12, 12, 14, 8]


def _r(v: float) -> float:
    return round(v, 3)


def plan(rng: random.Random, profile: str) -> tuple[list[tuple[str, str, dict]], dict]:
    """Draw ``profile``'s augmentations: ``[(phase, name, kwargs)]`` and their record."""
    steps: list[tuple[str, str, dict]] = []
    if profile == "photocopy":
        steps.append(
            (
                "post",
                "BadPhotoCopy",
                {
                    "noise_type": rng.choice([1, 2, 3, 4, 5, 6]),
                    "noise_value": (v := rng.randint(30, 110), v),
                    "noise_sparsity": (s := _r(rng.uniform(0.3, 0.7)), s),
                    "noise_concentration": (c := _r(rng.uniform(0.1, 0.4)), c),
                    "blur_noise": rng.choice([0, 1]),
                    "wave_pattern": 0,
                    "edge_effect": rng.choice([0, 1]),
                },
            )
        )
    elif profile == "ink_bleed":
        steps.append(
            (
                "ink",
                "InkBleed",
                {
                    "intensity_range": (i := _r(rng.uniform(0.35, 0.7)), i),
                    "kernel_size": rng.choice([(3, 3), (5, 5)]),
                    "severity": (s := _r(rng.uniform(0.25, 0.45)), s),
                },
            )
        )
    elif profile == "low_ink":
        if rng.random() < 0.5:
            steps.append(
                (
                    "ink",
                    "LowInkRandomLines",
                    {
                        "count_range": (n := rng.randint(8, 40), n),
                        "use_consistent_lines": True,
                        "noise_probability": _r(rng.uniform(0.05, 0.2)),
                    },
                )
            )
        else:
            steps.append(
                (
                    "ink",
                    "LowInkPeriodicLines",
                    {
                        "count_range": (n := rng.randint(2, 5), n),
                        "period_range": (p := rng.randint(12, 40), p),
                        "use_consistent_lines": True,
                        "noise_probability": _r(rng.uniform(0.05, 0.2)),
                    },
                )
            )
    elif profile == "dirty_drum":
        steps.append(
            (
                "post",
                "DirtyDrum",
                {
                    "line_width_range": (w := rng.randint(1, 4), w),
                    "line_concentration": _r(rng.uniform(0.04, 0.15)),
                    "direction": rng.choice([0, 1, 2]),
                    "noise_intensity": _r(rng.uniform(0.3, 0.7)),
                    "noise_value": (0, 30),
                    "ksize": (3, 3),
                    "sigmaX": 0,
                },
            )
        )
    elif profile == "bleed_through":
        steps.append(
            (
                "paper",
                "BleedThrough",
                {
                    "intensity_range": (i := _r(rng.uniform(0.15, 0.45)), i),
                    "color_range": (0, 224),
                    "ksize": (17, 17),
                    "sigmaX": 1,
                    "alpha": _r(rng.uniform(0.1, 0.25)),
                    "offsets": (rng.randint(5, 40), rng.randint(5, 40)),
                },
            )
        )
    elif profile == "aged_paper":
        steps.append(
            (
                "paper",
                "ColorPaper",
                {
                    "hue_range": (h := rng.randint(24, 40), h),
                    "saturation_range": (s := rng.randint(12, 45), s),
                },
            )
        )
        steps.append(
            (
                "paper",
                "NoiseTexturize",
                {
                    "sigma_range": (s2 := rng.randint(2, 5), s2),
                    "turbulence_range": (t := rng.randint(2, 4), t),
                },
            )
        )
        steps.append(
            (
                "paper",
                "BrightnessTexturize",
                {
                    "texturize_range": (b := _r(rng.uniform(0.85, 0.97)), b),
                    "deviation": _r(rng.uniform(0.03, 0.08)),
                },
            )
        )
    elif profile == "fax":
        steps.append(
            (
                "post",
                "Faxify",
                {
                    "scale_range": (1.0, 1.0),
                    "monochrome": 1,
                    # threshold_local inverts whole pages here; Otsu's global threshold does not.
                    "monochrome_method": "threshold_otsu",
                    "monochrome_arguments": {},
                    "halftone": rng.choice([0, 0, 1]),
                    "invert": 1,
                    "half_kernel_size": (1, 1),
                    "angle": (a := rng.randint(0, 360), a),
                    "sigma": (1, 1),
                },
            )
        )
    steps.append(("post", "SubtleNoise", {"subtle_range": rng.randint(4, 12)}))
    record = {
        "profile": profile,
        "augraphy": [
            {"name": n, **{k: list(v) if isinstance(v, tuple) else v for k, v in kw.items()}}
            for _, n, kw in steps
        ],
    }
    return steps, record


_CLASSES = {
    c.__name__: c
    for c in (
        BadPhotoCopy,
        BleedThrough,
        BrightnessTexturize,
        ColorPaper,
        DirtyDrum,
        Faxify,
        InkBleed,
        LowInkPeriodicLines,
        LowInkRandomLines,
        NoiseTexturize,
        SubtleNoise,
    )
}


def _apply(
    bgr: np.ndarray, steps: list[tuple[str, str, dict]], phases: tuple[str, ...]
) -> np.ndarray:
    for phase, name, kw in steps:
        if phase not in phases:
            continue
        out = _CLASSES[name](**kw, p=1)(bgr, force=True)
        if out is None:
            continue
        bgr = out if out.ndim == 3 else cv2.cvtColor(out, cv2.COLOR_GRAY2BGR)
    return bgr


def _paper(bgr: np.ndarray) -> tuple[int, int, int]:
    edge = np.concatenate([bgr[:8].reshape(-1, 3), bgr[-8:].reshape(-1, 3)])
    return tuple(int(v) for v in np.median(edge, axis=0)[::-1])


def degrade(
    img: Image.Image,
    steps: list[tuple[str, str, dict]],
    seed: int,
    skew: float,
    rotation: int,
    color: bool,
) -> Image.Image:
    """Apply the profile around the skew and turn; returns RGB, L, or 1 (fax)."""
    random.seed(seed)
    np.random.seed(seed % (1 << 32))
    cv2.setRNGSeed(seed % (1 << 31))
    bgr = cv2.cvtColor(np.asarray(img.convert("RGB")), cv2.COLOR_RGB2BGR)
    bgr = _apply(bgr, steps, ("ink", "paper"))
    page = Image.fromarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
    page = page.rotate(skew, resample=Image.BICUBIC, expand=False, fillcolor=_paper(bgr))
    if rotation:
        page = page.transpose(
            {
                90: Image.Transpose.ROTATE_90,
                180: Image.Transpose.ROTATE_180,
                270: Image.Transpose.ROTATE_270,
            }[rotation]
        )
    bgr = cv2.cvtColor(np.asarray(page), cv2.COLOR_RGB2BGR)
    bgr = _apply(bgr, steps, ("post",))
    out = Image.fromarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
    if any(n == "Faxify" for _, n, _ in steps):
        return out.convert("L").point(lambda v: 255 if v > 127 else 0).convert("1")
    return out if color else out.convert("L")
