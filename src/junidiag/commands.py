"""What the commands do, apart from how their arguments are read.

The Typer command line (`cli`) reads every form of the arguments; the plain forms
people type most (`explain "<message>"`, `show ID`) are also recognised without it
(`launch`), because importing Typer takes about as long as the rest of such a run.
Both call these functions, which return the exit code, so they cannot differ in
what they print or how they end. Imports nothing of Typer (but to report a usage
error through it) or Rich.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from junidiag.output import Format
from junidiag.running import EXIT_FOUND, EXIT_NOTHING, EXIT_SEVERE

if TYPE_CHECKING:
    from junidiag.catalog import Catalog
    from junidiag.matching import Matcher
    from junidiag.output.present import Output


class Color(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


class FailOn(StrEnum):
    """What `explain --fail-on` exits 3 for: an entry that severe or worse, or (a log)
    a line at an error level that matched nothing."""

    critical = "critical"
    error = "error"
    warning = "warning"
    info = "info"
    unknown = "unknown"


class Options:
    """The global options, shared by every command through the Typer context.

    (A plain class, not a dataclass: creating a dataclass costs about half a millisecond,
    on every run, and start-up is a product target.)
    """

    def __init__(self, catalog_dirs: list[Path] | None = None, color: Color = Color.auto) -> None:
        self.catalog_dirs: list[Path] = catalog_dirs if catalog_dirs is not None else []
        self.color = color
        self.format = Format.TEXT
        self._output: Output | None = None
        self._warned = False

    @property
    def output(self) -> Output:
        """Where results go, in the format the command was given (see `formatted`)."""
        if self._output is None:
            from junidiag.output.present import Output

            self._output = Output(self.format, self.color.value)
        return self._output

    def formatted(
        self, ctx: Any, chosen: Format | None, json_flag: bool, *allowed: Format
    ) -> Format:
        """The command's format: `--format`, or `--json` for `--format json` (a usage
        error in the Typer context `ctx` when they disagree or the format is not allowed)."""
        wanted = Format.JSON if json_flag else (chosen or Format.TEXT)
        if json_flag and chosen not in (None, Format.JSON):
            _usage(ctx, f"--json means --format json; it cannot go with --format {chosen.value}")
        if wanted not in allowed:
            names = ", ".join(f.value for f in allowed)
            _usage(ctx, f"--format {wanted.value} is not available here (choose {names})")
        self.format = wanted
        self._output = None
        return wanted

    def catalog(self) -> Catalog:
        """The catalog served: a user catalog that is missing or does not load is a
        warning (once), and the rest still serves; `catalog check` stays strict."""
        from junidiag import api

        catalog, problems = api.served_catalog(self.catalog_dirs)
        if not self._warned:  # once per run: what does not load, what was skipped
            self._warned = True
            if problems:
                self.output.catalog_warnings(problems)
            for problem in catalog.warnings:  # a link to nothing
                self.output.warning(str(problem))
        return catalog

    def matcher(self) -> Matcher:
        from junidiag import api

        self.catalog()  # reports catalog problems first
        return api.served_matcher(self.catalog_dirs)


def _usage(ctx: Any, message: str) -> NoReturn:
    import typer  # only the Typer command line has options that can disagree

    raise typer.BadParameter(message, ctx=ctx)


# --- explain -------------------------------------------------------------------------


def message_text(words: Sequence[str]) -> str:
    """The message the words of `explain` make (several unquoted words are one message).

    Bytes that are not UTF-8 arrive as lone surrogates; decoded with replacement, as
    stdin is, they can be matched, shown and written as JSON."""
    return " ".join(words).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def explain_message(options: Options, text: str, fail_on: Sequence[FailOn], quiet: bool) -> int:
    matcher = options.matcher()
    matches = matcher.diagnose(text)
    if not quiet:
        suggestions = [] if matches else matcher.suggestions(text)
        good_news = not matches and matcher.reads_as_good_news(text)
        options.output.explanation(text, matches, suggestions, good_news=good_news)
    if not matches:
        return EXIT_NOTHING
    worst = max(m.entry.severity.rank for m in matches[:1])
    return severe_exit(worst, fail_on) or EXIT_FOUND


def severe_exit(worst_rank: int, fail_on: Sequence[FailOn]) -> int:
    from junidiag.model import Severity

    for wanted in fail_on:
        if wanted is not FailOn.unknown and worst_rank >= Severity(wanted.value).rank:
            return EXIT_SEVERE
    return 0


# --- show ----------------------------------------------------------------------------


def show_entry(options: Options, entry_id: str, everything: bool, page: bool) -> int:
    catalog = options.catalog()
    entry = catalog.get(entry_id)
    if entry is None:
        return unknown_id(options, catalog, entry_id)
    options.output.entry(entry, everything, page=page)
    return EXIT_FOUND


def unknown_id(options: Options, catalog: Catalog, entry_id: str) -> int:
    suggestions = catalog.suggest(entry_id)
    message = f"no entry {entry_id.strip()}"
    if suggestions:
        message += " — did you mean " + " or ".join(suggestions) + "?"
    if " " in entry_id.strip():
        message += ' To diagnose a message, use: junidiag explain "…"'
    options.output.error(message)
    return EXIT_NOTHING
