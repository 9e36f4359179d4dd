"""What one caller may see: a clearance level and, optionally, collections and departments.

A :class:`Scope` is built once per request (``api.auth``) or command (``sohoa search --user``)
and passed wherever a bare clearance string used to be. Clearance keeps the rule of
:func:`core.levels.may_see`; collections and departments narrow it further:

- ``None`` (an empty list on the account, or an administrator) means every one;
- otherwise a batch is visible only when its collection (and department, when the user has
  departments) is in the list; a batch without one is then invisible (fail closed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from core.levels import LEVELS, may_see
from core.text import nfc


class Placed(Protocol):
    """Anything that lies in a collection and a department at a level (a ``Batch`` row)."""

    collection: str | None
    department: str | None
    classification: str


def scope_key(name: str | None) -> str:
    """Return the form names are compared in: NFC, trimmed, inner spaces single.

    The same as ``accounts.users.clean_names`` stores them, plus the single inner spaces the
    search index keeps (``search._analysis.keyword``), so the database and the index agree.
    """
    return " ".join(nfc(name or "").split())


def _keys(values: Iterable[str] | None) -> frozenset[str] | None:
    keys = frozenset(k for k in map(scope_key, values or ()) if k)
    return keys or None


@dataclass(frozen=True, slots=True)
class Scope:
    """The caller's clearance and the collections/departments they are limited to (or None)."""

    clearance: str
    collections: frozenset[str] | None = None
    departments: frozenset[str] | None = None

    @classmethod
    def of(
        cls,
        clearance: str,
        collections: Iterable[str] | None = (),
        departments: Iterable[str] | None = (),
        *,
        unrestricted: bool = False,
    ) -> Scope:
        """Build a scope from an account's lists; ``unrestricted`` (administrators) drops them."""
        if unrestricted:
            return cls(clearance)
        return cls(clearance, _keys(collections), _keys(departments))

    @property
    def restricted(self) -> bool:
        """Return whether collections or departments narrow what the clearance allows."""
        return self.collections is not None or self.departments is not None

    def allows_place(self, collection: str | None, department: str | None = None) -> bool:
        """Return whether a collection/department pair lies inside the scope."""
        if self.collections is not None and scope_key(collection) not in self.collections:
            return False
        return self.departments is None or scope_key(department) in self.departments

    @property
    def sees_every_batch(self) -> bool:
        """Return whether no batch can be hidden: no lists and the highest clearance."""
        return not self.restricted and self.clearance == LEVELS[-1]

    def allows_batch(self, batch: Placed) -> bool:
        """Return whether a batch lies inside the scope and at or below the clearance.

        A batch declared above the caller's clearance is invisible like one outside their
        collections: not listed, counted or named, and nobody uploads into it.
        """
        return may_see(self.clearance, batch.classification) and self.allows_place(
            batch.collection, batch.department
        )

    def allows(
        self, classification: str, collection: str | None, department: str | None = None
    ) -> bool:
        """Return whether a document of this level in this collection/department is visible."""
        return may_see(self.clearance, classification) and self.allows_place(collection, department)

    def search_collections(self, requested: Sequence[str]) -> tuple[str, ...] | None:
        """Return the collection filter of a search: the request narrowed to the scope.

        None means the intersection is empty: the search must answer nothing (an empty filter
        would mean "every collection").
        """
        if self.collections is None:
            return tuple(requested)
        if not requested:
            return tuple(sorted(self.collections))
        both = tuple(r for r in requested if scope_key(r) in self.collections)
        return both or None
