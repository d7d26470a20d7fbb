"""`catalog new`: a draft entry from an unmatched line loads, matches the line and
its variants right away, and is reported as a draft until someone finishes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from junidiag import api, checks
from junidiag.catalog import yamltree
from junidiag.drafting import DraftError, draft_entry, write_draft
from junidiag.model import Entry

LAGRET = "2026-11-24 ERROR [task 1] Lagret Nord är låst för inventering"
JSON_LINE = (
    "2026-11-24T09:12:03Z ERROR [task 4471] Export Invoices to Fortnox: "
    'fortnox: {"ErrorInformation":{"error":1,'
    '"message":"Kunde inte hitta kund \'Acme AB\' för order 10492","code":2000123}}'
)


def drafted(directory: Path, line: str, entry_id: str = "ACME_X") -> Entry:
    """Write the draft for `line` and load it the way every command does."""
    write_draft(entry_id, line, directory, force=False)
    entry = api.load_catalog([directory]).get(entry_id)
    assert entry is not None
    return entry


def top_id(text: str, directory: Path) -> str | None:
    found = api.diagnose(text, [directory])
    return found[0].id if found else None


# --- variable parts become placeholders ----------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        pytest.param(
            "ERROR [task 7] Export failed for order #10492 in Centra",
            "Export failed for order #{order_id} in Centra",
            id="order-hash",
        ),
        pytest.param(
            "Kunde inte skapa order 10492 i lagret",
            "Kunde inte skapa order {order_id} i lagret",
            id="order-word",
        ),
        pytest.param(
            "Loaded 152 of 300 articles from the ERP",
            "Loaded {number} of {number_2} articles from the ERP",
            id="numbers",
        ),
        pytest.param(
            "Payout total 1299.50 differs from the order total",
            "Payout total {number} differs from the order total",
            id="decimal",
        ),
        pytest.param(
            "Currency EUR and Currency SEK does not match",
            "Currency {currency} and Currency {currency_2} does not match",
            id="currencies",
        ),
        pytest.param(
            "Payment date 2026-01-31 is before the invoice date",
            "Payment date {date} is before the invoice date",
            id="date",
        ),
        pytest.param(
            "Stock was last read at 2026-01-02T07:15:40Z by the ERP connector",
            "Stock was last read at {time} by the ERP connector",
            id="timestamp",
        ),
        pytest.param(
            "No customer with e-mail anna.berg@example.se could be found",
            "No customer with e-mail {email} could be found",
            id="email",
        ),
        pytest.param(
            "Payment method 'Swish' is not mapped to an account",
            "Payment method '{name}' is not mapped to an account",
            id="single-quoted-name",
        ),
        pytest.param(
            'Pricelist "Nord" does not exist in the shop',
            'Pricelist "{name}" does not exist in the shop',
            id="double-quoted-name",
        ),
        pytest.param(
            "Article 'Mug' and article 'Cup' share one SKU",
            "Article '{name}' and article '{name_2}' share one SKU",
            id="names-unique",
        ),
        pytest.param(
            "Export to Fortnox failed for customer Acme",
            "Export to Fortnox failed for customer {name}",
            id="system-is-no-name",
        ),
        pytest.param(
            "Customer Name cannot be empty",
            "Customer Name cannot be empty",
            id="title-case-words-stay",
        ),
        pytest.param(
            "Request to Visma failed with 502 Bad Gateway",
            "Request to Visma failed with {number} Bad Gateway",
            id="http-reason-stays",
        ),
    ],
)
def test_variable_parts_become_named_placeholders(tmp_path: Path, line: str, message: str) -> None:
    entry = drafted(tmp_path, line)
    assert [m.text for m in entry.messages] == [message]
    assert top_id(line, tmp_path) == "ACME_X"


def test_the_log_prefix_is_stripped_and_a_warehouse_name_is_a_placeholder(tmp_path: Path) -> None:
    entry = drafted(tmp_path, LAGRET)
    assert entry.messages[0].text == "Lagret {name} är låst för inventering"
    assert entry.title == "Lagret {name} är låst för inventering"
    assert entry.examples == (LAGRET, "Lagret Nord är låst för inventering")


def test_the_message_of_an_error_chain_is_its_last_link(tmp_path: Path) -> None:
    line = (
        "2026-01-02T07:15:40Z ERROR [task 812344] Export Invoices to Fortnox: "
        "order #30112: Stock location is blocked for picking"
    )
    entry = drafted(tmp_path, line)
    assert entry.messages[0].text == "Stock location is blocked for picking"


def test_a_long_message_makes_a_short_title(tmp_path: Path) -> None:
    line = (
        "The shipping method chosen in the web shop for order 10492 has no matching "
        "delivery terms in the ERP and the order was put on hold"
    )
    entry = drafted(tmp_path, line)
    assert entry.title.endswith(" …")
    assert len(entry.title) <= 74
    assert entry.title.startswith("The shipping method chosen in the web shop for order {order_id}")


# --- language -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "lang"),
    [
        (LAGRET, "sv"),
        ("ERROR Kunde inte hitta artikeln för ordern", "sv"),
        ("WARN Kan ikke finne kunden for ordre 77", "no"),
        ("ERROR Could not find the customer for this order", "en"),
    ],
)
def test_the_language_is_guessed(tmp_path: Path, line: str, lang: str) -> None:
    entry = drafted(tmp_path, line)
    assert entry.messages[0].lang == lang


def test_swedish_and_norwegian_drafts_ask_for_a_translation(tmp_path: Path) -> None:
    assert drafted(tmp_path / "sv", LAGRET).messages[0].translation == "TODO translate"
    english = drafted(tmp_path / "en", "Could not find the customer for this order")
    assert english.messages[0].translation is None


# --- the draft is an entry ------------------------------------------------------------


def test_the_draft_has_the_keys_of_a_catalog_entry_in_order() -> None:
    tree = yamltree.parse(draft_entry("ACME_X", LAGRET))
    assert isinstance(tree, yamltree.Mapping)
    assert [key.value for key, _ in tree.pairs] == [
        "id", "title", "severity", "kind", "systems", "messages", "cause",
        "solution", "symptoms", "related", "examples", "counterexamples",
    ]  # fmt: skip


def test_the_draft_loads_and_every_example_matches_it(tmp_path: Path) -> None:
    entry = drafted(tmp_path, LAGRET)
    assert (entry.severity.value, entry.kind.value, entry.systems) == ("error", "pattern", ("any",))
    assert (entry.related, entry.counterexamples) == ((), ())
    assert entry.source == str(tmp_path)
    for example in entry.examples:
        assert top_id(example, tmp_path) == "ACME_X"


@pytest.mark.parametrize(
    "variant",
    [
        "Lagret Öst är låst för inventering",
        "Lagret Syd är låst för inventering",
        "2026-12-01T08:00:00Z ERROR [task 77] Lagret Väst är låst för inventering",
    ],
)
def test_variants_of_the_line_match_the_draft_right_away(tmp_path: Path, variant: str) -> None:
    drafted(tmp_path, LAGRET)
    assert top_id(variant, tmp_path) == "ACME_X"


def test_a_json_body_is_drafted_from_its_message(tmp_path: Path) -> None:
    entry = drafted(tmp_path, JSON_LINE)
    assert entry.messages[0].text == "Kunde inte hitta kund '{name}' för order {order_id}"
    assert entry.examples == (JSON_LINE, "Kunde inte hitta kund 'Acme AB' för order 10492")
    assert top_id(JSON_LINE, tmp_path) == "ACME_X"
    assert top_id("Kunde inte hitta kund 'Kalles Kaffe' för order 7", tmp_path) == "ACME_X"
    other = JSON_LINE.replace("Acme AB", "Bolaget").replace("10492", "555")
    assert top_id(other, tmp_path) == "ACME_X"


def test_catalog_check_reports_the_draft_and_nothing_else(tmp_path: Path) -> None:
    drafted(tmp_path, LAGRET)
    report = checks.check([tmp_path], only=[tmp_path])
    assert report.errors == []
    assert report.warnings == []
    assert report.failures == [
        f"{tmp_path / 'ACME_X.yaml'}: {field} still holds TODO: this is a draft"
        for field in ("cause", "solution", "symptoms", "messages")
    ]


# --- any line round-trips -------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        r"""2026-01-01 ERROR [x] sync: it's "odd" # really: C:\temp\new {"a": [1, 2]} 'q' done""",
        JSON_LINE,
        '{"error":"invalid_grant","error_description":"Refresh token \\"abc\\" expired"}',
        "ERROR\tfortnox:\x07 Kunde inte hitta valuta\\n för order #1: - [ ] & * ! | > % @ `",
        "- null: ~ # Kunde inte hitta kund för order 12",
    ],
)
def test_any_line_is_kept_exactly_as_the_first_example(tmp_path: Path, line: str) -> None:
    entry = drafted(tmp_path, line)
    assert entry.examples[0] == line


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(line=st.text(min_size=1, max_size=120).map(lambda text: f"Fel i lagret {text}"))
def test_the_yaml_of_any_line_reads_back_exactly(line: str) -> None:
    tree = yamltree.parse(draft_entry("ACME_X", line))
    assert isinstance(tree, yamltree.Mapping)
    examples = {key.value: value for key, value in tree.pairs}["examples"]
    assert isinstance(examples, yamltree.Sequence)
    first = examples.items[0]
    assert isinstance(first, yamltree.Scalar)
    assert first.value == line.strip()


# --- writing --------------------------------------------------------------------------


def test_the_draft_is_written_as_id_yaml_creating_the_directory(tmp_path: Path) -> None:
    directory = tmp_path / "our" / "catalog"
    path = write_draft("ACME_X", LAGRET, directory, force=False)
    assert path == directory / "ACME_X.yaml"
    assert path.read_text(encoding="utf-8") == draft_entry("ACME_X", LAGRET)


def test_an_existing_file_is_not_overwritten_without_force(tmp_path: Path) -> None:
    path = tmp_path / "ACME_X.yaml"
    path.write_text("id: ACME_X  # the team's own work\n", encoding="utf-8")
    with pytest.raises(DraftError) as error:
        write_draft("ACME_X", LAGRET, tmp_path, force=False)
    assert str(error.value) == f"{path} already exists; use --force to overwrite it"
    assert path.read_text(encoding="utf-8") == "id: ACME_X  # the team's own work\n"


def test_force_overwrites_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "ACME_X.yaml"
    path.write_text("old\n", encoding="utf-8")
    assert write_draft("ACME_X", LAGRET, tmp_path, force=True) == path
    assert path.read_text(encoding="utf-8") == draft_entry("ACME_X", LAGRET)


def test_a_directory_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "catalog").write_text("not a directory\n", encoding="utf-8")
    with pytest.raises(DraftError, match=f"^cannot create {tmp_path / 'catalog'}: "):
        write_draft("ACME_X", LAGRET, tmp_path / "catalog", force=False)


@pytest.mark.parametrize("bad_id", ["acme_x", "ACME-X", "1ACME", "_ACME", "ACME X", "", "../ACME"])
def test_a_bad_id_is_a_clear_error_and_writes_nothing(tmp_path: Path, bad_id: str) -> None:
    with pytest.raises(DraftError, match="is not a valid entry id: use UPPER_SNAKE_CASE"):
        write_draft(bad_id, LAGRET, tmp_path / "catalog", force=False)
    assert not (tmp_path / "catalog").exists()


def test_a_bad_id_error_suggests_a_good_one() -> None:
    with pytest.raises(DraftError, match="such as ACME_X "):
        draft_entry("acme-x", LAGRET)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("", "the line is empty"),
        ("   \t ", "the line is empty"),
        ("2026-11-24 ERROR [task 1] 10492", "nothing but variable parts"),
    ],
)
def test_a_line_without_a_message_is_a_clear_error(line: str, reason: str) -> None:
    with pytest.raises(DraftError, match=reason):
        draft_entry("ACME_X", line)


def test_a_draft_reads_back_exactly_with_yaml_safe_load(tmp_path) -> None:
    import yaml

    line = "ERROR [task 3] Lagret Nord: värde .inf och 0x1F avvisas << = \"citat\" 'enkel' no"
    path = write_draft("ACME_ODD", line, tmp_path, force=False)
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert loaded["examples"][0] == line
    assert loaded["messages"][0]["lang"] == "sv"  # not the boolean `no` nor anything else
    for value in (".inf", "0x1F", "<<", "="):
        assert value in loaded["messages"][0]["text"], value
    for text in loaded["examples"]:
        assert isinstance(text, str)
    assert yaml.safe_load(yaml.safe_dump(loaded, allow_unicode=True)) == loaded
