"""Whether a text reads as a problem report or as a report of success.

A normal INFO line shares nouns with the catalog ("payout reconciled, 37 invoices
marked as paid") but has no problem words and some success words. The words come
from the language data (`text.languages`): problem, question and success words,
negations, and the words of a few phrases whose meaning a single word does not
carry — "0 records" (nothing done), "available: 0" (none left), "two invoices"
(a duplicate), "matched 2 products" (an ambiguity), "exported 0" (nothing found),
"without errors" (nothing failed). The phrases' shapes are written here once; their
words are each language's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from junidiag.matching.gate import Bound
from junidiag.text import languages
from junidiag.text.cleaning import fold, words


def _alternatives(items: Iterable[str]) -> str:
    """`a|b c|d` for a regex: each item escaped, its spaces one literal space."""
    return "|".join(re.escape(item) for item in dict.fromkeys(items))


def _spoken(items: Iterable[str]) -> str:
    """`a|b c` for a regex, as `_alternatives`, with each space a space or an apostrophe:
    the data writes "haven t" for "haven't" (folded text keeps the apostrophe)."""
    return "|".join(r"[\s']+".join(map(re.escape, item.split())) for item in dict.fromkeys(items))


def _words(kind: str) -> tuple[str, ...]:
    return languages.words(kind)


PROBLEM_WORDS = (*_words("problem"), *_words("problem.setting"))
"""Words that make a text a problem report, in their natural spelling."""
QUESTION_WORDS = _words("question")
_SETTING_WORDS = frozenset(fold(w) for w in _words("problem.setting"))
"""Problem words that describe a setting ("inactive", "inaktiverat"): see `Cues.routine`."""
_PROBLEM_WORDS = frozenset(fold(w) for w in (*PROBLEM_WORDS, *_words("negation.typos")))
_QUESTION_WORDS = frozenset(fold(w) for w in QUESTION_WORDS)
_STATE_WORDS = frozenset(fold(w) for w in _words("problem.state"))
"""Problem words that describe a state ("unpaid", "kvar"): in a question, no failure."""
_SUCCESS_WORDS = frozenset(fold(w) for w in _words("success"))
_NOTHING_DONE_WORDS = _words("nothing_done.phrases")
"""Texts that may start a "nothing was done" phrase (see _NOTHING_DONE), for the gate."""
_QUESTION_MARK = re.compile(r"\?(?!\w)")
_NEGATIONS = frozenset(_words("negations") + _words("negation.typos"))
_AS_WORDS = frozenset(_words("as"))

_NOT_AFTER = rf"(?!\w|\s+(?:{_alternatives(fold(w) for w in _words('negations'))})\b)"
"""After a phrase of good news: not negated ("works now" is news, "funkar nu inte" is not)."""
_NO_FAILURES = re.compile(
    "|".join(
        [
            rf"\b(?:0\s+(?:\w+\s+(?:\w{{1,4}}\s+)?)?(?:{_alternatives(_words('no_failures.counted'))})",
            rf"(?:{_alternatives(_words('no_failures.without'))})"
            rf"\s+(?:\w+-)?(?:{_alternatives(_words('no_failures.nouns'))})",
            *(
                r"\s+".join(map(re.escape, fold(p).split())) + _NOT_AFTER
                for p in _words("no_failures.phrases")
            ),
        ]
    )
    + r")\b"
)
"""A report that nothing failed or all is well: "0 failed", "0 tasks in error", "without
errors", "utan fel", "ingen mva-feil" (not "no error message" or "utan felmeddelande": a
failure that said nothing), "works again", "fungerar nu", "fully paid"."""
_FAILURES = _alternatives(sorted({fold(w) for w in _words("no_longer.failures")}, key=len)[::-1])
_OVER = _alternatives(fold(p) for p in _words("no_longer.phrases"))
_NO_LONGER = re.compile(rf"\b(?:(?:{_FAILURES})\s+(?:{_OVER})|(?:{_OVER})\s+(?:{_FAILURES}))\b")
"""A failure said to be over: "fastnar inte längre", "no longer fails" (good news); only a
failure word counts ("no longer appear" and "blir inte längre synkade" are problems)."""
_NONE_OPENERS = sorted(
    (fold(p) for key in ("none_of.phrases", "none_of.after_seen") for p in _words(key)), key=len
)[::-1]
_NONE_OF = re.compile(rf"^\W*(?:{_spoken(_NONE_OPENERS)})\s+([^,.;:!?]*)")
"""A text opening with "none of a problem": "Inga dubbla fakturor sedan i måndags", "We
haven't seen a single rate limit error this week"."""
_DENIABLE = frozenset(fold(w) for w in _words("none_of.problems"))
_UNTIL = frozenset(fold(w) for w in _words("none_of.until"))
"""Words after which the clause goes on to what did happen ("when", "när", "mens")."""
_SINCE = frozenset(fold(w) for w in _words("none_of.since"))
"""Words after which a denial says what put an end to the problem ("since we fixed …")."""
_BUT_NOW = re.compile(rf"\b(?:{_alternatives(fold(p) for p in _words('but_now.phrases'))})\b")
"""What follows decides when it reports only success: "failed, but now it works again"."""
_DENYING = _NEGATIONS | frozenset(
    fold(p) for p in _words("none_of.phrases") if " " not in p.strip()
)
"""The negations and the words that say none ("nothing", "inget", "ingenting"): each
denies what follows it."""
_ALL_WELL = re.compile(rf"\b(?:{_spoken(fold(p) for p in _words('all_well.phrases'))})\b")
"""All is well ("som de ska", "stämmer med"), when nothing in the text reports a problem."""
_CONCEDED = re.compile(rf"\b(?:{_spoken(fold(p) for p in _words('resolved.not_after'))})\b")
"""Words after which a problem said to be solved is not ("even though it was fixed")."""
_A_CONSTANT = re.compile(r"\s+(?:at|to)\b")
""""Fixed at 49 kr", "fixed to 2025": a value that does not change, not a repair."""
_RESOLVED = re.compile(rf"\b(?:{_alternatives(fold(p) for p in _words('resolved.phrases'))})\b")
"""A problem said to be solved ("the token problem is fixed", "felet är löst"): good news,
unless what follows reports another ("… is fixed, but now X fails")."""
_SHARE = (
    # each number taken whole, from its start only ("3 812" is one), and never given
    # back: a long run of digits and spaces costs linear time, not cubic
    rf"(?<!\d )\b[1-9]\d*+(?: \d{{3}})*+\s*+(?:/|{_alternatives(_words('share.of'))})"
    rf"\s*+\d++(?: \d{{3}})*+"
)
_LEFT = rf"(?:{_alternatives(fold(w) for w in _words('share.left'))})\b"
_LEFT_BEFORE = rf"(?:{_alternatives(fold(w) for w in _words('share.left_before'))})\b"
_SOME_LEFT = re.compile(
    rf"{_SHARE}(?:\s+\w+){{0,3}}?\s+{_LEFT}"
    rf"|\b{_LEFT_BEFORE}\s*+[:=]?\s*+{_SHARE}(?=\s*+(?:$|[,;)\]]))"
)
"""A share still left, a status: "38/40 requests remaining", "3 812 of 10 000 left", and
a counter's "remaining: 38/40" ending its clause ("the remaining 3 of 10 orders failed"
reports a failure; "igjen 3 av 4", again three of four, is no share left)."""
_NEUTRAL = re.compile(
    "|".join(
        r"\b" + r"[\s-]+".join(map(re.escape, fold(p).split())) + r"\b"
        for p in _words("neutral.phrases")
    )
    or r"(?!)"
)
"""Phrases that say nothing of a problem though a word looks like one: a time ("year-end
closing"), a greeting ("hej igen"), a preamble ("just wanted to say"). Not counted, and
no concession before a problem said to be solved."""
_NEGATED = re.compile(
    rf"(?:{_alternatives(_words('negated.endings'))})\b"
    rf"|\b(?:{_alternatives(_words('negated.words'))})\b"
)
_NOTHING_DONE = re.compile(
    rf"\b(?:0|{_alternatives(_words('zero'))})\s+(?:{_alternatives(_words('counted'))})\b"
)
"""A zero count before the noun: "0 records", "inga ordrar" (not "processed, 0 failed")."""
_NONE_LEFT = re.compile(
    rf"\b(?:{_alternatives(_words('stock.before_zero'))})\s*[:=]?\s*0\b"
    rf"|\b0\s+(?:{_alternatives(_words('stock.after_zero'))})\b"
)
"""Stock at zero: "available 0", "0 i lager"."""


def _two_of() -> re.Pattern[str]:
    same = rf"(?:(?:{_alternatives(_words('same'))})\s+)?"
    shapes = [
        rf"\b(?:{_alternatives(_words('two'))})\s+{same}(?:{_alternatives(_words('duplicable'))})\b"
    ]
    for lang in languages.registered():
        nouns = lang.words("duplicable.unambiguous")
        if nouns:  # after this language's own "two" only ("to products" is English "to")
            own_same = rf"(?:(?:{_alternatives(lang.words('same'))})\s+)?"
            two = _alternatives(lang.words("two"))
            shapes.append(rf"\b(?:{two})\s+{own_same}(?:{_alternatives(nouns)})\b")
    return re.compile("|".join(shapes))


_TWO_OF = _two_of()
"""One thing made or found twice: "two invoices", "to fakturaer", "två produkter" (a
duplicate, said plainly; English "to" is no number, so not before "products")."""


def _ambiguous() -> re.Pattern[str]:
    shapes = []
    for lang in languages.registered():
        found = lang.words("found")
        if found:  # after this language's own verb only: Norwegian "to" is English "to"
            several = "".join(f"|{re.escape(fold(w))}" for w in lang.words("several"))
            shapes.append(rf"\b(?:{_alternatives(found)})\s+(?:[2-9]|\d\d+{several})\b")
    return re.compile("|".join(shapes) or r"(?!)")


_AMBIGUOUS = _ambiguous()
"""One thing found several times: "SKU 1001 matched 2 products", "hittade två produkter"
report an ambiguity ("matched to 58 invoices" does not: English "to" is no number)."""
_NONE_FOUND = re.compile(
    rf"\b(?:{_alternatives(_words('done'))})\s+(?:0|{_alternatives(_words('none'))})\b"
)
"""A success verb with nothing done: "payout matched 0 of 212 invoices"."""


def _denies_one_problem(clause: list[str]) -> bool:
    """Whether the clause after "no", "inga", "ikke en eneste" names exactly one problem,
    a failure a "none" can deny, and no success ("No duplicate invoices": denied; "No
    orders synced", "No task appears": reports)."""
    since = next((n for n, t in enumerate(clause) if t in _SINCE), len(clause))
    clause = clause[:since]  # "… since we updated the cards": what was done, not reported
    problems = [t for t in clause if t in _PROBLEM_WORDS]
    return (
        len(problems) == 1
        and problems[0] in _DENIABLE
        and _SUCCESS_WORDS.isdisjoint(clause)
        and _UNTIL.isdisjoint(clause)  # "No error when orders vanish": a report
    )


def _last(found: Iterable[re.Match[str]]) -> re.Match[str] | None:
    last = None
    for match in found:
        last = match
    return last


def cue_words() -> list[str]:
    """Every word the cues read, numbers among them (`200` is a success)."""
    return [*PROBLEM_WORDS, *QUESTION_WORDS, *_SUCCESS_WORDS, *_NOTHING_DONE_WORDS]


def cue_keys() -> list[tuple[str, Bound]]:
    """The texts whose presence may make a line a problem report (see `Cues`), for the gate."""
    natural = set(PROBLEM_WORDS) | set(QUESTION_WORDS)
    spellings = natural | _PROBLEM_WORDS | _QUESTION_WORDS  # the quick pass does not fold
    found = [(w, Bound.WORD) for w in sorted(spellings)]
    found += [("? ", Bound.ANYWHERE), ("n t ", Bound.ANYWHERE), ("too many", Bound.WORD)]
    found += [("errorcode", Bound.WORD)]  # `"ErrorCode":4026`: a vendor code may follow
    found += [(w, Bound.PREFIX) for w in _NOTHING_DONE_WORDS]
    return found


def reports_double(folded: str) -> bool:
    """ "matched 2 products", "two invoices": one thing found or made twice."""
    return bool(_AMBIGUOUS.search(folded) or _TWO_OF.search(folded))


def reports_none_found(folded: str) -> bool:
    """ "matched 0 products": something not found, in a success verb's words."""
    return bool(_NONE_FOUND.search(folded))


@dataclass(frozen=True, slots=True)
class Cues:
    """How much a text reads like a problem report versus a report of success."""

    problem: int
    """Problem words and phrases, questions included."""
    success: int
    asks: bool = False
    """A question and nothing else that reads as a problem: how to do something, which
    only an entry whose fix answers it should answer."""
    settings: int = 0
    """Of the problem words, those describing a setting ("inactive", "deaktivert")."""

    @classmethod
    def of(cls, text: str) -> Cues:
        folded = fold(text)
        turn = _last(_BUT_NOW.finditer(folded))
        if turn is not None:  # "failed, but now it works": the news is the end
            after = cls.of(folded[turn.end() :])
            if after.success and not after.problem:
                return after
        solved = _last(_RESOLVED.finditer(folded))
        since = None if solved is None else cls._after_solved(folded, solved)
        if since is not None:  # "the duplicates problem is fixed"
            return cls(problem=0, success=since.success + 1)
        rest = cls._after_a_denial(folded)
        if rest is not None:  # "Inga dubbla fakturor": none of it, good news
            folded = rest
        cleared, over = _NO_LONGER.subn(" ", folded)  # "no longer stopped": good news
        over += len(_SOME_LEFT.findall(folded)) + (rest is not None)  # "38/40 remaining"
        cleared = _SOME_LEFT.sub(" ", _NO_FAILURES.sub(" ", _NEUTRAL.sub(" ", cleared)))
        tokens = words(cleared)
        # "matched 2 products", "matched 0 of 212": success verbs reporting a problem
        contrary = sum(len(p.findall(folded)) for p in (_AMBIGUOUS, _NONE_FOUND))
        phrases = sum(len(p.findall(cleared)) for p in (_NOTHING_DONE, _NONE_LEFT, _TWO_OF))
        questions = sum(t in _QUESTION_WORDS and t not in _PROBLEM_WORDS for t in tokens)
        questions += len(_QUESTION_MARK.findall(text))
        problem = sum(t in _PROBLEM_WORDS for t in tokens) + len(_NEGATED.findall(folded))
        problem += phrases + contrary
        states = sum(t in _STATE_WORDS for t in tokens)
        # A success word right after a negation ("never synced", "blir ikke registrert")
        # or right before one ("matches no invoice", "funkar nu inte") reports a failure.
        success = sum(
            t in _SUCCESS_WORDS and not _NEGATIONS.intersection(tokens[max(0, i - 2) : i + 3])
            for i, t in enumerate(tokens)
        )
        # "booked as shipping", "bokförs som frakt": done, but as the wrong thing; "shows
        # up as completed", "visas som klar": a state reported as another
        miscast = sum(
            (t in _SUCCESS_WORDS and tokens[i + 1] in _AS_WORDS)
            or (t in _AS_WORDS and not _SUCCESS_WORDS.isdisjoint(tokens[i + 1 : i + 3]))
            for i, t in enumerate(tokens[:-1])
        )
        success -= miscast
        problem += miscast
        success = max(0, success + over + len(_NO_FAILURES.findall(folded)) - contrary)
        if not problem and not questions and cls._all_well(folded):
            success += 1  # "Alla returer blev kreditfakturor som de ska"
        asks = questions > 0 and problem == states
        settings = sum(t in _SETTING_WORDS for t in tokens)
        return cls(problem=problem + questions, success=success, asks=asks, settings=settings)

    @staticmethod
    def _all_well(folded: str) -> bool:
        """Whether the text says all is well with no negation or "nothing" anywhere before
        the phrase ("Ingenting fungerar som det ska", "not synced as they should")."""
        found = _ALL_WELL.search(folded)
        if found is None:
            return False
        said = words(folded[: found.start()])
        return "t" not in said and _DENYING.isdisjoint(said)

    @classmethod
    def _after_solved(cls, folded: str, found: re.Match[str]) -> Cues | None:
        """What follows the problem `found` says is solved ("is fixed", "är löst"), when
        that is all the text reports: nothing denies it ("nothing is fixed", "hasn't been
        fixed"), nothing concedes it ("even though it was fixed", "since we fixed", "trots
        att"), it is no constant ("fixed at 49 kr"), and no clause before or after reports
        a problem; else None."""
        before, rest = _NEUTRAL.sub(" ", folded[: found.start()]), folded[found.end() :]
        said = words(before)
        if said[-1:] == ["t"] or not _DENYING.isdisjoint(said[-2:]):
            return None  # "hasn't been fixed", "nothing is fixed", "inget är löst"
        if _CONCEDED.search(before) or _A_CONSTANT.match(rest):
            return None
        clause = max(map(before.rfind, ",.;:!?")) + 1
        if cls.of(before[:clause]).problem:
            return None
        after = cls.of(rest)
        return None if after.problem else after

    @classmethod
    def _after_a_denial(cls, folded: str) -> str | None:
        """What follows a first clause that denies one problem, when nothing after it
        reports one ("Inga dubbla fakturor sedan i måndags"; not "No errors, but X is
        stuck"); None when the text opens with no such clause."""
        found = _NONE_OF.match(folded)
        if found is None or not _denies_one_problem(words(found.group(1))):
            return None
        rest = folded[found.end() :]
        return None if cls.of(rest).problem else rest

    def good_news(self, level: int) -> bool:
        """A line that reports only success and is not logged as a warning or an error:
        "Payment method Klarna mapped to cash account 1580", "Kunden 10021 uppdaterades".

        Like a routine line, never a confident description match: it shares an entry's
        nouns because it reports that entry's step going well.
        """
        return self.success > 0 and self.problem == 0 and level <= 0

    def routine(self, level: int) -> bool:
        """A line logged at INFO or DEBUG that names no problem but a setting's state (an
        administrator's "Account 3740 deactivated"): normal traffic.

        It shares nouns with the catalog ("NoWaste pick report parsed, 3 pallets")
        but reports nothing going wrong, so it is never a symptom match.
        """
        return self.problem == self.settings and level < 0
