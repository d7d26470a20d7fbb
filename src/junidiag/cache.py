"""A per-user cache of loaded catalogs and compiled matchers, so a run starts in a blink.

Parsing and validating 52 YAML files and compiling the matcher takes ~100 ms; a
pickle of the result loads in a few. The cache lives in the user's cache
directory (`$JUNIDIAG_CACHE_DIR`, else `$XDG_CACHE_HOME/junidiag`, else
`~/.cache/junidiag`), never inside the installed package. Each file is named by
a fingerprint of everything the result depends on — the package version and its
own files, and the path, size and modification time of every catalog file — so
an edited catalog is never answered from a stale cache. Files are written
atomically; an unreadable, corrupt or unwritable cache is silently rebuilt or
bypassed.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from junidiag import __version__

T = TypeVar("T")
_PACKAGE = Path(__file__).parent


def directory() -> Path:
    configured = os.environ.get("JUNIDIAG_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "junidiag"


def fingerprint(directories: Iterable[tuple[str, Path]]) -> str:
    """Everything a loaded catalog depends on, as text: the version, this package's own
    files, and the path, size and mtime of every *.yaml file in the named directories."""
    lines = [f"{__version__} {sys.version_info[:2]} {pickle.HIGHEST_PROTOCOL}"]
    folders = sorted(p for p in _PACKAGE.iterdir() if p.is_dir() and p.name != "data")
    for folder in (_PACKAGE, *folders):
        lines += _files("package", folder, (".py", ".txt"))
    from junidiag.text.languages import extra_files

    for path in extra_files():
        lines += _files("language", path.parent, (path.name,))
    for name, folder in directories:
        lines += _files(name, folder, (".yaml",))
    return "\n".join(lines)


def _files(name: str, folder: Path, suffixes: tuple[str, ...]) -> list[str]:
    found = [f"{name} {folder}"]
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        if entry.name.endswith(suffixes) and not entry.name.startswith("."):
            try:
                stat = entry.stat()
            except OSError:  # a symbolic link to nothing: the loader warns of it
                found.append(f"{entry.name} missing")
                continue
            found.append(f"{entry.name} {stat.st_size} {stat.st_mtime_ns}")
    return found


def cached(kind: str, key: str, build: Callable[[], T]) -> T:
    """The cached `kind` for the fingerprint `key`, or `build()` (then stored for next time).

    The file is named by a checksum of `key` and holds `key` itself, which must
    match exactly: a checksum collision can cost a rebuild, never a wrong answer.
    """
    if os.environ.get("JUNIDIAG_NO_CACHE"):
        return build()
    import zlib  # a checksum for the file name; hashlib would load OpenSSL (~3 ms)

    path = directory() / f"{kind}-{zlib.crc32(key.encode()):08x}.pickle"
    with contextlib.suppress(Exception):  # corrupt, truncated, from another version: rebuild
        with path.open("rb") as handle:
            stored_key, value = pickle.load(handle)
        if stored_key == key:
            return value  # type: ignore[no-any-return]
    value = build()
    with contextlib.suppress(OSError, pickle.PicklingError, AttributeError, TypeError):
        _write(path, pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL))
        _prune(path.parent, kind)
    return value


_KEEP = 8
"""Older fingerprints of a kind are deleted beyond this many (each catalog edit adds one)."""


def _prune(folder: Path, kind: str) -> None:
    files = sorted(folder.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[_KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()


def _write(path: Path, data: bytes) -> None:
    """Write atomically: a reader never sees half a file."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with partial.open("wb") as handle:
            handle.write(data)
        partial.replace(path)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
