"""Contracts a deliberate one-character bug would break, each pinned by a test that kills it.

A mutation round (a small bug at a time) showed these survived the suite: a score
exactly at the threshold, the runner-up margin, the repeat advice at exactly ten lines,
`-q` with a single message, the line-breaking characters in `explain --json`, and a
Ctrl-C summary that was never checked.
"""

from __future__ import annotations

import json

from conftest import DATA

from junidiag.matching import RUNNER_UP_MARGIN, THRESHOLD
from junidiag.matching.matcher import _confident_of
from junidiag.model import REPEAT_ADVICE_AT, Match


def _matches(*scores: int) -> list[Match]:
    from junidiag import api

    entries = list(api.load_catalog())
    return [Match(entries[n], score, "symptom", "text", "en") for n, score in enumerate(scores)]


def test_a_score_exactly_at_the_threshold_is_confident() -> None:
    assert THRESHOLD == 60
    assert [m.score for m in _confident_of(_matches(60))] == [60]
    assert _confident_of(_matches(59)) == []


def test_runners_up_within_the_margin_are_also_possible_and_no_further() -> None:
    assert RUNNER_UP_MARGIN == 15
    kept = _confident_of(_matches(100, 85, 84, 61))
    assert [m.score for m in kept] == [100, 85]


VAT_LINE = "2026-01-02T07:15:40Z ERROR [task {n}] Shopify → Fortnox: Kunde inte hitta moms"


def test_the_repeat_advice_starts_at_exactly_ten_lines(run) -> None:
    assert REPEAT_ADVICE_AT == 10
    advice = "FORTNOX_VAT_NOT_FOUND accounts for 10 lines: this points to one configuration"
    ten = run("explain", input="\n".join(VAT_LINE.format(n=n) for n in range(10)) + "\n")
    assert advice in " ".join(ten.stdout.split())
    nine = run("explain", input="\n".join(VAT_LINE.format(n=n) for n in range(9)) + "\n")
    assert "accounts for" not in nine.stdout
    assert "9 of 9 lines matched 1 known error:" in nine.stdout


def test_quiet_prints_nothing_for_a_message_in_any_format(run) -> None:
    for format in ("text", "json", "markdown"):
        found = run("explain", "-q", "--format", format, "Fiscal year not available")
        assert (found.exit_code, found.stdout, found.stderr) == (0, "", "")
        missed = run("explain", "-q", "--format", format, "the weather is lovely")
        assert (missed.exit_code, missed.stdout, missed.stderr) == (1, "", "")


def test_quiet_prints_nothing_for_a_log_in_any_format_and_keeps_its_exit_code(run) -> None:
    log = "2026-01-02 10:00:00 ERROR [task 1] Fortnox: Fiscal year not available\nall good\n"
    for format in ("text", "json", "html"):
        found = run("explain", "-q", "--format", format, input=log)
        assert (found.exit_code, found.stdout, found.stderr) == (0, "", ""), format
        failed = run("explain", "-q", "--format", format, "--fail-on", "error", input=log)
        assert (failed.exit_code, failed.stdout, failed.stderr) == (3, "", ""), format


def test_line_breaking_characters_are_escaped_in_the_json_of_one_message(run) -> None:
    text = "Fiscal year not available\u2028\u0085\u2029 for order 7"
    out = run("explain", "--json", text).stdout
    assert out.count("\n") == 1  # one line, whatever reads it
    for raw, escaped in (("\u2028", "\\u2028"), ("\u0085", "\\u0085"), ("\u2029", "\\u2029")):
        assert raw not in out and escaped in out
    assert json.loads(out)["query"] == text


def test_the_catalog_ids_file_in_tests_data_lists_every_bundled_entry(run) -> None:
    rows = (DATA / "catalog-ids.tsv").read_text(encoding="utf-8").splitlines()[1:]
    listed = json.loads(run("list", "--json").stdout)
    assert sorted(r.split("\t")[0] for r in rows) == sorted(e["id"] for e in listed)
