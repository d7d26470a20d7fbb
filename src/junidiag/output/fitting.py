"""Tables that fit the terminal: cells wrap at spaces, columns that do not fit are left
out with a note, and when even the essential ones do not, each row is stacked on lines
of its own — never a cell squeezed to a letter and an ellipsis.

`list` and the log summary draw their tables through `fitted`. Column widths are
worked out here, not by Rich, whose last resort when a table is too wide is to cut
every column evenly (`I…`, `g…`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from rich.console import Group
from rich.text import Text

from junidiag.output.terminal import DIM, LABEL

if TYPE_CHECKING:
    from rich.console import RenderableType

GAP = 3
"""What separates two columns: a space, the rule, a space."""
Justify = Literal["left", "right", "center"]


@dataclass
class Column:
    header: str
    cells: list[Text] = field(default_factory=list)
    wraps: bool = True
    """Whether the cells may wrap at spaces (ids, badges and numbers do not)."""
    minimum: int = 0
    """The narrowest a wrapping column may get (its longest word, if longer)."""
    folds: bool = False
    """A cell that is one long word (a path) may be folded across lines."""
    drop: int = 0
    """0: never left out; otherwise the order in which columns are left out (1 first)."""
    ratio: int = 1
    """A wrapping column's share of the room left over; 0: it gets room to be whole
    (unwrapped) before the others share what is left."""
    justify: Justify = "left"
    style: str = ""
    label: str = ""
    """What the cell is called when the row is stacked (`First `); the first columns of a
    stacked row (`head`) go on its first line, unlabelled."""

    def natural(self) -> int:
        return max([len(self.header), *(cell.cell_len for cell in self.cells)])

    def narrowest(self) -> int:
        natural = self.natural()
        if not self.wraps:
            return natural
        if self.folds:
            return min(natural, max(self.minimum, len(self.header)))
        words = [len(w) for cell in self.cells for w in cell.plain.split()]
        longest = max([len(self.header), *words])
        return min(natural, max(self.minimum, longest))


def widths(columns: Sequence[Column], room: int) -> list[int] | None:
    """Each column's width within `room` characters, or None when they cannot fit."""
    narrowest = [c.narrowest() for c in columns]
    spare = room - GAP * (len(columns) - 1) - sum(narrowest)
    if spare < 0:
        return None
    result = list(narrowest)
    for n, column in enumerate(columns):
        if column.wraps and not column.ratio:
            grown = min(column.natural() - result[n], spare)
            result[n] += grown
            spare -= grown
    growing = [n for n, c in enumerate(columns) if c.wraps and c.natural() > result[n]]
    while spare > 0 and growing:
        total = sum(columns[n].ratio for n in growing) or 1
        given = 0
        for n in growing:
            share = max(1, spare * columns[n].ratio // total)
            share = min(share, columns[n].natural() - result[n], spare - given)
            result[n] += share
            given += share
        spare -= given
        growing = [n for n in growing if result[n] < columns[n].natural()]
        if not given:
            break
    return result


def fitted(
    columns: Sequence[Column], room: int, head: Sequence[str] = ("ID",)
) -> tuple[RenderableType, list[str]]:
    """The table in `room` characters, and the headers of the columns left out.

    Columns are left out in their `drop` order until the rest fit; when even those do
    not, every row is stacked instead (the `head` columns on its first line).
    """
    kept = list(columns)
    left_out: list[str] = []
    for column in sorted((c for c in columns if c.drop), key=lambda c: c.drop):
        if widths(kept, room) is not None:
            break
        kept.remove(column)
        left_out.append(column.header)
    found = widths(kept, room)
    if found is None:
        return stacked(columns, head, room), []
    left_out.sort(key=[c.header for c in columns].index)
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False, header_style=LABEL, expand=False)
    for column, width in zip(kept, found, strict=True):
        table.add_column(
            column.header,
            width=width,
            no_wrap=not column.wraps,
            overflow="fold" if column.folds else "ellipsis",
            justify=column.justify,
            style=column.style,
        )
    for row in zip(*(column.cells for column in kept), strict=True):
        table.add_row(*row)
    return table, left_out


def stacked(columns: Sequence[Column], head: Sequence[str] = ("ID",), room: int = 80) -> Group:
    """Each row as a block: its `head` cells on one line (those that do not fit in `room`
    on lines of their own, labelled), then one line per other cell, indented and
    labelled — what a table becomes in a very narrow terminal."""
    from rich.padding import Padding

    rows = len(columns[0].cells) if columns else 0
    first_line = [c for c in columns if c.header in head]
    rest = [c for c in columns if c.header not in head]
    lines: list[RenderableType] = []
    for index in range(rows):
        first = Text()
        moved: list[Column] = []
        for number, column in enumerate(first_line):
            cell = column.cells[index]
            if number and first.cell_len + 2 + cell.cell_len > room:
                moved.append(column)  # a long id leaves no room for the badge beside it
                continue
            if number:
                first.append("  ")
            first.append_text(cell)
        lines.append(first)
        for column in [*rest, *moved]:
            cell = column.cells[index]
            if cell.plain.strip():
                label = column.label or (f"{column.header}  " if column in moved else "")
                line = Text(label, style=DIM) if label else Text()
                line.append_text(cell)
                lines.append(Padding(line, (0, 0, 0, 2), expand=False))
    return Group(*lines)


def left_out_note(headers: Sequence[str], width: int) -> Text:
    """The line under a table that had to leave columns out."""
    names = " and ".join([", ".join(headers[:-1]), headers[-1]] if len(headers) > 1 else headers)
    return Text(f"Not shown at {width} columns: {names}; --json has everything.", style=DIM)
