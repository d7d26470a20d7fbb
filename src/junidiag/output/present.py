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
    from junidiag.model import Problem
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

    def catalog_warnings(self, problems: Sequence[Problem], limit: int = 5) -> None:
        """What is wrong with the user catalogs, when the rest is served anyway: one
        `junidiag: warning: …` line per problem (file:line and what), on stderr."""
        by_path: dict[str, list[Problem]] = {}
        for problem in problems:
            by_path.setdefault(problem.path, []).append(problem)
        for found in list(by_path.values())[:limit]:
            more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
            self.terminal.warning(f"{found[0]}{more} — skipped, the rest is served")
        if len(by_path) > limit:
            self.terminal.warning(
                f"… and {len(by_path) - limit} more files; "
                "`junidiag catalog check DIR` lists every problem"
            )

    # --- explain ---------------------------------------------------------------------

    def explanation(
        self,
        query: str,
        matches: Sequence[Match],
        suggestions: Sequence[Match],
        *,
        good_news: bool = False,
    ) -> None:
        """The answer for one message: the best match and runners-up, or no match (which
        says so when the message reads as good news)."""
        if self.format is Format.JSON:
            from junidiag.output.jsonout import match_object

            found = {"query": query, "matches": [match_object(m) for m in matches]}
            near = [{"id": m.id, "title": m.entry.title, "score": m.score} for m in suggestions]
            self._write_json({**found, "suggestions": near})
        elif self.format is Format.MARKDOWN:
            from junidiag.output import markdown
            from junidiag.output.document import explanation

            if matches:
                self._write(markdown.draw(explanation(matches[0], matches[1:])), end="")
            else:
                nearest = [(m.id, m.entry.title, m.score) for m in suggestions]
                self._write(markdown.no_match(query, nearest, good_news), end="")
        else:
            from junidiag.output import views

            if matches:
                self.terminal.print(views.match_view(matches[0], matches[1:]))
            else:
                self.terminal.print(views.no_match_view(query, suggestions, good_news))

    def log_sink(self, show_lines: bool, hold_single: bool = False, quiet: bool = False) -> Sink:
        """Where each diagnosed batch of a log goes: JSON Lines, or the compact view
        (which, with `hold_single`, holds back a log's one line: see `LogLines`), or
        nowhere (`quiet`: `-q` prints nothing, in any format)."""
        if quiet:
            from junidiag.output import Unwritten

            return Unwritten()
        if self.format is Format.JSON:
            from junidiag.output.jsonout import JsonLinesSink

            sys.stdout.flush()
            return JsonLinesSink(sys.stdout.buffer)
        if self.format is Format.HTML:
            from junidiag.output import Unwritten

            return Unwritten()  # the report is written at the end, from the summary
        from junidiag.output.logview import LogLines

        return LogLines(self.terminal, show=show_lines, hold_single=hold_single)

    def log_summary(self, summary: Summary, name: str | None = None) -> None:
        """The summary at the end of a log run (JSON Lines have none): on stderr when the
        run was interrupted, so that the output itself ends on a whole line; the commands
        it points to are each one line, so they can be copied whole from any terminal.
        In HTML, the whole triage report of the log (`name`, when known, heads it)."""
        if self.format is Format.HTML:
            from junidiag.output.report import report

            if sys.stdout.isatty():
                self.note("note: this is HTML for a browser; send it to a file: > report.html")
            sys.stdout.flush()
            sys.stdout.buffer.write(report(summary, name).encode("utf-8", "replace"))
            sys.stdout.buffer.flush()
        elif self.format is not Format.JSON:
            from junidiag.output.logview import summary_commands, summary_view

            console = self.terminal.err if summary.interrupted else self.terminal.out
            console.print(summary_view(summary, console.width))
            for command in summary_commands(summary):
                console.print(command, soft_wrap=True)

    # --- show and list ---------------------------------------------------------------

    def entry(self, entry: Entry, everything: bool = False, page: bool = False) -> None:
        """One entry (`show`); `everything` adds descriptions and examples; with `page`,
        text taller than the terminal goes through the pager (see `paging`)."""
        if self.format is Format.JSON:
            from junidiag.output.jsonout import entry_object

            self._write_json(entry_object(entry))
        elif self.format is Format.MARKDOWN:
            from junidiag.output import markdown
            from junidiag.output.document import entry_document

            self._write(markdown.draw(entry_document(entry, everything)), end="")
        else:
            from junidiag.output.views import entry_view

            if page and sys.stdout.isatty():  # a pipe never pages: nothing more to import
                from junidiag.output.paging import print_paged

                print_paged(self.terminal, entry_view(entry, everything))
            else:
                self.terminal.print(entry_view(entry, everything))

    def entries(self, entries: Sequence[Entry], total: int, show_source: bool) -> None:
        """A list of entries (`list`); an empty one prints `[]` in JSON and nothing else."""
        if self.format is Format.JSON:
            from junidiag.output.jsonout import entry_object

            self._write_json([entry_object(e) for e in entries])
        elif not entries:
            return
        elif self.format is Format.MARKDOWN:
            from junidiag.output import markdown

            self._write(markdown.entry_table(entries), end="")
        else:
            from rich.text import Text

            from junidiag.output.fitting import left_out_note
            from junidiag.output.views import entry_table

            width = self.terminal.out.width
            table, left_out = entry_table(entries, show_source, width)
            self.terminal.print(table)
            if left_out:
                self.terminal.print(left_out_note(left_out, width))
            self.terminal.print(Text(f"{len(entries)} of {total} entries", style="dim"))

    # --- catalog ---------------------------------------------------------------------

    def check_report(self, report: Report) -> None:
        """What `catalog check` found: errors, failures, warnings and the summary line."""
        if self.format is Format.JSON:
            from junidiag.output.jsonout import report_object

            self._write_json(report_object(report))
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
            written: dict[str, Any] = {"id": entry_id, "path": str(path), "next": check}
            self._write_json({**written, "replaces_bundled": replaces_bundled})
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

    def _write_json(self, value: object) -> None:
        """One JSON document, in UTF-8 whatever the locale's encoding (RFC 8259), as a
        log's JSON Lines are (`log_sink`): bytes, past the text stream's encoding."""
        from junidiag.output.jsonout import dumps

        sys.stdout.flush()
        sys.stdout.buffer.write(dumps(value).encode("utf-8") + b"\n")
        sys.stdout.buffer.flush()
