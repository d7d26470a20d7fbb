"""`junidiag catalog new`: a draft catalog entry from a log line nothing matched.

The draft's message is the line's message (found the way the matcher finds it,
with `normalize.message_parts`) with its variable parts — order ids, numbers,
currencies, dates, e-mail addresses, names — turned into `{placeholders}`, so the
draft matches the next occurrence of the error right away. Everything a person
must still write (cause, solution, symptoms, a translation) is marked TODO, which
`catalog check` reports as a draft: nobody ships one by accident.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from junidiag.catalog.schema import ID
from junidiag.matching.templates import CURRENCY_CODES
from junidiag.model import PLACEHOLDER, Lang, side_by_side
from junidiag.text import languages
from junidiag.text.cleaning import clean, fold, words
from junidiag.text.envelope import message_parts, strip_prefix
from junidiag.text.language import language
from junidiag.text.patterns import ISO_STAMP

ENGLISH = "en"

MAX_LINE_BYTES = 64 * 1024
"""A catalog file may hold 256 KiB (see `schema`); the line is written into it twice."""
TITLE_CHARS = 72
MIN_MESSAGE_WORDS = 3
"""A link of an error chain shorter than this (`timeout`) is rarely the whole message."""

TODO_TRANSLATION = "TODO translate"
TODO_CAUSE = "TODO explain why this happens, in one paragraph."
TODO_SOLUTION = "TODO the first step to fix it, with menu paths exactly as in the product."
TODO_SYMPTOM = "TODO describe the problem the way a user would, without the error text."


_SURROGATE = re.compile(r"[\ud800-\udfff]")
"""An undecodable byte in a command-line argument arrives as a lone surrogate, which
no UTF-8 file can hold and no YAML escape may name: it is written as U+FFFD."""


class DraftError(Exception):
    """A draft cannot be made or written; the message is one line for a person."""


def draft_entry(entry_id: str, line: str) -> str:
    """The YAML text of a draft entry `entry_id` for the unmatched log `line`."""
    _check_id(entry_id)
    line = _SURROGATE.sub("\ufffd", line)
    _check_line(line)
    # The most specific part that keeps enough fixed words once its variable parts are
    # placeholders (a quoted reason alone keeps none), else any that keeps one.
    drafts = [(m, *_templated_in_its_language(m)) for m in _messages(clean(line))]
    usable = [d for d in drafts if _literal_words(d[1])]
    telling = [d for d in usable if len(_literal_words(d[1])) >= MIN_MESSAGE_WORDS]
    if not usable:
        raise DraftError(f"nothing but variable parts to recognise the error by in: {drafts[0][0]}")
    message, text, lang = (telling or usable)[0]
    if side_by_side(text) is not None:  # `_templated` joins them: never written, never hit
        raise DraftError(f"cannot tell the variable parts of this message apart: {message}")
    # The loader strips every value, so the example is the line as it will read back.
    examples = list(dict.fromkeys([line.strip(), message]))
    return _yaml(entry_id, text, lang, examples)


def write_draft(entry_id: str, line: str, directory: Path, force: bool) -> Path:
    """Write the draft to `directory/ID.yaml`, refusing to overwrite unless `force`."""
    text = draft_entry(entry_id, line)
    path = directory / f"{entry_id}.yaml"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DraftError(f"cannot create {directory}: {error.strerror or error}") from None
    try:
        if force:
            _replace(path, text)
        else:
            # "x" refuses an existing file in the same system call that creates it, so a
            # file appearing between a check and the write is not overwritten either.
            with path.open("x", encoding="utf-8", newline="\n") as out:
                out.write(text)
    except FileExistsError:
        raise DraftError(f"{path} already exists; use --force to overwrite it") from None
    except OSError as error:
        raise DraftError(f"cannot write {path}: {error.strerror or error}") from None
    return path


def _replace(path: Path, text: str) -> None:
    """Put `text` at `path` in place of what is there: written to a new file beside it,
    then renamed over it. A symbolic link at `path` is replaced, never written through
    (it may point at any file of the user's)."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.partial")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(partial, flags, 0o666)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        partial.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise


def _templated_in_its_language(message: str) -> tuple[str, Lang]:
    lang = language(_without_names(message))
    return _templated(message, lang), lang


def _without_names(message: str) -> str:
    """The message without capitalised words after its first: a customer called Åsa
    Öberg does not make an English message Swedish."""
    first, _, rest = message.partition(" ")
    return " ".join([first, *(w for w in rest.split() if not w[:1].isupper())])


def _check_id(entry_id: str) -> None:
    if ID.fullmatch(entry_id):
        return
    suggestion = re.sub(r"[^A-Z0-9_]+", "_", entry_id.strip().upper()).strip("_")
    hint = f" such as {suggestion}" if ID.fullmatch(suggestion) else ""
    raise DraftError(
        f"{entry_id!r} is not a valid entry id: use UPPER_SNAKE_CASE{hint} "
        "(a capital letter, then capitals, digits and _)"
    )


def _check_line(line: str) -> None:
    if not clean(line):
        raise DraftError("nothing to draft from: the line is empty")
    size = len(line.encode("utf-8"))
    if size > MAX_LINE_BYTES:
        raise DraftError(f"the line is {size:,} bytes; paste at most {MAX_LINE_BYTES // 1024} KiB")


# --- the message in the line ---------------------------------------------------------


def _messages(cleaned: str) -> list[str]:
    """The parts of the line that read as a whole message, most specific first."""
    parts = [_without_added_code(strip_prefix(p), cleaned) for p in message_parts(cleaned)]
    enough = [p for p in parts if len(_letter_words(p)) >= MIN_MESSAGE_WORDS]
    # Braces are reserved for placeholders: a literal one would make the entry invalid.
    # Parentheses are separators to the matcher just as braces are.
    return [p.replace("{", "(").replace("}", ")") for p in enough or parts]


def _without_added_code(part: str, line: str) -> str:
    """`Customer name cannot be empty (2000637)` → without the code `message_parts` appended.

    Fortnox sends the code as its own JSON field; the bare message is what both the
    JSON body and a pasted message contain, so it is the one that matches both.
    """
    found = re.fullmatch(r"(.+) (\(\d+\))", part)
    if found is None or found.group(2) in line:
        return part
    return found.group(1)


def _letter_words(text: str) -> list[str]:
    return [w for w in words(fold(text)) if not w.isdigit()]


def _literal_words(template: str) -> list[str]:
    return _letter_words(PLACEHOLDER.sub(" ", template))


# --- variable parts → placeholders ---------------------------------------------------

_CURRENCIES = "|".join(sorted(code.upper() for code in CURRENCY_CODES))
_MONTHS = "|".join(languages.words("months"))
"""The start of each month's name in every language (`2 Jan 2026`, `2 okt. 2026`)."""
_ORDER_LABEL = (
    f"(?:{'|'.join(languages.words('order.nouns'))})(?:{'|'.join(languages.words('order.endings'))})?"
    f"(?:[\\ _-]?(?:{'|'.join(languages.words('order.numbers'))}))?"
)
"""`order`, `ordern`, `ordre nr`, `order_id`: an order id's label, in each language's words."""
_VARIABLE = re.compile(
    rf"""
      (?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
    | (?P<date>\b{ISO_STAMP}
      | \b\d{{4}}/\d\d/\d\d | \b\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}\b
      | (?i:\b\d{{1,2}}\.?\ (?:{_MONTHS})[a-z]*\.?\ \d{{4}}\b))
    | (?P<time>\b\d{{1,2}}:\d\d(?::\d\d(?:[.,]\d+)?)?\b)
    | (?P<quoted>(?<![\w'])'[^\s'][^'\n]{{0,78}}'(?![\w'])
      | (?<![\w"])"[^\s"][^"\n]{{0,78}}"(?![\w"])
      | [‘“«„][^‘’“”«»„\n]{{1,80}}[’”»“])
    | (?P<order>(?i:\b{_ORDER_LABEL}\b)[\s:#=.]*)
      (?P<order_value>[A-Za-z]{{0,4}}-?\d[\w-]*)
    | (?P<hash>(?<![\w&])\#)(?P<hash_value>[A-Za-z]{{0,4}}-?\d[\w-]*)
    | (?P<currency>\b(?:{_CURRENCIES})\b)
    | (?P<code>(?<![\w-])[A-Za-z]+[-_]?\d{{3,}}[\w-]*)
    | (?P<number>(?<![\w.,-])-?\d+(?:[.,]\d+)*(?![\w-]))
    """,
    re.VERBOSE,
)
"""Every kind of variable part, most specific first: at one position the first
alternative wins, so `order 10492` is an order id before `10492` is a number."""

_PLACEHOLDER_OF = {"email": "email", "currency": "currency", "code": "number", "number": "number"}
_WHOLE_VALUE = ("email", "date", "time", "currency", "code", "number")


@dataclass
class _Names:
    """Placeholder names unique within one message: `number`, `number_2`, …, and the
    value each stands for in the line."""

    used: dict[str, int] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)

    def new(self, kind: str, value: str) -> str:
        count = self.used[kind] = self.used.get(kind, 0) + 1
        name = kind if count == 1 else f"{kind}_{count}"
        self.values[name] = value
        return f"{{{name}}}"


def _templated(message: str, lang: Lang) -> str:
    """`Lagret Nord är låst för order #10492` → `Lagret {name} är låst för order #{order_id}`."""
    names = _Names()
    text = _VARIABLE.sub(lambda found: _placeholder(found, names), message)
    return _joined_side_by_side(_capitalised_names(text, lang, names), names)


def _placeholder(found: re.Match[str], names: _Names) -> str:
    kind = found.lastgroup or ""
    if kind == "order_value":  # keep `order #`, replace only the id
        return found.group("order") + names.new("order_id", found.group(kind))
    if kind == "hash_value":
        return "#" + names.new("order_id", found.group(kind))
    value = found.group(0)
    if kind == "quoted":
        # A quoted date or number is that, not a name; the quotes stay, as in the line.
        inner = _VARIABLE.fullmatch(value[1:-1])
        if inner is not None and inner.lastgroup in _WHOLE_VALUE:
            return value[0] + _placeholder(inner, names) + value[-1]
        return value[0] + names.new("name", value[1:-1]) + value[-1]
    if kind in ("date", "time"):
        # One slot for a date and time (`2026-01-02T07:15:40Z`): the matcher reads a
        # placeholder named `time` as digits and their punctuation, colons included.
        return names.new("time" if ":" in value else "date", value)
    return names.new(_PLACEHOLDER_OF[kind], value)


_SIDE_BY_SIDE = re.compile(r"\{[a-z][a-z0-9_]*\}(?:(?:[^\w{]|_)*\{[a-z][a-z0-9_]*\})+")
"""Placeholders with only spaces and punctuation between them (see `model.side_by_side`)."""
_ONE_NAME = re.compile(r"[^\s,;:][^,;:]{0,60}")
"""What the matcher's slot for a name takes (see `matching.templates`)."""


def _joined_side_by_side(text: str, names: _Names) -> str:
    """`Lager '{name}' '{name_2}' är låst` → `Lager '{name}' är låst`.

    The catalog refuses placeholders side by side (where one ends and the next begins
    is anyone's guess), so they become one, standing for all their values and what is
    between them (`Nord' 'Syd`), where one name slot can take that; otherwise the
    values after the first are kept as written.
    """

    def joined(found: re.Match[str]) -> str:
        run = found.group(0)
        original = PLACEHOLDER.sub(lambda p: names.values.get(p.group(1), p.group(0)), run)
        if _ONE_NAME.fullmatch(original):
            kinds = {re.sub(r"_\d+$", "", name) for name in PLACEHOLDER.findall(run)}
            return names.new("name" if kinds == {"name"} else "value", original)
        first = PLACEHOLDER.match(run)
        assert first is not None
        rest = run[first.end() :]
        return first.group(0) + PLACEHOLDER.sub(lambda p: names.values[p.group(1)], rest)

    merged = _SIDE_BY_SIDE.sub(joined, text)
    return merged if merged == text else _renumbered(merged)


def _renumbered(text: str) -> str:
    """Placeholders named `kind`, `kind_2`, … again in the order they stand."""
    counts: dict[str, int] = {}

    def renamed(found: re.Match[str]) -> str:
        kind = re.sub(r"_\d+$", "", found.group(1))
        count = counts[kind] = counts.get(kind, 0) + 1
        return f"{{{kind}}}" if count == 1 else f"{{{kind}_{count}}}"

    return PLACEHOLDER.sub(renamed, text)


_CAPITALISED = re.compile(r"(?<![\w{])[A-ZÅÄÖÆØÉÜ][a-zåäöæøéü]+(?!\w)")
_OPENERS = frozenset(".!?:;([\"'‘“«>=-")
"""After these a capitalised word starts a sentence or a value, so it says nothing."""


def _capitalised_names(text: str, lang: Lang, names: _Names) -> str:
    """`Lagret Nord är låst` → `Lagret {name} är låst`: a capitalised word mid-sentence
    that is no word the glossary knows and no system name is a name (a warehouse, a
    customer, a payment method).

    Swedish and Norwegian capitalise nothing else there, so each such word is a name.
    English capitalises whole phrases (`502 Bad Gateway`, `Internal Server Error`):
    there a run of capitalised words is a name only if none of them is a known word.
    """
    spans: list[tuple[int, int]] = []
    for run in _capitalised_runs(text):
        known = [_known(found.group(0)) for found in run]
        if lang != "en":
            pairs = zip(run, known, strict=True)
            spans += [found.span() for found, is_known in pairs if not is_known]
        elif not any(known):
            spans.append((run[0].start(), run[-1].end()))
    pieces: list[str] = []
    position = 0
    for start, end in _joined(text, spans):
        pieces += [text[position:start], names.new("name", text[start:end])]
        position = end
    return "".join([*pieces, text[position:]])


def _capitalised_runs(text: str) -> list[list[re.Match[str]]]:
    """Capitalised words not starting a sentence, adjacent ones (`Stora Nord`) together."""
    runs: list[list[re.Match[str]]] = []
    for found in _CAPITALISED.finditer(text):
        before = text[: found.start()].rstrip()
        if not before or before[-1] in _OPENERS:
            continue
        if runs and text[runs[-1][-1].end() : found.start()] == " ":
            runs[-1].append(found)
        else:
            runs.append([found])
    return runs


def _joined(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans one space apart become one: `Lille Sør` is one name, not two."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and text[joined[-1][1] : start] == " ":
            start = joined.pop()[0]
        joined.append((start, end))
    return joined


def _known(word: str) -> bool:
    folded = fold(word)
    vocabulary, prefixes = _vocabulary()
    # Inflections (`fakturan`, `artiklene`) but not other words (`Stockholm`).
    return folded in vocabulary or any(
        folded.startswith(p) and len(folded) - len(p) <= 3 for p in prefixes
    )


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], tuple[str, ...]]:
    """The glossary's words, the stop words and the catalog's system names (`Fortnox`)."""
    from junidiag import catalog
    from junidiag.matching.terms import STOPWORDS, load_glossary

    glossary = load_glossary()
    known = set(glossary.surface_forms()) | STOPWORDS
    try:  # the bundled catalog only: a user's catalog directory may be the one being drafted
        bundled = catalog.load(catalog.sources((), env=""))
        known.update(w for e in bundled for s in e.systems for w in words(fold(s)))
    except catalog.CatalogError:
        pass  # names are a guess; a broken catalog must not stop a draft
    prefixes = tuple(p for p in glossary.prefixes if len(p) >= 4)
    return frozenset(known), prefixes


# --- YAML ----------------------------------------------------------------------------


def _yaml(entry_id: str, text: str, lang: str, examples: list[str]) -> str:
    """The draft in the key order of the bundled entries, written by PyYAML's safe dumper,
    so that every value reads back exactly as it was drafted (`.inf`, `0x1F`, `<<`,
    `no`, quotes and control characters are quoted or escaped as YAML needs)."""
    import yaml

    message = {"text": text, "lang": lang}
    if lang != ENGLISH:  # the loader requires an English translation of every other language
        message["translation"] = TODO_TRANSLATION
    draft = {
        "id": entry_id,
        "title": _title(text),
        "severity": "error",
        "kind": "pattern",
        "systems": ["any"],
        "messages": [message],
        "cause": TODO_CAUSE,
        "solution": [TODO_SOLUTION],
        "symptoms": [TODO_SYMPTOM],
        "related": [],
        "examples": examples,
        "counterexamples": [],
    }
    dumped: str = yaml.dump(
        draft, Dumper=_indented_dumper(), sort_keys=False, allow_unicode=True, width=1 << 16
    )
    return dumped


def _indented_dumper() -> type:
    import yaml

    class IndentedDumper(yaml.SafeDumper):
        """Lists indented under their key, as the bundled entries are written."""

        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        # YAML reads NEL and the Unicode line and paragraph separators in a plain or
        # single-quoted scalar as line breaks (folded to spaces): only a double-quoted
        # scalar escapes them, and PyYAML does not choose one for them by itself.
        style = '"' if _BREAKS_LINES.search(value) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    IndentedDumper.add_representer(str, text)
    return IndentedDumper


_BREAKS_LINES = re.compile("[\x85\u2028\u2029]")


def _title(text: str) -> str:
    """The message, cut at a word (never inside a placeholder) to fit one line."""
    title = text[:1].upper() + text[1:]
    if len(title) <= TITLE_CHARS:
        return title.rstrip(" .:")
    kept = title[: TITLE_CHARS + 1].rsplit(" ", 1)[0]
    if "{" in kept.rsplit("}", 1)[-1]:  # a placeholder would be cut in half
        kept = kept[: kept.rindex("{")]
    return kept.rstrip(" .,:;-") + " …"


def default_directory(catalog_dirs: Sequence[Path]) -> Path:
    """Where a draft goes without `--dir`: the user catalog directory with the highest
    precedence (the last `--catalog`, else the last in $JUNIDIAG_CATALOG), or the
    current directory."""
    from junidiag.catalog import BUNDLED, sources

    highest = sources(catalog_dirs)[-1]
    return Path.cwd() if highest.name == BUNDLED else highest.directory
