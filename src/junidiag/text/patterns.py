"""Module-level regular expressions compiled when first used, not when imported.

Python compiles a pattern in Python code: the two dozen patterns of the text and
matching modules cost a few milliseconds when they are imported, on every run,
though a pasted message uses only a handful of them (a JSON body's, a logfmt line's,
a traceback's patterns are for logs). Start-up is a product target (SPEC §4).

`lazy` stands in for such a pattern. On first use it compiles it and puts the
compiled pattern in its place, in the module that defined it and in the one using
it (`from cleaning import _ESCAPES`), so every later use is the plain compiled
pattern: nothing is added to a log's per-line work.
"""

from __future__ import annotations

import re
import sys
from typing import Any, cast

ISO_STAMP = r"\d{4}-\d\d-\d\d(?:[T\s]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?"
"""An ISO 8601 date, with or without a time (`T` or a space), fraction and zone: what opens
most log lines (`2026-02-03T08:00:01.123Z`, `2026-02-03 08:00:01+01:00`)."""


def lazy(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(source, flags)`, compiled when first used (see the module's text)."""
    home = sys._getframe(1).f_globals
    return cast("re.Pattern[str]", _Pattern(source, flags, home))


class _Pattern:
    __slots__ = ("_compiled", "_flags", "_home", "_source")

    def __init__(self, source: str, flags: int, home: dict[str, Any]) -> None:
        self._source = source
        self._flags = flags
        self._home = home
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        """Any attribute of the compiled pattern (`search`, `sub`, `pattern`…)."""
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self._source, self._flags)
            _put(compiled, self, self._home)
        _put(compiled, self, sys._getframe(1).f_globals)
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._source!r}, {self._flags})"


def _put(compiled: re.Pattern[str], stand_in: _Pattern, namespace: dict[str, Any]) -> None:
    """The compiled pattern wherever `namespace` holds its stand-in."""
    for name, value in list(namespace.items()):
        if value is stand_in:
            namespace[name] = compiled
