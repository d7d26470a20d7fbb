"""Which of the registered languages a text is written in (see `text.languages`)."""

from __future__ import annotations

from functools import lru_cache

from junidiag.model import Lang
from junidiag.text import languages
from junidiag.text.cleaning import fold, words


@lru_cache(maxsize=4096)
def language(text: str) -> Lang:
    """The language of `text`: by the letters only one language uses (ø/æ, ä/ö), else
    by its words — a distinctive word counts twice, a common one once — with the first
    registered language (English) the answer when nothing tells."""
    lowered = text.casefold()
    registered = languages.registered()
    lettered = [lang for lang in registered if any(letter in lowered for letter in lang.letters)]
    if len(lettered) == 1:
        return lettered[0].code
    candidates = lettered or registered
    tokens = words(fold(lowered))
    best_code, best = candidates[0].code, 0
    for lang in candidates:
        score = _score(lang.code, tokens)
        if score > best:
            best_code, best = lang.code, score
    return best_code


def _score(code: str, tokens: list[str]) -> int:
    distinctive, common = _vocabulary(code)
    return sum(2 * (t in distinctive) + (t in common) for t in tokens)


@lru_cache(maxsize=16)
def _vocabulary(code: str) -> tuple[frozenset[str], frozenset[str]]:
    lang = languages.named(code)
    if lang is None:
        return frozenset(), frozenset()
    return frozenset(lang.words("detect.distinctive")), frozenset(lang.words("detect.common"))
