"""A data-only encoding of the loaded catalog and the compiled matcher, as JSON.

This is what the start-up cache stores (see `cache`). Unlike pickle, reading it never
runs code named by the file: a document holds only JSON values, and decoding builds
nothing but lists, tuples, sets, dicts, bytes, compiled regular expressions and
instances of the few junidiag classes named in `ALLOWED`, whose attributes it sets
directly (or through the class's own `__setstate__`), never calling a constructor.
A document naming any other class, or malformed in any way, raises `DecodeError`.

Decoding is about as fast as unpickling, because the work stays in C: containers of
plain values are the lists and dicts the JSON parser returns, and a list of same-shaped
tuples, sets or objects (the matcher's keyword tables, its templates) is stored
column by column and rebuilt with `map` and `zip` rather than value by value.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields, is_dataclass
from enum import Enum
from functools import partial
from typing import Any

FORMAT = 2
"""Bumped whenever the encoding changes: a document of another format is not read.
(2: lists of named tuples by columns.)"""

ALLOWED = frozenset(
    {
        "junidiag.catalog.loading:Catalog",
        "junidiag.model:Entry",
        "junidiag.model:Message",
        "junidiag.model:Code",
        "junidiag.model:Problem",
        "junidiag.model:Severity",
        "junidiag.model:Kind",
        "junidiag.model:Origin",
        "junidiag.matching.matcher:Matcher",
        "junidiag.matching.matcher:_Form",
        "junidiag.matching.templates:Template",
        "junidiag.matching.codes:CodeIndex",
        "junidiag.matching.exceptions:ExceptionMessages",
        "junidiag.matching.gate:Gate",
        "junidiag.matching.gate:Hits",
        "junidiag.matching.gate:Bound",
        "junidiag.matching.retrieval:SymptomIndex",
        "junidiag.matching.retrieval:Document",
        "junidiag.matching.terms:TermMaker",
        "junidiag.matching.terms:Glossary",
    }
)
"""The only classes a document may create (`module:name`): the catalog's and the
matcher's own. An object of any other class is not encoded (`EncodeError`: the cache
then keeps nothing), never guessed at."""

_ATOMS = (str, int, float, bool, type(None))
_FLAT: dict[type, str] = {list: "l", tuple: "t", frozenset: "f", set: "s"}
_BUILD: dict[str, Callable[[Any], Any]] = {"l": list, "t": tuple, "f": frozenset, "s": set}


class EncodeError(TypeError):
    """The value holds what a document cannot: a class not in ALLOWED, a NaN."""


class DecodeError(ValueError):
    """The document is not one this version wrote: refused, never half-read."""


def encode(value: object) -> dict[str, Any]:
    """`value` as a JSON-ready document (for `orjson.dumps`)."""
    encoder = _Encoder()
    body = encoder.value(value)
    return {"format": FORMAT, "classes": encoder.classes, "value": body}


def parse(raw: bytes) -> object:
    """The JSON of a stored document, parsed; DecodeError when it is not JSON.

    By the standard library, not orjson: for the few hundred KiB a run reads it is a
    fraction of a millisecond slower, while importing orjson (and the uuid and platform
    modules it loads) costs a few on every run, and start-up is a product target."""
    import json

    try:
        with _collector_paused():
            return json.loads(raw)
    except (ValueError, RecursionError) as error:  # bad JSON or UTF-8; nested too deep
        raise DecodeError(f"not JSON ({type(error).__name__})") from None


def decode(document: object) -> Any:
    """What `encode` was given, rebuilt from the parsed JSON `document`."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DecodeError("not a document of this format")
    classes = document.get("classes")
    if not isinstance(classes, list):
        raise DecodeError("no class table")
    try:
        decoder = _Decoder([_allowed_class(name) for name in classes])
        with _collector_paused():
            return decoder.value(document.get("value"))
    except DecodeError:
        raise
    except (LookupError, TypeError, ValueError, AttributeError, RecursionError, re.error) as error:
        raise DecodeError(f"malformed document ({type(error).__name__})") from None


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while tens of thousands of objects are made,
    none of them garbage: each of its passes would walk them all again (about a sixth
    of the time a load takes)."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


# --- encoding ------------------------------------------------------------------------
#
# A plain value is itself. Anything else is a list whose first item says what it is:
#   ["l", [...]]  a list of plain values (likewise "t" tuple, "f" frozenset, "s" set)
#   ["L", [...]]  a list of encoded values (likewise "T", "F", "S")
#   ["l|", shape, column, ...]  a list stored by columns (see `_Encoder.columns`)
#   ["d", {...}]  a dict of text to plain values; ["D", keys, values]: to encoded ones;
#   ["P", keys, values]  any other dict (keys and values each an encoded list)
#   ["b", text]  bytes (as Latin-1); ["re", pattern, flags]; ["e", class, value] a member
#   ["n", class, items]  a named tuple; ["o", class, attributes]  an object;
#   ["r", n]  the n-th object again


def _is_flat(items: Iterable[object]) -> bool:
    return all(type(item) in _ATOMS for item in items)


def _kind(item: object) -> str | None:
    """`*` for a plain value, the letter of a flat container, else None."""
    kind = type(item)
    if kind in _ATOMS:
        return "*"
    letter = _FLAT.get(kind)
    return letter if letter is not None and _is_flat(item) else None  # type: ignore[arg-type]


class _Encoder:
    def __init__(self) -> None:
        self.classes: list[str] = []
        self._numbers: dict[type, int] = {}
        self._seen: dict[int, int] = {}
        self._alive: list[object] = []  # what `_seen` numbers by id stays alive meanwhile

    def value(self, value: object) -> Any:
        kind = type(value)
        if kind in _ATOMS:
            if kind is float and not math.isfinite(value):  # type: ignore[arg-type]
                raise EncodeError("a float that JSON cannot hold")
            return value
        letter = _FLAT.get(kind)
        if letter is not None:
            return self.sequence(letter, list(value))  # type: ignore[call-overload]
        if kind is dict:
            return self.mapping(value)  # type: ignore[arg-type]
        if kind is bytes:
            return ["b", value.decode("latin-1")]  # type: ignore[attr-defined]
        if isinstance(value, Enum):
            return ["e", self.class_number(kind), value.value]
        if isinstance(value, re.Pattern):
            return ["re", value.pattern, value.flags]
        if isinstance(value, tuple):  # a named tuple (a `Problem`): its items, in order
            return ["n", self.class_number(kind), self.sequence("l", list(value))]
        seen = self._seen.get(id(value))
        if seen is not None:
            return ["r", seen]
        number = self.class_number(kind)
        self.remember(value)
        return ["o", number, self.mapping(_state(value))]

    def remember(self, value: object) -> None:
        self._seen[id(value)] = len(self._alive)
        self._alive.append(value)

    def sequence(self, letter: str, items: list[Any]) -> Any:
        if _is_flat(items):
            return [letter, items]
        columns = self.columns(items)
        if columns is not None:
            return [letter + "|", *columns]
        return [letter.upper(), [self.value(item) for item in items]]

    def columns(self, items: list[Any]) -> list[Any] | None:
        """Items stored by columns, or None when they are not alike:
        `["f", lists]`: each item a flat container of one kind (here frozensets);
        `["t*f", column, column]`: each a tuple of one length whose every position
        holds one kind (here a plain value and a flat frozenset);
        `["o", class, names, count, column, ...]`: each a new object of one class with the
        same attributes (each column an encoded list);
        `["n", class, count, column, ...]`: each a named tuple of one class."""
        kinds = {_kind(item) for item in items}
        if len(kinds) == 1 and None not in kinds:
            return [kinds.pop(), [list(item) for item in items]]
        if not items:
            return None
        first = items[0]
        if type(first) is tuple:
            return self.tuple_columns(items)
        if isinstance(first, tuple) and hasattr(type(first), "_fields"):
            return self.named_columns(items)
        if type(first) not in _FLAT and type(first) not in (dict, bytes):
            return self.object_columns(items)
        return None

    @staticmethod
    def tuple_columns(items: list[Any]) -> list[Any] | None:
        if any(type(item) is not tuple for item in items):
            return None
        if len({len(item) for item in items}) != 1 or not items[0]:
            return None
        shape = "t"
        stored: list[list[Any]] = []
        for column in zip(*items, strict=True):
            kinds = {_kind(value) for value in column}
            kind = kinds.pop() if len(kinds) == 1 else None
            if kind is None:
                return None
            shape += kind
            stored.append(list(column) if kind == "*" else [list(value) for value in column])
        return [shape, *stored]

    def named_columns(self, items: list[Any]) -> list[Any] | None:
        kind = type(items[0])
        if not items[0] or any(type(item) is not kind for item in items):
            return None
        columns = [self.sequence("l", list(column)) for column in zip(*items, strict=True)]
        return ["n", self.class_number(kind), len(items), *columns]

    def object_columns(self, items: list[Any]) -> list[Any] | None:
        kind = type(items[0])
        if isinstance(items[0], (Enum, re.Pattern, tuple)) or any(
            type(item) is not kind or id(item) in self._seen for item in items
        ):
            return None
        if len({id(item) for item in items}) != len(items):  # one object twice: by reference
            return None
        states = [_state(item) for item in items]
        names = list(states[0])
        if not names or any(list(state) != names for state in states):
            return None
        number = self.class_number(kind)
        for item in items:
            self.remember(item)
        columns = [self.sequence("l", [state[name] for state in states]) for name in names]
        return ["o", number, names, len(items), *columns]

    def mapping(self, value: dict[Any, Any]) -> Any:
        if all(type(key) is str for key in value):
            items = list(value.values())
            if _is_flat(items):
                return ["d", value]
            return ["D", list(value), self.sequence("l", items)]
        return ["P", self.sequence("l", list(value)), self.sequence("l", list(value.values()))]

    def class_number(self, kind: type) -> int:
        number = self._numbers.get(kind)
        if number is None:
            name = f"{kind.__module__}:{kind.__qualname__}"
            if name not in ALLOWED:
                raise EncodeError(f"{name} is not a class the cache may hold")
            number = self._numbers[kind] = len(self.classes)
            self.classes.append(name)
        return number


def _state(value: object) -> dict[str, Any]:
    """An object's attributes: its dataclass fields, else what its own `__getstate__`
    returns, else its `__dict__` and `__slots__`."""
    kind = type(value)
    if is_dataclass(value):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    if "__getstate__" in kind.__dict__:
        state = value.__getstate__()
        if not isinstance(state, dict):
            raise EncodeError(f"{kind.__qualname__}.__getstate__ returns no dict")
        return state
    state = dict(getattr(value, "__dict__", {}))
    for cls in kind.__mro__:
        for name in getattr(cls, "__slots__", ()):
            if hasattr(value, name):
                state[name] = getattr(value, name)
    return state


# --- decoding ------------------------------------------------------------------------


def _allowed_class(name: object) -> type:
    if not isinstance(name, str) or name not in ALLOWED:
        raise DecodeError(f"class {name!r} is not one the cache may hold")
    module, _, attribute = name.partition(":")
    found = getattr(importlib.import_module(module), attribute)
    if not isinstance(found, type):
        raise DecodeError(f"{name} is not a class")
    return found


class _Decoder:
    def __init__(self, classes: list[type]) -> None:
        self.classes = classes
        self.objects: list[object] = []
        self._fillers: dict[tuple[type, tuple[str, ...]], Callable[[object, Any], None]] = {}
        self._members: dict[tuple[int, Any], Enum] = {}
        value = self.value
        self.tags: dict[str, Callable[[list[Any]], Any]] = {
            "l": _second,
            "t": lambda node: tuple(node[1]),
            "f": lambda node: frozenset(node[1]),
            "s": lambda node: set(node[1]),
            "L": lambda node: list(map(value, node[1])),
            "T": lambda node: tuple(map(value, node[1])),
            "F": lambda node: frozenset(map(value, node[1])),
            "S": lambda node: set(map(value, node[1])),
            "l|": lambda node: list(self.columns(node)),
            "t|": lambda node: tuple(self.columns(node)),
            "f|": lambda node: frozenset(self.columns(node)),
            "s|": lambda node: set(self.columns(node)),
            "d": _plain_mapping,
            "D": lambda node: dict(zip(_texts(node[1]), self.items(node[2]), strict=True)),
            "P": lambda node: dict(zip(self.items(node[1]), self.items(node[2]), strict=True)),
            "b": lambda node: node[1].encode("latin-1"),
            "re": lambda node: re.compile(node[1], node[2]),
            "e": self.member,
            "n": self.named_tuple,
            "o": self.instance,
            "r": lambda node: self.objects[node[1]],
        }

    def value(self, node: Any) -> Any:
        if type(node) is list:
            return self.tags[node[0]](node)
        if type(node) is dict:
            raise DecodeError("a mapping outside its tag")
        return node

    def items(self, node: Any) -> list[Any]:
        """An encoded list (a mapping's keys or values, an object's column)."""
        built = self.value(node)
        if type(built) is not list:
            raise DecodeError("not a list")
        return built

    def columns(self, node: list[Any]) -> Iterable[Any]:
        shape = node[1]
        if shape == "o":
            return self.object_columns(node)
        if shape == "n":
            return self.named_columns(node)
        columns = node[2:]
        if len(shape) == 1:  # one flat container per item
            return map(_BUILD[shape], columns[0])
        kinds = shape[1:]
        if shape[0] != "t" or len(kinds) != len(columns):
            raise DecodeError("malformed columns")
        built = [c if k == "*" else map(_BUILD[k], c) for k, c in zip(kinds, columns, strict=True)]
        return zip(*built, strict=True)

    def named_columns(self, node: list[Any]) -> Iterable[tuple[Any, ...]]:
        cls, count = self.classes[node[2]], node[3]
        if not issubclass(cls, tuple) or type(count) is not int:
            raise DecodeError(f"{cls.__qualname__} is not a named tuple")
        columns = [self.items(column) for column in node[4:]]
        if len(columns) != len(getattr(cls, "_fields", ())) or any(
            len(column) != count for column in columns
        ):
            raise DecodeError(f"{cls.__qualname__} takes {len(columns)} items")
        return map(partial(tuple.__new__, cls), zip(*columns, strict=True))  # no __new__ of its own

    def object_columns(self, node: list[Any]) -> list[object]:
        cls, names, count = self.classes[node[2]], node[3], node[4]
        if type(names) is not list or type(count) is not int:
            raise DecodeError("no attribute names")
        fill = self.filler(cls, names)
        made = [cls.__new__(cls) for _ in range(count)]
        self.objects.extend(made)
        columns = [self.items(column) for column in node[5:]]
        if len(columns) != len(names):
            raise DecodeError("malformed columns")
        for item, values in zip(made, zip(*columns, strict=True), strict=True):
            fill(item, dict(zip(names, values, strict=True)))
        return made

    def filler(self, cls: type, names: list[str]) -> Callable[[object, dict[str, Any]], None]:
        """How to give a new `cls` these attributes, once their names are checked."""
        key = (cls, tuple(names))
        fill = self._fillers.get(key)
        if fill is None:
            if issubclass(cls, (Enum, tuple)):
                raise DecodeError(f"{cls.__qualname__} is not made from attributes")
            if not all(isinstance(n, str) and n.isidentifier() and n[:2] != "__" for n in names):
                raise DecodeError("an attribute name that is none")
            fill = self._fillers[key] = _filler(cls)
        return fill

    def member(self, node: list[Any]) -> Enum:
        key = (node[1], node[2])
        found = self._members.get(key)
        if found is None:
            cls = self.classes[node[1]]
            if not issubclass(cls, Enum):
                raise DecodeError(f"{cls.__qualname__} is not an enumeration")
            found = self._members[key] = cls(node[2])
        return found

    def named_tuple(self, node: list[Any]) -> tuple[Any, ...]:
        cls = self.classes[node[1]]
        if not issubclass(cls, tuple):
            raise DecodeError(f"{cls.__qualname__} is not a named tuple")
        made: tuple[Any, ...] = tuple.__new__(cls, self.items(node[2]))  # no __new__ of its own
        if len(made) != len(getattr(cls, "_fields", made)):
            raise DecodeError(f"{cls.__qualname__} takes {len(cls._fields)} items")
        return made

    def instance(self, node: list[Any]) -> object:
        cls = self.classes[node[1]]
        if issubclass(cls, tuple):
            raise DecodeError(f"{cls.__qualname__} is a named tuple")
        state = node[2]
        names = state[1] if type(state) is list and state[0] in ("d", "D") else None
        if names is None:
            raise DecodeError("an object's attributes are not a mapping")
        fill = self.filler(cls, list(names))
        made: object = cls.__new__(cls)
        self.objects.append(made)
        fill(made, self.value(state))
        return made


def _filler(cls: type) -> Callable[[object, dict[str, Any]], None]:
    if "__setstate__" in cls.__dict__ and not is_dataclass(cls):
        return _set_state
    if cls.__dictoffset__:
        return _update_dict  # frozen dataclasses too: no __setattr__ runs
    return _set_each


def _set_state(item: object, state: dict[str, Any]) -> None:
    item.__setstate__(state)  # type: ignore[attr-defined]


def _update_dict(item: object, state: dict[str, Any]) -> None:
    item.__dict__.update(state)


def _set_each(item: object, state: dict[str, Any]) -> None:
    for name, value in state.items():
        object.__setattr__(item, name, value)


def _second(node: list[Any]) -> Any:
    return node[1]


def _plain_mapping(node: list[Any]) -> dict[str, Any]:
    found = node[1]
    if type(found) is not dict:
        raise DecodeError("not a mapping")
    return found


def _texts(values: Any) -> Iterator[str]:
    if type(values) is not list or not set(map(type, values)) <= {str}:  # in C: ~6,000 keys
        raise DecodeError("mapping keys are not text")
    return iter(values)
