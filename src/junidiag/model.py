"""The domain: catalog entries, their messages, and matches of input text against them.

Plain frozen dataclasses with no I/O, so every other module (and the pickled cache)
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
from typing import Literal

Lang = Literal["en", "sv", "no"]
LANGS: tuple[Lang, ...] = ("en", "sv", "no")

Basis = Literal["exact", "fuzzy", "symptom"]
"""What a match was based on: a message template, a near copy of one, or a description."""

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


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

    @property
    def placeholders(self) -> tuple[str, ...]:
        return tuple(PLACEHOLDER.findall(self.text))


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
