"""Fake OCR engines for tests, plugged in with ``SOHOA_OCR__ENGINE=tests.ocr.fake_engines:<name>``.

In the style of OCRmyPDF's tests/plugins: a well-behaved engine that needs no binary, and
engines that fail the way a real one does, so every failure path of the pipeline is tested
without depending on Tesseract misbehaving on cue. Each name below is a factory taking the
OCR settings, as ``ocr.engine`` expects.

- ``fake``: reads every page as the same short Party plan, words laid out on the page;
- ``missing``: the engine is not installed (preflight fails: the command exits 69);
- ``crash``: the engine dies on every page (the page fails, the batch goes on);
- ``timeout``: every page runs past its limit (retried, then failed with ``ocr_timeout``);
- ``flaky``: the first attempt at each page times out, the second succeeds (state in the
  folder ``SOHOA_FAKE_STATE`` names, shared by every worker process);
- ``empty``: nothing is read on any page;
- ``garbage``: unreadable noise comes back;
- ``bug``: an unexpected Python exception (a bug in an engine), failing the page alone;
- ``die_once``: the worker process dies at the first attempt at each page (killed, out of
  memory), then the page reads; ``die``: it dies at every attempt;
- ``stall_once``: the first attempt at each page hangs (its pid is written under
  ``SOHOA_FAKE_STATE/pids``) until the process is killed, then the page reads.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import numpy as np

from core.errors import DependencyError, StageError, TransientError
from core.models import OcrWord
from core.settings import OcrSettings
from ocr.engine import OsdResult

PAGE = [
    "ĐẢNG BỘ TỈNH LÂM ĐỒNG ĐẢNG CỘNG SẢN VIỆT NAM",
    "BAN TỔ CHỨC TỈNH ỦY",
    "Số 14-KH/BTCTU Lâm Đồng, ngày 20 tháng 3 năm 2015",
    "KẾ HOẠCH",
    "rà soát hồ sơ đảng viên năm 2015",
    "Ban Tổ chức Tỉnh ủy xây dựng kế hoạch như sau:",
]


SIGNED_PAGE = [
    *PAGE,
    "Căn cứ Điều lệ Đảng, Ban Tổ chức Tỉnh ủy xây dựng kế hoạch như sau:",
    "Nơi nhận:\tK/T TRƯỞNG BAN",
    "- Thường trực Tỉnh ủy,\tPHÓ TRƯỞNG BAN",
    "- Lưu VT.",
    "\tNguyễn Văn An",
]


class FakeEngine:
    """An engine that needs nothing installed and reads the same page every time."""

    label = "fake"
    lines = PAGE

    def check(self) -> str:
        """Report a version; nothing to check."""
        return "fake 1.0"

    def recognize(self, image: np.ndarray) -> list[OcrWord]:
        """Lay the words of the page out, one line per text line; a tab starts the right column."""
        h, w = image.shape[:2]
        words: list[OcrWord] = []
        line_h = max(10, h // 40)
        for n, line in enumerate(self.lines, start=1):
            # Narrower letters in two-column lines, so the left column ends before the right.
            scale = 3 if "\t" in line else 2
            for column, part in enumerate(line.split("\t")):
                x = w // 10 if column == 0 else w // 2
                for token in part.split():
                    width = max(5, len(token) * line_h // scale)
                    words.append(
                        OcrWord(
                            token,
                            95.0,
                            x,
                            n * 2 * line_h,
                            width,
                            line_h,
                            block=1 + column,
                            par=1,
                            line=n,
                        )
                    )
                    x += width + line_h // 2
        return words

    def read_region(self, image: np.ndarray, *, single_line: bool) -> str:
        """Regions read as nothing."""
        return ""

    def orientation(self, image: np.ndarray, dpi: int) -> OsdResult | None:
        """Every page is upright."""
        return OsdResult(0, 10.0)


class MissingEngine(FakeEngine):
    """The engine is not installed."""

    def check(self) -> str:
        """Fail the way a missing binary does."""
        raise DependencyError(
            "fake engine not installed",
            code="tesseract_missing",
            message_vi="Chưa cài Tesseract OCR (gói tesseract-ocr); hãy chạy scripts/setup.sh.",
        )

    def recognize(self, image: np.ndarray) -> list[OcrWord]:
        """Fail as well, for callers that skip the preflight."""
        self.check()
        return []


class CrashEngine(FakeEngine):
    """The engine dies on every page."""

    def recognize(self, image: np.ndarray) -> list[OcrWord]:
        """Fail as a crashed binary is translated."""
        raise StageError(
            "fake engine killed by signal 11",
            code="ocr_failed",
            message_vi="Tesseract không nhận dạng được trang này.",
        )


class TimeoutEngine(FakeEngine):
    """Every page runs past its time limit."""

    def recognize(self, image: np.ndarray) -> list[OcrWord]:
        """Fail as a time-out is translated."""
        raise TransientError(
            "fake engine exceeded 1s", code="ocr_timeout", message_vi="Nhận dạng quá 1 giây."
        )


class FlakyEngine(FakeEngine):
    """The first attempt at each page times out; the next one succeeds."""

    def recognize(self, image: np.ndarray) -> list[OcrWord]:
        """Time out once per distinct page image, remembered across processes."""
        if not _first_time(image):
            return super().recognize(image)
        raise TransientError(
            "fake engine exceeded 1s", code="ocr_timeout", message_vi="Nhận dạng quá 1 giây."
        )


class EmptyEngine(FakeEngine):
    """Nothing is read on any page."""

    def recognize(self, image: np.ndarray) -> list[OcrWord]:
        """Return no words."""
        return []


class GarbageEngine(FakeEngine):
    """Noise comes back instead of words."""

    def recognize(self, image: np.ndarray) -> list[OcrWord]:
        """Return words that are not Vietnamese syllables, read with low confidence."""
        junk = ["~#", "lIl|", "ﬁ%", "q;;p", "}{", "xzq"] * 8
        return [OcrWord(t, 12.0, 10 + 40 * i, 100, 30, 20, 1, 1, 1) for i, t in enumerate(junk)]


class BuggyEngine(FakeEngine):
    """A bug in the engine: an unexpected exception."""

    def recognize(self, image: np.ndarray) -> list[OcrWord]:
        """Raise what no engine should."""
        raise ZeroDivisionError("fake bug")


def _first_time(image: np.ndarray) -> bool:
    state = Path(os.environ["SOHOA_FAKE_STATE"])
    state.mkdir(parents=True, exist_ok=True)
    try:
        (state / hashlib.sha256(image.tobytes()).hexdigest()).touch(exist_ok=False)
    except FileExistsError:
        return False
    return True


class DyingEngine(FakeEngine):
    """The worker process dies under the engine (the OOM killer, a kill -9)."""

    def __init__(self, always: bool) -> None:
        self.always = always

    def recognize(self, image: np.ndarray) -> list[OcrWord]:
        """Exit the process at once, as a killed worker does, unless this page was seen."""
        if self.always or _first_time(image):
            os._exit(137)
        return super().recognize(image)


class StallingEngine(FakeEngine):
    """The first attempt at a page never returns, as a wedged engine does."""

    def recognize(self, image: np.ndarray) -> list[OcrWord]:
        """Announce this process, then hang until killed, unless this page was seen."""
        if _first_time(image):
            pids = Path(os.environ["SOHOA_FAKE_STATE"]) / "pids"
            pids.mkdir(parents=True, exist_ok=True)
            (pids / str(os.getpid())).touch()
            time.sleep(3600)
        return super().recognize(image)


def fake(cfg: OcrSettings) -> FakeEngine:
    """Return the well-behaved fake engine."""
    return FakeEngine()


def fake_signed(cfg: OcrSettings) -> FakeEngine:
    """Return a well-behaved engine reading a whole signed plan (every field to extract)."""
    engine = FakeEngine()
    engine.lines = SIGNED_PAGE
    return engine


def missing(cfg: OcrSettings) -> FakeEngine:
    """Return an engine whose preflight fails."""
    return MissingEngine()


def crash(cfg: OcrSettings) -> FakeEngine:
    """Return an engine that crashes on every page."""
    return CrashEngine()


def timeout(cfg: OcrSettings) -> FakeEngine:
    """Return an engine that times out on every page."""
    return TimeoutEngine()


def flaky(cfg: OcrSettings) -> FakeEngine:
    """Return an engine that times out once per page."""
    return FlakyEngine()


def empty(cfg: OcrSettings) -> FakeEngine:
    """Return an engine that reads nothing."""
    return EmptyEngine()


def garbage(cfg: OcrSettings) -> FakeEngine:
    """Return an engine that reads noise."""
    return GarbageEngine()


def bug(cfg: OcrSettings) -> FakeEngine:
    """Return an engine with a bug."""
    return BuggyEngine()


def die_once(cfg: OcrSettings) -> FakeEngine:
    """Return an engine whose worker dies at the first attempt at each page."""
    return DyingEngine(always=False)


def die(cfg: OcrSettings) -> FakeEngine:
    """Return an engine whose worker dies at every attempt."""
    return DyingEngine(always=True)


def stall_once(cfg: OcrSettings) -> FakeEngine:
    """Return an engine that hangs at the first attempt at each page."""
    return StallingEngine()


class SlowTesseract:
    """The real Tesseract engine, each page read after a pause: a worker is surely mid-page.

    Server-mode tests kill a worker while it holds a page; with Tesseract in the process a page
    of the test scans takes well under a second, less than the test needs to see it running and
    send the signal.
    """

    PAUSE_S = 3.0

    def __init__(self, inner: object) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def recognize(self, image: np.ndarray) -> list[OcrWord]:
        time.sleep(self.PAUSE_S)
        return self._inner.recognize(image)  # type: ignore[attr-defined,no-any-return]


def slow_tesseract(cfg: OcrSettings) -> SlowTesseract:
    """Return the real Tesseract engine with a pause before each page (``SlowTesseract``)."""
    from ocr._tesseract import TesseractEngine

    return SlowTesseract(
        TesseractEngine.from_settings(cfg.model_copy(update={"engine": "tesseract"}))
    )
