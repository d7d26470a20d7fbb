"""The terminal: one object owns the two consoles and the styles (as hatch's does).

Results go to stdout, messages for people to stderr. Consoles interpret no markup,
emoji or highlighting: every piece of text junidiag did not write goes through
`safety.neutralise` into a `rich.text.Text`, never through markup.
"""

from __future__ import annotations

import os
import sys
from typing import IO, TYPE_CHECKING, Literal

from rich.console import Console
from rich.text import Text

from junidiag.model import Severity
from junidiag.text.safety import neutralise

if TYPE_CHECKING:
    from rich.console import RenderableType

ColorMode = Literal["auto", "always", "never"]

SEVERITY_STYLES = {
    Severity.CRITICAL: "bold white on red",
    Severity.ERROR: "bold red",
    Severity.WARNING: "bold yellow",
    Severity.INFO: "bold cyan",
}
LABEL = "bold"
DIM = "dim"
ID = "bold cyan"


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """Rich exits 1 when the reader goes away; the CLI decides the exit code instead."""
        self.quiet = True
        raise BrokenPipeError


def make_console(file: IO[str] | None, color: ColorMode) -> Console:
    """A console that interprets no markup, emoji or highlighting in what it prints."""
    options: dict[str, object] = {
        "file": file,
        "markup": False,
        "emoji": False,
        "highlight": False,
        "soft_wrap": False,
    }
    if color == "always":
        options["force_terminal"] = True
        options["color_system"] = "standard" if not os.environ.get("COLORTERM") else "truecolor"
    elif color == "never":
        options["no_color"] = True
        options["color_system"] = None
    console = _Console(**options)  # type: ignore[arg-type]
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 100  # a pipe has no width; 100 keeps panels readable in a pager or file
    return console


class Terminal:
    """Where output goes: results on `out`, messages for people on `err`."""

    def __init__(self, out: Console, color: ColorMode = "auto") -> None:
        self.out = out
        self.color = color
        self._err: Console | None = None

    @classmethod
    def create(cls, color: ColorMode = "auto") -> Terminal:
        return cls(make_console(sys.stdout, color), color)

    @property
    def err(self) -> Console:
        """Made on first use: most runs never write to stderr."""
        if self._err is None:
            self._err = make_console(sys.stderr, self.color)
        return self._err

    def print(self, *renderables: RenderableType) -> None:
        self.out.print(*renderables)

    def error(self, message: str) -> None:
        """One line for a person, on stderr: `junidiag: error: …`."""
        line = Text("junidiag: ", style=DIM)
        line.append("error: ", style="bold red")
        line.append(neutralise(message))
        self.err.print(line, soft_wrap=True)  # one line, however long: it names a file

    def warning(self, message: str) -> None:
        """One line for a person, on stderr: `junidiag: warning: …`."""
        line = Text("junidiag: ", style=DIM)
        line.append("warning: ", style="bold yellow")
        line.append(neutralise(message))
        self.err.print(line, soft_wrap=True)

    def note(self, message: str) -> None:
        self.err.print(Text(neutralise(message), style=DIM), soft_wrap=True)


def untrusted(text: str, style: str = "") -> Text:
    """Text from outside (input, logs, user catalogs): control characters made visible."""
    return Text(neutralise(text), style=style)
