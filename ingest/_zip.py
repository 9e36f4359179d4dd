"""Reading ZIP archives without trusting them: path traversal, bombs, nested archives."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from core.errors import InputError
from core.settings import IngestSettings
from ingest import errors as _errors
from ingest._walk import natural_key

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class ZipMember:
    """One file inside an archive: either readable in chunks, or refused with an error."""

    name: str
    info: zipfile.ZipInfo | None
    error: InputError | None = None
    skipped: str | None = None  # why it is not a scan: "hidden" or "metadata" (recorded)


def _unsafe(name: str) -> bool:
    if name.startswith(("/", "\\")) or "\\" in name or (len(name) > 1 and name[1] == ":"):
        return True
    return any(part == ".." for part in PurePosixPath(name).parts)


def list_members(path: Path, cfg: IngestSettings) -> list[ZipMember]:
    """Return the archive's files in natural order, refusing unsafe names.

    Raises:
        InputError: the archive is unreadable or, as a whole, over the limits (a bomb).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise _errors.zip_corrupt(str(e)) from e
    if len(infos) > cfg.zip_max_entries:
        raise _errors.zip_bomb(f"{len(infos)} entries > {cfg.zip_max_entries}")
    declared = sum(i.file_size for i in infos)
    if declared > cfg.zip_max_total_mb << 20:
        raise _errors.zip_bomb(f"{declared} bytes declared > {cfg.zip_max_total_mb} MB")
    members: list[ZipMember] = []
    for info in sorted(infos, key=lambda i: natural_key(i.filename)):
        name = info.filename
        base = PurePosixPath(name).name
        if _unsafe(name):
            members.append(ZipMember(name, None, _errors.zip_unsafe(name)))
        elif name.startswith("__MACOSX/") or base.startswith("._"):
            members.append(ZipMember(name, None, skipped="metadata"))
        elif any(p.startswith(".") and p != "." for p in PurePosixPath(name).parts):
            members.append(ZipMember(name, None, skipped="hidden"))
        elif info.flag_bits & 0x1:
            members.append(ZipMember(name, None, _errors.zip_corrupt(f"{name} is encrypted")))
        elif (
            info.compress_size
            and info.file_size > (1 << 20)
            and info.file_size / info.compress_size > cfg.zip_max_ratio
        ):
            members.append(
                ZipMember(
                    name,
                    None,
                    _errors.zip_bomb(f"{name}: ratio {info.file_size / info.compress_size:.0f}"),
                )
            )
        else:
            members.append(ZipMember(name, info))
    return members


def read_member(path: Path, member: ZipMember, cfg: IngestSettings) -> Iterator[bytes]:
    """Yield an entry's bytes, stopping if it inflates past its declared size or the limit.

    The declared size in the header is attacker-controlled, so the cap is enforced on the
    bytes actually produced.

    Raises:
        InputError: ``zip_bomb`` or ``zip_corrupt``.
    """
    assert member.info is not None
    limit = min(member.info.file_size, cfg.max_file_mb << 20)
    produced = 0
    try:
        with zipfile.ZipFile(path) as zf, zf.open(member.info) as fh:
            while chunk := fh.read(_CHUNK):
                produced += len(chunk)
                if produced > limit:
                    raise _errors.zip_bomb(f"{member.name} inflates past {limit} bytes")
                yield chunk
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise _errors.zip_corrupt(f"{member.name}: {e}") from e
