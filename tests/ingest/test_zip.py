import io
import zipfile

import pytest

from core.errors import InputError
from core.settings import IngestSettings
from ingest import list_members, read_member

CFG = IngestSettings()


def _zip(tmp_path, entries, name="a.zip"):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for n, data in entries:
            zf.writestr(n, data)
    p = tmp_path / name
    p.write_bytes(buf.getvalue())
    return p


def test_unsafe_paths_are_refused_per_entry(tmp_path):
    p = _zip(
        tmp_path,
        [
            ("../evil.pdf", b"x"),
            ("/etc/abs.pdf", b"x"),
            ("ok/p1.png", b"x"),
            ("a/../../b.png", b"x"),
        ],
    )
    members = {m.name: m for m in list_members(p, CFG)}
    assert members["ok/p1.png"].error is None
    for bad in ["../evil.pdf", "/etc/abs.pdf", "a/../../b.png"]:
        assert members[bad].error is not None
        assert members[bad].error.code == "zip_unsafe_path"


def test_entries_come_in_natural_order(tmp_path):
    p = _zip(tmp_path, [("p10.png", b"1"), ("p2.png", b"2"), ("p1.png", b"3")])
    assert [m.name for m in list_members(p, CFG)] == ["p1.png", "p2.png", "p10.png"]


def test_high_ratio_entry_is_a_bomb(tmp_path):
    p = _zip(tmp_path, [("zeros.tif", b"\0" * (30 << 20)), ("fine.png", b"abc")])
    members = {m.name: m for m in list_members(p, CFG)}
    assert members["zeros.tif"].error.code == "zip_bomb"
    assert members["fine.png"].error is None


def test_archive_declaring_too_much_is_refused_whole(tmp_path):
    p = _zip(tmp_path, [(f"f{i}.png", b"x" * 2048) for i in range(5)])
    with pytest.raises(InputError) as e:
        list_members(p, IngestSettings(zip_max_total_mb=0))
    assert e.value.code == "zip_bomb"


def test_read_stops_at_declared_size(tmp_path):
    p = _zip(tmp_path, [("a.png", b"y" * 5000)])
    (member,) = list_members(p, CFG)
    assert b"".join(read_member(p, member, CFG)) == b"y" * 5000
