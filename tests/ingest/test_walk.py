from ingest import expand_paths, natural_key


def test_natural_order_p2_before_p10():
    names = ["p10.png", "p2.png", "p1.png", "P3.png"]
    assert sorted(names, key=natural_key) == ["p1.png", "p2.png", "P3.png", "p10.png"]


def test_folders_walk_in_natural_order_and_skip_sidecars(tmp_path):
    for name in ["vol/p10.jpg", "vol/p2.jpg", "vol/p1.jpg", "vol/p1.json", "vol/.DS_Store"]:
        p = tmp_path / name
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(b"x")
    files, skipped = expand_paths([tmp_path / "vol"])
    assert [d for _, d in files] == ["p1.jpg", "p2.jpg", "p10.jpg"]
    assert sorted(p.name for p in skipped) == [".DS_Store", "p1.json"]
