"""Making pasted text canonical and comparable.

`clean` makes text safe and canonical (length cap, escape sequences and control
characters removed, mojibake repaired, NFKC); `fold` makes it comparable (case,
Scandinavian diacritics, quotes and dashes); `words` splits folded text into
tokens; `decode_escapes` reads a JSON string's escapes.
"""

from __future__ import annotations

import re
import unicodedata

from junidiag.text.patterns import lazy

MAX_CHARS = 4096
"""Text beyond this never reaches scoring: fuzzy cost grows steeply with length and an
error message sits near the start of its line. Longer input is cut, not rejected."""

_ESCAPES = lazy(
    r"""
      \x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?   # OSC: window titles, hyperlinks
    | \x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?     # OSC, 8-bit form
    | (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]              # CSI: colours, cursor, clear screen
    | \x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?        # DCS, SOS, PM, APC strings
    | \x1b[ -/]*[0-~]?                              # any other escape
    """,
    re.VERBOSE,
)
_LOST_ESCAPES = lazy(r"\[(?<![\w\]]\[)[0-9;]{1,20}m")
"""Colour codes whose ESC was lost in a copy and paste: `[31mlacks authorization…[0m`.

The `[` comes first and the look-behind after it, so that the pattern opens with a
literal, which `re` looks for quickly: a look-behind first is tried at every place
of the line (a JSON body of 4 kB: 0.14 ms against 3 µs)."""
_CONTROLS = lazy(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_INVISIBLE = lazy(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_MOJIBAKE_HINT = lazy(r"[ÃÂ][\x80-\xbf\u0152-\u02dc\u2013-\u203a]|â€")
_SPACES = lazy(r"\s+")

_FOLD = str.maketrans(
    {
        **dict.fromkeys("åäàáâãā", "a"),
        **dict.fromkeys("öøòóôõō", "o"),
        **dict.fromkeys("éèêëē", "e"),
        **dict.fromkeys("üúùû", "u"),
        **dict.fromkeys("íìîï", "i"),
        "æ": "ae",
        "ç": "c",
        "ñ": "n",
        **dict.fromkeys("‘’‚‛`´", "'"),
        **dict.fromkeys("“”„‟«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        "…": "...",
    }
)
_FOLDABLE = lazy("[" + "".join(re.escape(chr(c)) for c in _FOLD) + "]")
_WORD = lazy(r"[^\W_]+")


def clean(raw: str) -> str:
    """Canonical, printable text: capped, no escapes or controls, mojibake repaired, NFKC."""
    text = raw[: MAX_CHARS * 2]
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = _ESCAPES.sub(" ", text)
    if "m" in text and "[" in text:
        text = _LOST_ESCAPES.sub(" ", text)
    if not text.isprintable():
        text = _INVISIBLE.sub("", _CONTROLS.sub(" ", text))
    if not text.isascii():
        if _MOJIBAKE_HINT.search(text):
            text = repair_mojibake(text)
        text = unicodedata.normalize("NFKC", text)
    if "  " in text or not text.isprintable():  # any other space is not printable
        text = _SPACES.sub(" ", text)
    return text.strip()[:MAX_CHARS]


def repair_mojibake(text: str) -> str:
    """`hÃ¤mta` → `hämta`: UTF-8 read as Latin-1/CP1252, as badly decoded logs show it.

    A text that is mojibake through and through (its CP1252 or Latin-1 bytes are
    UTF-8, once or twice over) is decoded back directly: practically no other text survives
    that round trip, and `NÃ¥r` is repaired where ftfy, wary of `Ã¥`, leaves it.
    ftfy takes what is left: a line with both broken and sound characters.
    """
    for _ in range(3):  # copied through two badly configured systems: decoded twice
        repaired = _read_as_utf8(text)
        if repaired is None or repaired == text:
            break
        text = repaired
    if not _MOJIBAKE_HINT.search(text):
        return text
    import ftfy  # for the rare line that needs it: importing costs 30-50 ms

    return ftfy.fix_encoding(text)


def _read_as_utf8(text: str) -> str | None:
    """The text its CP1252 (or else Latin-1) bytes make as UTF-8, if they are UTF-8."""
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
    return None


def fold(text: str) -> str:
    """Lower case without diacritics or typographic quotes: `Hämta` and `hamta` compare equal."""
    if text.isascii():
        return text.lower()  # the same result, ten times faster: most log lines are ASCII
    lowered = text.casefold()
    if _FOLDABLE.search(lowered) is None:
        return lowered  # an arrow or a euro sign, but nothing to fold
    # Replace only the few characters that fold: str.translate looks up every character.
    return _FOLDABLE.sub(_fold_one, lowered)


def _fold_one(found: re.Match[str]) -> str:
    folded: str = _FOLD[ord(found.group(0))]
    return folded


def words(folded: str) -> list[str]:
    """The word tokens of folded text (letters and digits; `_` and punctuation split)."""
    return _WORD.findall(folded)


def decode_escapes(value: str) -> str:
    """A JSON string's text with its escapes decoded, and the mojibake an escape may
    spell (`h\\u00c3\\u00a4mta`, UTF-8 bytes escaped one by one) repaired."""
    if "\\" not in value:
        return value
    text = _ESCAPE.sub(_unescape_one, value)
    # JSON writes an emoji as two escaped halves: join them, and make a lone half U+FFFD
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return repair_mojibake(text) if _MOJIBAKE_HINT.search(text) else text


_ESCAPE = lazy(r"\\(u[0-9a-fA-F]{4}|.)")


def _unescape_one(found: re.Match[str]) -> str:
    code = found.group(1)
    if code.startswith("u") and len(code) == 5:
        return chr(int(code[1:], 16))
    return {"n": " ", "t": " ", "r": " "}.get(code, code)
