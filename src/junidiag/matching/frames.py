"""A vendor's message with one word changed is another of its messages.

Vendors word their errors from a few frames: Magento's repositories say "Requested
entity doesn't exist" for an order and "Requested product doesn't exist" for a product;
Fortnox says "Kostnadsställe är obligatoriskt på konto" for an account that requires a
cost centre and "Kostnadsställe är ej tillåtet på konto" for one that forbids it. A text
holding a catalog message's frame with another word in one place is such a sibling: the
vendor has said which error it is, and it is not the catalog's message, however close the
words of a description come (the same reading as a vendor code the catalog never
mentions, see `codes.CodeIndex.states_another`).

Only a frame the catalog fills in one way counts. Where its messages fill a frame with
several words ("Kan inte hitta artikeln", "Kan inte hitta kunden") the word in the slot is
what tells the entries apart, and a text with another word there ("Kan inte hitta
kontot") is left to the description tier, which reads that word.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import NamedTuple

from junidiag.matching.templates import MASK
from junidiag.text.cleaning import fold, words

_MIN_FIXED = 4
"""A frame keeps this many of its message's words besides the slot…"""
_MIN_LONG = 2
"""…and this many of them of three letters or more: "kunde inte * x" is too common."""
_MAX_FILLER = 3
"""The other word may be a few words ("mandatory" → "not allowed", "ej tillåtet")."""


class Frame(NamedTuple):
    """A message's words around one slot, the word the message has in it, and its entry."""

    before: tuple[str, ...]
    after: tuple[str, ...]
    word: str
    entry: int


class Frames:
    """The frames of the catalog's messages that only one word of one entry fills, and
    the messages the catalog knows after an exception's name. (A plain class with
    slots: it is pickled with the matcher.)"""

    __slots__ = ("by_word", "tails")

    def __init__(
        self,
        by_word: dict[str, tuple[Frame, ...]],
        tails: dict[str, tuple[tuple[str, ...], ...]] | None = None,
    ):
        self.by_word = by_word
        """A frame's longest fixed word → the frames holding it."""
        self.tails = tails or {}
        """An exception's name (folded) → the words of each message the catalog has after
        it (`ForbiddenRequestException - No access to module: …`)."""

    @classmethod
    def build(cls, skeletons: Iterable[tuple[str, int]], messages: Iterable[str] = ()) -> Frames:
        """From each message skeleton and the number of its entry, and the messages."""
        tails: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for message in messages:
            head = _EXCEPTION_HEAD.match(message)
            if head is not None:
                said = _PLACEHOLDER.sub(" ", message[head.end() :])
                tail = tuple(w for w in words(fold(said)) if len(w) >= 3)
                if tail:
                    tails[head.group(1).lower()].append(tail)
        fillers: dict[tuple[tuple[str, ...], tuple[str, ...]], set[str]] = defaultdict(set)
        owners: dict[tuple[tuple[str, ...], tuple[str, ...]], set[int]] = defaultdict(set)
        for skeleton, entry in skeletons:
            tokens = skeleton.split()
            if MASK in tokens:
                continue  # a message with values: its fixed form is elsewhere or too loose
            for slot, word in enumerate(tokens[1:-1], start=1):  # a slot inside the message
                fixed = tokens[:slot] + tokens[slot + 1 :]
                if len(fixed) < _MIN_FIXED or sum(len(w) >= 3 for w in fixed) < _MIN_LONG:
                    continue
                key = (tuple(tokens[:slot]), tuple(tokens[slot + 1 :]))
                fillers[key].add(word if _content(word) else "")
                owners[key].add(entry)
        by_word: dict[str, list[Frame]] = defaultdict(list)
        for (before, after), filled in fillers.items():
            if len(filled) != 1 or "" in filled or len(owners[before, after]) != 1:
                continue  # filled in several ways (or by a word that says nothing)
            longest = max((*before, *after), key=len)
            (entry,) = owners[before, after]
            by_word[longest].append(Frame(before, after, next(iter(filled)), entry))
        return cls(
            {word: tuple(frames) for word, frames in by_word.items()},
            {name: tuple(known) for name, known in tails.items()},
        )

    def another_message(self, text: str) -> bool:
        """Whether `text` names an exception the catalog's messages name, followed by a
        message the catalog does not have after it: the same exception, another error
        (eAccounting's `ForbiddenRequestException - ` before a refusal of the user is not
        the catalog's `ForbiddenRequestException - No access to module: …`)."""
        if not self.tails or ("Exception" not in text and "Error" not in text):
            return False
        for head in _EXCEPTION_HEAD.finditer(text):
            known = self.tails.get(head.group(1).lower())
            if not known:
                continue
            after = set(words(fold(text[head.end() : head.end() + _TAIL_CHARS])))
            if not any(after.issuperset(tail) for tail in known):
                return True
        return False

    def siblings(self, tokens: list[str], terms: Callable[[list[str]], list[str]]) -> set[int]:
        """The entries whose message's frame the folded words `tokens` hold with another
        word in its slot: one that says something else, by the glossary's `terms` (a
        synonym, "allokera" for "tilldela", "delivery method" for "shipping method",
        is the same message retold)."""
        found: set[int] = set()
        present = set(tokens)
        for word in present.intersection(self.by_word):
            for frame in self.by_word[word]:
                before, after = frame.before, frame.after
                if frame.entry in found or not (
                    present.issuperset(before) and present.issuperset(after)
                ):
                    continue
                other = _filled_otherwise(tokens, before, after, frame.word)
                if other is None or not terms(other):
                    continue
                if set(terms([*before, *other, *after])) != set(
                    terms([*before, frame.word, *after])
                ):
                    found.add(frame.entry)
        return found


_EXCEPTION_HEAD = re.compile(r"(?<![\w.])([A-Z][A-Za-z]*(?:Exception|Error))\s*[-:–]\s+")
"""An exception's name opening a message, as .NET and Java APIs put it before the text."""
_PLACEHOLDER = re.compile(r"\{[a-z][a-z0-9_]*\}")
_TAIL_CHARS = 400


def _content(word: str) -> bool:
    return len(word) >= 3 and word.isalpha()


def _filled_otherwise(
    tokens: list[str], before: tuple[str, ...], after: tuple[str, ...], filler: str
) -> list[str] | None:
    """The words standing in the frame's slot in `tokens` where they are not its own word."""
    width_before, width_after = len(before), len(after)
    for start in range(len(tokens) - width_before):
        if tuple(tokens[start : start + width_before]) != before:
            continue
        slot = start + width_before
        for width in range(1, _MAX_FILLER + 1):
            end = slot + width
            if tuple(tokens[end : end + width_after]) != after:
                continue
            if _another_word(tokens[slot:end], filler):
                return tokens[slot:end]
    return None


def _another_word(found: list[str], filler: str) -> bool:
    """Whether the words in the slot are not the message's own word, nor a spelling,
    typo or longer form of it, nor a value."""
    from rapidfuzz.distance import OSA

    if not all(w.isalpha() for w in found):
        return False
    return not any(
        w == filler
        or w.startswith(filler)
        or filler.startswith(w)
        or OSA.distance(w, filler, score_cutoff=2) <= 2
        for w in found
    )
