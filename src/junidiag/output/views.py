"""The human sink: Rich renderables for entries, matches, lists and log summaries.

Only this module touches Rich. One `Terminal` owns the two consoles (stdout for
results, stderr for messages to people) and the styles; every piece of text that
junidiag did not write goes through `safety.neutralise` into a `Text`, never
through markup.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, Literal

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.panel import Panel
from rich.text import Text

from junidiag.model import Entry, Match, Severity
from junidiag.text import languages
from junidiag.text.safety import neutralise

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

    from junidiag.model import Summary
    from junidiag.text.reading import Batch

ColorMode = Literal["auto", "always", "never"]

SEVERITY_STYLES = {
    Severity.CRITICAL: "bold white on red",
    Severity.ERROR: "bold red",
    Severity.WARNING: "bold yellow",
    Severity.INFO: "bold cyan",
}
BASIS_NAMES = {
    "exact": "the message itself",
    "fuzzy": "a close copy of the message",
    "symptom": "the description of the problem",
}
_ID_WIDTH = 28
"""Ids are padded to this in the log view so the matched texts line up (most are shorter)."""
_LABEL = "bold"
_DIM = "dim"
_ID = "bold cyan"


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """Rich exits 1 when the reader goes away; the CLI decides the exit code instead."""
        self.quiet = True
        raise BrokenPipeError


def make_console(file: IO[str] | None, color: ColorMode) -> Console:
    """A console that interprets no markup, emoji or highlighting in what it prints."""
    options: dict[str, object] = {
        "file": file,
        "markup": False,
        "emoji": False,
        "highlight": False,
        "soft_wrap": False,
    }
    if color == "always":
        options["force_terminal"] = True
        options["color_system"] = "standard" if not os.environ.get("COLORTERM") else "truecolor"
    elif color == "never":
        options["no_color"] = True
        options["color_system"] = None
    console = _Console(**options)  # type: ignore[arg-type]
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 100  # a pipe has no width; 100 keeps panels readable in a pager or file
    return console


class Terminal:
    """Where output goes: results on `out`, messages for people on `err`."""

    def __init__(self, out: Console, color: ColorMode = "auto") -> None:
        self.out = out
        self.color = color
        self._err: Console | None = None

    @classmethod
    def create(cls, color: ColorMode = "auto") -> Terminal:
        return cls(make_console(sys.stdout, color), color)

    @property
    def err(self) -> Console:
        """Made on first use: most runs never write to stderr."""
        if self._err is None:
            self._err = make_console(sys.stderr, self.color)
        return self._err

    def print(self, *renderables: RenderableType) -> None:
        self.out.print(*renderables)

    def error(self, message: str) -> None:
        """One line for a person, on stderr: `junidiag: error: …`."""
        line = Text("junidiag: ", style=_DIM)
        line.append("error: ", style="bold red")
        line.append(neutralise(message))
        self.err.print(line, soft_wrap=True)  # one line, however long: it names a file

    def note(self, message: str) -> None:
        self.err.print(Text(neutralise(message), style=_DIM), soft_wrap=True)


# --- pieces --------------------------------------------------------------------------


def untrusted(text: str, style: str = "") -> Text:
    """Text from outside (input, logs, user catalogs): control characters made visible."""
    return Text(neutralise(text), style=style)


def badge(severity: Severity) -> Text:
    return Text(f" {severity.value.upper()} ", style=SEVERITY_STYLES[severity])


def header(entry: Entry) -> Panel:
    top = Text.assemble(badge(entry.severity), " ", untrusted(entry.id, _ID))
    title = untrusted(entry.title, "bold")
    systems = Text.assemble(("Systems  ", _DIM), untrusted(" · ".join(entry.systems)))
    return Panel(Group(top, title, systems), expand=True, padding=(0, 1))


def section(title: str, body: RenderableType) -> Panel:
    return Panel(body, title=Text(title, style=_LABEL), title_align="left", padding=(0, 1))


class Hanging:
    """Rows of a label and a value that wraps under itself (a hanging indent).

    What a two-column grid table would draw, for the label/value rows, numbered
    steps and bullets of `explain` and `show` — without importing `rich.table`,
    which alone costs more start-up time (~4.5 ms) than those commands can spare.
    """

    def __init__(self, rows: Iterable[tuple[Text, Text]], gap: int = 1) -> None:
        self.rows = list(rows)
        self.gap = gap

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = max((label.cell_len for label, _ in self.rows), default=0) + self.gap
        room = max(10, options.max_width - indent)
        out = Text(no_wrap=True)
        for number, (label, value) in enumerate(self.rows):
            lines = value.wrap(console, room) if value.plain else [Text()]
            for index, line in enumerate(lines):
                if number or index:
                    out.append("\n")
                out.append_text(label if index == 0 else Text())
                out.append(" " * (indent - (label.cell_len if index == 0 else 0)))
                out.append_text(line)
        yield out


def steps(solution: Sequence[str]) -> Hanging:
    return Hanging((Text(f"{n}.", style=_LABEL), untrusted(s)) for n, s in enumerate(solution, 1))


def fields(rows: Iterable[tuple[str, Text]]) -> Hanging:
    return Hanging(((Text(label, style=_LABEL), value) for label, value in rows), gap=2)


def _bullets(items: Sequence[str]) -> Hanging:
    return Hanging((Text("•", style=_DIM), untrusted(item)) for item in items)


def id_list(ids: Iterable[str]) -> Text:
    text = Text()
    for number, entry_id in enumerate(ids):
        if number:
            text.append("  ·  ", style=_DIM)
        text.append(neutralise(entry_id), style=_ID)
    return text


# --- explain -------------------------------------------------------------------------


def match_view(match: Match, runners_up: Sequence[Match]) -> Group:
    """A match as panels: header, what was recognised, why, how to fix, related, confidence."""
    entry = match.entry
    recognised: list[tuple[str, Text]] = [("Matched", untrusted(match.matched_text))]
    if match.message is not None and match.message.text != match.matched_text:
        recognised.append(("Message", untrusted(match.message.text, _DIM)))
    for number, (name, value) in enumerate(match.variables.items()):
        assignment = Text.assemble(untrusted(name, _DIM), " = ", untrusted(value, "bold"))
        recognised.append(("Values" if number == 0 else "", assignment))
    if match.translation:
        recognised.append(("Translation", untrusted(match.translation, "italic")))
    language = languages.name_of(match.language)
    recognised.append(("Language", Text(language)))
    confidence = Text.assemble((f"{match.score}", "bold"), f"/100, from {BASIS_NAMES[match.basis]}")
    recognised.append(("Confidence", confidence))
    parts: list[RenderableType] = [
        header(entry),
        fields(recognised),
        section("Why", untrusted(entry.cause)),
        section("Fix", steps(entry.solution)),
    ]
    tail: list[tuple[str, Text]] = []
    if entry.related:
        tail.append(("Related", id_list(entry.related)))
    if runners_up:
        also = Text()
        for number, other in enumerate(runners_up):
            if number:
                also.append("  ·  ", style=_DIM)
            also.append(neutralise(other.id), style=_ID)
            also.append(f" ({other.score})", style=_DIM)
        tail.append(("Also possible", also))
    if tail:
        parts.append(fields(tail))
    return Group(*parts)


def no_match_view(text: str, suggestions: Sequence[Match]) -> Group:
    parts: list[RenderableType] = [
        Text.assemble(
            ("No confident match", "bold"), " for ", untrusted(_shorten(text, 120), "italic")
        )
    ]
    if suggestions:
        parts.append(Text("Nearest entries, none of them a confident match:", style=_DIM))
        rows = []
        for match in suggestions:
            score = Text(f"{match.score:>3}  ", style=_DIM)
            rows.append((untrusted(match.id, _ID), score + untrusted(match.entry.title)))
        parts.append(Hanging(rows, gap=2))
    parts.append(
        Text(
            "Try the exact error text from the log, or describe what you see in a sentence.",
            style=_DIM,
        )
    )
    return Group(*parts)


# --- show and list -------------------------------------------------------------------


def entry_view(entry: Entry) -> Group:
    """The whole entry, as `show` prints it."""
    parts: list[RenderableType] = [header(entry)]
    if entry.messages:
        rows = []
        for message in entry.messages:
            rows.append((Text(message.lang, style=_DIM), untrusted(message.text, "bold")))
            if message.translation:
                rows.append((Text(), untrusted(message.translation, "italic")))
        parts.append(section("Messages", Hanging(rows, gap=2)))
    parts.append(section("Why", untrusted(entry.cause)))
    parts.append(section("Fix", steps(entry.solution)))
    parts.append(section("How people describe it", _bullets(entry.symptoms)))
    parts.append(section("Examples", _bullets(entry.examples)))
    footer: list[tuple[str, Text]] = []
    if entry.related:
        footer.append(("Related", id_list(entry.related)))
    footer.append(("Kind", Text(entry.kind.value)))
    if entry.source != "bundled":
        footer.append(("Source", untrusted(entry.path or entry.source)))
    parts.append(fields(footer))
    return Group(*parts)


def entry_table(entries: Sequence[Entry], show_source: bool) -> Table:
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False, expand=True, header_style=_LABEL)
    table.add_column("ID", style=_ID, no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Title", ratio=3)
    table.add_column("Systems", ratio=2)
    if show_source:
        table.add_column("Source")
    for entry in entries:
        row = [untrusted(entry.id), badge(entry.severity), untrusted(entry.title)]
        row.append(untrusted(", ".join(entry.systems)))
        if show_source:
            row.append(untrusted(entry.source))
        table.add_row(*row)
    return table


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# --- a log on stdin ------------------------------------------------------------------


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
        self.id_style = Style.parse(_ID)
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
        shown = _shorten(neutralise(match.matched_text), max(20, room))
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
        parts.append(
            Text(f"Interrupted after {summary.lines:,} lines; summary so far:", style="bold yellow")
        )
    if not summary.tallies:
        parts.append(Text(f"No known error in {summary.lines:,} lines.", style="bold"))
        return Group(*parts)
    from rich.table import Table

    table = Table(title=None, header_style=_LABEL, show_edge=False, pad_edge=False)
    table.add_column("ID", style=_ID, no_wrap=True)
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
    hint = Text("More: ", style=_DIM)
    for number, entry_id in enumerate(top):
        if number:
            hint.append("  ·  ", style=_DIM)
        hint.append(f"junidiag show {neutralise(entry_id)}", style="bold")
    parts.append(hint)
    return Group(*parts)
