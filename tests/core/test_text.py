import unicodedata

from core.text import collapse_ws, fold, nfc, normalize_vi


def test_nfc_composes_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Quyết định")
    assert nfc(decomposed) == "Quyết định"
    assert len(nfc(decomposed)) == len("Quyết định")


def test_tone_placement_variants_compare_equal():
    assert normalize_vi("hòa") == normalize_vi("hoà")
    assert normalize_vi("thủy") == normalize_vi("thuỷ")
    assert normalize_vi("Khỏe") == normalize_vi("Khoẻ")
    assert normalize_vi("HÒA BÌNH") == normalize_vi("HOÀ BÌNH")


def test_tone_placement_leaves_unambiguous_syllables_alone():
    for word in ["người", "quyết", "giữa", "mùa", "hoàn", "thuyền", "khuỷu", "ngoài", "Đảng"]:
        assert normalize_vi(word) == word


def test_fold_maps_d_with_stroke_and_strips_marks():
    assert fold("Đảng ủy Quyết định QĐ") == "Dang uy Quyet dinh QD"
    assert fold("đ") == "d"  # never deleted, never kept


def test_collapse_ws():
    assert collapse_ws("  a \n\t b  ") == "a b"
