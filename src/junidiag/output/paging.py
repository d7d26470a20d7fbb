"""Output taller than the terminal goes through a pager, as git's does.

Only at a terminal (never into a pipe or a file, whatever `--color` says), only when
the text is taller than the window, and never with `--no-pager`. The pager is
`$PAGER` (empty or `cat`: none), else `less -FRX`: quit at once when it fits after
all (-F), keep the colours (-R), leave the text on the screen afterwards (-X).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType

    from junidiag.output.terminal import Terminal

DEFAULT_PAGER = "less -FRX"


def pager() -> str | None:
    """The pager command, or None when `$PAGER` says not to page or names a program that
    is not there (then the text is printed as it is)."""
    import shlex
    import shutil

    command = os.environ.get("PAGER", DEFAULT_PAGER).strip()
    if command in ("", "cat"):
        return None
    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):
        return None
    return command if shutil.which(program) else None


def wants_pager(terminal: Terminal) -> bool:
    """Whether output goes to a person at a terminal, who can page through it."""
    try:
        return sys.stdout.isatty() and terminal.out.is_terminal
    except (AttributeError, ValueError):
        return False


def print_paged(terminal: Terminal, renderable: RenderableType) -> None:
    """Print `renderable`, through the pager when it is taller than the terminal."""
    command = pager() if wants_pager(terminal) else None  # a pipe: nothing more imported
    if command is None:
        terminal.print(renderable)
        return
    console = terminal.out
    with console.capture() as captured:
        console.print(renderable)
    text = captured.get()
    if text.count("\n") < console.size.height or not _through(command, text):
        console.file.write(text)
        console.file.flush()


def _through(command: str, text: str) -> bool:
    """Run the pager on `text`; False when it could not be started (then print as is).

    Ctrl-C belongs to the pager while it runs (less uses it to stop a search), so it is
    ignored here until the pager ends, as git does.
    """
    import contextlib
    import signal
    import subprocess

    environment = dict(os.environ)
    environment.setdefault("LESS", "FRX")
    environment.setdefault("LV", "-c")
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: leave Ctrl-C as it is
        previous = None
    try:
        try:
            process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=environment)
        except OSError:
            return False
        assert process.stdin is not None
        with contextlib.suppress(BrokenPipeError, OSError):  # quit before the end
            process.stdin.write(
                text.encode(getattr(sys.stdout, "encoding", None) or "utf-8", "replace")
            )
        with contextlib.suppress(BrokenPipeError, OSError):
            process.stdin.close()
        process.wait()
        return process.returncode != 127  # the shell found no such command
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
