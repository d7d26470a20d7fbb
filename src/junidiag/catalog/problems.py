"""What can be wrong with a catalog file, said the way a person fixing it wants to read it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from junidiag.model import Problem

__all__ = ["MAX_PROBLEMS_SHOWN", "CatalogError", "Problem", "close_matches", "did_you_mean"]

MAX_PROBLEMS_SHOWN = 20
"""Problems listed per file; beyond them one line says how many more there are."""


class CatalogError(Exception):
    """The catalog could not be loaded; `problems` holds the findings, one line each, at
    most MAX_PROBLEMS_SHOWN a file and then `… and N more problems in this file`."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = _capped(sorted(problems, key=_order))
        super().__init__("\n".join(str(p) for p in self.problems))


def _order(problem: Problem) -> tuple[str, int, str, str]:
    return problem.path, problem.line, problem.field or "", problem.message


def _capped(problems: list[Problem]) -> list[Problem]:
    shown: list[Problem] = []
    by_file: dict[str, int] = {}
    for problem in problems:
        count = by_file[problem.path] = by_file.get(problem.path, 0) + 1
        if count <= MAX_PROBLEMS_SHOWN:
            shown.append(problem)
    for path, count in by_file.items():
        if count > MAX_PROBLEMS_SHOWN:
            more = count - MAX_PROBLEMS_SHOWN
            last = max(i for i, p in enumerate(shown) if p.path == path)
            summary = f"… and {more:,} more problem{'s' if more != 1 else ''} in this file"
            shown.insert(last + 1, Problem(path, shown[last].line, None, summary))
    return shown


def close_matches(value: str, choices: Iterable[str], n: int = 2, cutoff: float = 0.6) -> list[str]:
    """The choices that look like `value` (difflib's ratio of `cutoff` or more), closest
    first: every "did you mean" of junidiag."""
    import difflib

    return difflib.get_close_matches(value, list(choices), n=n, cutoff=cutoff)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """` (did you mean X?)` for the closest of `choices`, or nothing."""
    close = close_matches(value, choices, n=1)
    return f" (did you mean {close[0]}?)" if close else ""
