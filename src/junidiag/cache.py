"""A per-user cache of loaded catalogs and compiled matchers, so a run starts in a blink.

Parsing and validating 52 YAML files and compiling the matcher takes ~200 ms; the same
objects read back from the cache take a few. The cache lives in the user's cache
directory (`$JUNIDIAG_CACHE_DIR`, else `$XDG_CACHE_HOME/junidiag`, else
`~/.cache/junidiag`), never inside the installed package.

What the cache trusts, and why:

* Its files are data, never code. They are JSON written by `codec`, which reads back
  nothing but plain values and the catalog's and the matcher's own classes; there is
  no pickle, so a file someone else planted cannot run anything as you.
* What they hold is still shown to you (an entry's cause, the steps to follow), so
  they are read from and written to a directory only you can write: it is created
  0700, and a cache directory that is a symbolic link, belongs to another user or is
  writable by group or others is not used at all (everything is built in memory).
  Each file is opened relative to that directory without following links, and read
  only if it is a regular file of yours that nobody else can write.
* A file is written under a fresh name in the same directory (`O_CREAT | O_EXCL`,
  0600) and renamed into place: a reader never sees half a file, and a link planted at
  either name is replaced, never written through.
* Each file is named by a checksum of everything its content depends on, and holds
  that key, which must match exactly: the package version and its own files (size,
  modification and change times), and the bytes of every catalog file, so an edit is
  seen even when it keeps the file's size and modification time (`touch -r`).

Anything unexpected (a corrupt, foreign, unreadable or unwritable cache) means the
objects are built afresh; nothing is reported unless JUNIDIAG_DEBUG is set.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from junidiag import __version__

T = TypeVar("T")
_PACKAGE = Path(__file__).parent
_KEEP = 8
"""Older fingerprints of a kind are deleted beyond this many (each catalog edit adds one)."""
_MAX_BYTES = 64 << 20
"""A cache file is a few hundred KiB; one far larger is not one this version wrote."""
_SUFFIX = ".json"

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_AT_DIRECTORY = (
    _NOFOLLOW != 0
    and hasattr(os, "O_DIRECTORY")
    and {os.open, os.stat, os.unlink, os.rename} <= os.supports_dir_fd
    and os.scandir in os.supports_fd
)
"""Whether files are opened relative to the opened directory (POSIX): then nobody can
swap the directory for another between the check of its owner and the use of its files."""


def directory() -> Path:
    configured = os.environ.get("JUNIDIAG_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "junidiag"


# --- what a cached object depends on -------------------------------------------------


def fingerprint(directories: Iterable[tuple[str, Path]]) -> str:
    """Everything a loaded catalog depends on, as text: the version, this package's own
    files (size, mtime and ctime), and the content of every catalog file in the named
    directories (a checksum of its bytes, or what kept it from being read)."""
    from junidiag import codec

    lines = [f"{__version__} {sys.version_info[:2]} {codec.FORMAT}"]
    folders = sorted(
        p for p in _PACKAGE.iterdir() if p.is_dir() and p.name not in ("data", "__pycache__")
    )
    for folder in (_PACKAGE, *folders):
        lines += _stats("package", folder, (".py", ".txt"))
    from junidiag.text.languages import extra_files

    for path in extra_files():
        lines += _stats("language", path.parent, (path.name,))
    for name, folder in directories:
        lines += _contents(name, folder)
    return "\n".join(lines)


def _stats(name: str, folder: Path, suffixes: tuple[str, ...]) -> list[str]:
    found = [f"{name} {folder}"]
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        if entry.name.endswith(suffixes):
            try:
                info = entry.stat()
            except OSError:  # a symbolic link to nothing
                found.append(f"{entry.name} missing")
                continue
            found.append(f"{entry.name} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns}")
    return found


def _contents(name: str, folder: Path) -> list[str]:
    return [f"catalog {name} {folder}", *checksums(folder)]


def checksums(folder: Path) -> list[str]:
    """A line per entry file of a catalog directory: its size and CRC-32 (80 files of a
    few KiB are read and summed in under a millisecond)."""
    import zlib

    from junidiag.catalog.files import NotRegularFile, dangling, entry_paths, read_bounded

    found = []
    for path in entry_paths(folder):
        try:
            data = read_bounded(path)
        except NotRegularFile:
            found.append(f"{path.name} special")
        except OSError as error:
            found.append(f"{path.name} {'dangling' if dangling(path) else error.errno}")
        else:
            found.append(f"{path.name} {len(data)} {zlib.crc32(data):08x}")
    return found


# --- the cache -----------------------------------------------------------------------


def cached(kind: str, key: str, build: Callable[[], T], expected: type[T]) -> T:
    """The cached `kind` for the fingerprint `key`, or `build()` (then stored for next time).

    The file is named by a checksum of `key` and holds `key` itself, which must match
    exactly: a checksum collision can cost a rebuild, never a wrong answer. What is read
    must be an `expected`, or it is built afresh.
    """
    if os.environ.get("JUNIDIAG_NO_CACHE"):
        return build()
    import zlib  # a checksum for the file name; hashlib would load OpenSSL (~3 ms)

    exact = key.encode("utf-8", "surrogateescape")  # a path may hold any bytes
    name = f"{kind}-{zlib.crc32(exact):08x}{_SUFFIX}"
    stored_key = exact.decode("latin-1")  # the same bytes, as text JSON can hold
    folder = _Folder.open(directory(), create=False)
    try:
        if folder is not None:
            found = folder.load(name, stored_key)
            if isinstance(found, expected):
                return found
        value = build()
        folder = folder or _Folder.open(directory(), create=True)
        if folder is not None:
            folder.store(name, stored_key, value, kind)
        return value
    finally:
        if folder is not None:
            folder.close()


def _private(info: os.stat_result) -> bool:
    """Owned by whoever runs junidiag, and writable by nobody else."""
    if not hasattr(os, "geteuid"):  # Windows: the user's profile is private by its ACL
        return True
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _debug(message: str) -> None:
    if os.environ.get("JUNIDIAG_DEBUG"):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            print(f"junidiag: cache: {message}", file=sys.stderr)


class _Folder:
    """The cache directory, opened and checked once; its files named relative to it."""

    def __init__(self, path: Path, descriptor: int | None) -> None:
        self.path = path
        self.descriptor = descriptor

    @classmethod
    def open(cls, path: Path, create: bool) -> _Folder | None:
        """The cache directory if it can be trusted (see the module's docstring); when
        `create`, made 0700 if missing. None when it is missing or not to be trusted."""
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
                with contextlib.suppress(FileExistsError):
                    path.mkdir(mode=0o700)
            if not _AT_DIRECTORY:
                info = path.lstat()
                return cls(path, None) if stat.S_ISDIR(info.st_mode) and _private(info) else None
            flags = os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW | _CLOEXEC
            descriptor = os.open(path, flags)
        except OSError:  # missing, a file, a symbolic link (ELOOP), not ours to create
            return None
        if not _private(os.fstat(descriptor)):
            os.close(descriptor)
            _debug(f"{path} belongs to another user or others can write to it: not used")
            return None
        return cls(path, descriptor)

    def close(self) -> None:
        if self.descriptor is not None:
            os.close(self.descriptor)
            self.descriptor = None

    def _name(self, name: str) -> str | Path:
        return name if self.descriptor is not None else self.path / name

    def read(self, name: str) -> bytes | None:
        """The bytes of a regular file of ours that nobody else can write, or None."""
        flags = os.O_RDONLY | _NOFOLLOW | _CLOEXEC | getattr(os, "O_NONBLOCK", 0)
        try:
            descriptor = os.open(self._name(name), flags, dir_fd=self.descriptor)
        except OSError:
            return None
        try:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode) or not _private(info):
                _debug(f"{name} is not a file of yours alone: not read")
                return None
            if info.st_size > _MAX_BYTES:
                return None
            chunks = []
            while chunk := os.read(descriptor, max(info.st_size, 1 << 16)):
                chunks.append(chunk)
            return b"".join(chunks)
        except OSError:
            return None
        finally:
            os.close(descriptor)

    def load(self, name: str, key: str) -> Any:
        """What the file `name` holds for `key`, or None (missing, stale, corrupt)."""
        raw = self.read(name)
        if raw is None:
            return None
        from junidiag import codec

        try:
            document = codec.parse(raw)
            if not isinstance(document, dict) or document.get("key") != key:
                return None
            return codec.decode(document.get("data"))
        except codec.DecodeError as error:
            _debug(f"{name} is not readable ({error}): rebuilt")
            return None

    def store(self, name: str, key: str, value: object, kind: str) -> None:
        """Write `value` for `key` to the file `name` atomically, then prune old ones."""
        import orjson

        from junidiag import codec

        try:
            data = orjson.dumps({"key": key, "data": codec.encode(value)})
        except (codec.EncodeError, orjson.JSONEncodeError) as error:
            _debug(f"{kind} cannot be cached ({error})")
            return
        partial = f".{name}.{os.getpid()}.{os.urandom(4).hex()}.partial"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
        try:
            descriptor = os.open(self._name(partial), flags, 0o600, dir_fd=self.descriptor)
        except OSError:
            return
        try:
            with os.fdopen(descriptor, "wb") as out:  # closes the descriptor
                out.write(data)
            os.replace(
                self._name(partial),
                self._name(name),
                src_dir_fd=self.descriptor,
                dst_dir_fd=self.descriptor,
            )
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(self._name(partial), dir_fd=self.descriptor)
            return
        with contextlib.suppress(OSError):
            self.prune(kind)

    def prune(self, kind: str) -> None:
        """Keep the newest _KEEP files of `kind`; remove what older versions left (pickles,
        which are never read)."""
        listing = self.descriptor if self.descriptor is not None else self.path
        with os.scandir(listing) as found:
            names = [e.name for e in found]
        mine = [n for n in names if n.startswith(f"{kind}-") and n.endswith(_SUFFIX)]
        times = {}
        for name in mine:
            info = os.stat(self._name(name), dir_fd=self.descriptor, follow_symlinks=False)
            times[name] = info.st_mtime_ns
        old = sorted(mine, key=times.__getitem__, reverse=True)[_KEEP:]
        old += [n for n in names if n.endswith(".pickle") or ".pickle." in n]
        for name in old:
            with contextlib.suppress(OSError):
                os.unlink(self._name(name), dir_fd=self.descriptor)
