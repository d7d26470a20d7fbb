"""Rich renderables for explanations, entries and lists: the panels people read.

Explanations and entries are drawn from their blocks (`document`), the same blocks
the Markdown is written from. Every piece of text junidiag did not write goes
through `safety.neutralise` into a `Text`, never through markup.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.panel import Panel
from rich.text import Text

from junidiag.model import Entry, Match, Severity, draft_fields
from junidiag.output.document import (
    GOOD_NEWS,
    Block,
    Fields,
    Header,
    Span,
    draft_note,
    entry_document,
    explanation,
)
from junidiag.output.terminal import DIM as _DIM
from junidiag.output.terminal import DRAFT_STYLE, SEVERITY_STYLES, untrusted
from junidiag.output.terminal import ID as _ID
from junidiag.output.terminal import LABEL as _LABEL
from junidiag.text.safety import neutralise

if TYPE_CHECKING:
    from rich.console import RenderableType


def badge(severity: Severity) -> Text:
    return Text(f" {severity.value.upper()} ", style=SEVERITY_STYLES[severity])


def header(entry: Entry) -> Panel:
    top = Text.assemble(badge(entry.severity), " ", untrusted(entry.id, _ID))
    title = untrusted(entry.title, "bold")
    systems = Text.assemble(("Systems  ", _DIM), untrusted(" · ".join(entry.systems)))
    lines = [top, title, systems]
    todo = draft_fields(entry)
    if todo:
        top.append_text(Text.assemble("  ", (" DRAFT ", DRAFT_STYLE)))
        lines.append(Text(f"Draft: {draft_note(todo)}", style="yellow"))
    return Panel(Group(*lines), expand=True, padding=(0, 1))


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


# --- explanations and entries, drawn from their blocks (see `document`) --------------

_ROLE_STYLES = {"plain": "", "dim": _DIM, "bold": "bold", "italic": "italic", "id": _ID, "code": ""}


def spans(parts: Iterable[Span]) -> Text:
    """Spans of text from outside, each neutralised, styled by its role."""
    text = Text()
    for part, role in parts:
        text.append(neutralise(part), style=_ROLE_STYLES[role])
    return text


def draw(blocks: Sequence[Block]) -> Group:
    """The panels of an explanation or an entry (see `document`)."""
    return Group(*(_drawn(block) for block in blocks))


def _drawn(block: Block) -> RenderableType:
    if isinstance(block, Header):
        return header(block.entry)
    if isinstance(block, Fields):
        return fields((label, spans(value)) for label, value in block.rows)
    body: RenderableType
    if block.steps:
        body = steps(block.steps)
    elif block.bullets:
        body = _bullets(block.bullets)
    elif block.rows:
        body = Hanging(((Text(label, style=_DIM), spans(value)) for label, value in block.rows), 2)
    else:
        body = untrusted(block.paragraph)
    return section(block.title, body)


def match_view(match: Match, runners_up: Sequence[Match]) -> Group:
    """A match as panels: header, what was recognised, why, how to fix, related, confidence."""
    return draw(explanation(match, runners_up))


def no_match_view(text: str, suggestions: Sequence[Match], good_news: bool = False) -> Group:
    parts: list[RenderableType] = [
        Text.assemble(
            ("No confident match", "bold"), " for ", untrusted(shorten(text, 120), "italic")
        )
    ]
    if suggestions:
        parts.append(Text("Nearest entries, none of them a confident match:", style=_DIM))
        rows = []
        for match in suggestions:
            score = Text(f"{match.score:>3}  ", style=_DIM)
            rows.append((untrusted(match.id, _ID), score + untrusted(match.entry.title)))
        parts.append(Hanging(rows, gap=2))
    if good_news:
        parts.append(untrusted(GOOD_NEWS, _DIM))
        return Group(*parts)
    word = next((w for w in text.split()[:50] if 5 <= len(w) <= 30 and w.isalpha()), "")
    hints = [
        "Try the exact error text from the log, or describe what you see in a sentence.",
        f"Search the catalog: junidiag list --search {shlex.quote(word or 'WORD')}",
        "A new kind of error? junidiag catalog new MY_ERROR --from "
        + shlex.quote(shorten(text, 100)),
    ]
    parts.extend(untrusted(hint, _DIM) for hint in hints)
    return Group(*parts)


# --- show and list -------------------------------------------------------------------


def entry_view(entry: Entry, everything: bool = False) -> Group:
    """The entry, as `show` prints it (see `document.entry_document`)."""
    return draw(entry_document(entry, everything))


def entry_table(
    entries: Sequence[Entry], show_source: bool, width: int
) -> tuple[RenderableType, list[str]]:
    """`list`'s table in `width` columns, and the headers of the columns it left out:
    Systems, then Source, go before a title is squeezed (when user catalogs are listed,
    where an entry comes from is the point); below that, stacked rows."""
    from junidiag.output.fitting import Column, fitted

    columns = [
        Column("ID", [untrusted(e.id, _ID) for e in entries], wraps=False),
        Column("Severity", [badge(e.severity) for e in entries], wraps=False),
        Column("Title", [titled(e) for e in entries], minimum=16, ratio=3),
        Column("Systems", [untrusted(", ".join(e.systems)) for e in entries], minimum=12,
               ratio=2, drop=1, label="Systems  "),
    ]  # fmt: skip
    if show_source:
        sources = [untrusted(e.source) for e in entries]
        columns.append(Column("Source", sources, minimum=16, folds=True, drop=2, label="Source   "))
    return fitted(columns, width, head=("ID", "Severity"))


def titled(entry: Entry) -> Text:
    """The entry's title, marked when it is a draft from `catalog new`."""
    title = untrusted(entry.title)
    if draft_fields(entry):
        title.append(" (draft)", style="bold yellow")
    return title


def shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
