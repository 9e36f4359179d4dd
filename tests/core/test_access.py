"""Scope: clearance as before, narrowed by collections and departments, compared normalised."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pytest

from core.access import Scope, scope_key
from core.levels import LEVELS, may_see


@dataclass
class B:
    collection: str | None
    department: str | None = None
    classification: str = "thuong"


def test_an_unscoped_scope_is_exactly_the_clearance_rule():
    for clearance in LEVELS:
        scope = Scope.of(clearance, [], [])
        assert not scope.restricted and scope.collections is None
        for level in (*LEVELS, "bi_mat_la"):  # an unknown level stays hidden (fail closed)
            for place in ("Phông A", "", None):
                assert scope.allows(level, place) == may_see(clearance, level)


def test_collections_narrow_and_are_compared_nfc_trimmed_single_spaced():
    decomposed = unicodedata.normalize("NFD", "Phông Ủy ban")
    scope = Scope.of("tuyet_mat", [f"  {decomposed} ", "Phông  A"])
    assert scope.restricted and scope.collections == {"Phông Ủy ban", "Phông A"}
    assert scope.allows("tuyet_mat", "Phông Ủy ban")
    assert scope.allows("thuong", " Phông A")
    assert not scope.allows("thuong", "Phông B")
    assert not scope.allows("thuong", "phông a")  # case matters, as on the account page
    # A batch without a collection is for unscoped users only.
    assert not scope.allows("thuong", None) and not scope.allows("thuong", "  ")
    # Clearance still applies inside the collections.
    assert not Scope.of("thuong", ["Phông A"]).allows("mat", "Phông A")
    assert scope_key(None) == "" and scope_key(" a \u00a0 b ") == "a b"


def test_departments_narrow_on_top_of_collections():
    both = Scope.of("mat", ["Phông A"], ["Văn phòng"])
    assert both.allows_batch(B("Phông A", "Văn phòng"))
    assert not both.allows_batch(B("Phông A", "Ban Tổ chức"))
    assert not both.allows_batch(B("Phông A", None))
    assert not both.allows_batch(B("Phông B", "Văn phòng"))
    only_dept = Scope.of("mat", [], ["Văn phòng"])
    assert only_dept.collections is None and only_dept.allows_batch(B(None, "Văn phòng"))


def test_administrators_are_not_limited_to_collections():
    admin = Scope.of("mat", ["Phông A"], ["Văn phòng"], unrestricted=True)
    assert not admin.restricted and admin.allows("mat", "Phông B")
    assert not admin.allows("tuyet_mat", "Phông B")  # their clearance still counts


@pytest.mark.parametrize(
    ("mine", "asked", "want"),
    [
        (None, (), ()),
        (None, ("Phông B",), ("Phông B",)),
        (["Phông A", "Phông C"], (), ("Phông A", "Phông C")),
        (["Phông A"], ("Phông A", "Phông B"), ("Phông A",)),
        (["Phông A"], (" Phông A ",), (" Phông A ",)),
        (["Phông A"], ("Phông B",), None),  # empty intersection: nothing, not everything
    ],
)
def test_search_collections_intersects_the_request_with_the_scope(mine, asked, want):
    assert Scope.of("thuong", mine).search_collections(asked) == want


def test_blank_names_do_not_make_a_scope():
    assert Scope.of("thuong", ["", "  "]).collections is None
