"""The command line: parse arguments, call the core, hand results to a sink.

Exit codes follow grep: 0 found, 1 nothing found (or unknown id, or the output could
not be written), 2 usage or catalog error (or stdin could not be read), 3 when
`explain --fail-on` saw an entry that severe (or, with `unknown`, an error line
nothing matched), 130 after Ctrl-C, 143 after SIGTERM. Messages for people go to
stderr. No logic lives here.

No `from __future__ import annotations` here: Typer evaluates every command's
annotations when it builds the command line, and string annotations make that
a few milliseconds slower on every run.
"""

import contextlib
import errno
import io
import os
import re
import signal
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any, NoReturn


def _is_the_program() -> bool:
    """Whether this import runs the `junidiag` command (its script, `python -m junidiag`),
    rather than a program or a test runner that imports the package."""
    program = sys.modules.get("__main__")
    spec = getattr(program, "__spec__", None)
    if spec is not None:
        return bool(spec.name == "junidiag.__main__")
    return Path(getattr(program, "__file__", "") or "").name.startswith("junidiag")


def _stop_while_starting(number: int, frame: FrameType | None) -> None:
    """Ctrl-C while Python still loads the command line: stop as after Ctrl-C at any other
    time, not with a KeyboardInterrupt traceback from inside an import."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write("junidiag: Interrupted.\n")
        sys.stderr.flush()
    os._exit(130)  # EXIT_INTERRUPTED, not defined yet: nothing written, nothing to clean up


if _is_the_program() and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
    signal.signal(signal.SIGINT, _stop_while_starting)  # until `main` runs the command

import typer  # noqa: E402  (after the handler: importing Typer and Rich takes ~60 ms)
from typer.core import TyperGroup  # noqa: E402

from junidiag import __version__  # noqa: E402
from junidiag.output import Format  # noqa: E402

if TYPE_CHECKING:
    from typer import _click

    from junidiag.catalog import Catalog
    from junidiag.matching import Matcher
    from junidiag.output.present import Output

EXIT_FOUND, EXIT_NOTHING, EXIT_USAGE, EXIT_SEVERE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_TERMINATED = 143
"""128 + SIGTERM."""
EXIT_WRITE_FAILED = EXIT_NOTHING
"""The output could not be written (a full disk, a closed stdout): 1, as cat and grep."""
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
    def output(self) -> "Output":
        """Where results go, in the format the command was given (see `formatted`)."""
        if self._output is None:
            from junidiag.output.present import Output

            self._output = Output(self.format, self.color.value)
        return self._output

    def formatted(
        self, ctx: typer.Context, chosen: Format | None, json_flag: bool, *allowed: Format
    ) -> Format:
        """The command's format: `--format`, or `--json` for `--format json`."""
        wanted = Format.JSON if json_flag else (chosen or Format.TEXT)
        if json_flag and chosen not in (None, Format.JSON):
            _usage(ctx, f"--json means --format json; it cannot go with --format {chosen.value}")
        if wanted not in allowed:
            names = ", ".join(f.value for f in allowed)
            _usage(ctx, f"--format {wanted.value} is not available here (choose {names})")
        self.format = wanted
        self._output = None
        return wanted

    def catalog(self) -> "Catalog":
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

    def matcher(self) -> "Matcher":
        from junidiag import api

        self.catalog()  # reports catalog problems first
        return api.served_matcher(self.catalog_dirs)


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
            _quiet_stderr("Interrupted.")
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
        except OSError as error:
            code = _after_broken_pipe() if error.errno == errno.EPIPE else _write_failed(error)
        except ValueError:
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
    # Bytes that are not UTF-8 arrive as lone surrogates; decoded with replacement, as
    # stdin is, they can be matched, shown and written as JSON.
    text = " ".join(words).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if not text.strip():
        _usage(ctx, "the message is empty")
    _explain_message(options, text, fail_on or [], quiet)


def _explain_message(options: Options, text: str, fail_on: list[FailOn], quiet: bool) -> NoReturn:
    matcher = options.matcher()
    matches = matcher.diagnose(text)
    if not quiet:
        suggestions = [] if matches else matcher.suggestions(text)
        options.output.explanation(text, matches, suggestions)
    if not matches:
        raise typer.Exit(EXIT_NOTHING)
    worst = max(m.entry.severity.rank for m in matches[:1])
    raise typer.Exit(_severe_exit(worst, fail_on) or EXIT_FOUND)


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
    sink = output.log_sink(show_lines=not (summary_only or quiet), hold_single=single)
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
    raise typer.Exit(_severe_exit(worst.rank, fail_on) or EXIT_FOUND)


def _severe_exit(worst_rank: int, fail_on: list[FailOn]) -> int:
    from junidiag.model import Severity

    for wanted in fail_on:
        if wanted is not FailOn.unknown and worst_rank >= Severity(wanted.value).rank:
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
    catalog = options.catalog()
    entry = catalog.get(entry_id)
    if entry is None:
        _unknown_id(options, catalog, entry_id)
    options.output.entry(entry, everything, page=not no_pager)


def _unknown_id(options: Options, catalog: "Catalog", entry_id: str) -> NoReturn:
    suggestions = catalog.suggest(entry_id)
    message = f"no entry {entry_id.strip()}"
    if suggestions:
        message += " — did you mean " + " or ".join(suggestions) + "?"
    if " " in entry_id.strip():
        message += ' To diagnose a message, use: junidiag explain "…"'
    options.output.error(message)
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
    """The console script."""
    _standard_streams()
    _whole_writes()
    try:
        if signal.getsignal(signal.SIGINT) is _stop_while_starting:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        app()
    except KeyboardInterrupt:  # while Typer builds the command line, before `_Group.main`
        _quiet_stderr("Interrupted.")
        sys.exit(EXIT_INTERRUPTED)


_STANDARD_STREAMS = (
    (0, "stdin", os.O_WRONLY, "r"),
    (1, "stdout", os.O_RDONLY, "w"),
    (2, "stderr", os.O_WRONLY, "w"),
)


def _standard_streams() -> None:
    """A closed standard stream (`<&-`, `>&-`, `2>&-`) gets /dev/null in its place, so
    that nothing opened later takes its number and receives what was meant for it.
    Stdin and stdout get it the wrong way round: reading or writing them then fails
    with EBADF, which is reported in one line as `cat` does (exit 2 for stdin, 1 for
    stdout); what would go to a closed stderr is dropped, never sent to stdout."""
    for number, name, flags, mode in _STANDARD_STREAMS:
        try:
            os.fstat(number)
            continue
        except OSError:
            pass
        try:
            null = os.open(os.devnull, flags)
            if null != number:
                os.dup2(null, number)
                os.close(null)
            setattr(sys, name, open(number, mode, encoding="utf-8", closefd=False))  # noqa: SIM115
        except OSError:
            continue


def _usage_or_crash(error: Exception) -> int:
    from typer import _click

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
    if isinstance(error, OSError) and getattr(error, "errno", None) == errno.EPIPE:
        return _after_broken_pipe()
    if isinstance(error, OSError) and getattr(error, "errno", None) in _WRITE_ERRORS:
        return _write_failed(error)
    if os.environ.get("JUNIDIAG_DEBUG"):
        raise error
    name = type(error).__name__
    print(
        f"junidiag: internal error ({name}); run again with JUNIDIAG_DEBUG=1 for details "
        f"and report it to {REPORT_URL}.",
        file=sys.stderr,
    )
    return EXIT_USAGE


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
    import difflib

    wanted = value.strip().casefold()
    if not wanted:
        return []
    starting = [c for c in choices if c.casefold().startswith(wanted)]
    return starting or difflib.get_close_matches(wanted, choices, n=2, cutoff=0.6)


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
    _discard_stdout()
    return EXIT_BROKEN_PIPE


def _whole_writes() -> None:
    """Under PYTHONUNBUFFERED (common in containers) stdout hands each write straight to
    the descriptor, where a signal can cut it short and the rest is lost: a JSON object
    cut in two when Ctrl-C comes while the reader is slow. Give it a buffer, which
    writes all it is given, flushed at every line so that output still comes at once."""
    stdout = sys.stdout
    raw = getattr(stdout, "buffer", None)
    if isinstance(raw, io.RawIOBase) and isinstance(stdout, io.TextIOWrapper):
        sys.stdout = io.TextIOWrapper(
            io.BufferedWriter(raw),
            encoding=stdout.encoding,
            errors=stdout.errors,
            line_buffering=True,
        )


_WRITE_ERRORS = frozenset(
    getattr(errno, name)
    for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO", "EBADF", "EAGAIN", "ENXIO", "EROFS")
    if hasattr(errno, name)
)
"""What writing the output can fail with (files are read elsewhere, each failure handled)."""


def _write_failed(error: OSError) -> int:
    """The output could not be written (`> /dev/full`, `>&-`): say so in one line, as
    `cat: write error: No space left on device` does, and exit 1. What is still buffered
    for stdout goes to /dev/null, so that Python does not complain again at exit."""
    _quiet_stderr(f"error: write error: {error.strerror or error}")
    _discard_stdout()
    return EXIT_WRITE_FAILED


def _discard_stdout() -> None:
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _quiet_stderr(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(f"junidiag: {message}", file=sys.stderr)
        sys.stderr.flush()
