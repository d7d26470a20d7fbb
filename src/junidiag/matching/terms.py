"""Words → comparable terms, across English, Swedish and Norwegian.

Retrieval of plain-language descriptions compares *terms*, not words: glossary
concepts (`faktura`, `invoices` and `fakturaen` all become INVOICE; `kreditnota`
and `credit memo` become CREDIT_INVOICE) and, for words the glossary does not
know, a lightly stemmed form of the word itself. Compounds are split on glossary
stems (`rabattraden` → DISCOUNT + ROW).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from junidiag.matching.gate import Bound

STOPWORDS = frozenset(
    # English
    "a an the and or but if then than so to of in on at by for from with without into onto "
    "as is are was were be been being am do does did done doing have has had having it its "
    "this that these those there here we our us i me my you your they them their he she his "
    "her which who whom what when where why how all any some each every both either neither "
    "can could would should will shall may might must just also still yet again even only "
    "very too more most much many such same other another up down out off over under about "
    "after before since until while because though although not no nor never none "
    "cannot can't don't doesn't didn't won't isn't aren't wasn't weren't hasn't haven't "
    "don doesn didn won isn aren wasn weren hasn haven couldn wouldn shouldn t s ll ve re "
    "get gets got getting make makes made seem seems seemed keep keeps kept "
    "now anymore any more something anything everything one two "
    # Swedish
    "och eller men om sa att som det den de dem denna detta dessa en ett i pa av for fran "
    "med utan till hos vid under over efter innan sedan nar dar har hur vad varfor vilken "
    "vilket vilka ar var varit vara blir blev blivit bli har hade haft kan kunde ska skulle "
    "vill ville maste far fick inte ej aldrig ingen inget inga nagon nagot nagra alla allt "
    "vi jag du ni han hon man oss vara vart min mitt mina din ditt dina sin sitt sina deras "
    "ocksa bara just annu redan igen nu da sa mycket mer mest hela helt ju nog visst samma "
    # Norwegian
    "og eller men hvis sa at som det den de dem denne dette disse en ei et i pa av for fra "
    "med uten til hos ved under over etter for siden nar der her hvordan hva hvorfor hvilken "
    "hvilket hvilke er var vaert vaere blir ble blitt bli har hadde hatt kan kunne skal "
    "skulle vil ville ma matte far fikk ikke aldri ingen intet noen noe alle alt vi jeg du "
    "dere han hun man oss var vart min mitt mine din ditt dine sin sitt sine deres ogsa "
    "bare akkurat enna allerede igjen na da mye mer mest hele helt jo nok samme "
    # Words that say when or how much, fillers and log levels: no entry is told apart
    # by them, and counting them as unknown evidence would only add noise.
    "today yesterday tomorrow morning evening night overnight week weeks month months hour "
    "hours minute ago last recently monday tuesday wednesday thursday friday saturday sunday "
    "idag igar imorgon morgon morgonen kvall kvallen natt natten inatt vecka veckan veckor "
    "forra manad manaden timme timmar morgen morgenen kveld kvelden uke uken uker forrige "
    "maned maneden time mandag tisdag tirsdag onsdag torsdag fredag lordag sondag "
    "three four five six seven eight nine ten tre fyra fire fem seks sju syv atta atte "
    "nio ni tio ti "
    "say says said saying tell tells told give gives gave given take takes took taken came come "
    "comes coming go goes went gone think thought know knew knows look looks looked like "
    "sit sits sitting put puts became become want wants need needs needed try tried trying "
    "happen happens happened happening really actually maybe perhaps please thanks thank hi "
    "hello help someone somebody everyone anyone guys team us whole lot lots bit "
    "verkar ser sag kolla kollat titta tittat gor gjort gjorde hander hande sager tack hej "
    "kanske liksom typ virker sjekke sjekket sjekk gjor skjer skjedde sier takk hei kanskje "
    "info warn warning debug trace notice "
    "fordi derfor darfor ens tva varken heller enna annu dessutom single side sida "
    "nagonstans noensteds anywhere somewhere nowhere ingenstans".split()
)

_SUFFIXES = (
    "ingarna", "ingene", "ingen", "ingar", "inger", "ingen", "ing", "arna", "erna", "orna",
    "ene", "ens", "ets", "ade", "ede", "ed", "es", "er", "ar", "or", "en", "et", "s",
)  # fmt: skip
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
    text = resources.files("junidiag.matching").joinpath("glossary.txt").read_text(encoding="utf-8")
    return Glossary.parse(text)


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
                found.extend(concepts)
                # A name inside a phrase ("Send to nShift") still tells entries apart.
                found.extend(self.unknown_words(tokens[position : position + width]))
                position += width
                continue
            found.extend(self.word(tokens[position]))
            position += 1
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
        for candidate in (rest, rest[1:] if rest[:1] in ("s", "e") else ""):
            if len(candidate) >= 3 and candidate not in STOPWORDS:
                concepts = self.glossary.words.get(candidate)
                if concepts:
                    return concepts
                for end in range(len(candidate), _MIN_PREFIX, -1):
                    concepts = self.glossary.prefixes.get(candidate[:end])
                    if concepts:
                        return concepts
        return ()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light, language-agnostic stem: one common suffix off, keeping 4+ letters."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word
