"""The HTML report in a real browser (issue 20): headless Chromium renders a report of a
hostile log, and the DOM it builds holds the ids, the counts and the hostile lines as
text; no script ran and the console stayed quiet.

These need Debian's `chromium` (`apt-get install chromium`; `.ci/run` installs it).
Without a browser they are skipped, saying why; with JUNIDIAG_REQUIRE_BROWSER=1 (which
`.ci/run` sets once Chromium is there) a missing browser fails them instead.
JUNIDIAG_CHROMIUM names another Chromium binary.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_report import ALLOWED_TAGS, HOSTILE, Page, report_of_file

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--enable-logging=stderr", "--v=0",
]  # fmt: skip
"""As the README's picture is made: no network, no profile, the page's console on stderr."""


def chromium() -> str:
    named = os.environ.get("JUNIDIAG_CHROMIUM")
    found = named or next(filter(None, map(shutil.which, BROWSERS)), None)
    if found:
        return found
    reason = (
        "headless Chromium is not installed (Debian: apt-get install chromium; "
        ".ci/run installs it where it can)"
    )
    if os.environ.get("JUNIDIAG_REQUIRE_BROWSER"):
        pytest.fail(reason)
    pytest.skip(reason)


def render(page: Path, profile: Path) -> tuple[str, list[str]]:
    """The DOM Chromium builds from `page`, and what its console said (with anything
    the Content-Security-Policy refused)."""
    result = subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    said = [
        line
        for line in result.stderr.splitlines()
        if ":CONSOLE" in line or "Refused to" in line or "Uncaught" in line
    ]
    return result.stdout, said


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of the hostile log of test_report.py, made as a user makes it."""
    folder = tmp_path_factory.mktemp("report")
    page = folder / "report.html"
    page.write_text(report_of_file(folder / "hostile-sync.log"), encoding="utf-8")
    return page


def test_chromium_renders_the_report_with_its_ids_counts_and_hostile_lines_as_text(
    hostile_report: Path, tmp_path: Path
) -> None:
    dom, console = render(hostile_report, tmp_path / "profile")
    dom = dom.replace("<wbr>", "")  # where an id may wrap
    assert console == []  # no errors, nothing refused: the page asks for nothing
    parsed = Page(dom)
    # a hostile line would set the title if it ran: it is the report's own
    assert parsed.title == "Sync log triage: hostile-sync.log"
    assert set(parsed.tags) <= ALLOWED_TAGS, set(parsed.tags) - ALLOWED_TAGS
    assert not {"script", "img", "iframe"} & set(parsed.tags)
    assert not [name for _, name, _ in parsed.attributes if name.startswith("on")]
    text = parsed.all_text
    for hostile in HOSTILE[:4]:
        assert hostile in text, hostile
    for entry_id, count in (
        ("OAUTH_INVALID_GRANT", 1),
        ("FORTNOX_FISCAL_YEAR", 3),
        ("FORTNOX_VAT_NOT_FOUND", 1),
    ):
        assert entry_id in parsed.ids
        assert f"#{entry_id}" in parsed.hrefs
        row = re.search(
            rf'<a class="id" href="#{entry_id}"><code>{entry_id}</code></a></td>'
            rf'<td data-label="Title">.*?</td><td data-label="Count" class="num">(\d+)</td>',
            dom,
        )
        assert row is not None and int(row.group(1)) == count, entry_id
    assert {"summary", "timeline", "entries", "unrecognised"} <= parsed.ids
    strips = re.findall(r'<svg class="strip"', dom)
    assert len(strips) == 4


def test_a_script_that_got_in_would_be_blocked_and_seen(
    hostile_report: Path, tmp_path: Path
) -> None:
    """The checks above are not vacuous: a script slipped into the report is refused
    by its Content-Security-Policy, and is seen; without the policy it runs."""
    text = hostile_report.read_text(encoding="utf-8")
    script = '<script>document.title="pwned";console.log("ran")</script>'
    injected = tmp_path / "injected.html"
    injected.write_text(text.replace("<main>", "<main>" + script, 1), encoding="utf-8")
    dom, console = render(injected, tmp_path / "profile")
    assert Page(dom).title == "Sync log triage: hostile-sync.log"
    assert any("Content Security Policy" in line for line in console), console

    unguarded = tmp_path / "unguarded.html"
    policy = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n')
    unguarded.write_text(policy.sub("", injected.read_text(encoding="utf-8")), encoding="utf-8")
    dom, console = render(unguarded, tmp_path / "profile")
    assert Page(dom).title == "pwned"
    assert any('"ran"' in line for line in console), console
