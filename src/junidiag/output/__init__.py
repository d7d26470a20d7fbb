"""Output: the sinks results are handed to — Rich views for people, JSON for scripts,
Markdown for tickets, an HTML report of a log to send.

The only package that imports Rich. `present.Output` is the one object commands
hand results to; `document` says what an explanation or an entry shows, which
`views` (Rich panels) and `markdown` draw; `logview` is the compact view of a log
run; `terminal` owns the consoles and styles; `jsonout` writes the JSON of SPEC §1;
`report` writes a log run's self-contained HTML triage report (no Rich).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from junidiag.model import Match
    from junidiag.text.reading import Batch


class Format(StrEnum):
    """What a command writes: text for people, JSON for scripts, Markdown for tickets,
    HTML for a log's triage report to send."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"


class Sink(Protocol):
    """Where each batch of a log's diagnosed lines goes (JSON Lines, or the compact view)."""

    def batch(self, first: int, batch: Batch, matches: dict[int, Match]) -> None:
        """Lines `first`, `first + 1`, …; `matches` holds the matched ones by offset."""

    def flush(self) -> None:
        """Write what is held: the next read would block (or the run is over)."""

    def close(self) -> None:
        """The input has ended: write what is held, unless the sink decides otherwise
        (the compact view holds back a log's one line, which gets a whole explanation)."""


class Unwritten:
    """A log run's sink that writes nothing per line: the run ends in a report (written
    from the summary), or `-q` asked for no output at all."""

    def batch(self, first: int, batch: Batch, matches: dict[int, Match]) -> None:
        pass

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass
