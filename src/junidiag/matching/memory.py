"""The log path's memory of message shapes: what to keep of one message's answer so that
every other message of its shape gets the same answer with its own values.

A log repeats a few hundred messages with other ids, times and amounts filled in, and
every tier reads a message's numbers the way `Matcher.blind` does: the answer for a
message's shape is the answer for every message of that shape. What differs from one
line to the next is only what the line itself says: the text matched, the values a
template extracts. So a shape keeps its best match, and how to find that match's text
again in another message (`Recipe`), which costs about what reading the line did.
"""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING, NamedTuple, TypeVar

if TYPE_CHECKING:
    from junidiag.model import Match


class Recipe(NamedTuple):
    """How to make a shape's best match again for another message of that shape."""

    match: Match
    """The best match of the message first seen: its entry, score, basis, language and
    catalog message are every message's of the shape (and so is a vendor code's text)."""
    form: int
    """The form matched (exact, fuzzy), else -1."""
    part: int
    """A near copy: which of the message's parts (`message_parts`) it is."""
    parts: int
    """A near copy: how many parts the message has."""
    part_shape: str
    """A near copy: the part's shape, which the other message's part must have too."""


class Answer(NamedTuple):
    """What a message's shape found."""

    forms: tuple[int, ...]
    """The forms it matched exactly, for `Matcher.diagnose` to search again with every
    runner-up; () for nothing, `WORK_OUT` when anything else matched."""
    best: Recipe | None
    """How to make the best match again (`Matcher.best`); None when it is worked out for
    each message, or when nothing matched (`forms` is empty)."""


WORK_OUT: tuple[int, ...] = (-1,)
NOTHING = Answer((), None)

_Key = TypeVar("_Key")
_Value = TypeVar("_Value")
SHAPES_KEPT = 8192
"""Shapes each memory holds: a few MB, so that memory stays flat in a log's length."""


def remember(shapes: dict[_Key, _Value], shape: _Key, value: _Value) -> None:
    if len(shapes) >= SHAPES_KEPT:
        # a log of endless variety: forget the half used longest ago (see `recall`)
        for old in list(islice(shapes, SHAPES_KEPT // 2)):
            del shapes[old]
    shapes[shape] = value


def recall(shapes: dict[_Key, _Value], shape: _Key) -> _Value | None:
    """What `shape` found, if it is remembered; it becomes the one used last (dicts keep
    the order keys went in), so that the shapes a log repeats outlive those it says once."""
    value = shapes.pop(shape, None)
    if value is not None:
        shapes[shape] = value
    return value


def same(one: Match | None, other: Match) -> bool:
    """Whether two matches say the same in every field a view or the JSON shows."""
    return (
        one is not None
        and one.entry is other.entry
        and one.score == other.score
        and one.basis == other.basis
        and one.matched_text == other.matched_text
        and one.language == other.language
        and one.message == other.message
        and one.variables == other.variables
    )
