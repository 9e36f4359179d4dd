"""The embedded broker's message files: written whole, and a bad one skipped, not fatal.

Kombu's filesystem transport creates a message file and then writes into it. On a full disk
the write fails and an empty ``.msg`` file stays in the queue folder; the next worker to take
it fails to decode it and Celery stops the whole worker ("Unrecoverable error:
JSONDecodeError"). A consumer can also take a file that is still being written, since the
writer's ``flock`` does not stop a ``rename``. Here a message is written under a hidden name
(which the consumers' queue filter ignores) and renamed into place once complete, and a
message that cannot be decoded is logged and skipped: the database is the truth, and the
feeder re-sends a page whose message was lost.

The transport keeps the ``filesystem://`` URL: :func:`install` points Kombu's alias at it.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from pathlib import Path
from time import monotonic
from typing import Any

from kombu import transport as kombu_transport
from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

log = logging.getLogger(__name__)


class Channel(filesystem.Channel):
    """Kombu's filesystem channel with whole-file writes and tolerant reads."""

    # Kombu's own classes disagree on the second parameter's name (message, payload).
    def _put(self, queue: Any, payload: Any, **kwargs: Any) -> None:  # type: ignore[override]
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = Path(self.data_folder_out) / name
        partial = final.with_name(f".{name}.part")
        try:
            partial.write_bytes(str_to_bytes(dumps(payload)))
            partial.replace(final)
        except OSError as exc:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            raise ChannelError(f"Cannot add file {str(final)!r} to directory") from exc

    def _get(self, queue: Any, timeout: Any = None) -> Any:
        while True:  # Empty, raised when no message is left, ends the loop
            try:
                return super()._get(queue)
            except ValueError as exc:  # an empty or cut message file (JSONDecodeError)
                log.warning("skipped an unreadable message of queue %s: %s", queue, exc)


class Transport(filesystem.Transport):
    """The filesystem transport with :class:`Channel`."""

    Channel = Channel


def install() -> None:
    """Make ``filesystem://`` URLs use this transport in this process."""
    alias = f"{__name__}:Transport"
    if kombu_transport.TRANSPORT_ALIASES.get("filesystem") != alias:
        kombu_transport.TRANSPORT_ALIASES["filesystem"] = alias
        kombu_transport._transport_cache.pop("filesystem", None)
