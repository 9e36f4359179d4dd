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


def test_fold_shortcuts_give_the_full_rule_s_result():
    # ASCII is returned as is and the rest is cached: both must agree with the rule itself.
    def rule(text: str) -> str:
        text = nfc(text).replace("đ", "d").replace("Đ", "D").replace("Ð", "D")
        stripped = "".join(
            ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn"
        )
        return unicodedata.normalize("NFC", stripped)

    texts = ["14-KH/BTCTU", "", " \t\n", "Ð", "e\u0302\u0301", "QUYẾT ĐỊNH", "ﬁ", "Ａ", "한국"]
    texts.append(unicodedata.normalize("NFD", "Đảng ủy xã Đạ Huoai"))
    for text in texts * 2:  # the second round is answered from the cache
        assert fold(text) == rule(text), text


def test_normalize_vi_shortcuts_give_the_full_rule_s_result():
    # ASCII is returned as is and short strings are cached: both must agree with the rule.
    from core.text import normalize_tone_placement

    texts = ["14-KH/BTCTU", "", "hoà", "HOÀ", "thuỷ", "khoẻ", "Quyết định số 12", "ﬁ", "Ａ"]
    texts += [unicodedata.normalize("NFD", "Hoà Bình, Thuỷ lợi"), "hoà " * 20]
    for text in texts * 2:  # the second round is answered from the cache
        assert normalize_vi(text) == normalize_tone_placement(nfc(text)), text


def test_collapse_ws():
    assert collapse_ws("  a \n\t b  ") == "a b"
