"""The one search contract: tantivy and Whoosh must both pass every test here."""

from __future__ import annotations

import unicodedata

import pytest

from core.errors import ConfigError, InputError, TransientError
from core.search_types import SearchQuery
from core.text import normalize_vi
from search import SearchBackend, open_backend, writer_lock
from tests.search.conftest import doc


def ids(backend: SearchBackend, text: str, **kw: object) -> list[int]:
    return [h.id for h in backend.search(SearchQuery(text, **kw)).hits]  # type: ignore[arg-type]


def test_folded_and_diacritic_queries_find_the_same_document(backend):
    backend.index(
        [
            doc(1, "Kế hoạch phát triển đảng viên mới trong năm 2015"),
            doc(2, "Báo cáo tình hình kinh tế xã hội"),
        ]
    )
    assert ids(backend, "đảng viên") == [1]
    assert ids(backend, "dang vien") == [1]
    assert ids(backend, "ĐẢNG VIÊN") == [1]
    assert ids(backend, "Dang Vien Moi") == [1]


def test_exact_diacritics_rank_above_folded_matches(backend):
    backend.index(
        [doc(1, "họp bàn công việc"), doc(2, "họp bán công việc"), doc(3, "họp bản công việc")]
    )
    assert ids(backend, "bán")[0] == 2
    assert ids(backend, "bàn")[0] == 1
    assert sorted(ids(backend, "ban")) == [1, 2, 3]


def test_tone_placement_variants_match_each_other(backend):
    backend.index(
        [
            doc(1, "Hội nghị hòa giải ở cơ sở"),
            doc(2, "công trình thuỷ lợi"),
            doc(3, "hóa chất độc hại"),
        ]
    )
    assert ids(backend, "hoà giải")[0] == 1
    assert ids(backend, "hoà")[0] == 1  # exact form: hòa/hoà are one term, hóa is not
    assert ids(backend, "thủy lợi") == [2]
    assert ids(backend, "thuỷ") == [2]


def test_i_and_y_spellings_of_a_syllable_match_each_other(backend):
    backend.index(
        [
            doc(1, "Phòng Kỹ thuật nghiệp vụ"),
            doc(2, "bồi dưỡng lí luận chính trị"),
            doc(3, "Vy và Vi đi học"),
            doc(4, "công ty cổ phần"),
        ]
    )
    assert ids(backend, "kĩ thuật") == [1]
    assert ids(backend, "ki thuat") == [1]
    assert ids(backend, "lý luận") == [2]
    assert ids(backend, "công ti") == [4]
    assert ids(backend, '"cong ti co phan"') == [4]
    assert ids(backend, "vy") == [3]  # a name: v is not an onset of the i/y variants
    hit = backend.search(SearchQuery("kĩ thuật")).hits[0]
    assert "<mark>Kỹ</mark>" in hit.snippets[0]


def test_single_letter_and_short_syllables_are_indexed(backend):
    backend.index(
        [
            doc(1, "Ý kiến của nhân dân ở địa phương"),
            doc(2, "Công an tỉnh bảo đảm an ninh"),
            doc(3, "bài in trên giấy"),
        ]
    )
    assert ids(backend, "ý") == [1]
    assert ids(backend, "ở") == [1]
    assert ids(backend, "an ninh") == [2]
    assert ids(backend, "in") == [3]


def test_nfd_text_and_nfd_queries_are_normalised(backend):
    nfd = unicodedata.normalize("NFD", "Quyết định khen thưởng Đảng bộ")
    backend.index([doc(1, nfd), doc(2, "Thông báo kết luận")])
    assert ids(backend, "Quyết định") == [1]
    assert ids(backend, unicodedata.normalize("NFD", "quyết định khen thưởng")) == [1]
    hit = backend.search(SearchQuery("quyet dinh")).hits[0]
    assert "<mark>Quyết</mark>" in hit.snippets[0]


def test_symbol_finds_exactly_that_document(backend):
    backend.index(
        [
            doc(1, "KẾ HOẠCH về công tác tổ chức", symbol="14-KH/BTCTU", doc_type="KẾ HOẠCH"),
            doc(2, "KẾ HOẠCH khác", symbol="15-KH/BTCTU"),
            doc(3, "Căn cứ Kế hoạch số 14-KH/BTCTU của Ban Thường vụ"),
            doc(4, "QUYẾT ĐỊNH", symbol="123/2015/QĐ-UBND", kind="state_document"),
        ]
    )
    assert ids(backend, "14-KH/BTCTU")[0] == 1
    assert 2 not in ids(backend, "14-KH/BTCTU")
    assert ids(backend, "14-kh/btctu")[0] == 1
    assert ids(backend, "15-KH/BTCTU") == [2]
    assert ids(backend, "123/2015/qd-ubnd") == [4]
    assert ids(backend, "123/2015/QĐ-UBND") == [4]


def test_phrase_query_needs_the_words_in_order(backend):
    backend.index(
        [doc(1, "Ban thường vụ Tỉnh ủy quyết định"), doc(2, "vụ việc thường xuyên của ban tổ chức")]
    )
    assert sorted(ids(backend, "ban thường vụ")) == [1, 2]
    assert ids(backend, '"ban thường vụ"') == [1]
    assert ids(backend, '"ban thuong vu"') == [1]
    hit = backend.search(SearchQuery('"ban thuong vu" quyết')).hits[0]
    assert hit.snippets[0] == "<mark>Ban thường vụ</mark> Tỉnh ủy <mark>quyết</mark> định"


def _corpus(backend):
    backend.index(
        [
            doc(
                1,
                "đảng viên A",
                doc_type="Nghị quyết",
                year=2012,
                issuer="Tỉnh ủy Lâm Đồng",
                collection="C1",
            ),
            doc(
                2,
                "đảng viên B",
                doc_type="NGHỊ QUYẾT",
                year=2015,
                issuer="TỈNH ỦY LÂM ĐỒNG",
                batch="B2",
                collection="C1",
            ),
            doc(
                3,
                "đảng viên C",
                doc_type="QUYẾT ĐỊNH",
                year=2018,
                kind="state_document",
                issuer="UBND tỉnh",
                collection="C2",
            ),
            doc(4, "đảng viên mật", doc_type="NGHỊ QUYẾT", year=2015, classification="mat"),
            doc(5, "đảng viên tối mật", year=2016, classification="toi_mat"),
        ]
    )


def test_filters(backend):
    _corpus(backend)
    assert sorted(ids(backend, "đảng viên", doc_types=("nghị quyết",))) == [1, 2]
    assert sorted(ids(backend, "đảng viên", year_from=2013, year_to=2018)) == [2, 3]
    assert ids(backend, "đảng viên", kinds=("state_document",)) == [3]
    assert sorted(ids(backend, "", issuers=("Tỉnh uỷ Lâm Đồng",))) == [1, 2]
    assert ids(backend, "đảng viên", batches=("B2",)) == [2]
    assert ids(backend, "dang vien", collections=("C2",)) == [3]
    assert ids(backend, "", classifications=("mat",), clearance="toi_mat") == [4]
    assert sorted(ids(backend, "", year_to=2012)) == [1]


def test_facets_count_the_result_set(backend):
    _corpus(backend)
    res = backend.search(SearchQuery("đảng viên", year_from=2013))
    assert res.total == 2
    f = {k: {v.value: v.count for v in vals} for k, vals in res.facets.items()}
    assert f["doc_type"] == {"NGHỊ QUYẾT": 1, "QUYẾT ĐỊNH": 1}
    assert f["year"] == {"2015": 1, "2018": 1}
    assert f["kind"] == {"party_document": 1, "state_document": 1}
    assert f["collection"] == {"C1": 1, "C2": 1}
    assert f["classification"] == {"thuong": 2}


def test_clearance_filters_hits_counts_facets_and_snippets(backend):
    _corpus(backend)
    backend.index([doc(6, "bí mật quốc phòng", classification="toi_mat")])
    for clearance, visible in (
        ("thuong", {1, 2, 3}),
        ("mat", {1, 2, 3, 4}),
        ("toi_mat", {1, 2, 3, 4, 5}),
    ):
        res = backend.search(SearchQuery("đảng viên", clearance=clearance, limit=50))
        assert {h.id for h in res.hits} == visible
        assert res.total == len(visible)
        assert sum(v.count for v in res.facets["classification"]) == len(visible)
        assert backend.count(SearchQuery("dang vien", clearance=clearance)) == len(visible)
    hidden = backend.search(SearchQuery("quốc phòng", clearance="mat"))
    assert hidden.total == 0 and not hidden.hits
    assert all(not vals for vals in hidden.facets.values())
    assert ids(backend, "quốc phòng", clearance="toi_mat") == [6]
    with pytest.raises(InputError):
        SearchQuery("x", clearance="admin")


def test_results_have_fields_pages_and_escaped_snippets(backend):
    backend.index(
        [
            doc(
                7,
                "Trang đầu <b>không</b> liên quan",
                "Đảng bộ & <script>alert(1)</script> lãnh đạo",
                "trang ba",
                "Nghị quyết của ĐẢNG BỘ tỉnh",
                title="Nghị quyết 15-NQ/TU",
                symbol="15-NQ/TU",
                date="2015-05-20",
                issuer="Tỉnh ủy Lâm Đồng",
                doc_type="NGHỊ QUYẾT",
            )
        ]
    )
    hit = backend.search(SearchQuery("dang bo")).hits[0]
    assert (hit.id, hit.title, hit.symbol, hit.date) == (
        7,
        "Nghị quyết 15-NQ/TU",
        "15-NQ/TU",
        "2015-05-20",
    )
    assert hit.issuer == "Tỉnh ủy Lâm Đồng"
    assert hit.pages == (2, 4)
    joined = " ".join(hit.snippets)
    assert "&lt;script&gt;" in joined and "<script>" not in joined
    assert "&amp;" in joined
    assert "<mark>Đảng</mark> <mark>bộ</mark>" in joined
    assert "<mark>ĐẢNG</mark> <mark>BỘ</mark>" in joined


def test_update_replaces_text_and_fields(backend):
    backend.index([doc(1, "văn bản cũ bị nhận dạng sai", issuer="Huyện ủy")])
    assert ids(backend, "nhận dạng") == [1]
    backend.index([doc(1, "văn bản đã sửa lại", issuer="Tỉnh ủy")])  # re-OCR'd / corrected
    assert ids(backend, "nhận dạng") == []
    assert ids(backend, "đã sửa") == [1]
    res = backend.search(SearchQuery("văn bản"))
    assert [v.value for v in res.facets["issuer"]] == [normalize_vi("TỈNH ỦY")]
    assert backend.count() == 1


def test_delete_removes_document_and_pages(backend):
    backend.index([doc(1, "trang một", "trang hai"), doc(2, "trang khác")])
    assert backend.delete([1]) == 1
    assert ids(backend, "trang") == [2]
    assert backend.count() == 1
    assert backend.fingerprints().keys() == {2}


def test_reconcile_repairs_drift(backend):
    d1, d2, d3 = doc(1, "một"), doc(2, "hai"), doc(3, "ba")
    backend.index([d1, d2, doc(9, "thừa")])
    d2_new = doc(2, "hai đã sửa")
    truth = {1: d1, 2: d2_new, 3: d3}
    report = backend.reconcile(
        {i: d.fingerprint for i, d in truth.items()}, lambda wanted: [truth[i] for i in wanted]
    )
    assert (report.added, report.updated, report.removed) == ((3,), (2,), (9,))
    assert ids(backend, "đã sửa") == [2]
    assert backend.fingerprints() == {i: d.fingerprint for i, d in truth.items()}
    again = backend.reconcile({i: d.fingerprint for i, d in truth.items()}, lambda w: [])
    assert again.clean


def test_writer_lock_is_bounded_and_retryable(backend):
    with writer_lock(backend.index_dir), pytest.raises(TransientError) as exc:  # type: ignore
        backend.index([doc(1, "bị khóa")])
    assert exc.value.retryable and exc.value.code == "index_locked"
    backend.index([doc(1, "hết khóa")])
    assert ids(backend, "hết khóa") == [1]


def test_empty_query_browses_paging_and_clear(backend):
    backend.index([doc(i, f"văn bản số {i}", year=2010 + i) for i in range(1, 8)])
    res = backend.search(SearchQuery("", limit=3))
    assert res.total == 7 and len(res.hits) == 3
    page2 = backend.search(SearchQuery("", limit=3, offset=3))
    assert not {h.id for h in res.hits} & {h.id for h in page2.hits}
    assert backend.search(SearchQuery("văn bản", limit=0)).total == 7
    backend.clear()
    assert backend.count() == 0 and ids(backend, "văn bản") == []


def test_long_queries_tolerate_one_misread_word(backend):
    backend.index(
        [
            doc(1, "Kế hoạch trao tặng Huy hiệu Đảng đợt 3 năm 2016 cho đảng viên"),
            doc(2, "Kế hoạch tổ chức hội nghị"),
        ]
    )
    # "Huy hiêu" (OCR-style misreading) and one missing word: still the right document.
    assert ids(backend, "trao tặng Huy hiêu Đảng")[0] == 1
    assert ids(backend, "Kế hoạch tổ chức") == [2]


def test_index_built_by_other_code_is_refused_until_rebuilt(backend):
    backend.index([doc(1, "văn bản")])
    backend.close()
    marker = backend.index_dir / "sohoa-index.json"  # type: ignore[attr-defined]
    marker.write_text('{"schema": 0}', encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        open_backend(backend.name, backend.index_dir)  # type: ignore[attr-defined]
    assert exc.value.code == "index_outdated"
    fresh = open_backend(backend.name, backend.index_dir, recreate=True)  # type: ignore
    assert fresh.count() == 0
    fresh.index([doc(2, "văn bản mới")])
    assert ids(fresh, "mới") == [2]
    fresh.close()
    assert open_backend(backend.name, backend.index_dir).count() == 1  # type: ignore
