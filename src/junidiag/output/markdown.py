"""Markdown: an explanation, an entry or a list the way a support person pastes it into a
ticket or a chat — drawn from the same blocks as the terminal's panels (`document`).

Text from outside (the pasted message, a user's catalog) is neutralised and escaped,
so a message holding `*`, `[link](…)` or `<b>` is shown as typed, not rendered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from junidiag.model import Entry, draft_fields
from junidiag.output.document import (
    GOOD_NEWS,
    Block,
    Fields,
    Header,
    Row,
    Span,
    draft_note,
)
from junidiag.text.safety import neutralise

_SPECIAL = re.compile(r"([\\`*\[\]<>|])|(?<![^\W_])_|_(?![^\W_])|^([#>+-])")
"""What Markdown would read as markup: backslashes, backticks, emphasis stars, brackets
(links), angle brackets (HTML), pipes (tables), an underscore at a word's edge, and a
heading, quote or list marker opening the text."""


def escape(text: str) -> str:
    """Text shown as written (Markdown's markup escaped), on one line, spaces kept."""
    flat = _one_line(text)
    return _SPECIAL.sub(lambda found: "\\" + found.group(0), flat)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", neutralise(text))


def code(text: str) -> str:
    """Inline code, fenced with more backticks than the text holds in a row."""
    flat = _one_line(text).strip()
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def _span(text: str, role: str) -> str:
    if role in ("code", "id"):
        return code(text)
    if role == "bold":
        return f"**{escape(text)}**"
    if role == "italic":
        return f"*{escape(text)}*"
    return escape(text)


def _spans(parts: Sequence[Span]) -> str:
    return "".join(_span(text, role) for text, role in parts).strip()


def _rows(rows: Sequence[Row]) -> list[str]:
    lines: list[str] = []
    for label, value in rows:
        if label:
            lines.append(f"- **{escape(label)}:** {_spans(value)}")
        elif value and value[0][0].startswith("…"):  # "… and 2 more (show --all)"
            lines.append(f"- {_spans(value)}")
        elif lines:  # a row that continues the one above (a second value, a translation)
            lines[-1] += f", {_spans(value)}"
    return lines


def _header(entry: Entry) -> list[str]:
    lines = [
        f"## {code(entry.id)}: {escape(entry.title)}",
        "",
        f"**Severity:** {entry.severity.value} · **Systems:** {escape(', '.join(entry.systems))}",
    ]
    todo = draft_fields(entry)
    if todo:
        lines[0] += " (draft)"
        lines += ["", f"> **Draft:** {escape(draft_note(todo))}"]
    return lines


def draw(blocks: Sequence[Block]) -> str:
    """Markdown for the blocks of an explanation or an entry."""
    parts: list[list[str]] = []
    for block in blocks:
        if isinstance(block, Header):
            parts.append(_header(block.entry))
        elif isinstance(block, Fields):
            parts.append(_rows(block.rows))
        else:
            body = [f"### {escape(block.title)}", ""]
            if block.steps:
                body += [f"{n}. {escape(step)}" for n, step in enumerate(block.steps, 1)]
            elif block.bullets:
                body += [f"- {escape(item)}" for item in block.bullets]
            elif block.rows:
                body += _rows(block.rows)
            else:
                body.append(escape(block.paragraph))
            parts.append(body)
    return "\n\n".join("\n".join(part) for part in parts) + "\n"


def entry_table(entries: Sequence[Entry]) -> str:
    """A Markdown table of entries, as `list` prints it."""
    lines = ["| ID | Severity | Title | Systems |", "| --- | --- | --- | --- |"]
    for entry in entries:
        title = escape(entry.title) + (" (draft)" if draft_fields(entry) else "")
        cells = [code(entry.id), entry.severity.value, title]
        cells.append(escape(", ".join(entry.systems)))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def no_match(
    text: str, suggestions: Sequence[tuple[str, str, int]], good_news: bool = False
) -> str:
    """No confident match: said plainly, with the nearest entries (id, title, score), and
    that the text reads as good news when it does."""
    lines = [f"**No confident match** for {code(text)}"]
    if suggestions:
        lines += ["", "Nearest entries, none of them a confident match:", ""]
        lines += [f"- {code(i)} ({score}): {escape(title)}" for i, title, score in suggestions]
    if good_news:
        lines += ["", escape(GOOD_NEWS)]
    return "\n".join(lines) + "\n"
