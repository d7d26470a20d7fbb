"""Diagnosing a whole log from stdin, line by line, as it arrives.

Input is read as bytes in large chunks and decoded with replacement (logs hold
broken bytes). Output is written as soon as the next read would block, so
`tail -f app.log | junidiag explain` answers at once, while a file streams
through in large writes. Memory stays flat: only the current chunk, a cache of
recent lines and the per-entry tally are kept.
"""

from __future__ import annotations

import os
import re
import select
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO, NamedTuple, Protocol

from junidiag.model import Entry, Match, Severity

if TYPE_CHECKING:
    from junidiag.matching import Matcher

CHUNK = 1 << 16
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
REPEAT_ADVICE_AT = 10
"""One entry on this many lines points to one configuration problem (the seed's advice)."""


@dataclass(slots=True)
class Tally:
    entry: Entry
    count: int
    first: int
    last: int


@dataclass(slots=True)
class Summary:
    """What a log run found: per entry, how often and where first and last."""

    lines: int = 0
    matched: int = 0
    tallies: dict[str, Tally] = field(default_factory=dict)
    interrupted: bool = False

    def add(self, number: int, match: Match) -> None:
        self.matched += 1
        tally = self.tallies.get(match.entry.id)
        if tally is None:
            self.tallies[match.entry.id] = Tally(match.entry, 1, number, number)
        else:
            tally.count += 1
            tally.last = number

    def ranked(self) -> list[Tally]:
        """Most severe first, then most frequent, then earliest."""
        return sorted(
            self.tallies.values(), key=lambda t: (-t.entry.severity.rank, -t.count, t.first)
        )

    def worst(self) -> Severity | None:
        ranked = self.ranked()
        return ranked[0].entry.severity if ranked else None

    def advice(self) -> list[str]:
        notes = []
        for tally in self.ranked():
            if stops_connector(tally.entry):
                notes.append(
                    f"{tally.entry.id} is critical: all syncs of that connector have probably "
                    "stopped. Reconnect it first (Connectors page), then retry the failed tasks."
                )
        for tally in self.ranked():
            if tally.count >= REPEAT_ADVICE_AT:
                notes.append(
                    f"{tally.entry.id} accounts for {tally.count} lines: this points to one "
                    "configuration problem. Fix it once, then retry all failed tasks."
                )
        return notes


class Sink(Protocol):
    """Where each batch of diagnosed lines goes (JSON Lines, or the compact human view)."""

    def batch(self, first: int, batch: Batch, matches: dict[int, Match]) -> None:
        """Lines `first`, `first + 1`, …; `matches` holds the matched ones by offset."""

    def flush(self) -> None: ...


def run(stream: BinaryIO, matcher: Matcher, sink: Sink) -> Summary:
    """Diagnose every line of `stream` into `sink`; Ctrl-C ends the run with what it has.

    Each batch of lines is first looked at as a whole for routine traffic (see
    `Matcher.first_matches`): those lines cannot match, and skip the per-line work.
    """
    summary = Summary()
    try:
        for batch in read_batches(stream, sink.flush):
            first = summary.lines + 1
            matches = matcher.first_matches(batch.lines, batch.utf8)
            for offset, match in matches.items():
                summary.add(first + offset, match)
            summary.lines += len(batch.lines)
            sink.batch(first, batch, matches)
    except KeyboardInterrupt:
        summary.interrupted = True
    sink.flush()
    return summary


class JsonLinesSink:
    """One JSON object per input line (SPEC §1), encoded with orjson, written in blocks."""

    def __init__(self, out: BinaryIO) -> None:
        from junidiag.serialize import MatchEncoder

        self.out = out
        self._matches = MatchEncoder()

    def batch(self, first: int, batch: Batch, matches: dict[int, Match]) -> None:
        from orjson import dumps

        lines = batch.lines
        count = len(lines)
        # `{"line":N,"text":` + text + `,"match":null}` + newline for every line, joined
        # once: the numbered heads are made by one %-format for the whole batch.
        heads = ((_HEAD * count) % tuple(range(first, first + count))).split(b"\n")
        parts = [_NULL_MATCH] * (3 * count)
        parts[0::3] = heads[:count]
        parts[1::3] = map(dumps, lines)
        breaks = _breaks_lines(batch.text)
        for offset, match in matches.items():
            encoded = self._matches.encode(match)
            parts[3 * offset + 2] = b',"match":%b}\n' % encoded
            # the entry's text, or a JSON body's `\u2028` decoded into the match's values
            breaks = breaks or any(raw in encoded for raw, _ in _LINE_BREAKING)
        data = b"".join(parts)
        self.out.write(_one_line(data) if breaks else data)

    def flush(self) -> None:
        self.out.flush()


_HEAD = b'{"line":%d,"text":\n'
_NULL_MATCH = b',"match":null}\n'
_LINE_BREAKING = (
    (b"\xc2\x85", b"\\u0085"),
    (b"\xe2\x80\xa8", b"\\u2028"),
    (b"\xe2\x80\xa9", b"\\u2029"),
)


def _breaks_lines(text: str) -> bool:
    # searching text is far cheaper than searching its UTF-8, whose many multi-byte
    # characters each start a candidate for the byte search
    return "\x85" in text or "\u2028" in text or "\u2029" in text


def _one_line(data: bytes) -> bytes:
    """Escape the characters that Python's `splitlines` (and old JavaScript) treat as line
    breaks, which JSON allows raw in strings: one object must stay one line for every reader."""
    for raw, escaped in _LINE_BREAKING:
        if raw in data:
            data = data.replace(raw, escaped)
    return data


def stops_connector(entry: Entry) -> bool:
    """A critical entry about an OAuth connection or token: every sync of it has stopped."""
    cause = entry.cause.casefold()
    return entry.severity is Severity.CRITICAL and ("oauth" in cause or "token" in cause)


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
        chunk = os.read(fd, CHUNK) if fd is not None else stream.read(CHUNK)
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
