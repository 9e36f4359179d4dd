"""The Tesseract engine's one wrapper: real binary, and stand-in programs that misbehave."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from core.errors import DependencyError, StageError, TransientError
from ocr._tesseract import TesseractEngine, parse_tsv

PAGE = np.full((200, 600), 255, np.uint8)


def program(tmp_path: Path, name: str, body: str) -> str:
    """Write an executable shell script standing in for tesseract; returns its path."""
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def test_missing_binary_is_a_dependency_error(tmp_path):
    engine = TesseractEngine(cmd=str(tmp_path / "no-such-tesseract"))
    with pytest.raises(DependencyError) as e:
        engine.check()
    assert e.value.code == "tesseract_missing" and e.value.exit_code == 69
    assert "tesseract-ocr" in e.value.message_vi
    with pytest.raises(DependencyError):
        engine.recognize(PAGE)


def test_crash_fails_the_page(tmp_path):
    crash = program(tmp_path, "crash", "cat > /dev/null; kill -SEGV $$")
    with pytest.raises(StageError) as e:
        TesseractEngine(cmd=crash).recognize(PAGE)
    assert e.value.code == "ocr_failed" and "signal 11" in str(e.value)


def test_time_out_is_transient_and_kills_the_program(tmp_path):
    pid_file = tmp_path / "pid"
    hang = program(tmp_path, "hang", f"echo $$ > {pid_file}; cat > /dev/null; sleep 60")
    t0 = time.monotonic()
    with pytest.raises(TransientError) as e:
        TesseractEngine(cmd=hang, page_timeout_s=1).recognize(PAGE)
    assert e.value.code == "ocr_timeout"
    assert time.monotonic() - t0 < 10
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):  # the whole process group is gone
        os.kill(pid, 0)


def test_garbage_output_fails_the_page(tmp_path):
    junk = program(tmp_path, "junk", "cat > /dev/null; echo 'lorem ipsum'")
    with pytest.raises(StageError) as e:
        TesseractEngine(cmd=junk).recognize(PAGE)
    assert e.value.code == "ocr_failed"
    with pytest.raises(StageError):
        parse_tsv("level\tpage_num\n5\tx\n")


@pytest.mark.tesseract
def test_missing_language_model_is_a_dependency_error():
    engine = TesseractEngine(languages="zzz")
    with pytest.raises(DependencyError) as e:
        engine.check()
    assert e.value.code == "tesseract_model_missing" and "zzz" in e.value.message_vi
    with pytest.raises(DependencyError):
        engine.recognize(PAGE)


@pytest.mark.tesseract
def test_real_engine_checks_and_reads(tmp_path):
    from PIL import Image, ImageDraw, ImageFont

    engine = TesseractEngine()
    assert engine.check().startswith("tesseract")
    img = Image.new("L", (900, 120), 255)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
    ImageDraw.Draw(img).text((20, 30), "Quyết định khen thưởng", fill=0, font=font)
    words = engine.recognize(np.asarray(img))
    assert " ".join(w.text for w in words) == "Quyết định khen thưởng"
    assert all(w.width > 0 and w.line == words[0].line for w in words)
    region = engine.read_region(np.asarray(img), single_line=True)
    assert region.strip() == "Quyết định khen thưởng"


@pytest.mark.tesseract
def test_regions_read_in_one_run_give_the_texts_of_a_run_each(tmp_path):
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 36)
    regions = []
    for text in ("Quyết định khen thưởng", "", "Số 14-KH/BTCTU\nLâm Đồng", "TUYỆT MẬT"):
        img = Image.new("L", (700, 60 + 45 * text.count("\n")), 255)
        ImageDraw.Draw(img).multiline_text((20, 10), text, fill=0, font=font)
        regions.append(np.asarray(img))  # the second one is blank
    # A counting stand-in: every run of the program is logged, then real Tesseract runs.
    runs = tmp_path / "runs"
    counting = program(tmp_path, "counting", f'echo run >> {runs}; exec tesseract "$@"')
    engine = TesseractEngine(cmd=counting)
    for single_line in (False, True):
        runs.unlink(missing_ok=True)
        one_by_one = [engine.read_region(r, single_line=single_line) for r in regions]
        assert len(runs.read_text().split()) == len(regions)
        runs.unlink()
        assert engine.read_regions(regions, single_line=single_line) == one_by_one
        assert len(runs.read_text().split()) == 1
    assert "TUYỆT MẬT" in one_by_one[3]


def test_regions_fall_back_to_a_run_each_when_the_output_does_not_split(tmp_path):
    # A program that ignores the pages: one text for the whole TIFF, one per PGM.
    one_text = program(tmp_path, "one_text", "cat > /dev/null; echo 'Nguyễn Văn An'")
    texts = TesseractEngine(cmd=one_text).read_regions([PAGE, PAGE, PAGE], single_line=False)
    assert texts == ["Nguyễn Văn An\n"] * 3


TSV_HEADER = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
)


def _recorder(tmp_path: Path) -> str:
    """A stand-in that records where it was told to read the image and what came on stdin."""
    return program(
        tmp_path,
        "recorder",
        f'echo "$1" > {tmp_path}/source; [ -f "$1" ] && cp "$1" {tmp_path}/file; '
        f"cat > {tmp_path}/stdin; printf '{TSV_HEADER}\\n'",
    )


def test_a_page_goes_in_as_a_temporary_file_not_on_stdin(tmp_path):
    # Tesseract reads stdin a byte at a time: a 300-dpi page cost 0.09 s more CPU that way.
    TesseractEngine(cmd=_recorder(tmp_path)).recognize(PAGE)
    source = (tmp_path / "source").read_text().strip()
    assert source.endswith(".pgm") and not Path(source).exists()  # removed after the run
    assert (tmp_path / "file").read_bytes().startswith(b"P5") and not (
        tmp_path / "stdin"
    ).stat().st_size


def test_a_page_goes_on_stdin_when_no_temporary_file_can_be_written(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    TesseractEngine(cmd=_recorder(tmp_path)).recognize(PAGE)
    assert (tmp_path / "source").read_text().strip() == "stdin"
    assert (tmp_path / "stdin").read_bytes().startswith(b"P5")


def _printed(lines: str, size: int = 36, width: int = 700) -> np.ndarray:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", size)
    img = Image.new("L", (width, 60 + (size + 9) * lines.count("\n")), 255)
    ImageDraw.Draw(img).multiline_text((20, 10), lines, fill=0, font=font)
    return np.asarray(img)


@pytest.mark.tesseract
def test_the_library_reads_what_the_program_reads(tmp_path):
    # The default program is read in process (no process, no model load a call); a stand-in
    # program that counts its runs shows the program's own reading of the same pixels.
    runs = tmp_path / "runs"
    counting = program(tmp_path, "counting", f'echo run >> {runs}; exec tesseract "$@"')
    library, cli = TesseractEngine(), TesseractEngine(cmd=counting)
    page = _printed("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố 14-KH/BTCTU\nLâm Đồng", 40, 1100)
    regions = [_printed(t) for t in ("Quyết định khen thưởng", "", "TUYỆT MẬT")]
    regions.append(page[5:90, 10:700])  # a view into a page, as re-readers cut regions
    assert library.recognize(page) == cli.recognize(page)
    for single_line in (False, True):
        assert library.read_regions(regions, single_line=single_line) == cli.read_regions(
            regions, single_line=single_line
        )
        assert [library.read_region(r, single_line=single_line) for r in regions] == [
            cli.read_region(r, single_line=single_line) for r in regions
        ]
    assert len(runs.read_text().split()) == 1 + 2 * (1 + len(regions))
    assert "TUYỆT MẬT" in library.read_region(regions[2], single_line=True)
    off = TesseractEngine(in_process=False, cmd=counting)
    runs.unlink()
    assert off.recognize(page) == cli.recognize(page)
    assert len(runs.read_text().split()) == 2


@pytest.mark.tesseract
def test_the_library_is_used_only_for_the_default_program(monkeypatch):
    from ocr import _libtesseract

    calls = []
    real = _libtesseract.read
    monkeypatch.setattr(
        _libtesseract, "read", lambda *a, **k: calls.append(k["what"]) or real(*a, **k)
    )
    TesseractEngine().recognize(PAGE)
    TesseractEngine().read_region(PAGE, single_line=True)
    assert calls == ["page", "region"]
    TesseractEngine(in_process=False).recognize(PAGE)
    TesseractEngine(cmd="/usr/bin/tesseract").recognize(PAGE)  # maybe another version
    colour = np.full((60, 200, 3), 255, np.uint8)  # only 2-D grey goes to the library;
    with pytest.raises(StageError):  # the rest fails as it did with the program
        TesseractEngine().read_region(colour, single_line=True)
    assert calls == ["page", "region"]


@pytest.mark.tesseract
def test_a_library_read_past_its_time_limit_is_transient():
    page = _printed("Quyết định khen thưởng\n" * 20, 30, 1200)
    with pytest.raises(TransientError) as e:
        TesseractEngine(page_timeout_s=0.001).recognize(page)
    assert e.value.code == "ocr_timeout"
    assert TesseractEngine().recognize(page)  # the same process reads on afterwards


@pytest.mark.tesseract
@pytest.mark.parametrize("in_process", [True, False])
def test_a_model_folder_of_its_own_reads_pages(tmp_path, in_process):
    # models/tessdata (SOHOA_OCR__MODEL=best) holds the model and nothing else: no configs/,
    # where the program looked for the `tsv` config and, not finding it, wrote plain text.
    system = Path("/usr/share/tesseract-ocr/5/tessdata/vie.traineddata")
    if not system.exists():
        pytest.skip("no system vie model")
    (tmp_path / "vie.traineddata").symlink_to(system)
    page = _printed("Quyết định khen thưởng", 40, 900)
    engine = TesseractEngine(tessdata=tmp_path, in_process=in_process)
    assert " ".join(w.text for w in engine.recognize(page)) == "Quyết định khen thưởng"


@pytest.mark.tesseract
def test_library_reads_are_tallied_for_the_bench(tmp_path, monkeypatch):
    # bench/pipeline.py splits a run's CPU by kind of call from this log (and the program's).
    tally = tmp_path / "calls.log"
    monkeypatch.setenv("SOHOA_TESSERACT_TALLY", str(tally))
    TesseractEngine().recognize(PAGE)
    TesseractEngine().read_regions([PAGE, PAGE], single_line=True)
    lines = [line.split() for line in tally.read_text().splitlines()]
    assert [(w[0], w[1]) for w in lines] == [("in-process", "page")] + [
        ("in-process", "region")
    ] * 2
    assert all(float(w[2]) >= 0 for w in lines)


_FORKED_READ = """
import os, sys
import numpy as np
from PIL import Image, ImageDraw, ImageFont
from ocr import _libtesseract
from ocr._tesseract import TesseractEngine

font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
img = Image.new("L", (900, 80), 255)
ImageDraw.Draw(img).text((20, 10), "Quyết định khen thưởng", fill=0, font=font)
page = np.asarray(img)
engine = TesseractEngine()
engine.preload()
(loaded,) = [handle for _, handle in _libtesseract._preloaded.values()]
read, write = os.pipe()
pid = os.fork()
if pid == 0:
    api = _libtesseract._api(_libtesseract.library(), engine.languages, engine.tessdata)
    text = " ".join(w.text for w in engine.recognize(page))
    os.write(write, f"{api.handle == loaded}|{text}".encode())
    os._exit(0)
os.waitpid(pid, 0)
print(os.read(read, 1000).decode())
print(" ".join(w.text for w in TesseractEngine().recognize(page)))
"""


@pytest.mark.tesseract
def test_a_process_forked_after_preload_reads_with_the_loaded_model():
    import subprocess
    import sys

    from tests.conftest import REPO

    r = subprocess.run(
        [sys.executable, "-c", _FORKED_READ], cwd=REPO, capture_output=True, text=True, check=True
    )
    child, parent = r.stdout.splitlines()
    assert child == "True|Quyết định khen thưởng"
    assert parent == "Quyết định khen thưởng"  # the loading process may read too
