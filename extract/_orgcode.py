"""An issuer's code in a document's symbol: the initials of the organ's name.

``Số 81-HD/BTCTU`` is BAN TỔ CHỨC of TỈNH ỦY; ``1847/TTr-UBND`` ỦY BAN NHÂN DÂN; ``16/STNMT-MT``
SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG (``VÀ`` has no letter in a code); a capital and its small
letters stand for one word (``TTr``: THANH TRA). Party codes add the superior committee's
initials after the organ's (Quy định 66-QĐ/TW on Party document format); State codes do not.
"""

from __future__ import annotations

import re
from typing import Any

from core.text import fold
from extract._places import is_province
from extract._vocab import DEPARTMENTS, PARTY_ORGANS

_SKIPPED = {"VA"}
_TOKEN = re.compile(r"[A-ZĐ][a-zđ]*")


def _tokens(code: str) -> list[str]:
    return [fold(t).upper() for t in _TOKEN.findall(code)]


def _words(org: str) -> list[str]:
    return [w for w in fold(org).upper().split() if w not in _SKIPPED and w[0].isalpha()]


def _spells(tokens: list[str], org: str, *, whole: bool = False) -> bool:
    """Whether ``tokens`` are the initials of ``org``'s first words (of all of them: ``whole``)."""
    words = _words(org)
    if not tokens or len(tokens) > len(words) or (whole and len(tokens) != len(words)):
        return False
    return all(w.startswith(t) for t, w in zip(tokens, words, strict=False))


def code_spells(code: str, org: str) -> bool:
    """Whether an issuer code spells the first words of ``org`` by their initials."""
    return _spells(_tokens(code), org)


def issuer_code(parts: dict[str, Any]) -> str:
    """Return the issuer code of a parsed symbol (``extract._validate.parse_symbol``)."""
    code = str(parts.get("issuer") or "")
    return code.split("-")[0] if parts.get("style") == "state" else code


def organ_under(code: str, superior: str, style: str) -> str | None:
    """Return the organ a code names when the header's read line is only its ``superior``.

    On a streaked or stamped header the organ's own line (``BAN TỔ CHỨC``) can be lost while
    the superior above it (``TỈNH ỦY LÂM ĐỒNG``) is read and taken for the issuer. A Party
    code is the organ's initials then the superior's (``BTCTU``); a State code the organ's
    alone (``SYT`` under ``UBND TỈNH LÂM ĐỒNG``). Only one organ of the closed lists may fit.
    """
    tokens = _tokens(code)
    if not tokens or code_spells(code, superior):
        return None
    if style == "party":
        head = next(
            (
                tokens[:k]
                for k in range(1, len(tokens))
                # Tokens, not the letters joined again: ``ThU`` is two words (THÀNH ỦY).
                if _spells(tokens[k:], superior)
            ),
            None,
        )
        organs: tuple[str, ...] = PARTY_ORGANS
    else:
        head, organs = tokens, DEPARTMENTS
    if not head:
        return None
    fits = [organ for organ in organs if _spells(head, organ, whole=True)]
    return fits[0] if len(fits) == 1 else None


# A Party committee's code is its level alone (Quy định 66-QĐ/TW): the locality is not in it.
_COMMITTEES = {"HU": "HUYỆN ỦY", "ThU": "THÀNH ỦY", "TU": "TỈNH ỦY"}


def committee_of(code: str, place: str) -> str | None:
    """Return the committee a bare committee code names at ``place`` (``HU``, Đức Trọng).

    A committee's documents are dated at the locality it is named after, so ``1311-CT/HU``
    dated ``Đức Trọng`` is HUYỆN ỦY ĐỨC TRỌNG. Any other code (an organ's, ``ĐU`` of a
    commune or a bloc) names no single committee and gives None; so does a place of the
    wrong level (a Huyện ủy dated at a province's name, a Tỉnh ủy at a district's).
    """
    level = _COMMITTEES.get(code)
    if not level or not place.strip() or not level_fits(code == "TU", code == "HU", place):
        return None
    return f"{level} {place.upper()}"


def level_fits(province_level: bool, district_level: bool, place: str) -> bool:
    """Whether ``place`` can be a unit of that level: a province's name for a province only."""
    province = is_province(place)
    return not (province_level and not province) and not (district_level and province)
