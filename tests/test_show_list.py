"""`show` and `list`: lookup by id, did-you-mean, filters, and the conventions of a good CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CATALOG_IDS, SEED_IDS

CRITICAL = sorted(i for i, severity in CATALOG_IDS.items() if severity == "critical")
VISMA_NET = {  # every entry naming Visma.net: the seed's and two from its documentation
    "OAUTH_INVALID_GRANT", "CUSTOMER_ID_NOT_FOUND", "CASH_ACCOUNT_NOT_FOUND",
    "VISMA_JSON_DECODE_ERROR", "TOKEN_EXPIRED", "ERP_ZERO_ARTICLES_LOADED",
    "VISMA_CUSTOMER_UPDATE_FAILED", "WEBHOOK_NOT_RECEIVED", "STOCK_SYNC_LAG_OVERSELLING",
    "VISMA_NET_NO_LICENSE_FOR_COMPANY", "VISMA_NET_INVALID_TENANT",
    "OSS_TAX_MAPPING", "PAYOUT_FEE_WRITEOFF",
}  # fmt: skip


def listed(run, *filters: str) -> list[dict]:
    result = run("list", "--json", *filters)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout) if result.stdout.strip() else []


def test_show_is_case_insensitive_and_keeps_menu_paths_exact(run) -> None:
    result = run("show", "fortnox_fiscal_year")
    assert result.exit_code == 0
    assert "FORTNOX_FISCAL_YEAR" in result.stdout
    assert "Settings → Bookkeeping → Fiscal Year" in result.stdout
    for section in ("Messages", "Why", "Fix", "Related"):
        assert section in result.stdout
    assert "How people describe it" not in result.stdout  # matcher data: with --all
    everything = run("show", "--all", "fortnox_fiscal_year").stdout
    for section in ("How people describe it", "Examples", "Not this entry"):
        assert section in everything


def test_show_json_is_the_entry_object(run) -> None:
    entry = json.loads(run("show", "--json", "FORTNOX_VAT_NOT_FOUND").stdout)
    assert entry["id"] == "FORTNOX_VAT_NOT_FOUND"
    assert entry["severity"] == "error"
    assert entry["messages"][0] == {
        "text": "Kunde inte hämta/hitta moms",
        "lang": "sv",
        "translation": "Could not retrieve/find VAT",
        "reference": None,  # the seed's own wording: the entry's references name the seed
    }
    assert list(entry) == [
        "id", "title", "severity", "kind", "systems", "messages", "codes", "cause", "solution",
        "symptoms", "related", "examples", "counterexamples", "references", "notes", "origin",
        "source", "draft",
    ]  # fmt: skip


def test_unknown_id_suggests_the_closest_and_exits_1(run) -> None:
    result = run("show", "FORTNOX_FISCAL_YR")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "junidiag: error: no entry FORTNOX_FISCAL_YR — did you mean FORTNOX_FISCAL_YEAR?"
    )


def test_empty_id_is_a_usage_error(run) -> None:
    result = run("show", " ")
    assert result.exit_code == 2
    assert "junidiag: error:" in result.stderr and "the id is empty" in result.stderr


def test_show_with_a_message_points_to_explain(run) -> None:
    result = run("show", "Fiscal year not available")
    assert result.exit_code == 1
    assert 'junidiag explain "…"' in result.stderr


def test_list_critical_gives_exactly_the_four_critical_entries(run) -> None:
    assert [e["id"] for e in listed(run, "--severity", "critical")] == CRITICAL


def test_severity_is_repeatable_and_exact(run) -> None:
    found = listed(run, "--severity", "info", "--severity", "critical")
    assert {e["severity"] for e in found} == {"info", "critical"}
    assert len(found) == sum(s in ("info", "critical") for s in CATALOG_IDS.values())


def test_min_severity_is_a_threshold(run) -> None:
    assert len(listed(run, "--min-severity", "warning")) == sum(
        s != "info" for s in CATALOG_IDS.values()
    )
    assert {e["severity"] for e in listed(run, "--min-severity", "error")} == {"error", "critical"}


def test_system_filter_takes_whole_names(run) -> None:
    ids = {e["id"] for e in listed(run, "--system", "visma.net")}
    assert ids == VISMA_NET
    general = {e["id"] for e in listed(run, "--system", "any")}
    assert general == {"ERROR_MESSAGE", "CACHED_DATA_STALE"}
    assert not ids & {"VISMA_BUSINESS_NUMBER_SERIES", "VISMA_BUSINESS_UNIT_OF_MEASURE"}
    assert {e["id"] for e in listed(run, "--system", "VISMA BUSINESS")} == {
        "VISMA_BUSINESS_NUMBER_SERIES", "VISMA_BUSINESS_UNIT_OF_MEASURE",
    }  # fmt: skip
    assert listed(run, "--system", "visma") == []  # "visma" names neither system
    result = run("list", "--system", "visma")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "junidiag: error: no entry concerns the system 'visma' — "
        "did you mean Visma Business or Visma eAccounting or Visma.net?"
    )
    fortnax = run("list", "--system", "fortnax")
    assert fortnax.stderr.strip() == (
        "junidiag: error: no entry concerns the system 'fortnax' — did you mean Fortnox?"
    )


def test_search_looks_in_ids_titles_messages_and_symptoms(run) -> None:
    assert {e["id"] for e in listed(run, "--search", "moms")} >= {"FORTNOX_VAT_NOT_FOUND"}
    assert [e["id"] for e in listed(run, "--search", "hamta/hitta leveranssatt")] == [
        "FORTNOX_SHIPPING_NOT_FOUND"
    ]  # diacritics folded
    assert "QLIRO_PAYOUT_UNMATCHED" in {e["id"] for e in listed(run, "--search", "qliro")}


def test_origin_tells_the_seed_from_the_vendor_documented_entries(run) -> None:
    assert len(SEED_IDS) == 52
    assert {e["id"] for e in listed(run, "--origin", "seed")} == SEED_IDS
    vendor = listed(run, "--origin", "VENDOR-DOCS")
    assert {e["id"] for e in vendor} == set(CATALOG_IDS) - SEED_IDS
    assert {e["origin"] for e in vendor} == {"vendor-docs"}
    fortnox = listed(
        run, "--origin", "vendor-docs", "--system", "fortnox", "--severity", "critical"
    )
    assert [e["id"] for e in fortnox] == ["FORTNOX_API_LICENSE_MISSING"]
    wrong = run("list", "--origin", "docs")
    assert wrong.exit_code == 2
    assert "junidiag: error:" in wrong.stderr and "vendor-docs" in wrong.stderr


def test_filters_combine(run) -> None:
    found = listed(run, "--min-severity", "error", "--system", "fortnox", "--search", "refund")
    assert found
    for entry in found:
        assert entry["severity"] in ("error", "critical")
        assert "Fortnox" in entry["systems"]


def test_list_is_sorted_by_severity_then_id(run) -> None:
    entries = listed(run)
    order = {"critical": 0, "error": 1, "warning": 2, "info": 3}
    keys = [(order[e["severity"]], e["id"]) for e in entries]
    assert keys == sorted(keys)


def test_list_table_has_a_count_line(run) -> None:
    result = run("list", "--severity", "critical")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == f"{len(CRITICAL)} of {len(CATALOG_IDS)} entries"
    for entry_id in CRITICAL:
        assert entry_id in result.stdout


def test_nothing_left_after_filtering_is_a_sentence_and_exit_1(run) -> None:
    result = run("list", "--system", "shopify", "--search", "no such words anywhere")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "No entry matches these filters."


def test_unknown_severity_is_a_usage_error_naming_the_valid_values(run) -> None:
    result = run("list", "--severity", "bogus")
    assert result.exit_code == 2
    assert "'bogus' is not one of 'critical', 'error', 'warning', 'info'" in result.stderr


def test_output_to_a_pipe_carries_no_ansi_codes_even_without_no_color(run) -> None:
    for args in (["list"], ["show", "TOKEN_EXPIRED"], ["explain", "Invalid grant"]):
        result = run(*args, env={"NO_COLOR": ""})
        assert "\x1b" not in result.stdout, args


def test_color_always_colours_a_pipe_and_never_means_none(run) -> None:
    coloured = run("--color", "always", "show", "TOKEN_EXPIRED", env={"NO_COLOR": ""})
    assert "\x1b[" in coloured.stdout
    plain = run("--color", "never", "show", "TOKEN_EXPIRED", env={"FORCE_COLOR": "1"})
    assert "\x1b" not in plain.stdout


def test_version_prints_the_package_version(run) -> None:
    from junidiag import __version__

    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"junidiag {__version__}\n"


def test_every_command_has_help_with_an_example(run) -> None:
    for command in (["explain"], ["show"], ["list"], ["catalog", "check"]):
        result = run(*command, "--help")
        assert result.exit_code == 0
        assert "Example" in result.stdout, command


def complete(words: str) -> list[str]:
    """What bash completion offers, from the installed `junidiag` script."""
    environment = {**os.environ, "_JUNIDIAG_COMPLETE": "complete_bash", "COMP_WORDS": words}
    environment["COMP_CWORD"] = str(len(words.split()) - 1)
    script = Path(sys.executable).with_name("junidiag")
    result = subprocess.run([script], env=environment, capture_output=True, text=True)
    return result.stdout.split()


def test_shell_completion_completes_ids_for_show() -> None:
    assert complete("junidiag show FORTNOX_CU") == [
        "FORTNOX_CURRENCY_MISMATCH", "FORTNOX_CURRENCY_NOT_FOUND", "FORTNOX_CUSTOMER_NAME_EMPTY",
        "FORTNOX_CUSTOMER_NUMBER_IN_USE",
    ]  # fmt: skip
    assert complete("junidiag show token") == ["token_expired"]


@pytest.mark.parametrize(
    "pipeline",
    [
        "junidiag list | head -1",
        "junidiag list --json | head -c 100",
        "junidiag show FORTNOX_FISCAL_YEAR | head -1",
        'junidiag explain "Kunde inte hitta moms" | head -1',
    ],
)
def test_a_closed_pipe_ends_quietly(pipeline: str, tmp_path) -> None:
    command = pipeline.replace("junidiag", f"{sys.executable} -m junidiag")
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True,
        env={**os.environ, "JUNIDIAG_CACHE_DIR": str(tmp_path)},
    )  # fmt: skip
    assert result.stdout
    assert result.stderr == ""
