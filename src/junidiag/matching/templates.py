"""Catalog message templates, compiled once into what the matcher compares.

`Currency {payment_currency} and Currency {invoice_currency} does not match` becomes

* a regular expression that finds the message anywhere in a line, whatever the case,
  diacritics (`hamta` for `hämta`) or punctuation, and extracts the variables;
* fuzzy *skeletons* (`currency # and currency # does not match`): folded text with
  placeholders as `#`, one per alternative of `hämta/hitta`, for typo'd and
  truncated messages;
* the literal numbers the message requires (`Loaded 0 Articles` is not
  `Loaded 152 Articles`, however similar the strings).
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import NamedTuple

from junidiag.text import languages
from junidiag.text.cleaning import fold, words
from junidiag.text.patterns import lazy

_PIECE = lazy(
    r"\{(?P<name>[a-z][a-z0-9_]*)\}"
    r"|(?P<alt>[^\W_]+(?:/[^\W_]+)+)"
    r"|(?P<word>[^\W_]+)"
    r"|(?P<sep>(?:(?!\{[a-z])[\W_])+)"
)
_LETTER_CLASSES = {
    "a": "[aåäàáâã]",
    "o": "[oöøòóôõ]",
    "e": "[eéèêë]",
    "u": "[uüúùû]",
    "i": "[iíìîï]",
}
_START = r"(?<![^\W_])"
_FIRST_LETTER = lazy(r"\(\?:æ\|ae\)|\[[^\]]*\]|\\.|.", re.DOTALL)
_END = r"(?![^\W_])"
_ANY_SEPARATOR = r"[\W_]{0,16}+"
_SOME_SEPARATOR = r"[\W_]{1,16}+"
"""Between two words: punctuation and spaces, taken whole (possessive: never given back
to what follows, which starts with a word character anyway), at most 16 of them."""
_MAX_ID = 128
"""The longest id a placeholder takes (an order number, a GUID, a token)."""

CURRENCY_CODES = frozenset(
    "sek eur nok dkk usd gbp pln chf isk jpy cad aud czk huf ron bgn try cny nzd".split()
)
MASK = "#"


class Template(NamedTuple):
    """One message text, ready to be searched for exactly and compared fuzzily. (A named
    tuple, not a frozen dataclass, which would cost every run about a millisecond to
    create.)"""

    source: str
    """The regular expression, compiled on first use (start-up loads many, uses few)."""
    skeletons: tuple[str, ...]
    screen: str
    """The fixed words alone, for a first cheap comparison with a whole line."""
    numbers: frozenset[str]
    literal_length: int
    """How much fixed text the message has: longer is more specific."""
    open_ended: bool
    """Whether the message ends in a placeholder that takes the rest of the line."""
    opener: str = ""
    """For an open-ended message, the punctuation before its tail (`:` in `Error message:`)."""
    keys: tuple[str, ...] = ()
    """Its telling words: a line containing none of them cannot be this message."""
    required: tuple[str, ...] = ()
    """The telling words every occurrence has (those not among `a/b` alternatives)."""

    def search(self, text: str) -> re.Match[str] | None:
        return _compiled(self.source).search(text)


@lru_cache(maxsize=512)
def _compiled(source: str) -> re.Pattern[str]:
    return re.compile(source, re.IGNORECASE)


def compile_template(text: str) -> Template:
    pieces = [(m.lastgroup or "", m.group(m.lastgroup or 0)) for m in _PIECE.finditer(text)]
    while pieces and pieces[0][0] == "sep":
        pieces.pop(0)
    while pieces and pieces[-1][0] == "sep":
        pieces.pop()
    open_ended = bool(pieces) and pieces[-1][0] == "name"
    opener = ""
    if open_ended and len(pieces) > 1 and pieces[-2][0] == "sep":
        opener = pieces[-2][1].strip()
    regex = _regex(pieces, open_ended, opener)
    literal = [value for kind, value in pieces if kind in ("word", "alt")]
    literal_words = words(fold(" ".join(literal)))
    fixed_words = words(fold(" ".join(value for kind, value in pieces if kind == "word")))
    numbers = frozenset(w for w in literal_words if w.isdigit())
    return Template(
        source=regex,
        skeletons=skeletons(pieces),
        keys=telling_words(literal_words),
        required=tuple(k for k in telling_words(fixed_words) if k in telling_words(literal_words)),
        screen=" ".join(literal_words),
        numbers=numbers,
        literal_length=sum(len(v) for v in literal),
        open_ended=open_ended,
        opener=opener,
    )


def telling_words(literal: list[str]) -> tuple[str, ...]:
    """The words that may stand for a message in a line: any one spelt right will do.

    Every word of four letters or more counts (short function words aside), so a
    typo'd message is still looked at when one of its words survived; the matcher
    then screens each form cheaply before comparing it properly.
    """
    keys = [w for w in literal if len(w) >= 4 and w not in _FUNCTION_WORDS]
    return tuple(dict.fromkeys(keys or literal))


_FUNCTION_WORDS = frozenset(languages.words("function_words"))


def word_starts(screen: str) -> tuple[str, ...]:
    """The first three letters of each word of four or more: "custmer" still starts "cus"."""
    return tuple(dict.fromkeys(w[:3] for w in screen.split() if len(w) >= 4 and w.isalpha()))


def _regex(pieces: list[tuple[str, str]], open_ended: bool, opener: str) -> str:
    """The pattern of a template, which runs in time linear in the text searched.

    A placeholder ends where the fixed text after it (up to the next placeholder)
    first matches: the two are one atomic group, so once found, that end is never
    tried again with a longer value. Without that, values side by side (`'{a}' '{b}'`)
    or a value that may hold the next word would be tried split every which way, in
    time exponential in their number. Separators are possessive and bounded, ids too.
    """
    parts: list[tuple[str, str]] = []  # (role, pattern): "slot", "fixed" or "tail"
    for index, (kind, value) in enumerate(pieces):
        if kind == "sep":
            spaced = any(c.isspace() for c in value)
            parts.append(("fixed", _SOME_SEPARATOR if spaced else _ANY_SEPARATOR))
        elif kind == "word":
            parts.append(("fixed", _word(value)))
        elif kind == "alt":
            options = "|".join(_word(option) for option in value.split("/"))
            parts.append(("fixed", rf"(?:(?:{options})(?:\s*/\s*(?:{options}))*)"))
        elif open_ended and index == len(pieces) - 1:
            # The tail is optional, but the words before it must end where the message
            # says they do: `Error message:` needs its colon, so "error messages from
            # Fortnox" or "no clear error message." are not this message.
            if parts and parts[-1][1] in (_SOME_SEPARATOR, _ANY_SEPARATOR):
                parts.pop()
            parts.append(("fixed", rf"\s*{re.escape(opener)}" if opener else _END))
            parts.append(("tail", rf"(?:\s*(?P<{value}>\S.*))?"))
        else:
            parts.append(("slot", _placeholder(value)))
    if pieces and pieces[0][0] == "word":
        # its first letter looked at first: a place that fails on it fails before the
        # look-behind is tried (a 4 kB line searched: 0.1 ms → 0.04 ms)
        parts.insert(0, ("fixed", f"(?={_first_letter(parts[0][1])}){_START}"))
    elif pieces and pieces[0][0] != "name":
        parts.insert(0, ("fixed", _START))
    if pieces and not open_ended:
        parts.append(("fixed", _END))
    out: list[str] = []
    group: list[str] | None = None  # a placeholder and the fixed text after it
    for role, pattern in parts:
        if role == "fixed" and group is not None:
            group.append(pattern)
            continue
        if group is not None:
            out.append("(?>" + "".join(group) + ")")
            group = None
        if role == "slot":
            group = [pattern]
        else:
            out.append(pattern)
    if group is not None:
        out.append("(?>" + "".join(group) + ")")
    return "".join(out)


def _word(word: str) -> str:
    parts = []
    for char in fold(word):
        if char in _LETTER_CLASSES:
            parts.append(_LETTER_CLASSES[char])
        else:
            parts.append(re.escape(char))
    return "".join(parts).replace("[aåäàáâã][eéèêë]", "(?:æ|ae)")


def _first_letter(pattern: str) -> str:
    """The first letter of a word's pattern (see `_word`): `(?:æ|ae)`, a class, an
    escaped character or a letter."""
    found = _FIRST_LETTER.match(pattern)
    assert found is not None  # `.` matches any first character of a word's pattern
    return found.group()


def _placeholder(name: str) -> str:
    """A typed slot: currency codes are letters, ids are one token, a time digits and its
    punctuation, names a few words."""
    if name.endswith("currency"):
        return rf"(?P<{name}>[A-Za-z]{{1,4}})"
    if name.endswith(("id", "number", "code", "nr", "no")):
        return rf"(?P<{name}>[^\s,;]{{1,{_MAX_ID}}}?)"
    if name.endswith("time"):  # `2026-01-02T07:15:40Z`, `2026-01-02 07:15:40,123`, `07:15`
        return rf"(?P<{name}>\d[\d:.,+\-/TZ ]{{0,39}}?)"
    return rf"(?P<{name}>[^\s,;:](?:[^,;:]{{0,60}}?))"


def skeletons(pieces: list[tuple[str, str]]) -> tuple[str, ...]:
    """Folded word sequences with placeholders as `#`, one per choice of each `a/b`."""
    choices: list[list[str]] = []
    for kind, value in pieces:
        if kind == "word":
            choices.append([" ".join(words(fold(value)))])
        elif kind == "alt":
            options = [" ".join(words(fold(option))) for option in value.split("/")]
            choices.append([*options, " ".join(options)])
        elif kind == "name":
            choices.append([MASK])
    combos = itertools.islice(itertools.product(*choices), 8)
    return tuple(dict.fromkeys(" ".join(c for c in combo if c) for combo in combos))


def mask(tokens: list[str], keep: frozenset[str]) -> str:
    """Folded tokens as a skeleton-comparable string: values become `#`.

    Numbers (unless a message needs that literal number), currency codes and the
    seed's `X` are variable parts; masking them lets `Currency DKK and Currancy SEK`
    be compared with `currency # and currency #`. One regex pass over the joined
    tokens: a Python test per token cost more than the fuzzy comparison itself.
    """

    def masked(found: re.Match[str]) -> str:
        token = found.group()
        return token if token in keep else MASK

    return _VARIABLE_TOKEN.sub(masked, " ".join(tokens))


_VARIABLE_TOKEN = lazy(
    r"(?<!\S)(?:[^\W\d_]*\d[^\W_]*|x|" + "|".join(sorted(CURRENCY_CODES)) + r")(?!\S)"
)
"""A token holding a digit, a currency code or `x` (tokens are joined by single spaces)."""
