"""Which of the languages a text is written in."""

from __future__ import annotations

from functools import lru_cache

from junidiag.model import Lang
from junidiag.text.cleaning import fold, words

_LANGUAGE_WORDS: dict[Lang, frozenset[str]] = {
    "en": frozenset(
        "the and is are was were not to of in on for with from after but our we it "
        "does doesn't can't cannot won't never every all".split()
    ),
    "sv": frozenset(
        "och inte att det som ar for pa med har vi jag den till fran efter men nar "
        "kunde hamta hitta blir blev sedan nagon aldrig alla hur vad varfor finns "
        "saknas fel trots ingen inga eller ocksa mot utan".split()
    ),
    "no": frozenset(
        "og ikke at det som er for pa med har vi jeg den til fra etter men nar "
        "kunne hente finne blir ble siden noen aldri alle hvordan hva hvorfor finnes "
        "mangler feil selv om ingen eller ogsa mot uten var mulig".split()
    ),
}
_SWEDISH_ONLY = frozenset("ar inte och jag fran nar hamta hitta varfor blev saknas ocksa".split())
_NORWEGIAN_ONLY = frozenset("er ikke og jeg fra ble hente finne hvorfor mangler ogsa mulig".split())


@lru_cache(maxsize=4096)
def language(text: str) -> Lang:
    """en, sv or no, from letters (ø/æ vs ä/ö) and common function words."""
    lowered = text.casefold()
    if "ø" in lowered or "æ" in lowered:
        return "no"
    tokens = words(fold(lowered))
    if "ä" in lowered or "ö" in lowered:
        return "sv"
    sv = sum(t in _SWEDISH_ONLY for t in tokens) * 2 + sum(
        t in _LANGUAGE_WORDS["sv"] for t in tokens
    )
    no = sum(t in _NORWEGIAN_ONLY for t in tokens) * 2 + sum(
        t in _LANGUAGE_WORDS["no"] for t in tokens
    )
    en = sum(t in _LANGUAGE_WORDS["en"] for t in tokens) * 2
    best = max(en, sv, no)
    if best == 0 or best == en:
        return "en"
    return "sv" if sv >= no else "no"
