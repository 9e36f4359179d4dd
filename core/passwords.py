"""Password rules: length, the user name, common passwords, repeats and simple sequences.

On top of the length (10) and two character classes, a password is refused when it is one
of the 20 000 most common passwords (``core/data/common-passwords.txt.gz``, source and
licence beside it), or one of them with digits or symbols stuck on (``password123``), when it
contains the user name or a part of it, when one character makes up half of it
(``aaaaaaaaa1``), or when half of it is a simple run (``1234567``, ``abcdef``, ``qwerty``).
"""

from __future__ import annotations

import functools
import gzip
import re
from pathlib import Path

from core.errors import InputError
from core.text import fold

MIN_LENGTH = 10
_LIST = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"
_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv5tgb", "qazwsxedcrfv")
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@functools.cache
def common_passwords() -> frozenset[str]:
    """Return the shipped list of common passwords (lower case)."""
    with gzip.open(_LIST, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip())


def _weak(code: str, why_vi: str) -> InputError:
    return InputError(code, code="weak_password", message_vi=why_vi)


def _longest_run(text: str) -> int:
    """Length of the longest stretch of characters that step by +1 or -1 (abcd, 9876)."""
    best = run = 1 if text else 0
    step = 0
    for a, b in zip(text, text[1:], strict=False):
        d = ord(b) - ord(a)
        if d in (1, -1) and (run == 1 or d == step):
            run, step = run + 1, d
        elif d in (1, -1):
            run, step = 2, d
        else:
            run, step = 1, 0
        best = max(best, run)
    return best


def _keyboard_run(text: str) -> int:
    best = 0
    for row in _KEYBOARD:
        for seq in (row, row[::-1]):
            for n in range(len(seq), 3, -1):
                if n <= best:
                    break
                if any(seq[i : i + n] in text for i in range(len(seq) - n + 1)):
                    best = n
                    break
    return best


def _parts(username: str) -> list[str]:
    name = fold(username).casefold()
    # Parts shorter than 4 letters ("kho", "nv") are ordinary words, not the account.
    return [p for p in [*re.split(r"[\W\d_]+", name), name] if len(p) >= 4]


def check_password(password: str, username: str | None = None) -> None:
    """Refuse a weak password with a Vietnamese reason.

    Raises:
        InputError: ``weak_password``.
    """
    if len(password) < MIN_LENGTH:
        raise _weak("too short", f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự.")
    classes = {"letter" if c.isalpha() else "digit" if c.isdigit() else "other" for c in password}
    if len(classes) < 2:
        raise _weak(
            "one character class",
            "Mật khẩu phải gồm ít nhất hai loại ký tự (chữ, số, ký hiệu), không chỉ toàn chữ "
            "hoặc toàn số.",
        )
    low = fold(password).casefold()
    if username and low.strip() == fold(username.strip()).casefold():
        raise _weak("password equals user name", "Mật khẩu không được trùng với tên đăng nhập.")
    if username and any(part in low for part in _parts(username.strip())):
        raise _weak(
            "contains the user name",
            "Mật khẩu không được chứa tên đăng nhập hay một phần của nó.",
        )
    core = _EDGES.sub("", low)
    if low in common_passwords() or (len(core) >= 4 and core in common_passwords()):
        raise _weak(
            "common password",
            "Mật khẩu này (hoặc phần chữ của nó) nằm trong danh sách mật khẩu phổ biến, "
            "dễ bị đoán. Hãy chọn một cụm từ khác.",
        )
    if max(low.count(c) for c in set(low)) * 2 >= len(low) or len(set(low)) < 5:
        raise _weak(
            "repeated characters",
            "Mật khẩu lặp lại quá nhiều cùng một ký tự; hãy dùng nhiều ký tự khác nhau.",
        )
    if max(_longest_run(low), _keyboard_run(low)) * 2 >= len(low):
        raise _weak(
            "simple sequence",
            "Mật khẩu chủ yếu là một dãy đơn giản (1234…, abcd…, qwerty…); hãy chọn khác.",
        )
