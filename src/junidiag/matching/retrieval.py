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

# Words that mark a text as a problem report or a question, and words that mark it
# as a report of success. A normal INFO line shares nouns with the catalog ("payout
# reconciled, 37 invoices marked as paid") but has no problem words and some of these.
PROBLEM_WORDS = """
    not no never cannot can't cant doesn didn isn wasn won aren couldn wouldn unable
    fail fails failed failing failure error errors wrong wrongly missing instead twice
    double stuck stop stops stopped halts nothing without lacks lack problem problems
    issue issues bug incorrect incorrectly mismatch duplicate duplicated still although
    though but even rejected rejects refuse refuses refused broken only zero rather
    messed mess invalid empty should shouldn expected supposed bounce bounces bounced
    ignore ignores ignored ignoring too late slow slowly lag lags lagging behind
    differently differs unchanged stale missed misses lost overwritten oversell
    oversold overselling expired revoked disappear disappears
    disappeared vanished neither nor none keeps multiple several need needs dies died
    down lose loses losing
    mislabelled mislabeled outstanding remaining leftover unpaid negative charged
    duplicates doubled appear appears appeared shows ends end identical already
    open expects soldout exceeds exceeded longer
    inte ej aldrig ingen inga inget fel felet felaktig felaktigt felaktiga saknas
    saknar saknades misslyckas misslyckades fallerar fallerade failar failade
    stannar fastnar dubbla dubbelt dubblett
    dubbletter istället trots men fortfarande ändå utan problemet vägrar vägrade
    ignorerar ignoreras långsamt släpar olika missas missades försvinner
    försvann översålde översäljer översålt utgått utgången behöver hamnar tolkas
    avvisas avvisar avvisades slutar krånglar strular hänger stannat stannade avbryts
    avbröts dör dog försvunnen kvar obetald obetalda öppen öppna negativt negativ
    stället dubbletter förlorar tappar tappas blir hamnade flera identiska redan
    gånger restbelopp slutsåld slutsålda överskrider överskred längre
    ikke aldri feil feilen mangler manglet stopper istedenfor stedet selv fortsatt
    likevel uten problemer feiler avvist avvises nekter nektet ignorerer ignoreres
    treg tregt sakte henger forskjellig ulik ulike forsvinner forsvant oversalg
    oversolgt utløpt trenger havner tolkes dobbel dobbelt duplikat slutter krangler
    stoppet stanset avbrytes avbrutt dør døde igjen ubetalt ubetalte åpen åpne negativt
    negativ tilbakekalt mister mistet havnet blir flere identiske allerede
    ganger restbeløp utsolgt utsolgte overskrider overskred lengre
"""
"""Words that make a text a problem report, in their natural spelling (see `cues`)."""
QUESTION_WORDS = "how why where what which hur varför vad vilken hvordan hvorfor hvor hva hvilken"
_PROBLEM_WORDS = frozenset(fold(w) for w in PROBLEM_WORDS.split())
_QUESTION_WORDS = frozenset(fold(w) for w in QUESTION_WORDS.split())
_SUCCESS_WORDS = frozenset(
    """completed complete success successful successfully succeeded created exported
    updated imported reconciled booked registered received synced ok done finished
    verified enabled refreshed parsed applied assigned matched saved established available
    200 201 204
    klar skapad skapat skapades exporterad exporterade exporterat uppdaterad uppdaterade
    uppdaterat bokford registrerad mottagen mottog overford overforda avstamd inventerat
    tillagt kopplat synkade krediterad
    oppdatert opprettet eksportert overfort registrert mottatt avstemt fullfort vellykket
    importert tildelt tilldelad tilldelades tillganglig tillgangligt tillgangliga
    tilgjengelig tilgjengelige""".split()
)


_NOTHING_DONE_WORDS = (
    "0 record", "0 order", "0 post", "0 rad", "0 item", "0 article", "0 artik", "0 row",
    "0 change", "no record", "no order", "no item", "no change", "inga", "ingen", "zero",
    "noll", "null", "nothing",
)  # fmt: skip
"""Texts that may start a "nothing was done" phrase (see _NOTHING_DONE), for the gate."""
_QUESTION_MARK = re.compile(r"\?(?!\w)")
_NEGATIONS = frozenset("not never no inte aldrig ej ikke aldri isn wasn aren weren".split())
_NO_FAILURES = re.compile(
    r"\b(?:0\s+(?:errors?|failed|failures?|fel|feil)"
    r"|(?:without|utan|uten|inga|ingen)\s+(?:errors|fel|feil)|with\s+no\s+errors)\b"
)
"""A report that nothing failed: "0 failed", "without errors", "utan fel", "uten feil"
(not "no error message" or "utan felmeddelande": a failure that said nothing)."""
_NEGATED = re.compile(r"n't\b|\bcan't\b|\bcant\b")
_NOTHING_DONE = re.compile(
    r"\b(?:0|zero|no|noll|null|inga|ingen)\s+(?:records?|orders?|poster|rader|ordrar|ordre"
    r"|items?|articles?|artiklar|artikler|rows?|changes)\b"
)
"""A zero count before the noun: "0 records", "inga ordrar" (not "processed, 0 failed")."""
_NONE_LEFT = re.compile(
    r"\b(?:available|in stock|i lager|pa lager|tillgangligt?|tilgjengelig)\s*[:=]?\s*0\b"
    r"|\b0\s+(?:available|in stock|i lager|pa lager|kvar|igjen)\b"
)
"""Stock at zero: "available 0", "0 i lager"."""
_TWO_OF = re.compile(
    r"\b(?:two|2|tva|to)\s+(?:identical\s+|likadana\s+|like\s+|identiska\s+|identiske\s+)?"
    r"(?:invoices|fakturor|fakturaer|payouts|utbetalningar|utbetalinger|credit notes"
    r"|kreditfakturor|kreditnotaer|bookings|verifikationer|bilag|produkter|artiklar|artikler)\b"
    r"|\b(?:two|2)\s+(?:identical\s+)?products\b"
)
"""One thing made or found twice: "two invoices", "to fakturaer", "två produkter" (a
duplicate, said plainly; English "to" is no number, so not before "products")."""
_AMBIGUOUS = re.compile(
    r"\b(?:matched|matches|found|finds|matchade|matchar|hittade|hittar|fant|finner)"
    r"\s+(?:[2-9]|\d\d+|two|three|several|multiple|två|tre|flera|to|flere)\b"
)
"""One thing found several times: "SKU 1001 matched 2 products" reports an ambiguity."""
_NONE_FOUND = re.compile(
    r"\b(?:matched|found|synced|exported|imported|updated|processed|transferred|loaded"
    r"|matchade|hittade|synkade|exporterade|fant|eksporterte)\s+(?:0|zero|none|noll|null)\b"
)
"""A success verb with nothing done: "payout matched 0 of 212 invoices"."""


def cue_words() -> list[str]:
    """Every word the cues read, numbers among them (`200` is a success)."""
    return [*PROBLEM_WORDS.split(), *QUESTION_WORDS.split(), *_SUCCESS_WORDS, *_NOTHING_DONE_WORDS]


@dataclass(frozen=True, slots=True)
class Cues:
    """How much a text reads like a problem report versus a report of success."""

    problem: int
    success: int

    @classmethod
    def of(cls, text: str) -> Cues:
        folded = fold(text)
        tokens = words(_NO_FAILURES.sub(" ", folded))
        # "matched 2 products", "matched 0 of 212": success verbs reporting a problem
        contrary = sum(len(p.findall(folded)) for p in (_AMBIGUOUS, _NONE_FOUND))
        phrases = sum(len(p.findall(folded)) for p in (_NOTHING_DONE, _NONE_LEFT, _TWO_OF))
        problem = sum(t in _PROBLEM_WORDS or t in _QUESTION_WORDS for t in tokens)
        problem += len(_QUESTION_MARK.findall(text)) + len(_NEGATED.findall(folded))
        problem += phrases + contrary
        # A success word right after a negation ("never synced", "blir ikke registrert")
        # reports a failure.
        success = sum(
            t in _SUCCESS_WORDS and not _NEGATIONS.intersection(tokens[max(0, i - 2) : i])
            for i, t in enumerate(tokens)
        )
        success = max(0, success + len(_NO_FAILURES.findall(folded)) - contrary)
        return cls(problem=problem, success=success)

    def routine(self, level: int) -> bool:
        """A line logged at INFO or DEBUG that names no problem: normal traffic.

        It shares nouns with the catalog ("NoWaste pick report parsed, 3 pallets")
        but reports nothing going wrong, so it is never a symptom match.
        """
        return self.problem == 0 and level < 0


@dataclass(frozen=True, slots=True)
class Document:
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

    @staticmethod
    def cues() -> list[tuple[str, Bound]]:
        """The texts whose presence may make a line a problem report (see `Cues`)."""
        natural = set(PROBLEM_WORDS.split()) | set(QUESTION_WORDS.split())
        spellings = natural | _PROBLEM_WORDS | _QUESTION_WORDS  # the quick pass does not fold
        found = [(w, Bound.WORD) for w in sorted(spellings)]
        found += [("? ", Bound.ANYWHERE), ("n t ", Bound.ANYWHERE), ("too many", Bound.WORD)]
        found += [(w, Bound.PREFIX) for w in _NOTHING_DONE_WORDS]
        return found

    def terms_of(self, text: str) -> list[str]:
        return self.maker.terms(words(fold(text)))

    def query_terms(self, text: str, *, typos: bool = True) -> list[str]:
        """The description's terms; with `typos`, unknown words get their closest known
        spelling (worth it for what people type, not for what programs log)."""
        found: list[str] = []
        folded = fold(text)
        tokens = words(folded)
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
        if _AMBIGUOUS.search(folded) or _TWO_OF.search(folded):
            found.append("DOUBLE")
        if _NONE_FOUND.search(folded):
            found.append("NOT_FOUND")
        return list(dict.fromkeys(found))

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

    def search(self, text: str) -> list[Candidate]:
        """Every entry sharing a term with `text`, best first."""
        return self.rank(self.query_terms(text))

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
