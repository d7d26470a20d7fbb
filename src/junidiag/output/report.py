"""A log run's triage report: one self-contained HTML file to attach to a ticket or an
email (`junidiag explain --format html < sync.log > report.html`, issue 20).

Written at the end of input from the same `Summary` the terminal's summary is drawn
from (no second reading of the log): its size is bounded by the number of entries
and shapes found, not by the log's length. It holds no JavaScript and loads nothing:
inline CSS and SVG only, under a Content-Security-Policy that forbids everything
else. Every text a log or a catalog wrote goes through `_text` (control characters
made visible, then HTML-escaped), and only a reference that is an http(s) URL
becomes a link. It reads on a phone (the tables stack) and prints (the timeline's
bars are told apart by pattern, not only by colour).
"""

from __future__ import annotations

import html
import re
import shlex
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from junidiag.model import (
    DAY,
    HOUR,
    REPEAT_ADVICE_AT,
    UNKNOWN_SHAPES_KEPT,
    Entry,
    Severity,
    Summary,
    Tally,
    draft_fields,
    stops_connector,
)
from junidiag.text import languages
from junidiag.text.safety import neutralise

if TYPE_CHECKING:
    from junidiag.model import Stamp

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
"""Nothing may load or run: no scripts, fonts, frames or connections; only the inline
styles (and, should one ever be drawn, an image in a data: URL)."""
UNKNOWN_LISTED = 20
"""Shapes of unrecognised error lines the report lists, most frequent first; the rest
are counted."""
QUOTED_IN_ENTRIES, QUOTED_IN_UNKNOWN = 400_000, 200_000
"""Characters of log text (escaped) the report quotes for its entries and for the
unrecognised lines. Past them an entry quotes only its first line, cut short, and
fewer shapes are listed: a log of long lines full of `<"&>` still gives a report well
under a megabyte."""
ADVICE_APART = 3
"""Entries found on many lines that get the seed's advice each; more share one note."""
CUT_SHORT = 160
"""What an entry's line is cut to once the report has quoted enough."""
GRID_COLUMNS = 96
"""Bars at most of a timeline on the summary's own grid: a log too short for hour bars
or too long for day bars."""
HOURS_AT_LEAST = 12
"""A log spanning fewer hours gets the grid's finer steps rather than hour bars."""


def report(summary: Summary, name: str | None = None, now: float | None = None) -> str:
    """The whole report of a log run as an HTML document; `name` is the log's file name
    when known, `now` the time it is made (seconds since 1970; default: now, or
    `SOURCE_DATE_EPOCH`)."""
    ranked = summary.ranked()
    title = f"Sync log triage: {name}" if name else "Sync log triage"
    body = [
        _PATTERNS,
        '<header id="top">',
        f"<h1>{_text(title)}</h1>",
        _verdict(summary, ranked),
        _facts(summary, name),
        "</header>",
        "<main>",
    ]
    if summary.interrupted:
        body.append(
            f'<p class="callout">Interrupted after {_lines(summary.lines)}: this report shows '
            "what was read until then.</p>"
        )
    body.append(_advice(summary))
    body.append(_summary_table(summary, ranked))
    body.append(_timeline(summary, ranked))
    if ranked:
        body.append('<section id="entries"><h2>The known errors, one by one</h2>')
        allowance = _Allowance(QUOTED_IN_ENTRIES)
        body.extend(_entry_section(summary, tally, ranked, allowance) for tally in ranked)
        body.append("</section>")
    body.append(_unknown_section(summary))
    body.append("</main>")
    body.append(_footer(now))
    return "".join(
        [
            "<!DOCTYPE html>\n",
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n',
            '<meta name="referrer" content="no-referrer">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            '<meta name="color-scheme" content="light">\n',
            f"<title>{_text(title)}</title>\n",
            f"<style>{_STYLE}</style>\n",
            "</head>\n<body>\n",
            "\n".join(part for part in body if part),
            "\n</body>\n</html>\n",
        ]
    )


# --- the header ----------------------------------------------------------------------


def _verdict(summary: Summary, ranked: Sequence[Tally]) -> str:
    """One sentence: how many known errors, how bad, and the unrecognised ones."""
    if not ranked:
        said = f"No known error in {_lines(summary.lines)}"
    else:
        bad: dict[Severity, int] = {}
        for tally in ranked:
            bad[tally.entry.severity] = bad.get(tally.entry.severity, 0) + 1
        kinds = ", ".join(
            f"{count} {_SEVERITY_NAMES[severity][count != 1]}" for severity, count in bad.items()
        )
        said = (
            f"{summary.matched:,} of {_lines(summary.lines)} matched "
            f"{_count(len(ranked), 'known error')} ({kinds})"
        )
    if summary.unknown_lines:
        unknown = summary.unknown_lines
        said += f"; {_count(unknown, 'error line')} matched nothing"
    return f'<p class="verdict">{said}.</p>'


_SEVERITY_NAMES = {
    Severity.CRITICAL: ("critical", "critical"),
    Severity.ERROR: ("error", "errors"),
    Severity.WARNING: ("warning", "warnings"),
    Severity.INFO: ("info", "info"),
}


def _facts(summary: Summary, name: str | None) -> str:
    rows: list[tuple[str, str]] = []
    if name:
        rows.append(("Log", f"<code>{_text(name)}</code>"))
    if summary.earliest is not None and summary.latest is not None:
        span = f"{_text(_stamp(summary.earliest))} → {_text(_stamp(summary.latest))}"
        seconds = summary.latest.at - summary.earliest.at
        if seconds >= 1:
            span += f" ({_duration(seconds)})"
        rows.append(("Time span", span))
    rows.append(("Lines read", f"{summary.lines:,}"))
    matched = f"{summary.matched:,}"
    if summary.tallies:
        matched += f" ({_count(len(summary.tallies), 'known error')})"
    rows.append(("Matched", matched))
    unknown = f"{summary.unknown_lines:,}"
    if summary.unknown:
        unknown += f" ({_count(len(summary.unknown), 'shape')})"
    rows.append(("Unrecognised error lines", unknown))
    worst = summary.worst()
    if worst is not None:
        rows.append(("Most severe", _badge(worst)))
    wide = ' class="wide"'
    cells = "".join(
        f"<div{wide if label == 'Time span' else ''}><dt>{label}</dt><dd>{value}</dd></div>"
        for label, value in rows
    )
    return f'<dl class="facts">{cells}</dl>'


def _advice(summary: Summary) -> str:
    """The seed's advice where it applies (`Summary.advice`), each id a link; when more
    than a few entries each account for many lines, that advice is given once for them
    all, with their ids and counts."""
    notes = summary.advice()
    if not notes:
        return ""
    items = []
    repeated: list[tuple[str, str]] = []
    advice = ""
    for note in notes:
        found = _REPEATED.fullmatch(note)
        if found is not None and found["id"] in summary.tallies:
            repeated.append((found["id"], found["count"]))
            advice = found["advice"]
            continue
        entry_id, _, rest = note.partition(" ")
        if entry_id in summary.tallies:
            items.append(f"<li>{_id_link(entry_id)} {_text(rest)}</li>")
        else:
            items.append(f"<li>{_text(note)}</li>")
    if len(repeated) > ADVICE_APART:
        listed = ", ".join(f"{_id_link(entry_id)} ({count})" for entry_id, count in repeated)
        items.append(
            f"<li>{len(repeated)} entries each account for {REPEAT_ADVICE_AT} lines or more; "
            f'for each, {_text(advice)} <span class="ids">{listed}</span></li>'
        )
    else:
        items.extend(
            f"<li>{_id_link(entry_id)} accounts for {count} lines: {_text(advice)}</li>"
            for entry_id, count in repeated
        )
    return (
        '<section id="advice" class="callout"><h2>What to do first</h2>'
        f"<ul>{''.join(items)}</ul></section>"
    )


_REPEATED = re.compile(r"(?P<id>\S+) accounts for (?P<count>[\d,]+) lines: (?P<advice>.+)")
"""`Summary.advice`'s note on an entry found on many lines."""


# --- the summary table ---------------------------------------------------------------


def _summary_table(summary: Summary, ranked: Sequence[Tally]) -> str:
    if not ranked:
        return (
            '<section id="summary"><h2>Known errors</h2>'
            f"<p>No line matched a known error in {_lines(summary.lines)}.</p></section>"
        )
    rows = []
    for tally in ranked:
        entry = tally.entry
        first = _when(summary, tally.first_at, tally.first)
        last = _when(summary, tally.last_at, tally.last)
        rows.append(
            "<tr>"
            f'<td data-label="ID">{_id_link(entry.id)}</td>'
            f'<td data-label="Title">{_text(entry.title)}{_draft_badge(entry)}</td>'
            f'<td data-label="Count" class="num">{tally.count:,}</td>'
            f'<td data-label="Severity">{_badge(entry.severity)}</td>'
            f'<td data-label="First" class="when">{first}</td>'
            f'<td data-label="Last" class="when">{last}</td>'
            "</tr>"
        )
    return (
        '<section id="summary"><h2>Known errors</h2>'
        "<p>Most severe first, then most frequent. Each id leads to its explanation below."
        "</p>"
        '<table class="stack"><thead><tr><th scope="col">ID</th><th scope="col">Title</th>'
        '<th scope="col" class="num">Count</th><th scope="col">Severity</th>'
        '<th scope="col" class="when">First</th><th scope="col" class="when">Last</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


# --- the timeline --------------------------------------------------------------------

_VIEW_WIDTH, _VIEW_HEIGHT, _BAR_HEIGHT = 960, 32, 28
"""A timeline strip's SVG coordinates: stretched to the page's width, fixed height."""


def _timeline(summary: Summary, ranked: Sequence[Tally]) -> str:
    """Each entry's lines across the log's span, one strip of bars each: an hour a bar
    for a log of half a day to a week, a day a bar for one of up to a quarter, else
    (shorter or longer) the steps of the summary's own grid."""
    if not ranked:
        return ""
    if not summary.spans_time():
        return (
            '<section id="timeline"><h2>Timeline</h2><p>The lines carry no timestamps a '
            "minute apart or more, so First and Last above are line numbers or times "
            "close together, and there is no timeline.</p></section>"
        )
    assert summary.earliest is not None and summary.latest is not None
    summary.settle_calendar()
    unit = summary.unit
    if unit == HOUR and summary.latest.at - summary.earliest.at < HOURS_AT_LEAST * HOUR:
        unit = 0  # a few hours: the grid's steps are finer
    if unit:
        start = int(summary.earliest.at // unit)
        steps = int(summary.latest.at // unit) - start + 1
        starts = [float((start + step) * unit) for step in range(steps)]
        series = [_calendar_counts(tally, start, steps) for tally in ranked]
        labels = [_bucket_label(at, unit) for at in starts]
        what = "one hour" if unit == HOUR else "one day"
        end = starts[-1] + unit
    else:
        low = int((summary.earliest.at - summary.origin) // summary.width)
        spread = int((summary.latest.at - summary.origin) // summary.width) - low + 1
        steps = min(GRID_COLUMNS, spread)
        starts = [
            summary.origin + (low + step * spread // steps) * summary.width for step in range(steps)
        ]
        series = [summary.timeline(tally, steps) for tally in ranked]
        wide = summary.width * spread / steps
        labels = [f"{_date(at)}–{_date(at + wide, start=at)}" for at in starts]
        what = f"≈ {_duration(wide, parts=1)}"
        end = summary.origin + (low + spread) * summary.width
    total = [sum(counts) for counts in zip(*series, strict=True)]
    rows = [_timeline_row("All known errors", None, total, labels, "total")]
    for tally, counts in zip(ranked, series, strict=True):
        rows.append(_timeline_row(tally.entry.id, tally.entry.severity, counts, labels, "entry"))
    axis = _axis(starts[0], end)
    legend = "".join(
        f'<span class="key"><svg viewBox="0 0 16 12" aria-hidden="true">'
        f'<rect x="1" y="1" width="14" height="10" class="bar {severity.value}"/></svg>'
        f"{severity.value}</span>"
        for severity in Severity
    )
    return (
        '<section id="timeline"><h2>Timeline</h2>'
        f"<p>Each bar is {what}; its height is the entry's lines then, against its "
        "busiest bar (the figure at the right). Times as the log writes them (UTC where "
        "a line names its zone).</p>"
        f'<p class="legend">{legend}</p>'
        f'<div class="timeline">{"".join(rows)}'
        f'<div class="tl-row axis-row"><span></span>{axis}<span></span></div></div></section>'
    )


def _calendar_counts(tally: Tally, start: int, steps: int) -> list[int]:
    calendar = tally.calendar or {}
    return [calendar.get(start + step, 0) for step in range(steps)]


def _timeline_row(
    label: str, severity: Severity | None, counts: list[int], labels: list[str], kind: str
) -> str:
    """One strip: a bar per step with lines, its height against the busiest step, drawn
    as one path (a bar is a few bytes, so a quarter of days for a hundred entries stays
    small); its tooltip names the busiest step."""
    peak = max(counts, default=0)
    step = _VIEW_WIDTH / len(counts)
    width = max(1, round(step * 0.8))
    bars = []
    for index, count in enumerate(counts):
        if count:
            height = max(3, round(_BAR_HEIGHT * count / peak))
            left = round(index * step + (step - width) / 2)
            bars.append(f"M{left} {_VIEW_HEIGHT}v-{height}h{width}v{height}z")
    busiest = labels[counts.index(peak)] if peak else ""
    described = f"{label}: {_lines(sum(counts))}; the busiest, {busiest}: {_lines(peak)}"
    fill = severity.value if severity is not None else "all"
    name = _text(label) if severity is None else _id_link(label)
    return (
        f'<div class="tl-row {kind}"><span class="tl-id">{name}</span>'
        f'<svg class="strip" viewBox="0 0 {_VIEW_WIDTH} {_VIEW_HEIGHT}" '
        f'preserveAspectRatio="none" role="img"><title>{_text(described)}</title>'
        f'<path class="base" d="M0 {_VIEW_HEIGHT - 0.5}H{_VIEW_WIDTH}"/>'
        f'<path class="bar {fill}" d="{"".join(bars)}"/></svg>'
        f'<span class="tl-peak" title="the busiest bar">{peak:,}</span></div>'
    )


_TICKS = [60 * m for m in (1, 5, 10, 15, 30, 60, 120, 180, 360, 720)] + [
    DAY * d for d in (1, 2, 7, 14, 28, 56, 91, 182, 364, 728)
]
"""Steps between the timeline's tick labels, in seconds: the first that gives at most
a dozen over the span is used."""


def _axis(start: float, end: float) -> str:
    """Tick labels under the strips, on whole minutes, hours or days (Mondays for weeks)
    from `start` to `end` (the strips' left and right edges), placed by percentage of the
    width: HTML, so they stay legible however the strips are stretched."""
    span = max(end - start, 1.0)
    step = next((s for s in _TICKS if span / s <= 12), _TICKS[-1])
    shift = 4 * DAY if step % (7 * DAY) == 0 else 0  # day 4 of 1970 was a Monday
    clock = step < DAY
    ticks = []
    said = ""  # the date (or year) the last tick named: named again where it changes
    at = ((start - shift) // step) * step + shift
    at = at if at >= start else at + step
    while at < end:
        moment = datetime.fromtimestamp(at, UTC)
        text, then = (
            (f"{moment:%H:%M}", f"{moment:%d %b}") if clock else (f"{moment:%d %b}", f"{moment:%Y}")
        )
        if then != said:
            said = then
            text += f"<br><b>{then}</b>"
        left = 100 * (at - start) / span
        ticks.append(f'<span class="tick" style="left:{left:.2f}%">{text}</span>')
        at += step
    return f'<div class="axis" aria-hidden="true">{"".join(ticks)}</div>'


def _bucket_label(at: float, unit: int) -> str:
    moment = datetime.fromtimestamp(at, UTC)
    if unit == HOUR:
        end = datetime.fromtimestamp(at + HOUR, UTC)
        return f"{moment:%Y-%m-%d %H:%M}–{end:%H:%M}"
    return f"{moment:%Y-%m-%d}"


def _date(at: float, start: float | None = None) -> str:
    """`2026-01-01 00:20`, or only `00:40` when `start` was the same day."""
    moment = datetime.fromtimestamp(at, UTC)
    if start is not None and datetime.fromtimestamp(start, UTC).date() == moment.date():
        return f"{moment:%H:%M}"
    return f"{moment:%Y-%m-%d %H:%M}"


# --- each entry ----------------------------------------------------------------------


def _entry_section(
    summary: Summary, tally: Tally, ranked: Sequence[Tally], allowance: _Allowance
) -> str:
    entry = tally.entry
    found = {t.entry.id for t in ranked}
    where = (
        f"{_lines(tally.count)}, first {_when(summary, tally.first_at, tally.first, True)}, "
        f"last {_when(summary, tally.last_at, tally.last, True)}"
    )
    parts = [
        f'<article class="entry {entry.severity.value}" id="{_text(entry.id)}">',
        f"<h3>{_badge(entry.severity)} <code>{_breakable(entry.id)}</code> "
        f"{_text(entry.title)}{_draft_badge(entry)}</h3>",
        '<dl class="meta">',
        f"<div><dt>Systems</dt><dd>{_text(', '.join(entry.systems))}</dd></div>",
        f"<div><dt>In this log</dt><dd>{where}</dd></div>",
        "</dl>",
    ]
    todo = draft_fields(entry)
    if todo:
        parts.append(
            f'<p class="callout">A draft from <code>junidiag catalog new</code>: '
            f"{_text(', '.join(todo))} still say TODO.</p>"
        )
    if stops_connector(entry):
        parts.append(
            '<p class="callout">Critical: all syncs of that connector have probably stopped. '
            "Reconnect it first (Connectors page), then retry the failed tasks.</p>"
        )
    parts.append(f"<h4>Why</h4><p>{_text(entry.cause)}</p>")
    steps = "".join(f"<li>{_text(step)}</li>" for step in entry.solution)
    parts.append(f'<h4>Fix</h4><ol class="fix">{steps}</ol>')
    if entry.notes:
        notes = "".join(f"<li>{_text(note)}</li>" for note in entry.notes)
        parts.append(f"<h4>Note</h4><ul>{notes}</ul>")
    parts.append(_examples(tally, allowance))
    if entry.related:
        related = ", ".join(
            _id_link(other) if other in found else f"<code>{_text(other)}</code>"
            for other in entry.related
        )
        parts.append(f'<p class="related">Related: {related}</p>')
    if entry.references:
        links = "".join(f"<li>{_reference(ref)}</li>" for ref in entry.references)
        parts.append(f'<h4>References</h4><ul class="refs">{links}</ul>')
    parts.append('<p class="back"><a href="#summary">↑ Back to the summary</a></p>')
    parts.append("</article>")
    return "".join(parts)


def _examples(tally: Tally, allowance: _Allowance) -> str:
    """The entry's first lines in the log, with their numbers, what was recognised in
    each and its English translation (while the `allowance` lasts; then the first
    line only, cut short)."""
    if not tally.examples:
        return ""
    items = []
    before: tuple[str, str | None] | None = None
    for number, example in enumerate(tally.examples):
        match = example.match
        quoted = _text(example.text)
        if not allowance.take(quoted):
            if number:
                break
            quoted = _text(_cut(example.text, CUT_SHORT))
        said = [
            f'<span class="ln">line {example.line:,}</span>',
            f'<code class="line">{quoted}</code>',
        ]
        recognised = (match.matched_text.strip(), match.translation)
        if recognised != before:  # said once for lines that say the same
            if recognised[0] and recognised[0] != example.text.strip():
                language = languages.name_of(match.language)
                said.append(
                    f'<span class="said">Recognised: <q>{_text(_cut(recognised[0], CUT_SHORT))}'
                    f"</q> ({_text(language)})</span>"
                )
            if match.translation:
                said.append(
                    f'<span class="said">In English: <q>{_text(match.translation)}</q></span>'
                )
        before = recognised
        items.append(f"<li>{''.join(said)}</li>")
    more = tally.count - len(items)
    rest = f'<p class="more">… and {_lines(more)} more.</p>' if more > 0 else ""
    heading = "The line in the log" if tally.count == 1 else "Lines in the log"
    return f'<h4>{heading}</h4><ul class="examples">{"".join(items)}</ul>{rest}'


# --- error lines nothing recognised ---------------------------------------------------


def _unknown_section(summary: Summary) -> str:
    if not summary.unknown_lines:
        return ""
    ranked = summary.unknown_ranked()
    shown = ranked[:UNKNOWN_LISTED]
    kept = ""
    if len(summary.unknown) >= UNKNOWN_SHAPES_KEPT:
        kept = f" (the first {UNKNOWN_SHAPES_KEPT:,} shapes kept apart)"
    intro = (
        f"<p>{_lines(summary.unknown_lines)} at an error level (ERROR, FATAL, CRITICAL, FEL, "
        f"FEIL) matched no entry: {_count(len(ranked), 'shape')} once numbers are left "
        f"out{kept}. To teach junidiag one, draft an entry with the command under its "
        "example, write its cause and fix, and run again with <code>--catalog DIR</code>.</p>"
    )
    rows: list[str] = []
    allowance = _Allowance(QUOTED_IN_UNKNOWN)
    for unknown in shown:
        command = draft_command(unknown.example)
        row = (
            "<tr>"
            f'<td data-label="Count" class="num">{unknown.count:,}</td>'
            f'<td data-label="First" class="when">'
            f"{_when(summary, unknown.first_at, unknown.first)}</td>"
            f'<td data-label="Last" class="when">{_when(summary, unknown.last_at, unknown.last)}'
            "</td>"
            f'<td data-label="Example"><code class="line">{_text(unknown.example)}</code>'
            f'<span class="draft">Draft an entry: <code class="command">{_text(command)}</code>'
            "</span></td></tr>"
        )
        if not allowance.take(row) and len(rows) >= 3:
            break
        rows.append(row)
    shown = shown[: len(rows)]
    rest = summary.unknown_lines - sum(u.count for u in shown)
    more = ""
    if rest > 0:
        others = len(ranked) - len(shown)
        shapes = f"{_count(others, 'more shape')}" if others else "more shapes"
        more = f'<p class="more">… and {_lines(rest)} of {shapes}.</p>'
    return (
        '<section id="unrecognised"><h2>Error lines nothing recognised</h2>'
        f"{intro}"
        '<table class="stack"><thead><tr><th scope="col" class="num">Count</th>'
        '<th scope="col" class="when">First</th><th scope="col" class="when">Last</th>'
        f'<th scope="col">Example</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
        f"{more}</section>"
    )


def draft_command(line: str) -> str:
    """`junidiag catalog new MY_ERROR --from '<line>'`, as the terminal's summary gives
    it (`logview.draft_command`, which this module does not import: it loads Rich)."""
    return f"junidiag catalog new MY_ERROR --from {shlex.quote(neutralise(line.strip()))}"


def _footer(now: float | None) -> str:
    """Who made the report and when: now, or `SOURCE_DATE_EPOCH` when set (a report
    made twice from the same log is then the same file)."""
    import os
    from importlib.metadata import PackageNotFoundError, version

    try:
        made = f"junidiag {version('junidiag')}"
    except PackageNotFoundError:
        made = "junidiag"
    if now is None:
        fixed = os.environ.get("SOURCE_DATE_EPOCH", "")
        now = float(fixed) if fixed.isdigit() else time.time()
    moment = datetime.fromtimestamp(now, UTC)
    return (
        f"<footer><p>Made by {_text(made)} on {moment:%Y-%m-%d %H:%M} UTC, offline. "
        "This file loads nothing and runs no scripts; links lead only to the catalog's "
        "references.</p></footer>"
    )


# --- pieces --------------------------------------------------------------------------


class _Allowance:
    """How much more log text the report may quote (see `QUOTED_IN_ENTRIES`)."""

    def __init__(self, chars: int) -> None:
        self.left = chars

    def take(self, quoted: str) -> bool:
        """Whether `quoted` fits in what is left (and, if so, take it)."""
        if len(quoted) > self.left:
            return False
        self.left -= len(quoted)
        return True


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(text: str) -> str:
    """Text from a log, a catalog or the user, safe in HTML content and in a quoted
    attribute: control and invisible characters shown (`neutralise`), then escaped."""
    return html.escape(neutralise(text), quote=True)


def _id_link(entry_id: str) -> str:
    return f'<a class="id" href="#{_text(entry_id)}"><code>{_breakable(entry_id)}</code></a>'


def _breakable(entry_id: str) -> str:
    """An id that may wrap after its underscores (`FORTNOX_<wbr>FISCAL_<wbr>YEAR`) in a
    narrow column, never inside a word."""
    return _text(entry_id).replace("_", "_<wbr>")


def _badge(severity: Severity) -> str:
    return f'<span class="badge {severity.value}">{severity.value.upper()}</span>'


def _draft_badge(entry: Entry) -> str:
    return ' <span class="badge draft">DRAFT</span>' if draft_fields(entry) else ""


def _reference(reference: str) -> str:
    """A link when the reference is an http(s) URL (nothing else becomes an href: not
    `javascript:`, not `data:`), else the reference as text."""
    shown = _text(reference)
    if is_web_url(reference):
        return f'<a href="{html.escape(reference, quote=True)}" rel="noreferrer">{shown}</a>'
    return shown


def is_web_url(text: str) -> bool:
    """Whether `text` is one http(s) URL with a host and nothing a browser would read
    otherwise: no spaces, controls, invisible characters or backslashes."""
    if not text.startswith(("https://", "http://")) or neutralise(text) != text:
        return False
    if any(char.isspace() or char in '\\"<>`' for char in text):
        return False
    host = text.split("://", 1)[1].split("/", 1)[0]
    return bool(host) and not host.startswith(("@", ":"))


def _when(summary: Summary, stamp: Stamp | None, number: int, whole: bool = False) -> str:
    """First or last: the time when lines carry one (the date too when the log spans
    days, or `whole`), with the line number in the cell's tooltip; else the line
    number."""
    if stamp is None:
        return f"line {number:,}"
    shown = stamp.time if summary.one_day() and stamp.time and not whole else _stamp(stamp)
    return f'<span title="line {number:,}">{_text(shown)}</span>' + (
        f" (line {number:,})" if whole else ""
    )


def _stamp(stamp: Stamp) -> str:
    return f"{stamp.date} {stamp.time}".strip()


def _duration(seconds: float, parts: int = 2) -> str:
    """`19 h 58 min`, `3 days 4 h`, `42 s`; with `parts=1`, the first of them rounded
    (`20 h`)."""
    if parts == 1:
        for size in (86400, 3600, 60):
            if seconds >= size:
                seconds = round(seconds / size) * size
                break
    seconds = round(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    shown: Iterable[tuple[int, str]]
    if days:
        shown = ((days, " day" if days == 1 else " days"), (hours, " h"))
    elif hours:
        shown = ((hours, " h"), (minutes, " min"))
    elif minutes:
        shown = ((minutes, " min"), (secs, " s"))
    else:
        shown = ((secs, " s"),)
    said = [f"{value}{unit}" for value, unit in shown if value][:parts]
    return " ".join(said) or "0 s"


def _lines(count: int) -> str:
    return _count(count, "line")


def _count(number: int, one: str) -> str:
    return f"{number:,} {one if number == 1 else one + 's'}"


# --- the page's look -----------------------------------------------------------------

_PATTERNS = (
    '<svg class="patterns" width="0" height="0" aria-hidden="true" focusable="false"><defs>'
    '<pattern id="fill-error" patternUnits="userSpaceOnUse" width="6" height="6" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
    '<rect width="3.5" height="6" fill="#c2410c"/></pattern>'
    '<pattern id="fill-warning" patternUnits="userSpaceOnUse" width="5" height="5">'
    '<rect width="5" height="5" fill="#fff"/><circle cx="2.5" cy="2.5" r="1.5" '
    'fill="#92400e"/></pattern>'
    "</defs></svg>"
)
"""Fills the timeline's bars are told apart by in black and white: critical solid,
error hatched, warning dotted, info an outline (see `_STYLE`)."""

_STYLE = """
:root{--ink:#1f2328;--dim:#59636e;--line:#d1d9e0;--paper:#fff;--soft:#f6f8fa;
--critical:#9f1239;--error:#c2410c;--warning:#92400e;--info:#075985;--link:#0550ae}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0 auto;max-width:72rem;padding:1.25rem;color:var(--ink);background:var(--paper);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
h1{font-size:1.6rem;margin:.2rem 0 .4rem;overflow-wrap:anywhere}
h2{font-size:1.3rem;margin:2rem 0 .6rem;padding-bottom:.25rem;border-bottom:2px solid var(--line)}
h3{font-size:1.1rem;margin:0 0 .5rem;overflow-wrap:anywhere}
h4{font-size:.95rem;margin:1rem 0 .3rem;text-transform:uppercase;letter-spacing:.04em;
color:var(--dim)}
a{color:var(--link)}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;
font-size:.9em}
.verdict{font-size:1.1rem;margin:.2rem 0 1rem}
dl{margin:0}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.5rem;
margin-bottom:1rem}
.facts div{border:1px solid var(--line);border-radius:6px;padding:.4rem .7rem}
.facts .wide{grid-column:span 2}
.facts dt,.meta dt{font-size:.8rem;color:var(--dim)}
.facts dd,.meta dd{margin:0;overflow-wrap:anywhere}
.meta{display:flex;flex-wrap:wrap;gap:.3rem 2rem;margin:.2rem 0 .4rem}
.callout{border:1px solid var(--line);border-left:6px solid var(--ink);background:var(--soft);
padding:.6rem .9rem;border-radius:4px}
.callout h2{border:0;margin:0 0 .3rem;padding:0;font-size:1.1rem}
.callout ul{margin:0;padding-left:1.2rem}
.callout .ids{display:block;font-size:.9rem}
.badge{display:inline-block;min-width:5.6em;text-align:center;font-size:.75rem;font-weight:700;
letter-spacing:.05em;border:2px solid currentColor;border-radius:4px;padding:0 .35em;
vertical-align:.1em;white-space:nowrap;justify-self:start}
.badge.critical{background:var(--critical);border-color:var(--critical);color:#fff}
.badge.error{color:var(--error)}
.badge.warning{color:var(--warning);border-style:dashed}
.badge.info{color:var(--info);border-style:dotted}
.badge.draft{color:var(--dim);min-width:0}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--line)}
th{font-size:.85rem;color:var(--dim);border-bottom-width:2px}
.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.when{text-align:right;font-variant-numeric:tabular-nums;min-width:6.5em}
a.id{text-decoration:none}
a.id:hover code,a.id:focus code{text-decoration:underline}
.line{display:block;white-space:pre-wrap;overflow-wrap:anywhere;background:var(--soft);
border:1px solid var(--line);border-radius:4px;padding:.3rem .5rem;margin:.15rem 0}
.draft{display:block;font-size:.85rem;color:var(--dim)}
.command{white-space:pre-wrap;overflow-wrap:anywhere;color:var(--ink)}
.more,.back,.related{font-size:.9rem;color:var(--dim)}
.legend{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;font-size:.85rem;color:var(--dim)}
.key{display:inline-flex;align-items:center;gap:.35rem}
.key svg{width:1.4rem;height:1rem}
.patterns{position:absolute;width:0;height:0;overflow:hidden}
.timeline{min-width:0}
.tl-row{display:grid;grid-template-columns:minmax(7rem,17rem) minmax(0,1fr) 3.5rem;
align-items:end;gap:.6rem;padding:.15rem 0;border-bottom:1px dotted var(--line)}
.tl-row.total{font-weight:700;border-bottom:2px solid var(--line)}
.tl-id{font-size:.8rem;overflow-wrap:anywhere;align-self:center}
.tl-peak{font-size:.8rem;color:var(--dim);text-align:right;font-variant-numeric:tabular-nums;
align-self:center}
svg.strip{display:block;width:100%;height:2rem}
.strip .base{fill:none;stroke:var(--dim);stroke-width:1;vector-effect:non-scaling-stroke}
.bar{stroke-width:1;vector-effect:non-scaling-stroke}
.bar.all{fill:var(--ink);stroke:var(--ink)}
.bar.critical{fill:var(--critical);stroke:var(--critical)}
.bar.error{fill:url(#fill-error);stroke:var(--error)}
.bar.warning{fill:url(#fill-warning);stroke:var(--warning)}
.bar.info{fill:#fff;stroke:var(--info);stroke-width:1.5}
.axis-row{border:0}
.axis{position:relative;height:2.4rem;font-size:.72rem;color:var(--dim)}
.tick{position:absolute;top:0;padding-left:3px;border-left:1px solid var(--dim);line-height:1.2;
white-space:nowrap}
.tick b{font-weight:600;color:var(--ink)}
article.entry{border:1px solid var(--line);border-left:6px solid var(--line);border-radius:6px;
padding:.9rem 1rem;margin:1rem 0;break-inside:avoid-page}
article.entry.critical{border-left-color:var(--critical)}
article.entry.error{border-left-color:var(--error)}
article.entry.warning{border-left-color:var(--warning);border-left-style:dashed}
article.entry.info{border-left-color:var(--info);border-left-style:dotted}
article p{margin:.3rem 0}
.fix li{margin:.15rem 0}
.examples{list-style:none;padding:0;margin:0}
.examples li{margin:.4rem 0}
.ln{font-size:.8rem;color:var(--dim)}
.said{display:block;font-size:.9rem}
.refs{font-size:.9rem;padding-left:1.2rem;overflow-wrap:anywhere}
footer{margin-top:2.5rem;border-top:1px solid var(--line);font-size:.85rem;color:var(--dim)}
:target{scroll-margin-top:1rem}
article.entry:target{outline:3px solid var(--link)}
@media (max-width:40rem){
body{padding:.75rem;font-size:15px}
h1{font-size:1.3rem}
table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
table.stack tr{border:1px solid var(--line);border-radius:6px;margin:.6rem 0;padding:.3rem .6rem}
table.stack td{display:grid;grid-template-columns:4.5rem minmax(0,1fr);gap:.6rem;border:0;
padding:.1rem 0;text-align:left;white-space:normal}
table.stack td::before{content:attr(data-label);font-size:.75rem;color:var(--dim);
align-self:center}
.tl-row{grid-template-columns:minmax(0,1fr) 2.5rem;gap:.1rem .4rem}
.tl-id{grid-column:1/-1}
.axis-row>span{display:none}
.tick:nth-child(even){display:none}
}
@media print{
@page{margin:1.5cm}
body{max-width:none;padding:0;font-size:10.5pt}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
a{color:inherit;text-decoration:none}
.refs a::after{content:" <" attr(href) ">";font-size:.85em;overflow-wrap:anywhere}
.back{display:none}
h2{break-after:avoid-page}
.tl-row,tr,.examples li{break-inside:avoid-page}
article.entry{border-left-width:4px}
}
"""
