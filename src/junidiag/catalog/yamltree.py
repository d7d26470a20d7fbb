"""A strict reader for the catalog's YAML: plain data with line numbers, nothing else.

Catalog files are written by people and may come from a shared drive, so the reader
accepts only what an entry needs — mappings, sequences and text — and refuses
anchors, aliases, explicit tags, duplicate keys and several documents in one file.
Every value keeps the line it was written on, so validation can name file:line.
Scalars stay text: `lang: no` is Norwegian, not `false`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import yaml

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class YamlProblem(Exception):
    """The file is not the plain YAML the catalog accepts."""

    def __init__(self, line: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.field = field


@dataclass(frozen=True, slots=True)
class Scalar:
    value: str | None
    """The text as written; None for an empty or `null` plain scalar."""
    line: int


@dataclass(frozen=True, slots=True)
class Sequence:
    items: list[Node]
    line: int


@dataclass(frozen=True, slots=True)
class Mapping:
    pairs: list[tuple[Scalar, Node]]
    line: int


Node: TypeAlias = Scalar | Sequence | Mapping

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str) -> Node | None:
    """Parse one YAML document into a tree of nodes; None for an empty file."""
    try:
        return _Builder().build(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        reason = exc.problem or exc.context or "not valid YAML"
        if exc.context and exc.context_mark is not None and exc.problem:
            reason += f" ({exc.context} on line {exc.context_mark.line + 1})"
        raise YamlProblem(line, f"invalid YAML: {reason}") from None
    except yaml.reader.ReaderError as exc:
        # a character YAML refuses (a raw control character): name its line and code
        line = text.count("\n", 0, exc.position) + 1
        raise YamlProblem(
            line, f"invalid YAML: character #x{exc.character:04x} is not allowed"
        ) from None
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "not valid YAML"
        raise YamlProblem(1, f"invalid YAML: {first}") from None


class _Keys:
    """The mapping being read's next key, and the line of each key it holds so far: one
    dict lookup a key, so a flow mapping of 37,000 keys reads in linear time."""

    __slots__ = ("lines", "pending")

    def __init__(self) -> None:
        self.pending: Scalar | None = None
        self.lines: dict[str | None, int] = {}


class _Builder:
    def __init__(self) -> None:
        self.stack: list[Sequence | Mapping | _Keys] = []
        self.root: Node | None = None
        self.documents = 0

    def build(self, events: object) -> Node | None:
        for event in events:  # type: ignore[attr-defined]
            self.feed(event)
        return self.root

    def feed(self, event: yaml.Event) -> None:
        line = event.start_mark.line + 1 if event.start_mark is not None else 1
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise YamlProblem(line, "only one YAML document per file is allowed")
        elif isinstance(event, yaml.AliasEvent):
            raise YamlProblem(line, f"YAML aliases (*{event.anchor}) are not allowed")
        elif isinstance(event, yaml.NodeEvent):
            self.check_plain(event, line)
            if isinstance(event, yaml.ScalarEvent):
                plain = event.implicit[0] and event.style in (None, "")
                value = None if plain and event.value in _NULLS else event.value
                self.add(Scalar(value, line))
            elif isinstance(event, yaml.SequenceStartEvent):
                self.stack.append(Sequence([], line))
            elif isinstance(event, yaml.MappingStartEvent):
                self.stack.append(Mapping([], line))
                self.stack.append(_Keys())  # the keys of the mapping above
        elif isinstance(event, yaml.SequenceEndEvent):
            node = self.stack.pop()
            assert isinstance(node, Sequence)
            self.add(node)
        elif isinstance(event, yaml.MappingEndEvent):
            self.stack.pop()
            node = self.stack.pop()
            assert isinstance(node, Mapping)
            self.add(node)

    @staticmethod
    def check_plain(event: yaml.NodeEvent, line: int) -> None:
        if event.anchor is not None:
            raise YamlProblem(line, f"YAML anchors (&{event.anchor}) are not allowed")
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise YamlProblem(line, f"YAML tags ({tag}) are not allowed")

    def add(self, node: Node) -> None:
        if not self.stack:
            self.root = node
            return
        top = self.stack[-1]
        if isinstance(top, Sequence):
            top.items.append(node)
            return
        assert isinstance(top, _Keys)
        mapping = self.stack[-2]
        assert isinstance(mapping, Mapping)
        key = top.pending
        if key is None:
            if not isinstance(node, Scalar) or node.value is None:
                raise YamlProblem(node.line, "mapping keys must be plain text")
            top.pending = node
            return
        top.pending = None
        first = top.lines.get(key.value)
        if first is not None:
            message = f"duplicate key (first written on line {first})"
            raise YamlProblem(key.line, message, field=key.value)
        top.lines[key.value] = key.line
        mapping.pairs.append((key, node))
