"""The matcher: input text → the catalog entries it is, with one comparable score.

A log line is read as its message and the level its envelope names
(`normalize.split_envelope`); text people type is its own message. Three tiers,
tried in order of certainty:

1. **exact** — a message template found in the text (filled-in variables extracted),
   score 100;
2. **fuzzy** — a typo'd, truncated or re-spaced message: rapidfuzz against each
   template's skeleton, all of its words there but for typos, numbers required
   literally, score 60–95;
3. **symptom** — a plain-language description, scored by `retrieval`, score 0–95.

Every tier reads the cleaned message's numbers the way `Matcher.blind` does, so on a
log each message's shape is worked out once and its answer made again, with each
line's own values, for the lines that repeat it (see `memory`; `tests/test_stream.py`
holds the stream to a fresh diagnosis).

All tiers share one scale on which `THRESHOLD` separates "this is it" from "not
sure", so a caller can trust any match `diagnose` returns and show the rest only
as suggestions. Knows nothing of YAML or Rich.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from junidiag.matching.codes import CODE_SCORE, SHARED_CODE_SCORE, CodeIndex
from junidiag.matching.exceptions import ExceptionMessages
from junidiag.matching.gate import FormKeys, Gate, Hits, Look
from junidiag.matching.memory import NOTHING, WORK_OUT, Answer, Recipe, recall, remember, same
from junidiag.matching.templates import MASK, Template, compile_template, mask, word_starts
from junidiag.model import Entry, Kind, Lang, Match, Message
from junidiag.text import languages
from junidiag.text.cleaning import clean, decode_escapes, fold, words
from junidiag.text.envelope import log_message, message_parts, split_envelope, without_machine_names
from junidiag.text.language import language

if TYPE_CHECKING:
    from junidiag.matching.cues import Cues
    from junidiag.matching.retrieval import Candidate, SymptomIndex
    from junidiag.matching.terms import Glossary

THRESHOLD = 60
"""Scores at or above this are confident matches; below are suggestions at best."""
SUGGESTION_FLOOR = 15
"""A suggestion needs at least this score: a 15 % chance of being right is evidence."""
RUNNER_UP_MARGIN = 15
"""Other confident entries within this many points of the best are "also possible"."""
ANCHOR_SHARE = 0.25
"""A description must use a term that at most this share of the entries have (see `gate`):
a word every other entry uses tells none of them apart."""

_FUZZY_FLOOR = 84.0
_FUZZY_FLOOR_SHORT = 88.0
_SHORT_SKELETON = 16
_MIN_TRUNCATED_SHARE = 0.6
_MAX_PARTS = 6
_SCREEN = 60.0
_SCREEN_CHARS = 1024
_REFERENCE_PENALTY = 8


class Reading(NamedTuple):
    """A text as the symptom tier reads it."""

    text: str
    """The description: a log line's message, without its envelope."""
    cues: Cues
    level: int
    terms: list[str]


@dataclass(frozen=True, slots=True)
class _Form:
    """One way an entry's message can appear: its text or its English translation."""

    entry: int
    message: Message
    lang: Lang
    template: Template
    entry_id: str
    grouped: bool
    """Whether the entry is a grouped reference, which quotes messages others own."""


class Matcher:
    """Compiled catalog: build once (it is cached between runs), match many times."""

    def __init__(self, entries: Sequence[Entry], glossary: Glossary | None = None) -> None:
        from junidiag.matching.cues import cue_keys, cue_words
        from junidiag.matching.retrieval import SymptomIndex
        from junidiag.matching.terms import load_glossary

        self.entries = list(entries)
        self.forms = list(_forms(self.entries))
        self.codes = CodeIndex.build(self.entries)
        self.exceptions = ExceptionMessages.build(m.text for e in self.entries for m in e.messages)
        self._form_numbers = self._number_forms()
        self.literal_numbers = frozenset().union(*(f.template.numbers for f in self.forms))
        glossary = glossary or load_glossary()
        self._index: SymptomIndex | None = SymptomIndex.build(self.entries, glossary)
        self._load_index: Callable[[], SymptomIndex] | None = None
        systems = frozenset(w for e in self.entries for s in e.systems for w in words(fold(s)))
        self._system_entries = _system_entries(self.entries)
        anchors = self._index.anchors(
            max(1, round(ANCHOR_SHARE * len(self.entries))), ignore=systems
        )
        keys = [
            FormKeys(t.keys, word_starts(t.screen), t.required, t.screen)
            for t in (f.template for f in self.forms)
        ]
        self.gate = Gate(keys, anchors, cue_keys(), systems)
        every_form = frozenset(range(len(self.forms)))
        self.everything = Hits(every_form, describes=True, complete=every_form)
        # Numbers anything reads by value: those the catalog, its vendor codes, the
        # glossary and the cue words mention (`429`, `700`, account `1930`, `2000433`,
        # the digits of `AADSTS700082`), 0, 1 and 2 ("0 records", "matched 2 products"),
        # and the beginnings of messages' own numbers (a truncated code). Any other
        # number is one more id or amount.
        mentioned = [
            *(text for entry in self.entries for text in entry.texts()),
            *self.codes.mentioned,
            *glossary.surface_forms(),
            *cue_words(),
        ]
        self.kept_numbers = (
            _with_prefixes(self.literal_numbers)
            | frozenset(_ASCII_NUMBER.findall(" ".join(mentioned)))
            | {"0", "1", "2"}
        )
        # only ASCII digit runs are compared with these (see `blind`): `10²` is not one
        self._kept_bytes = frozenset(n.encode() for n in self.kept_numbers if n.isascii())
        self._answers: dict[tuple[str, int, Look], Answer] = {}
        self._described: dict[tuple[str, int, Cues, bool], _Described] = {}
        self._scored: dict[tuple[object, ...], tuple[tuple[int, int], ...]] = {}
        self._near_misses: dict[str, tuple[list[str], list[str]]] = {}
        self._label_topics: dict[str, frozenset[str]] = {}

    # The description index is most of the compiled matcher and only the description
    # tier needs it: it is cached on its own and loaded when first used.

    # The entries are the catalog's, which the cache keeps on its own: they are
    # attached again after loading (see `attach_entries`), not cached twice.

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_index"] = state["_load_index"] = None
        state["entries"] = []
        state["_form_numbers"] = {}
        state["_answers"] = {}
        state["_described"] = {}
        state["_scored"] = {}
        state["_near_misses"] = {}
        state["_label_topics"] = {}
        return state

    def attach_entries(self, entries: Sequence[Entry]) -> None:
        """The catalog's entries, in the order the matcher was compiled from (see
        `api.matcher`), when it was loaded from the cache without them."""
        if not self.entries:
            self.entries = list(entries)
            self._form_numbers = self._number_forms()

    def _number_forms(self) -> dict[tuple[str, Message | None, Lang], int]:
        return {(self.entries[f.entry].id, f.message, f.lang): n for n, f in enumerate(self.forms)}

    @property
    def index(self) -> SymptomIndex:
        if self._index is None:
            if self._load_index is None:
                raise RuntimeError("the description index was neither built nor attached")
            self._index = self._load_index()
        return self._index

    def attach_index(self, load: Callable[[], SymptomIndex]) -> None:
        """How to get the description index when it is first needed (see `api.matcher`)."""
        if self._index is None:
            self._load_index = load

    def diagnose(self, text: str, look: Look | None = None) -> list[Match]:
        """Confident matches, best first: the best and runners-up within the margin.

        `look` is the gate's first look at `text` (see `Gate.passed`), when the caller
        took it already for a whole batch of lines.
        """
        if look is None:
            passed = self.gate.passed([text])
            if not passed:
                return []  # routine traffic
            look = passed[0]
        level, message = split_envelope(text)
        if len(message) > _SCREEN_CHARS:
            return _confident_of(self._ranked(clean(message), level, look))
        # A log repeats a few hundred messages with other ids, times and amounts filled
        # in. Every tier reads the cleaned message, its level and the gate's look alone,
        # and reads numbers the same way `blind` does: so the answer for one message of
        # a shape is the answer for all, worked out once and replayed (see `memory`).
        # Cleaning other text than ASCII can join digits (NFKC makes `２` a `2`, an
        # invisible U+200B between digits goes), so its shape is read after cleaning.
        cleaned = None if message.isascii() else clean(message)
        shape = (self._shape(message if cleaned is None else cleaned, level), level, look)
        answer = recall(self._answers, shape)
        cleaned = clean(message) if cleaned is None else cleaned
        if answer is not None:
            return self._replay(answer.forms, cleaned, level, look)
        ranked = self._ranked(cleaned, level, look)
        self._learn(shape, ranked, cleaned, level)
        return _confident_of(ranked)

    def best(self, text: str, look: Look) -> Match | None:
        """The best confident match of a log line (`look`: the gate's first look at it), or
        None: `diagnose(text, look)[0]`, made again with this line's own values when a
        message of its shape was seen before (see `memory`)."""
        level, message = split_envelope(text)
        if len(message) > _SCREEN_CHARS:
            return _best_of(self._ranked(clean(message), level, look))
        cleaned = None if message.isascii() else clean(message)
        shape = (self._shape(message if cleaned is None else cleaned, level), level, look)
        answer = recall(self._answers, shape)
        if answer is not None and not answer.forms:
            return None  # the usual answer for a line the gate lets through
        cleaned = clean(message) if cleaned is None else cleaned
        if answer is not None and answer.best is not None:
            match = self._made_again(answer.best, cleaned, level)
            if match is not None:
                return match
        ranked = self._ranked(cleaned, level, look)
        if answer is None:
            self._learn(shape, ranked, cleaned, level)
        return _best_of(ranked)

    def first_matches(
        self, lines: list[str], utf8: bytes | None = None, misses: list[int] | None = None
    ) -> dict[int, Match]:
        """The best confident match of each line that has one, by its index: what
        `diagnose` answers for each line alone, with the gate's first look taken at the
        whole batch at once (`utf8`: the lines joined by \\n, when at hand).

        `misses`, when given, gets the indexes of the lines that matched nothing and
        are not routine traffic (no quiet level word first): the only lines that can be
        at an error level with nothing recognised (see `logrun`)."""
        found: dict[int, Match] = {}
        for index, look in self.gate.passed(lines, utf8).items():
            match = self.best(lines[index], look)
            if match is not None:
                found[index] = match
            elif misses is not None and look[0] >= 0:
                misses.append(index)
        return found

    def _shape(self, message: str, level: int) -> str:
        """What the memory of shapes knows a message logged at `level` by (see `blind`):
        where an everyday message is looked for (text at no level or a quiet one), a
        three-digit number opening with 4 or 5 reads as an HTTP error status beside it
        (`_ERROR_MARKS`), and keeps its first digit."""
        if level > 0:
            return self.blind(message)
        if not message.isascii() and _OTHER_DIGIT.search(message):
            return self.blind(message, keep_all=True)  # digits `blind` cannot read alike
        return self.blind(message, statuses=True)

    def blind(self, text: str, *, statuses: bool = False, keep_all: bool = False) -> str:
        """`text` with each number nothing reads by value (see `kept_numbers`) as one `#`
        per digit: lengths and positions count (the bounded repeats of the templates'
        and the prefix's patterns). A hex literal (`0x7f3a2c`, the address of an
        object in a Python traceback) keeps its `0x`: no tier reads its digits, which
        differ on every line. `#` and `\\` already in the text are escaped, so
        different texts never share a shape. With `statuses`, a three-digit number
        opening with 4 or 5 keeps its first digit (`5##`); with `keep_all`, every
        number is kept.
        """
        if "\\" not in text and "#" not in text and "0x" not in text and not keep_all:
            # The usual log message: only numbers to mask. Bytes are translated in C,
            # and no UTF-8 sequence of another character holds an ASCII digit.
            data = text.encode("utf-8", "surrogatepass")
            numbers = data.translate(_DIGITS_ONLY).split()
            if self._kept_bytes.isdisjoint(numbers) and not (
                statuses and any(len(n) == 3 and n[0] in _STATUS_DIGITS for n in numbers)
            ):
                return data.translate(_DIGITS_AS_MASK).decode("utf-8", "surrogatepass")
            runs = _DIGIT_RUNS.split(data)  # text, number, text, …: no escape, no hex
            runs[1::2] = [self._masked(run, statuses) for run in runs[1::2]]
            return b"".join(runs).decode("utf-8", "surrogatepass")
        pieces = _NUMBER_PIECES.split(text)  # text, number, text, number, …, text
        for index in range(1, 0 if keep_all else len(pieces), 2):
            piece = pieces[index]
            if piece in self.kept_numbers or piece[0] == "\\":  # `\u00e4` is a letter
                continue
            if pieces[index - 1].endswith("\\") or (
                index > 1 and not pieces[index - 1] and pieces[index - 2][:1] == "\\"
            ):
                continue  # decoded, `\u0032000637` and `\5` start with another digit
            if piece[1:2] == "x":
                pieces[index] = "0x" + "#" * (len(piece) - 2)
            elif statuses and len(piece) == 3 and piece[0] in "45":
                pieces[index] = piece[0] + "##"
            else:
                pieces[index] = "#" * len(piece)
        if "\\" in text or "#" in text:
            for index in range(0, len(pieces), 2):
                pieces[index] = pieces[index].replace("\\", "\\\\").replace("#", "\\#")
        return "".join(pieces)

    def _masked(self, run: bytes, statuses: bool) -> bytes:
        """A run of ASCII digits as `blind` shows it."""
        if run in self._kept_bytes:
            return run
        if statuses and len(run) == 3 and run[0] in _STATUS_DIGITS:
            return run[:1] + b"##"
        return run.translate(_DIGITS_AS_MASK)

    def _replay(
        self, numbers: tuple[int, ...], cleaned: str, level: int, look: Look
    ) -> list[Match]:
        """The matches for a cleaned message whose shape matched the forms `numbers` (see
        `Answer.forms`) before."""
        if not numbers:
            return []
        if numbers == WORK_OUT:
            return _confident_of(self._ranked(cleaned, level, look))
        # The same forms match a message of the same shape, at the same place:
        # searching only those gives the same matches, with this one's values.
        forms = [self.forms[n] for n in numbers]
        exact = self.exact([cleaned], forms, level) or self.exact(
            _parts(cleaned)[:-1], forms, level
        )
        return _confident_of(exact)

    def _learn(
        self, shape: tuple[str, int, Look], ranked: list[Match], cleaned: str, level: int
    ) -> None:
        """Remember what a shape's first message found (see `Answer`)."""
        found = _confident_of(ranked)
        if not found:
            remember(self._answers, shape, NOTHING)
            return
        if all(m.basis == "exact" for m in ranked):  # a code is read again each time
            numbers = self._form_numbers
            forms = tuple(sorted(numbers[m.id, m.message, m.language] for m in ranked))
        else:
            forms = WORK_OUT  # a description or near copy: `diagnose` works it out each time
        remember(self._answers, shape, Answer(forms, self._recipe(found[0], cleaned, level)))

    def forget(self) -> None:
        """Forget every message shape seen (a log's memory), as a fresh process would."""
        for memory in (self._answers, self._described, self._scored):
            memory.clear()

    def _recipe(self, best: Match, cleaned: str, level: int) -> Recipe | None:
        """How to make `best` again for another message of its shape, if making it again
        gives it back for this one (else it is worked out each time)."""
        form = part = parts = -1
        part_shape = ""
        if best.basis in ("exact", "fuzzy"):
            form = self._form_numbers.get((best.id, best.message, best.language), -1)
        if best.basis == "fuzzy":
            found = _parts(cleaned)
            if best.matched_text not in found:
                return None
            part, parts = found.index(best.matched_text), len(found)
            part_shape = self.blind(best.matched_text)
        recipe = Recipe(best, form, part, parts, part_shape)
        return recipe if same(self._made_again(recipe, cleaned, level), best) else None

    def _made_again(self, recipe: Recipe, cleaned: str, level: int) -> Match | None:
        """A shape's best match for another cleaned message of it: the same entry, score
        and message, with this message's own text and values; None when it is not
        where the recipe says (then it is worked out)."""
        best = recipe.match
        if best.basis == "exact":
            form = self.forms[recipe.form]
            found = self._search(form, cleaned, level)
            for part in _parts(cleaned)[:-1] if found is None else ():
                found = self._search(form, part, level)
                if found is not None:
                    break
            return None if found is None else self._exact_match(form, found, best.score)
        if best.basis == "fuzzy":
            parts = _parts(cleaned)
            if len(parts) != recipe.parts or self.blind(parts[recipe.part]) != recipe.part_shape:
                return None
            part = parts[recipe.part]
            return Match(best.entry, best.score, "fuzzy", part, best.language, best.message)
        if best.basis == "symptom":
            description = log_message(cleaned)
            return Match(best.entry, best.score, "symptom", description, language(description))
        return Match(best.entry, best.score, best.basis, best.matched_text, best.language)

    def _ranked(self, cleaned: str, level: int, look: Look) -> list[Match]:
        """All tiers, ranked, for a cleaned message logged at `level`."""
        # A JSON body quoted in a message keeps its escapes (`h\\u00e4mta`): its words
        # are looked for in the decoded text, where the parts will find them.
        folded = fold(clean(decode_escapes(cleaned)) if "\\" in cleaned else cleaned)
        coded = self.coded(cleaned)
        hits = self.gate.scan(folded, look)
        if hits is None:
            return coded
        found = self._candidates(cleaned, hits, level, screen_with=folded)
        return _merged(found, coded) if coded else found

    def candidates(self, text: str, limit: int = 5) -> list[Match]:
        """The closest entries below the threshold too, best first; entries scoring 0
        resemble the text in nothing worth showing.

        Not gated: a line the gate rules out may still resemble an entry a little.
        """
        level, message = split_envelope(text)
        found = self._candidates(clean(message), self.everything, level)
        return [m for m in found if m.score > 0][:limit]

    def suggestions(self, text: str, limit: int = 3) -> list[Match]:
        """What to offer when nothing is confident: entries with real evidence (a score of
        SUGGESTION_FLOOR or more, on the confidence scale), each below the threshold."""
        return [
            _rescore(m, min(m.score, THRESHOLD - 1))
            for m in self.candidates(text, limit)
            if m.score >= SUGGESTION_FLOOR
        ]

    def screen(self, folded: str, hits: Hits) -> Hits:
        """Keep only the forms the whole line resembles at all (one C call per form).

        The gate names forms by a shared word ("order"); most lines sharing a word
        with a message look nothing like it, and this rules them out before the
        cleaning, splitting and careful comparison a real candidate gets.
        """
        from rapidfuzz import fuzz, process

        line = self.blind(folded[:_SCREEN_CHARS])  # a number a message states is kept
        numbers = list(hits.forms)
        screens = [self.forms[n].template.screen for n in numbers]
        # partial_ratio is symmetric: the line against every form's screen, in one C call
        found = process.extract(
            line, screens, scorer=fuzz.partial_ratio, score_cutoff=_SCREEN, limit=None
        )
        return Hits(
            frozenset(numbers[index] for _, score, index in found if score > 0), hits.describes
        )

    def _candidates(
        self, cleaned: str, hits: Hits, level: int, screen_with: str | None = None
    ) -> list[Match]:
        """All tiers over the forms in `hits` for a `clean` message logged at `level`;
        screening them first when `screen_with` (the folded message) is given, which only
        confident answers can afford."""
        if not cleaned:
            return []
        complete = hits.complete if screen_with is not None else hits.forms
        hit_forms = [self.forms[n] for n in sorted(complete)]
        # The whole line holds every part's words, so search it first: the specificity
        # ranking then picks the same message a part would; parts are worked out only
        # when it fails (a JSON body's message joined with its code, say).
        exact = self.exact([cleaned], hit_forms, level)
        if exact:  # the message itself is there: no screen or comparison needed
            return _quoted_as_over(self._beyond_the_label(exact, level), cleaned, level)
        parts: list[str] = []
        if hit_forms:
            parts = _parts(cleaned)
            exact = self.exact(parts[:-1], hit_forms, level)
            if exact:
                return _quoted_as_over(self._beyond_the_label(exact, level), cleaned, level)
        if screen_with is not None:
            hits = self.screen(screen_with, hits)
        forms = [self.forms[n] for n in sorted(hits.forms)]
        fuzzy: list[Match] = []
        contradicted: set[str] = set()
        if forms:
            parts = parts or _parts(cleaned)
            fuzzy, contradicted = self.fuzzy(parts, forms, level)
        described: list[Match] = []
        if hits.describes:
            described = self.symptoms(cleaned, level, confident_only=screen_with is not None)
        # a code the vendor spelt out and the catalog never mentions names another error
        foreign = bool(fuzzy or described) and self.codes.states_another(cleaned)
        if not foreign and not fuzzy and any(m.score >= THRESHOLD for m in described):
            # so does an exception a catalog message names with another message after it
            foreign = self.exceptions.another_message(cleaned)
        scored: dict[str, Match] = {}
        for match in [*fuzzy, *described]:
            if (
                foreign
                or (match.entry.id in contradicted and match.basis == "symptom")
                or (match.score >= THRESHOLD and self._a_counterexample(match.entry, cleaned))
            ):
                match = _rescore(match, min(match.score, THRESHOLD - 1))
            held = scored.get(match.entry.id)
            if held is None or _better(match, held):
                scored[match.entry.id] = match
        return sorted(scored.values(), key=_rank)

    def _beyond_the_label(self, exact: list[Match], level: int) -> list[Match]:
        """`exact`, unless its best is a bare label ("Error message: {details}") whose
        details describe another entry confidently ("Feilmelding: ugyldig
        tilgangstildeling fra Fortnox"): then that entry comes first, the label after it.

        The label says only that an error was reported; what it reports decides which.
        """
        best = exact[0]
        details = best.variables.get("details", "")
        if best.message is None or not _LABEL_ONLY.match(best.message.text) or not details:
            return exact
        # details that say what the label's own entry is about ("… is too long") are its
        own = self._label_topics.get(best.message.text)
        if own is None:
            label = self.index.terms_of(best.message.text.replace("{details}", ""))
            own = frozenset(self.index.terms_of(best.entry.title)).difference(label)
            self._label_topics[best.message.text] = own
        if own.intersection(self._terms(details, level)):
            return exact
        described = self._symptoms(details, level, confident_only=True)
        if not described or described[0].score < THRESHOLD or described[0].entry is best.entry:
            return exact
        return sorted([described[0], _rescore(best, described[0].score - 1), *exact[1:]], key=_rank)

    def _a_counterexample(self, entry: Entry, text: str) -> bool:
        """Whether `text` is a near copy of one of `entry`'s counterexamples, nearer to it
        than to any of the entry's examples, messages and their translations: the catalog
        says that text is not this entry (a real near miss), and so is a copy of it with
        other values or typos. A false alarm is fixed in the catalog, not in code."""
        if not entry.counterexamples:
            return False
        from rapidfuzz import fuzz, process

        near = self._near_misses.get(entry.id)
        if near is None:
            near = self._near_misses[entry.id] = (
                [self._sketch(t) for t in entry.counterexamples],
                [self._sketch(t) for t in (*entry.examples, *_message_texts(entry))],
            )
        sketch = self._sketch(text)
        against, like = near
        found = process.extractOne(sketch, against, scorer=fuzz.ratio, score_cutoff=_NEAR_MISS)
        if found is None:
            return False
        closest = process.extractOne(sketch, like, scorer=fuzz.ratio)
        return closest is None or found[1] > closest[1]

    def _sketch(self, text: str) -> str:
        """A text as near copies are compared: folded, its numbers masked."""
        return mask(words(fold(clean(text))), self.literal_numbers)

    # --- the vendor's error code -------------------------------------------------------

    def coded(self, cleaned: str) -> list[Match]:
        """Entries whose vendor code the text states where a code stands (see `codes`)."""
        found = []
        said: Lang | None = None
        for entry, code, shared in self.codes.find(cleaned):
            score = CODE_SCORE if shared == 1 else SHARED_CODE_SCORE
            # the language the text says it in (a Swedish message beside its code), not
            # the code's
            said = said or language(log_message(cleaned))
            found.append(Match(self.entries[entry], score, "code", code, said))
        return sorted(found, key=_rank)

    # --- tier 1: the message itself ---------------------------------------------------

    def exact(self, parts: list[str], forms: Sequence[_Form], level: int = 1) -> list[Match]:
        """Entries whose message is in the first part holding any, ranked (`_rank_exact`).

        A short message made of everyday words ("Too many requests", "Invalid grant")
        counts only where it stands as an error: in a line logged at WARN or worse, set
        apart by punctuation, or beside an error word — "too many requests to our
        support line this week" is no rate limit.
        """
        best: dict[int, tuple[_Form, re.Match[str]]] = {}
        for part in parts:
            for form in forms:
                found = self._search(form, part, level)
                if found is None:
                    continue
                held = best.get(form.entry)
                if held is None or _specificity(form) > _specificity(held[0]):
                    best[form.entry] = (form, found)
            if best:
                break
        return [
            self._exact_match(form, found, score)
            for form, found, score in _rank_exact(list(best.values()))
        ]

    @staticmethod
    def _search(form: _Form, part: str, level: int) -> re.Match[str] | None:
        """Where `form` is in `part`: an everyday message only where it stands as an error."""
        found = form.template.search(part)
        if found is not None and level <= 0 and _everyday(form.template):
            return found if _stands_apart(part, found) else None
        return found

    def _exact_match(self, form: _Form, found: re.Match[str], score: int) -> Match:
        variables = {k: _tidy(v) for k, v in found.groupdict().items() if v}
        return Match(
            entry=self.entries[form.entry],
            score=score,
            basis="exact",
            matched_text=_closed(found),
            language=form.lang,
            message=form.message,
            variables={k: v for k, v in variables.items() if v},
        )

    # --- tier 2: a message with typos, truncated or re-spaced ---------------------------

    def fuzzy(
        self, parts: list[str], forms: Sequence[_Form], level: int = 1
    ) -> tuple[list[Match], set[str]]:
        """Near copies of messages, and the entries whose message the text contradicts.

        A text that reads like a message but states another number (`Loaded 152
        Articles` for `Loaded 0 Articles`) is evidence *against* that entry.
        """
        from rapidfuzz import fuzz

        best: dict[int, Match] = {}
        contradicted: set[str] = set()
        for part in parts:
            # a URL's path says what was asked for only down to its last id (see
            # `_asked_for`); `1.0` and `1 250,00` are one value each, as a placeholder
            # takes them
            prose = _URL.sub(_asked_for, part) if "://" in part else part
            tokens = words(fold(_DECIMAL_POINT.sub("", prose)))
            query = mask(tokens, self.literal_numbers)
            if len(query) < 6:
                continue
            for form in forms:
                if level <= 0 and _everyday(form.template) and not _near_alone(form, tokens, part):
                    continue  # an everyday message inside prose (see `exact`)
                floor = _fuzzy_floor(form.template)
                if form.template.open_ended:
                    ratio = _similarity_of_start(fuzz, form.template, query, part)
                else:
                    ratio = _near_copy(fuzz, form.template, query, floor)
                if ratio < floor:
                    continue
                if not _has_numbers(_required_numbers(form.template, query), tokens):
                    if any(token.isdigit() for token in tokens):  # another number: not it
                        contradicted.add(self.entries[form.entry].id)
                    continue
                score = round(THRESHOLD + (ratio - floor) / (100 - floor) * 35)
                if self.entries[form.entry].kind is Kind.REFERENCE:
                    score -= _REFERENCE_PENALTY  # the specific entry owns the message
                held = best.get(form.entry)
                if held is None or score > held.score:
                    best[form.entry] = Match(
                        entry=self.entries[form.entry],
                        score=min(score, 95),
                        basis="fuzzy",
                        matched_text=part,
                        language=form.lang,
                        message=form.message,
                    )
        return list(best.values()), contradicted

    # --- tier 3: a description of the problem -------------------------------------------

    def reads_as_good_news(self, text: str) -> bool:
        """Whether `text` reports only success or a problem said to be over ("The token
        problem is fixed", "Inga dubbla fakturor"), as the symptom tier reads it."""
        from junidiag.matching.cues import Cues

        level, description = _described(text)
        return Cues.of(description).good_news(level)

    def read(self, text: str) -> Reading:
        """`text` as the symptom tier reads it."""
        from junidiag.matching.cues import Cues

        level, description = _described(text)
        terms = self._terms(without_machine_names(description), level)
        return Reading(description, Cues.of(description), level, terms)

    def _terms(self, described: str, level: int) -> list[str]:
        """The terms of a description without machine names (see `without_machine_names`)."""
        # Programs do not misspell: only text without a log level gets typo correction,
        # which also spares a log's lines the costliest step.
        return self.index.query_terms(described, typos=level == 0)

    def symptoms(self, cleaned: str, level: int, *, confident_only: bool = False) -> list[Match]:
        """Entries a `clean` message logged at `level` may describe; with
        `confident_only`, nothing when none could be confident."""
        # a JSON line with more than its `msg` arrives whole (see `split_envelope`)
        return self._symptoms(log_message(cleaned), level, confident_only=confident_only)

    def _symptoms(self, description: str, level: int, *, confident_only: bool) -> list[Match]:
        from junidiag.matching.cues import Cues

        cues = Cues.of(description)
        if confident_only and cues.routine(level):
            return []  # an INFO line naming no problem: it could only score below the threshold
        # Terms are read without machine names, and the same way `blind` reads numbers:
        # the scores for one description of a shape are the scores for all (a log's
        # timeouts differ in the host they name, and cost a search each otherwise).
        described = without_machine_names(description)
        shape = (self.blind(described), level, cues, confident_only)
        found = recall(self._described, shape)
        if found is None:
            found = (self._scores(described, level, cues, confident_only=confident_only), None)
            if level == 0 and not cues.good_news(level):
                found = self._focused(described, found[0], confident_only=confident_only)
            remember(self._described, shape, found)
        scores, sentences = found
        said = _the_sentences(description, described, sentences)
        lang = language(said) if scores else "en"
        return [
            Match(
                entry=self.entries[entry],
                score=score,
                basis="symptom",
                matched_text=said,
                language=lang,
            )
            for entry, score in scores
        ]

    def _focused(
        self, described: str, whole: tuple[tuple[int, int], ...], *, confident_only: bool
    ) -> _Described:
        """The scores of the sentence (or two) of a ticket that says the most, and which
        sentences those are (first and last, counted from 0; None: the whole text).

        A ticket wraps its problem in greetings, history and thanks ("we restarted the
        sync twice", "our customers are waiting"): read whole, their words dilute the
        problem's, and a short message inside it ("Invalid grant.") goes unanswered. Each
        sentence and each pair of neighbours is also read as a description of its own,
        and one that scores higher than the whole counts — less `_FOCUS_DISCOUNT`,
        because a sentence alone scores as a short text does and the best of several
        readings is high by chance more often.

        Only a ticket is read so: `_TICKET_SENTENCES` sentences and `_TICKET_WORDS` words
        or more (a pasted error of two or three sentences is read whole: "could not
        connect to server: Connection refused." alone reads as a lost connection), and
        not one that reports something working or solved, or asks a question, anywhere:
        a sentence read alone would lose that ("the token expired last week; since then
        everything works; how do I add a store?").
        """
        from junidiag.matching.cues import Cues

        sentences = _sentences(described)
        if len(sentences) < _TICKET_SENTENCES or len(words(described)) < _TICKET_WORDS:
            return whole, None
        cues = Cues.of(described)
        if cues.success or cues.asks:
            return whole, None
        best: _Described = (whole, None)
        sentences = sentences[:_MAX_SENTENCES]
        spans = [(n, n) for n in range(len(sentences))]
        spans += [(n, n + 1) for n in range(len(sentences) - 1)]
        for first, last in spans:
            window = " ".join(sentences[first : last + 1])
            scores = self._scores(window, 0, Cues.of(window), confident_only=confident_only)
            scores = tuple((entry, max(0, score - _FOCUS_DISCOUNT)) for entry, score in scores)
            if scores and (not best[0] or scores[0][1] > best[0][0][1]):
                best = (scores, (first, last))
        return best

    def _scores(
        self, described: str, level: int, cues: Cues, *, confident_only: bool
    ) -> tuple[tuple[int, int], ...]:
        """(entry, score) of the best candidates for a description without machine names."""
        terms = self._terms(described, level)
        named = self.named_systems(described)
        # what follows reads the description's terms alone, which other descriptions
        # share (an order's SKU or a customer's name is no term): scored once for all
        read = (tuple(terms), named, cues, level, confident_only)
        scores = recall(self._scored, read)
        if scores is None:
            reading = Reading(described, cues, level, terms)
            scores = self._scores_of(reading, named, confident_only=confident_only)
            remember(self._scored, read, scores)
        return scores

    def _scores_of(
        self, reading: Reading, named: frozenset[int], *, confident_only: bool
    ) -> tuple[tuple[int, int], ...]:
        """(entry, score) of the best candidates for the terms of a reading."""
        cues, level = reading.cues, reading.level
        if confident_only and not self._may_be_confident(reading):
            return ()  # no entry could reach the threshold: spare the search
        candidates = self._specific_first(self.index.rank(reading.terms)[:5])
        found: list[tuple[int, int]] = []
        ceiling = THRESHOLD - 1 if cues.routine(level) or cues.good_news(level) else 100
        for candidate in candidates:
            margin = self._margin(candidate, candidates) if not found else 0.0
            fit = self.systems_fit(candidate.entry, named)
            features = symptom_features(candidate, margin, fit, cues, level)
            score = min(ceiling, symptom_score(features))
            if found:
                # Retrieval decides the order, and a runner-up is as far below the
                # best as its similarity is: 0.1 less similar is 10 points lower.
                gap = round(100 * (candidates[0].similarity - candidate.similarity))
                score = max(0, min(score, found[0][1] - max(1, gap), found[-1][1] - 1))
            found.append((candidate.entry, score))
        return tuple(found)

    def _specific_first(self, candidates: list[Candidate]) -> list[Candidate]:
        """The candidates with a grouped reference moved below the specific entries about as
        close as it is: the specific entry owns the problem (SPEC §3)."""
        if not candidates or self.entries[candidates[0].entry].kind is not Kind.REFERENCE:
            return candidates
        top = candidates[0]
        close = [
            c
            for c in candidates[1:]
            if self.entries[c.entry].kind is not Kind.REFERENCE
            and top.similarity - c.similarity <= _GROUPED_REACH
        ]
        if not close:
            return candidates
        return [close[0], top, *(c for c in candidates[1:] if c is not close[0])]

    def _margin(self, best: Candidate, candidates: list[Candidate]) -> float:
        """How far the best candidate stands above the next that competes with it: a
        grouped reference (which quotes the specific entries' messages) does not."""
        grouped = self.entries[best.entry].kind is Kind.REFERENCE
        related = self.entries[best.entry].related
        for other in candidates:
            if other is best:
                continue
            if not grouped and self.entries[other.entry].kind is Kind.REFERENCE:
                continue
            entry = self.entries[other.entry]
            if entry.id in related or self.entries[best.entry].id in entry.related:
                continue
            return best.similarity - other.similarity
        return best.similarity

    def named_systems(self, text: str) -> frozenset[int]:
        """The entries concerning a system the text names (by name or a common alias)."""
        folded = _spaced(text)
        named: set[int] = set()
        for name, entries in self._system_entries.items():
            if name in folded:
                named.update(entries)
        return frozenset(named) if named else frozenset({-1})

    def systems_fit(self, entry: int, named: frozenset[int]) -> tuple[float, float]:
        """(foreign, unnamed): whether the text names systems and none is one this entry
        concerns; whether it names none while the entry concerns a single system."""
        systems = _concerned(self.entries[entry])
        if not systems or "any" in systems:  # the platform alone: any connector pair
            return 0.0, 0.0
        if named == frozenset({-1}):
            return 0.0, float(len(systems) == 1)
        return float(entry not in named), 0.0

    def _may_be_confident(self, reading: Reading) -> bool:
        """Whether any entry could score THRESHOLD for this reading (see `best_case`)."""
        cosine, evidence = self.index.best_case(self.index.weigh(reading.terms))
        bounds = symptom_bounds(cosine, evidence, reading.cues, reading.level)
        best = tuple(
            high if weight >= 0 else low
            for weight, (low, high) in zip(SYMPTOM_WEIGHTS, bounds, strict=True)
        )
        return symptom_score(best) >= THRESHOLD


# Logistic calibration of the symptom tier: P(the top entry is right) from the
# features below, fitted by benchmarks/calibrate.py on the catalog's examples and
# tests/data (negatives.txt, paraphrases.jsonl); ../shared/eval is never used to fit.
SYMPTOM_FEATURES = (
    "cosine", "coverage", "evidence", "margin", "foreign", "unnamed", "problem", "success",
    "level", "only_success", "asks",
)  # fmt: skip
SYMPTOM_WEIGHTS = (11.71, 1.67, 5.17, 4.57, -3.69, -0.78, 1.13, 0.0, -1.99, -7.04, -4.81)
SYMPTOM_BIAS = -14.59
_MARGIN_CAP = 0.4
_GROUPED_REACH = 0.05
"""A grouped reference this little more similar than a specific entry yields to it."""
_EVIDENCE_CAP = 20.0


def symptom_features(
    candidate: Candidate, margin: float, fit: tuple[float, float], cues: Cues, level: int
) -> tuple[float, ...]:
    """What the confidence of a description match rests on (see SYMPTOM_FEATURES): how
    well the candidate fits (`retrieval.Candidate`), how far it stands above the next
    entry, whether the text names only systems it does not concern, and the text's cues."""
    return (
        candidate.cosine,
        candidate.coverage,
        min(candidate.evidence, _EVIDENCE_CAP) / 10,
        max(0.0, min(margin, _MARGIN_CAP)),
        *fit,
        *_cue_features(cues, level),
    )


def _cue_features(cues: Cues, level: int) -> tuple[float, ...]:
    """The text's cues: how much it reads as a problem, as good news, or as a question."""
    return (
        float(min(cues.problem, 3)),
        float(min(cues.success, 2)),
        float(level),
        float(cues.success > 0 and cues.problem == 0),  # reads as a report that all went well
        float(cues.asks),
    )


def symptom_bounds(
    cosine: float, evidence: float, cues: Cues, level: int
) -> list[tuple[float, float]]:
    """The lowest and highest value each feature can take for a text, given the bounds on
    cosine and evidence (see `SymptomIndex.best_case`); the text's cues are what they are."""
    fitting = [
        (0.0, cosine),
        (0.0, 1.0),
        (0.0, min(evidence, _EVIDENCE_CAP) / 10),
        (0.0, _MARGIN_CAP),
        (0.0, 1.0),
        (0.0, 1.0),
    ]
    return fitting + [(value, value) for value in _cue_features(cues, level)]


def symptom_score(features: tuple[float, ...]) -> int:
    """The calibrated probability that the entry is right, as a 0–95 score."""
    logit = SYMPTOM_BIAS + sum(w * x for w, x in zip(SYMPTOM_WEIGHTS, features, strict=True))
    probability = 1 / (1 + math.exp(-max(-30.0, min(30.0, logit))))
    return min(95, round(100 * probability))


_LABEL_ONLY = re.compile(r"\w+(?: \w+)?: \{details\}$")
"""A message that is only a label before what it reports ("Error message: {details}")."""
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_ABBREVIATED = re.compile(
    r"(?:\b(?:e\.g|i\.e|t\.ex|bl\.a|f\.eks|d\.v\.s|dvs|osv|etc|nr|no|ca|approx|vs|inkl|exkl"
    r"|ev|pga|mm|mfl|st)\.|\.\.\.|…)$",
    re.IGNORECASE,
)
"""A full stop that ends an abbreviation or an ellipsis, not a sentence ("e.g.", "t.ex.")."""
_NEAR_MISS = 88.0
"""How close (rapidfuzz ratio) a text must come to a counterexample to be held its copy."""
_Described = tuple[tuple[tuple[int, int], ...], tuple[int, int] | None]
"""A description's (entry, score) pairs, and the sentences of it they were read from."""
_TICKET_SENTENCES = 3
_TICKET_WORDS = 20
_MAX_SENTENCES = 12
_FOCUS_DISCOUNT = 10
_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")
_ASCII_NUMBER = re.compile(r"[0-9]+")
_DECIMAL_POINT = re.compile(r"(?<=\d)[.,](?=\d)")
_DIGITS_AS_MASK = bytes.maketrans(b"0123456789", b"#" * 10)
_DIGIT_RUNS = re.compile(rb"([0-9]+)")
_DIGITS_ONLY = bytes(byte if 48 <= byte <= 57 else 32 for byte in range(256))
"""Each byte but an ASCII digit as a space: `split()` then gives the numbers."""
_NUMBER_PIECES = re.compile(r"(\\u[0-9a-fA-F]{4}|(?<!\w)0x[0-9a-fA-F]+(?!\w)|[0-9]+)")
"""ASCII digits: a message that is not ASCII is shaped after `clean` (NFKC made its
fullwidth `０` a `0`); the digits of a `\\uXXXX` escape are a letter's, kept as they are;
a hex literal standing alone is one number."""


def _best_of(ranked: list[Match]) -> Match | None:
    """The best match of a ranking, if confident."""
    found = _confident_of(ranked)
    return found[0] if found else None


def _confident_of(ranked: list[Match]) -> list[Match]:
    """The confident matches of a ranking: the best, and runners-up within the margin."""
    found = [m for m in ranked if m.score >= THRESHOLD]
    if not found:
        return []
    floor = found[0].score - RUNNER_UP_MARGIN
    return [m for m in found if m.score >= floor]


def _parts(cleaned: str) -> list[str]:
    return message_parts(cleaned)[:_MAX_PARTS]


def _described(text: str) -> tuple[int, str]:
    """A text's level and what it says, as the symptom tier reads them."""
    level, message = split_envelope(text)
    return level, log_message(clean(message))


def _with_prefixes(numbers: Iterable[str]) -> frozenset[str]:
    return frozenset(n[:end] for n in numbers for end in range(1, len(n) + 1))


PLATFORM = "junipeer"
"""The integration platform itself: a few entries list it beside the systems (its
References page, its webhooks), but every entry happens in it."""
SYSTEM_ALIASES = {
    "Business Central": ("bc", "d365", "dynamics 365"),
    "SAP Business One": ("sap b1", "sap", "b1"),
    "WooCommerce": ("woo", "wc"),
    "Visma.net": ("visma net", "vismanet", "visma connect"),
    "Visma eAccounting": ("eaccounting", "eekonomi", "visma eekonomi", "visma connect"),
}
"""Other names people give a system, as folded words."""


def _spaced(text: str) -> str:
    """`text`'s words, folded, each between spaces: a name is found whole whatever
    stands around it ("Fortnox:", "säger fortnox,", "Mollie_API_Exception", "Visma.net")."""
    return f" {' '.join(words(fold(text)))} "


def _concerned(entry: Entry) -> list[str]:
    """The systems an entry concerns: those it names and those whose error codes it holds
    (RATE_LIMITED holds Shopify's THROTTLED), but not the platform, in which every entry
    happens."""
    named = [*entry.systems, *(code.system for code in entry.codes)]
    return [s for s in dict.fromkeys(named) if s.casefold() != PLATFORM]


def _system_entries(entries: list[Entry]) -> dict[str, frozenset[int]]:
    """A system's folded name (and aliases), padded with spaces → the entries naming it."""
    found: dict[str, set[int]] = {}
    for number, entry in enumerate(entries):
        for system in _concerned(entry):
            if system == "any":
                continue
            for name in (system, *SYSTEM_ALIASES.get(system, ())):
                found.setdefault(_spaced(name), set()).add(number)
    return {name: frozenset(e) for name, e in found.items()}


def _forms(entries: list[Entry]) -> list[_Form]:
    forms = []
    for number, entry in enumerate(entries):
        grouped = entry.kind is Kind.REFERENCE
        for message in entry.messages:
            template = compile_template(message.text)
            forms.append(_Form(number, message, message.lang, template, entry.id, grouped))
            if message.translation:
                template = compile_template(message.translation)
                forms.append(_Form(number, message, "en", template, entry.id, grouped))
    return forms


_URL = re.compile(r"(?<![\w+.-])[a-z][a-z0-9+.-]*://[^\s'\"<>]+", re.IGNORECASE)
"""A URL, its scheme read from its start only: a long run of `a.a.a…` before `://` is
tried once, not from each of its letters (which cost quadratic time)."""
_ID_SEGMENT = re.compile(r"\d")


def _asked_for(url: re.Match[str]) -> str:
    """A URL as a near copy reads it: the path down to its last segment holding an id.

    `…/customers/10458` asks for customer 10458, and a 404 on it says that customer is
    missing; `…/companies(55bd…)/customers` asks for a list, and a 404 on it says the
    endpoint is (a wrong API path or version), not that a customer is."""
    rest = url.group(0).partition("://")[2]
    segments = rest.split("?", 1)[0].split("/")
    last = max((n for n, s in enumerate(segments) if n and _ID_SEGMENT.search(s)), default=0)
    return " ".join(segments[: last + 1])


_EVERYDAY_WORDS = 3
_QUOTES = "\"'`"
_SET_BEFORE = frozenset(":-–—\"'[({<>|=")
_SET_AFTER = frozenset(".,;:!\"')]}(-–—|<>")
_ERROR_MARKS = re.compile(
    rf"(?i)\b(?:{'|'.join(map(re.escape, languages.words('error_marks')))}|[45]\d\d)\b"
)
_STATUS_DIGITS = frozenset(b"45")
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
"""A digit that is not ASCII: `\\d` reads it as one, `blind` leaves it as it is."""


def _everyday(template: Template) -> bool:
    """A message of a few words and no values, which prose may say too."""
    return (
        not template.open_ended
        and "#" not in template.screen
        and (len(template.screen.split()) <= _EVERYDAY_WORDS)
    )


def _stands_apart(part: str, found: re.Match[str]) -> bool:
    """Whether a message found in `part` stands as an error: alone, set off by punctuation
    on both sides, or beside an error word. A message of one word ("Unauthorized",
    "Throttled") must be all there is (a JSON body's message, say)."""
    before = part[: found.start()].rstrip()
    after = part[found.end() :].lstrip()
    if " " not in found.group(0).strip():
        return not before.strip(_QUOTES) and not after.strip(_QUOTES + ".!")
    if (not before or before[-1] in _SET_BEFORE) and (not after or after[0] in _SET_AFTER):
        return True
    return _ERROR_MARKS.search(part) is not None


def _near_alone(form: _Form, tokens: list[str], part: str) -> bool:
    """Whether a text is a near copy of an everyday message alone (a word more at most),
    or says it is an error."""
    words = len(form.template.screen.split())
    if words == 1:
        return len(tokens) <= 2  # one word ("Unauthorized") only all but alone
    return len(tokens) <= words + 1 or bool(_ERROR_MARKS.search(part))


def _specificity(form: _Form) -> tuple[bool, int]:
    return (not form.template.open_ended, form.template.literal_length)


_Found = TypeVar("_Found")


def _rank_exact(found: list[tuple[_Form, _Found]]) -> list[tuple[_Form, _Found, int]]:
    """Score and order exact finds: specific messages first, a grouped reference when it
    fits best.

    A grouped reference (COMMON_FORTNOX_ERRORS_EXPLAINED) quotes messages that
    specific entries own; it wins only when the text holds several of the
    messages it groups, and an open-ended template (`Error message: …`) yields
    to any fixed message found beside it. Ties go by entry id, as in `_rank`.
    """
    if len(found) == 1:  # the usual find: one message, scored as the rules below would
        form, x = found[0]
        return [(form, x, 100 - _REFERENCE_PENALTY if form.grouped else 100)]
    specific = [(f, x) for f, x in found if not f.grouped]
    references = [(f, x) for f, x in found if f.grouped]
    has_fixed = any(not f.template.open_ended for f, _ in specific)
    grouping = len({f.entry for f, _ in specific if not f.template.open_ended}) >= 2
    ranked: list[tuple[_Form, _Found, int]] = []
    for form, x in specific:
        score = 90 if form.template.open_ended and has_fixed else 100
        ranked.append((form, x, 96 if grouping else score))
    for form, x in references:
        ranked.append((form, x, 100 if grouping else 100 - _REFERENCE_PENALTY))
    ranked.sort(key=lambda r: (-r[2], r[0].entry_id))
    return ranked


def _rescore(match: Match, score: int) -> Match:
    if match.score == score:
        return match
    return Match(
        entry=match.entry,
        score=score,
        basis=match.basis,
        matched_text=match.matched_text,
        language=match.language,
        message=match.message,
        variables=match.variables,
    )


def _better(match: Match, held: Match) -> bool:
    """Whether `match` should stand for its entry rather than `held`: a confident near copy
    of a message over a description (it shows the message and its values), else the
    higher score."""
    if (match.basis == "fuzzy") != (held.basis == "fuzzy"):
        fuzzy = match if match.basis == "fuzzy" else held
        if fuzzy.score >= THRESHOLD:
            return match is fuzzy
    return match.score > held.score


def _merged(found: list[Match], coded: list[Match]) -> list[Match]:
    """Two rankings as one: each entry once, at the higher of its scores."""
    best: dict[str, Match] = {}
    for match in [*found, *coded]:
        held = best.get(match.entry.id)
        if held is None or _rank(match) < _rank(held):
            best[match.entry.id] = match
    return sorted(best.values(), key=_rank)


def _rank(match: Match) -> tuple[int, int, str]:
    order = {"exact": 0, "code": 1, "fuzzy": 2, "symptom": 3}[match.basis]
    return (-match.score, order, match.entry.id)


def _closed(found: re.Match[str]) -> str:
    """The text a template found, with the brackets it opened closed: a message's closing
    punctuation is not part of its pattern, so `Customer name cannot be empty (2000637)`
    is found up to its last digit."""
    text, end, line = found.group(0), found.end(), found.string
    if "(" not in text and "[" not in text:
        return text.strip()
    for opening, closing in ("()", "[]"):
        while text.count(opening) > text.count(closing) and line[end : end + 1] == closing:
            text += closing
            end += 1
    return text.strip()


def _tidy(value: str) -> str:
    return value.strip(" \t:;,.-–—'\"()[]{}")


def _fuzzy_floor(template: Template) -> float:
    shortest = min(len(s) for s in template.skeletons)
    return _FUZZY_FLOOR_SHORT if shortest < _SHORT_SKELETON else _FUZZY_FLOOR


def _similarity(fuzz: object, skeleton: str, query: str) -> float:
    """How close `query` comes to containing `skeleton` (0–100).

    Longer text is searched for its best-aligned window; shorter text is taken
    for a truncated message and compared with the skeleton's start only.
    """
    ratio = fuzz.ratio  # type: ignore[attr-defined]
    partial = fuzz.partial_ratio  # type: ignore[attr-defined]
    if len(query) >= len(skeleton):
        return float(partial(skeleton, query, score_cutoff=70))
    if len(query) < _MIN_TRUNCATED_SHARE * len(skeleton):
        return 0.0
    whole = float(ratio(query, skeleton, score_cutoff=70))
    head = len(query)
    cut = max(ratio(query, skeleton[: head + d], score_cutoff=70) for d in (-2, 0, 2))
    return max(whole, float(cut))


def _near_copy(fuzz: object, template: Template, query: str, floor: float) -> float:
    """How close `query` comes to one of the message's skeletons that it spells out (see
    `_spelt_out`), or 0."""
    found = 0.0
    for skeleton in template.skeletons:
        similarity = _similarity(fuzz, skeleton, query)
        if similarity >= max(floor, found) and _spelt_out(skeleton, query):
            found = similarity
    return found


def _spelt_out(skeleton: str, query: str) -> bool:
    """Whether each word of three letters or more of a message's skeleton is in the
    query, give or take a typo (two in a long word), run into its neighbour, split in
    two or abbreviated; or whether the query ends inside the message, its last words
    the message's first (the very last one perhaps cut short).

    A near copy of a message has all its words: "Kunde inte hitta kunden" resembles
    "Kunde inte hitta moms" closely, letter by letter, and is another message.
    """
    tokens = query.split()
    if not tokens:
        return False
    needed = skeleton.split()
    spellings = _spellings(tokens)
    if all(_spelt(word, spellings) for word in needed):
        return len(needed) < _ORDER_FROM or _in_order(needed, tokens)
    return _cut_off_copy(needed, tokens)


_ORDER_FROM = 6
"""From this many words on, a near copy also keeps the message's word order: a long message
with its words shuffled ("… invalid id" against "… id is invalid") says something else."""


def _in_order(needed: list[str], tokens: list[str]) -> bool:
    """Whether the message's words come in the text in the message's order (each give or
    take a typo, as `_spelt` allows; a short word exactly; a value anything)."""
    position = 0
    for word in needed:
        if word == MASK:
            continue
        while position < len(tokens):
            token = tokens[position]
            pair = token + tokens[position + 1] if position + 1 < len(tokens) else token
            position += 1
            if word == token or (len(word) >= 3 and _spelt(word, [token, pair])):
                break
        else:
            return False
    return True


def _spellings(tokens: list[str]) -> list[str]:
    """The words a text spells: its tokens, each two run together, and the negations
    people write in other ways ("couldn't", "cannot", "unavailable", Swedish "ej")."""
    found = [*tokens, *(a + b for a, b in pairwise(tokens))]
    for first, second in pairwise(tokens):
        for head, tail, negation in _SPLIT_NEGATIONS:  # couldn't, doesn't: "couldn t"
            if second == tail and first.endswith(head):
                found.append(negation)
    for token in tokens:
        said = _SAYS_NOT.get(token)
        if said is not None:
            found.append(said)
            continue
        for prefix, negation in _NEGATING_PREFIXES:
            if token.startswith(prefix) and len(token) > 5:
                found += [negation, token[len(prefix) :]]
                break
    return found


def _negation_spellings() -> tuple[
    dict[str, str], list[tuple[str, str]], list[tuple[str, str, str]], frozenset[str]
]:
    """From the language data: words that say a language's plain negation ("cannot",
    "ej"), prefixes that negate a word ("un"), apostrophe endings split by the tokenizer
    ("n't" → "n", "t"), and the plain negations themselves ("not", "inte", "ikke")."""
    says: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    splits: list[tuple[str, str, str]] = []
    for lang in languages.registered():
        for negation in lang.words("negation.core")[:1]:
            said = ("negation.contractions", "negation.aliases", "negation.typos")
            for word in (w for kind in said for w in lang.words(kind)):
                says.setdefault(word, negation)
            prefixes += [(prefix, negation) for prefix in lang.words("negation.prefix")]
            for ending in lang.words("negated.endings"):
                head, _, tail = ending.partition("'")
                splits.append((head, tail, negation))
    return says, prefixes, splits, frozenset(languages.words("negation.core"))


_SAYS_NOT, _NEGATING_PREFIXES, _SPLIT_NEGATIONS, _NEGATION_WORDS = _negation_spellings()


def _spelt(word: str, spellings: list[str]) -> bool:
    """Whether `word` is one of `spellings`, or begins or ends one, but for a typo (two in
    a word of eight letters or more), or is abbreviated by one ("yr", "acct"). Words of
    three letters and negations must be there as they are: "now" is not "not"."""
    if len(word) < 3 or word == MASK or word.isdigit():
        return True  # short words and values: not what tells messages apart
    if word in spellings:
        return True  # spelt right, as most words of a near copy are
    if len(word) == 3 or word in _NEGATION_WORDS:  # or run into the word before it
        return any(s.endswith(word) and len(s) >= len(word) + 3 for s in spellings)
    from rapidfuzz.distance import OSA

    typos = 1 if len(word) < 8 else 2
    return any(
        spelling.startswith(word)
        or spelling.endswith(word)
        or OSA.distance(word, spelling[: len(word) + 1], score_cutoff=typos) <= typos
        or _abbreviates(spelling, word)
        for spelling in spellings
    )


def _abbreviates(short: str, word: str) -> bool:
    """Whether `short` is `word`'s first letter and consonants of it, in order, at least
    half as many letters as it has ("yr" for year, "acct" for account)."""
    if not 2 <= len(short) < len(word) or short[0] != word[0] or 2 * len(short) < len(word):
        return False
    if any(letter in "aeiouy" for letter in short[1:]):
        return False
    letters = iter(word)
    return all(letter in letters for letter in short)


def _cut_off_copy(needed: list[str], tokens: list[str]) -> bool:
    """Whether the text ends in the message's first words, in order, most of the message:
    cut off after a word ("Customer name cannot be") or inside one ("… cannot be emp")."""
    enough = _MIN_TRUNCATED_SHARE * len(" ".join(needed))
    for cut in range(1, len(needed)):
        if cut > len(tokens):
            break
        head = needed[:cut]
        shown = len(" ".join(head))
        if (
            shown >= enough
            and len(tokens[-1]) <= len(head[-1])  # "hittas" is a whole word, not "hitta" cut
            and all(_spelt(word, [token]) for word, token in zip(head, tokens[-cut:], strict=True))
        ):
            return True
        if (
            cut < len(tokens)
            and shown + 1 + len(tokens[-1]) >= enough
            and _starts(needed[cut], tokens[-1])
            and all(_spelt(w, [t]) for w, t in zip(head, tokens[-cut - 1 : -1], strict=True))
        ):
            return True
    return False


def _starts(word: str, ending: str) -> bool:
    """Whether the last token of a cut-off text is the start of `word`: exactly when it is
    short, but for a typo from four letters on."""
    from rapidfuzz.distance import OSA

    if len(ending) < 2 or len(ending) >= len(word):
        return False
    typos = int(len(ending) >= 4)
    return OSA.distance(word[: len(ending)], ending, score_cutoff=typos) <= typos


def _similarity_of_start(fuzz: object, template: Template, query: str, part: str) -> float:
    """An open-ended message (`Error message: {details}`) must open the text, opener included.

    Its fixed words are short and common, so they count only at the start of a
    message part and followed by the message's own punctuation.
    """
    ratio = fuzz.ratio  # type: ignore[attr-defined]
    best = 0.0
    for skeleton in template.skeletons:
        head = skeleton.removesuffix(MASK).strip()
        if not head:
            continue
        if template.opener and template.opener not in part[: len(head) + 4]:
            continue
        if _split_by_structure(head, part):
            continue
        cut = max(ratio(head, query[: len(head) + d], score_cutoff=70) for d in (-2, -1, 0, 1, 2))
        best = max(best, float(cut))
    return best


def _split_by_structure(head: str, part: str) -> bool:
    """Whether the words of a message's opener are keys of a structure in `part`, not a
    phrase: `"error": { "message": "Your card was declined." }` says no "Error message:"."""
    last = re.search(re.escape(head.split()[-1]), part[: len(head) + 8], re.IGNORECASE)
    at = last.start() if last else 0
    return at > 0 and ("{" in part[:at] or part[:at].count('"') > 1)


def _required_numbers(template: Template, query: str) -> frozenset[str]:
    """The literal numbers a text must state: those not cut off with a truncated tail."""
    shortest = min(template.skeletons, key=len)
    if len(query) >= len(shortest):
        return template.numbers
    return template.numbers & frozenset(shortest[: len(query)].split())


def _has_numbers(required: frozenset[str], tokens: list[str]) -> bool:
    """Numbers a message states literally must be there (or cut off at the end)."""
    if not required:
        return True
    present = set(tokens)
    last = tokens[-1] if tokens else ""
    return all(n in present or (last.isdigit() and n.startswith(last)) for n in required)


def _sentences(text: str) -> list[str]:
    """The sentences of `text` that hold a word: split after ".", "!" or "?" and a space,
    except after an abbreviation or an ellipsis."""
    sentences: list[str] = []
    start = 0
    for end in _SENTENCE_END.finditer(text):
        if _ABBREVIATED.search(text, start, end.start()):
            continue
        sentences.append(text[start : end.start()])
        start = end.end()
    sentences.append(text[start:])
    return [s for s in sentences if _TWO_LETTERS.search(s)]


def _message_texts(entry: Entry) -> Iterable[str]:
    for message in entry.messages:
        yield message.text
        if message.translation:
            yield message.translation


def _the_sentences(description: str, described: str, span: tuple[int, int] | None) -> str:
    """The sentences `span` of a description (as `_sentences` splits the same text read
    without machine names), or the whole description."""
    if span is None:
        return description
    sentences = _sentences(description)
    if len(sentences) != len(_sentences(described)):
        return description
    return " ".join(sentences[span[0] : span[1] + 1])


_QUOTE_MARKS = frozenset("\"'“”„«»‘’`")


@lru_cache(maxsize=1)
def _error_nouns() -> tuple[dict[str, str], re.Pattern[str]]:
    """Each language's word for an error (its first `error.noun`), and a pattern for
    any of their forms opening a text ("errors", "felen", "feilene")."""
    first = {
        lang.code: lang.words("error.noun")[0]
        for lang in languages.registered()
        if lang.words("error.noun")
    }
    forms = sorted(languages.words("error.noun"), key=len, reverse=True)
    return first, re.compile(rf"(?:{'|'.join(map(re.escape, forms))})\b", re.IGNORECASE)


def _quoted_as_over(exact: list[Match], text: str, level: int) -> list[Match]:
    """`exact`, held below the threshold when a person names the message — in quotes, or
    before "errors" — to say it is over or gone ("We no longer get 'Customer name cannot
    be empty' since …", "the invalid grant errors disappeared"): read with the quoted
    message as the word "error", the text is good news. Not in a log's lines, whose
    quotes are the program's."""
    if level != 0 or not exact:
        return exact
    quoted = exact[0].matched_text
    at = text.find(quoted)
    if at < 0:
        return exact
    before, after = text[:at].rstrip(), text[at + len(quoted) :].lstrip()
    nouns, named = _error_nouns()
    if before[-1:] in _QUOTE_MARKS and after[:1] in _QUOTE_MARKS:
        noun = nouns.get(language(text), "error")
        said = f"{before[:-1]} {noun} {after[1:]}"  # "'Invalid grant' is gone"
    elif named.match(after):
        said = f"{before} {after}"  # "the invalid grant errors disappeared": named, not said
    else:
        return exact
    from junidiag.matching.cues import Cues  # only now: its patterns cost a start-up

    if not Cues.of(said).good_news(0):
        return exact
    return [_rescore(match, min(match.score, THRESHOLD - 1)) for match in exact]
