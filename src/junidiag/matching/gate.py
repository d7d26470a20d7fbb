"""The keyword gate: which messages and entries a line could possibly match.

Every diagnosis — one message or a million log lines — starts here. An
Aho-Corasick pass (ahocorasick_rs, in Rust; for a pasted message, whose automaton
would cost more to build than it saves, a lookup of each word start: `_LookedUp`)
over the folded message (a log line without its envelope, see
`normalize.split_envelope`) finds three kinds of words:
the words of each message template, the telling words of the entries'
descriptions (anchors), and problem words ("not", "fails", "saknas", "?"). A line
is then checked only against the templates whose words it holds, and against the
descriptions only when it holds an anchor and reads as a problem rather than as
routine traffic (an INFO or DEBUG line without a problem word, see
`retrieval.Cues.routine`). Because the argument and the stdin paths both go
through this gate, they agree on every line (the log path's memory of message
shapes gives each line the answer a fresh diagnosis would: see `matching`).

Most lines of a busy log are INFO or DEBUG success reports. Those take a first,
smaller pass over the raw line (`Gate.passed`, for a whole batch of lines at once):
unless they hold a problem word or a message word that ordinary traffic does not
use (`COMMON_WORDS` aside), nothing in them can match, and they cost a couple of
microseconds.

What the gate requires, in words a user can check: a message is recognised when
one of its words of four letters or more is spelt right (in an INFO or DEBUG line,
one that is not among the common words), or, in text without a log level (what
people type rather than what programs log), when the first three letters of one
of its longer words are; a description when it uses at least one word that few
entries share.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from itertools import accumulate, compress, repeat
from typing import Any, Generic, NamedTuple, TypeVar

from junidiag.text import languages
from junidiag.text.cleaning import MAX_CHARS

COMMON_WORDS = frozenset(languages.words("gate.common"))
"""Message words that ordinary INFO traffic is full of: they alone do not open the gate."""
_FAILURE_KEYS = frozenset(f" {w} " for w in languages.words("failure"))


class Bound(IntEnum):
    """Where a key must sit in the line to count."""

    WORD = 0
    """A whole word: `oss` is not in `loss` or `ossify`."""
    PREFIX = 1
    """The start of a word: `faktur` in `fakturan`."""
    ANYWHERE = 2
    """Anywhere: `?`, `n't`."""


class FormKeys(NamedTuple):
    """The words the gate knows a message template by."""

    words: Sequence[str]
    """Its telling words: a line holding one of them may be this message."""
    starts: Sequence[str]
    """The first three letters of its longer words, which survive most typos."""
    required: Sequence[str]
    """The words every occurrence has (those outside `a/b` alternatives)."""
    text: str
    """All its fixed words, to tell whether it holds a problem word."""


@dataclass(frozen=True, slots=True)
class Hits:
    """What a line may match: template forms to try, and whether descriptions may."""

    forms: frozenset[int]
    describes: bool
    complete: frozenset[int] = frozenset()
    """The forms all of whose words are in the line: only these can match exactly."""


Look = tuple[int, bool, bool]
"""The gate's first look at a raw line: the log level named near its start (-1 quiet,
1 loud, 0 none), whether it holds a problem word or a rare message word, and whether
a problem word. An INFO or DEBUG line with neither is routine traffic, which nothing
can match: the gate lets it pass no further (see `Gate.passed`)."""


class Gate:
    """Built from the forms' words, description anchors and problem cues; scan() per line."""

    def __init__(
        self,
        forms: Sequence[FormKeys],
        anchors: Iterable[tuple[str, Bound]],
        cues: Iterable[tuple[str, Bound]],
        ignore: frozenset[str] = frozenset(),
    ) -> None:
        """`ignore` holds words (system names) that never stand for anything alone."""
        keys: dict[str, tuple[set[int], list[bool]]] = defaultdict(lambda: (set(), [False]))
        starts: dict[str, set[int]] = defaultdict(set)
        for number, form in enumerate(forms):
            for word in form.words:
                for key in _spellings(key_text(word, Bound.PREFIX)):
                    keys[key][0].add(number)
            for start in form.starts:
                starts[key_text(start, Bound.PREFIX)].add(number)
        self._starts = {key: frozenset(numbers) for key, numbers in starts.items()}
        for text, bound in anchors:
            for key in _spellings(key_text(text, bound)):
                keys[key][1][0] = True
        self._keys = {k: (frozenset(forms), flags[0]) for k, (forms, flags) in keys.items()}
        # in the automaton's spelling (`_as_quick`), which a word beyond ASCII changes
        self._form_keys = [
            frozenset(_as_quick(key_text(w, Bound.PREFIX)) for w in form.required) for form in forms
        ]
        cues = list(cues)
        self._quick_keys = _quick_keys(cues, _rare_words(forms, cues, ignore))
        self._automaton: _LookedUp[tuple[frozenset[int], bool]] | None = None
        self._quick: _FirstLook | None = None
        self._typo: _LookedUp[frozenset[int]] | None = None

    def __getstate__(self) -> dict[str, Any]:
        # the automatons are rebuilt on first use, not cached
        return {k: getattr(self, k) for k in _STATE}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name in _STATE:
            setattr(self, name, state[name])
        self._automaton = self._quick = self._typo = None

    def scan(self, folded: str, look: Look) -> Hits | None:
        """What a folded message may match, given the first look at its line (see
        `passed`), or None for nothing."""
        level, _, cued = look
        forms: set[int] = set()
        found: set[str] = set()
        anchored = False
        text = quick_text(folded)
        for key, (key_forms, anchor) in self._keys_in(text):
            forms.update(key_forms)
            found.add(key)
            anchored = anchored or anchor
        complete = frozenset(n for n in forms if self._form_keys[n] <= found)
        if not complete and level >= 0:
            # A misspelt message? The first letters of its words usually survive. Not in
            # routine traffic: people misspell, programs don't, but people retype a
            # loud line too ("ERROR: The acount is not activ").
            for _, key_forms in self._starts_in(text):
                forms.update(key_forms)
        # Text people type (no log level) that reads as a problem is always worth a
        # description's look: a short complaint may use only words many entries share.
        describes = (anchored and (cued or level >= 0)) or (cued and level == 0)
        if not forms and not describes:
            return None
        return Hits(frozenset(forms), describes, complete)

    def passed(self, lines: list[str], utf8: bytes | None = None) -> dict[int, Look]:
        """The lines of a batch that are not routine traffic (see `Look`), by index,
        with the first look at each.

        Taken for the whole batch at once, in C and Rust: one byte-level translate of
        the joined lines, one automaton pass for the few telling and loud words, and
        a `bytes.find` per line for the quiet level words (about every line has one,
        near its start, where the automaton's hits would each need sorting into their
        line). `lines` hold no line breaks, except when there is one text, which is then
        looked at as one line; `utf8`, when given, is them joined by \\n in UTF-8.
        """
        if not lines:
            return {}
        if len(lines) == 1 and "\n" in lines[0]:
            lines = [lines[0].replace("\n", " ")]
        data = _utf8(lines) if utf8 is None else utf8
        text = _quick_bytes(data)
        rows = text.split(b"\n")  # " " + line + " ", in bytes: at least its characters
        if max(map(len, rows)) > MAX_CHARS + 2:
            text, rows = _cut(lines, rows)
        starts = list(accumulate(map((1).__add__, map(len, rows)), initial=0))  # after "\n"
        # a DFA pays for its build (~1 ms) over a log, not over one pasted message
        quick = self._quick or self._build_quick(fast=len(lines) > 1)
        loud, looked, cued = quick.read(text, starts)
        unquiet = _unquiet_lines(rows, loud)
        return {
            n: (-1 if n not in unquiet else 1 if n in loud else 0, n in looked, n in cued)
            for n in sorted(unquiet | looked)
        }

    def _keys_in(self, text: bytes) -> list[tuple[str, tuple[frozenset[int], bool]]]:
        """The keys in quick `text`, each with its forms and whether it is an anchor."""
        if self._automaton is None:
            self._automaton = _LookedUp(self._keys)
        return self._automaton.items_in(text)

    def _starts_in(self, text: bytes) -> list[tuple[str, frozenset[int]]]:
        """The first letters of message words in quick `text`, each with its forms."""
        if self._typo is None:
            self._typo = _LookedUp(self._starts)
        return self._typo.items_in(text)

    def _build_quick(self, fast: bool) -> _FirstLook:
        self._quick = _FirstLook(self._quick_keys, fast)
        return self._quick


_STATE = ("_keys", "_quick_keys", "_form_keys", "_starts")
LEVEL_WITHIN = 60
"""How far the first look reads for a level word: a quiet one this close to the line start
makes the line routine traffic unless it holds a problem word or a rare message word.
(`text.envelope` reads a line's level from its whole prefix; the level words are the
same, from the language data.)"""
_QUIET = tuple(w.lower() for w in languages.words("levels.quiet"))
"""The quiet level words, the most common first (each is looked for on its own)."""
_LOUD = frozenset(w.lower() for w in languages.words("levels.loud"))


_Value = TypeVar("_Value")


class _Keys(Generic[_Value]):
    """Keys in quick-text spelling, each with a value, found in quick text by one
    Aho-Corasick pass (ahocorasick_rs, in Rust, overlapping matches included)."""

    def __init__(self, entries: dict[str, _Value], fast: bool = False) -> None:
        from ahocorasick_rs import BytesAhoCorasick, Implementation

        self.keys = list(entries)
        self.values = [entries[key] for key in self.keys]
        # a DFA takes longer to build and scans faster: for the pass over every log line
        how = Implementation.DFA if fast else None
        self._automaton = BytesAhoCorasick(
            [key.encode("latin-1") for key in self.keys], implementation=how
        )

    def find(self, text: bytes) -> list[tuple[int, int, int]]:
        """(key number, start, end) of every key in `text`, in order of their ends."""
        return self._automaton.find_matches_as_indexes(text, overlapping=True)

    def values_in(self, text: bytes) -> list[_Value]:
        return [self.values[number] for number, _, _ in self.find(text)]


class _LookedUp(Generic[_Value]):
    """Keys in quick-text spelling, each with a value, found in quick text: by looking up
    each of the text's slices that could be a key while that is cheap, and by an
    Aho-Corasick automaton once it has paid for its build.

    A pasted message needs one look: building the automaton of every message word
    (~6,000 keys) would take longer than the rest of its diagnosis, while looking up its
    dozen word starts takes microseconds. A log looks again and again, and after
    `LOOKUPS` looks builds the automaton. Both find every occurrence of every key.
    """

    LOOKUPS = 32
    """Looks answered by lookups before the automaton is built (a log's first lines)."""
    LOOKUP_BYTES = 512
    """A longer text goes to the automaton at once: lookups grow with its word starts."""

    def __init__(self, entries: dict[str, _Value]) -> None:
        self.entries = entries
        self._lookups = 0
        self._automaton: _Keys[tuple[str, _Value]] | None = None
        self._anywhere = sorted({len(key) for key in entries if key[:1] != " "})
        """The lengths of keys that may start anywhere (ANYWHERE keys: `?`, `n't`)."""
        self._at_word = sorted({len(key) for key in entries} | set(self._anywhere))
        """The lengths of every key: those at a word start (with its space) too."""

    def items_in(self, text: bytes) -> list[tuple[str, _Value]]:
        """(key, value) for every occurrence of a key in quick `text`."""
        if self._automaton is None:
            if self._lookups < self.LOOKUPS and len(text) <= self.LOOKUP_BYTES:
                self._lookups += 1
                return self._looked_up(text.decode("latin-1"))
            self._automaton = _Keys({key: (key, value) for key, value in self.entries.items()})
        return self._automaton.values_in(text)

    def _looked_up(self, text: str) -> list[tuple[str, _Value]]:
        entries = self.entries
        found = []
        for start in range(len(text)):
            lengths = self._at_word if text[start] == " " else self._anywhere
            for length in lengths:
                key = text[start : start + length]
                value = entries.get(key)
                if value is not None and len(key) == length:
                    found.append((key, value))
        return found


class _FirstLook(_Keys[tuple[int, bool]]):
    """The first look's automaton: problem words, rare message words and the loud level
    words (the quiet ones are looked for by `_unquiet_lines`), and what their hits say
    about the lines of a batch."""

    def __init__(self, entries: dict[str, tuple[int, bool]], fast: bool) -> None:
        looked_for_apart = {key.decode("latin-1") for key in _QUIET_KEYS}
        telling = {k: v for k, v in entries.items() if k not in looked_for_apart or v[1]}
        super().__init__(telling, fast)
        self.failure = [key in _FAILURE_KEYS for key in self.keys]

    def read(self, text: bytes, starts: list[int]) -> tuple[dict[int, int], set[int], set[int]]:
        """Where the lines of quick `text` (starting at `starts`) name their first loud
        level word within LEVEL_WITHIN of their start (a quiet one may come before it:
        `_unquiet_lines` tells), by line; the lines holding a problem
        word or a rare message word; those holding a problem word. "0 failed" and "0
        errors" report success, not a problem."""
        loud: dict[int, int] = {}
        looked: set[int] = set()
        cued: set[int] = set()
        for number, start, _ in self.find(text):
            level, cue = self.values[number]
            line = bisect_right(starts, start) - 1
            if level > 0 and start - starts[line] < LEVEL_WITHIN:
                loud.setdefault(line, start - starts[line])
            if not cue and level:
                continue  # a level word alone
            if self.failure[number] and text[max(0, start - 2) : start] == b" 0":
                continue
            looked.add(line)
            if cue:
                cued.add(line)
        return loud, looked, cued


_QUIET_KEYS = tuple(f" {word} ".encode("ascii") for word in _QUIET)
"""The quiet level words in quick-text spelling, the most common first."""
_END = {key: LEVEL_WITHIN - 1 + len(key) for key in _QUIET_KEYS}
"""Where a key must end to start within LEVEL_WITHIN (for `bytes.find`)."""


def _unquiet_lines(rows: list[bytes], loud: dict[int, int]) -> set[int]:
    """The lines (quick-text `rows`) that do not name a quiet level first within
    LEVEL_WITHIN of their start; `loud` holds where lines name a loud one first."""
    left: Sequence[int] = range(len(rows))
    unread: Iterable[bytes] = rows
    for key in _QUIET_KEYS:  # each key over the lines none before was found in
        found = map(bytes.find, unread, repeat(key), repeat(0), repeat(_END[key]))
        left = list(compress(left, map((-1).__eq__, found)))
        if not left:
            break
        unread = map(rows.__getitem__, left)
    unquiet = set(left)
    loud_first = [n for n, at in loud.items() if n not in unquiet and _first_quiet(rows[n]) > at]
    unquiet.update(loud_first)
    return unquiet


def _cut(lines: list[str], rows: list[bytes]) -> tuple[bytes, list[bytes]]:
    """The quick text and rows of `lines` with each cut to MAX_CHARS characters, as every
    tier reads them: only the rows of lines that long change."""
    rows = list(rows)
    for index, row in enumerate(rows):
        if len(row) > MAX_CHARS + 2 and len(lines[index]) > MAX_CHARS:
            rows[index] = _quick_bytes(_utf8([lines[index][:MAX_CHARS]]))
    return b"\n".join(rows), rows


def _first_quiet(row: bytes) -> int:
    """Where the first quiet level word starts in a row that has one within LEVEL_WITHIN."""
    offsets = [row.find(key, 0, _END[key]) for key in _QUIET_KEYS]
    return min(offset for offset in offsets if offset >= 0)


def _spellings(key: str) -> set[str]:
    """A key as the gate may see it: quick text keeps runs of spaces ("too  many")."""
    key = _as_quick(key)
    inner = key.strip(" ")
    return {key, key.replace(inner, inner.replace(" ", "  "))}


def _quick_keys(cues: list[tuple[str, Bound]], rare: set[str]) -> dict[str, tuple[int, bool]]:
    """The quick pass's keys in quick-text spelling → (level, is a problem word).

    Problem words and level words set their flags; rare message words only count as
    something worth a look (neither flag).
    """
    keys: dict[str, tuple[int, bool]] = {}

    def add(text: str, bound: Bound, level: int, cue: bool) -> None:
        for key in _spellings(key_text(text, bound)):
            old_level, old_cue = keys.get(key, (0, False))
            keys[key] = (old_level or level, old_cue or cue)

    for text, bound in cues:
        add(text, bound, 0, True)
    for key in rare:
        add(key.strip(), Bound.PREFIX, 0, False)
    for word in _QUIET:
        add(word, Bound.WORD, -1, False)
    for word in _LOUD:
        add(word, Bound.WORD, 1, False)
    return keys


def _rare_words(
    forms: Sequence[FormKeys], cues: list[tuple[str, Bound]], ignore: frozenset[str]
) -> set[str]:
    """Words standing for the messages that hold no problem word, such as "Invalid grant"."""
    cue_words = {text for text, _ in cues}
    found = set()
    for form in forms:
        if cue_words.isdisjoint(form.text.split()):
            for word in form.words:
                if len(word) >= 4 and word not in COMMON_WORDS and word not in ignore:
                    found.add(key_text(word, Bound.PREFIX))
    return found


_SEPARATORS = re.compile(r"(?:[^\w?\n]|_)+")


def _quick_byte(byte: int) -> int:
    """ASCII letters lowered, other ASCII but digits, `?` and line breaks as spaces;
    the bytes of other characters as they are."""
    if byte >= 128:
        return byte
    char = chr(byte)
    return ord(char.lower()) if char.isalnum() or char in "?\n" else ord(" ")


_QUICK_TABLE = bytes(map(_quick_byte, range(256)))


def _utf8(lines: list[str]) -> bytes:
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def quick_text(raw: str) -> bytes:
    """Raw text as the quick pass reads it: UTF-8 bytes, ASCII letters lowered, ASCII
    punctuation as spaces, padded.

    All byte-level, because it is computed for every line of a log; the full scan
    reads folded text through it too. Runs of spaces are kept, so keys of several
    words are also registered with double spaces (see `_spellings`).
    """
    return _quick_bytes(raw.encode("utf-8", "surrogatepass"))


def _quick_bytes(data: bytes) -> bytes:
    return b" " + data.translate(_QUICK_TABLE).replace(b"\n", b" \n ") + b" "


def _as_quick(key: str) -> str:
    return key.encode("utf-8").decode("latin-1")


def key_text(text: str, bound: Bound) -> str:
    """A key in the gate's spelling: boundaries written as spaces."""
    words = _SEPARATORS.sub(" ", text).strip()
    if bound == Bound.WORD:
        return f" {words} "
    if bound == Bound.PREFIX:
        return f" {words}"
    return text
