"""The human view of a log run: a compact line per matched line, then the summary."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text

from junidiag.model import UNKNOWN_SHAPES_KEPT, Match, Severity
from junidiag.output.fitting import Column, fitted, left_out_note
from junidiag.output.terminal import DIM, ID, LABEL, SEVERITY_STYLES, Terminal, untrusted
from junidiag.output.views import badge, shorten, titled
from junidiag.text.safety import neutralise

if TYPE_CHECKING:
    from rich.console import RenderableType

    from junidiag.model import Stamp, Summary
    from junidiag.text.reading import Batch

_ID_WIDTH = 28
"""Ids are padded to this in the log view so the matched texts line up (most are shorter)."""


class LogLines:
    """The compact view of a log run: one line per matched input line.

    Written straight to the console's file, styled once per severity, because a
    log can match tens of thousands of lines and Rich's layout per line would
    dominate the run. With `hold_single`, a log of one non-blank line keeps its
    line back at the end of input (see `close`): it gets the whole explanation.
    """

    def __init__(self, terminal: Terminal, show: bool, hold_single: bool = False) -> None:
        from rich.color import ColorSystem
        from rich.style import Style

        self.file = terminal.out.file
        self.show = show
        self.width = max(20, terminal.out.width)
        self.pending: list[str] = []
        self.hold_single = hold_single
        self.nonblank = 0
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
        if self.hold_single and self.nonblank < 2:
            self.nonblank += sum(1 for line in batch.lines[:2] if line.strip())
            if self.nonblank < 2:
                self.nonblank += sum(1 for line in batch.lines[2:] if line.strip())
        for offset, match in matches.items():
            self.pending.append(self.line(first + offset, match))
        if len(self.pending) >= 256:
            self.write()

    def line(self, number: int, match: Match) -> str:
        if self.width < _WIDE:
            return self.narrow_line(number, match)
        entry_id = neutralise(match.id).ljust(_ID_WIDTH)
        styled_id = self.id_style.render(entry_id, color_system=self.system)
        room = self.width - len(entry_id) - 24
        shown = shorten(neutralise(match.matched_text), max(20, room))
        return f"{number:>8}  {self.badges[match.entry.severity]}  {styled_id}  {shown}"

    def narrow_line(self, number: int, match: Match) -> str:
        """A compact line in a narrow terminal: the id unpadded, the matched text in what
        room is left (none below a dozen characters), never wider than the terminal."""
        entry_id = neutralise(match.id)
        styled_id = self.id_style.render(entry_id, color_system=self.system)
        head = f"{number:>6} {self.badges[match.entry.severity]} {styled_id}"
        room = self.width - 6 - 1 - 10 - 1 - len(entry_id) - 2
        if room < 12:
            return head
        return f"{head}  {shorten(neutralise(match.matched_text), room)}"

    def write(self) -> None:
        if self.pending:
            self.file.write("\n".join(self.pending) + "\n")
            self.pending.clear()

    def flush(self) -> None:
        self.write()
        self.file.flush()

    def close(self) -> None:
        if self.hold_single and self.nonblank == 1:
            self.pending.clear()  # the one line gets its whole explanation instead
        self.flush()


_WIDE = 80
"""At this width and above, compact lines pad their ids so the matched texts line up."""


def summary_view(summary: Summary, width: int = 100) -> Group:
    """What a log run found: the table of known errors (with each one's timeline when
    lines carry times), the seed's advice, and the error lines nothing recognised."""
    parts: list[RenderableType] = []
    if summary.interrupted:
        ended = "Terminated" if summary.terminated else "Interrupted"
        parts.append(
            Text(f"{ended} after {_lines(summary.lines)}; summary so far:", style="bold yellow")
        )
    parts.append(Text(_headline(summary), style="bold"))
    if summary.tallies:
        table, left_out = fitted(_known_columns(summary), width, head=("ID", "Severity"))
        parts.append(table)
        if left_out:
            parts.append(left_out_note(left_out, width))
        if summary.spans_time():
            parts.append(timeline_view(summary, width))
        for note in summary.advice():
            parts.append(Text.assemble(("→ ", "bold"), untrusted(note)))
    if summary.unknown_lines:
        parts.extend(_unknown_view(summary, width))
    return Group(*parts)


def summary_commands(summary: Summary) -> list[Text]:
    """The commands a summary points to, each printed on one line however narrow the
    terminal (so it can be copied whole): drafting an entry for the most frequent
    unrecognised line, and showing the entries found."""
    commands: list[Text] = []
    unknown = summary.unknown_ranked()
    if unknown:
        command = draft_command(unknown[0].example)
        what = "it" if len(unknown) == 1 else "the most frequent"
        commands.append(
            Text.assemble(("→ ", "bold"), f"Draft an entry for {what}: ", (command, "bold"))
        )
    top = [t.entry.id for t in summary.ranked()[:3]]
    if top:
        hint = Text("More: ", style=DIM)
        for number, entry_id in enumerate(top):
            if number:
                hint.append("  ·  ", style=DIM)
            hint.append(f"junidiag show {neutralise(entry_id)}", style="bold")
        commands.append(hint)
    return commands


def draft_command(line: str) -> str:
    """`junidiag catalog new MY_ERROR --from '<line>'`, the line made safe to show
    (`neutralise`) and quoted for a POSIX shell."""
    import shlex

    return f"junidiag catalog new MY_ERROR --from {shlex.quote(neutralise(line.strip()))}"


def _lines(count: int) -> str:
    return f"{count:,} line{'' if count == 1 else 's'}"


def _headline(summary: Summary) -> str:
    kinds = len(summary.tallies)
    unknown = summary.unknown_lines
    if kinds:
        said = (
            f"{summary.matched:,} of {_lines(summary.lines)} matched {kinds} known "
            f"error{'s' if kinds != 1 else ''}"
        )
    else:
        said = f"No known error in {_lines(summary.lines)}"
    if unknown:
        said += f"; {unknown:,} error line{' matched' if unknown == 1 else 's matched'} nothing"
    return said + (":" if kinds or unknown else ".")


def _when(summary: Summary, stamp: Stamp | None, number: int, whole: bool = False) -> Text:
    """First or last: the time when lines carry one (the date too when the log spans
    days; its year only when `whole` or when it spans more than a year), else the line
    number."""
    if stamp is None:
        return Text(f"line {number:,}" if summary.earliest is not None else f"{number:,}")
    if summary.one_day() and stamp.time and not whole:
        return untrusted(stamp.time)
    date = stamp.date
    if not whole and _YEAR_DATE.match(date) and _span(summary) < _YEAR:
        date = date[5:]  # 12-31: the timeline's heading names the years
    return untrusted(f"{date} {stamp.time}".strip())


_YEAR_DATE = re.compile(r"\d{4}-")
_YEAR = 365 * 86400


def _span(summary: Summary) -> float:
    if summary.earliest is None or summary.latest is None:
        return 0.0
    return summary.latest.at - summary.earliest.at


def _known_columns(summary: Summary) -> list[Column]:
    ranked = summary.ranked()
    return [
        Column("ID", [untrusted(t.entry.id, ID) for t in ranked], wraps=False),
        Column("Title", [titled(t.entry) for t in ranked], minimum=12, ratio=4),
        Column("Count", [Text(f"{t.count:,}") for t in ranked], wraps=False, justify="right",
               label="Count  "),
        Column("Severity", [badge(t.entry.severity) for t in ranked], wraps=False),
        Column("First", [_when(summary, t.first_at, t.first) for t in ranked], minimum=8,
               justify="right", drop=2, label="First  ", ratio=0),
        Column("Last", [_when(summary, t.last_at, t.last) for t in ranked], minimum=8,
               justify="right", drop=1, label="Last   ", ratio=0),
    ]  # fmt: skip


_MARK_STYLES = {
    Severity.CRITICAL: "bold red",
    Severity.ERROR: "red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
}
_MARKS = " ▁▂▃▄▅▆▇█"
"""A timeline's marks: none, then eighths of its busiest step."""
TIMELINE_COLUMNS = 48


def sparkline(counts: list[int]) -> str:
    """One mark per step: its count as an eighth of the busiest step (any line at all
    shows), a space where there was none."""
    top = max(counts, default=0)
    if not top:
        return " " * len(counts)
    return "".join(_MARKS[-(-8 * count // top)] if count else " " for count in counts)


def timeline_view(summary: Summary, width: int) -> Group:
    """Each entry's lines over the log's span, one line each, under a line naming the span
    and what one mark stands for."""
    assert summary.earliest is not None and summary.latest is not None
    ranked = summary.ranked()
    label = max(len(t.entry.id) for t in ranked)
    columns = min(TIMELINE_COLUMNS, width - label - 2)
    beside = columns >= 12
    if not beside:
        label, columns = 0, min(TIMELINE_COLUMNS, width - 2)
    seconds = summary.latest.at - summary.earliest.at
    start = _when(summary, summary.earliest, 0, whole=True).plain
    end = _when(summary, summary.latest, 0, whole=not summary.one_day()).plain
    head = Text.assemble(
        ("Timeline".ljust(label + 2) if beside else "Timeline ", LABEL),
        untrusted(f"{start} → {end}"),
        (f", one mark ≈ {_duration(seconds / columns)}", DIM),
    )
    rows: list[RenderableType] = [head]
    for tally in ranked:
        marks = Text(
            sparkline(summary.timeline(tally, columns)), style=_MARK_STYLES[tally.entry.severity]
        )
        if beside:
            rows.append(Text.assemble(untrusted(tally.entry.id.ljust(label), ID), "  ", marks))
        else:
            rows.append(untrusted(tally.entry.id, ID))
            rows.append(Text.assemble("  ", marks))
    return Group(*rows)


def _duration(seconds: float) -> str:
    for unit, size in (("day", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            value = seconds / size
            shown = f"{value:.0f}" if value >= 10 else f"{value:.1f}".rstrip("0").rstrip(".")
            return f"{shown} {unit}{'s' if unit == 'day' and shown != '1' else ''}"
    return f"{max(seconds, 1):.0f} s"


UNKNOWN_SHOWN = 5
"""Kinds of unrecognised error lines listed in the summary; the rest are counted."""


def _unknown_view(summary: Summary, width: int) -> list[RenderableType]:
    ranked = summary.unknown_ranked()
    shown = ranked[:UNKNOWN_SHOWN]
    kinds = len(ranked)
    parts: list[RenderableType] = [
        Text(
            f"Error lines nothing recognised ({_kinds(kinds, summary)}), by shape:",
            style="bold",
        )
    ]
    columns = [
        Column("Count", [Text(f"{u.count:,}") for u in shown], wraps=False, justify="right"),
        Column("First", [_when(summary, u.first_at, u.first) for u in shown], minimum=8,
               justify="right", drop=2, label="First  ", ratio=0),
        Column("Last", [_when(summary, u.last_at, u.last) for u in shown], minimum=8,
               justify="right", drop=1, label="Last   ", ratio=0),
        Column("Example", [untrusted(shorten(u.example, 200)) for u in shown], minimum=20,
               ratio=4),
    ]  # fmt: skip
    table, left_out = fitted(columns, width, head=("Count",))
    parts.append(table)
    if left_out:
        parts.append(left_out_note(left_out, width))
    rest = summary.unknown_lines - sum(u.count for u in shown)
    if rest:
        more = kinds - len(shown)
        others = f"{more:,} more shape{'s' if more != 1 else ''}" if more else "more shapes"
        parts.append(Text(f"… and {_lines(rest)} of {others}.", style=DIM))
    return parts


def _kinds(kinds: int, summary: Summary) -> str:
    counted = f"{_lines(summary.unknown_lines)}, {kinds:,} shape{'s' if kinds != 1 else ''}"
    if len(summary.unknown) >= UNKNOWN_SHAPES_KEPT:
        counted += f" kept apart, the first {UNKNOWN_SHAPES_KEPT:,}"
    return counted
