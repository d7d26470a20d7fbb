"""The bundled catalog: the fixed ids with their severities, and sound content."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from junidiag import api
from junidiag.catalog import bundled_dir

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "tests" / "data" / "catalog-ids.tsv"


def fixed_ids() -> dict[str, tuple[str, str]]:
    with TABLE.open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {row["id"]: (row["severity"], row["kind"]) for row in rows}


def test_catalog_directory_holds_one_file_per_fixed_id() -> None:
    files = sorted(p.stem for p in (ROOT / "catalog").glob("*.yaml"))
    assert files == sorted(fixed_ids())


def test_every_entry_has_the_fixed_severity_and_kind() -> None:
    catalog = api.load_catalog()
    found = {e.id: (e.severity.value, e.kind.value) for e in catalog}
    assert found == fixed_ids()


def test_list_json_gives_the_52_ids_with_their_severities(run) -> None:
    result = run("list", "--json")
    assert result.exit_code == 0
    listed = {e["id"]: e["severity"] for e in json.loads(result.stdout)}
    assert listed == {k: v[0] for k, v in fixed_ids().items()}


@pytest.mark.parametrize("entry", api.load_catalog(), ids=lambda e: e.id)
def test_entry_is_complete_enough_to_be_found(entry) -> None:
    """Every bundled entry can be found by how people describe it, in three languages."""
    assert len(entry.symptoms) >= 6
    assert len(entry.examples) >= 4
    assert entry.solution and entry.cause
    assert len(entry.examples) == len(set(entry.examples))


def test_menu_paths_are_kept_exactly_as_the_seed_writes_them() -> None:
    catalog = api.load_catalog()
    assert any(
        "Settings → Bookkeeping → Fiscal Year" in s
        for s in catalog.get("FORTNOX_FISCAL_YEAR").solution
    )
    assert any(
        "Settings → Bookkeeping → Moms" in s for s in catalog.get("FORTNOX_VAT_NOT_FOUND").solution
    )
    assert any(
        "Configure > Settings > Customer Settings" in s
        for s in catalog.get("FORTNOX_CUSTOMER_NAME_EMPTY").solution
    )


def test_swedish_messages_carry_their_translation() -> None:
    vat = api.load_catalog().get("FORTNOX_VAT_NOT_FOUND")
    message = vat.messages[0]
    assert (message.text, message.lang, message.translation) == (
        "Kunde inte hämta/hitta moms",
        "sv",
        "Could not retrieve/find VAT",
    )


def test_grouped_reference_quotes_the_messages_the_specific_entries_own() -> None:
    catalog = api.load_catalog()
    grouped = {m.text for m in catalog.get("COMMON_FORTNOX_ERRORS_EXPLAINED").messages}
    specific = {
        m.text
        for i in ("FORTNOX_VAT_NOT_FOUND", "FORTNOX_CURRENCY_NOT_FOUND")
        for m in catalog.get(i).messages
    }
    assert grouped <= specific


def test_entry_without_a_named_system_applies_to_any() -> None:
    assert api.load_catalog().get("ERROR_MESSAGE").systems == ("any",)


def test_bundled_catalog_is_the_repository_catalog_in_a_checkout() -> None:
    assert (bundled_dir() / "FORTNOX_FISCAL_YEAR.yaml").is_file()


def test_nowaste_message_takes_any_decimal_pallet_count() -> None:
    """Go's error names whatever float arrived: the number is a variable, not `1.0`."""
    (message, *_) = api.load_catalog().get("NOWASTE_JSON_PARSE").messages
    assert "{value}" in message.text
    text = (
        "json: cannot unmarshal number 3.5 into Go struct field "
        "PickReportEventBody.body.event_data.NumberOfPallets of type int"
    )
    (best, *_) = api.diagnose(text)
    assert (best.entry.id, best.basis, best.variables) == (
        "NOWASTE_JSON_PARSE",
        "exact",
        {"value": "3.5"},
    )


@pytest.mark.parametrize("entry", api.load_catalog(), ids=lambda e: e.id)
def test_every_bundled_entry_says_where_its_knowledge_comes_from(entry) -> None:
    assert entry.origin is not None
    assert entry.references, "every bundled entry names its sources"
    if entry.origin.value == "seed":
        assert entry.references[0].startswith("Junipeer error guide (the seed")
    else:
        assert all(r.startswith(("https://", "http://")) or ":" in r for r in entry.references)
        assert not any(r.startswith("Junipeer error guide") for r in entry.references)
    for message in entry.messages:
        assert (
            message.reference is None
            or message.reference in entry.references
            or (message.reference.startswith(("https://", "http://")) or ":" in message.reference)
        )


def test_the_seed_entries_are_marked_seed_and_the_others_vendor_docs() -> None:
    with TABLE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    seed = {r["id"] for r in rows if r["seed heading (000_71e638d453bfe206.txt)"]}
    for entry in api.load_catalog():
        assert entry.origin is not None
        assert (entry.origin.value == "seed") == (entry.id in seed), entry.id


def test_fortnox_code_2000637_shows_both_readings_with_their_sources() -> None:
    catalog = api.load_catalog()
    name_empty = catalog.get("FORTNOX_CUSTOMER_NAME_EMPTY")
    (code,) = [c for c in name_empty.codes if c.code == "2000637"]
    assert code.reference and "sharespine" in code.reference
    (note,) = name_empty.notes
    assert "Kundnummer" in note and "developer.fortnox.se" in note


KNOWN_MISSES = [
    json.loads(line)
    for line in (ROOT / "tests" / "data" / "known-misses.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]


@pytest.mark.xfail(
    reason="a known miss of the matcher: see tests/data/known-misses.jsonl", strict=True
)
@pytest.mark.parametrize("case", KNOWN_MISSES, ids=lambda c: f"{c['entry']}:{c['text'][:40]}")
def test_known_miss(case) -> None:
    """Examples our own writers gave the entries that the matcher does not get right yet.

    Kept as strict expected failures rather than deleted (as semgrep keeps its `todo`
    cases): when the matcher learns one, this fails, and the line goes back into its
    entry's examples or counterexamples.
    """
    found = api.diagnose(case["text"])
    got = found[0].id if found else None
    if case["kind"] == "example":
        assert got == case["entry"]
    else:
        assert got != case["entry"]
