"""What can be wrong with a catalog file, said the way a person fixing it wants to read it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from junidiag.model import Problem

__all__ = ["CatalogError", "Problem", "close_matches", "did_you_mean"]


class CatalogError(Exception):
    """The catalog could not be loaded; `problems` holds every finding, one line each."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def close_matches(value: str, choices: Iterable[str], n: int = 2) -> list[str]:
    """The choices that look like `value` (difflib's ratio of 0.6 or more), closest first."""
    import difflib

    return difflib.get_close_matches(value, list(choices), n=n, cutoff=0.6)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """` (did you mean X?)` for the closest of `choices`, or nothing."""
    close = close_matches(value, choices, n=1)
    return f" (did you mean {close[0]}?)" if close else ""
