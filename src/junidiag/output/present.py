"""The one object commands hand their results to, in the format the user asked for.

`Output` knows the format (text, JSON, Markdown) and the colour mode; the command
line calls one method per kind of result and never touches Rich or JSON itself.
Rich is imported only when text is drawn, so `--json` runs never load it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from junidiag.model import Entry, Match, Summary
from junidiag.output import Format, Sink

if TYPE_CHECKING:
    from junidiag.model import CheckReport as Report
    from junidiag.output.terminal import ColorMode, Terminal


class Output:
    """Where a command's results go, and in which format; errors always go to stderr."""

    def __init__(self, format: Format = Format.TEXT, color: ColorMode = "auto") -> None:
        self.format = format
        self.color: ColorMode = color
        self._terminal: Terminal | None = None

    @property
    def terminal(self) -> Terminal:
        if self._terminal is None:
            from junidiag.output.terminal import Terminal

            self._terminal = Terminal.create(self.color)
        return self._terminal

    # --- messages for people ---------------------------------------------------------

    def error(self, message: str) -> None:
        """`junidiag: error: …` on stderr, one line."""
        self.terminal.error(message)

    def warning(self, message: str) -> None:
        """`junidiag: warning: …` on stderr, one line."""
        self.terminal.warning(message)

    def note(self, message: str) -> None:
        """A dim line for a person on stderr."""
        self.terminal.note(message)

    # --- explain ---------------------------------------------------------------------

    def explanation(
        self, query: str, matches: Sequence[Match], suggestions: Sequence[Match]
    ) -> None:
        """The answer for one message: the best match and runners-up, or no match."""
        if self.format is Format.JSON:
            from junidiag.output.jsonout import dumps, match_object

            self._write(dumps({"query": query, "matches": [match_object(m) for m in matches]}))
        elif self.format is Format.MARKDOWN:
            from junidiag.output import markdown
            from junidiag.output.document import explanation

            if matches:
                self._write(markdown.draw(explanation(matches[0], matches[1:])), end="")
            else:
                near = [(m.id, m.entry.title, m.score) for m in suggestions]
                self._write(markdown.no_match(query, near), end="")
        else:
            from junidiag.output import views

            if matches:
                self.terminal.print(views.match_view(matches[0], matches[1:]))
            else:
                self.terminal.print(views.no_match_view(query, suggestions))

    def log_sink(self, show_lines: bool) -> Sink:
        """Where each diagnosed batch of a log goes: JSON Lines, or the compact view."""
        if self.format is Format.JSON:
            from junidiag.output.jsonout import JsonLinesSink

            sys.stdout.flush()
            return JsonLinesSink(sys.stdout.buffer)
        from junidiag.output.logview import LogLines

        return LogLines(self.terminal, show=show_lines)

    def log_summary(self, summary: Summary) -> None:
        """The summary table at the end of a log run (JSON Lines have none); on stderr
        when the run was interrupted, so that the output itself ends on a whole line."""
        if self.format is not Format.JSON:
            from junidiag.output.logview import summary_view

            console = self.terminal.err if summary.interrupted else self.terminal.out
            console.print(summary_view(summary))

    # --- show and list ---------------------------------------------------------------

    def entry(self, entry: Entry, everything: bool = False) -> None:
        """One entry (`show`); `everything` adds descriptions and examples."""
        if self.format is Format.JSON:
            from junidiag.output.jsonout import dumps, entry_object

            self._write(dumps(entry_object(entry)))
        elif self.format is Format.MARKDOWN:
            from junidiag.output import markdown
            from junidiag.output.document import entry_document

            self._write(markdown.draw(entry_document(entry, everything)), end="")
        else:
            from junidiag.output.views import entry_view

            self.terminal.print(entry_view(entry, everything))

    def entries(self, entries: Sequence[Entry], total: int, show_source: bool) -> None:
        """A list of entries (`list`); an empty one prints `[]` in JSON and nothing else."""
        if self.format is Format.JSON:
            from junidiag.output.jsonout import dumps, entry_object

            self._write(dumps([entry_object(e) for e in entries]))
        elif not entries:
            return
        elif self.format is Format.MARKDOWN:
            from junidiag.output import markdown

            self._write(markdown.entry_table(entries), end="")
        else:
            from rich.text import Text

            from junidiag.output.views import entry_table

            self.terminal.print(entry_table(entries, show_source))
            self.terminal.print(Text(f"{len(entries)} of {total} entries", style="dim"))

    # --- catalog ---------------------------------------------------------------------

    def check_report(self, report: Report) -> None:
        """What `catalog check` found: errors, failures, warnings and the summary line."""
        if self.format is Format.JSON:
            from junidiag.output.jsonout import dumps, report_object

            self._write(dumps(report_object(report)))
            return
        from rich.text import Text

        from junidiag.output.terminal import untrusted

        for problem in report.errors:
            self.terminal.error(str(problem))
        for failure in report.failures:
            self.terminal.err.print(untrusted(failure), soft_wrap=True)
        for warning in report.warnings:
            self.terminal.note(f"warning: {warning}")
        self.terminal.print(Text(report.summary(), style="bold"))

    def drafted(self, entry_id: str, path: Path, directory: Path, replaces_bundled: bool) -> None:
        """A draft was written by `catalog new`: where, and what to do next."""
        import shlex

        check = f"junidiag catalog check {shlex.quote(str(directory))}"
        if self.format is Format.JSON:
            from junidiag.output.jsonout import dumps

            written: dict[str, Any] = {"id": entry_id, "path": str(path), "next": check}
            self._write(dumps({**written, "replaces_bundled": replaces_bundled}))
            return
        from rich.text import Text

        from junidiag.output.terminal import untrusted

        if replaces_bundled:
            self.note(
                f"note: {entry_id} is a bundled entry; this draft replaces it wherever "
                f"{directory} is used as a catalog"
            )
        self.terminal.print(Text.assemble(("Drafted ", "bold"), untrusted(str(path))))
        self.terminal.print(
            untrusted(f"Fill in its TODOs (cause, solution, symptoms), then run: {check}")
        )

    # ---------------------------------------------------------------------------------

    def _write(self, text: str, end: str = "\n") -> None:
        sys.stdout.write(text + end)
