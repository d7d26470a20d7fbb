"""Diagnosing a whole log from stdin, line by line, as it arrives.

Lines come from `text.reading` in batches; each batch is diagnosed by the matcher
and handed to a sink (JSON Lines or the compact human view, see `output`), which
writes as soon as the next read would block. Memory stays flat: only the current
chunk, the matcher's memory of message shapes and the per-entry tally are kept.

Ctrl-C (SIGINT) and SIGTERM end a run with what it has: a batch being written is
written to its end first, so the output stops on a whole line, never inside a JSON
object, however slowly the reader takes it.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from functools import partial
from types import FrameType
from typing import TYPE_CHECKING, BinaryIO

from junidiag.model import Summary
from junidiag.text.reading import read_batches

if TYPE_CHECKING:
    from junidiag.matching import Matcher
    from junidiag.model import Match
    from junidiag.output import Sink
    from junidiag.text.reading import Batch


def run(stream: BinaryIO, matcher: Matcher, sink: Sink) -> Summary:
    """Diagnose every line of `stream` into `sink`; Ctrl-C or SIGTERM ends the run with
    what it has (`Summary.interrupted`, and `terminated` for SIGTERM).

    Each batch of lines is first looked at as a whole for routine traffic (see
    `Matcher.first_matches`): those lines cannot match, and skip the per-line work.
    """
    summary = Summary()
    with _Stop() as stop:
        try:
            for batch in read_batches(stream, lambda: stop.shielded(sink.flush)):
                matches = matcher.first_matches(batch.lines, batch.utf8)
                stop.shielded(partial(_record, summary, sink, batch, matches))
        except KeyboardInterrupt:
            summary.interrupted = True
        summary.terminated = stop.received == signal.SIGTERM
        stop.shielded(sink.flush, then_stop=False)
    return summary


def _record(summary: Summary, sink: Sink, batch: Batch, matches: dict[int, Match]) -> None:
    """Count a diagnosed batch and hand it to the sink: both, or (interrupted) neither."""
    first = summary.lines + 1
    for offset, match in matches.items():
        summary.add(first + offset, match)
    summary.lines += len(batch.lines)
    sink.batch(first, batch, matches)


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
