"""Calibrated confidence: isotonic steps, conservative bounds, the shipped map, the fallback."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

import extract
from core.models import ExtractedFields, PageText
from core.syllables import DEFAULT_SYLLABLES, load_syllables
from extract import _calibrate as cal
from extract._calibrate import (
    MAP_FILE,
    CalibrationMap,
    Step,
    apply_steps,
    calibrate_fields,
    features,
    fit_steps,
    held_below_gate,
    load_map,
    parse_map,
    pav,
    wilson_lower,
)
from extract._evidence import document_context


def _points(spec: list[tuple[float, int, int]]) -> list[tuple[float, bool]]:
    """Expand (raw, right, wrong) into observations."""
    return [(raw, True) for raw, k, _ in spec for _ in range(k)] + [
        (raw, False) for raw, _, w in spec for _ in range(w)
    ]


def test_pav_blocks_rise_and_keep_ties_together() -> None:
    pts = _points([(0.1, 1, 3), (0.2, 3, 1), (0.3, 1, 3), (0.5, 4, 0), (0.5, 0, 1)])
    blocks = pav(pts)
    rates = [k / n for _, _, n, k in blocks]
    assert rates == sorted(rates)
    assert sum(n for _, _, n, _ in blocks) == len(pts)
    # Both observations at 0.5 sit in one block: a map cannot tell equal raw values apart.
    assert sum(1 for lo, hi, _, _ in blocks if lo <= 0.5 <= hi) == 1


def test_pav_pools_a_violation() -> None:
    assert pav(_points([(0.2, 3, 1), (0.4, 1, 3)])) == [(0.2, 0.4, 8, 4)]


def test_wilson_lower_bounds() -> None:
    assert wilson_lower(0, 0) == 0.0
    assert wilson_lower(0, 10) < 1e-9
    assert 0.0 < wilson_lower(10, 10) < 1.0
    assert wilson_lower(10, 10) < wilson_lower(100, 100) < wilson_lower(1000, 1000)
    assert wilson_lower(90, 100) < 0.9


def test_fitted_steps_are_monotone_and_in_bounds() -> None:
    pts = _points([(i / 20, i, 20 - i) for i in range(21)])
    steps = fit_steps(pts, min_n=10)
    values = [s.value for s in steps]
    assert values == sorted(values)
    assert all(cal.FLOOR <= v <= cal.CEILING for v in values)
    raws = [i / 100 for i in range(-10, 111)]
    mapped = [apply_steps(steps, r) for r in raws]
    assert mapped == sorted(mapped)


def test_thin_steps_stay_below_what_they_cannot_prove() -> None:
    # Twelve right of twelve is no evidence of 99 %: the step stays well below 0.9.
    thin = fit_steps(_points([(0.5, 30, 30), (0.95, 12, 0)]), min_n=10)
    assert apply_steps(thin, 0.95) < 0.9
    # Hundreds right of hundreds are.
    thick = fit_steps(_points([(0.5, 30, 30), (0.95, 800, 0)]), min_n=10)
    assert apply_steps(thick, 0.95) >= 0.99


def test_a_block_thinner_than_min_n_joins_its_lower_neighbour() -> None:
    steps = fit_steps(_points([(0.3, 20, 20), (0.6, 60, 0), (0.9, 3, 0)]), min_n=10)
    assert all(s.n >= 10 for s in steps)
    assert apply_steps(steps, 0.9) == apply_steps(steps, 0.6)


def test_map_round_trips_and_rejects_broken_steps() -> None:
    cmap = CalibrationMap(
        {"bias": 0.5}, [Step(0.0, 0.5, 20, 5, 0.1), Step(0.5, 1.0, 40, 39, 0.8)], {}
    )
    assert parse_map(json.loads(json.dumps(cmap.to_json()))) == cmap
    doc = cmap.to_json()
    doc["steps"] = [[0.0, 0.5, 20, 5, 0.9], [0.5, 1.0, 40, 39, 0.2]]
    with pytest.raises(ValueError):
        parse_map(doc)
    with pytest.raises(ValueError):
        parse_map({"version": 99})


@pytest.mark.parametrize("content", [None, "", "{not json", '{"version": 1, "steps": []}'])
def test_missing_or_broken_map_keeps_raw_confidence(
    tmp_path: Path, content: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "calibration.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    load_map.cache_clear()
    with caplog.at_level(logging.WARNING, logger="extract._calibrate"):
        assert load_map(path) is None
    assert "raw confidences kept" in caplog.text
    load_map.cache_clear()


def test_identity_when_no_map(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cal, "load_map", lambda: None)
    fields = ExtractedFields("other", {"symbol": "12-KH/TU"}, {"symbol": 0.42})
    assert calibrate_fields(fields) is fields


def test_shipped_map_loads_with_provenance() -> None:
    load_map.cache_clear()
    cmap = load_map(MAP_FILE)
    assert cmap is not None
    # Fitted only on documents no rule was written from (bench/harness.CALIBRATION_SEEDS).
    from bench.harness import CALIBRATION_SEEDS

    assert cmap.provenance["corpus"] == "+".join(CALIBRATION_SEEDS)
    assert cmap.provenance["seed"] == [seed for seed, _ in CALIBRATION_SEEDS.values()]
    assert cmap.provenance["n"] > 0


def test_shipped_map_is_bounded_monotone_in_raw_and_deterministic() -> None:
    cmap = load_map(MAP_FILE)
    assert cmap is not None
    keys = ["symbol", "date", "signer_name", "subject", "issuer", "profile.ngay_sinh", "secrecy"]
    for key in keys:
        for prov in ({"rule": "title_subject"}, {"rule": "x+surname_model", "flags": ["repaired"]}):
            out = []
            for i in range(101):
                raw = i / 100
                feats = features(key, raw, "Nguyễn Văn An", prov)
                value = cmap.calibrate(key, raw, feats)
                assert 0.0 <= value <= 1.0
                assert value == cmap.calibrate(key, raw, features(key, raw, "Nguyễn Văn An", prov))
                out.append(value)
            assert out == sorted(out), key
    # A key outside every family keeps its raw value.
    assert cmap.calibrate("page_count", 1.0, features("page_count", 1.0, 3, {})) == 1.0


def test_extraction_keeps_raw_confidence_in_provenance() -> None:
    text = (
        "ĐẢNG BỘ TỈNH LÂM ĐỒNG\nHUYỆN ỦY ĐẠ HUOAI\nSố: 14-KH/HU\n"
        "ĐẢNG CỘNG SẢN VIỆT NAM\nĐạ Huoai, ngày 05 tháng 3 năm 2016\n"
        "KẾ HOẠCH\nthực hiện công tác kiểm tra năm 2016\n"
    )
    first = extract.extract_fields([PageText(1, text)])
    again = extract.extract_fields([PageText(1, text)])
    assert first.confidence == again.confidence
    for key, value in first.confidence.items():
        assert 0.0 <= value <= 1.0
        if cal.family(key) is not None:
            assert 0.0 <= first.provenance[key]["raw_confidence"] <= 1.0
    assert first.confidence["page_count"] == 1.0


def test_only_fields_proven_99_percent_right_reach_the_gate() -> None:
    # 97 % right on 600 fields: a lower bound near 0.95, yet short of the 99 % promise.
    pts = _points([(0.2, 20, 40), (0.8, 582, 18)])
    assert fit_steps(pts)[-1].value >= cal.GATE
    gated = cal.gated_steps(pts)
    assert max(s.value for s in gated) < cal.GATE
    # The 300 best-scored fields, all right, are split off and keep their own bound.
    pts += _points([(0.95, 300, 0)])
    gated = cal.gated_steps(pts)
    values = [s.value for s in gated]
    assert values == sorted(values)
    assert gated[-1].value >= cal.GATE and gated[-1].lo == 0.95 and gated[-1].n == 300
    assert all(s.value < cal.GATE for s in gated[:-1])


def test_gate_without_enough_evidence_gives_no_top_step() -> None:
    gated = cal.gated_steps(_points([(0.2, 20, 40), (0.95, 15, 0)]))
    assert all(s.value < cal.GATE for s in gated)


def test_a_family_never_wrong_reaches_the_gate_below_another_familys_top_score() -> None:
    # Marks are right at every score; subjects only at their top scores. One shared step map
    # would cut at the subjects' score and leave every mark below the gate.
    points = {
        "mark": _points([(0.6, 200, 0)]),
        "subject": _points([(0.3, 60, 40), (0.7, 150, 12), (0.9, 200, 0)]),
    }
    steps = cal.family_gated_steps(points, z=1.0)
    assert apply_steps(steps["mark"], 0.6) >= cal.GATE
    assert apply_steps(steps["subject"], 0.9) >= cal.GATE
    # The subjects' middle step, 93 % right, stays below however the families are mixed.
    assert apply_steps(steps["subject"], 0.7) < cal.GATE
    for fam_steps in steps.values():
        values = [s.value for s in fam_steps]
        assert values == sorted(values)


def test_family_gate_keeps_the_top_set_99_percent_right() -> None:
    # Two families each 98 % right at their top: together they cannot promise 99 %.
    points = {
        "name": _points([(0.9, 490, 10)]),
        "org": _points([(0.9, 490, 10)]),
    }
    steps = cal.family_gated_steps(points, z=1.0)
    assert all(s.value < cal.GATE for fam_steps in steps.values() for s in fam_steps)
    # A third family all right lets in itself only.
    points["place"] = _points([(0.5, 400, 0)])
    steps = cal.family_gated_steps(points, z=1.0)
    assert apply_steps(steps["place"], 0.5) >= cal.GATE
    assert apply_steps(steps["name"], 0.9) < cal.GATE


def test_version_2_map_round_trips_and_uses_its_family_steps() -> None:
    shared = [Step(0.0, 1.0, 100, 80, 0.7)]
    family_steps = {"mark": [Step(0.0, 0.5, 20, 15, 0.5), Step(0.5, 1.0, 300, 300, 0.98)]}
    cmap = CalibrationMap({"bias": 2.0}, shared, {}, family_steps)
    doc = json.loads(json.dumps(cmap.to_json()))
    assert doc["version"] == 2
    assert parse_map(doc) == cmap
    # bias 2.0 scores 0.88 for every field: a mark takes its own step, a date the shared one.
    assert cmap.calibrate("secrecy", 0.5, {"bias": 1.0}) == 0.98
    assert cmap.calibrate("date", 0.5, {"bias": 1.0}) == 0.7
    doc["family_steps"]["mark"] = [[0.0, 0.5, 20, 15, 0.9], [0.5, 1.0, 300, 300, 0.2]]
    with pytest.raises(ValueError):
        parse_map(doc)


def test_features_see_places_spelt_right_and_unknown_words() -> None:
    assert features("place", 0.8, "Lâm Hà", {}).get("known_place=place") == 1.0
    assert "known_place=place" not in features("place", 0.8, "Hà", {})
    assert "known_place=org" not in features("issuer", 0.8, "ỦY BAN NHÂN DÂN XÃ ĐẠ NHÍM", {})
    subject = features("subject", 0.8, "phòng, chống dịch bệnh covtd-19", {})
    if load_syllables(DEFAULT_SYLLABLES) is not None:
        assert subject["unknown_words=subject"] == 0.0  # "covtd-19" has digits: a number
        assert features("subject", 0.8, "tham những jày", {})["unknown_words=subject"] == 1.0
        assert features("issuer", 0.8, "UBND HUYỆN", {})["unknown_words=org"] == 0.0
    feats = features("signer_name", 0.8, "Nguyễn Văn An", {"rule": "sig+surname_model"})
    assert feats["rule=name:sig"] == 1.0 and feats["repair=name:surname_model"] == 1.0


@pytest.mark.parametrize(
    ("key", "value", "feature"),
    [
        ("parent_issuer", "HUYỆN ỦY CÁT", "locality_unknown=org"),  # the place cut
        ("parent_issuer", "ĐẢNG BỘ HUYỆN BỨC TRONG", "locality_unknown=org"),  # misread
        ("issuer", "ỦY BAN NHÂN DÂN", "locality_missing=org"),  # level and place lost
        ("profile.noi_sinh", "xã Phước Lộc, huyện Đạ Huoai, tỉnh Lâm Đồ", "locality_unknown"),
        ("place", "Lộc", "locality_unknown=place"),  # Bảo Lộc cut
    ],
)
def test_features_see_a_locality_cut_misread_or_lost(key: str, value: str, feature: str) -> None:
    assert any(f.startswith(feature) for f in features(key, 0.8, value, {}))


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("parent_issuer", "HUYỆN ỦY CÁT TIÊN"),
        ("issuer", "TỈNH ỦY LÂM ĐỒNG"),  # a committee: the level, ỦY, then the place
        ("issuer", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"),  # XÃ HỘI is no level
        ("issuer", "BAN TỔ CHỨC"),
        ("profile.noi_sinh", "xã Phước Lộc, huyện Đạ Huoai, tỉnh Lâm Đồng"),
        ("place", "Bảo Lộc"),
    ],
)
def test_localities_read_whole_raise_no_doubt(key: str, value: str) -> None:
    assert not any(f.startswith("locality_") for f in features(key, 0.8, value, {}))


def test_unseen_rules_and_no_secrecy_mark_stay_below_the_gate() -> None:
    weights = {
        "rule=date:place_date_line": 0.5,
        "rule=mark:no_mark": 0.5,
        "rule=mark:mark_alone": 0.5,
    }
    seen = features("date", 0.9, "2020-01-02", {"rule": "place_date_line"})
    unseen = features("date", 0.9, "2020-01-02", {"rule": "date_reread"})
    assert not held_below_gate(seen, weights) and held_below_gate(unseen, weights)
    # "No mark" may be a missed one, on a clean page as on a poor one; a mark read, or no
    # urgency, may cross the gate.
    clear = features("secrecy", 0.9, "", {"rule": "no_mark"})
    poor = features("secrecy", 0.9, "", {"rule": "no_mark"}, poor_page=True)
    assert held_below_gate(clear, weights) and held_below_gate(poor, weights)
    marked = features("secrecy", 0.9, "MẬT", {"rule": "mark_alone"})
    calm = features("urgency", 0.9, "", {"rule": "no_mark"})
    assert not held_below_gate(marked, weights) and not held_below_gate(calm, weights)


def test_the_shipped_map_never_promises_that_no_secrecy_mark_is_right() -> None:
    cmap = load_map(MAP_FILE)
    assert cmap is not None
    for raw in (0.5, 0.9, 0.99, 1.0):
        feats = features("secrecy", raw, "", {"rule": "no_mark"})
        assert cmap.calibrate("secrecy", raw, feats) < 0.9


def test_calibration_leaves_its_input_alone_and_keeps_raw_in_provenance() -> None:
    cmap = load_map(MAP_FILE)
    assert cmap is not None
    prov: dict[str, dict[str, Any]] = {
        "symbol": {"page": 1, "box": None, "rule": "symbol_number"},
        "_flags": {"flags": []},
    }
    fields = ExtractedFields(
        "party_document",
        {"symbol": "14-KH/HU", "page_count": 2},
        {"symbol": 0.8, "page_count": 1.0},
        prov,
    )
    out = calibrate_fields(fields, (), cmap)
    assert fields.confidence == {"symbol": 0.8, "page_count": 1.0}
    assert "raw_confidence" not in fields.provenance["symbol"]
    assert out.provenance["symbol"]["raw_confidence"] == 0.8
    assert out.confidence["page_count"] == 1.0 and "page_count" not in out.provenance
    # The document's other fields count too: its number, date and issuer were not read.
    context = document_context(fields, "symbol")
    assert context["doc_header_missing"] == 3.0
    assert out.confidence["symbol"] == cmap.calibrate(
        "symbol", 0.8, features("symbol", 0.8, "14-KH/HU", prov["symbol"], context=context)
    )
