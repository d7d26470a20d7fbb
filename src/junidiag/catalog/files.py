"""Which files of a catalog directory are entries, and reading one without surprises.

A catalog directory may sit on a shared drive and hold more than entries: editors'
lock files (`.#X.yaml`, a symbolic link to nothing), macOS resource forks
(`._X.yaml`), a FIFO or a link to `/dev/zero` named like an entry. Dot-files are
not entries. Only regular files are read (after following a link), never more than
the size limit and one byte, whatever their size claims: a FIFO or a device can
neither hang a command nor fill its memory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_FILE_BYTES = 256 * 1024
"""An entry is a few KiB; anything much larger is a mistake, not a catalog entry."""
SUFFIX = ".yaml"

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # opening a FIFO with no writer must not wait for one
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class NotRegularFile(OSError):
    """The path names a FIFO, a device, a directory or a socket, not a file."""


def entry_paths(directory: Path) -> list[Path]:
    """The entry files of a catalog directory, by name: `*.yaml`, dot-files left out."""
    try:
        with os.scandir(directory) as found:
            names = [e.name for e in found if e.name.endswith(SUFFIX) and e.name[:1] != "."]
    except OSError:
        return []
    return [directory / name for name in sorted(names)]


def dangling(path: Path) -> str | None:
    """Where `path` points when it is a symbolic link to nothing (else None)."""
    try:
        if not path.is_symlink() or path.exists():
            return None
        return str(path.readlink())
    except (OSError, ValueError):
        return None


def read_bounded(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file `path`, at most `limit + 1` of them (more than
    `limit` means too large). Raises `NotRegularFile` for anything that is not one,
    and OSError when it cannot be read."""
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(f"not a regular file ({_kind_of(info.st_mode)})")
        # One read takes a file that is as large as it says (a shorter read is its end);
        # one that grew meanwhile is read on, but never beyond the limit.
        chunks: list[bytes] = []
        left = limit + 1
        wanted = min(info.st_size + 1, left)
        while left > 0:
            chunk = os.read(descriptor, wanted)
            chunks.append(chunk)
            left -= len(chunk)
            if len(chunk) < wanted:
                break
            wanted = min(left, 1 << 16)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"
