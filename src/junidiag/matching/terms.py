"""Words → comparable terms, across English, Swedish and Norwegian.

Retrieval of plain-language descriptions compares *terms*, not words: glossary
concepts (`faktura`, `invoices` and `fakturaen` all become INVOICE; `kreditnota`
and `credit memo` become CREDIT_INVOICE) and, for words the glossary does not
know, a lightly stemmed form of the word itself. Compounds are split on glossary
stems (`rabattraden` → DISCOUNT + ROW).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

from junidiag.text import languages

if TYPE_CHECKING:
    from junidiag.matching.gate import Bound

STOPWORDS = frozenset(
    languages.words("stopwords") + languages.words("negations") + languages.words("negation.typos")
)
"""Words that tell no entry apart: function words, fillers, words saying when or how much."""
_SUFFIXES = tuple(sorted(languages.words("stem.suffixes"), key=len, reverse=True))
"""The stemmer's endings, longest first: the first that leaves `_MIN_STEM` letters goes."""
_MIN_STEM = 4
_MIN_PREFIX = 3


@dataclass(slots=True)
class Glossary:
    """Parsed `glossary.txt`: single words, prefix stems and phrases, each → concepts."""

    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    prefixes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    phrases: dict[str, list[tuple[tuple[str, ...], bool, tuple[str, ...]]]] = field(
        default_factory=dict
    )
    """First word → [(words, last word is a prefix, concepts)], longest phrase first."""

    @classmethod
    def parse(cls, text: str) -> Glossary:
        glossary = cls()
        for raw in text.splitlines():
            line = raw.split("#", 1)[0].strip() if raw.lstrip().startswith("#") else raw.strip()
            if not line:
                continue
            concept, _, forms = line.partition(":")
            for form in forms.split("|"):
                glossary.add(form.strip(), tuple(concept.strip().split("+")))
        for options in glossary.phrases.values():
            options.sort(key=lambda option: -len(option[0]))
        return glossary

    def add(self, form: str, concepts: tuple[str, ...]) -> None:
        if not form:
            return
        is_prefix = form.endswith("*")
        parts = tuple(form.rstrip("*").split())
        if len(parts) > 1:
            self.phrases.setdefault(parts[0], []).append((parts, is_prefix, concepts))
        elif is_prefix:
            self.prefixes[parts[0]] = _merge(self.prefixes.get(parts[0], ()), concepts)
        else:
            self.words[parts[0]] = _merge(self.words.get(parts[0], ()), concepts)

    def forms_of(self) -> dict[str, list[tuple[str, Bound]]]:
        """Concept → the texts that stand for it in a line, and where they must sit."""
        from junidiag.matching.gate import Bound

        found: dict[str, list[tuple[str, Bound]]] = {}
        for word, concepts in self.words.items():
            for concept in concepts:
                found.setdefault(concept, []).append((word, Bound.WORD))
        for prefix, concepts in self.prefixes.items():
            for concept in concepts:
                found.setdefault(concept, []).append((prefix, Bound.PREFIX))
        for options in self.phrases.values():
            for parts, last_is_prefix, concepts in options:
                bound = Bound.PREFIX if last_is_prefix else Bound.WORD
                for concept in concepts:
                    found.setdefault(concept, []).append((" ".join(parts), bound))
        return found

    def surface_forms(self) -> set[str]:
        """Every word the glossary knows, for spelling correction."""
        found = set(self.words) | set(self.prefixes)
        for options in self.phrases.values():
            for parts, _, _ in options:
                found.update(parts)
        return found


def _merge(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*old, *new)))


def load_glossary() -> Glossary:
    return Glossary.parse(languages.glossary_text())


@dataclass(slots=True)
class TermMaker:
    """Turns folded word tokens into terms, remembering each word's terms."""

    glossary: Glossary
    _cache: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def terms(self, tokens: list[str]) -> list[str]:
        found: list[str] = []
        position = 0
        while position < len(tokens):
            width, concepts = self.phrase_at(tokens, position)
            if width:
                found.extend(c for c in concepts if c != IGNORED)
                # A name inside a phrase ("Send to nShift") still tells entries apart.
                found.extend(self.unknown_words(tokens[position : position + width]))
                found.extend(_negated(concepts, tokens, position, width))
                position += width
                continue
            concepts = self.word(tokens[position])
            found.extend(concepts)
            found.extend(_negated(concepts, tokens, position, 1))
            position += 1
        return found

    def marks(self, text: str) -> list[str]:
        """Terms the text's own spelling carries, which folding loses: words that are a
        concept only in capitals (`OSS`, `NOK`: folded, a Swedish "us", a Norwegian
        "enough"), and a percentage (`21 %`, a VAT rate more often than not)."""
        found: list[str] = []
        for word in _ACRONYMS.findall(text):
            found.extend(self.known(word.lower()))
        if _PERCENT.search(text):
            found.append(PERCENT)
        return found

    def unknown_words(self, words: list[str]) -> list[str]:
        return [stem(w) for w in words if w.isalpha() and w not in STOPWORDS and not self.known(w)]

    def phrase_at(self, tokens: list[str], position: int) -> tuple[int, tuple[str, ...]]:
        for parts, last_is_prefix, concepts in self.glossary.phrases.get(tokens[position], ()):
            end = position + len(parts)
            if end > len(tokens):
                continue
            window = tokens[position:end]
            if window[:-1] != list(parts[:-1]):
                continue
            last = window[-1]
            if last == parts[-1] or (last_is_prefix and last.startswith(parts[-1])):
                return len(parts), concepts
        return 0, ()

    def word(self, token: str) -> tuple[str, ...]:
        cached = self._cache.get(token)
        if cached is None:
            cached = self._cache[token] = self._lookup(token)
        return cached

    def _lookup(self, token: str) -> tuple[str, ...]:
        if token in STOPWORDS:
            return ()
        known = self.known(token)
        if known:
            return known
        if not token.isalpha():
            return (token,) if (len(token) >= 3 and not token.isdigit()) or len(token) >= 4 else ()
        if len(token) < 3:
            return ()
        stemmed = stem(token)
        return () if stemmed in STOPWORDS else (stemmed,)  # "fredags" is "fredag"

    def known(self, token: str) -> tuple[str, ...]:
        """Concepts for a single word: exact form, else longest prefix (+ compound rest)."""
        exact = self.glossary.words.get(token)
        if exact:
            return exact
        for end in range(len(token), _MIN_PREFIX - 1, -1):
            concepts = self.glossary.prefixes.get(token[:end])
            if concepts:
                rest = token[end:]
                return _merge(concepts, self.compound_rest(rest))
        return ()

    def compound_rest(self, rest: str) -> tuple[str, ...]:
        """The second half of a compound (`raden` in `rabattraden`), linking s/e allowed."""
        # a linking letter: "kunds|kort", "faktura|gebyr" after the prefix `faktur`
        for candidate in (rest, rest[1:] if rest[:1] in ("s", "e", "a") else ""):
            if len(candidate) >= 3 and candidate not in STOPWORDS:
                concepts = self.glossary.words.get(candidate)
                if concepts:
                    return concepts
                for end in range(len(candidate), _MIN_PREFIX, -1):
                    concepts = self.glossary.prefixes.get(candidate[:end])
                    if concepts:
                        return concepts
        return ()


_ACRONYMS = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in languages.words("acronyms")) + r")\b"
    if languages.words("acronyms")
    else r"(?!)"
)
_PERCENT = re.compile(r"\d\s?%")
PERCENT = "PERCENT"
IGNORED = "IGNORED"
"""A glossary concept that stands for nothing: a phrase that only takes its words out of
the way (Swedish `kunde inte` is "could not", where Norwegian `kunde` is a customer)."""
NEGATED = {"FIND": "NOT_FOUND", "EXIST": "NOT_FOUND", "FETCH": "NOT_FOUND"}
"""A concept that a negation near it turns into another: "hittades inte", "could not
retrieve", "ble ikke funnet" all say that something was not found."""
_NEGATION_REACH = 3
_NEGATIONS = frozenset(
    languages.words("negations")
    + languages.words("negation.core")
    + languages.words("negation.contractions")
    + languages.words("negation.aliases")
    + languages.words("negation.typos")
)


def _negated(concepts: tuple[str, ...], tokens: list[str], position: int, width: int) -> list[str]:
    """The concepts a negation within reach turns these into (see `NEGATED`)."""
    turned = [NEGATED[c] for c in concepts if c in NEGATED]
    if not turned:
        return []
    before = tokens[max(0, position - _NEGATION_REACH) : position]
    after = tokens[position + width : position + width + _NEGATION_REACH - 1]
    near = [*before, *after]
    if any(t in _NEGATIONS for t in near) or any(
        t == "t" and a.endswith("n") for a, t in pairwise(near)
    ):
        return turned
    return []


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light, language-agnostic stem: one common suffix off, keeping 4+ letters."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word
