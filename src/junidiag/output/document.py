"""What an explanation or an entry shows, in order, before anything draws it.

The Rich panels (`views`) and the Markdown a support person pastes into a ticket
(`markdown`) are two drawings of the same blocks, so the order of the sections and
what each holds is written here once. No Rich, no Markdown: plain data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, NamedTuple

from junidiag.model import Entry, Match
from junidiag.text import languages

Role = Literal["plain", "dim", "bold", "italic", "id", "code"]
"""How a piece of text is meant: drawn as a style in the terminal, as Markdown in a ticket."""
Span = tuple[str, Role]
Row = tuple[str, tuple[Span, ...]]
"""A label and its value, made of spans."""

REFERENCES_SHOWN = 3
"""References listed by default: `show` stays one screen; `--all` lists them all."""
MESSAGES_SHOWN = 8
"""Messages listed by default (an entry that gathers a dozen vendors' wordings lists the
first ten); `--all` lists them all."""
BESIDE = 84
"""A message and its translation up to this long together share one line in `show`
(what fits in its panel at 100 columns)."""
BASIS_NAMES = {
    "exact": "the message itself",
    "code": "the vendor's error code",
    "fuzzy": "a close copy of the message",
    "symptom": "the description of the problem",
}


# The blocks are named tuples, not frozen dataclasses: every run that draws an
# explanation or an entry creates these classes, and a dataclass costs about half a
# millisecond to create (start-up is a product target), a named tuple a fifth of that.


class Header(NamedTuple):
    """The entry's id, severity, title and systems."""

    entry: Entry


class Fields(NamedTuple):
    """Label and value rows, outside any section."""

    rows: tuple[Row, ...]


class Section(NamedTuple):
    """A titled part: a paragraph, numbered steps, bullets, or rows."""

    title: str
    paragraph: str = ""
    steps: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()


Block = Header | Fields | Section


def explanation(match: Match, runners_up: Sequence[Match]) -> list[Block]:
    """A match: what was recognised in the text, why it happens, how to fix it, what else."""
    entry = match.entry
    recognised: list[Row] = [("Matched", ((match.matched_text, "code"),))]
    if match.message is not None and match.message.text != match.matched_text:
        recognised.append(("Message", ((match.message.text, "dim"),)))
    for number, (name, value) in enumerate(match.variables.items()):
        assignment: tuple[Span, ...] = ((name, "dim"), (" = ", "plain"), (value, "bold"))
        recognised.append(("Values" if number == 0 else "", assignment))
    if match.translation:
        recognised.append(("Translation", ((match.translation, "italic"),)))
    recognised.append(("Language", ((languages.name_of(match.language), "plain"),)))
    confidence: tuple[Span, ...] = (
        (str(match.score), "bold"),
        (f"/100, from {BASIS_NAMES[match.basis]}", "plain"),
    )
    recognised.append(("Confidence", confidence))
    blocks: list[Block] = [
        Header(entry),
        Fields(tuple(recognised)),
        Section("Why", paragraph=entry.cause),
        Section("Fix", steps=entry.solution),
    ]
    tail: list[Row] = []
    if entry.related:
        tail.append(("Related", _ids(entry.related)))
    if runners_up:
        also: list[Span] = []
        for number, other in enumerate(runners_up):
            if number:
                also.append(("  ·  ", "dim"))
            also += [(other.id, "id"), (f" ({other.score})", "dim")]
        tail.append(("Also possible", tuple(also)))
    if tail:
        blocks.append(Fields(tuple(tail)))
    return blocks


def entry_document(entry: Entry, everything: bool = False) -> list[Block]:
    """The entry as `show` prints it: what a support person needs on one screen; with
    `everything`, also how people describe it and the examples the matcher is held to."""
    blocks: list[Block] = [Header(entry)]
    if entry.messages:
        rows: list[Row] = []
        listed = entry.messages if everything else entry.messages[:MESSAGES_SHOWN]
        for message in listed:
            text, translation = message.text, message.translation
            if translation and len(text) + len(translation) + len(_BESIDE) <= BESIDE:
                rows.append((message.lang, ((text, "bold"), _BESIDE, (translation, "italic"))))
                continue
            rows.append((message.lang, ((text, "bold"),)))
            if translation:
                rows.append(("", ((translation, "italic"),)))
        if len(listed) < len(entry.messages):
            more = len(entry.messages) - len(listed)
            rows.append(("", ((f"… and {more} more (show --all)", "dim"),)))
        blocks.append(Section("Messages", rows=tuple(rows)))
    if entry.codes:
        blocks.append(Section("Codes", rows=tuple(_codes(entry))))
    blocks.append(Section("Why", paragraph=entry.cause))
    blocks.append(Section("Fix", steps=entry.solution))
    if entry.notes:
        blocks.append(Section("Note", bullets=entry.notes))
    if everything:
        blocks.append(Section("How people describe it", bullets=entry.symptoms))
        blocks.append(Section("Examples", bullets=entry.examples))
        if entry.counterexamples:
            blocks.append(Section("Not this entry", bullets=entry.counterexamples))
    footer: list[Row] = []
    if entry.related:
        footer.append(("Related", _ids(entry.related)))
    shown = entry.references if everything else entry.references[:REFERENCES_SHOWN]
    for number, reference in enumerate(shown):
        footer.append(("References" if number == 0 else "", ((reference, "plain"),)))
    if len(shown) < len(entry.references):
        more = len(entry.references) - len(shown)
        footer.append(("", ((f"… and {more} more (show --all)", "dim"),)))
    if everything:
        footer.append(("Kind", ((entry.kind.value, "plain"),)))
    if entry.source != "bundled":
        footer.append(("Source", ((entry.path or entry.source, "plain"),)))
    blocks.append(Fields(tuple(footer)))
    return blocks


_BESIDE: Span = ("  →  ", "dim")
"""Between a message and its English translation on one line."""


def _codes(entry: Entry) -> list[Row]:
    """One row per system, its codes side by side; a code with a note has its own row."""
    rows: list[Row] = []
    by_system: dict[str, list[Span]] = {}
    for code in entry.codes:
        if code.note:
            rows.append((code.system, ((code.code, "bold"), (f"  {code.note}", "dim"))))
            continue
        spans = by_system.get(code.system)
        if spans is None:
            spans = by_system[code.system] = []
            rows.append((code.system, ()))  # filled in below, in the order systems come
        else:
            spans.append(("  ·  ", "dim"))
        spans.append((code.code, "bold"))
    return [(label, value or tuple(by_system[label])) for label, value in rows]


def draft_note(todo: Sequence[str]) -> str:
    """What a draft's header says after "Draft:": which fields still hold TODO (see
    `model.draft_fields`), and what to do about it."""
    names = [{"messages": "translation"}.get(name, name) for name in todo]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return (
        f"drafted by junidiag catalog new; {listed} still say TODO. "
        "Write them, then run junidiag catalog check."
    )


def _ids(ids: Sequence[str]) -> tuple[Span, ...]:
    spans: list[Span] = []
    for number, entry_id in enumerate(ids):
        if number:
            spans.append(("  ·  ", "dim"))
        spans.append((entry_id, "id"))
    return tuple(spans)


GOOD_NEWS = (
    "It reads as good news (all well, or a problem said to be over): nothing to fix. "
    "If something still fails, paste the error text itself."
)
"""What a message that matched nothing and reads as good news gets instead of the hints
to search or draft an entry."""
