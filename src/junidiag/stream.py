"""Diagnosing a whole log from stdin, line by line, as it arrives.

Input is read as bytes in large chunks and decoded with replacement (logs hold
broken bytes). Output is written as soon as the next read would block, so
`tail -f app.log | junidiag explain` answers at once, while a file streams
through in large writes. Memory stays flat: only the current chunk, a cache of
recent lines and the per-entry tally are kept.
"""

from __future__ import annotations

import os
import select
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, Protocol, TextIO

from junidiag.model import Entry, Match, Severity

CHUNK = 1 << 16
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
    """Where each diagnosed line goes (JSON Lines, or the compact human view)."""

    def line(self, number: int, text: str, match: Match | None) -> None: ...

    def flush(self) -> None: ...


def run(stream: BinaryIO, diagnose: Callable[[str], list[Match]], sink: Sink) -> Summary:
    """Diagnose every line of `stream` into `sink`; Ctrl-C ends the run with what it has."""
    summary = Summary()
    try:
        for number, text in enumerate(read_lines(stream, sink.flush), 1):
            found = diagnose(text)
            match = found[0] if found else None
            summary.lines = number
            if match is not None:
                summary.add(number, match)
            sink.line(number, text, match)
    except KeyboardInterrupt:
        summary.interrupted = True
    sink.flush()
    return summary


class JsonLinesSink:
    """One JSON object per input line (SPEC §1), written in large blocks."""

    def __init__(self, out: TextIO, limit: int = 256) -> None:
        self.out = out
        self.pending: list[str] = []
        self.limit = limit

    def line(self, number: int, text: str, match: Match | None) -> None:
        from junidiag.serialize import dumps, match_object

        found = match_object(match) if match is not None else None
        self.pending.append(dumps({"line": number, "text": text, "match": found}))
        if len(self.pending) >= self.limit:
            self.write()

    def write(self) -> None:
        if self.pending:
            self.out.write("\n".join(self.pending) + "\n")
            self.pending.clear()

    def flush(self) -> None:
        self.write()
        self.out.flush()


def stops_connector(entry: Entry) -> bool:
    """A critical entry about an OAuth connection or token: every sync of it has stopped."""
    cause = entry.cause.casefold()
    return entry.severity is Severity.CRITICAL and ("oauth" in cause or "token" in cause)


def read_lines(stream: BinaryIO, on_idle: Callable[[], None]) -> Iterator[str]:
    """Decoded lines of `stream` (any of \\n, \\r\\n, \\r ends a line), calling `on_idle`
    whenever no more input is ready, before waiting for it."""
    fd = _fileno(stream)
    carry = b""
    while True:
        if fd is not None and not _ready(fd):
            on_idle()
        chunk = os.read(fd, CHUNK) if fd is not None else stream.read(CHUNK)
        if not chunk:
            break
        pieces = (carry + chunk).splitlines(keepends=True)
        # An unfinished last line waits for the next read; so does one ending in \r,
        # which may be the first half of a \r\n split between two reads.
        carry = pieces.pop() if not pieces[-1].endswith(b"\n") else b""
        for piece in pieces:
            yield _decode(piece)
        if fd is None:
            on_idle()
    if carry:
        for piece in carry.splitlines() or [b""]:
            yield _decode(piece)


def _decode(piece: bytes) -> str:
    return piece.rstrip(b"\r\n").decode("utf-8", "replace")


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
