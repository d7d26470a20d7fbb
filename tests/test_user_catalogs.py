"""Teams add and override entries in their own directories, without touching the package."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import CATALOG_IDS, VALID_ENTRY

OVERRIDE = """\
    id: FORTNOX_FISCAL_YEAR
    title: Fiscal year not available (our runbook)
    severity: critical
    kind: code
    systems: [Fortnox]
    messages:
      - text: Fiscal year not available
        lang: en
    cause: >-
      Nobody created next year's fiscal year in Fortnox before New Year.
    solution:
      - Ask finance to create the fiscal year, then retry the failed tasks.
    symptoms:
      - every invoice after New Year is rejected by Fortnox
    related: []
    examples:
      - Fiscal year not available
"""


def test_a_new_entry_is_found_by_its_message(run, user_catalog: Path) -> None:
    result = run(
        "--catalog", str(user_catalog), "explain", "--json", "Lagret Syd är låst för inventering"
    )
    best = json.loads(result.stdout)["matches"][0]
    assert best["id"] == "ACME_LOCKED"
    assert best["variables"] == {"warehouse": "Syd"}
    assert best["translation"] == "The warehouse Syd is locked for stocktaking"
    assert best["source"] == str(user_catalog)


def test_an_override_replaces_the_bundled_entry_entirely(run, write_entry, tmp_path) -> None:
    folder = write_entry("FORTNOX_FISCAL_YEAR", OVERRIDE).parent
    entry = json.loads(
        run("--catalog", str(folder), "show", "--json", "fortnox_fiscal_year").stdout
    )
    assert entry["title"] == "Fiscal year not available (our runbook)"
    assert entry["severity"] == "critical"
    assert entry["solution"] == [
        "Ask finance to create the fiscal year, then retry the failed tasks."
    ]
    assert entry["source"] == str(folder)


def test_the_environment_variable_is_a_path_list(run, write_entry, tmp_path) -> None:
    first = write_entry("ACME_LOCKED", VALID_ENTRY, tmp_path / "one").parent
    second = write_entry("FORTNOX_FISCAL_YEAR", OVERRIDE, tmp_path / "two").parent
    env = {"JUNIDIAG_CATALOG": os.pathsep.join([str(first), str(second)])}
    shown = json.loads(run("show", "--json", "FORTNOX_FISCAL_YEAR", env=env).stdout)
    assert shown["title"].endswith("(our runbook)")
    assert run("show", "ACME_LOCKED", env=env).exit_code == 0


def test_catalog_option_wins_over_the_environment_and_later_dirs_over_earlier(
    run, write_entry, tmp_path
) -> None:
    from_env = write_entry(
        "FORTNOX_FISCAL_YEAR", OVERRIDE.replace("(our runbook)", "(env)"), tmp_path / "env"
    )
    early = write_entry(
        "FORTNOX_FISCAL_YEAR", OVERRIDE.replace("(our runbook)", "(early)"), tmp_path / "a"
    )
    late = write_entry(
        "FORTNOX_FISCAL_YEAR", OVERRIDE.replace("(our runbook)", "(late)"), tmp_path / "b"
    )
    env = {"JUNIDIAG_CATALOG": str(from_env.parent)}
    args = ["--catalog", str(early.parent), "--catalog", str(late.parent)]
    title = json.loads(run(*args, "show", "--json", "FORTNOX_FISCAL_YEAR", env=env).stdout)["title"]
    assert title.endswith("(late)")
    alone = json.loads(run("show", "--json", "FORTNOX_FISCAL_YEAR", env=env).stdout)["title"]
    assert alone.endswith("(env)")


def test_list_marks_where_each_entry_came_from(run, user_catalog: Path) -> None:
    entries = json.loads(run("--catalog", str(user_catalog), "list", "--json").stdout)
    sources = {e["id"]: e["source"] for e in entries}
    assert sources["ACME_LOCKED"] == str(user_catalog)
    assert sources["FORTNOX_FISCAL_YEAR"] == "bundled"
    assert len(entries) == len(CATALOG_IDS) + 1  # the bundled entries and ACME_LOCKED
    table = run("--catalog", str(user_catalog), "list").stdout
    assert "Source" in table and "bundled" in table


def test_a_user_entry_needs_no_more_than_the_spec_requires(run, user_catalog: Path) -> None:
    result = run("catalog", "check", str(user_catalog))
    assert result.exit_code == 0, result.output
    assert "OK: 1 entry, 1 example, 0 counterexamples checked" in result.stdout


def test_related_may_point_at_bundled_ids(run, user_catalog: Path) -> None:
    text = (user_catalog / "ACME_LOCKED.yaml").read_text()
    assert "related: [FORTNOX_FISCAL_YEAR]" in text
    assert run("--catalog", str(user_catalog), "show", "ACME_LOCKED").exit_code == 0


def test_check_reports_a_user_example_that_does_not_match(run, write_entry) -> None:
    folder = write_entry(
        "ACME_LOCKED", VALID_ENTRY + "      - the weather in Gothenburg is lovely today\n"
    ).parent
    result = run("catalog", "check", str(folder))
    assert result.exit_code == 1
    assert "example does not match it (got no match): the weather in Gothenburg" in result.stderr


GREEDY = """\
    id: ACME_FISCAL
    title: Our own fiscal year entry
    severity: error
    kind: pattern
    systems: [Fortnox]
    messages:
      - text: Fiscal year not available
        lang: en
    cause: >-
      Our team tracks this one itself.
    solution:
      - Ask finance.
    symptoms:
      - the fiscal year is missing
    related: []
    examples:
      - Fiscal year not available for ACME
"""


def test_check_warns_when_a_user_entry_takes_a_bundled_example(run, write_entry) -> None:
    folder = write_entry("ACME_FISCAL", GREEDY).parent
    result = run("catalog", "check", str(folder))
    assert "message claimed by several entries (ACME_FISCAL, FORTNOX_FISCAL_YEAR)" in result.stderr
    assert "warning: ACME_FISCAL now takes FORTNOX_FISCAL_YEAR's example" in result.stderr
    assert result.exit_code == 1


def test_a_broken_user_file_is_one_line_and_exit_2(run, write_entry) -> None:
    folder = write_entry(
        "ACME_LOCKED", VALID_ENTRY.replace("systems: [Fortnox]", "systems: [Fortnox")
    ).parent
    result = run("catalog", "check", str(folder))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"junidiag: error: {folder / 'ACME_LOCKED.yaml'}:6: invalid YAML"
    )
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


# --- catalog new: a draft from a line nothing matched ------------------------------

NORD = "2026-11-24 ERROR [task 1] Lagret Nord är låst för inventering"


def test_a_draft_matches_variants_of_its_line_at_once(run, tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    result = run("catalog", "new", "ACME_X", "--from", NORD, "--dir", str(drafts))
    assert result.exit_code == 0, result.output
    assert f"Drafted {drafts / 'ACME_X.yaml'}" in result.stdout
    assert "junidiag catalog check" in result.stdout
    found = run("--catalog", str(drafts), "explain", "--json", "Lagret Öst är låst för inventering")
    best = json.loads(found.stdout)["matches"][0]
    assert best["id"] == "ACME_X"
    assert best["basis"] == "exact"
    assert list(best["variables"].values()) == ["Öst"]


def test_checking_a_draft_names_each_todo_and_exits_1(run, tmp_path: Path) -> None:
    run("catalog", "new", "ACME_X", "--from", NORD, "--dir", str(tmp_path))
    result = run("catalog", "check", str(tmp_path))
    assert result.exit_code == 1
    for field_name in ("cause", "solution", "symptoms", "messages"):
        assert f"ACME_X.yaml: {field_name} still holds TODO" in result.stderr
    assert "1 entry" in result.stdout


def test_a_draft_never_overwrites_without_force(run, tmp_path: Path) -> None:
    path = tmp_path / "ACME_X.yaml"
    path.write_text("id: ACME_X\n# our own notes\n", encoding="utf-8")
    refused = run("catalog", "new", "ACME_X", "--from", NORD, "--dir", str(tmp_path))
    assert refused.exit_code == 2
    assert (
        refused.stderr.strip()
        == f"junidiag: error: {path} already exists; use --force to overwrite it"
    )
    assert "our own notes" in path.read_text(encoding="utf-8")
    forced = run("catalog", "new", "ACME_X", "--from", NORD, "--dir", str(tmp_path), "--force")
    assert forced.exit_code == 0
    assert "Lagret {name} är låst för inventering" in path.read_text(encoding="utf-8")


def test_a_bad_id_or_an_empty_line_is_a_one_line_error(run, tmp_path: Path) -> None:
    bad_id = run("catalog", "new", "acme locked", "--from", NORD, "--dir", str(tmp_path))
    assert bad_id.exit_code == 2
    assert "such as ACME_LOCKED" in bad_id.stderr and len(bad_id.stderr.splitlines()) == 1
    empty = run("catalog", "new", "ACME_X", "--from", "   ", "--dir", str(tmp_path))
    assert empty.exit_code == 2
    assert "the line is empty" in empty.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_draft_goes_to_the_user_catalog_in_use(run, tmp_path: Path) -> None:
    first, last = tmp_path / "first", tmp_path / "last"
    first.mkdir()
    last.mkdir()
    env = {"JUNIDIAG_CATALOG": str(first)}
    run("--catalog", str(last), "catalog", "new", "ACME_X", "--from", NORD, env=env)
    assert (last / "ACME_X.yaml").is_file()
    run("catalog", "new", "ACME_Y", "--from", NORD, env=env)
    assert (first / "ACME_Y.yaml").is_file()


def test_drafting_a_bundled_id_says_it_replaces_the_bundled_entry(run, tmp_path: Path) -> None:
    result = run(
        "catalog", "new", "RATE_LIMITED", "--from", "HTTP 429 from Centra", "--dir", str(tmp_path)
    )
    assert result.exit_code == 0
    assert "RATE_LIMITED is a bundled entry; this draft replaces it" in result.stderr


def test_a_name_in_the_line_does_not_decide_the_language(run, tmp_path: Path) -> None:
    line = "Customer email for order 12 is invalid for customer Åsa Öberg"
    run("catalog", "new", "ACME_EMAIL", "--from", line, "--dir", str(tmp_path))
    assert "lang: en" in (tmp_path / "ACME_EMAIL.yaml").read_text(encoding="utf-8")


def test_a_quoted_reason_alone_is_not_the_drafted_message(run, tmp_path: Path) -> None:
    line = 'The order 123 was rejected: reason: "Address line 2 too long"'
    result = run("catalog", "new", "ACME_ADDR", "--from", line, "--dir", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    draft = (tmp_path / "ACME_ADDR.yaml").read_text(encoding="utf-8")
    assert "The order {order_id} was rejected: reason:" in draft


def test_a_line_separator_in_a_user_entry_keeps_one_json_object_per_line(run, write_entry) -> None:
    # JSON allows U+2028 raw in strings, Python's splitlines() breaks lines on it
    folded = "cause: >-\n      Nobody created next year's fiscal year in Fortnox before New Year."
    escaped = 'cause: "Nobody created next year\'s fiscal year in Fortnox before New\\u2028Year."'
    folder = write_entry("FORTNOX_FISCAL_YEAR", OVERRIDE.replace(folded, escaped)).parent
    log = "INFO all good\nFiscal year not available\n"
    out = run("--catalog", str(folder), "explain", "--json", input=log).stdout
    rows = [json.loads(row) for row in out.splitlines()]
    assert [row["line"] for row in rows] == [1, 2]
    assert rows[1]["match"]["cause"].endswith("before New\u2028Year.")


def test_a_broken_environment_catalog_warns_once_in_a_real_run(tmp_path, write_entry) -> None:
    import subprocess
    import sys

    broken_file = write_entry("ACME_LOCKED", VALID_ENTRY.replace("severity: warning", "severity:"))
    paths = os.pathsep.join([str(tmp_path / "gone"), str(broken_file.parent)])
    env = {**os.environ, "JUNIDIAG_CATALOG": paths, "JUNIDIAG_CACHE_DIR": str(tmp_path / "c")}
    result = subprocess.run(
        [sys.executable, "-m", "junidiag", "explain"],
        input="ERROR Kunde inte hitta moms\nERROR Lagret Syd är låst för inventering\n",
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "FORTNOX_VAT_NOT_FOUND" in result.stdout
    warnings = result.stderr.splitlines()
    assert [w.split(": ")[2] for w in warnings] == [
        str(tmp_path / "gone") + ":0",
        f"{broken_file}:3",
    ]
    assert all(w.startswith("junidiag: warning: ") for w in warnings)


def test_a_draft_is_marked_as_a_draft_in_every_format(run, tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    run("catalog", "new", "ACME_X", "--from", NORD, "--dir", str(drafts))
    query = ["--catalog", str(drafts), "explain"]
    text = run(*query, "Lagret Öst är låst för inventering").stdout
    assert "ACME_X   DRAFT" in text
    assert "Draft: drafted by junidiag catalog new; cause, solution, symptoms and" in text
    markdown = run(*query, "-f", "markdown", "Lagret Öst är låst för inventering").stdout
    assert markdown.startswith("## `ACME_X`: Lagret {name} är låst för inventering (draft)")
    assert "> **Draft:** drafted by junidiag catalog new" in markdown
    found = json.loads(run(*query, "--json", "Lagret Öst är låst för inventering").stdout)
    assert found["matches"][0]["draft"] is True
    shown = json.loads(run("--catalog", str(drafts), "show", "--json", "ACME_X").stdout)
    assert shown["draft"] is True
    logged = run(*query, "--json", input="ERROR Lagret Öst är låst för inventering\n").stdout
    assert json.loads(logged)["match"]["draft"] is True
    listed = run("--catalog", str(drafts), "list", "-f", "markdown", "--search", "lagret").stdout
    assert "Lagret {name} är låst för inventering (draft)" in listed
    bundled = json.loads(run("show", "--json", "FORTNOX_FISCAL_YEAR").stdout)
    assert bundled["draft"] is False
    assert "DRAFT" not in run("show", "FORTNOX_FISCAL_YEAR").stdout


def test_a_written_draft_is_no_longer_marked(run, tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    run("catalog", "new", "ACME_X", "--from", NORD, "--dir", str(drafts))
    path = drafts / "ACME_X.yaml"
    text = path.read_text(encoding="utf-8")
    for todo, written in (
        ("TODO translate", "The warehouse {name} is locked for stocktaking"),
        ("TODO explain why this happens, in one paragraph.", "A stocktaking is running."),
        ("TODO the first step to fix it", "Finish the stocktaking"),
        ("TODO describe the problem the way a user would", "stock cannot be moved"),
    ):
        assert todo in text
        text = text.replace(todo, written)
    path.write_text(text, encoding="utf-8")
    found = json.loads(run("--catalog", str(drafts), "show", "--json", "ACME_X").stdout)
    assert found["draft"] is False
    assert "DRAFT" not in run("--catalog", str(drafts), "show", "ACME_X").stdout


def test_a_user_entry_has_no_origin_and_passes_no_origin_filter(run, user_catalog: Path) -> None:
    def ids(*filters: str) -> set[str]:
        result = run("--catalog", str(user_catalog), "list", "--json", *filters)
        return {e["id"] for e in json.loads(result.stdout)}

    assert "ACME_LOCKED" in ids()
    assert "ACME_LOCKED" not in ids("--origin", "seed") | ids("--origin", "vendor-docs")
