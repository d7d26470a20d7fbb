"""`junidiag explain` on one message: panels, JSON, exit codes."""

from __future__ import annotations

import json

import pytest


def explain_json(run, text: str) -> dict:
    result = run("explain", "--json", text)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_filled_in_message_names_the_entry_and_extracts_both_currencies(run) -> None:
    found = explain_json(run, "Currency EUR and Currency SEK does not match")
    best = found["matches"][0]
    assert found["query"] == "Currency EUR and Currency SEK does not match"
    assert best["id"] == "FORTNOX_CURRENCY_MISMATCH"
    assert best["score"] == 100
    assert best["basis"] == "exact"
    assert best["variables"] == {"payment_currency": "EUR", "invoice_currency": "SEK"}


def test_swedish_message_without_diacritics_is_translated(run) -> None:
    best = explain_json(run, "Kunde inte hitta leveranssatt")["matches"][0]
    assert best["id"] == "FORTNOX_SHIPPING_NOT_FOUND"
    assert best["language"] == "sv"
    assert best["translation"] == "Could not retrieve/find shipping method"


def test_match_object_has_every_key_of_the_contract(run) -> None:
    best = explain_json(run, "Fiscal year not available")["matches"][0]
    assert set(best) >= {
        "id", "title", "severity", "score", "matched_text", "language", "translation",
        "variables", "systems", "cause", "solution",
    }  # fmt: skip
    assert best["translation"] is None
    assert best["systems"] == ["Fortnox"]
    assert isinstance(best["solution"], list)


def test_panels_show_id_translation_and_the_exact_menu_path(run) -> None:
    result = run("explain", "Kunde inte hämta moms")
    assert result.exit_code == 0
    out = result.stdout
    assert "FORTNOX_VAT_NOT_FOUND" in out
    assert "Could not retrieve/find VAT" in out
    assert "Settings → Bookkeeping → Moms" in out
    assert "1." in out and "Why" in out and "Fix" in out
    assert "\x1b[" not in out


def test_grouped_reference_is_only_also_possible_for_a_specific_message(run) -> None:
    matches = explain_json(run, "Kunde inte hämta/hitta moms")["matches"]
    assert [m["id"] for m in matches] == [
        "FORTNOX_VAT_NOT_FOUND",
        "COMMON_FORTNOX_ERRORS_EXPLAINED",
    ]
    assert matches[0]["score"] > matches[1]["score"]
    result = run("explain", "Kunde inte hämta/hitta moms")
    assert "Also possible" in result.stdout and "COMMON_FORTNOX_ERRORS_EXPLAINED" in result.stdout


def test_unrelated_sentence_is_no_match_with_exit_1(run) -> None:
    result = run("explain", "the weather in Gothenburg is lovely today")
    assert result.exit_code == 1
    assert "No confident match" in result.stdout
    assert explain_json(run, "the weather in Gothenburg is lovely today")["matches"] == []


@pytest.mark.parametrize("form", [[], ["--format", "markdown"]])
def test_good_news_is_said_to_be_good_news_not_a_new_error(run, form) -> None:
    # a problem said to be fixed matches nothing; the answer says why, and offers no
    # command to draft an entry for it
    for good in (
        "The duplicate invoice problem is fixed since Monday",
        "Lagret i butiken stämmer med Fortnox efter inventeringen",  # all is well
    ):
        result = run("explain", *form, good)
        assert result.exit_code == 1
        assert "reads as good news" in result.stdout
        assert "catalog new" not in result.stdout
    for problem in (
        "the printer in the warehouse jams on every label",
        "Orders started failing after we fixed the VAT settings in Fortnox",
        "The duplicate invoice problem hasn't been fixed",
        "All products are gone from the Shopify store after the sync",
        "Ingenting fungerar som det ska sedan uppdateringen",  # "nothing works as it should"
    ):
        assert "reads as good news" not in run("explain", *form, problem).stdout


def test_suggestions_are_near_misses_with_scores_between_1_and_59(run) -> None:
    result = run("explain", "stock in the warehouse is wrong")
    assert result.exit_code == 1
    assert "Nearest entries" in result.stdout and "MULTI_WAREHOUSE_STOCK" in result.stdout
    lines = [line.split() for line in result.stdout.splitlines() if "_" in line.split()[0]]
    assert lines and all(0 < int(parts[1]) < 60 for parts in lines)
    nothing_near = run("explain", "the warehouse is nice today")
    assert "Nearest entries" not in nothing_near.stdout


def test_unquoted_words_are_one_message(run) -> None:
    result = run("explain", "--json", "Fiscal", "year", "not", "available")
    assert json.loads(result.stdout)["matches"][0]["id"] == "FORTNOX_FISCAL_YEAR"


@pytest.mark.parametrize("blank", ["", "   ", "\t\n"])
def test_blank_message_is_a_usage_error(run, blank) -> None:
    result = run("explain", blank)
    assert result.exit_code == 2
    assert "junidiag: error: Invalid value: the message is empty" in result.stderr
    assert result.stdout == ""


def test_fail_on_exits_3_for_an_entry_that_severe(run) -> None:
    assert run("explain", "--fail-on", "critical", "Invalid grant").exit_code == 3
    assert run("explain", "--fail-on", "critical", "Fiscal year not available").exit_code == 0
    assert run("explain", "--fail-on", "error", "Fiscal year not available").exit_code == 3


def test_a_message_ending_in_a_bracket_is_matched_with_its_closing_bracket(run) -> None:
    text = "Customer name cannot be empty (2000637)"
    best = explain_json(run, text)["matches"][0]
    assert best["id"] == "FORTNOX_CUSTOMER_NAME_EMPTY"
    assert best["matched_text"] == text
    shown = run("explain", text).stdout
    assert f"Matched     {text}\n" in shown
    logged = run("explain", "--json", input=f"ERROR [task 4] {text} for order 1001\n").stdout
    assert json.loads(logged)["match"]["matched_text"] == text
