"""OCR stage entry: one page image in, straightened page and recognized text out."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import cv2
import numpy as np
from PIL import Image

from core.models import OcrPage, OcrWord
from core.settings import OcrSettings
from core.states import PageFlag
from core.text import nfc
from ocr._geometry import to_source_matrix
from ocr._grain import read_nothing, read_through_grain
from ocr._hyphens import split_gap_hyphens
from ocr._layout import mean_confidence, words_to_text
from ocr._lost import recover_lost_lines
from ocr._postcorrect import (
    Lexicon,
    correct_words,
    load_lexicon,
    syllable_counts,
    valid_share,
)
from ocr._prepare import prepare_page
from ocr._quality import quality_flags
from ocr.engine import OcrEngine, load_engine


@dataclass(frozen=True, slots=True)
class OcrOutput:
    """The recognized page and the upright, deskewed greyscale image to show and re-read.

    The image has the geometry the word boxes refer to; on a streaked page it is the one before
    the specks were lifted, which Tesseract read (the lift also pales stamps and marks).
    """

    page: OcrPage
    image: np.ndarray


def to_gray(image: Image.Image) -> np.ndarray:
    """Return a uint8 greyscale array of a PIL image."""
    if image.mode != "L":
        image = image.convert("L")
    return np.asarray(image, dtype=np.uint8)


def preload(cfg: OcrSettings) -> None:
    """Load in this process what reading a page with ``cfg`` loads on first use.

    For the processes it then forks (the runner's fork server): the syllable list, and the
    engine's model when the engine can load it ahead (``preload``, as Tesseract's library).

    Raises:
        SohoaError: the engine cannot be loaded; its pages would fail the same way.
    """
    if cfg.postcorrect:
        load_lexicon(cfg.syllable_list)
    ahead = getattr(load_engine(cfg), "preload", None)
    if ahead is not None:
        ahead()


def ocr_page(
    image: Image.Image, dpi: int, cfg: OcrSettings, engine: OcrEngine | None = None
) -> OcrOutput:
    """Straighten one page and recognize its Vietnamese text with word boxes.

    Pages scanned finer than ``cfg.ocr_max_dpi`` are downscaled for recognition only: the
    archive copy keeps the original pixels. ``engine`` defaults to the one ``cfg`` names.
    """
    engine = engine or load_engine(cfg)
    t0 = time.perf_counter()
    gray = to_gray(image)
    src_h, src_w = gray.shape[:2]
    scale = 1.0
    if dpi > cfg.ocr_max_dpi:
        scale = cfg.ocr_max_dpi / dpi
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        dpi = cfg.ocr_max_dpi
    prepared = prepare_page(
        gray,
        fix_orientation=cfg.fix_orientation,
        deskew=cfg.deskew,
        max_deskew_deg=cfg.max_deskew_deg,
        dpi=dpi,
        osd=engine.orientation,
    )
    t1 = time.perf_counter()
    upright, rotation, quarter_turns = prepared.image, prepared.rotation, 0
    words = _nfc_words(engine.recognize(upright))
    flags = list(prepared.flags)
    lex = load_lexicon(cfg.syllable_list) if cfg.postcorrect else None
    if prepared.despecked is not None and lex is not None:
        # Dense toner noise: the page is read again without its specks, and that reading is
        # kept only when it brings clearly more Vietnamese than garbage (``_reads_better``).
        again = _nfc_words(engine.recognize(prepared.despecked))
        if _reads_better(again, words, lex):
            upright, words = prepared.despecked, again
            flags.append(PageFlag.CLEANED_SPECKS)
    if (
        cfg.fix_orientation
        and lex is not None
        and read_nothing(words)
        and PageFlag.BLANK_PAGE not in flags
    ):
        # A grainy photocopy can read as nothing in any orientation: read through the grain.
        found = read_through_grain(
            upright, lambda image: _nfc_words(engine.recognize(image)), lex, _sideways
        )
        if found is not None:
            upright, quarter_turns, words = found
            rotation = (prepared.rotation - 90 * quarter_turns) % 360
            flags.append(PageFlag.READ_THROUGH_GRAIN)
            if quarter_turns:
                flags.append(PageFlag.TURNED_AFTER_READING)
    grained = PageFlag.READ_THROUGH_GRAIN in flags  # every turn was read there already
    if cfg.fix_orientation and lex is not None and not grained and _unreadable(words, lex, cfg):
        # Orientation is guessed from the page's ink; on a noisy photocopy the guess can be
        # wrong, and the whole page then reads as garbage. The other orientations are read
        # (upside down first, the commonest miss) only on pages that came out unreadable;
        # the first that reads clearly better is kept.
        first = best = valid_share(words, lex)
        chosen = (upright, rotation, words, quarter_turns)
        # When the line test was sure which way the lines run, only upside down is left to
        # try: Tesseract finds sideways lines by itself and reads them, so a quarter turn can
        # read the same words a little better and record a wrong rotation. Streaks across
        # the sheet look like lines to that test, so a streaked page is tried every way.
        doubt = {PageFlag.ORIENTATION_OSD, PageFlag.ORIENTATION_UNSURE, PageFlag.CLEANED_STREAKS}
        half = None
        for quarter in (2, 1, 3) if doubt & set(prepared.flags) else (2,):
            turned = np.ascontiguousarray(np.rot90(upright, quarter))
            again = _nfc_words(engine.recognize(turned))
            share = valid_share(again, lex)
            total = (quarter_turns + quarter) % 4
            turned_by = (prepared.rotation - 90 * total) % 360
            if quarter == 2:
                half = (share, (turned, turned_by, again, total))
            # Kept only if it reads as Vietnamese: streaks of a dirty drum read as garbage
            # in every orientation, and the least bad one is no better than the first.
            if share >= max(cfg.min_valid_syllables, first + _TURN_GAIN) or _reads_instead(
                again, share, words, first, lex
            ):
                best, chosen = share, (turned, turned_by, again, total)
                break
        # On a sparse page under dirty-drum noise, specks read as garbage either way and the
        # share of valid syllables moves little, but upside down against right way up the text
        # itself is lost or found: many more valid syllables decide.
        if (
            best == first
            and half is not None
            and half[0] > first
            and _clearly_more(half[1][2], words, lex)
        ):
            best, chosen = half
        if best > first:
            upright, rotation, words, quarter_turns = chosen
            if PageFlag.TURNED_AFTER_READING not in flags:
                flags.append(PageFlag.TURNED_AFTER_READING)
    if cfg.fix_orientation and lex is not None and _sideways(words):
        # Tesseract reads lines running down the page by itself, so a page turned a quarter
        # wrong (a sparse last page whose few lines are outvoted by dirty-drum streaks) reads
        # well enough to pass the test above; but its words stand on end, the layout cannot
        # be read from their boxes, and text Tesseract did not take for a vertical block
        # (the signer under a seal) is lost. Both quarter turns are read; one whose words lie
        # flat and read as many valid syllables or more is kept.
        best, flat = syllable_counts(words, lex)[0], None
        for quarter in (1, 3):
            turned = np.ascontiguousarray(np.rot90(upright, quarter))
            again = _nfc_words(engine.recognize(turned))
            valid = syllable_counts(again, lex)[0]
            if valid >= best and not _sideways(again):
                total = (quarter_turns + quarter) % 4
                best, flat = valid, (turned, (prepared.rotation - 90 * total) % 360, again, total)
        if flat is not None:
            upright, rotation, words, quarter_turns = flat
            if PageFlag.TURNED_AFTER_READING not in flags:
                flags.append(PageFlag.TURNED_AFTER_READING)
    if cfg.recover_lost_lines and lex is not None:
        words, recovered = recover_lost_lines(upright, words, engine, lex, dpi)
        if recovered:
            flags.append(PageFlag.RECOVERED_LINES.with_detail(recovered))
    t2 = time.perf_counter()
    if cfg.postcorrect and lex is None:
        flags.append(PageFlag.POSTCORRECT_UNAVAILABLE)
    if lex is not None:
        words, split = split_gap_hyphens(words, lex)
        words, changed = correct_words(words, lex)
        if changed + split:
            flags.append(PageFlag.POSTCORRECTED.with_detail(changed + split))
    t3 = time.perf_counter()
    mean_conf = mean_confidence(words)
    flags.extend(quality_flags(mean_conf, valid_share(words, lex) if lex else None, words, cfg))
    timings = dict(prepared.timings_ms)
    timings.update(
        prepare=(t1 - t0) * 1000, recognize=(t2 - t1) * 1000, postcorrect=(t3 - t2) * 1000
    )
    h, w = upright.shape[:2]
    page = OcrPage(
        text=words_to_text(words, w),
        words=tuple(words),
        mean_confidence=round(mean_conf, 2),
        rotation=rotation,
        skew_deg=round(prepared.skew_deg, 3),
        width=w,
        height=h,
        text_source="ocr",
        engine=engine.label,
        timings_ms=timings,
        flags=tuple(flags),
        to_source=to_source_matrix(src_w, src_h, scale, rotation + prepared.skew_deg),
    )
    # Word boxes refer to the OCR image; the review image has its geometry, turned the same.
    # The review image is never the despecked one: reviewers see every mark the scan holds.
    shown = prepared.image if prepared.review is None else prepared.review
    if quarter_turns:
        shown = np.ascontiguousarray(np.rot90(shown, quarter_turns))
    return OcrOutput(page, shown)


def _nfc_words(words: list[OcrWord]) -> list[OcrWord]:
    """Return the words with their text in NFC, each copied only if that changes it.

    Tesseract's words are NFC already: a copy of every word (``dataclasses.replace``) cost
    3 ms of CPU a page for nothing.
    """
    out = []
    for w in words:
        text = nfc(w.text)
        out.append(w if text == w.text else replace(w, text=text))
    return out


# A turned reading must beat the first by this share of valid syllables: noise reads as
# garbage both ways, and must not flip a page on a coin toss.
_TURN_GAIN = 0.2
# Or, upside down only, read this many more valid syllables and this many times as many. On the
# 42 pages of six dev2 sets still unreadable after the share test (stored images re-read each
# way, 2026-12-07), the one page left upside down (dev2-fit doc_0035_0037 p5, a signature page
# under a dirty drum) read 157 valid syllables against 113; of the pages lying right, the
# nearest a half turn came was +12 (x 1.07) and x 4.4 (+17) on a page of 5.
_TURN_MORE, _TURN_RATIO = 25, 1.3


# Or, on a sparse degraded page that reads below the quality gate even right way up (a fax's
# last page: 41 words, 0.78 valid), the turn reads as Vietnamese at this share, this much
# above the first reading, with at least this many valid syllables and this many times the
# first's, its words lying flat. On the 34 unreadable pages of dev2-fit2 and dev2-check3
# (each read every way, 2026-12-07), this turned 4 of the 12 lying wrong the right way (2 of
# them the tests below turned already) and none of the 22 lying right; the nearest right
# page's best flat turn read 0.72 valid, but 138 valid syllables against the first's 228.
_SPARSE_SHARE, _SPARSE_GAIN, _SPARSE_VALID, _SPARSE_RATIO = 0.7, 0.3, 10, 2.0


def _reads_instead(
    again: list[OcrWord], share: float, first: list[OcrWord], first_share: float, lex: Lexicon
) -> bool:
    """Whether a turned reading of a sparse page reads as Vietnamese where the first did not."""
    if share < max(_SPARSE_SHARE, first_share + _SPARSE_GAIN) or _sideways(again):
        return False
    valid_again, valid_first = syllable_counts(again, lex)[0], syllable_counts(first, lex)[0]
    return valid_again >= max(_SPARSE_VALID, _SPARSE_RATIO * valid_first)


def _clearly_more(again: list[OcrWord], first: list[OcrWord], lex: Lexicon) -> bool:
    """Whether ``again`` reads clearly more Vietnamese than ``first``, counted in syllables."""
    valid_again, valid_first = syllable_counts(again, lex)[0], syllable_counts(first, lex)[0]
    return valid_again >= max(valid_first + _TURN_MORE, _TURN_RATIO * valid_first)


# A reading without the specks replaces the first only when it adds valid syllables, at least
# this many for each new word that is not one. Erasing specks brings back header lines Tesseract
# skipped, but leftover noise can turn into words (dev2 doc_0027 p2: CER 0.008 -> 0.101 with no
# test). With it, dev2: 11 of 28 specked pages switched (7 better, 3 worse), CER 0.102 -> 0.096;
# held-out dev2-holdout: 7 of 17 switched, all better, CER 0.154 -> 0.142; dev: none specked.
_SPECK_GAIN = 2


def _reads_better(again: list[OcrWord], first: list[OcrWord], lex: Lexicon) -> bool:
    valid, invalid = syllable_counts(again, lex)
    valid0, invalid0 = syllable_counts(first, lex)
    gained = valid - valid0
    return gained > 0 and gained > _SPECK_GAIN * (invalid - invalid0)


# Words of three letters or more whose box is this many times taller than wide stand on end.
_ON_END = 1.5
_MIN_ON_END = 3


def _sideways(words: list[OcrWord]) -> bool:
    """Whether most words of three letters or more were read standing on end (a quarter off).

    Upright text has no such word; dev2's pages turned a quarter wrong had 10 to 203 of them
    against 0 to 17 lying flat.
    """
    on_end = flat = 0
    for w in words:
        if len(w.text) < 3:
            continue
        if w.height > _ON_END * w.width:
            on_end += 1
        elif w.width > w.height:
            flat += 1
    return on_end >= _MIN_ON_END and on_end > 2 * flat


def _unreadable(words: list[OcrWord], lex: Lexicon, cfg: OcrSettings) -> bool:
    return len(words) >= 10 and valid_share(words, lex) < cfg.min_valid_syllables
