"""The command line: parse arguments, call the core, hand results to a sink.

Exit codes follow grep: 0 found, 1 nothing found (or unknown id), 2 usage or
catalog error, 3 when `explain --fail-on` saw an entry that severe, 130 after
Ctrl-C. Messages for people go to stderr. No logic lives here.

No `from __future__ import annotations` here: Typer evaluates every command's
annotations when it builds the command line, and string annotations make that
a few milliseconds slower on every run.
"""

import contextlib
import errno
import os
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from junidiag import __version__

if TYPE_CHECKING:
    from junidiag.catalog import Catalog
    from junidiag.matching import Matcher
    from junidiag.output.views import Terminal

EXIT_FOUND, EXIT_NOTHING, EXIT_USAGE, EXIT_SEVERE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE, as cat and grep end when the reader goes away: the output was cut short."""
REPORT_URL = "the junidiag issue tracker"


class Color(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


class SeverityName(StrEnum):
    critical = "critical"
    error = "error"
    warning = "warning"
    info = "info"


@dataclass
class Options:
    """The global options, shared by every command through the Typer context."""

    catalog_dirs: list[Path] = field(default_factory=list)
    color: Color = Color.auto
    _terminal: "Terminal | None" = None

    @property
    def terminal(self) -> "Terminal":
        if self._terminal is None:
            from junidiag.output.views import Terminal

            self._terminal = Terminal.create(self.color.value)
        return self._terminal

    def catalog(self) -> "Catalog":
        from junidiag import api
        from junidiag.catalog import CatalogError

        try:
            return api.load_catalog(self.catalog_dirs)
        except CatalogError as error:
            for problem in error.problems:
                self.terminal.error(str(problem))
            raise typer.Exit(EXIT_USAGE) from None

    def matcher(self) -> "Matcher":
        from junidiag import api

        self.catalog()  # reports catalog problems first
        return api.matcher(tuple(str(d) for d in self.catalog_dirs))


class _Group(TyperGroup):
    """The root command: every failure becomes a clean exit code, never a traceback.

    Errors are handled here rather than around `app()` so that tests through
    CliRunner see exactly what a person sees.
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except (KeyboardInterrupt, typer.Abort):
            _quiet_stderr("Interrupted.")
            code = EXIT_INTERRUPTED
        except BrokenPipeError:
            code = _after_broken_pipe()
        except SystemExit as exit_:
            # Click and Rich (printing --help) exit 1 on EPIPE: "nothing matched" here
            if not _exited_on_broken_pipe(exit_):
                raise
            code = _after_broken_pipe()
        except Exception as error:  # the last line of defence: never a traceback
            code = _usage_or_crash(error)
        code = code if isinstance(code, int) else EXIT_FOUND
        if not standalone_mode:
            return code
        try:
            sys.stdout.flush()
        except (OSError, ValueError):
            code = _after_broken_pipe()
        sys.exit(code)


app = typer.Typer(
    cls=_Group,
    name="junidiag",
    help="Name a Junipeer sync error, say why it happened and how to fix it — offline.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
catalog_app = typer.Typer(
    help="Validate catalog directories or draft new entries.", no_args_is_help=True
)
app.add_typer(catalog_app, name="catalog")


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"junidiag {__version__}")
        raise typer.Exit()


@app.callback()
def global_options(
    ctx: typer.Context,
    catalog: Annotated[
        list[Path] | None,
        typer.Option(
            "--catalog",
            help="A directory of your own entries (repeatable; later ones win). "
            "Also $JUNIDIAG_CATALOG, a path list.",
            metavar="DIR",
        ),
    ] = None,
    color: Annotated[
        Color, typer.Option("--color", help="Colour the output: auto, always or never.")
    ] = Color.auto,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_show_version, is_eager=True
        ),
    ] = False,
) -> None:
    """junidiag names a Junipeer sync error, why it happened and how to fix it — offline.

    Example: junidiag explain "Kunde inte hitta moms"
    """
    ctx.obj = Options(catalog_dirs=list(catalog or []), color=color)


def _options(ctx: typer.Context) -> Options:
    options = ctx.find_root().obj
    return options if isinstance(options, Options) else Options()


# --- explain -------------------------------------------------------------------------


@app.command()
def explain(
    ctx: typer.Context,
    message: Annotated[
        list[str] | None,
        typer.Argument(
            help="The error message or a description; '-' or none reads a log from stdin."
        ),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Machine output (JSON; JSON Lines for stdin).")
    ] = False,
    fail_on: Annotated[
        SeverityName | None,
        typer.Option(
            "--fail-on",
            help="Exit 3 when an entry this severe or worse is found.",
            case_sensitive=False,
        ),
    ] = None,
    summary_only: Annotated[
        bool, typer.Option("--summary", help="For a log: print only the summary.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("-q", "--quiet", help="Print nothing; only the exit status tells.")
    ] = False,
) -> None:
    """Explain an error message, or every line of a log piped to stdin.

    Examples: junidiag explain "Currency EUR and Currency SEK does not match";
    junidiag explain < sync.log
    """
    options = _options(ctx)
    words = message or []
    if words in ([], ["-"]):
        if not words and sys.stdin.isatty():
            _usage(ctx, "give a message, or pipe a log to stdin (see --help)")
        _explain_stdin(options, json_output, fail_on, summary_only, quiet)
    # Bytes that are not UTF-8 arrive as lone surrogates; decoded with replacement, as
    # stdin is, they can be matched, shown and written as JSON.
    text = " ".join(words).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if not text.strip():
        _usage(ctx, "the message is empty")
    _explain_message(options, text, json_output, fail_on, quiet)


def _explain_message(
    options: Options, text: str, json_output: bool, fail_on: SeverityName | None, quiet: bool
) -> NoReturn:
    matcher = options.matcher()
    matches = matcher.diagnose(text)
    if json_output:
        from junidiag.output.jsonout import dumps, match_object

        typer.echo(dumps({"query": text, "matches": [match_object(m) for m in matches]}))
    elif not quiet:
        from junidiag.output import views as render

        if matches:
            options.terminal.print(render.match_view(matches[0], matches[1:]))
        else:
            options.terminal.print(render.no_match_view(text, matcher.candidates(text, limit=3)))
    if not matches:
        raise typer.Exit(EXIT_NOTHING)
    worst = max(m.entry.severity.rank for m in matches[:1])
    raise typer.Exit(_severe_exit(worst, fail_on) or EXIT_FOUND)


def _explain_stdin(
    options: Options,
    json_output: bool,
    fail_on: SeverityName | None,
    summary_only: bool,
    quiet: bool,
) -> NoReturn:
    from junidiag import logrun as stream

    matcher = options.matcher()
    sink: stream.Sink
    if json_output:
        from junidiag.output.jsonout import JsonLinesSink

        sys.stdout.flush()
        sink = JsonLinesSink(sys.stdout.buffer)
    else:
        from junidiag.output.views import LogLines

        sink = LogLines(options.terminal, show=not (summary_only or quiet))
    summary = stream.run(sys.stdin.buffer, matcher, sink)
    if summary.lines == 0:
        if not quiet:
            options.terminal.note("No input: stdin was empty.")
        raise typer.Exit(EXIT_NOTHING)
    if not (json_output or quiet):
        from junidiag.output.views import summary_view

        options.terminal.print(summary_view(summary))
    elif summary.interrupted and not quiet:
        options.terminal.note(f"Interrupted after {summary.lines:,} lines.")
    if summary.interrupted:
        raise typer.Exit(EXIT_INTERRUPTED)
    worst = summary.worst()
    if worst is None:
        raise typer.Exit(EXIT_NOTHING)
    raise typer.Exit(_severe_exit(worst.rank, fail_on) or EXIT_FOUND)


def _severe_exit(worst_rank: int, fail_on: SeverityName | None) -> int:
    from junidiag.model import Severity

    if fail_on is not None and worst_rank >= Severity(fail_on.value).rank:
        return EXIT_SEVERE
    return 0


# --- show and list -------------------------------------------------------------------


def _complete_id(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        catalog = _options(ctx).catalog()
    except (typer.Exit, Exception):
        return []
    wanted = incomplete.upper()
    ids = [entry.id for entry in catalog if entry.id.startswith(wanted)]
    # Shells keep only candidates that start with what was typed, case and all;
    # `show` ignores case, so offer the ids in the case being typed.
    return [i.lower() for i in ids] if incomplete.islower() else ids


@app.command()
def show(
    ctx: typer.Context,
    entry_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="The entry's id (any case).", autocompletion=_complete_id
        ),
    ],
    json_output: Annotated[bool, typer.Option("--json", help="Print the entry as JSON.")] = False,
) -> None:
    """Show one catalog entry in full.

    Example: junidiag show FORTNOX_FISCAL_YEAR
    """
    options = _options(ctx)
    if not entry_id.strip():
        _usage(ctx, "the id is empty; `junidiag list` shows them all")
    catalog = options.catalog()
    entry = catalog.get(entry_id)
    if entry is None:
        _unknown_id(options, catalog, entry_id)
    if json_output:
        from junidiag.output.jsonout import dumps, entry_object

        typer.echo(dumps(entry_object(entry)))
        return
    from junidiag.output.views import entry_view

    options.terminal.print(entry_view(entry))


def _unknown_id(options: Options, catalog: "Catalog", entry_id: str) -> NoReturn:
    suggestions = catalog.suggest(entry_id)
    message = f"no entry {entry_id.strip()}"
    if suggestions:
        message += " — did you mean " + " or ".join(suggestions) + "?"
    if " " in entry_id.strip():
        message += ' To diagnose a message, use: junidiag explain "…"'
    options.terminal.error(message)
    raise typer.Exit(EXIT_NOTHING)


@app.command(name="list")
def list_entries(
    ctx: typer.Context,
    severity: Annotated[
        list[SeverityName] | None,
        typer.Option("--severity", help="Only this severity (repeatable).", case_sensitive=False),
    ] = None,
    min_severity: Annotated[
        SeverityName | None,
        typer.Option("--min-severity", help="Only this severity or worse.", case_sensitive=False),
    ] = None,
    system: Annotated[
        str | None,
        typer.Option(
            "--system",
            help="Only entries naming this system (e.g. visma.net; `any` for the general ones).",
        ),
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", help="Only entries mentioning this text.")
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the entries as a JSON list.")
    ] = False,
) -> None:
    """List catalog entries, most severe first; filters combine.

    Example: junidiag list --min-severity error --system fortnox
    """
    from junidiag.catalog import select

    options = _options(ctx)
    catalog = options.catalog()
    entries = select(
        catalog,
        severities=[s.value for s in severity or []],
        min_severity=min_severity.value if min_severity else None,
        system=system,
        search=search,
    )
    if json_output:
        from junidiag.output.jsonout import dumps, entry_object

        typer.echo(dumps([entry_object(e) for e in entries]))
    elif entries:
        from rich.text import Text

        from junidiag.output.views import entry_table

        show_source = any(e.source != "bundled" for e in catalog)
        options.terminal.print(entry_table(entries, show_source))
        options.terminal.print(Text(f"{len(entries)} of {len(catalog)} entries", style="dim"))
    if not entries:
        if not json_output:
            options.terminal.note(_nothing_listed(catalog, system))
        raise typer.Exit(EXIT_NOTHING)


def _nothing_listed(catalog: "Catalog", system: str | None) -> str:
    from junidiag.catalog import known_systems

    systems = known_systems(catalog)
    wanted = (system or "").strip()
    if system is not None and wanted.casefold() not in {s.casefold() for s in systems}:
        close = [s for s in systems if s.casefold().startswith(wanted.casefold())]
        by_name = {s.casefold(): s for s in systems}
        close = close or [by_name[c] for c in _close(wanted.casefold(), list(by_name))]
        hint = f"did you mean {' or '.join(close)}?" if close else f"known: {', '.join(systems)}"
        return f"No entry concerns the system {wanted!r} ({hint})."
    return "No entry matches these filters."


def _close(word: str, choices: list[str]) -> list[str]:
    import difflib

    return difflib.get_close_matches(word, choices, n=2, cutoff=0.6)


# --- catalog -------------------------------------------------------------------------


@catalog_app.command("check")
def catalog_check(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Catalog directories to check (default: the bundled catalog).", metavar="[PATH]..."
        ),
    ] = None,
) -> None:
    """Validate catalogs: every file loads, every example matches its own entry.

    Example: junidiag catalog check ./our-catalog
    """
    from junidiag import checks

    options = _options(ctx)
    report = checks.check([*options.catalog_dirs, *(paths or [])], only=paths or None)
    for problem in report.errors:
        options.terminal.error(str(problem))
    for failure in report.failures:
        options.terminal.err.print(_failure_line(failure), soft_wrap=True)
    for warning in report.warnings:
        options.terminal.note(f"warning: {warning}")
    from rich.text import Text

    options.terminal.print(Text(report.summary(), style="bold"))
    raise typer.Exit(
        EXIT_USAGE if report.errors else EXIT_NOTHING if report.failures else EXIT_FOUND
    )


@catalog_app.command("new")
def catalog_new(
    ctx: typer.Context,
    entry_id: Annotated[
        str, typer.Argument(metavar="ID", help="The new entry's id, in UPPER_SNAKE_CASE.")
    ],
    line: Annotated[
        str,
        typer.Option(
            "--from", metavar="LINE", help="The log line or error message nothing matched."
        ),
    ],
    directory: Annotated[
        Path | None,
        typer.Option(
            "--dir",
            help="Where to write ID.yaml (default: the last --catalog or "
            "$JUNIDIAG_CATALOG directory, else the current directory).",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Draft a catalog entry from a log line nothing matched.

    Example: junidiag catalog new ACME_LOCKED --from "Lagret Nord är låst för inventering"
    """
    from junidiag.catalog import BUNDLED
    from junidiag.drafting import DraftError, write_draft

    options = _options(ctx)
    existing = options.catalog().get(entry_id)  # reports a missing catalog directory first
    target = directory or _draft_directory(options)
    replaces_bundled = existing is not None and existing.source == BUNDLED
    try:
        path = write_draft(entry_id, line, target, force)
    except DraftError as error:
        options.terminal.error(str(error))
        raise typer.Exit(EXIT_USAGE) from None
    from rich.text import Text

    if replaces_bundled:
        options.terminal.note(
            f"note: {entry_id} is a bundled entry; this draft replaces it wherever "
            f"{target} is used as a catalog"
        )
    written = Text("Drafted ", style="bold")
    written.append(str(path))
    options.terminal.print(written)
    options.terminal.print(
        Text(
            "Fill in its TODOs (cause, solution, symptoms), then run: "
            f"junidiag catalog check {shlex.quote(str(target))}"
        )
    )


def _draft_directory(options: Options) -> Path:
    """The user directory with the highest precedence, or the current directory."""
    from junidiag.catalog import BUNDLED, sources

    highest = sources(options.catalog_dirs)[-1]
    return Path.cwd() if highest.name == BUNDLED else highest.directory


def _failure_line(failure: str) -> object:
    from junidiag.output.views import untrusted

    return untrusted(failure)


# --- entry point ---------------------------------------------------------------------


def _usage(ctx: typer.Context, message: str) -> NoReturn:
    raise typer.BadParameter(message, ctx=ctx)


def main() -> None:
    """The console script."""
    app()


def _usage_or_crash(error: Exception) -> int:
    from typer import _click

    if isinstance(error, _click.exceptions.ClickException):
        from junidiag.text.safety import neutralise

        if isinstance(error, _click.exceptions.UsageError) and error.ctx is not None:
            print(neutralise(error.ctx.get_usage()), file=sys.stderr)
            hint = f"Try '{error.ctx.command_path} --help' for help."
            print(neutralise(hint), file=sys.stderr)
        print(f"junidiag: error: {neutralise(error.format_message())}", file=sys.stderr)
        return error.exit_code
    if isinstance(error, OSError) and getattr(error, "errno", None) == errno.EPIPE:
        return _after_broken_pipe()
    if os.environ.get("JUNIDIAG_DEBUG"):
        raise error
    name = type(error).__name__
    print(
        f"junidiag: internal error ({name}); run again with JUNIDIAG_DEBUG=1 for details "
        f"and report it to {REPORT_URL}.",
        file=sys.stderr,
    )
    return EXIT_USAGE


def _exited_on_broken_pipe(exit_: SystemExit) -> bool:
    """Whether Click (which then wraps stdout to pacify later flushes) or a Rich console
    (in `on_broken_pipe`) exited because the reader went away."""
    from typer._click.utils import PacifyFlushWrapper

    if isinstance(sys.stdout, PacifyFlushWrapper):
        return True
    frame = exit_.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    return frame is not None and frame.tb_frame.f_code.co_name == "on_broken_pipe"


def _after_broken_pipe() -> int:
    """The reader went away (`| head -1`): stop quietly, with the status grep and cat
    have then — not 0 or 3, which would claim a verdict on input never read to the end."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


def _quiet_stderr(message: str) -> None:
    with contextlib.suppress(OSError):
        print(f"junidiag: {message}", file=sys.stderr)
