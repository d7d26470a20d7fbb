"""Reading a log from stdin: bytes in large chunks, decoded with replacement, as lines.

Logs hold broken bytes, so input is read as bytes and decoded with replacement.
`read_batches` calls back whenever the next read would block, so a caller can
flush what it has (`tail -f app.log | junidiag explain` answers at once) while a
file streams through in large writes.
"""

from __future__ import annotations

import codecs
import itertools
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
    line), calling `on_idle` whenever no more input is ready, before waiting for it.
    A byte order mark says how the bytes are encoded (see `_as_utf8`)."""
    pending = bytearray()  # the unfinished last line, which may grow over many chunks
    for chunk in _as_utf8(_chunks(stream, on_idle)):
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
    if pending:
        yield _split(bytes(pending), final=True)


def _chunks(stream: BinaryIO, on_idle: Callable[[], None]) -> Iterator[bytes]:
    """The bytes of `stream` as they come, `on_idle` called before a read that would wait
    (or, for a stream without a descriptor, after each chunk is taken)."""
    fd = _fileno(stream)
    while True:
        if fd is not None and not _ready(fd):
            on_idle()
        chunk = _read(stream, fd)
        if not chunk:
            return
        yield chunk
        if fd is None:
            on_idle()


_UTF8_MARK = b"\xef\xbb\xbf"
_UTF16_MARKS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
_DECIDED = 4
"""Bytes enough to tell: a UTF-8 mark, or a UTF-16 one and its first character."""


def _as_utf8(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The chunks as UTF-8. A UTF-8 byte order mark is dropped (it is no part of the first
    line); a UTF-16 one (PowerShell's `Out-File`, Windows' "Unicode") means the whole
    input is UTF-16, decoded with replacement and passed on as UTF-8. Without one, the
    chunks pass untouched."""
    head = b""
    for chunk in chunks:
        head += chunk
        if len(head) >= _DECIDED or not _may_open_a_mark(head):
            break
    encoding = _utf16(head)
    if encoding is not None:
        yield from _transcoded(head[2:], chunks, encoding)
        return
    if head.startswith(_UTF8_MARK):
        head = head[len(_UTF8_MARK) :]
    if head:
        yield head
    yield from chunks


def _may_open_a_mark(head: bytes) -> bool:
    return _UTF8_MARK.startswith(head) or any(mark.startswith(head[:2]) for mark in _UTF16_MARKS)


def _utf16(head: bytes) -> str | None:
    """The UTF-16 encoding `head` opens with, by its mark, if the characters after it are
    mostly below U+0100 (the high byte of each is 0), as a log's Latin script is: bytes
    FF FE followed by anything else are bytes that are not UTF-8, decoded as always."""
    encoding = _UTF16_MARKS.get(head[:2])
    if encoding is None:
        return None
    units = head[2:514]
    high = units[1::2] if encoding == "utf-16-le" else units[::2]
    return encoding if high and high.count(0) * 2 >= len(high) else None


def _transcoded(first: bytes, chunks: Iterator[bytes], encoding: str) -> Iterator[bytes]:
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    for chunk in itertools.chain([first], chunks):
        text = decoder.decode(chunk)
        if text:
            yield text.encode("utf-8")
    rest = decoder.decode(b"", final=True)  # an odd last byte: U+FFFD
    if rest:
        yield rest.encode("utf-8")


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
