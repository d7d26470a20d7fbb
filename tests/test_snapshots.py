"""Whole outputs, pinned: the panels at 100 columns, the Markdown, and the JSON of every
command. A change that shifts any of them fails here and shows in review; when the
change is meant, update with JUNIDIAG_UPDATE_SNAPSHOTS=1 and read the diff."""

from __future__ import annotations

import pytest

EXPLAINED = {
    "currency-mismatch": "Currency EUR and Currency SEK does not match",
    "swedish-vat-in-a-log-line": (
        "2026-01-02T07:15:40Z ERROR [task 812] Export Orders Shopify → Fortnox: "
        "Kunde inte hitta moms"
    ),
    "description": "kreditfakturan i Fortnox saknar rabattraden så beloppet blir för högt",
    "no-match": "the weather in Gothenburg is lovely today",
}


@pytest.mark.parametrize("name", list(EXPLAINED))
@pytest.mark.parametrize("format", ["text", "markdown", "json"])
def test_explain_output(run, snapshot, name: str, format: str) -> None:
    result = run("explain", "--format", format, EXPLAINED[name])
    snapshot(f"explain-{name}.{format}", result.stdout)


@pytest.mark.parametrize("format", ["text", "markdown", "json"])
def test_show_output(run, snapshot, format: str) -> None:
    snapshot(
        f"show-FORTNOX_FISCAL_YEAR.{format}",
        run("show", "-f", format, "fortnox_fiscal_year").stdout,
    )


@pytest.mark.parametrize("format", ["text", "markdown", "json"])
def test_list_output(run, snapshot, format: str) -> None:
    result = run("list", "--format", format, "--system", "SAP Business One")
    snapshot(f"list-sap.{format}", result.stdout)


LOG = (
    "2026-01-01T00:00:01Z INFO [task 1] Export Orders Shopify → Fortnox: 35 orders exported\n"
    "2026-01-01T00:00:02Z ERROR [task 2] Export Orders Shopify → Fortnox: "
    "Fiscal year not available\n"
    "2026-01-01T00:00:03Z ERROR [task 3] Visma.net: invalid_grant\n"
)


@pytest.mark.parametrize("format", ["text", "json"])
def test_log_output(run, snapshot, format: str) -> None:
    snapshot(f"log.{format}", run("explain", "--format", format, input=LOG).stdout)


@pytest.mark.parametrize("format", ["text", "json"])
def test_catalog_check_output(run, snapshot, format: str) -> None:
    result = run("catalog", "check", "--format", format)
    assert result.exit_code == 0
    snapshot(f"catalog-check.{format}", result.stdout)


def test_catalog_new_json(run, snapshot, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(
        "catalog", "new", "ACME_LOCKED", "--json", "--dir", "drafts",
        "--from", "2026-11-24 ERROR [task 1] Lagret Nord är låst för inventering",
    )  # fmt: skip
    assert result.exit_code == 0
    snapshot("catalog-new.json", result.stdout)


NEW_YEAR = "".join(
    f"{stamp} INFO [task {n}] Export Orders Shopify → Fortnox: 12 orders exported\n"
    + (f"{stamp} ERROR [task {n}] Fortnox: Fiscal year not available\n" if n >= 12 else "")
    + (f"{stamp} ERROR [task {n}] Lagret Nord är låst för inventering\n" if n in (5, 30) else "")
    for n, stamp in enumerate(
        f"{'2025-12-31' if m < 120 else '2026-01-01'}T{(22 + m // 60) % 24:02}:{m % 60:02}:00Z"
        for m in range(0, 480, 10)
    )
)


@pytest.mark.parametrize("width", [100, 60])
def test_log_summary_with_times_and_unrecognised_errors(run, snapshot, width: int) -> None:
    result = run("explain", "--summary", input=NEW_YEAR, env={"COLUMNS": str(width)})
    snapshot(f"log-new-year-{width}.text", result.stdout)
