"""The `junidiag` console script: the plain forms run without loading Typer.

Importing Typer and Click takes about as long as the rest of `junidiag explain
"<message>"` or `junidiag show ID` (SPEC §4 holds start-up to the time of importing
the dependencies). So the forms people type most — the command and words, with no
option anywhere — are recognised here and run through the same functions as the
Typer command line (`commands`), ending the same way (`running`). Everything else
(any option, `--help`, shell completion, an empty message or id, a usage error to
report) goes to the Typer command line (`cli`), which reads it as it always has.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Sequence

from junidiag import running

running.stop_quietly_while_starting()  # until the command runs
if running.is_the_program():
    # One message or one entry is a run of a tenth of a second that makes a few hundred
    # thousand objects (modules, the catalog, the matcher) and little garbage: the
    # cyclic collector's passes over them all would cost about 7 % of it. It is back on
    # for every other form (a log may be read for hours).
    gc.disable()


def main() -> None:
    """The console script."""
    command = plain_command(sys.argv[1:])
    if command is None:
        gc.enable()
        from junidiag.cli import main as typer_main

        typer_main()
        return
    running.prepare()
    running.exit_with(running.outcome(command, running.crash_code))


def plain_command(args: Sequence[str]) -> Callable[[], int] | None:
    """The command `args` ask for when they are a plain form (`explain WORDS…`, `show
    ID`), ready to run; None for every other form, which Typer reads."""
    if not args or any(arg.startswith("-") for arg in args) or _completing():
        return None  # an option, `-` for stdin, or a shell asking for completions
    if os.name == "nt":
        return None  # Click expands wildcards in the arguments there
    name, words = args[0], list(args[1:])
    if name == "explain" and words:
        return _explain(words)
    if name == "show" and len(words) == 1 and words[0].strip():
        return _show(words[0])
    return None


def _explain(words: list[str]) -> Callable[[], int] | None:
    from junidiag import commands

    text = commands.message_text(words)
    if not text.strip():
        return None  # a usage error, which Typer words
    return lambda: commands.explain_message(commands.Options(), text, (), quiet=False)


def _show(entry_id: str) -> Callable[[], int]:
    from junidiag import commands

    return lambda: commands.show_entry(commands.Options(), entry_id, everything=False, page=True)


def _completing() -> bool:
    """Whether a shell asks for completions (Click's `_JUNIDIAG_COMPLETE`, whatever name
    the program was run by)."""
    return any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ)
