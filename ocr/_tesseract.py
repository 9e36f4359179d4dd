"""The Tesseract engine: the only module that runs the ``tesseract`` binary.

Pages and regions are read with Tesseract's library in this process when it is installed and
``tesseract_cmd`` is the default program (``ocr._libtesseract``: the same text and boxes
without a process and a model load a call); the program reads them otherwise, and always
checks the installation and tells a page's orientation.

One wrapper runs every call of the program (OCRmyPDF's ``_exec`` pattern): the image goes in
as an uncompressed PGM (a whole page as a temporary file, a small region on stdin), the child
runs in its own process group and is killed with it on any way out (a time-out, a Celery time
limit, Ctrl+C), and its failures are translated once (the library's the same way, a crash
excepted: it takes the worker process with it):

- binary missing → :class:`DependencyError` ``tesseract_missing`` (exit 69);
- language or OSD model missing → :class:`DependencyError` ``tesseract_model_missing``;
- time limit passed → :class:`TransientError` ``ocr_timeout`` (worth a retry);
- crash, non-zero exit or output that is not what was asked → :class:`StageError`
  ``ocr_failed`` (this page fails, the batch goes on).

The settings (languages, model or tessdata folder, page segmentation, time limit) apply to
every call: whole pages, region re-reads and orientation alike.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import io
import logging
import os
import re
import signal
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import DependencyError, StageError, TransientError
from core.models import OcrWord
from core.settings import OcrSettings
from ocr import _libtesseract
from ocr.engine import OsdResult

if TYPE_CHECKING:  # OpenCV, NumPy and Pillow are imported by the calls that read images
    import numpy as np

log = logging.getLogger(__name__)

# Tesseract's own OpenMP threads fight the page-level process pool; one thread each is
# several times faster overall (paperless-ngx and datashare measured the same).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

# Where scripts/setup.sh installs the better Vietnamese model (repository checkout).
BUNDLED_TESSDATA = Path(__file__).resolve().parents[1] / "models" / "tessdata"
OSD_TIMEOUT_S = 30
REGION_TIMEOUT_S = 60
_OSD_DPI = 150
_DEFAULT_CMD = "tesseract"
MISSING_VI = "Chưa cài Tesseract OCR (gói tesseract-ocr); hãy chạy scripts/setup.sh."
_TSV_COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num", "left",
                "top", "width", "height", "conf", "text")  # fmt: skip


def resolve_tessdata(languages: str, configured: Path | None, model: str = "fast") -> Path | None:
    """Return the tessdata folder: the configured one, else the chosen model's.

    ``best`` uses the folder setup.sh fills when it has every requested language; ``fast`` or
    a missing best model return None, so Tesseract uses its own default (Debian's models).
    """
    if configured is not None:
        return configured
    langs = [lang for lang in languages.split("+") if lang]
    if (
        model == "best"
        and langs
        and all((BUNDLED_TESSDATA / f"{lang}.traineddata").exists() for lang in langs)
    ):
        return BUNDLED_TESSDATA
    return None


def model_label(tessdata: Path | None) -> str:
    """Return a short name of the model folder for logs and the page record."""
    if tessdata is None:
        return "system"
    return "best_int" if tessdata == BUNDLED_TESSDATA else str(tessdata)


def _pgm(image: np.ndarray) -> bytes:
    # PNG-compressing a 300-dpi page costs a third of the recognition time; PGM costs ~10 ms.
    import cv2

    ok, data = cv2.imencode(".pgm", image)
    if not ok:
        raise StageError(
            "could not encode the page for Tesseract",
            code="ocr_failed",
            message_vi="Không chuẩn bị được ảnh trang để nhận dạng.",
        )
    return data.tobytes()


@contextmanager
def _pgm_file(data: bytes) -> Iterator[str | None]:
    """Yield the path of a temporary file holding ``data``, or None when none can be written.

    Tesseract reads an image on stdin a byte at a time (``std::istreambuf_iterator``): for a
    300-dpi page that cost 0.09 s of CPU, a tenth of the whole reading on dev's pages; from
    a file the same PGM costs a few milliseconds. Same decoder (Leptonica's PNM reader),
    same text and boxes. A temporary folder that is full or read-only leaves stdin.
    """
    path: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix="sohoa-page-", suffix=".pgm")
        path = Path(name)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except OSError:
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink()
        path = None
    try:
        yield None if path is None else str(path)
    finally:
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink()


def _tiff(images: Sequence[np.ndarray]) -> bytes:
    # Uncompressed multi-page TIFF: Tesseract reads every page of it from stdin in one run.
    import numpy as np
    from PIL import Image

    frames = [Image.fromarray(np.ascontiguousarray(image)) for image in images]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    return buf.getvalue()


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(Exception):
        proc.wait(timeout=5)


@dataclass(frozen=True, slots=True)
class TesseractEngine:
    """Tesseract 4/5 with the LSTM engine, configured once from :class:`OcrSettings`."""

    languages: str = "vie"
    tessdata: Path | None = None
    psm: int = 3
    page_timeout_s: float = 300
    cmd: str = "tesseract"
    in_process: bool = True

    @classmethod
    def from_settings(cls, cfg: OcrSettings) -> TesseractEngine:
        """Build the engine the settings describe."""
        return cls(
            languages=cfg.languages,
            tessdata=resolve_tessdata(cfg.languages, cfg.tessdata_dir, cfg.model),
            psm=cfg.psm,
            page_timeout_s=cfg.page_timeout_s,
            cmd=cfg.tesseract_cmd,
            in_process=cfg.tesseract_in_process,
        )

    @property
    def label(self) -> str:
        """Return what is recorded on each page as the engine that read it."""
        return f"tesseract:{self.languages}:psm{self.psm}:{model_label(self.tessdata)}"

    def preload(self) -> None:
        """Load the model for the processes forked from this one, when they read in process.

        Raises:
            DependencyError: the language model is missing.
        """
        if self.in_process and self.cmd == _DEFAULT_CMD:
            lib = _libtesseract.library()
            if lib is not None:
                _libtesseract.preload(lib, self.languages, self.tessdata)

    def _library(self, image: np.ndarray) -> ctypes.CDLL | None:
        """Return the library to read ``image`` with, or None to run the program."""
        if not self.in_process or self.cmd != _DEFAULT_CMD or not _libtesseract.usable(image):
            return None
        return _libtesseract.library()

    def _run(
        self,
        args: list[str],
        stdin: bytes,
        timeout_s: float,
        what: str,
        tolerate: str = "",
        source: str = "stdin",
    ) -> str:
        """Run one Tesseract call on ``source`` (an image file, or ``stdin``: the bytes given).

        ``tolerate``: a failure message that is a normal answer.
        """
        cmd = [self.cmd, source, "stdout", *args]
        try:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,  # its own group: killed with every thread it starts
            )
        except OSError as e:
            raise DependencyError(
                f"cannot run {self.cmd}: {e}", code="tesseract_missing", message_vi=MISSING_VI
            ) from e
        with proc:  # closes the pipes and reaps the child on every way out
            try:
                out, err = proc.communicate(stdin, timeout=timeout_s)
            except subprocess.TimeoutExpired as e:
                raise TransientError(
                    f"tesseract {what} exceeded {timeout_s:.0f}s",
                    code="ocr_timeout",
                    message_vi=f"Nhận dạng quá {timeout_s:.0f} giây; sẽ thử lại.",
                ) from e
            finally:
                if proc.returncode is None:  # a time-out, a time limit or Ctrl+C got us out
                    _kill_group(proc)
        message = err.decode("utf-8", "replace")
        if "Failed loading language" in message or "Error opening data file" in message:
            raise DependencyError(
                f"Tesseract model missing for {what}: {message.strip()[:300]}",
                code="tesseract_model_missing",
                message_vi=f"Thiếu mô hình ngôn ngữ Tesseract '{self.languages}' hoặc 'osd' "
                "(gói tesseract-ocr-vie, tesseract-ocr-osd).",
            )
        if proc.returncode != 0 and tolerate and tolerate in message:
            return ""
        if proc.returncode != 0:
            how = (
                f"killed by signal {-proc.returncode}"
                if proc.returncode < 0
                else f"exit {proc.returncode}"
            )
            raise StageError(
                f"tesseract {what} failed ({how}): {message.strip()[-300:]}",
                code="ocr_failed",
                message_vi="Tesseract không nhận dạng được trang này.",
            )
        return out.decode("utf-8", "replace")

    def _model_args(self) -> list[str]:
        args = ["-l", self.languages]
        if self.tessdata is not None:
            args = ["--tessdata-dir", str(self.tessdata), *args]
        return args

    def check(self) -> str:
        """Check the binary and every model the settings need; return the version line.

        Raises:
            DependencyError: the binary, a language model or the OSD model is missing.
        """
        try:
            version = subprocess.run(
                [self.cmd, "--version"], capture_output=True, timeout=30, check=False
            )
            langs = subprocess.run(
                [self.cmd, "--list-langs"]
                + (["--tessdata-dir", str(self.tessdata)] if self.tessdata else []),
                capture_output=True,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as e:
            raise DependencyError(
                f"cannot run {self.cmd}: {e}", code="tesseract_missing", message_vi=MISSING_VI
            ) from e
        first = (version.stdout or version.stderr).decode("utf-8", "replace").splitlines()
        if version.returncode != 0 or not first or "tesseract" not in first[0].lower():
            raise DependencyError(
                f"{self.cmd} --version failed", code="tesseract_missing", message_vi=MISSING_VI
            )
        have = set(langs.stdout.decode("utf-8", "replace").split()[1:])
        missing = [lang for lang in self.languages.split("+") if lang and lang not in have]
        if missing:
            raise DependencyError(
                f"Tesseract language model missing: {', '.join(missing)}",
                code="tesseract_model_missing",
                message_vi="Thiếu mô hình ngôn ngữ Tesseract: "
                f"{', '.join(missing)} (gói tesseract-ocr-vie hoặc thư mục tessdata).",
            )
        return first[0].strip()

    def recognize(self, image: np.ndarray) -> list[OcrWord]:
        """Read a whole greyscale page and return its words with boxes, in reading order."""
        lib = self._library(image)
        if lib is not None:
            rows = _libtesseract.read(
                lib,
                self.languages,
                self.tessdata,
                image,
                psm=self.psm,
                tsv=True,
                timeout_s=self.page_timeout_s,
                what="page",
            )
            return parse_tsv("\t".join(_TSV_COLUMNS) + "\n" + rows)
        # TSV asked for as a variable, not by the ``tsv`` config file: Tesseract looks for that
        # in the tessdata folder, and models/tessdata (the ``best`` model) has no configs/.
        config = [f"--psm {self.psm}", "-c preserve_interword_spaces=1", "-c tessedit_create_tsv=1"]
        args = [*self._model_args(), *" ".join(config).split()]
        data = _pgm(image)
        with _pgm_file(data) as path:
            if path is None:
                tsv = self._run(args, data, self.page_timeout_s, "page")
            else:
                tsv = self._run(args, b"", self.page_timeout_s, "page", source=path)
        return parse_tsv(tsv)

    def _region_args(self, single_line: bool) -> list[str]:
        args = [*self._model_args(), "--psm", "7" if single_line else "6"]
        return [*args, "-c", "preserve_interword_spaces=1"]

    def read_region(self, image: np.ndarray, *, single_line: bool) -> str:
        """Read a small region again: one line (the boxed secrecy mark) or a block of lines."""
        lib = self._library(image)
        if lib is not None:
            return _libtesseract.read(
                lib,
                self.languages,
                self.tessdata,
                image,
                psm=7 if single_line else 6,
                tsv=False,
                timeout_s=REGION_TIMEOUT_S,
                what="region",
            )
        return self._run(self._region_args(single_line), _pgm(image), REGION_TIMEOUT_S, "region")

    def read_regions(self, images: Sequence[np.ndarray], *, single_line: bool) -> list[str]:
        """Read several small greyscale regions in one run; the texts ``read_region`` gives.

        They go in as the pages of one TIFF: Tesseract starts and loads its model once (about
        0.1 s of CPU saved per region) and reads each page afresh, so every text is the one a
        run of its own gives (the LSTM recogniser carries nothing from page to page).
        """
        if (
            len(images) < 2
            or any(im.ndim != 2 or im.dtype != "uint8" for im in images)
            or all(self._library(im) is not None for im in images)  # no program to start
        ):
            return [self.read_region(im, single_line=single_line) for im in images]
        limit = REGION_TIMEOUT_S * len(images)
        out = self._run(self._region_args(single_line), _tiff(images), limit, "regions")
        texts = out.split("\f")  # Tesseract's page separator, written between pages
        if len(texts) != len(images):
            log.warning(
                "%d regions read as %d texts; reading them one by one", len(images), len(texts)
            )
            return [self.read_region(im, single_line=single_line) for im in images]
        return texts

    def orientation(self, image: np.ndarray, dpi: int) -> OsdResult | None:
        """Ask Tesseract's OSD for the page orientation (None: too little text to decide)."""
        scale = min(1.0, _OSD_DPI / max(dpi, 1))
        small = image
        if scale < 1.0:
            import cv2

            small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        # OSD classifies up to five times this many characters; ten keeps it under a second.
        args = ["--psm", "0", "--dpi", str(round(dpi * scale))]
        args += ["-c", "min_characters_to_try=10"]
        if self.tessdata is not None and (self.tessdata / "osd.traineddata").exists():
            args = ["--tessdata-dir", str(self.tessdata), *args]
        # Sparse pages (a signature block, a blank back side) are normal input, not failures.
        text = self._run(
            args, _pgm(small), OSD_TIMEOUT_S, "orientation", tolerate="Too few characters"
        )
        return parse_osd(text)


def parse_tsv(tsv: str) -> list[OcrWord]:
    """Turn Tesseract's TSV output into words (empty and non-word rows dropped).

    Raises:
        StageError: the output is not Tesseract TSV.
    """
    rows = list(csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or tuple(rows[0][: len(_TSV_COLUMNS)]) != _TSV_COLUMNS:
        raise StageError(
            f"tesseract output is not TSV: {tsv[:80]!r}",
            code="ocr_failed",
            message_vi="Kết quả nhận dạng không đọc được.",
        )
    words: list[OcrWord] = []
    for row in rows[1:]:
        if len(row) < 12:
            continue
        text = row[11].strip()
        try:
            conf = float(row[10])
            level, left, top, width, height = (int(row[i]) for i in (0, 6, 7, 8, 9))
            block, par, line = int(row[2]), int(row[3]), int(row[4])
        except ValueError as e:
            raise StageError(
                f"tesseract TSV row unreadable: {row!r}",
                code="ocr_failed",
                message_vi="Kết quả nhận dạng không đọc được.",
            ) from e
        if level != 5 or not text or conf < 0:
            continue
        words.append(OcrWord(text, conf, left, top, width, height, block, par, line))
    return words


def parse_osd(text: str) -> OsdResult | None:
    """Read the rotation and its confidence from OSD output (None when OSD skipped the page)."""
    rotate = re.search(r"Rotate:\s*(\d+)", text)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", text)
    if rotate is None or conf is None:
        return None
    return OsdResult(int(rotate.group(1)) % 360, float(conf.group(1)))
