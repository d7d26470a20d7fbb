"""Diagnosing a whole log from stdin, line by line, as it arrives.

Lines come from `text.reading` in batches; each batch is diagnosed by the matcher
and handed to a sink (JSON Lines or the compact human view, see `output`), which
writes as soon as the next read would block. Memory stays flat: only the current
chunk, the matcher's memory of message shapes, the per-entry tally (with a fixed
number of timeline buckets, hour or day counts over at most a quarter, and its first
`EXAMPLES_KEPT` lines each) and at most `UNKNOWN_SHAPES_KEPT` shapes of unrecognised
error lines are kept.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from junidiag.model import Summary
from junidiag.text.reading import read_batches

if TYPE_CHECKING:
    from junidiag.matching import Matcher
    from junidiag.output import Sink


def run(
    stream: BinaryIO, matcher: Matcher, sink: Sink, *, unknown: bool = False, times: bool = False
) -> Summary:
    """Diagnose every line of `stream` into `sink`; Ctrl-C ends the run with what it has.

    Each batch of lines is first looked at as a whole for routine traffic (see
    `Matcher.first_matches`): those lines cannot match, and skip the per-line work.
    With `unknown`, the lines at an error level that matched nothing are counted by
    their number-blind shape (`Matcher.blind` of their message); with `times`, the
    timestamps of matched and unrecognised lines (and of each batch's first and last
    line, for the log's span) are read. Neither reads anything of the other lines.
    """
    if unknown or times:
        from junidiag.text.envelope import error_message
        from junidiag.text.timestamps import stamp_of
    summary = Summary()
    misses: list[int] | None = [] if unknown else None
    near: float | None = None  # a stamp of the log: the year of syslog's year-less ones
    try:
        for batch in read_batches(stream, _idle(stream, sink)):
            first = summary.lines + 1
            lines = batch.lines
            if misses is not None:
                misses.clear()
            matches = matcher.first_matches(lines, batch.utf8, misses)
            if times and lines:
                for line in (lines[0], lines[-1]):
                    stamp = stamp_of(line, near)
                    summary.place(stamp)
                    near = stamp.at if stamp is not None else near
            for offset, match in matches.items():
                line = lines[offset]
                summary.add(first + offset, match, stamp_of(line, near) if times else None, line)
            for offset in misses or ():
                line = lines[offset]
                message = error_message(line)
                if message is not None:
                    stamp = stamp_of(line, near) if times else None
                    summary.add_unknown(first + offset, matcher.blind(message), line, stamp)
            if summary.nonblank < 2:
                summary.read_nonblank(lines)
            summary.lines += len(lines)
            sink.batch(first, batch, matches)
    except KeyboardInterrupt:
        summary.interrupted = True
    sink.close()
    return summary


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
