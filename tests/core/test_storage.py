import hashlib
import stat

import pytest

from core.errors import InputError
from core.storage import Storage


def test_originals_are_content_addressed_and_read_only(tmp_path):
    st = Storage(tmp_path)
    data = b"%PDF-1.4 hello"
    blob = st.store_stream([data[:5], data[5:]])
    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    assert blob.path == st.original_path(blob.sha256)
    assert blob.path.read_bytes() == data
    assert not blob.path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert not blob.existed
    again = st.store_stream([data])
    assert again.existed and again.path == blob.path
    assert list(st.tmp.iterdir()) == []


def test_size_limit_leaves_nothing_behind(tmp_path):
    st = Storage(tmp_path)
    with pytest.raises(InputError) as e:
        st.store_stream([b"x" * 100, b"y" * 100], max_bytes=150)
    assert e.value.code == "file_too_large"
    assert list(st.tmp.iterdir()) == []
    assert not any(p.is_file() for p in st.originals.rglob("*"))
