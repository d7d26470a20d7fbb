"""The HTML triage report of a log (issue 20): what it holds, that a hostile log or
catalog injects nothing, that it stays small, and the summary data it is built from.

The report in a real browser is tested in test_report_browser.py."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from junidiag import api, logrun
from junidiag.model import Summary
from junidiag.output import report as report_module
from junidiag.output.report import CSP, is_web_url

HOSTILE = [
    '<script>document.title="pwned"</script>',
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(document.domain)",
    "</code></td></tr></table><iframe src=//evil.example>",
    "\x1b]0;title\x07 \u202eevil",
]
LOG = "\n".join(
    [
        "2025-12-31T22:00:04Z INFO [task 1] Export Orders Shopify → Fortnox: 35 orders exported",
        "2025-12-31T22:30:05Z ERROR [task 2] Export Orders Shopify → Fortnox: Kunde inte hitta moms",  # noqa: E501
        "2026-01-01T00:00:05Z ERROR [task 3] Export Orders Shopify → Fortnox: Fiscal year not available",  # noqa: E501
        "2026-01-01T00:10:05Z ERROR [task 4] Export Orders Shopify → Fortnox: Fiscal year not available "  # noqa: E501
        + HOSTILE[0],
        "2026-01-01T00:20:07Z ERROR [task 5] Visma.net: invalid_grant " + HOSTILE[1],
        "2026-01-01T00:30:09Z ERROR [task 6] Lagret Nord är låst för inventering " + HOSTILE[0],
        "2026-01-01T00:40:05Z ERROR [task 7] Export Orders Shopify → Fortnox: Fiscal year not available "  # noqa: E501
        + HOSTILE[3],
        "2026-01-01T01:40:05Z FEL [task 8] Kassan är stängd " + HOSTILE[2] + " " + HOSTILE[4],
        "2026-01-01T03:47:00Z INFO [task 9] Export Orders Shopify → Fortnox: 12 orders exported",
    ]
)


BLOCKS = {"p", "dt", "dd", "li", "td", "th", "div", "h1", "h2", "h3", "h4", "br", "tr"}
"""Elements whose text stands apart from the text around them."""


class Page(HTMLParser):
    """A parsed report: its elements, attributes, ids, links and text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []
        self.title = ""
        self._in = ""
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value) for name, value in attrs)
        self._in = tag
        if tag in BLOCKS:
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self._in = ""
        if tag in BLOCKS:
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in == "title" and "body" not in self.tags:  # the page's, not an SVG's
            self.title += data
        elif self._in != "style":
            self.text.append(data)

    @property
    def ids(self) -> set[str]:
        return {value or "" for _, name, value in self.attributes if name == "id"}

    @property
    def hrefs(self) -> list[str]:
        return [value or "" for _, name, value in self.attributes if name == "href"]

    @property
    def all_text(self) -> str:
        return "".join(self.text)


def html_of(run, text: str, *args: str) -> str:
    result = run("explain", "--format", "html", *args, input=text + "\n")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


# --- what the report holds -------------------------------------------------------------


def test_the_report_is_one_html_document_with_the_summary_of_the_terminal(run) -> None:
    page = html_of(run, LOG)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert page.rstrip().endswith("</html>")
    parsed = Page(page)
    text = " ".join(parsed.all_text.split())
    assert (
        "5 of 9 lines matched 3 known errors (1 critical, 2 errors); 2 error lines matched" in text
    )
    # the header's facts: span, lines read, matched, unrecognised
    assert "Time span 2025-12-31 22:00:04 → 2026-01-01 03:47:00 (5 h 46 min)" in text
    assert "Lines read 9" in text and "Matched 5 (3 known errors)" in text
    assert "Unrecognised error lines 2 (2 shapes)" in text
    # the same entries and counts as the terminal's summary
    terminal = run("explain", "--summary", input=LOG + "\n").stdout
    for entry_id, count in (("OAUTH_INVALID_GRANT", 1), ("FORTNOX_FISCAL_YEAR", 3)):
        assert re.search(rf"{entry_id} +│ .* │ +{count} │", terminal)
        assert entry_id in parsed.ids
        assert f"#{entry_id}" in parsed.hrefs
        assert re.search(
            rf'href="#{entry_id}"><code>{entry_id}</code></a></td><td data-label="Title">'
            rf'[^<]*</td><td data-label="Count" class="num">{count}</td>',
            page.replace("<wbr>", ""),  # ids may wrap after an underscore
        )
    assert {"summary", "timeline", "entries", "unrecognised"} <= parsed.ids


def test_entries_are_most_severe_then_most_frequent_first(run) -> None:
    page = html_of(run, LOG)
    rows = re.findall(r'<tr><td data-label="ID"><a class="id" href="#(\w+)"', page)
    assert rows == ["OAUTH_INVALID_GRANT", "FORTNOX_FISCAL_YEAR", "FORTNOX_VAT_NOT_FOUND"]
    sections = re.findall(r'<article class="entry \w+" id="(\w+)"', page)
    assert sections == rows


def test_each_entry_explains_itself_with_its_lines_from_the_log(run) -> None:
    page = html_of(run, LOG)
    vat = page[page.index('id="FORTNOX_VAT_NOT_FOUND"') :]
    vat = vat[: vat.index("</article>")]
    text = " ".join(Page(vat).all_text.split())
    entry = api.load_catalog().get("FORTNOX_VAT_NOT_FOUND")
    assert entry is not None
    assert " ".join(entry.cause.split()) in text
    assert re.search(rf'<ol class="fix">(<li>[^<]+</li>){{{len(entry.solution)}}}</ol>', vat)
    assert "Systems Fortnox" in text
    assert '<span class="ln">line 2</span><code class="line">2025-12-31T22:30:05Z ERROR' in vat
    assert "Recognised: Kunde inte hitta moms (Swedish)" in text  # <q> draws the quotes
    assert "In English: Could not retrieve/find VAT" in text  # the matched message's
    for reference in entry.references:
        if reference.startswith("https://"):
            assert f'<a href="{reference}" rel="noreferrer">' in vat
    fiscal = page[page.index('id="FORTNOX_FISCAL_YEAR"') :]
    assert re.findall(r'<span class="ln">line ([\d,]+)</span>', fiscal)[:3] == ["3", "4", "7"]


def test_up_to_five_lines_of_an_entry_are_quoted_and_the_rest_counted(run) -> None:
    lines = [
        f"2026-01-01T00:{n:02}:00Z ERROR [task {n}] Fiscal year not available" for n in range(12)
    ]
    page = html_of(run, "\n".join(lines))
    assert re.findall(r'<span class="ln">line (\d+)</span>', page) == ["1", "2", "3", "4", "5"]
    assert "… and 7 lines more." in page
    # the seed's advice: ten or more lines are one configuration problem
    advice = page[page.index('id="advice"') :]
    assert "accounts for 12 lines: this points to one configuration problem" in advice


def test_the_advice_names_a_stopped_connector(run) -> None:
    page = html_of(run, LOG)
    advice = Page(page[page.index('id="advice"') : page.index('id="summary"')]).all_text
    assert "OAUTH_INVALID_GRANT is critical: all syncs of that connector have probably stopped" in (
        " ".join(advice.split())
    )


def test_unrecognised_error_lines_come_by_shape_with_the_command_to_draft_one(run) -> None:
    page = html_of(run, LOG)
    section = page[page.index('id="unrecognised"') :]
    parsed = Page(section)
    commands = [
        " ".join(t.split()) for t in parsed.text if t.startswith("junidiag catalog new MY_ERROR")
    ]
    assert len(commands) == 2
    line = LOG.splitlines()[5]
    assert commands[0] == " ".join(report_module.draft_command(line).split())
    assert "2 lines at an error level (ERROR, FATAL, CRITICAL, FEL, FEIL) matched no entry" in (
        " ".join(parsed.all_text.split())
    )


def test_the_draft_command_is_the_terminals() -> None:
    from junidiag.output.logview import draft_command

    for line in LOG.splitlines():
        assert report_module.draft_command(line) == draft_command(line)


def strips_of(page: str) -> dict[str, str]:
    """Each timeline strip's bars (an SVG path, `M<left> …` per bar) by its label."""
    timeline = page[page.index('id="timeline"') : page.index('id="entries"')]
    found = re.findall(
        r'<title>(\w[\w ]+): .*?</title>.*?<path class="bar \w+" d="([^"]*)"', timeline
    )
    return dict(found)


def test_the_timeline_has_an_hour_a_bar_for_a_days_log(run) -> None:
    """New Year: the fiscal year errors begin at midnight, and it shows."""
    lines = ["2025-12-31T12:00:00Z INFO [task 1] Export Orders Shopify → Fortnox: 3 exported"]
    lines += [
        f"2025-12-31T{hour:02}:30:00Z ERROR [task 2] Kunde inte hitta moms" for hour in (14, 20)
    ]
    lines += [
        f"2026-01-01T{hour:02}:{minute:02}:00Z ERROR [task 3] Fiscal year not available"
        for hour in range(12)
        for minute in range(0, 60, 20)
    ]
    page = html_of(run, "\n".join(lines))
    assert "Each bar is one hour" in page
    strips = strips_of(page)
    assert list(strips) == ["All known errors", "FORTNOX_FISCAL_YEAR", "FORTNOX_VAT_NOT_FOUND"]
    step = 960 / 24  # 12:00 on 31 December to 11:59 on 1 January
    hours = {
        name: [int(int(left) // step) for left in re.findall(r"M(\d+)", bars)]
        for name, bars in strips.items()
    }
    assert hours["FORTNOX_FISCAL_YEAR"] == list(range(12, 24))  # from midnight on
    assert hours["FORTNOX_VAT_NOT_FOUND"] == [2, 8]
    assert hours["All known errors"] == [2, 8, *range(12, 24)]
    assert "FORTNOX_FISCAL_YEAR: 36 lines; the busiest, 2026-01-01 00:00–01:00: 3 lines" in page
    ticks = re.findall(r'<span class="tick"[^>]*>([^<]+)(?:<br><b>([^<]+))?', page)
    assert ticks[0] == ("12:00", "31 Dec")
    assert ("00:00", "01 Jan") in ticks  # midnight says which day it is


def test_the_timeline_of_a_few_hours_has_finer_steps(run) -> None:
    page = html_of(run, LOG)  # 22:00 to 03:47
    found = re.search(r"Each bar is ≈ (\d+) min", page)
    assert found is not None and 2 <= int(found.group(1)) <= 10
    strips = strips_of(page)
    assert list(strips) == [  # all known errors, then each entry
        "All known errors", "OAUTH_INVALID_GRANT", "FORTNOX_FISCAL_YEAR", "FORTNOX_VAT_NOT_FOUND"
    ]  # fmt: skip
    assert strips["FORTNOX_FISCAL_YEAR"].count("M") == 3  # 00:00, 00:10 and 00:40 apart
    ticks = re.findall(r'<span class="tick"[^>]*>([^<]+)', page)
    assert ticks[:3] == ["22:00", "22:30", "23:00"]


def test_the_timeline_has_a_day_a_bar_for_a_months_log(run) -> None:
    lines = [
        f"2026-03-{day:02}T08:00:00Z ERROR [task {day}] Fiscal year not available"
        for day in (1, 2, 2, 20, 31)
    ]
    page = html_of(run, "\n".join(lines))
    assert "Each bar is one day" in page
    assert "FORTNOX_FISCAL_YEAR: 5 lines; the busiest, 2026-03-02: 2 lines" in page
    assert strips_of(page)["FORTNOX_FISCAL_YEAR"].count("M") == 4  # days 1, 2, 20 and 31


def test_the_timeline_of_a_years_log_uses_the_summarys_grid(run) -> None:
    lines = [
        f"{year}-{month:02}-01T08:00:00Z ERROR [task 1] Fiscal year not available"
        for year, month in ((2025, 1), (2025, 6), (2026, 1))
    ]
    page = html_of(run, "\n".join(lines))
    assert re.search(r"Each bar is ≈ \d+ days", page)
    assert strips_of(page)["FORTNOX_FISCAL_YEAR"].count("M") == 3


def test_a_log_without_times_has_line_numbers_and_no_timeline(run) -> None:
    page = html_of(run, "ERROR Fiscal year not available\nall good\nERROR Kunde inte hitta moms")
    assert "there is no timeline" in page
    assert '<td data-label="First" class="when">line 1</td>' in page
    assert 'class="strip"' not in page


def test_a_log_of_one_line_gets_a_report_too(run) -> None:
    page = html_of(run, "Fiscal year not available")
    assert 'id="FORTNOX_FISCAL_YEAR"' in page


def test_a_log_where_nothing_matched_says_so(run) -> None:
    result = run("explain", "--format", "html", input="all good\nstill good\n")
    assert result.exit_code == 1
    assert "No known error in 2 lines" in result.stdout


def test_quiet_writes_no_report(run) -> None:
    result = run("explain", "--format", "html", "-q", input=LOG + "\n")
    assert result.exit_code == 0
    assert result.stdout == ""


def report_of_file(log: Path) -> str:
    """`junidiag explain --format html < log`, run as a user runs it: stdin is the file."""
    log.write_text(LOG + "\n", encoding="utf-8")
    env = {**os.environ, "JUNIDIAG_CACHE_DIR": str(log.parent / "cache")}
    with log.open("rb") as stdin:
        result = subprocess.run(
            [sys.executable, "-m", "junidiag", "explain", "--format", "html"],
            stdin=stdin, capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_log_name_heads_the_report_when_stdin_is_a_file(tmp_path: Path) -> None:
    page = report_of_file(tmp_path / "acme-sync.log")
    parsed = Page(page)
    assert parsed.title == "Sync log triage: acme-sync.log"
    assert "<dt>Log</dt><dd><code>acme-sync.log</code></dd>" in page
    assert str(tmp_path) not in page  # its name, not where it sits
    assert logrun.log_name(io.BytesIO(b"")) is None


def test_a_piped_log_has_no_name(run) -> None:
    page = html_of(run, LOG)
    assert "<title>Sync log triage</title>" in page
    assert "<dt>Log</dt>" not in page


def test_the_footer_date_follows_source_date_epoch(run) -> None:
    page = run(
        "explain", "--format", "html", input=LOG + "\n", env={"SOURCE_DATE_EPOCH": "0"}
    ).stdout
    assert "on 1970-01-01 00:00 UTC" in page


# --- usage -----------------------------------------------------------------------------


def test_html_with_a_message_is_a_usage_error_saying_it_is_for_a_log(run) -> None:
    result = run("explain", "--format", "html", "Kunde inte hitta moms")
    assert result.exit_code == 2
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert "--format html is for a log read from stdin" in first
    assert first.startswith("junidiag: error: ")


@pytest.mark.parametrize(
    "args", [["show", "TOKEN_EXPIRED"], ["list"], ["catalog", "check"]], ids=" ".join
)
def test_other_commands_have_no_html(run, args) -> None:
    result = run(*args[:1], *args[1:], "--format", "html")
    assert result.exit_code == 2
    assert "--format html is not available here" in result.stderr


def test_html_and_json_do_not_go_together(run) -> None:
    result = run("explain", "--json", "--format", "html", input=LOG + "\n")
    assert result.exit_code == 2


# --- nothing injected --------------------------------------------------------------------

ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "main", "footer", "section",
    "article", "h1", "h2", "h3", "h4", "p", "dl", "dt", "dd", "div", "span", "code", "b", "q",
    "a", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "br", "svg", "defs",
    "pattern", "rect", "circle", "path", "wbr",
}  # fmt: skip


def assert_inert(page: str) -> Page:
    """Nothing in `page` can run or load: no script, no element or attribute beyond the
    report's own, links only within the page or to http(s), and the CSP in place."""
    parsed = Page(page)
    assert "<script" not in page.lower()
    assert set(parsed.tags) <= ALLOWED_TAGS, set(parsed.tags) - ALLOWED_TAGS
    names = {name for _, name, _ in parsed.attributes}
    assert not {n for n in names if n.startswith("on")}, names
    assert "src" not in names
    for href in parsed.hrefs:
        assert href.startswith(("#", "https://", "http://")), href
    styles = [v or "" for _, name, v in parsed.attributes if name == "style"]
    assert all(re.fullmatch(r"left:\d+\.\d\d%", s) for s in styles), styles
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page
    assert CSP == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert "url(" not in page.replace("url(#fill-", "")  # nothing fetched from CSS
    return parsed


def test_a_hostile_log_shows_as_text_and_injects_nothing(run) -> None:
    page = html_of(run, LOG)
    parsed = assert_inert(page)
    text = parsed.all_text
    for hostile in HOSTILE[:4]:
        assert hostile in text, hostile  # shown, as text
    assert "^[]0;title^G <U+202E>evil" in text  # controls and bidi overrides made visible
    assert "\x1b" not in page and "\u202e" not in page
    assert parsed.title == "Sync log triage"


def test_a_hostile_catalog_injects_nothing(run, write_entry, tmp_path: Path) -> None:
    directory = tmp_path / "hostile"
    write_entry(
        "ACME_HOSTILE",
        """\
        id: ACME_HOSTILE
        title: 'Title <script>document.title="pwned"</script>'
        severity: critical
        kind: pattern
        systems: ['Fortnox"><img src=x onerror=alert(1)>']
        messages:
          - text: Lagret {warehouse} är låst för hostile
            lang: sv
            translation: 'The <b onmouseover=alert(1)>{warehouse}</b> is locked'
        cause: 'Because </style><script>alert(1)</script> token'
        solution:
          - '<a href="javascript:alert(1)">click</a>'
        symptoms:
          - a hostile entry
        related: []
        examples:
          - Lagret Syd är låst för hostile
        references:
          - 'javascript:alert(1)'
          - 'data:text/html,<script>alert(1)</script>'
          - 'https://example.com/"onmouseover="alert(1)'
          - 'JAVASCRIPT://example.com/%0aalert(1)'
          - 'https://example.com/docs?a=1&b=2'
        """,
        directory,
    )
    log = "2026-01-01T00:00:00Z ERROR Lagret <i>Nord</i> är låst för hostile\n" * 3
    page = html_of(run, log, "--catalog", str(directory))
    parsed = assert_inert(page)
    assert parsed.hrefs.count("https://example.com/docs?a=1&b=2") == 1
    assert not [h for h in parsed.hrefs if 'example.com/"' in h or "javascript" in h.lower()]
    text = parsed.all_text
    assert 'Title <script>document.title="pwned"</script>' in text
    assert "The <b onmouseover=alert(1)>" in text
    assert "data:text/html,<script>alert(1)</script>" in text
    assert parsed.title == "Sync log triage"


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("https://www.fortnox.se/developer/faq", True),
        ("http://example.com/a?b=c&d=e#f", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        (" https://example.com", False),
        ("https://example.com/ x", False),
        ('https://example.com/"onmouseover=alert(1)', False),
        ("https://", False),
        ("https:///path", False),
        ("https://@evil", False),
        ("https://exa\u202emple.com", False),
        ("https://example.com\\@evil.com", False),
        ("data:text/html,x", False),
        ("owner/repo:docs/errors.md", False),
        ("HTTPS://EXAMPLE.COM", False),  # not written as the catalog writes its URLs
    ],
)
def test_only_http_urls_become_links(text: str, link: bool) -> None:
    assert is_web_url(text) is link


# --- bounded ---------------------------------------------------------------------------


def test_a_big_hostile_log_gives_a_report_under_a_megabyte(run) -> None:
    """Every bundled entry found many times, with long hostile lines (escaping makes
    them longer), and more shapes of unrecognised error lines than a run keeps."""
    catalog = api.load_catalog()
    junk = "<&>\"'" * 150  # 750 characters, each escaped to four or more
    lines = []
    for number in range(3):  # each entry on 6 lines: 5 are kept
        for entry in catalog:
            for example in entry.examples[:2]:
                lines.append(f"2026-01-{number % 28 + 1:02}T08:00:00Z ERROR {example} {junk}")
    words = "alfa bravo charlie delta echo foxtrot golf hotel india juliett kilo lima".split()
    for number in range(1500):
        shape = " ".join(words[(number >> shift) % 12] for shift in (0, 4, 8))
        lines.append(f"2026-01-02T08:00:00Z ERROR {shape} exploded {junk}")
    page = html_of(run, "\n".join(lines))
    size = len(page.encode("utf-8"))
    assert size < 1_000_000, size
    assert page.count('<article class="entry') >= len(catalog) * 0.9
    assert "more shapes" in page
    assert_inert(page)


def test_many_entries_on_many_lines_share_one_note_of_the_seeds_advice() -> None:
    matcher = api.matcher()
    texts = [
        "Fiscal year not available",
        "Kunde inte hitta moms",
        "Kunde inte hitta valuta",
        "429 Too many requests",
        "invalid_grant",
    ]
    summary = Summary()
    number = 0
    for text in texts:
        match = matcher.diagnose(text)[0]
        for _ in range(12):
            number += 1
            summary.add(number, match, None, text)
    page = report_module.report(summary)
    advice = page[page.index('id="advice"') : page.index('id="summary"')]
    assert advice.count("<li>") == 2  # the stopped connector, then one note for all five
    text = " ".join(Page(advice).all_text.split())
    assert "5 entries each account for 10 lines or more; for each, this points to one" in text
    assert "FORTNOX_FISCAL_YEAR (12)" in text
    assert "OAUTH_INVALID_GRANT is critical" in text


def test_an_interrupted_run_says_its_report_is_of_what_was_read() -> None:
    summary = Summary(lines=1234, interrupted=True)
    page = report_module.report(summary, "sync.log", now=0)
    assert "Interrupted after 1,234 lines: this report shows what was read until then." in page
    assert "on 1970-01-01 00:00 UTC" in page
