"""ZIP entries that are not scans (hidden files, system metadata) are recorded as skipped with
a reason: the batch status and the export account for them."""

from __future__ import annotations

import io
import json
import zipfile

from api.main import create_app
from core.db import SourceFile
from pipeline.intake import get_or_create_batch, register_paths
from progress.status import batch_status
from records.export import export_string
from tests.api.test_authz_matrix import jpeg


def test_hidden_and_metadata_entries_are_recorded_as_skipped(ctx, tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("p1.jpg", jpeg())
        z.writestr(".DS_Store", b"junk")
        z.writestr(".an/p2.jpg", jpeg(100))
        z.writestr("__MACOSX/._p1.jpg", b"meta")
    archive = tmp_path / "quyen.zip"
    archive.write_bytes(buf.getvalue())
    bid = get_or_create_batch(ctx, "lo-zip")
    report = register_paths(ctx, bid, [archive])
    assert report.pages == 1 and len(report.skipped) == 3
    with ctx.session() as s:
        from core.db import Batch

        st = batch_status(s, s.get(Batch, bid))
        rows = {f.original_name: f for f in s.query(SourceFile).filter_by(status="skipped")}
        assert set(rows) == {
            "quyen.zip/.DS_Store",
            "quyen.zip/.an/p2.jpg",
            "quyen.zip/__MACOSX/._p1.jpg",
        }
        assert {r.error_code for r in rows.values()} == {"skipped_hidden", "skipped_metadata"}
        assert all(r.parent_id is not None and r.error for r in rows.values())
        exported = [json.loads(x) for x in export_string(s, bid, "lo-zip", "jsonl").splitlines()]
    assert {x["file"] for x in st["skipped"]} == set(rows)
    assert st["files"]["skipped"] == 3
    skipped = [r for r in exported if r["status"] == "skipped"]
    assert {r["errors"][0]["source_file"] for r in skipped} == set(rows)
    assert all("bỏ qua" in r["errors"][0]["message"] for r in skipped)
    assert create_app  # the API serves the same batch_status
