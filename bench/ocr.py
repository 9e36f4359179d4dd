"""OCR head-to-head: sohoa vs bare Tesseract vs OCRmyPDF on the same pages, in one run.

    python bench/ocr.py [--corpus NAME=DIR ...] [--jobs 2] [--limit N] [--record]
                        [--systems sohoa,sohoa-best,sohoa-nocorr,bare,ocrmypdf]

Default corpora: dev (../shared/corpora/dev), dev2 and dev2-holdout (generated with their fixed
seeds when missing). Where the ground truth names a scanner profile or a font (dev2), CER is
also broken down by each, and a group where sohoa does worse than OCRmyPDF is marked ✗.

Every system sees the same pages with two parallel jobs and OMP_THREAD_LIMIT=1:
- ``sohoa``: render → orientation → deskew → clean → Tesseract (default model) → post-correction;
- ``sohoa-best``: the same with the tessdata_best-derived model (the model choice is measured);
- ``sohoa-nocorr``: the same without post-correction (its effect on CER);
- ``bare``: ``tesseract IMAGE - -l vie --psm 3`` on the raw page image;
- ``ocrmypdf``: ``ocrmypdf --deskew --rotate-pages -l vie --jobs 2 --output-type pdf
  --skip-text`` per file, images with their own dpi (installed from PyPI into
  ``bench/.venv-ocrmypdf`` on first use), text read with pdftotext.
Scoring follows ../shared/corpora/README.md (bench/metrics.py).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from bench.harness import corpora, ensure_corpus, machine_info, record  # noqa: E402
from bench.metrics import (  # noqa: E402
    levenshtein,
    normalize_text,
    percentile,
    skew_error,
    strip_diacritics,
    words_of,
)

OCRMYPDF_VENV = BENCH / ".venv-ocrmypdf"


@dataclass
class Page:
    """One ground-truth page and where it lives."""

    file: str
    frame: int
    text: str
    rotation: int
    skew: float
    profile: str = ""
    font: str = ""


@dataclass
class Outcome:
    """What one system produced on the corpus."""

    name: str
    texts: dict[tuple[str, int], str] = field(default_factory=dict)
    rotation: dict[tuple[str, int], int] = field(default_factory=dict)
    skew: dict[tuple[str, int], float] = field(default_factory=dict)
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # user + system of every finished descendant: robust to load
    peak_rss: int = 0
    note: str = ""


def children_cpu() -> float:
    """Return CPU seconds used so far by finished child processes (and their children)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load_pages(corpus: Path) -> list[Page]:
    """Return every ground-truth page of the corpus (documents and scored hostile files)."""
    pages = []
    for gt in sorted(corpus.glob("*.json")):
        doc = json.loads(gt.read_text(encoding="utf-8"))
        if not isinstance(doc.get("pages"), list):
            continue  # manifest.json
        for p in doc["pages"]:
            if (corpus / p["file"]).exists():
                pages.append(
                    Page(
                        p["file"],
                        p.get("frame", 0),
                        p["text"],
                        int(p.get("rotation", 0)),
                        float(p.get("skew_deg", 0.0)),
                        str((p.get("degradation") or {}).get("profile", "")),
                        str(doc.get("font", "")),
                    )
                )
    return pages


class RssSampler:
    """Peak resident memory of this process's children, sampled every 100 ms."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    self.peak = max(self.peak, child.memory_info().rss)
            time.sleep(0.1)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _sohoa_page(args: tuple[str, str, int, dict[str, Any]]) -> tuple[str, int, float, str]:
    path, kind, frame, ocr_overrides = args
    from core.models import PageRef
    from core.settings import IngestSettings, OcrSettings
    from ingest import render_page
    from ocr import ocr_page

    rendered = render_page(PageRef(path, kind, frame), IngestSettings())
    out = ocr_page(rendered.image, rendered.dpi, OcrSettings(**ocr_overrides))
    return out.page.text, out.page.rotation, out.page.skew_deg, out.page.engine


def run_sohoa(
    name: str, corpus: Path, pages: list[Page], jobs: int, overrides: dict[str, Any]
) -> Outcome:
    """Run sohoa's OCR stage on every page with ``jobs`` worker processes."""
    from ingest import sniff_file

    kinds = {p.file: sniff_file(corpus / p.file) for p in pages}
    work = [(str(corpus / p.file), kinds[p.file], p.frame, overrides) for p in pages]
    out = Outcome(name)
    t0, c0 = time.perf_counter(), children_cpu()
    with RssSampler() as rss, ProcessPoolExecutor(jobs, initializer=_one_thread) as pool:
        for p, (text, rot, skew, engine) in zip(pages, pool.map(_sohoa_page, work), strict=True):
            key = (p.file, p.frame)
            out.texts[key], out.rotation[key], out.skew[key] = text, rot, skew
            out.note = engine
    out.seconds = time.perf_counter() - t0
    out.cpu_seconds = children_cpu() - c0
    out.peak_rss = rss.peak
    return out


def _one_thread() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _raw_images(corpus: Path, pages: list[Page], tmp: Path) -> dict[tuple[str, int], Path]:
    """Write each page's raw image (as scanned, no straightening) for bare Tesseract."""
    from core.models import PageRef
    from core.settings import IngestSettings
    from ingest import render_page, sniff_file

    paths = {}
    for p in pages:
        r = render_page(
            PageRef(str(corpus / p.file), sniff_file(corpus / p.file), p.frame), IngestSettings()
        )
        dest = tmp / f"{len(paths):03d}.png"
        r.image.save(dest, dpi=(r.dpi, r.dpi))
        paths[(p.file, p.frame)] = dest
    return paths


def _tesseract(path: str) -> str:
    return subprocess.run(
        ["tesseract", path, "-", "-l", "vie", "--psm", "3"],
        capture_output=True,
        check=False,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    ).stdout.decode("utf-8", "replace")


def run_bare(corpus: Path, pages: list[Page], jobs: int, tmp: Path) -> Outcome:
    """Run plain Tesseract on the raw page images (extraction not timed)."""
    images = _raw_images(corpus, pages, tmp)
    keys = list(images)
    out = Outcome("bare tesseract")
    t0, c0 = time.perf_counter(), children_cpu()
    with RssSampler() as rss, ProcessPoolExecutor(jobs) as pool:
        for key, text in zip(
            keys, pool.map(_tesseract, [str(images[k]) for k in keys]), strict=True
        ):
            out.texts[key] = text
    out.seconds = time.perf_counter() - t0
    out.cpu_seconds = children_cpu() - c0
    out.peak_rss = rss.peak
    return out


def _ocrmypdf_bin() -> Path | None:
    exe = OCRMYPDF_VENV / "bin" / "ocrmypdf"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(OCRMYPDF_VENV)], check=True)
        got = subprocess.run(
            [str(OCRMYPDF_VENV / "bin" / "pip"), "install", "-q", "ocrmypdf"], check=False
        )
        if got.returncode != 0:
            return None
    return exe


def run_ocrmypdf(corpus: Path, pages: list[Page], jobs: int, tmp: Path) -> Outcome:
    """Run OCRmyPDF file by file with --deskew --rotate-pages, then pdftotext per page."""
    exe = _ocrmypdf_bin()
    out = Outcome("ocrmypdf")
    if exe is None:
        out.note = "not installed"
        return out
    version = subprocess.run(
        [str(exe), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    out.note = f"OCRmyPDF {version}"
    files = sorted({p.file for p in pages})
    t0, c0 = time.perf_counter(), children_cpu()
    with RssSampler() as rss:
        for name in files:
            dest = tmp / (name + ".ocr.pdf")
            cmd = [
                str(exe),
                "--deskew",
                "--rotate-pages",
                "-l",
                "vie",
                "--jobs",
                str(jobs),
                "--output-type",
                "pdf",
                "--quiet",
            ]
            if not name.endswith(".pdf") and not _is_pdf(corpus / name):
                cmd += ["--image-dpi", "200"]
            subprocess.run(
                [*cmd, str(corpus / name), str(dest)],
                check=False,
                env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            )
            for p in (p for p in pages if p.file == name):
                n = str(p.frame + 1)
                text = subprocess.run(
                    ["pdftotext", "-f", n, "-l", n, str(dest), "-"],
                    capture_output=True,
                    check=False,
                ).stdout
                out.texts[(p.file, p.frame)] = text.decode("utf-8", "replace")
    out.seconds = time.perf_counter() - t0
    out.cpu_seconds = children_cpu() - c0
    out.peak_rss = rss.peak
    return out


def _image_dpi(path: Path) -> int:
    from PIL import Image

    from ingest import image_dpi

    with Image.open(path) as im:
        return image_dpi(im)


def _is_pdf(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(5) == b"%PDF-"


def score(out: Outcome, pages: list[Page]) -> dict[str, Any]:
    """Return CER, WER, CER without diacritics, skew and orientation figures."""
    ce = we = cn = chars = nwords = 0
    skews, orient = [], []
    for p in pages:
        key = (p.file, p.frame)
        truth, pred = normalize_text(p.text), normalize_text(out.texts.get(key, ""))
        ce += levenshtein(pred, truth)
        cn += levenshtein(strip_diacritics(pred), strip_diacritics(truth))
        we += levenshtein(words_of(pred), words_of(truth))
        chars += len(truth)
        nwords += len(words_of(truth))
        if key in out.skew:
            skews.append(skew_error(out.skew[key], p.skew))
        if key in out.rotation:
            orient.append(out.rotation[key] == p.rotation)
    n = len(pages)
    return {
        "cer": ce / chars,
        "wer": we / nwords,
        "cer_nodia": cn / chars,
        "skew": (percentile(skews, 50), percentile(skews, 95), max(skews)) if skews else None,
        "orient": (sum(orient), len(orient)) if orient else None,
        "ppm": n / out.seconds * 60 if out.seconds else 0.0,
        "s_per_page": out.seconds / n if n else 0.0,
        "cpu_per_page": out.cpu_seconds / n if n else 0.0,
        "rss": out.peak_rss,
    }


def table(rows: list[tuple[Outcome, dict[str, Any]]]) -> str:
    """Return the Markdown comparison table."""
    head = (
        "| system | CER | WER | CER no diacritics | skew err ° median / p95 / max | "
        "orientation | pages/min | wall s/page (2 jobs) | CPU s/page | peak RSS of one worker |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = []
    for out, s in rows:
        skew = "/".join(f"{v:.2f}" for v in s["skew"]) if s["skew"] else "—"
        orient = f"{s['orient'][0]}/{s['orient'][1]}" if s["orient"] else "—"
        lines.append(
            f"| {out.name} | {s['cer']:.3f} | {s['wer']:.3f} | {s['cer_nodia']:.3f} | "
            f"{skew} | {orient} | {s['ppm']:.1f} | {s['s_per_page']:.2f} | "
            f"{s['cpu_per_page']:.2f} | {s['rss'] / 2**20:.0f} MiB |"
        )
    return head + "\n".join(lines)


SYSTEMS = {
    "sohoa": {},
    "sohoa-best": {"model": "best"},
    "sohoa-nocorr": {"postcorrect": False},
}


def breakdown(rows: list[tuple[Outcome, dict[str, Any]]], pages: list[Page], by: str) -> str:
    """Return CER per system for each value of ``by`` (``profile`` or ``font``), or ""."""
    groups: dict[str, list[Page]] = {}
    for p in pages:
        if getattr(p, by):
            groups.setdefault(getattr(p, by), []).append(p)
    if not groups:
        return ""
    names = [out.name for out, _ in rows]
    head = f"| {by} | pages | " + " | ".join(f"CER {n}" for n in names) + " |\n"
    head += "|---|---|" + "---|" * len(names) + "\n"
    lines = []
    for value, group in sorted(groups.items()):
        cers = {out.name: score(out, group)["cer"] for out, _ in rows}
        cells = []
        for n in names:
            worse = n == "sohoa" and "ocrmypdf" in cers and cers[n] > cers["ocrmypdf"]
            cells.append(f"{cers[n]:.3f}{' ✗' if worse else ''}")
        lines.append(f"| {value} | {len(group)} | " + " | ".join(cells) + " |")
    return head + "\n".join(lines) + "\n"


def run_corpus(
    corpus: Path, systems: list[str], jobs: int, limit: int
) -> tuple[list[Page], list[tuple[Outcome, dict[str, Any]]]]:
    """Run every system on the corpus's pages; return the pages and (outcome, scores) rows."""
    pages = load_pages(corpus)
    if not pages:
        # A corpus folder that is missing or holds no ground truth (a checkout without
        # ../shared beside it): nothing to score, said plainly instead of a division by zero.
        raise SystemExit(
            f"bench/ocr.py: no ground-truth pages in {corpus} "
            "(set SOHOA_CORPORA or pass --corpus NAME=DIR)"
        )
    if limit:
        pages = pages[:limit]
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for name in systems:
            if name in SYSTEMS:
                out = run_sohoa(name, corpus, pages, jobs, SYSTEMS[name])
            elif name == "bare":
                out = run_bare(corpus, pages, jobs, tmp)
            else:
                out = run_ocrmypdf(corpus, pages, jobs, tmp)
            rows.append((out, score(out, pages)))
            print(f"{corpus.name} {name}: done in {out.seconds:.0f} s {out.note}", file=sys.stderr)
    return pages, rows


def main(argv: list[str] | None = None) -> int:
    """Run the chosen systems on each corpus and print (and optionally record) the tables."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", action="append", default=[], help="NAME=DIR or DIR, repeatable")
    ap.add_argument("--systems", default="sohoa,sohoa-best,sohoa-nocorr,bare,ocrmypdf")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="first N pages only (smoke runs)")
    ap.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = ap.parse_args(argv)
    systems = args.systems.split(",")
    unknown = [n for n in systems if n not in SYSTEMS and n not in ("bare", "ocrmypdf")]
    if unknown:
        ap.error(f"unknown system {', '.join(unknown)}")
    command = "python bench/ocr.py " + " ".join(argv if argv is not None else sys.argv[1:])
    sections = []
    notes: dict[str, str] = {}
    for name, path in corpora(args.corpus).items():
        ensure_corpus(name, path)
        pages, rows = run_corpus(path, systems, args.jobs, args.limit)
        section = f"### {name}: {len(pages)} pages\n\n" + table(rows) + "\n"
        for by in ("profile", "font"):
            extra = breakdown(rows, pages, by)
            section += ("\n" + extra) if extra else ""
        sections.append(section)
        notes.update({o.name: o.note for o, _ in rows if o.note})
    block = (
        f"## OCR head-to-head ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})\n\n"
        f"`{command.strip()}`, {args.jobs} jobs; {machine_info()}; machine load "
        f"(1-min average) at the end: {os.getloadavg()[0]:.1f}.\n\n" + "\n".join(sections)
    )
    if notes:
        block += "\n" + "\n".join(f"- {n}: {note}" for n, note in notes.items()) + "\n"
    print(block)
    if args.record:
        record(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
