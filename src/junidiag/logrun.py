"""Diagnosing a whole log from stdin, line by line, as it arrives.

Lines come from `text.reading` in batches; each batch is diagnosed by the matcher
and handed to a sink (JSON Lines or the compact human view, see `output`), which
writes as soon as the next read would block. Memory stays flat: only the current
chunk, the matcher's memory of message shapes, the per-entry tally (with a fixed
number of timeline buckets, hour or day counts over at most a quarter, and its first
`EXAMPLES_KEPT` lines each) and at most `UNKNOWN_SHAPES_KEPT` shapes of unrecognised
error lines are kept.

Ctrl-C (SIGINT) and SIGTERM end a run with what it has: a batch being written is
written to its end first, so the output stops on a whole line, never inside a JSON
object, however slowly the reader takes it.
"""

from __future__ import annotations

import os
import signal
import stat
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, BinaryIO

from junidiag.model import Summary
from junidiag.text.reading import read_batches

if TYPE_CHECKING:
    from junidiag.matching import Matcher
    from junidiag.model import Match, Stamp
    from junidiag.output import Sink
    from junidiag.text.reading import Batch


def run(
    stream: BinaryIO, matcher: Matcher, sink: Sink, *, unknown: bool = False, times: bool = False
) -> Summary:
    """Diagnose every line of `stream` into `sink`; Ctrl-C or SIGTERM ends the run with
    what it has (`Summary.interrupted`, and `terminated` for SIGTERM).

    Each batch of lines is first looked at as a whole for routine traffic (see
    `Matcher.first_matches`): those lines cannot match, and skip the per-line work.
    With `unknown`, the lines at an error level that matched nothing are counted by
    their number-blind shape (`Matcher.blind` of their message); with `times`, the
    timestamps of matched and unrecognised lines (and of each batch's first and last
    line, for the log's span) are read. Neither reads anything of the other lines.
    """
    summary = Summary()
    reader = _Reader(matcher, summary, unknown=unknown, times=times)
    idle = _idle(stream, sink)
    with _Stop() as stop:
        try:
            for batch in read_batches(stream, lambda: stop.shielded(idle)):
                matches, unrecognised = reader.diagnose(batch)
                stop.shielded(partial(reader.record, sink, batch, matches, unrecognised))
        except KeyboardInterrupt:
            summary.interrupted = True
        summary.terminated = stop.received == signal.SIGTERM
        stop.shielded(sink.close, then_stop=False)
    return summary


class _Reader:
    """Diagnoses each batch and counts it into the summary: matches, unrecognised error
    lines (with `unknown`) and the times lines carry (with `times`)."""

    def __init__(self, matcher: Matcher, summary: Summary, *, unknown: bool, times: bool) -> None:
        self.matcher = matcher
        self.summary = summary
        self.unknown = unknown
        self.times = times
        self.near: float | None = None  # a stamp of the log: the year of syslog's year-less ones
        if unknown or times:
            from junidiag.text.envelope import error_message
            from junidiag.text.timestamps import stamp_of

            self.error_message = error_message
            self.stamp_of = stamp_of

    def diagnose(self, batch: Batch) -> tuple[dict[int, Match], list[int]]:
        """The batch's matches by offset, and the offsets of lines that matched nothing
        (with `unknown`; else none)."""
        misses: list[int] | None = [] if self.unknown else None
        matches = self.matcher.first_matches(batch.lines, batch.utf8, misses)
        return matches, misses or []

    def record(
        self, sink: Sink, batch: Batch, matches: dict[int, Match], unrecognised: list[int]
    ) -> None:
        """Count a diagnosed batch and hand it to the sink: both, or (interrupted) neither."""
        summary, lines = self.summary, batch.lines
        first = summary.lines + 1
        if self.times and lines:
            for line in (lines[0], lines[-1]):
                summary.place(self._stamp(line))
        for offset, match in matches.items():
            line = lines[offset]
            summary.add(first + offset, match, self._stamp(line) if self.times else None, line)
        for offset in unrecognised:
            self._unknown(first + offset, lines[offset])
        if summary.nonblank < 2:
            summary.read_nonblank(lines)
        summary.lines += len(lines)
        sink.batch(first, batch, matches)

    def _unknown(self, number: int, line: str) -> None:
        message = self.error_message(line)
        if message is not None:
            stamp = self._stamp(line) if self.times else None
            self.summary.add_unknown(number, self.matcher.blind(message), line, stamp)

    def _stamp(self, line: str) -> Stamp | None:
        stamp = self.stamp_of(line, self.near)
        if stamp is not None:
            self.near = stamp.at
        return stamp


def log_name(stream: BinaryIO) -> str | None:
    """The name of the file a log is read from when stdin is one (`junidiag explain <
    sync.log`), for a report's header: the file's name, not the directories it sits in
    (the report is sent to others). None for a pipe, a terminal or an in-memory stream,
    or where the system does not say (no `/proc`)."""
    try:
        fd = stream.fileno()
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        path = Path(f"/proc/self/fd/{fd}").readlink()
    except (AttributeError, OSError, ValueError):
        return None
    if not path.is_absolute() or path.name.endswith(" (deleted)"):
        return None
    return path.name


def _idle(stream: BinaryIO, sink: Sink) -> Callable[[], None]:
    """What to do when the next read would block: flush the sink. A stream without a
    file descriptor (an in-memory one: a test's, a library caller's) cannot be waited
    on, so it never blocks: it is written as it fills and at its end, as a file is."""
    try:
        stream.fileno()
    except (AttributeError, OSError, ValueError):
        return _nothing
    return sink.flush


def _nothing() -> None:
    pass


class _Stop:
    """SIGINT and SIGTERM while a run lasts: raised as KeyboardInterrupt at once, except
    while a batch is being counted and written, which is finished first (a second
    signal then does not wait: someone insists)."""

    def __init__(self) -> None:
        self.received: int | None = None
        self.writing = False
        self.previous: dict[int, object] = {}

    def __enter__(self) -> _Stop:
        for number in (signal.SIGINT, signal.SIGTERM):
            try:
                self.previous[number] = signal.signal(number, self.handle)
            except ValueError:  # not the main thread (an embedding program's worker)
                break
        return self

    def __exit__(self, *exc: object) -> None:
        for number, handler in self.previous.items():
            signal.signal(number, handler)  # type: ignore[arg-type]

    def handle(self, number: int, frame: FrameType | None) -> None:
        first = self.received is None
        if first:
            self.received = number
        if self.writing and first:
            return
        raise KeyboardInterrupt

    def shielded(self, write: Callable[[], None], then_stop: bool = True) -> None:
        """Run `write` to its end whatever signal arrives meanwhile, then stop if one did."""
        self.writing = True
        try:
            write()
        finally:
            self.writing = False
        if then_stop and self.received is not None:
            raise KeyboardInterrupt
