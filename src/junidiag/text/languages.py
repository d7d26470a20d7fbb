"""The languages junidiag reads, as data: one file per language in `junidiag/languages/`.

Everything language-specific — log level words, negations, problem and success
words, stop words, month names, the words of the phrases that report nothing done,
and the language's part of the cross-language glossary — lives in that language's
file. Code asks for a kind of word (`words("problem")`) and gets the union over
every registered language, so adding a language is one new data file plus its
code in `BUNDLED` (or, without touching the package, its path in
`$JUNIDIAG_LANGUAGES`). The format is described in docs/languages.md.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

BUNDLED = ("en", "sv", "no")
"""The languages shipped in the package, in order of precedence (the first is the default
and wins ties). A new language: `languages/<code>.txt`, and its code here."""
ENV_VAR = "JUNIDIAG_LANGUAGES"
"""A path list of further language files (`da.txt`), registered after the bundled ones."""
_GLOSSARY = "glossary"
_FOLDER = Path(__file__).parents[1] / "languages"
"""The bundled language files, read as plain files: `importlib.resources` would cost
several milliseconds of imports on every run (zipfile, tempfile), and the package is
always installed as files."""


class LanguageError(Exception):
    """A language file that cannot be read."""


class Language(NamedTuple):
    """One language's words, by kind, and its glossary lines. (A named tuple, not a
    frozen dataclass, which would cost every run about half a millisecond to create.)"""

    code: str
    name: str
    letters: frozenset[str]
    """Letters only this language uses among the registered ones (ä ö for Swedish)."""
    lists: dict[str, tuple[str, ...]]
    glossary: tuple[str, ...]
    """`CONCEPT: form | form` lines, in the syntax of the glossary."""

    def words(self, kind: str) -> tuple[str, ...]:
        return self.lists.get(kind, ())


def parse(code: str, text: str) -> Language:
    """A language from the text of its file (`key: value`; indented lines continue a value;
    after `glossary:`, glossary lines)."""
    values: dict[str, str] = {}
    glossary: list[str] = []
    key = ""
    lines = text.splitlines()
    for number, raw in enumerate(lines):
        if raw.strip().startswith("#") or not raw.strip():
            continue
        if raw[:1].isspace():
            if not key:
                raise LanguageError(f"{code}: line {number + 1}: a continuation with no key")
            values[key] += " " + raw.strip()
            continue
        key, colon, value = raw.partition(":")
        key = key.strip()
        if not colon:
            raise LanguageError(f"{code}: line {number + 1}: expected `key: value`")
        if key == _GLOSSARY:
            glossary = lines[number + 1 :]
            break
        values[key] = value.strip()
    name = values.pop("name", code)
    letters = frozenset(values.pop("letters", "").split())
    lists = {k: _items(v, phrases=k.endswith(".phrases")) for k, v in values.items()}
    return Language(code, name, letters, lists, tuple(glossary))


def _items(value: str, phrases: bool) -> tuple[str, ...]:
    if phrases or "|" in value:
        return tuple(" ".join(p.split()) for p in value.split("|") if p.strip())
    return tuple(value.split())


@lru_cache(maxsize=1)
def registered() -> tuple[Language, ...]:
    """The bundled languages, then those named in $JUNIDIAG_LANGUAGES."""
    found = [parse(code, (_FOLDER / f"{code}.txt").read_text(encoding="utf-8")) for code in BUNDLED]
    for path in extra_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeError) as error:
            raise LanguageError(f"{path}: cannot read the language file ({error})") from None
        added = parse(path.stem, text)
        replaced = next((lang for lang in found if lang.code == added.code), None)
        if replaced is not None:  # a file written for an older version keeps newer kinds
            added = added._replace(
                letters=added.letters or replaced.letters,
                lists={**replaced.lists, **added.lists},
                glossary=added.glossary or replaced.glossary,
            )
        found = [lang for lang in found if lang.code != added.code]
        found.append(added)
    return tuple(found)


def extra_files() -> list[Path]:
    """The language files $JUNIDIAG_LANGUAGES names (their stem is the language's code)."""
    value = os.environ.get(ENV_VAR, "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]


def codes() -> tuple[str, ...]:
    return tuple(lang.code for lang in registered())


def named(code: str) -> Language | None:
    return next((lang for lang in registered() if lang.code == code), None)


def name_of(code: str) -> str:
    """`Swedish` for `sv`; the code itself for an unknown one."""
    found = named(code)
    return found.name if found is not None else code


@lru_cache(maxsize=256)
def words(kind: str) -> tuple[str, ...]:
    """The words of one kind in every registered language, each once, in order."""
    return tuple(dict.fromkeys(w for lang in registered() for w in lang.words(kind)))


def glossary_text() -> str:
    """Every registered language's glossary lines, as one glossary."""
    return "\n".join(line for lang in registered() for line in lang.glossary)
