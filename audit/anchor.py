"""The audit chain's key and its anchor outside the database.

Key: ``SOHOA_AUDIT_KEY`` (settings ``audit_key``, at least 32 characters), else the file
``<data_dir>/audit/audit.key`` (32 random bytes, hex), created with mode 0600 on first use.
Rows are chained with HMAC-SHA256 under it, so nobody without the key can write a row that
verifies, even with the documented formula.

Anchor: ``<data_dir>/audit/anchor.log``, append-only, one line per committed transaction that
wrote audit rows (``v1 <last id> <last hash> <mac>``, fsynced), and a first line
``rekey <first keyed id> <last unkeyed hash> <mac>`` saying from which row the chain is keyed
(rows before it, written before keys existed, keep their plain SHA-256). Every line carries an
HMAC under the key. ``verify`` checks each anchored (id, hash) against the table, so deleting
the newest rows, the head row or every row is detected, as is a chain rewritten with or
without the key.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import ConfigError

KEY_FILE = "audit.key"
ANCHOR_FILE = "anchor.log"
MIN_KEY = 32


@dataclass(frozen=True)
class Anchor:
    """Where one installation keeps its audit key and anchor file."""

    directory: Path
    key: bytes

    @property
    def path(self) -> Path:
        """Return the anchor file."""
        return self.directory / ANCHOR_FILE

    def mac(self, *parts: object) -> str:
        """Return the HMAC-SHA256 (hex) of ``parts`` joined by ``|`` under the key."""
        msg = "|".join(str(p) for p in parts).encode("utf-8")
        return hmac.new(self.key, msg, hashlib.sha256).hexdigest()

    def row_hash(self, payload: bytes) -> str:
        """Return the keyed hash of a row: HMAC-SHA256(key, prev_hash + canonical JSON)."""
        return hmac.new(self.key, payload, hashlib.sha256).hexdigest()

    def _write(self, line: str, create: bool = False) -> bool:
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | (os.O_EXCL if create else 0)
        try:
            fd = os.open(self.path, flags, 0o600)
        except FileExistsError:
            return False
        try:
            os.write(fd, line.encode("ascii"))  # one write: lines never interleave
            os.fsync(fd)
        finally:
            os.close(fd)
        return True

    def start(self, first_keyed: int, legacy_head: str) -> bool:
        """Create the anchor with its ``rekey`` line; False when it already exists."""
        self.directory.mkdir(parents=True, exist_ok=True)
        mac = self.mac("rekey", first_keyed, legacy_head)
        return self._write(f"rekey {first_keyed} {legacy_head} {mac}\n", create=True)

    def append(self, last_id: int, last_hash: str) -> None:
        """Record that the chain reached ``last_id`` with ``last_hash`` (after a commit)."""
        self._write(f"v1 {last_id} {last_hash} {self.mac('v1', last_id, last_hash)}\n")

    def read(self) -> AnchorState | None:
        """Return what the anchor file says, or None when there is none."""
        try:
            text = self.path.read_text(encoding="ascii", errors="replace")
        except FileNotFoundError:
            return None
        state = AnchorState()
        for n, line in enumerate(text.splitlines(), start=1):
            parts = line.split()
            ok = len(parts) == 4 and parts[1].isdigit()
            if ok and parts[0] == "rekey" and n == 1:
                ok = hmac.compare_digest(parts[3], self.mac("rekey", int(parts[1]), parts[2]))
                if ok:
                    state.first_keyed, state.legacy_head = int(parts[1]), parts[2]
            elif ok and parts[0] == "v1":
                ok = hmac.compare_digest(parts[3], self.mac("v1", int(parts[1]), parts[2]))
                if ok:
                    state.points[int(parts[1])] = parts[2]
            else:
                ok = False
            if not ok:
                state.bad_lines.append(n)
        return state


@dataclass
class AnchorState:
    """The anchor file's content: where keying starts and every anchored (id, hash)."""

    first_keyed: int | None = None
    legacy_head: str = ""
    points: dict[int, str] = field(default_factory=dict)
    bad_lines: list[int] = field(default_factory=list)


def _load_key(settings: Any, directory: Path) -> bytes:
    configured = getattr(settings, "audit_key", None)
    if configured is not None:
        text = configured.get_secret_value()
        if len(text) < MIN_KEY:
            raise ConfigError(
                "SOHOA_AUDIT_KEY too short",
                code="audit_key_invalid",
                message_vi=f"SOHOA_AUDIT_KEY phải có ít nhất {MIN_KEY} ký tự.",
            )
        return text.encode("utf-8")
    path = directory / KEY_FILE
    directory.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Written to a private temporary file, then linked into place: a concurrent first
        # use sees either no key file or a complete one, and the first link wins.
        tmp = directory / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, secrets.token_hex(32).encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
        tmp.unlink()
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)  # never readable by others, whatever the umask made it
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_KEY:
        raise ConfigError(
            f"{path} holds no usable key",
            code="audit_key_invalid",
            message_vi=f"Tệp khóa nhật ký kiểm toán {path} hỏng hoặc rỗng.",
        )
    return key.encode("ascii")


def anchor_for(settings: Any) -> Anchor:
    """Return the anchor of the installation whose settings these are.

    The key is read each time (a few bytes): a restore may have put another key in place.
    """
    directory = Path(settings.data_dir).resolve() / "audit"
    return Anchor(directory, _load_key(settings, directory))
