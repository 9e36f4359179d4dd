"""Data of the search benchmark: recombined real-text pages, the fixed query mix, relevance."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

from bench.harness import shared_corpora
from core.search_types import IndexedDocument, IndexedPage, SearchQuery
from core.text import fold, nfc
from search import open_backend

CORPORA = shared_corpora()
DOC_TYPES = [
    ("NGHỊ QUYẾT", "NQ"),
    ("QUYẾT ĐỊNH", "QĐ"),
    ("KẾ HOẠCH", "KH"),
    ("CÔNG VĂN", "CV"),
    ("BÁO CÁO", "BC"),
    ("THÔNG BÁO", "TB"),
    ("CHỈ THỊ", "CT"),
    ("HƯỚNG DẪN", "HD"),
    ("TỜ TRÌNH", "TTr"),
    ("KẾT LUẬN", "KL"),
]
ISSUERS = [
    ("TỈNH ỦY LÂM ĐỒNG", "TU"),
    ("BAN TỔ CHỨC TỈNH ỦY", "BTCTU"),
    ("ỦY BAN NHÂN DÂN TỈNH", "UBND"),
    ("SỞ NỘI VỤ", "SNV"),
    ("BAN THƯỜNG VỤ HUYỆN ỦY", "HU"),
    ("ỦY BAN KIỂM TRA TỈNH ỦY", "UBKTTU"),
    ("VĂN PHÒNG TỈNH ỦY", "VPTU"),
    ("SỞ TÀI CHÍNH", "STC"),
    ("CỤC THUẾ", "CT"),
    ("ĐẢNG ỦY KHỐI CƠ QUAN", "ĐUK"),
    ("BAN TUYÊN GIÁO TỈNH ỦY", "BTGTU"),
    ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "STTTT"),
]


def _sources() -> list[list[str]]:
    """Return the real text as lists of non-empty lines, one list per source."""
    out = []
    for f in sorted((CORPORA / "text").glob("*.txt")):
        out.append([ln.strip() for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()])
    for f in sorted((CORPORA / "dev").glob("doc_*.json")):
        data = json.loads(f.read_text(encoding="utf-8"))
        lines = [
            ln.strip()
            for p in data.get("pages", [])
            for ln in (p.get("text") or "").splitlines()
            if ln.strip()
        ]
        if lines:
            out.append(lines)
    return [nfc_lines for nfc_lines in ([nfc(x) for x in s] for s in out) if len(nfc_lines) > 5]


def generate_documents(pages: int, seed: int = 7) -> list[IndexedDocument]:
    """Return documents totalling ``pages`` pages of recombined real Vietnamese text."""
    rng = random.Random(seed)
    sources = _sources()
    weights = [len(s) for s in sources]
    docs: list[IndexedDocument] = []
    made, doc_id = 0, 0
    while made < pages:
        doc_id += 1
        n = min(rng.randint(1, 6), pages - made)
        (dtype, dab), (issuer, iab) = rng.choice(DOC_TYPES), rng.choice(ISSUERS)
        year = rng.randint(2010, 2024)
        state = iab in ("UBND", "SNV", "STC", "CT", "STTTT")
        number = rng.randint(1, 999)
        symbol = f"{number}/{year}/{dab}-{iab}" if state else f"{number}-{dab}/{iab}"
        texts = []
        for _ in range(n):
            src = rng.choices(sources, weights)[0]
            start, length = rng.randrange(len(src)), rng.randint(30, 45)
            texts.append("\n".join(src[(start + i) % len(src)] for i in range(length)))
        subject = rng.choice(rng.choices(sources, weights)[0])[:120]
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        header = (
            f"{issuer}\nSố: {symbol}\nLâm Đồng, ngày {date[8:]} tháng {date[5:7]} năm "
            f"{year}\n{dtype}\n{subject}\n"
        )
        texts[0] = header + texts[0]
        r = rng.random()
        cls = "thuong" if r < 0.85 else "mat" if r < 0.95 else "toi_mat"
        docs.append(
            IndexedDocument(
                id=doc_id,
                batch=f"B{year}-{doc_id % 7}",
                kind="state_document" if state else "party_document",
                classification=cls,
                pages=tuple(IndexedPage(i + 1, t) for i, t in enumerate(texts)),
                collection=f"Văn bản {2010 + (year - 2010) // 5 * 5}",
                doc_type=dtype,
                symbol=symbol,
                date=date,
                year=year,
                issuer=issuer,
                subject=subject,
                title=f"{dtype} {symbol}: {subject}",
            )
        )
        made += n
    return docs


def queries_for(docs: list[IndexedDocument]) -> list[dict[str, Any]]:
    """Return the fixed 50-query mix; symbol queries use documents at fixed positions."""
    cat: list[tuple[str, dict[str, Any]]] = []
    for w in ("đảng", "ý", "ở", "an", "xã", "luật", "số", "cán", "thuế", "văn"):
        cat.append(("single", {"text": w}))
    for w in (
        "quyết định",
        "ủy ban nhân dân",
        "cán bộ",
        "công nghệ thông tin",
        "văn bản",
        "tổ chức",
        "chính phủ",
        "hành chính",
        "trách nhiệm",
        "quy định",
    ):
        cat.append(("common", {"text": w}))
    for w in (
        "quyet dinh",
        "dang vien",
        "uy ban nhan dan",
        "cong nghe thong tin",
        "van thu",
        "luu tru",
        "bao cao",
        "ke hoach",
        "thue thu nhap",
        "chu tich",
    ):
        cat.append(("folded", {"text": w}))
    for w in (
        '"ban thường vụ"',
        '"công nghệ thông tin"',
        '"quy định chi tiết"',
        '"văn bản quy phạm pháp luật"',
        '"ủy ban nhân dân tỉnh"',
        '"cong tac van thu"',
        '"cơ quan nhà nước"',
        '"tổ chức, cá nhân"',
    ):
        cat.append(("phrase", {"text": w}))
    step = max(1, len(docs) // 6)
    for i in range(6):
        cat.append(("symbol", {"text": docs[i * step].symbol}))
    filtered: list[dict[str, Any]] = [
        {"text": "quyết định", "doc_types": ["NGHỊ QUYẾT"], "year_from": 2015, "year_to": 2018},
        {"text": "", "issuers": ["SỞ NỘI VỤ"]},
        {"text": "đảng", "year_from": 2020},
        {"text": "cán bộ", "kinds": ["state_document"]},
        {"text": "báo cáo", "batches": ["B2016-3"], "clearance": "mat"},
        {"text": "văn bản", "clearance": "toi_mat", "classifications": ["mat"]},
    ]
    cat += [("filtered", f) for f in filtered]
    out = []
    for c, q in cat:
        q = {k: tuple(v) if isinstance(v, list) else v for k, v in q.items()}
        SearchQuery(**q)  # validate early
        out.append(
            {
                "category": c,
                "query": {k: list(v) if isinstance(v, tuple) else v for k, v in q.items()},
            }
        )
    assert len(out) == 50
    return out


def _dev_documents(export: Path) -> tuple[list[IndexedDocument], dict[str, int]]:
    """Return the OCR'd dev documents and ``{first file name: export doc id}``."""
    docs: list[IndexedDocument] = []
    first: dict[str, int] = {}
    for line in export.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec.get("id") is None:
            continue
        f = rec.get("fields") or {}
        pages = tuple(
            IndexedPage(i + 1, p.get("text") or "") for i, p in enumerate(rec.get("pages", []))
        )
        for p in rec.get("pages", []):
            first.setdefault(f"{p['source_file']}#{p['source_page']}", rec["id"])
        date = str(f.get("date") or "")
        docs.append(
            IndexedDocument(
                id=rec["id"],
                batch=rec.get("batch", "dev"),
                kind=rec.get("kind", "other"),
                classification="thuong",
                pages=pages,
                doc_type=str(f.get("doc_type") or ""),
                symbol=str(f.get("symbol") or ""),
                date=date,
                year=int(date[:4]) if date[:4].isdigit() else None,
                issuer=str(f.get("issuer") or ""),
                subject=str(f.get("subject") or ""),
            )
        )
    return docs, first


def relevance(backend_name: str, index_dir: Path, export: Path) -> dict[str, Any]:
    """Return the share of dev documents found in the top 3 by their true subject.

    ``export`` is a sohoa JSONL export of the OCR'd dev corpus: the text searched is what OCR
    read, not the ground truth.
    """
    if index_dir.exists():
        shutil.rmtree(index_dir)
    docs, first = _dev_documents(export)
    backend = open_backend(backend_name, index_dir)
    backend.index(docs)
    n = exact = folded = 0
    for f in sorted((CORPORA / "dev").glob("doc_*.json")):
        truth = json.loads(f.read_text(encoding="utf-8"))
        subject = (truth.get("fields") or {}).get("subject")
        target = first.get(f"{truth['files'][0]}#1")
        if not subject or target is None:
            continue
        n += 1
        for text, bump in ((subject, "exact"), (fold(subject), "folded")):
            hits = backend.search(SearchQuery(text, clearance="tuyet_mat", limit=3)).hits
            if target in [h.id for h in hits]:
                exact += bump == "exact"
                folded += bump == "folded"
    backend.close()
    return {"n": n, "exact": exact / n if n else 0.0, "folded": folded / n if n else 0.0}
