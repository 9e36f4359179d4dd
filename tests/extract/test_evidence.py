"""Evidence for calibration beyond a field's own reading: echoes in the text, the name model."""

from __future__ import annotations

from dataclasses import replace

from core.models import ExtractedFields, PageText
from extract._calibrate import CalibrationMap, Step, calibrate_fields, features
from extract._evidence import (
    cross_checks,
    document_context,
    document_key,
    echoes,
    name_evidence,
    value_text,
)
from extract._names import name_support


def test_echoes_count_every_printing_whatever_the_case_or_tone_placement() -> None:
    key = document_key(
        "ỦY BAN NHÂN DÂN\nHUYỆN LÂM HÀ\nỦy ban nhân dân huyện Lâm Hà quyết định: Uỷ ban nhân dân"
        " huyện Lâm Hà, ..."
    )
    assert echoes("ỦY BAN NHÂN DÂN HUYỆN LÂM HÀ", key) == 3
    assert echoes("ỦY BAN NHÂN DÂN HUYỆN LÂM HẢ", key) == 0  # a misread mark is printed nowhere
    assert echoes("Lâm", key) == 0  # one word proves nothing
    assert echoes(value_text(["Ủy ban nhân dân", "huyện"]), key) == 3


def test_value_text_joins_lists_and_reads_none_as_empty() -> None:
    assert value_text(None) == ""
    assert value_text(["Như trên,", "", "Lưu VT."]) == "Như trên, Lưu VT."
    assert value_text("Đà Lạt") == "Đà Lạt"


def test_name_model_tells_known_names_from_misreadings() -> None:
    assert name_support("Nguyễn Văn An") == (True, 0, 0)
    surname, unknown, _ = name_support("Hà Bức Đông")  # Bức is a syllable, no name
    assert surname and unknown == 1
    assert name_support("Yhúy Lan")[0] is False
    # Chí has a rival as common as itself (Chi): a misread mark still looks like a name.
    assert name_support("Lê Văn Chí")[2] == 1
    assert name_evidence("") == {}
    assert name_evidence("Nguyễn Văn An")["name_unknown_words"] == 0.0


def test_features_carry_echoes_and_name_evidence() -> None:
    prov = {"rule": "header", "page": 1}
    org = features("issuer", 0.9, "SỞ Y TẾ", prov, echo=2)
    assert org["echoes=org"] == 2.0 and org["unechoed=org"] == 0.0
    assert "echoes=org" not in features("issuer", 0.9, "SỞ Y TẾ", prov)  # text not at hand
    assert "echoes=org" not in features("issuer", 0.9, "SỞ", prov, echo=0)  # one word
    name = features("signer_name", 0.9, "Hà Bức Đông", prov, echo=1)
    assert name["name_unknown_words"] == 1.0 and name["echoes=name"] == 1.0


def test_calibration_reads_the_document_text_for_echoes() -> None:
    fields = ExtractedFields(
        kind="party_document",
        fields={"issuer": "BAN TUYÊN GIÁO TỈNH ỦY"},
        confidence={"issuer": 0.8},
        provenance={"issuer": {"rule": "header", "page": 1}},
    )
    weights = {"bias": -1.5, "echoes=org": 3.0, "rule=org:header": 0.0}
    steps = [Step(0.0, 0.5, 10, 5, 0.4), Step(0.5, 0.95, 10, 9, 0.8), Step(0.95, 1.0, 10, 10, 0.95)]
    cmap = CalibrationMap(weights, steps, {})

    def conf(text: str) -> float:
        return calibrate_fields(fields, [PageText(1, text)], cmap).confidence["issuer"]

    assert conf("KẾ HOẠCH") == 0.4  # printed nowhere: the value is a misreading or a re-read
    assert conf("BAN TUYÊN GIÁO TỈNH ỦY\nKẾ HOẠCH") == 0.8
    assert conf("BAN TUYÊN GIÁO TỈNH ỦY\nBan Tuyên giáo Tỉnh ủy xây dựng kế hoạch") == 0.95


def test_no_mark_found_is_never_promised() -> None:
    """A missed secrecy mark exposes a secret: "no mark" stays under 0.9, on a noisy header
    as on a clean one (4 of dev2-cal2's 5 missed marks were on clean first pages)."""
    fields = ExtractedFields(
        kind="party_document",
        fields={"secrecy": ""},
        confidence={"secrecy": 0.8},
        provenance={"secrecy": {"rule": "no_mark", "page": None}},
    )
    weights = {"bias": 5.0, "rule=mark:no_mark": 0.0}
    cmap = CalibrationMap(weights, [Step(0.0, 0.5, 10, 5, 0.4), Step(0.5, 1.0, 500, 500, 0.99)], {})
    clean = [PageText(1, "TỈNH ỦY LÂM ĐỒNG"), PageText(2, "…", flags=("low_quality",))]
    poor = [PageText(1, "TỈNH ỦY LÂM ĐỒNG", flags=("low_quality",)), PageText(2, "…")]
    assert calibrate_fields(fields, clean, cmap).confidence["secrecy"] < 0.9
    assert calibrate_fields(fields, poor, cmap).confidence["secrecy"] < 0.9
    found = replace(fields, fields={"secrecy": "MẬT"})  # a mark read on it is another matter
    assert calibrate_fields(found, poor, cmap).confidence["secrecy"] == 0.99


def test_a_field_is_judged_by_how_well_the_rest_of_its_document_was_read() -> None:
    """A header lost to a dirty drum takes the number, date and issuer together."""
    clean = ExtractedFields(
        kind="party_document",
        fields={"number": "12", "symbol": "CT/TU", "date": "2019-03-12", "issuer": "TỈNH ỦY"},
        confidence={"number": 0.9, "symbol": 0.8, "date": 0.9, "issuer": 0.4, "subject": 0.9},
    )
    assert document_context(clean, "issuer") == {"doc_weak_share": 0.0, "doc_header_missing": 0.0}
    # The field's own reading is left to its own features: the issuer's 0.4 counts for the others.
    assert document_context(clean, "subject")["doc_weak_share"] == 0.25
    lost = replace(clean, fields={"number": "", "symbol": None, "date": "", "issuer": "TỈNH ỦY"})
    assert document_context(lost, "issuer")["doc_header_missing"] == 3.0
    assert document_context(lost, "date")["doc_header_missing"] == 2.0
    profile = replace(clean, kind="profile", fields={"profile.ho_ten": "Ka Sô"})
    assert "doc_header_missing" not in document_context(profile, "profile.ho_ten")
    alone = replace(clean, confidence={"issuer": 0.4})
    assert document_context(alone, "issuer") == {}
    feats = features("issuer", 0.9, "TỈNH ỦY", {"rule": "header"}, context={"doc_weak_share": 0.5})
    assert feats["doc_weak_share"] == 0.5


def test_calibration_reads_the_other_fields_of_the_document() -> None:
    fields = ExtractedFields(
        kind="party_document",
        fields={"number": "", "symbol": "", "date": "", "issuer": "TỈNH ỦY"},
        confidence={"number": 0.2, "symbol": 0.2, "date": 0.2, "issuer": 0.8},
        provenance={"issuer": {"rule": "header", "page": 1}},
    )
    weights = {"bias": 3.0, "doc_header_missing": -2.0, "rule=org:header": 0.0}
    steps = [Step(0.0, 0.5, 10, 5, 0.4), Step(0.5, 1.0, 500, 500, 0.99)]
    cmap = CalibrationMap(weights, steps, {})
    pages = [PageText(1, "TỈNH ỦY")]
    assert calibrate_fields(fields, pages, cmap).confidence["issuer"] == 0.4
    read = replace(fields, fields={"number": "12", "symbol": "CT/TU", "date": "2019-03-12"})
    assert calibrate_fields(read, pages, cmap).confidence["issuer"] == 0.99


def test_fields_printed_twice_vouch_for_each_other() -> None:
    party = {
        "doc_type": "TỜ TRÌNH",
        "symbol": "05-TTr/BDVTU",
        "issuer": "BAN DÂN VẬN",
        "parent_issuer": "TỈNH ỦY LÂM ĐỒNG",
        "place": "Lâm Đồng",
        "date": "2019-06-05",
        "signing_authority": "K/T TRƯỞNG BAN",
        "signer_title": "PHÓ TRƯỞNG BAN THƯỜNG TRỰC",
    }
    assert cross_checks(party, "doc_type") == {"type_agrees": 1.0}
    assert cross_checks(party, "symbol") == {"type_agrees": 1.0, "code_spells_issuer": 1.0}
    assert cross_checks(party, "issuer") == {"code_spells_issuer": 1.0, "place_in_issuer": 1.0}
    assert cross_checks(party, "place") == {"place_in_issuer": 1.0}
    assert cross_checks(party, "date") == {}  # a Party symbol has no year: nothing to compare
    assert cross_checks(party, "signer_title") == {"deputy_title_agrees": 1.0}
    # The superior read as the issuer: the code spells BAN DÂN VẬN, not TỈNH ỦY.
    superior = party | {"issuer": "TỈNH ỦY LÂM ĐỒNG", "parent_issuer": ""}
    assert "code_spells_issuer" not in cross_checks(superior, "issuer")
    assert cross_checks(party | {"doc_type": "KẾ HOẠCH"}, "doc_type") == {"type_conflicts": 1.0}
    assert cross_checks(party | {"signer_title": "BÍ THƯ"}, "signer_title") == {
        "deputy_title_agrees": 0.0
    }
    # Another place, or one cut to its last word, is not the issuer's locality.
    assert "place_in_issuer" not in cross_checks(party | {"place": "Đồng Nai"}, "place")
    assert "place_in_issuer" not in cross_checks(party | {"place": "Đồng"}, "place")


def test_state_symbols_carry_a_year_and_a_code_of_small_letters() -> None:
    state = {
        "doc_type": "KẾ HOẠCH",
        "symbol": "5/2012/KH-TTr",
        "issuer": "THANH TRA TỈNH",
        "date": "2012-01-22",
    }
    assert cross_checks(state, "date") == {"year_agrees": 1.0}
    assert cross_checks(state, "issuer") == {"code_spells_issuer": 1.0}
    assert cross_checks(state | {"date": "2021-01-22"}, "date") == {"year_conflicts": 1.0}
    letter = {
        "doc_type": "CÔNG VĂN",
        "symbol": "16/STNMT-MT",
        "issuer": "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
    }
    assert cross_checks(letter, "issuer") == {"code_spells_issuer": 1.0}
    assert cross_checks(letter, "doc_type") == {"type_agrees": 1.0}
    labour = letter | {"symbol": "7/SLĐTBXH-VP", "issuer": "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"}
    assert cross_checks(labour, "issuer") == {"code_spells_issuer": 1.0}
