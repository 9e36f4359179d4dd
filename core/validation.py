"""Validating what a person types before it reaches a record: names and field values.

Every refusal is an :class:`~core.errors.InputError` (HTTP 422, exit 65) with a Vietnamese
message saying what is expected; accepted values come back normalised (NFC, single spaces),
ready to store.
"""

from __future__ import annotations

import re

from core.errors import InputError
from core.text import collapse_ws, has_control, nfc

BATCH_NAME_MAX = 200
# Letters (Vietnamese included), digits, spaces and a few separators people put in names;
# never "/" or "\" (a batch name is a URL path segment and must stay reachable).
_BATCH_NAME = re.compile(r"^[\w .,()\-+&'’:;#]+$")


def batch_name(value: str) -> str:
    r"""Return a batch name fit to store (NFC), or refuse it.

    Refused: empty, longer than 200 characters, ``/`` or ``\``, control or bidi characters,
    a leading or trailing dot or space, and symbols other than ``. , ( ) - + & ' : ; #``.

    Raises:
        InputError: ``bad_batch_name``.
    """
    name = nfc(value)
    if (
        not name
        or len(name) > BATCH_NAME_MAX
        or has_control(name)
        or name != name.strip(" .")
        or collapse_ws(name) != name
        or not _BATCH_NAME.match(name)
    ):
        raise InputError(
            f"bad batch name {value!r}",
            code="bad_batch_name",
            message_vi=(
                f"Tên lô phải có 1–{BATCH_NAME_MAX} ký tự: chữ (có dấu), số, dấu cách và "
                "các dấu . , ( ) - + & ' : ; #; không có '/' hay '\\', không bắt đầu hay "
                "kết thúc bằng dấu chấm hoặc dấu cách."
            ),
        )
    return name
