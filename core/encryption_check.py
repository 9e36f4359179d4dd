"""Checking that the data directory is on encrypted storage (LUKS/dm-crypt, fscrypt).

Encryption at rest is the volume's job (see docs/security.md); sohoa only checks, at start,
that it is there when ``SOHOA_REQUIRE_ENCRYPTED_STORAGE=true``.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import struct
import subprocess
from pathlib import Path

from core.errors import ConfigError

log = logging.getLogger(__name__)
_FS_IOC_GETFLAGS = 0x80086601  # _IOR('f', 1, long) on 64-bit Linux
_FS_ENCRYPT_FL = 0x00000800  # fscrypt: the directory's contents are encrypted
_ENCRYPTING_FS = {"ecryptfs", "gocryptfs", "fuse.gocryptfs", "fuse.encfs", "fuse.cryfs"}


def mount_of(path: Path, mounts_text: str) -> tuple[str, str, str] | None:
    """Return (device, mount point, fs type) of the mount holding ``path`` per /proc/mounts."""
    target = str(Path(path).resolve())
    best: tuple[str, str, str] | None = None
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        dev, mnt, fstype = parts[0], parts[1].replace("\\040", " "), parts[2]
        inside = target == mnt or target.startswith(mnt.rstrip("/") + "/")
        if inside and (best is None or len(mnt) >= len(best[1])):
            best = (dev, mnt, fstype)
    return best


def block_is_crypt(dev: str, sys_root: Path = Path("/sys")) -> bool:
    """Return whether a block device is dm-crypt or stacked on one (LVM on LUKS…)."""
    with contextlib.suppress(OSError):
        name = Path(os.path.realpath(dev)).name  # /dev/mapper/x -> dm-3
        return _crypt_in_stack(name, sys_root, depth=0)
    return False


def _crypt_in_stack(name: str, sys_root: Path, depth: int) -> bool:
    block = sys_root / "class" / "block" / name
    uuid = block / "dm" / "uuid"
    if uuid.exists() and uuid.read_text().startswith("CRYPT-"):
        return True
    slaves = block / "slaves"
    if depth < 8 and slaves.is_dir():
        return any(_crypt_in_stack(s.name, sys_root, depth + 1) for s in slaves.iterdir())
    return False


def _lsblk_says_crypt(dev: str) -> bool:
    # Fallback where /sys is not readable: lsblk walks the dependency chain itself.
    try:
        out = subprocess.run(
            ["lsblk", "-s", "-n", "-o", "TYPE", dev],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "crypt" in out.stdout.split()


def _fscrypt_flag(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        buf = fcntl.ioctl(fd, _FS_IOC_GETFLAGS, b"\0" * 8)
        return bool(struct.unpack("l", buf)[0] & _FS_ENCRYPT_FL)
    except OSError:
        return False  # the file system knows no such flag
    finally:
        os.close(fd)


def check_encrypted_storage(
    path: Path, mounts_text: str | None = None, sys_root: Path = Path("/sys")
) -> bool:
    """Return whether files written under ``path`` end up encrypted at rest.

    Recognised: a dm-crypt/LUKS block device anywhere under the file system, an fscrypt
    directory (ext4/f2fs ``encrypt`` flag), or an encrypting stacked file system (eCryptfs,
    gocryptfs…). Anything else, including network file systems, counts as not encrypted.
    """
    path = Path(path)
    probe = path if path.exists() else next((p for p in path.parents if p.exists()), path)
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8")
        except OSError:
            return False
    found = mount_of(path, mounts_text)  # the mount the files will land on
    if found is None:
        return False
    dev, _mnt, fstype = found
    if fstype in _ENCRYPTING_FS or _fscrypt_flag(probe):
        return True
    if not dev.startswith("/dev/"):
        return False
    return block_is_crypt(dev, sys_root) or _lsblk_says_crypt(dev)


def require_encrypted_storage(data_dir: Path, required: bool) -> None:
    """Refuse to start when encrypted storage is required and ``data_dir`` is not on it.

    Raises:
        ConfigError: ``storage_not_encrypted``.
    """
    if not required:
        return
    if not check_encrypted_storage(data_dir):
        raise ConfigError(
            f"{data_dir} is not on encrypted storage",
            code="storage_not_encrypted",
            message_vi=f"Thư mục dữ liệu {data_dir} không nằm trên ổ đĩa được mã "
            "hóa (LUKS/fscrypt) trong khi cấu hình bắt buộc "
            "(SOHOA_REQUIRE_ENCRYPTED_STORAGE=true). Không khởi động.",
        )
    log.info("data directory %s is on encrypted storage", data_dir)
