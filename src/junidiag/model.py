"""The domain: catalog entries, their messages, and matches of input text against them.

Plain frozen dataclasses with no I/O, so every other module (and the data-only cache)
can share them. Rendering and JSON are separate sinks of these same objects.
Entries and matches compare by identity (`eq=False`): an entry from a user
catalog is not the bundled one it overrides, however alike, and skipping the
generated comparisons keeps this module cheap to import on every run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from itertools import pairwise
from typing import Literal, NamedTuple

Lang = str
"""A registered language's code (`en`, `sv`, `no`; see `text.languages`)."""

Basis = Literal["exact", "code", "fuzzy", "symptom"]
"""What a match was based on: a message template, the vendor's error code, a near copy
of a message, or a description."""

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_WORD_CHARACTER = re.compile(r"[^\W_]")


def side_by_side(template: str) -> tuple[str, str] | None:
    """The first two placeholders of a message template with no word between them, only
    spaces or punctuation (`'{a}' '{b}'`, `{a}{b}`), or None.

    Where one such value ends and the next begins is ambiguous, and a pattern trying
    every split takes time exponential in their number: the catalog refuses them.
    """
    found = list(PLACEHOLDER.finditer(template))
    for before, after in pairwise(found):
        if not _WORD_CHARACTER.search(template, before.end(), after.start()):
            return before.group(1), after.group(1)
    return None


class Severity(StrEnum):
    CRITICAL = "critical"
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse: critical 3 > error 2 > warning 1 > info 0."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {
    Severity.INFO: 0,
    Severity.WARNING: 1,
    Severity.ERROR: 2,
    Severity.CRITICAL: 3,
}


class Kind(StrEnum):
    CODE = "code"
    PATTERN = "pattern"
    REFERENCE = "reference"


@dataclass(frozen=True)
class Message:
    """One literal error text, with `{placeholders}` for its variable parts."""

    text: str
    lang: Lang
    translation: str | None = None
    reference: str | None = None
    """Where this exact wording was seen (a URL, or `owner/repo:path`)."""

    @property
    def placeholders(self) -> tuple[str, ...]:
        return tuple(PLACEHOLDER.findall(self.text))


class Origin(StrEnum):
    """Where an entry's knowledge comes from."""

    SEED = "seed"
    """The Junipeer error guide the catalog started from."""
    VENDOR_DOCS = "vendor-docs"
    """The systems' own public documentation, SDKs and issue threads."""


@dataclass(frozen=True)
class Code:
    """A vendor's error code for the entry's cause: `2000310` in Fortnox's error body."""

    system: str
    code: str
    reference: str | None = None
    note: str | None = None
    """What else the sources say of this code (another meaning elsewhere, say)."""


@dataclass(frozen=True, eq=False)
class Entry:
    """One known problem: what it is, how bad, why, and how to fix it."""

    id: str
    title: str
    severity: Severity
    kind: Kind
    systems: tuple[str, ...]
    messages: tuple[Message, ...]
    cause: str
    solution: tuple[str, ...]
    symptoms: tuple[str, ...]
    related: tuple[str, ...]
    examples: tuple[str, ...]
    counterexamples: tuple[str, ...] = ()
    codes: tuple[Code, ...] = ()
    references: tuple[str, ...] = ()
    """Where the knowledge comes from: the seed, vendor documentation, SDKs, issue threads."""
    notes: tuple[str, ...] = ()
    """What the sources disagree on or leave open, for the person reading the entry."""
    origin: Origin | None = None
    source: str = "bundled"
    """Where the entry came from: "bundled" or the catalog directory that defined it."""
    path: str = ""
    """The file the entry was loaded from, for error messages."""

    def names_system(self, system: str) -> bool:
        """Whether the entry names `system` (a whole name, case-insensitive; `any` is a
        name too, for the entries that concern every system)."""
        wanted = system.casefold()
        return any(s.casefold() == wanted for s in self.systems)


@dataclass(frozen=True, eq=False)
class Match:
    """An entry found for an input text, and how sure we are of it."""

    entry: Entry
    score: int
    """0–100, comparable across inputs: a single threshold separates matches."""
    basis: Basis
    matched_text: str
    """The part of the input that the entry was recognised in."""
    language: Lang
    message: Message | None = None
    """The catalog message that matched, when the match was made on one."""
    variables: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.entry.id

    @cached_property  # read by the renderer and the JSON sink, filled in by a regex
    def translation(self) -> str | None:
        """English for a Swedish or Norwegian match, with the extracted values filled in."""
        if self.language == "en":
            return None
        if self.message is not None and self.message.translation:
            return fill(self.message.translation, self.variables)
        return None


def fill(template: str, variables: dict[str, str]) -> str:
    """Put extracted values into a template; unknown placeholders stay as written."""
    return PLACEHOLDER.sub(lambda m: variables.get(m.group(1), m.group(0)), template)


# --- what a log run found ------------------------------------------------------------

REPEAT_ADVICE_AT = 10
"""One entry on this many lines points to one configuration problem (the seed's advice)."""


@dataclass(slots=True)
class Tally:
    entry: Entry
    count: int
    first: int
    last: int


@dataclass(slots=True)
class Summary:
    """What a log run found: per entry, how often and where first and last."""

    lines: int = 0
    matched: int = 0
    tallies: dict[str, Tally] = field(default_factory=dict)
    interrupted: bool = False
    terminated: bool = False
    """Interrupted by SIGTERM rather than Ctrl-C."""

    def add(self, number: int, match: Match) -> None:
        self.matched += 1
        tally = self.tallies.get(match.entry.id)
        if tally is None:
            self.tallies[match.entry.id] = Tally(match.entry, 1, number, number)
        else:
            tally.count += 1
            tally.last = number

    def ranked(self) -> list[Tally]:
        """Most severe first, then most frequent, then earliest."""
        return sorted(
            self.tallies.values(), key=lambda t: (-t.entry.severity.rank, -t.count, t.first)
        )

    def worst(self) -> Severity | None:
        ranked = self.ranked()
        return ranked[0].entry.severity if ranked else None

    def advice(self) -> list[str]:
        notes = []
        for tally in self.ranked():
            if stops_connector(tally.entry):
                notes.append(
                    f"{tally.entry.id} is critical: all syncs of that connector have probably "
                    "stopped. Reconnect it first (Connectors page), then retry the failed tasks."
                )
        for tally in self.ranked():
            if tally.count >= REPEAT_ADVICE_AT:
                notes.append(
                    f"{tally.entry.id} accounts for {tally.count} lines: this points to one "
                    "configuration problem. Fix it once, then retry all failed tasks."
                )
        return notes


def stops_connector(entry: Entry) -> bool:
    """A critical entry about an OAuth connection or token: every sync of it has stopped."""
    cause = entry.cause.casefold()
    return entry.severity is Severity.CRITICAL and ("oauth" in cause or "token" in cause)


# --- what `catalog check` found ------------------------------------------------------


class Problem(NamedTuple):
    """One thing wrong with one catalog file, as a person would want to read it."""

    path: str
    line: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


@dataclass
class CheckReport:
    errors: list[Problem] = field(default_factory=list)
    """The catalog cannot be loaded: exit 2 (each one a `catalog.Problem`)."""
    failures: list[str] = field(default_factory=list)
    """It loads, but an entry does not do what it claims: exit 1."""
    warnings: list[str] = field(default_factory=list)
    entries: int = 0
    examples: int = 0
    counterexamples: int = 0

    def summary(self) -> str:
        if self.errors:
            errors = len(self.errors)
            return f"{errors} error{'s' if errors != 1 else ''}: the catalog does not load"
        counted = (
            f"{_count(self.entries, 'entry', 'entries')}, {_count(self.examples, 'example')}, "
            f"{_count(self.counterexamples, 'counterexample')} checked"
        )
        if self.failures:
            return f"{len(self.failures)} failed: {counted}"
        return f"OK: {counted}"


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"
