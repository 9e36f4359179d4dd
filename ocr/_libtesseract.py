"""Tesseract's own library (libtesseract's C API) in this process, for pages and regions.

Each ``tesseract`` run starts a process, loads its libraries and the language model and decodes
the image file: about 0.08 s of CPU for a small region (nearly all of its cost) and 0.15 s for
a dev page (a sixth of its reading). The library loads the model once per process and reads
the pixels as they are; the text and boxes are those of the program (the same code reads the
same pixels: the program's TSV and text output are ``GetTsvText`` and ``GetUTF8Text``). On
dev's 39 pages the whole ingest took 38.5 s of CPU instead of 48.3, every output the same.

What the program's process gave that a library call does not: a crash takes the worker
process with it (the runner gives its pages back and charges the page, then fails it with
``worker_lost``), and a time limit stops recognition at Tesseract's next check of its monitor
instead of killing a process.

``SOHOA_TESSERACT_TALLY``: a file to which every call appends ``in-process <kind> <CPU s>``
(bench/pipeline.py splits the CPU of a run by kind of call with it).
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import DependencyError, StageError, TransientError

if TYPE_CHECKING:  # the engine's check (the runner's parent) needs no NumPy
    import numpy as np

_c = ctypes.c_void_p
_SIGNATURES: dict[str, tuple[list[type], type | None]] = {
    "TessBaseAPICreate": ([], _c),
    "TessBaseAPIDelete": ([_c], None),
    "TessBaseAPIEnd": ([_c], None),
    "TessBaseAPIInit3": ([_c, ctypes.c_char_p, ctypes.c_char_p], ctypes.c_int),
    "TessBaseAPISetVariable": ([_c, ctypes.c_char_p, ctypes.c_char_p], ctypes.c_int),
    "TessBaseAPISetPageSegMode": ([_c, ctypes.c_int], None),
    "TessBaseAPISetImage": (
        [_c, _c, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int],
        None,
    ),
    "TessBaseAPIRecognize": ([_c, _c], ctypes.c_int),
    "TessBaseAPIGetTsvText": ([_c, ctypes.c_int], _c),
    "TessBaseAPIGetUTF8Text": ([_c], _c),
    "TessBaseAPIClear": ([_c], None),
    "TessDeleteText": ([_c], None),
    "TessMonitorCreate": ([], _c),
    "TessMonitorDelete": ([_c], None),
    "TessMonitorSetDeadlineMSecs": ([_c, ctypes.c_int], None),
}
_lib: ctypes.CDLL | None = None
_tried = False
_load_lock = threading.Lock()


def library() -> ctypes.CDLL | None:
    """Return libtesseract with its C API declared, or None where it is not installed."""
    global _lib, _tried
    with _load_lock:
        if not _tried:
            _tried = True
            # Set before the library (and its OpenMP runtime) loads: see ocr._tesseract.
            os.environ.setdefault("OMP_THREAD_LIMIT", "1")
            _lib = _open()
    return _lib


def _open() -> ctypes.CDLL | None:
    names = [ctypes.util.find_library("tesseract"), "libtesseract.so.5", "libtesseract.so"]
    for name in filter(None, names):
        try:
            lib = ctypes.CDLL(name)
            for func, (args, result) in _SIGNATURES.items():
                fn = getattr(lib, func)
                fn.argtypes, fn.restype = args, result
            return lib
        except (OSError, AttributeError):
            continue
    return None


@dataclass
class _Api:
    """One initialised TessBaseAPI (a language model loaded), used under its lock."""

    handle: int
    lock: threading.Lock


_apis: dict[tuple[int, str, str], _Api] = {}
# APIs loaded by ``preload`` for the processes forked from this one, by model (languages,
# tessdata): the loading process's pid and the handle.
_preloaded: dict[tuple[str, str], tuple[int, int]] = {}


def _api(lib: ctypes.CDLL, languages: str, tessdata: Path | None) -> _Api:
    """Return this process's API for the model: made on first use, or adopted from ``preload``.

    An API is otherwise never taken across a fork: a thread of the parent could have been
    reading with it (its lock copied held, its state half-way).
    """
    model = (languages, str(tessdata or ""))
    key = (os.getpid(), *model)
    with _load_lock:
        api = _apis.get(key)
        if api is not None:
            return api
        loaded = _preloaded.get(model)
        handle = loaded[1] if loaded is not None else _load(lib, languages, tessdata)
        api = _apis[key] = _Api(handle, threading.Lock())
        return api


def preload(lib: ctypes.CDLL, languages: str, tessdata: Path | None) -> None:
    """Load the model in this process for the processes it forks (the runner's fork server).

    Each of them adopts the loaded API (its memory copied with the process, shared until
    written) instead of loading the model on its first page: 0.1-0.15 s of CPU a process. Only
    for a process that forks while no other thread runs and reads nothing itself.

    Raises:
        DependencyError: the language model is missing.
    """
    model = (languages, str(tessdata or ""))
    with _load_lock:
        if model not in _preloaded:
            _preloaded[model] = (os.getpid(), _load(lib, languages, tessdata))


def _load(lib: ctypes.CDLL, languages: str, tessdata: Path | None) -> int:
    """Return a new API handle with the model loaded."""
    handle = lib.TessBaseAPICreate()
    # Tesseract's messages ("Estimating resolution as …") went to the program's stderr,
    # which nobody read; here they would reach the worker's.
    lib.TessBaseAPISetVariable(handle, b"debug_file", os.devnull.encode())
    datapath = None if tessdata is None else str(tessdata).encode()
    if lib.TessBaseAPIInit3(handle, datapath, languages.encode()) != 0:
        lib.TessBaseAPIDelete(handle)
        raise DependencyError(
            f"Tesseract model missing for {languages!r}",
            code="tesseract_model_missing",
            message_vi=f"Thiếu mô hình ngôn ngữ Tesseract '{languages}' "
            "(gói tesseract-ocr-vie hoặc thư mục tessdata).",
        )
    lib.TessBaseAPISetVariable(handle, b"preserve_interword_spaces", b"1")
    return handle


@atexit.register
def _end() -> None:
    # Ended before the process exits: Tesseract's caches then report no leak on stderr.
    lib = _lib
    if lib is None:
        return
    pid = os.getpid()
    ended = set()
    for key, api in list(_apis.items()):
        if key[0] == pid:
            ended.add(api.handle)
            lib.TessBaseAPIEnd(api.handle)
            lib.TessBaseAPIDelete(api.handle)
        del _apis[key]
    for model, (loader, handle) in list(_preloaded.items()):
        if loader == pid and handle not in ended:
            lib.TessBaseAPIEnd(handle)
            lib.TessBaseAPIDelete(handle)
        del _preloaded[model]


def usable(image: np.ndarray) -> bool:
    """Whether an image goes to the library as it is: a non-empty 2-D uint8 array."""
    return image.ndim == 2 and image.dtype == "uint8" and image.size > 0


def read(
    lib: ctypes.CDLL,
    languages: str,
    tessdata: Path | None,
    image: np.ndarray,
    *,
    psm: int,
    tsv: bool,
    timeout_s: float,
    what: str,
) -> str:
    """Recognise a greyscale image; return its TSV rows (without the header) or its text.

    Raises:
        DependencyError: the language model is missing.
        TransientError: recognition passed ``timeout_s`` (stopped there).
        StageError: Tesseract failed on the image.
    """
    import numpy as np

    api = _api(lib, languages, tessdata)
    pixels = np.ascontiguousarray(image)
    height, width = pixels.shape
    cpu0, t0 = time.process_time(), time.monotonic()
    with api.lock:
        monitor = lib.TessMonitorCreate()
        try:
            lib.TessMonitorSetDeadlineMSecs(monitor, max(1, int(timeout_s * 1000)))
            lib.TessBaseAPISetPageSegMode(api.handle, psm)
            lib.TessBaseAPISetImage(api.handle, pixels.ctypes.data, width, height, 1, width)
            failed = lib.TessBaseAPIRecognize(api.handle, monitor) != 0
            text = None
            if not failed:
                out = (
                    lib.TessBaseAPIGetTsvText(api.handle, 0)
                    if tsv
                    else lib.TessBaseAPIGetUTF8Text(api.handle)
                )
                if out:
                    text = ctypes.string_at(out).decode("utf-8", "replace")
                    lib.TessDeleteText(out)
        finally:
            lib.TessBaseAPIClear(api.handle)  # the image and results: not kept between calls
            lib.TessMonitorDelete(monitor)
    _tally(what, time.process_time() - cpu0)
    if failed and time.monotonic() - t0 >= timeout_s:
        raise TransientError(
            f"tesseract {what} exceeded {timeout_s:.0f}s",
            code="ocr_timeout",
            message_vi=f"Nhận dạng quá {timeout_s:.0f} giây; sẽ thử lại.",
        )
    if failed or text is None:
        raise StageError(
            f"tesseract {what} failed in the library",
            code="ocr_failed",
            message_vi="Tesseract không nhận dạng được trang này.",
        )
    return text


def _tally(what: str, cpu_s: float) -> None:
    path = os.environ.get("SOHOA_TESSERACT_TALLY")
    if path:
        with Path(path).open("a", encoding="ascii") as f:
            f.write(f"in-process {what} {cpu_s:.4f}\n")
