"""Reading one catalog file against the entry schema (SPEC §2).

Turns the strict YAML tree into an `Entry`, recording every problem with its file,
line and field instead of stopping at the first, so one run of `catalog check`
lists everything to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from junidiag.catalog import yamltree
from junidiag.catalog.files import MAX_FILE_BYTES, read_bounded
from junidiag.catalog.problems import MAX_PROBLEMS_SHOWN, Problem, did_you_mean
from junidiag.catalog.yamltree import Mapping, Node, Scalar, Sequence
from junidiag.model import PLACEHOLDER, Code, Entry, Kind, Message, Origin, Severity, side_by_side
from junidiag.text import languages

REQUIRED = (
    "id", "title", "severity", "kind", "systems", "messages",
    "cause", "solution", "symptoms", "related", "examples",
)  # fmt: skip
OPTIONAL = ("counterexamples", "codes", "references", "notes", "origin")
FIELDS = (*REQUIRED, *OPTIONAL)
_MAY_BE_EMPTY = frozenset({"messages", "related", "counterexamples", "codes", "notes"})
ID = re.compile(r"[A-Z][A-Z0-9_]*")
"""What an entry id looks like: capitals, digits and underscores, opening with a capital."""
ENGLISH = "en"
"""Translations are into English: every other language's message needs one."""


def read_entry(path: Path, source: str, problems: list[Problem]) -> Entry | None:
    """One entry from one file, or None with the reasons appended to `problems`."""
    where = str(path)
    try:
        raw = read_bounded(path)  # a regular file, at most the limit and one byte of it
        if len(raw) > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // 1024
            problems.append(Problem(where, 1, None, f"file is {_size(path)}, over {limit} KiB"))
            return None
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.append(Problem(where, line, None, f"not UTF-8 text ({exc.reason})"))
        return None
    except OSError as exc:
        problems.append(Problem(where, 0, None, f"cannot read: {exc.strerror or exc}"))
        return None
    try:
        tree = yamltree.parse(text)
    except yamltree.YamlProblem as exc:
        problems.append(Problem(where, exc.line, exc.field, exc.message))
        return None
    before = len(problems)
    entry = _EntryReader(where, problems).read(tree)
    if entry is None or len(problems) > before:
        return None
    if entry.id != path.stem:
        problems.append(Problem(where, 1, "id", f"{entry.id} does not match the file name"))
        return None
    return replace(entry, source=source)


def _size(path: Path) -> str:
    try:
        return f"{path.stat().st_size:,} bytes"
    except OSError:
        return "too large"


Fields = dict[str, Node]


class _EntryReader:
    """Turns a YAML tree into an Entry, recording each problem with its line."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        self.found = 0

    def fail(self, line: int, name: str | None, message: str) -> None:
        self.found += 1
        self.problems.append(Problem(self.path, line, name, message))

    @property
    def swamped(self) -> bool:
        """Past the problems a person reads in one file (see `CatalogError`): the rest
        are counted, not explained, so a file of 37,000 unknown fields stays quick."""
        return self.found >= MAX_PROBLEMS_SHOWN

    def read(self, tree: Node | None) -> Entry | None:
        if not isinstance(tree, Mapping):
            line = tree.line if tree is not None else 1
            self.fail(line, None, "an entry must be a mapping of fields (id: …, title: …)")
            return None
        fields = self.fields(tree, REQUIRED, OPTIONAL)
        if fields is None:
            return None
        entry_id = self.text(fields, "id")
        if entry_id and not ID.fullmatch(entry_id):
            self.fail(fields["id"].line, "id", f"{entry_id!r} must be UPPER_SNAKE_CASE")
        severity = self.choice(fields, "severity", [s.value for s in Severity])
        kind = self.choice(fields, "kind", [k.value for k in Kind])
        origin = None
        if "origin" in fields:
            origin = self.choice(fields, "origin", [o.value for o in Origin])
        related = self.texts(fields, "related")
        if entry_id in related:
            self.fail(fields["related"].line, "related", "an entry cannot be related to itself")
        return Entry(
            id=entry_id,
            title=self.text(fields, "title"),
            severity=Severity(severity or "error"),
            kind=Kind(kind or "code"),
            systems=self.texts(fields, "systems"),
            messages=self.messages(fields["messages"]),
            cause=self.text(fields, "cause"),
            solution=self.texts(fields, "solution"),
            symptoms=self.texts(fields, "symptoms"),
            related=related,
            examples=self.texts(fields, "examples"),
            counterexamples=self.texts(fields, "counterexamples"),
            codes=self.codes(fields.get("codes")),
            references=self.texts(fields, "references"),
            notes=self.texts(fields, "notes"),
            origin=Origin(origin) if origin else None,
            path=self.path,
        )

    def fields(
        self, node: Mapping, required: Iterable[str], optional: Iterable[str]
    ) -> Fields | None:
        known = [*required, *optional]
        found: Fields = {}
        misspelt: set[str] = set()
        for key, value in node.pairs:
            name = key.value or ""
            if name not in known:
                hint = "" if self.swamped else did_you_mean(name, known)
                self.fail(key.line, name, f"unknown field{hint}")
                misspelt.update(k for k in known if hint.endswith(f" {k}?)"))
                continue
            found[name] = value
        missing = [name for name in required if name not in found]
        for name in missing:
            if name not in misspelt:  # already explained by "did you mean" above
                self.fail(node.line, name, "missing field")
        return None if missing else found

    def scalar(self, node: Node, name: str) -> str:
        if not isinstance(node, Scalar):
            self.fail(node.line, name, "must be text, not a list or mapping")
            return ""
        value = (node.value or "").strip()
        if not value:
            self.fail(node.line, name, "must not be empty")
        return value

    def text(self, fields: Fields, name: str) -> str:
        return self.scalar(fields[name], name)

    def items(self, fields: Fields, name: str) -> list[Node]:
        """The items of a list field; [] (and no problem) for an absent optional one."""
        node = fields.get(name)
        if node is None or (
            isinstance(node, Scalar) and node.value is None and name in _MAY_BE_EMPTY
        ):
            return []
        if not isinstance(node, Sequence):
            self.fail(node.line, name, "must be a list (write [] for none)")
            return []
        if not node.items and name not in _MAY_BE_EMPTY:
            self.fail(node.line, name, "must not be empty")
        return node.items

    def texts(self, fields: Fields, name: str) -> tuple[str, ...]:
        return tuple(self.scalar(item, name) for item in self.items(fields, name))

    def choice(self, fields: Fields, name: str, allowed: list[str]) -> str | None:
        value = self.text(fields, name)
        if value and value not in allowed:
            hint = did_you_mean(value, allowed)
            message = f"{value!r} is not one of {', '.join(allowed)}{hint}"
            self.fail(fields[name].line, name.replace("_", "."), message)
            return None
        return value or None

    def messages(self, node: Node) -> tuple[Message, ...]:
        found = []
        for item in self.items({"messages": node}, "messages"):
            if not isinstance(item, Mapping):
                self.fail(item.line, "messages", "each message is a mapping with text and lang")
                continue
            message = self.message(item)
            if message is not None:
                found.append(message)
        return tuple(found)

    def codes(self, node: Node | None) -> tuple[Code, ...]:
        found = []
        for item in self.items({"codes": node} if node is not None else {}, "codes"):
            if not isinstance(item, Mapping):
                self.fail(item.line, "codes", "each code is a mapping with system and code")
                continue
            fields = self.fields(item, ("system", "code"), ("reference", "note"))
            if fields is None:
                continue
            found.append(
                Code(
                    system=self.scalar(fields["system"], "codes.system"),
                    code=self.scalar(fields["code"], "codes.code"),
                    reference=self.optional(fields, "reference", "codes.reference"),
                    note=self.optional(fields, "note", "codes.note"),
                )
            )
        return tuple(found)

    def optional(self, fields: Fields, name: str, label: str) -> str | None:
        return self.scalar(fields[name], label) or None if name in fields else None

    def message(self, node: Mapping) -> Message | None:
        fields = self.fields(node, ("text", "lang"), ("translation", "reference"))
        if fields is None:
            return None
        text = self.scalar(fields["text"], "messages.text")
        codes = list(languages.codes())
        lang = self.choice({"messages_lang": fields["lang"]}, "messages_lang", codes)
        translation = None
        if "translation" in fields:
            translation = self.scalar(fields["translation"], "messages.translation") or None
        line = fields["text"].line
        translation_line = fields["translation"].line if "translation" in fields else line
        if lang is not None and lang != ENGLISH and not translation:
            message = f"a {lang} message needs an English translation"
            self.fail(line, "messages.translation", message)
        if lang == ENGLISH and translation:
            message = "an English message takes no translation"
            self.fail(translation_line, "messages.translation", message)
        self.check_placeholders(text, line, translation, translation_line)
        if not text or lang is None:
            return None
        reference = self.optional(fields, "reference", "messages.reference")
        return Message(text=text, lang=lang, translation=translation, reference=reference)

    def check_placeholders(
        self, text: str, line: int, translation: str | None, translation_line: int
    ) -> None:
        names = PLACEHOLDER.findall(text)
        rest = PLACEHOLDER.sub("", text)
        if "{" in rest or "}" in rest:
            self.fail(line, "messages.text", "placeholders are written {snake_case}")
        for name in sorted({n for n in names if names.count(n) > 1}):
            self.fail(
                line, "messages.text", f"placeholder {{{name}}} is used twice; name each part"
            )
        for name in PLACEHOLDER.findall(translation or ""):
            if name not in names:
                message = f"{{{name}}} is not a placeholder of the message"
                self.fail(translation_line, "messages.translation", message)
        for where, field, template in (
            (line, "messages.text", text),
            (translation_line, "messages.translation", translation or ""),
        ):
            pair = side_by_side(template)
            if pair is not None:
                message = (
                    f"{{{pair[0]}}} and {{{pair[1]}}} sit side by side: where one ends and the "
                    "other begins is anyone's guess, so the message could not be matched in "
                    "linear time; put a fixed word between them or make them one placeholder"
                )
                self.fail(where, field, message)
