"""Diagnosing a whole log from stdin, line by line, as it arrives.

Lines come from `text.reading` in batches; each batch is diagnosed by the matcher
and handed to a sink (JSON Lines or the compact human view, see `output`), which
writes as soon as the next read would block. Memory stays flat: only the current
chunk, the matcher's memory of message shapes and the per-entry tally are kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO

from junidiag.model import Summary
from junidiag.text.reading import read_batches

if TYPE_CHECKING:
    from junidiag.matching import Matcher
    from junidiag.output import Sink


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
