"""A broken catalog file gets one line naming file, line and field, and exit 2."""

from __future__ import annotations

import json

import pytest
from conftest import VALID_ENTRY, broken

CASES = [
    pytest.param(
        broken(
            VALID_ENTRY, "    severity: warning\n", "    severity: warning\n    severity: error\n"
        ),
        ":4: severity: duplicate key (first written on line 3)",
        id="duplicate-key",
    ),
    pytest.param(
        broken(VALID_ENTRY, "severity: warning", "severity: fatal"),
        ":3: severity: 'fatal' is not one of critical, error, warning, info",
        id="bad-severity",
    ),
    pytest.param(
        broken(VALID_ENTRY, "related: [FORTNOX_FISCAL_YEAR]", "related: [FORTNOX_FISCAL_YR]"),
        ":16: related: FORTNOX_FISCAL_YR is not an entry of the catalog (did you mean FORTNOX_FISCAL_YEAR?)",  # noqa: E501
        id="related-nowhere",
    ),
    pytest.param(
        broken(
            VALID_ENTRY,
            "    cause: >-\n      Someone started a stocktaking in the warehouse.\n",
            "",
        ),
        ":1: cause: missing field",
        id="missing-field",
    ),
    pytest.param(
        broken(VALID_ENTRY, "kind: pattern", "kind: pattern\n    owner: ops"),
        ":5: owner: unknown field",
        id="unknown-field",
    ),
    pytest.param(
        broken(VALID_ENTRY, "kind: pattern", "kinde: pattern"),
        ":4: kinde: unknown field (did you mean kind?)",
        id="misspelt-field",
    ),
    pytest.param(
        broken(VALID_ENTRY, "systems: [Fortnox]", "systems: Fortnox"),
        ":5: systems: must be a list (write [] for none)",
        id="wrong-type",
    ),
    pytest.param(
        broken(VALID_ENTRY, "title: Warehouse locked for stocktaking", "title: ''"),
        ":2: title: must not be empty",
        id="empty-field",
    ),
    pytest.param(
        broken(VALID_ENTRY, "systems: [Fortnox]", "systems: &s [Fortnox]\n    related_systems: *s"),
        ":5: YAML anchors (&s) are not allowed",
        id="anchor",
    ),
    pytest.param(
        broken(VALID_ENTRY, "title: Warehouse", "title: !!python/object Warehouse"),
        ":2: YAML tags (tag:yaml.org,2002:python/object) are not allowed",
        id="tag",
    ),
    pytest.param(
        broken(VALID_ENTRY, "systems: [Fortnox]", "systems: [Fortnox"),
        ":6: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence on line 5)",  # noqa: E501
        id="unclosed-bracket",
    ),
    pytest.param(
        broken(
            VALID_ENTRY, "translation: The warehouse {warehouse}", "translation: The depot {depot}"
        ),
        ":9: messages.translation: {depot} is not a placeholder of the message",
        id="translation-placeholder",
    ),
    pytest.param(
        broken(
            VALID_ENTRY,
            "        translation: The warehouse {warehouse} is locked for stocktaking\n",
            "",
        ),
        ":7: messages.translation: a sv message needs an English translation",
        id="missing-translation",
    ),
    pytest.param(
        broken(VALID_ENTRY, "id: ACME_LOCKED", "id: ACME_OTHER"),
        ":1: id: ACME_OTHER does not match the file name",
        id="id-not-file-name",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_broken_file_is_one_line_naming_file_line_and_field(
    run, write_entry, text, expected
) -> None:
    path = write_entry("ACME_LOCKED", text)
    result = run("catalog", "check", str(path.parent))
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("junidiag: error:")]
    assert errors == [f"junidiag: error: {path}{expected}"]
    assert "Traceback" not in result.output


def test_a_broken_user_file_is_a_warning_and_the_rest_still_serves(run, write_entry) -> None:
    path = write_entry("ACME_LOCKED", broken(VALID_ENTRY, "severity: warning", "severity: fatal"))
    good = write_entry("ACME_GOOD", VALID_ENTRY.replace("ACME_LOCKED", "ACME_GOOD"))
    warning = (
        f"junidiag: warning: {path}:3: severity: 'fatal' is not one of critical, error, "
        "warning, info — skipped, the rest is served"
    )
    for command, code in (
        (["list"], 0),
        (["show", "ACME_GOOD"], 0),
        (["show", "ACME_LOCKED"], 1),  # left out: no such entry
        (["explain", "Fiscal year not available"], 0),
        (["explain", "Lagret Syd är låst för inventering"], 0),  # the valid user entry
    ):
        result = run("--catalog", str(good.parent), *command)
        assert result.exit_code == code, (command, result.output)
        assert result.stderr.splitlines()[0] == warning, command
        assert result.stderr.count("warning:") == 1, command
    found = run(
        "--catalog", str(good.parent), "explain", "--json", "Lagret Öst är låst för inventering"
    )
    assert json.loads(found.stdout)["matches"][0]["id"] == "ACME_GOOD"
    strict = run("--catalog", str(good.parent), "catalog", "check")
    assert strict.exit_code == 2
    assert f"junidiag: error: {path}:3: severity:" in strict.stderr


def test_a_broken_entry_is_reported_once_not_by_every_entry_relating_to_it(
    run, write_entry
) -> None:
    """Its own problem is the one to fix: "related: ACME_LOCKED is not an entry" from each
    entry that names it would bury that line."""
    path = write_entry("ACME_LOCKED", broken(VALID_ENTRY, "severity: warning", "severity: fatal"))
    for name in ("ACME_ONE", "ACME_TWO"):
        text = VALID_ENTRY.replace("ACME_LOCKED", name)
        write_entry(name, text.replace("related: [FORTNOX_FISCAL_YEAR]", "related: [ACME_LOCKED]"))
    result = run("catalog", "check", str(path.parent))
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("junidiag: error:")]
    assert errors == [
        f"junidiag: error: {path}:3: severity: 'fatal' is not one of critical, error, warning, info"
    ]
    served = run("--catalog", str(path.parent), "show", "--no-pager", "ACME_ONE")
    assert served.exit_code == 0
    assert "ACME_LOCKED" not in served.stdout  # no link to an entry that is not served


def test_duplicate_id_in_one_directory_is_reported(run, write_entry, tmp_path) -> None:
    write_entry("ACME_LOCKED", VALID_ENTRY)
    write_entry("ACME_COPY", broken(VALID_ENTRY, "id: ACME_LOCKED", "id: ACME_LOCKED"))
    result = run("catalog", "check", str(tmp_path / "catalog"))
    assert result.exit_code == 2
    assert "ACME_COPY.yaml:1: id: ACME_LOCKED does not match the file name" in result.stderr


def test_huge_file_is_refused_before_parsing(run, write_entry) -> None:
    path = write_entry("ACME_LOCKED", VALID_ENTRY + "# padding\n" * 40_000)
    result = run("catalog", "check", str(path.parent))
    assert result.exit_code == 2
    assert f"{path}:1: file is" in result.stderr
    assert "over 256 KiB" in result.stderr


def test_norwegian_lang_is_text_not_a_boolean(run, write_entry) -> None:
    path = write_entry(
        "ACME_LOCKED",
        broken(
            broken(VALID_ENTRY, "lang: sv", "lang: no"),
            "Lagret {warehouse} är låst för inventering",
            "Lageret {warehouse} er låst for varetelling",
        ).replace("Lagret Syd är låst för inventering", "Lageret Sør er låst for varetelling"),
    )
    result = run("catalog", "check", str(path.parent))
    assert result.exit_code == 0, result.output


def test_a_missing_catalog_directory_is_a_warning_and_the_bundled_catalog_serves(
    run, tmp_path, user_catalog
) -> None:
    nowhere = tmp_path / "nowhere"
    warning = (
        f"junidiag: warning: {nowhere}:0: no such catalog directory — skipped, the rest is served"
    )
    result = run("--catalog", str(nowhere), "--catalog", str(user_catalog), "list")
    assert result.exit_code == 0
    assert result.stderr.strip() == warning
    assert "ACME_LOCKED" in result.stdout and "FORTNOX_FISCAL_YEAR" in result.stdout
    from_env = run("explain", "Kunde inte hitta moms", env={"JUNIDIAG_CATALOG": str(nowhere)})
    assert from_env.exit_code == 0
    assert from_env.stderr.strip() == warning
    assert "FORTNOX_VAT_NOT_FOUND" in from_env.stdout
    checked = run("--catalog", str(nowhere), "catalog", "check")
    assert checked.exit_code == 2  # catalog check stays strict
    assert f"junidiag: error: {nowhere}:0: no such catalog directory" in checked.stderr
