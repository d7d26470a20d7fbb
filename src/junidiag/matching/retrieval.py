"""Finding entries from plain-language descriptions, in English, Swedish or Norwegian.

Every entry is a small set of documents — its title, symptoms, messages and their
translations, and (weighted lower) the sentences of its cause and solution — turned
into glossary terms (see `terms`). A description is scored against each entry by
two things that must both be high for a confident answer:

* how well it matches the entry's single closest document (an IDF-weighted cosine),
* how much of the description the entry's vocabulary explains at all (coverage).

Words nobody in the catalog uses count against coverage, so an ordinary log line
that shares one word with an entry stays far below the threshold.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from junidiag.matching.cues import reports_double, reports_none_found
from junidiag.matching.gate import Bound
from junidiag.matching.terms import Glossary, TermMaker
from junidiag.model import Entry
from junidiag.text.cleaning import fold, words

FIELD_WEIGHTS = {
    "title": 1.0,
    "symptom": 1.0,
    "message": 1.0,
    "cause": 0.8,
    "solution": 0.6,
}
UNKNOWN_WEIGHT = 1.2
"""The weight of a description word that no entry uses: it is evidence *against* a match."""
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\s+[—–]\s+")


class Document(NamedTuple):
    """One text of an entry (its title, a symptom, a message…) and its terms. (A named
    tuple: the index holds some 1,500 of them, which are read back by columns in C when
    a description is first scored.)"""

    entry: int
    kind: str
    text: str
    terms: frozenset[str]
    norm: float


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entry's symptom score for one description, with what drove it."""

    entry: int
    similarity: float
    """0–1: the blend of closest-document cosine and coverage."""
    document: Document
    coverage: float
    """Share of the description's weight that the entry's vocabulary explains."""
    cosine: float
    """Weighted cosine with the entry's closest document."""
    evidence: float
    """Absolute weight of the description's terms the entry explains."""


@dataclass(slots=True)
class SymptomIndex:
    maker: TermMaker
    documents: list[Document] = field(default_factory=list)
    idf: dict[str, float] = field(default_factory=dict)
    postings: dict[str, list[int]] = field(default_factory=dict)
    vocabulary: list[frozenset[str]] = field(default_factory=list)
    entries_of: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """term → the entries whose vocabulary holds it"""
    spellings_by_initial: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The spellings a typo may be corrected to, by first letter."""

    @classmethod
    def build(cls, entries: list[Entry], glossary: Glossary) -> SymptomIndex:
        index = cls(TermMaker(glossary))
        raw: list[tuple[int, str, str, frozenset[str]]] = []
        for number, entry in enumerate(entries):
            for kind, text in _documents(entry):
                terms = frozenset(index.terms_of(text))
                if terms:
                    raw.append((number, kind, text, terms))
        entry_terms: list[set[str]] = [set() for _ in entries]
        for number, _, _, terms in raw:
            entry_terms[number].update(terms)
        index.vocabulary = [frozenset(t) for t in entry_terms]
        entries_of: dict[str, list[int]] = defaultdict(list)
        for number, vocabulary in enumerate(index.vocabulary):
            for term in vocabulary:
                entries_of[term].append(number)
        index.entries_of = {t: tuple(e) for t, e in entries_of.items()}
        frequency: dict[str, int] = defaultdict(int)
        for vocabulary in index.vocabulary:
            for term in vocabulary:
                frequency[term] += 1
        total = len(entries)
        index.idf = {t: math.log(1 + total / df) for t, df in frequency.items()}
        postings: dict[str, list[int]] = defaultdict(list)
        for number, kind, text, terms in raw:
            norm = sum(index.idf[t] for t in terms)
            doc_id = len(index.documents)
            index.documents.append(Document(number, kind, text, terms, norm))
            for term in terms:
                postings[term].append(doc_id)
        index.postings = dict(postings)
        known = glossary.surface_forms() | {t for t in frequency if t.islower()}
        # (surface forms and plain-word terms: the spellings a typo may be corrected to)
        spellings: dict[str, list[str]] = defaultdict(list)
        for spelling in sorted(s for s in known if len(s) >= 5 and s.isalpha()):
            spellings[spelling[0]].append(spelling)
        index.spellings_by_initial = {initial: tuple(s) for initial, s in spellings.items()}
        return index

    def anchors(self, max_entries: int, ignore: frozenset[str]) -> list[tuple[str, Bound]]:
        """Texts standing for the terms that at most `max_entries` entries share.

        A description needs one of them to be scored at all (see `gate`). Glossary
        concepts stand by their surface forms (a phrase by the whole phrase), other
        terms by their stem; words in `ignore` (system names, which every line of a
        connector's log carries) stand for nothing.
        """
        floor = math.log(1 + len(self.vocabulary) / max_entries)
        forms = self.maker.glossary.forms_of()
        found: list[tuple[str, Bound]] = []
        for term, idf in self.idf.items():
            if idf < floor:
                continue
            if term.isupper():
                found.extend((t, b) for t, b in forms.get(term, []) if t not in ignore)
            elif term not in ignore and len(term) >= 4:
                found.append((term, Bound.PREFIX))
        return found

    def terms_of(self, text: str) -> list[str]:
        return [*self.maker.terms(words(fold(text))), *self.maker.marks(text)]

    def query_terms(self, text: str, *, typos: bool = True) -> list[str]:
        """The description's terms; with `typos`, unknown words get their closest known
        spelling (worth it for what people type, not for what programs log)."""
        found: list[str] = self.maker.marks(text)
        folded = fold(text)
        tokens = words(folded)
        if typos:
            tokens = [self._spelt_right(token) for token in tokens]
        for term in self.maker.terms(tokens):
            if term in self.idf or term.isupper():  # a known term, or a glossary concept
                found.append(term)
            elif not term.isalpha():
                continue  # an order number or amount nobody's symptom mentions: not evidence
            elif typos and len(term) >= 5:
                found.extend(self.correct(term) or (term,))
            else:
                found.append(term)
        # "matched 2 products" reports a duplicate, "matched 0 products" something not
        # found: the same words, told apart by their number
        if reports_double(folded):
            found.append("DOUBLE")
        if reports_none_found(folded):
            found.append("NOT_FOUND")
        return list(dict.fromkeys(found))

    def _spelt_right(self, token: str) -> str:
        """A word as it was meant: an unknown word of five letters or more becomes the known
        spelling one typo away, before it is stemmed — a typo often changes the stem
        ("fitler", "tokken") beyond recognition.

        A typo is two letters swapped ("fitler"), a letter typed twice ("tokken") or, in a
        word of six letters or more, one left out ("mising"). A letter changed or dropped
        is as often another word ("stable", "stale"; "content", "consent"; "kassa",
        "klassa"), and so is a word that opens with a known one (an ending or a compound:
        `vismas`, `fortnoxkopplingen`): those are left as they are."""
        if len(token) < 5 or not token.isalpha():
            return token
        if all(t in self.idf or t.isupper() for t in self.maker.terms([token])):
            return token
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        spellings = self.spellings_by_initial.get(token[0], ())
        if any(token.startswith(spelling) for spelling in spellings):
            return token
        close = process.extract(token, spellings, scorer=OSA.distance, score_cutoff=1, limit=None)
        return next((s for s, _, _ in close if _a_typo_of(s, token)), token)

    def correct(self, term: str) -> tuple[str, ...]:
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        # OSA counts a swap of neighbours ("expried") as one edit, as people make it
        # typos rarely hit the first letter ("källan" is not "sällan"): only spellings
        # sharing it are compared
        best = process.extractOne(
            term,
            self.spellings_by_initial.get(term[0], ()),
            scorer=OSA.normalized_similarity,
            score_cutoff=0.84,
        )
        if best is None:
            return ()
        corrected = self.maker.terms([best[0]])
        return tuple(t for t in corrected if t in self.idf)

    def weigh(self, terms: list[str]) -> dict[str, float]:
        return {t: self.idf.get(t, UNKNOWN_WEIGHT) for t in terms}

    def best_case(self, weights: dict[str, float]) -> tuple[float, float]:
        """Upper bounds on (cosine, evidence) of any candidate for these term weights.

        Entry e explains weight C_e of the description's total T, and a document of e
        sharing weight S ≤ C_e has a norm of at least S, so its cosine S/√(T·norm) is
        at most √(C_e/T): both bounds follow from the largest C_e, found without
        visiting a single document.
        """
        total = sum(weights.values())
        covered: dict[int, float] = defaultdict(float)
        for term, weight in weights.items():
            for entry in self.entries_of.get(term, ()):
                covered[entry] += weight
        most = max(covered.values(), default=0.0)
        return (math.sqrt(most / total) if total > 0 else 0.0), most

    def rank(self, terms: list[str]) -> list[Candidate]:
        """Every entry sharing one of `terms`, best first."""
        weights = self.weigh(terms)
        total = sum(weights.values())
        if total <= 0:
            return []
        overlap: dict[int, float] = defaultdict(float)
        for term in terms:
            for doc_id in self.postings.get(term, ()):
                overlap[doc_id] += weights[term]
        best: dict[int, tuple[float, Document]] = {}
        for doc_id, shared in overlap.items():
            document = self.documents[doc_id]
            cosine = shared / math.sqrt(total * document.norm) * FIELD_WEIGHTS[document.kind]
            if cosine > best.get(document.entry, (0.0, document))[0]:
                best[document.entry] = (cosine, document)
        found = []
        for number, (cosine, document) in best.items():
            covered = sum(w for t, w in weights.items() if t in self.vocabulary[number])
            coverage = covered / total
            similarity = 0.5 * cosine + 0.5 * coverage
            found.append(Candidate(number, similarity, document, coverage, cosine, covered))
        found.sort(key=lambda c: -c.similarity)
        return found


def _documents(entry: Entry) -> list[tuple[str, str]]:
    docs = [("title", entry.title)]
    docs.extend(("symptom", s) for s in entry.symptoms)
    for message in entry.messages:
        docs.append(("message", message.text))
        if message.translation:
            docs.append(("message", message.translation))
    docs.extend(("cause", s) for s in _SENTENCE.split(entry.cause) if s.strip())
    docs.extend(("solution", s) for s in entry.solution)
    return docs


def _a_typo_of(spelling: str, token: str) -> bool:
    """Whether `token` is `spelling` (one edit away) with two letters swapped, a letter
    typed twice, or, from six letters, one left out (see `SymptomIndex._spelt_right`)."""
    if len(token) == len(spelling):
        return sorted(token) == sorted(spelling)
    if len(token) == len(spelling) + 1:
        return any(
            token[i] == token[i + 1] and token[:i] + token[i + 1 :] == spelling
            for i in range(len(token) - 1)
        )
    return len(token) >= 6
