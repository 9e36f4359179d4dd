"""Tesseract adapter: plain arguments in, words with boxes out, errors converted."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytesseract

from core.errors import DependencyError, StageError, TransientError
from core.models import OcrWord

# Tesseract's own OpenMP threads fight the page-level process pool; one thread each is
# several times faster overall (paperless-ngx and datashare measured the same).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def tesseract_version() -> str:
    """Return the Tesseract version, or raise if the binary is missing."""
    if shutil.which("tesseract") is None:
        raise DependencyError(
            "tesseract binary not found",
            code="tesseract_missing",
            message_vi="Chưa cài Tesseract OCR (gói tesseract-ocr).",
        )
    return str(pytesseract.get_tesseract_version())


# Where scripts/setup.sh installs the better Vietnamese model (repository checkout).
BUNDLED_TESSDATA = Path(__file__).resolve().parents[1] / "models" / "tessdata"


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


def build_config(psm: int, tessdata_dir: Path | None, extra: str = "") -> str:
    """Return the command-line config string for pytesseract."""
    parts = [f"--psm {psm}", "-c preserve_interword_spaces=1"]
    if tessdata_dir is not None:
        parts.insert(0, f'--tessdata-dir "{tessdata_dir}"')
    if extra:
        parts.append(extra)
    return " ".join(parts)


def recognize(
    image: np.ndarray, *, languages: str, psm: int, tessdata_dir: Path | None, timeout_s: int
) -> list[OcrWord]:
    """Run Tesseract on a greyscale image and return its words in reading order.

    Raises:
        DependencyError: Tesseract or the language model is missing.
        TransientError: the page ran past its time limit (worth one retry on a calmer node).
        StageError: Tesseract failed on this page.
    """
    config = build_config(psm, tessdata_dir)
    try:
        # pytesseract would hand an array over as a PNG, and PNG-compressing a 300-dpi page
        # costs a third of the recognition time; an uncompressed PGM costs ~10 ms.
        with tempfile.TemporaryDirectory(prefix="sohoa-ocr-") as tmp:
            path = Path(tmp) / "page.pgm"
            if not cv2.imwrite(str(path), image):
                raise StageError(
                    "could not write the page for Tesseract",
                    code="ocr_failed",
                    message_vi="Không ghi được ảnh trang tạm để nhận dạng.",
                )
            data: dict[str, list[Any]] = pytesseract.image_to_data(
                str(path),
                lang=languages,
                config=config,
                output_type=pytesseract.Output.DICT,
                timeout=timeout_s,
            )
    except pytesseract.TesseractNotFoundError as e:
        raise DependencyError(
            "tesseract binary not found",
            code="tesseract_missing",
            message_vi="Chưa cài Tesseract OCR (gói tesseract-ocr).",
        ) from e
    except RuntimeError as e:
        if "timeout" in str(e).lower():
            raise TransientError(
                f"tesseract exceeded {timeout_s}s",
                code="ocr_timeout",
                message_vi=f"Nhận dạng trang quá {timeout_s} giây.",
            ) from e
        raise StageError(
            f"tesseract failed: {e}",
            code="ocr_failed",
            message_vi="Tesseract không nhận dạng được trang này.",
        ) from e
    except pytesseract.TesseractError as e:
        msg = str(e)
        if "Failed loading language" in msg or "traineddata" in msg:
            raise DependencyError(
                f"language model missing: {languages}",
                code="tesseract_model_missing",
                message_vi=f"Thiếu mô hình ngôn ngữ Tesseract '{languages}' "
                "(gói tesseract-ocr-vie).",
            ) from e
        raise StageError(
            f"tesseract failed: {msg}",
            code="ocr_failed",
            message_vi="Tesseract không nhận dạng được trang này.",
        ) from e
    words: list[OcrWord] = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        words.append(
            OcrWord(
                text=text,
                conf=conf,
                left=int(data["left"][i]),
                top=int(data["top"][i]),
                width=int(data["width"][i]),
                height=int(data["height"][i]),
                block=int(data["block_num"][i]),
                par=int(data["par_num"][i]),
                line=int(data["line_num"][i]),
            )
        )
    return words
