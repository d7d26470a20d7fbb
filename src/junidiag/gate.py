"""The keyword gate: which messages and entries a line could possibly match.

Every diagnosis — one message or a million log lines — starts here. An
Aho-Corasick pass (pyahocorasick, in C) over the folded line finds three kinds of
words: the words of each message template, the telling words of the entries'
descriptions (anchors), and problem words ("not", "fails", "saknas", "?"). A line
is then checked only against the templates whose words it holds, and against the
descriptions only when it holds an anchor and reads as a problem rather than as
routine traffic (an INFO or DEBUG line without a problem word, see
`retrieval.Cues.routine`). Because the argument and the stdin paths both go
through this gate, they agree on every line by construction.

Most lines of a busy log are INFO or DEBUG success reports. Those take a first,
smaller pass: unless they hold a problem word or a message word that ordinary
traffic does not use (`COMMON_WORDS` aside), nothing in them can match, and they
cost a couple of microseconds.

What the gate requires, in words a user can check: a typo'd message is recognised
when one of its words of four letters or more is spelt right (in an INFO or DEBUG
line, one that is not among the common words); a description when it uses at
least one word that few entries share.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from itertools import repeat
from typing import Any

from junidiag.normalize import MAX_CHARS

_MIN_KEY = 2

COMMON_WORDS = frozenset(
    """could cannot with from found order orders error errors message customer customers
    invoice invoices account accounts into does that this have been type field value number
    name date year payment product products update create created find loaded articles
    many requests transaction reference kunde inte hamta hitta ikke fra den det var mulig""".split()
)
"""Message words that ordinary INFO traffic is full of: they alone do not open the gate."""
_FAILURE_KEYS = frozenset(f" {w} " for w in "failed failures errors error fel feil".split())


class Bound(IntEnum):
    """Where a key must sit in the line to count."""

    WORD = 0
    """A whole word: `oss` is not in `loss` or `ossify`."""
    PREFIX = 1
    """The start of a word: `faktur` in `fakturan`."""
    ANYWHERE = 2
    """Anywhere: `?`, `n't`."""


@dataclass(frozen=True, slots=True)
class Hits:
    """What a line may match: template forms to try, and whether descriptions may."""

    forms: frozenset[int]
    describes: bool


class Gate:
    """Built from the forms' words, description anchors and problem cues; scan() per line."""

    def __init__(
        self,
        form_words: Sequence[Sequence[str]],
        anchors: Iterable[tuple[str, Bound]],
        cues: Iterable[tuple[str, Bound]],
        ignore: frozenset[str] = frozenset(),
        form_texts: list[str] | None = None,
    ) -> None:
        """`form_words` name each form (its keys); `form_texts`, its whole wording, tell
        which forms hold a problem word (default: the keys)."""
        keys: dict[str, tuple[set[int], list[bool]]] = defaultdict(lambda: (set(), [False, False]))
        for number, words in enumerate(form_words):
            for word in words:
                keys[key_text(word, Bound.PREFIX)][0].add(number)
        for text, bound in anchors:
            keys[key_text(text, bound)][1][0] = True
        cues = list(cues)
        for text, bound in cues:
            keys[key_text(text, bound)][1][1] = True
        self._keys = {
            k: (frozenset(forms), flags[0], flags[1]) for k, (forms, flags) in keys.items()
        }
        texts = form_texts or [" ".join(words) for words in form_words]
        self._quick_keys = _quick_keys(cues, _rare_words(form_words, texts, cues, ignore))
        self._automaton: Any = None
        self._quick: Any = None

    def __getstate__(self) -> dict[str, Any]:
        # the automatons are rebuilt on first use, not pickled
        return {"_keys": self._keys, "_quick_keys": self._quick_keys}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._keys = state["_keys"]
        self._quick_keys = state["_quick_keys"]
        self._automaton = self._quick = None

    def scan(self, folded: str, raw: str) -> Hits | None:
        """What folded text may match (`raw` gives its log level), or None for nothing."""
        looked, level = self._first_look(quick_text(raw[:MAX_CHARS]))
        if level < 0 and not looked:
            return None
        automaton = self._automaton or self._build()
        forms: set[int] = set()
        anchored = cued = False
        for _, (key_forms, anchor, cue) in automaton.iter(gate_text(folded)):
            forms.update(key_forms)
            anchored = anchored or anchor
            cued = cued or cue
        describes = anchored and (cued or level >= 0)
        if not forms and not describes:
            return None
        return Hits(frozenset(forms), describes)

    def routine_lines(self, lines: list[str]) -> list[bool]:
        """For a batch of log lines: which ones `scan` would rule out as routine traffic.

        The same decision as scanning each line, made for a whole batch at once:
        one byte-level translate, one automaton pass that is hit only where a
        problem word is, and one C-level search per line for the log level.
        """
        text = quick_text("\n".join(line[:MAX_CHARS] for line in lines))
        pieces = text.split("\n")
        quiet = list(map(_quiet, map(_LEVEL.search, pieces, repeat(0), repeat(_LEVEL_END))))
        starts = _starts(pieces)
        quick = self._quick or self._build_quick()
        for end, key in quick.iter(text):
            start = end - len(key) + 1
            if _counts(text, start, key):
                quiet[bisect_right(starts, start) - 1] = False
        return quiet

    def _first_look(self, text: str) -> tuple[bool, int]:
        """In quick text: is there a problem word or a rare message word ("0 failed" is
        success), and the log level named near the start (-1 quiet, 1 loud, 0 none)."""
        quick = self._quick or self._build_quick()
        looked = any(_counts(text, end - len(key) + 1, key) for end, key in quick.iter(text))
        return looked, _level(_LEVEL.search(text, 0, _LEVEL_END))

    def _build(self) -> Any:
        self._automaton = _automaton(self._keys)
        return self._automaton

    def _build_quick(self) -> Any:
        self._quick = _automaton({key: key for key in self._quick_keys})
        return self._quick


LEVEL_WITHIN = 60
"""A level word counts as the line's log level when it starts this close to the line start."""
_QUIET = frozenset("trace debug info notice".split())
_LOUD = frozenset("warn warning error err severe critical crit fatal panic".split())
_LEVEL = re.compile(" (" + "|".join(sorted(_QUIET | _LOUD, key=len, reverse=True)) + ") ")
_LEVEL_END = LEVEL_WITHIN + max(map(len, _QUIET | _LOUD)) + 2
_UNFOLDED = {"istallet": "istället", "anda": "ändå", "varfor": "varför", "overford": "överförd"}
"""Problem words as Swedish writes them: the quick pass does not fold diacritics."""


def _level(found: re.Match[str] | None) -> int:
    if found is None or found.start() >= LEVEL_WITHIN:
        return 0
    return -1 if found.group(1) in _QUIET else 1


def _quiet(found: re.Match[str] | None) -> bool:
    return _level(found) < 0


def _quick_keys(cues: list[tuple[str, Bound]], rare: set[str]) -> set[str]:
    """The quick pass's keys (problem words, rare message words) in quick-text spelling."""
    keys: set[str] = set()
    texts = [(text, bound) for text, bound in cues] + [(k.strip(), Bound.PREFIX) for k in rare]
    for text, bound in texts:
        for variant in {text, _UNFOLDED.get(text, text)}:
            key = _as_quick(key_text(variant, bound))
            inner = key.strip(" ")
            # The quick text keeps runs of spaces ("too  many" from "too - many").
            keys.update({key, key.replace(inner, inner.replace(" ", "  "))})
    return keys


def _rare_words(
    form_words: Sequence[Sequence[str]],
    form_texts: list[str],
    cues: list[tuple[str, Bound]],
    ignore: frozenset[str],
) -> set[str]:
    """Words standing for the messages that hold no problem word, such as "Invalid grant"."""
    cue_words = {text for text, _ in cues}
    found = set()
    for words, text in zip(form_words, form_texts, strict=True):
        if cue_words.isdisjoint(text.split()):
            for word in words:
                if len(word) >= 4 and word not in COMMON_WORDS and word not in ignore:
                    found.add(key_text(word, Bound.PREFIX))
    return found


def _counts(text: str, start: int, key: str) -> bool:
    """A quick hit counts unless it is a failure word after a zero: "0 failed" is success."""
    return not (key in _FAILURE_KEYS and text[max(0, start - 2) : start] == " 0")


_SEPARATORS = re.compile(r"(?:[^\w?\n]|_)+")
_QUICK_TABLE = bytes(
    32 if c < 128 and not (chr(c).isalnum() or chr(c) in "?\n") else c for c in range(256)
)


def quick_text(raw: str) -> str:
    """Raw text as the quick pass reads it: UTF-8 bytes, ASCII letters lowered, ASCII
    punctuation as spaces, one character per byte, padded.

    Cheaper than `gate_text` (no diacritic folding, no collapsing of spaces, all
    byte-level), because it is computed for every line of a log.
    """
    data = raw.encode("utf-8", "surrogatepass").lower().translate(_QUICK_TABLE)
    return " " + data.decode("latin-1").replace("\n", " \n ") + " "


def _as_quick(key: str) -> str:
    return key.encode("utf-8").decode("latin-1")


def gate_text(folded: str) -> str:
    """Folded text as the gate reads it: words and `?` separated by single spaces, padded,
    so a key written " word " or " prefix" only ever hits whole words or word starts."""
    return " " + _SEPARATORS.sub(" ", folded).replace("\n", " \n ") + " "


def key_text(text: str, bound: Bound) -> str:
    """A key in the gate's spelling: boundaries written as spaces."""
    words = _SEPARATORS.sub(" ", text).strip()
    if bound == Bound.WORD:
        return f" {words} "
    if bound == Bound.PREFIX:
        return f" {words}"
    return text


def _starts(lines: list[str]) -> list[int]:
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    return starts


def _automaton(entries: dict[str, Any]) -> Any:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for key, value in entries.items():
        automaton.add_word(key, value)
    automaton.make_automaton()
    return automaton
