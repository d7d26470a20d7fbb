"""An exception a catalog message names, with another message after it, is another error.

.NET and Java APIs put an exception's name before the text (`ForbiddenRequestException -
No access to module: …`), and one exception carries many errors: eAccounting's
`ForbiddenRequestException - ` before a refusal of the user is not the catalog's
refusal of an API module. A text naming an exception the catalog's messages name, with
none of the messages the catalog has after it, is the same exception and another error,
however close the words of a description come (the same reading as a vendor code the
catalog never mentions, see `codes.CodeIndex.states_another`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from junidiag.text.cleaning import fold, words


class ExceptionMessages:
    """The messages the catalog knows after an exception's name. (A plain class with
    slots: it is cached with the matcher.)"""

    __slots__ = ("tails",)

    def __init__(self, tails: dict[str, tuple[tuple[str, ...], ...]] | None = None):
        self.tails = tails or {}
        """An exception's name (folded) → the words of each message the catalog has after
        it (`ForbiddenRequestException - No access to module: …`)."""

    @classmethod
    def build(cls, messages: Iterable[str]) -> ExceptionMessages:
        """From the catalog's messages."""
        tails: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for message in messages:
            head = _EXCEPTION_HEAD.match(message)
            if head is not None:
                said = _PLACEHOLDER.sub(" ", message[head.end() :])
                tail = tuple(w for w in words(fold(said)) if len(w) >= 3)
                if tail:
                    tails[head.group(1).lower()].append(tail)
        return cls({name: tuple(known) for name, known in tails.items()})

    def another_message(self, text: str) -> bool:
        """Whether `text` names an exception the catalog's messages name, followed by a
        message the catalog does not have after it."""
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


_EXCEPTION_HEAD = re.compile(r"(?<![\w.])([A-Z][A-Za-z]*(?:Exception|Error))\s*[-:–]\s+")
"""An exception's name opening a message, as .NET and Java APIs put it before the text."""
_PLACEHOLDER = re.compile(r"\{[a-z][a-z0-9_]*\}")
_TAIL_CHARS = 400
