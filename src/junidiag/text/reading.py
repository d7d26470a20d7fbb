"""Reading a log from stdin: bytes in large chunks, decoded with replacement, as lines.

Logs hold broken bytes, so input is read as bytes and decoded with replacement.
`read_batches` calls back whenever the next read would block, so a caller can
flush what it has (`tail -f app.log | junidiag explain` answers at once) while a
file streams through in large writes.
"""

from __future__ import annotations

import os
import re
import select
from collections.abc import Callable, Iterator
from typing import BinaryIO, NamedTuple

CHUNK = 1 << 16
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class ReadError(Exception):
    """Stdin cannot be read (closed with `<&-`, a directory, an I/O error): one line for a
    person, and a usage error rather than a write error or an internal one."""


class Batch(NamedTuple):
    lines: list[str]
    utf8: bytes | None
    """The lines joined by \\n in UTF-8, when the bytes read were that already (no \\r,
    nothing replaced), which spares encoding them again (see `Gate.passed`)."""
    text: str
    """The lines as decoded, with their line breaks."""


def read_batches(stream: BinaryIO, on_idle: Callable[[], None]) -> Iterator[Batch]:
    """The decoded lines of `stream`, a chunk at a time (any of \\n, \\r\\n, \\r ends a
    line), calling `on_idle` whenever no more input is ready, before waiting for it."""
    fd = _fileno(stream)
    pending = bytearray()  # the unfinished last line, which may grow over many chunks
    while True:
        if fd is not None and not _ready(fd):
            on_idle()
        chunk = _read(stream, fd)
        if not chunk:
            break
        # Cut after the last line break. Only the new chunk is searched (a 50 MB line
        # costs linear time), with the byte before it: a \r that ended the last chunk
        # was held back as maybe half of a \r\n, and this chunk's first byte decides.
        window = pending[-1:] + chunk
        cut = max(window.rfind(b"\n"), window.rfind(b"\r", 0, len(window) - 1)) + 1
        if cut:
            data = pending + chunk
            cut += len(pending) - (len(window) - len(chunk))
            pending = bytearray(data[cut:])
            yield _split(bytes(data[:cut]))
        else:
            pending += chunk
        if fd is None:
            on_idle()
    if pending:
        yield _split(bytes(pending), final=True)


def _split(block: bytes, final: bool = False) -> Batch:
    """The lines of a block that ends in a line break (or, `final`, the unfinished last one).

    Only \\n, \\r\\n and \\r end a line: `str.splitlines` would also split on form
    feeds and U+2028, and the JSON stream must have one object per input line.
    """
    text = block.decode("utf-8", "replace")
    if "\r" in text:
        lines = _LINE_BREAK.split(text)
        utf8 = None
    else:
        lines = text.split("\n")
        utf8 = None if "\ufffd" in text else block.removesuffix(b"\n")
    if lines[-1] == "" and (not final or len(lines) > 1):
        lines.pop()
    return Batch(lines, utf8, text)


def _read(stream: BinaryIO, fd: int | None) -> bytes:
    try:
        return os.read(fd, CHUNK) if fd is not None else stream.read(CHUNK)
    except OSError as error:
        raise ReadError(f"cannot read stdin: {error.strerror or error}") from None


def _fileno(stream: BinaryIO) -> int | None:
    try:
        return stream.fileno()
    except (AttributeError, OSError, ValueError):
        return None


def _ready(fd: int) -> bool:
    try:
        readable, _, _ = select.select([fd], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)
