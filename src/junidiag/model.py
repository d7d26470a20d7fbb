"""The domain: catalog entries, their messages, and matches of input text against them.

Plain frozen dataclasses and named tuples with no I/O, so every other module (and the
data-only cache) can share them. The small values (`Message`, `Code`) are named tuples:
this module loads on every run, and a frozen dataclass costs about half a millisecond
to create, a named tuple a fifth of that. Rendering and JSON are separate sinks of
these same objects. Entries and matches compare by identity (`eq=False`): an entry
from a user catalog is not the bundled one it overrides, however alike, and skipping
the generated comparisons keeps this module cheap to import on every run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterator

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


class Message(NamedTuple):
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


class Code(NamedTuple):
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

    def texts(self) -> Iterator[str]:
        """Everything the entry says in words: title, cause, solution steps, symptoms,
        messages and their translations (what the matcher reads from the catalog)."""
        yield from (self.title, self.cause, *self.solution, *self.symptoms)
        for message in self.messages:
            yield message.text
            yield message.translation or ""


DRAFT_MARK = "TODO"
"""What `catalog new` leaves where a person must still write (see `draft_fields`)."""


def draft_fields(entry: Entry) -> list[str]:
    """The fields of an entry that still hold TODO: a draft from `catalog new`, which
    `catalog check` fails and every view marks as a draft."""
    fields = {
        "title": [entry.title],
        "cause": [entry.cause],
        "solution": list(entry.solution),
        "symptoms": list(entry.symptoms),
        "messages": [m.translation or "" for m in entry.messages],
    }
    return [name for name, texts in fields.items() if any(DRAFT_MARK in t for t in texts)]


def is_draft(entry: Entry) -> bool:
    return bool(draft_fields(entry))


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


UNKNOWN_SHAPES_KEPT = 1000
"""Shapes of unrecognised error lines a log run keeps apart; lines of any further shape
are only counted, so memory stays flat however many kinds a log holds."""
TIMELINE_BUCKETS = 128
"""Counts kept per entry for its timeline, over a grid that coarsens as the log's span
grows (see `Summary.timeline`)."""


TIMELINE_MIN_SPAN = 60.0
"""A log spanning less time (seconds) gets no timeline: its First and Last say it all."""


EXAMPLES_KEPT = 5
"""Lines a log run keeps per entry, with their numbers, for a report to quote."""

HOUR, DAY = 3600, 86400
CALENDAR_SPANS = {HOUR: 7 * DAY, DAY: 92 * DAY}
"""Calendar buckets a log run counts each entry's lines in, for a report's timeline:
hours while the log spans up to a week, days up to a quarter; a longer log has only
the timeline grid. So a tally holds at most 169 counts however long the log."""


class Stamp(NamedTuple):
    """A log line's timestamp: when, for ordering, and as the line wrote it."""

    at: float
    """Seconds since 1970 (UTC when the line names a zone; else as written)."""
    date: str
    """`2026-02-03`, or a syslog line's `Feb 3`."""
    time: str
    """`08:00:01`, or empty when the line gives a date alone."""


class Example(NamedTuple):
    """A line an entry was found on: its number, the line as written (cut at
    `EXAMPLE_CHARS`) and the match, for what was recognised and its translation."""

    line: int
    text: str
    match: Match


@dataclass(slots=True)
class Tally:
    entry: Entry
    count: int
    first: int
    last: int
    first_at: Stamp | None = None
    """The earliest timestamp of its lines, when they carry one."""
    last_at: Stamp | None = None
    buckets: list[int] | None = None
    """Its lines per bucket of the summary's timeline grid."""
    examples: list[Example] = field(default_factory=list)
    """Its first `EXAMPLES_KEPT` lines, when the run was given them."""
    calendar: dict[int, int] | None = None
    """Its lines per hour or day (the summary's `unit`) since 1970, by `at // unit`."""

    def stamped(self, stamp: Stamp) -> None:
        if self.first_at is None or stamp.at < self.first_at.at:
            self.first_at = stamp
        if self.last_at is None or stamp.at >= self.last_at.at:
            self.last_at = stamp


class Unknown:
    """Lines at an error level that matched nothing, of one number-blind shape: the first
    such line as written (cut at `EXAMPLE_CHARS`), how many, where first and last.

    (A plain class: this module loads on every run, and a dataclass costs about half a
    millisecond to create.)"""

    __slots__ = ("count", "example", "first", "first_at", "last", "last_at")

    def __init__(self, example: str, count: int, first: int, last: int) -> None:
        self.example = example
        self.count = count
        self.first = first
        self.last = last
        self.first_at: Stamp | None = None
        self.last_at: Stamp | None = None

    def __repr__(self) -> str:
        return f"Unknown({self.example!r}, {self.count}, {self.first}, {self.last})"

    def stamped(self, stamp: Stamp) -> None:
        if self.first_at is None or stamp.at < self.first_at.at:
            self.first_at = stamp
        if self.last_at is None or stamp.at >= self.last_at.at:
            self.last_at = stamp


EXAMPLE_CHARS = 500
"""How much of an unrecognised line is kept as its shape's example."""


@dataclass(slots=True)
class Summary:
    """What a log run found: per entry, how often and where first and last; the lines at
    an error level that matched nothing, by shape; and when, when lines carry times."""

    lines: int = 0
    matched: int = 0
    tallies: dict[str, Tally] = field(default_factory=dict)
    interrupted: bool = False
    unknown: dict[str, Unknown] = field(default_factory=dict)
    """Unrecognised error-level lines by number-blind shape (at most `UNKNOWN_SHAPES_KEPT`)."""
    unknown_lines: int = 0
    """Every unrecognised error-level line, kept apart by shape or not."""
    earliest: Stamp | None = None
    latest: Stamp | None = None
    """The span of the timestamps read (matched and unrecognised lines, and each
    batch's first and last line)."""
    origin: float = 0.0
    width: float = 1.0
    """The timeline grid: bucket n holds [origin + n·width, origin + (n+1)·width)."""
    nonblank: int = 0
    """Non-blank lines read, counted up to 2 (see `only_line`)."""
    only_line: str | None = None
    """The log's one non-blank line, while it has only one."""
    terminated: bool = False
    """Interrupted by SIGTERM rather than Ctrl-C."""
    unit: int = HOUR
    """Seconds per bucket of each tally's `calendar`: `HOUR`, `DAY`, or 0 when the log
    spans too long for either (see `CALENDAR_SPANS`)."""

    def add(
        self, number: int, match: Match, stamp: Stamp | None = None, line: str | None = None
    ) -> None:
        """A matched line; given the `line` itself, the first few of each entry are kept."""
        self.matched += 1
        tally = self.tallies.get(match.entry.id)
        if tally is None:
            tally = self.tallies[match.entry.id] = Tally(match.entry, 1, number, number)
        else:
            tally.count += 1
            tally.last = number
        if line is not None and len(tally.examples) < EXAMPLES_KEPT:
            tally.examples.append(Example(number, line[:EXAMPLE_CHARS], match))
        if stamp is not None:
            tally.stamped(stamp)
            index = self.place(stamp)
            if tally.buckets is None:
                tally.buckets = [0] * TIMELINE_BUCKETS
            tally.buckets[index] += 1
            if self.unit:
                self._on_calendar(tally, stamp.at)

    def _on_calendar(self, tally: Tally, at: float) -> None:
        self.settle_calendar()
        if self.unit:
            calendar = tally.calendar
            if calendar is None:
                calendar = tally.calendar = {}
            key = int(at // self.unit)
            calendar[key] = calendar.get(key, 0) + 1

    def add_unknown(self, number: int, shape: str, line: str, stamp: Stamp | None) -> None:
        """An error-level line that matched nothing, of the given number-blind shape."""
        self.unknown_lines += 1
        found = self.unknown.get(shape)
        if found is None:
            if len(self.unknown) >= UNKNOWN_SHAPES_KEPT:
                if stamp is not None:
                    self.place(stamp)
                return
            found = self.unknown[shape] = Unknown(line[:EXAMPLE_CHARS], 0, number, number)
        found.count += 1
        found.last = number
        if stamp is not None:
            found.stamped(stamp)
            self.place(stamp)

    def read_nonblank(self, lines: list[str]) -> None:
        """Count non-blank lines up to two (cheap: it stops at the second)."""
        for line in lines:
            if line.strip():
                self.nonblank += 1
                self.only_line = line if self.nonblank == 1 else None
                if self.nonblank >= 2:
                    return

    def unknown_ranked(self) -> list[Unknown]:
        """Most frequent first, then earliest."""
        return sorted(self.unknown.values(), key=lambda u: (-u.count, u.first))

    # --- when: the span and each entry's timeline ----------------------------------

    def place(self, stamp: Stamp | None) -> int:
        """Widen the span to `stamp`; its bucket on the timeline grid, coarsening the
        grid (and every entry's counts) until the stamp falls on it."""
        if stamp is None:
            return 0
        at = stamp.at
        if self.earliest is None or self.latest is None:
            self.earliest = self.latest = stamp
            self.origin, self.width = float(int(at // 1)), 1.0
        elif at < self.earliest.at:
            self.earliest = stamp
        elif at > self.latest.at:
            self.latest = stamp
        while True:
            index = int((at - self.origin) // self.width)
            if 0 <= index < TIMELINE_BUCKETS:
                return index
            self._coarsen()

    def _coarsen(self) -> None:
        """Twice as long a bucket, on a grid aligned to its width: the old grid's window
        always fits in the new one's, so no count falls off."""
        wider = self.width * 2
        origin = (self.origin // wider) * wider
        shift = round((self.origin - origin) / self.width)  # 0 or 1
        for tally in self.tallies.values():
            if tally.buckets is not None:
                merged = [0] * TIMELINE_BUCKETS
                for index, count in enumerate(tally.buckets):
                    if count:
                        merged[(index + shift) // 2] += count
                tally.buckets = merged
        self.origin, self.width = origin, wider

    def settle_calendar(self) -> None:
        """Count by days once the log spans more than a week (the tallies' hours
        merged), and not at all once it spans more than a quarter."""
        if self.earliest is None or self.latest is None:
            return
        span = self.latest.at - self.earliest.at
        while self.unit and span > CALENDAR_SPANS[self.unit]:
            wider = DAY if self.unit == HOUR else 0
            for tally in self.tallies.values():
                if tally.calendar is None:
                    continue
                if not wider:
                    tally.calendar = None
                    continue
                merged: dict[int, int] = {}
                for key, count in tally.calendar.items():
                    day = key * self.unit // wider
                    merged[day] = merged.get(day, 0) + count
                tally.calendar = merged
            self.unit = wider

    def timeline(self, tally: Tally, columns: int) -> list[int]:
        """The entry's lines over the log's span in `columns` equal steps of time (a
        short span's buckets stretched over several columns)."""
        if tally.buckets is None or self.earliest is None or self.latest is None:
            return [0] * columns
        low = int((self.earliest.at - self.origin) // self.width)
        high = int((self.latest.at - self.origin) // self.width)
        spread = high - low + 1
        counts = tally.buckets
        if spread <= columns:
            return [counts[low + step * spread // columns] for step in range(columns)]
        return [
            sum(counts[low + step * spread // columns : low + (step + 1) * spread // columns])
            for step in range(columns)
        ]

    def spans_time(self) -> bool:
        """Whether lines carried timestamps a minute apart or more: a timeline says
        something."""
        return (
            self.earliest is not None
            and self.latest is not None
            and self.latest.at - self.earliest.at >= TIMELINE_MIN_SPAN
        )

    def one_day(self) -> bool:
        """Whether every timestamp read falls on one date (the times alone tell them apart)."""
        return self.earliest is not None and (
            self.latest is None or self.earliest.date == self.latest.date
        )

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
