"""The command line: parse arguments, call the core, hand results to a sink.

Exit codes follow grep: 0 found, 1 nothing found (or unknown id, or the output could
not be written), 2 usage or catalog error (or stdin could not be read), 3 when
`explain --fail-on` saw an entry that severe (or, with `unknown`, an error line
nothing matched), 130 after Ctrl-C, 143 after SIGTERM (see `running`). Messages for
people go to stderr. No logic lives here: what the commands do is in `commands`, which
the plain forms of `explain` and `show` also reach without Typer (see `launch`).

No `from __future__ import annotations` here: Typer evaluates every command's
annotations when it builds the command line, and string annotations make that
a few milliseconds slower on every run.
"""

import re
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

from junidiag import running

running.stop_quietly_while_starting()  # until `main` runs the command

import typer  # noqa: E402  (after the handler: importing Typer and Rich takes ~60 ms)
from typer.core import TyperGroup  # noqa: E402

from junidiag import __version__  # noqa: E402
from junidiag.commands import (  # noqa: E402
    Color,
    FailOn,
    Options,
    explain_message,
    message_text,
    severe_exit,
    show_entry,
)
from junidiag.output import Format  # noqa: E402
from junidiag.running import (  # noqa: E402
    EXIT_FOUND,
    EXIT_INTERRUPTED,
    EXIT_NOTHING,
    EXIT_SEVERE,
    EXIT_TERMINATED,
    EXIT_USAGE,
)

if TYPE_CHECKING:
    from typer import _click


class SeverityName(StrEnum):
    critical = "critical"
    error = "error"
    warning = "warning"
    info = "info"


class OriginName(StrEnum):
    seed = "seed"
    vendor_docs = "vendor-docs"


class _Group(TyperGroup):
    """The root command: every failure becomes a clean exit code, never a traceback.

    Errors are handled here rather than around `app()` so that tests through
    CliRunner see exactly what a person sees.
    """

    def invoke(self, ctx: "_click.Context") -> Any:
        # Typer turns Ctrl-C into a silent exit 130; a person is told, as at any other time
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            running.quiet_stderr("Interrupted.")
            raise typer.Exit(EXIT_INTERRUPTED) from None

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        def command() -> Any:
            return super(_Group, self).main(
                args, prog_name, complete_var, False, windows_expand_args, **extra
            )

        code = running.outcome(command, _usage_or_crash)
        if standalone_mode:
            running.exit_with(code)
        return code


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


def _options(
    ctx: typer.Context, color: Color | None = None, catalog: list[Path] | None = None
) -> Options:
    """The global options, with `--color` and `--catalog` given after the command too
    (`junidiag explain --color never …`): later directories win, as before it."""
    options = ctx.find_root().obj
    if not isinstance(options, Options):
        options = Options()
    if color is not None:
        options.color = color
        options._output = None
    if catalog:
        options.catalog_dirs = [*options.catalog_dirs, *catalog]
    return options


LateColor = Annotated[Color | None, typer.Option("--color", hidden=True)]
"""`--color` after the command: the global option, accepted where people put it."""
LateCatalog = Annotated[list[Path] | None, typer.Option("--catalog", hidden=True, metavar="DIR")]
"""`--catalog` after the command: the global option, accepted where people put it."""


# --- explain -------------------------------------------------------------------------

FormatOption = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="text, json or markdown.", case_sensitive=False),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="The same as --format json.")]
TextOrJsonOption = Annotated[
    Format | None,
    typer.Option(
        "--format", "-f", help="text or json.", case_sensitive=False, metavar="<text|json>"
    ),
]
"""`--format` of the commands that have no Markdown form (`catalog check` and `new`)."""


@app.command()
def explain(
    ctx: typer.Context,
    message: Annotated[
        list[str] | None,
        typer.Argument(
            help="The error message or a description; '-' or none reads a log from stdin."
        ),
    ] = None,
    format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="text, json or markdown (a log: text, json for JSON Lines, or html for "
            "a triage report to send: > report.html).",
            case_sensitive=False,
        ),
    ] = None,
    json_output: JsonFlag = False,
    fail_on: Annotated[
        list[FailOn] | None,
        typer.Option(
            "--fail-on",
            help="Exit 3 when an entry this severe or worse is found; 'unknown': when a "
            "log line at an error level matched nothing (repeatable).",
            case_sensitive=False,
        ),
    ] = None,
    summary_only: Annotated[
        bool, typer.Option("--summary", help="For a log: print only the summary.")
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("-q", "--quiet", help="Print nothing, in any format; the exit status tells."),
    ] = False,
    late_color: LateColor = None,
    late_catalog: LateCatalog = None,
) -> None:
    """Explain an error message, or every line of a log piped to stdin.

    Examples: junidiag explain "Currency EUR and Currency SEK does not match";
    junidiag explain < sync.log
    """
    options = _options(ctx, late_color, late_catalog)
    words = message or []
    if words in ([], ["-"]):
        if not words and sys.stdin.isatty():
            _usage(ctx, "give a message, or pipe a log to stdin (see --help)")
        options.formatted(ctx, format, json_output, Format.TEXT, Format.JSON, Format.HTML)
        _explain_stdin(options, fail_on or [], summary_only, quiet)
    if format is Format.HTML:
        _usage(
            ctx,
            "--format html is for a log read from stdin (junidiag explain --format html "
            "< sync.log > report.html); a message takes text, json or markdown",
        )
    if summary_only:
        _usage(ctx, "--summary is for a log read from stdin; a message gets its explanation")
    if FailOn.unknown in (fail_on or []):
        _usage(ctx, "--fail-on unknown is for a log read from stdin (error lines nothing matched)")
    options.formatted(ctx, format, json_output, Format.TEXT, Format.JSON, Format.MARKDOWN)
    text = message_text(words)
    if not text.strip():
        _usage(ctx, "the message is empty")
    raise typer.Exit(explain_message(options, text, fail_on or [], quiet))


def _explain_stdin(
    options: Options, fail_on: list[FailOn], summary_only: bool, quiet: bool
) -> NoReturn:
    from junidiag import logrun
    from junidiag.text.reading import ReadError

    matcher = options.matcher()
    output = options.output
    human = options.format is not Format.JSON and not quiet
    # one pasted line piped in gets the whole explanation, as an argument does: decided
    # at the end of input, when it held exactly one non-blank line (JSON Lines stay)
    single = human and not summary_only and options.format is Format.TEXT
    sink = output.log_sink(not (summary_only or quiet), hold_single=single, quiet=quiet)
    unknown = human or FailOn.unknown in fail_on
    try:
        summary = logrun.run(sys.stdin.buffer, matcher, sink, unknown=unknown, times=human)
    except ReadError as error:  # `<&-`, a directory: what was read is written, then one line
        sink.flush()
        output.error(str(error))
        raise typer.Exit(EXIT_USAGE) from None
    if summary.lines == 0 and not summary.interrupted:
        if not quiet:
            output.note("No input: stdin was empty.")
        raise typer.Exit(EXIT_NOTHING)
    if single and summary.only_line is not None and not summary.interrupted:
        line = summary.only_line
        matches = matcher.diagnose(line)
        output.explanation(line, matches, [] if matches else matcher.candidates(line, limit=3))
    elif human:
        output.log_summary(summary, logrun.log_name(sys.stdin.buffer))  # stderr if cut short
    elif summary.interrupted and not quiet:
        ended = "Terminated" if summary.terminated else "Interrupted"
        lines = summary.lines
        output.note(f"{ended} after {lines:,} line{'' if lines == 1 else 's'}.")
    if summary.interrupted:
        raise typer.Exit(EXIT_TERMINATED if summary.terminated else EXIT_INTERRUPTED)
    if FailOn.unknown in fail_on and summary.unknown_lines:
        raise typer.Exit(EXIT_SEVERE)
    worst = summary.worst()
    if worst is None:
        raise typer.Exit(EXIT_NOTHING)
    raise typer.Exit(severe_exit(worst.rank, fail_on) or EXIT_FOUND)


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
    everything: Annotated[
        bool,
        typer.Option(
            "--all", "-a", help="Also how people describe it, its examples and every reference."
        ),
    ] = False,
    format: FormatOption = None,
    json_output: JsonFlag = False,
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager", help="Print at once, however tall (default: $PAGER or less -FRX)."
        ),
    ] = False,
    late_color: LateColor = None,
    late_catalog: LateCatalog = None,
) -> None:
    """Show one catalog entry: messages, codes, why, how to fix it, references.

    Example: junidiag show FORTNOX_FISCAL_YEAR
    """
    options = _options(ctx, late_color, late_catalog)
    options.formatted(ctx, format, json_output, Format.TEXT, Format.JSON, Format.MARKDOWN)
    if not entry_id.strip():
        _usage(ctx, "the id is empty; `junidiag list` shows them all")
    raise typer.Exit(show_entry(options, entry_id, everything, page=not no_pager))


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
    origin: Annotated[
        OriginName | None,
        typer.Option(
            "--origin",
            help="Only entries written from the Junipeer guide (seed) or from the systems'"
            " own documentation (vendor-docs).",
            case_sensitive=False,
        ),
    ] = None,
    format: FormatOption = None,
    json_output: JsonFlag = False,
    late_color: LateColor = None,
    late_catalog: LateCatalog = None,
) -> None:
    """List catalog entries, most severe first; filters combine.

    Example: junidiag list --min-severity error --system fortnox
    """
    from junidiag.catalog import nothing_selected, select, unknown_system

    options = _options(ctx, late_color, late_catalog)
    chosen = options.formatted(ctx, format, json_output, Format.TEXT, Format.JSON, Format.MARKDOWN)
    catalog = options.catalog()
    entries = select(
        catalog,
        severities=[s.value for s in severity or []],
        min_severity=min_severity.value if min_severity else None,
        system=system,
        search=search,
        origin=origin.value if origin else None,
    )
    show_source = any(e.source != "bundled" for e in catalog)
    options.output.entries(entries, len(catalog), show_source)
    if not entries:
        unknown = unknown_system(catalog, system)
        if unknown:
            options.output.error(unknown)
        elif chosen is not Format.JSON:
            options.output.note(nothing_selected(catalog, system))
        raise typer.Exit(EXIT_NOTHING)


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
    format: TextOrJsonOption = None,
    json_output: JsonFlag = False,
    late_color: LateColor = None,
    late_catalog: LateCatalog = None,
) -> None:
    """Validate catalogs: every file loads, every example matches its own entry.

    Example: junidiag catalog check ./our-catalog
    """
    from junidiag import checks

    options = _options(ctx, late_color, late_catalog)
    options.formatted(ctx, format, json_output, Format.TEXT, Format.JSON)
    report = checks.check([*options.catalog_dirs, *(paths or [])], only=paths or None)
    options.output.check_report(report)
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
    format: TextOrJsonOption = None,
    json_output: JsonFlag = False,
    late_color: LateColor = None,
    late_catalog: LateCatalog = None,
) -> None:
    """Draft a catalog entry from a log line nothing matched.

    Example: junidiag catalog new ACME_LOCKED --from "Lagret Nord är låst för inventering"
    """
    from junidiag.catalog import BUNDLED
    from junidiag.drafting import DraftError, default_directory, write_draft

    options = _options(ctx, late_color, late_catalog)
    options.formatted(ctx, format, json_output, Format.TEXT, Format.JSON)
    existing = options.catalog().get(entry_id)  # reports a missing catalog directory first
    target = directory or default_directory(options.catalog_dirs)
    try:
        path = write_draft(entry_id, line, target, force)
    except DraftError as error:
        options.output.error(str(error))
        raise typer.Exit(EXIT_USAGE) from None
    replaces_bundled = existing is not None and existing.source == BUNDLED
    options.output.drafted(entry_id, path, target, replaces_bundled)


# --- entry point ---------------------------------------------------------------------


def _usage(ctx: typer.Context, message: str) -> NoReturn:
    raise typer.BadParameter(message, ctx=ctx)


def main() -> None:
    """The Typer command line (the console script, `launch.main`, comes here for every
    form of the arguments but the plain ones)."""
    running.prepare()
    try:
        app()
    except KeyboardInterrupt:  # while Typer builds the command line, before `_Group.main`
        running.quiet_stderr("Interrupted.")
        sys.exit(EXIT_INTERRUPTED)


def _usage_or_crash(error: Exception) -> int:
    from typer import _click

    if isinstance(error, typer.Abort):  # Click's word for Ctrl-C at a prompt
        running.quiet_stderr("Interrupted.")
        return EXIT_INTERRUPTED
    if isinstance(error, _click.exceptions.NoArgsIsHelpError):
        # `junidiag` or `junidiag catalog` alone: the help, once (Typer's Rich help is
        # printed while it is formatted, so the message is empty then)
        if error.format_message().strip():
            print(error.format_message())
        return error.exit_code
    if isinstance(error, _click.exceptions.ClickException):
        from junidiag.text.safety import neutralise

        message, hint = _usage_message(error)
        print(f"junidiag: error: {neutralise(message)}", file=sys.stderr)
        if hint:
            print(neutralise(hint), file=sys.stderr)
        return error.exit_code
    return running.crash_code(error)


GLOBAL_ONLY = ("--version", "--install-completion", "--show-completion")
"""Global options that no command takes (`--catalog` and `--color` are taken after the
command too)."""


def _usage_message(error: Exception) -> tuple[str, str]:
    """A usage error as one line and at most one hint: a did-you-mean when one can be
    worked out, else where the help is."""
    from typer import _click

    assert isinstance(error, _click.exceptions.ClickException)
    ctx = getattr(error, "ctx", None)
    hint = f"Try '{ctx.command_path} --help' for help." if ctx is not None else ""
    if isinstance(error, _click.exceptions.NoSuchOption):
        name = error.option_name.split("=", 1)[0]
        if name in GLOBAL_ONLY:
            return error.message, f"{name} goes before the command: junidiag {name}"
        if name in ("--color", "--catalog"):  # between `catalog` and its subcommand
            return error.message, f"{name} goes before the command: junidiag {name} … COMMAND"
        if error.possibilities:
            return error.message, f"Did you mean {' or '.join(sorted(error.possibilities))}?"
        return error.message, hint
    message = error.format_message()
    if isinstance(error, _click.exceptions.BadParameter) and error.param is not None:
        choices = [str(getattr(c, "value", c)) for c in getattr(error.param.type, "choices", ())]
        given = _INVALID_CHOICE.match(error.message)
        if choices and given:
            close = _close_choices(given.group("value"), choices)
            option = (error.param.opts or [error.param.name or ""])[0]
            if close:
                hint = f"Did you mean {' or '.join(f'{option} {c}' for c in close)}?"
    return message, hint


_INVALID_CHOICE = re.compile(r"""(?P<q>['"])(?P<value>.*)(?P=q) is not one of """, re.DOTALL)


def _close_choices(value: str, choices: Sequence[str]) -> list[str]:
    """The choices `value` abbreviates (`crit` → critical), else those it resembles."""
    from junidiag.catalog.problems import close_matches

    wanted = value.strip().casefold()
    if not wanted:
        return []
    starting = [c for c in choices if c.casefold().startswith(wanted)]
    return starting or close_matches(wanted, choices)
