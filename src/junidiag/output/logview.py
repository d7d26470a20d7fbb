"""The human view of a log run: a compact line per matched line, then the summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text

from junidiag.model import Match
from junidiag.output.terminal import DIM, ID, LABEL, SEVERITY_STYLES, Terminal, untrusted
from junidiag.output.views import badge, shorten
from junidiag.text.safety import neutralise

if TYPE_CHECKING:
    from rich.console import RenderableType

    from junidiag.model import Summary
    from junidiag.text.reading import Batch

_ID_WIDTH = 28
"""Ids are padded to this in the log view so the matched texts line up (most are shorter)."""


class LogLines:
    """The compact view of a log run: one line per matched input line.

    Written straight to the console's file, styled once per severity, because a
    log can match tens of thousands of lines and Rich's layout per line would
    dominate the run.
    """

    def __init__(self, terminal: Terminal, show: bool) -> None:
        from rich.color import ColorSystem
        from rich.style import Style

        self.file = terminal.out.file
        self.show = show
        self.width = max(40, terminal.out.width)
        self.pending: list[str] = []
        systems = {
            "standard": ColorSystem.STANDARD,
            "256": ColorSystem.EIGHT_BIT,
            "truecolor": ColorSystem.TRUECOLOR,
            "windows": ColorSystem.WINDOWS,
        }
        system = systems.get(terminal.out.color_system or "")
        self.badges = {
            severity: Style.parse(style).render(
                f"{severity.value.upper():^10}", color_system=system
            )
            for severity, style in SEVERITY_STYLES.items()
        }
        self.id_style = Style.parse(ID)
        self.system = system

    def batch(self, first: int, batch: Batch, matches: dict[int, Match]) -> None:
        if not self.show:
            return
        for offset, match in matches.items():
            self.pending.append(self.line(first + offset, match))
        if len(self.pending) >= 256:
            self.write()

    def line(self, number: int, match: Match) -> str:
        entry_id = neutralise(match.id).ljust(_ID_WIDTH)
        styled_id = self.id_style.render(entry_id, color_system=self.system)
        room = self.width - len(entry_id) - 24
        shown = shorten(neutralise(match.matched_text), max(20, room))
        return f"{number:>8}  {self.badges[match.entry.severity]}  {styled_id}  {shown}"

    def write(self) -> None:
        if self.pending:
            self.file.write("\n".join(self.pending) + "\n")
            self.pending.clear()

    def flush(self) -> None:
        self.write()
        self.file.flush()


def summary_view(summary: Summary) -> Group:
    """The table of what a log run found, the seed's advice, and where to read more."""
    parts: list[RenderableType] = []
    if summary.interrupted:
        ended = "Terminated" if summary.terminated else "Interrupted"
        parts.append(
            Text(f"{ended} after {summary.lines:,} lines; summary so far:", style="bold yellow")
        )
    if not summary.tallies:
        parts.append(Text(f"No known error in {summary.lines:,} lines.", style="bold"))
        return Group(*parts)
    from rich.table import Table

    table = Table(title=None, header_style=LABEL, show_edge=False, pad_edge=False)
    table.add_column("ID", style=ID, no_wrap=True)
    table.add_column("Title", ratio=1)
    table.add_column("Count", justify="right")
    table.add_column("Severity", no_wrap=True)
    table.add_column("First", justify="right")
    table.add_column("Last", justify="right")
    for tally in summary.ranked():
        entry = tally.entry
        table.add_row(
            untrusted(entry.id),
            untrusted(entry.title),
            f"{tally.count:,}",
            badge(entry.severity),
            f"{tally.first:,}",
            f"{tally.last:,}",
        )
    kinds = len(summary.tallies)
    parts.append(
        Text(
            f"{summary.matched:,} of {summary.lines:,} lines matched {kinds} known "
            f"error{'s' if kinds != 1 else ''}:",
            style="bold",
        )
    )
    parts.append(table)
    for note in summary.advice():
        parts.append(Text.assemble(("→ ", "bold"), untrusted(note)))
    top = [t.entry.id for t in summary.ranked()[:3]]
    hint = Text("More: ", style=DIM)
    for number, entry_id in enumerate(top):
        if number:
            hint.append("  ·  ", style=DIM)
        hint.append(f"junidiag show {neutralise(entry_id)}", style="bold")
    parts.append(hint)
    return Group(*parts)
