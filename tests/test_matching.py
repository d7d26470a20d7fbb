"""What the matcher answers for the shapes people paste, and what it refuses to answer."""

from __future__ import annotations

import json

import pytest
from conftest import CATALOG_IDS
from hypothesis import given, settings
from hypothesis import strategies as st

import junidiag
from junidiag import api

FISCAL = "FORTNOX_FISCAL_YEAR"
SHIPPING = "FORTNOX_SHIPPING_NOT_FOUND"

SHAPES = {
    "exact": ("Fiscal year not available", FISCAL),
    "filled in": ("Order with ID 10492 not found", "ORDER_NOT_FOUND"),
    "log line": (
        "2026-02-03T09:12:44Z ERROR [task 88120] Export Orders Shopify → Fortnox: "
        "Kunde inte hitta leveranssätt",
        SHIPPING,
    ),
    "json body": (
        '{"ErrorInformation":{"error":1,"message":"Kunde inte hitta moms","code":2000729}}',
        "FORTNOX_VAT_NOT_FOUND",
    ),
    "json body inside a logfmt msg": (
        'time=2026-02-03T09:12:45Z level=error msg="Fortnox API responded 400: '
        '{\\"ErrorInformation\\":{\\"error\\":1,\\"message\\":\\"Kunde inte hitta '
        'leveranss\\\\u00e4tt\\",\\"code\\":2001237}}" task=1 flow="Export Orders"',
        SHIPPING,
    ),
    "json body inside a json log line": (
        '{"ts":"2026-02-03T09:12:46Z","level":"error","flow":"Export Orders Shopify '
        '\\u2192 Fortnox","msg":"Fortnox API responded 400: {\\"ErrorInformation\\":'
        '{\\"error\\":1,\\"message\\":\\"Kunde inte hitta leveranss\\u00e4tt\\"}}"}',
        SHIPPING,
    ),
    "swedish without diacritics": ("kunde inte hamta valuta", "FORTNOX_CURRENCY_NOT_FOUND"),
    "mojibake": ("Kunde inte hÃ¤mta moms", "FORTNOX_VAT_NOT_FOUND"),
    "typos": ("Fiscal yaer not availble", FISCAL),
    "truncated": ("Customer name cannot be emp", "FORTNOX_CUSTOMER_NAME_EMPTY"),
    "ansi colours": ("\x1b[31mFiscal year not available\x1b[0m", FISCAL),
    "english description": (
        "the credit invoice for a return is missing the discount row",
        "REFUND_DISCOUNT_ROW_MISSING",
    ),
    "norwegian description": (
        "kreditnotaen for returen mangler rabattlinjen som var på ordren",
        "REFUND_DISCOUNT_ROW_MISSING",
    ),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_shape_names_its_entry_first(shape: str) -> None:
    text, expected = SHAPES[shape]
    found = junidiag.diagnose(text)
    assert found, f"no match for {text!r}"
    assert found[0].id == expected


NOT_ERRORS = [
    "the weather in Gothenburg is lovely today",
    "2026-02-03T09:12:47Z INFO [task 88121] Export Orders Shopify → Fortnox: order 10493 "
    "exported as invoice 30872",
    "2026-02-03T09:12:48Z WARN [task 88122] Export Payouts Klarna → Fortnox: slow response "
    "from api.klarna.com: 5384 ms",
    '{"ts":"2026-02-03T09:12:49Z","level":"error","flow":"Sync Stock Centra → Visma.net",'
    '"msg":"requests.exceptions.ConnectTimeout: HTTPSConnectionPool(host=\'api.centra.com\', '
    'port=443): Max retries exceeded"}',
    "INFO fiscal year 2026 found in Fortnox, booking order 30118",
    "Vi har stängt butiken för inventering på fredag",
]


@pytest.mark.parametrize("text", NOT_ERRORS)
def test_unrelated_lines_get_no_confident_answer(text: str) -> None:
    assert junidiag.diagnose(text) == []


def test_a_flow_name_alone_is_no_evidence() -> None:
    # the same unrelated message under flows named after catalog problems
    for flow in ("Export Payouts Qliro → Fortnox", "Sync Stock Business Central → Norce"):
        line = f"2026-02-03T09:13:00Z ERROR [task 1] {flow}: worker restarted by supervisor"
        assert junidiag.diagnose(line) == []


def test_the_specific_entry_outranks_the_grouped_reference() -> None:
    found = junidiag.diagnose("Kunde inte hitta moms")
    assert [m.id for m in found][:2] == ["FORTNOX_VAT_NOT_FOUND", "COMMON_FORTNOX_ERRORS_EXPLAINED"]
    assert found[0].score > found[1].score


def test_scores_run_from_0_to_100_and_confident_ones_from_60() -> None:
    matcher = api.matcher()
    for text in ("stock in the warehouse is wrong", "Fiscal yaer not availble", "moms"):
        for match in matcher.candidates(text):
            assert 0 < match.score <= 100
    for text, _ in SHAPES.values():
        assert all(60 <= m.score <= 100 for m in junidiag.diagnose(text))


def test_every_catalog_example_and_counterexample_holds(run) -> None:
    result = run("catalog", "check")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"OK: {len(CATALOG_IDS)} entries")


def test_the_json_answer_extracts_what_a_support_person_needs(run) -> None:
    text = "Currency EUR and Currency SEK does not match"
    best = json.loads(run("explain", "--json", text).stdout)["matches"][0]
    assert best["id"] == "FORTNOX_CURRENCY_MISMATCH"
    assert best["variables"] == {"payment_currency": "EUR", "invoice_currency": "SEK"}
    assert best["basis"] == "exact" and best["score"] == 100


def test_numbers_the_catalog_reads_are_never_forgotten_as_ids(run) -> None:
    # 429 means "too many requests", 401 an expired token: a line that differs from an
    # unmatched one only in such a number must still be answered on its own.
    lines = [
        "ERROR Sync Stock to Centra: batch 37/112: HTTP 500 from Centra",
        "ERROR Sync Stock to Centra: batch 38/112: HTTP 429 from Centra",
        "ERROR Export Orders to Business Central: HTTP 500 from Business Central",
        "ERROR Export Orders to Business Central: HTTP 401 from Business Central",
        "Loaded 7 Articles",
        "Loaded ０ Articles",
        "WARN Stock sync: SKU ## matched # products in Centra",
        "WARN Stock sync: SKU 10 matched 3 products in Centra",
    ]
    rows = [
        json.loads(line)
        for line in run("explain", "--json", input="\n".join(lines)).stdout.splitlines()
    ]
    answers = [row["match"] and row["match"]["id"] for row in rows]
    assert answers == [
        None, "RATE_LIMITED", None, "TOKEN_EXPIRED",
        None, "ERP_ZERO_ARTICLES_LOADED", None, "CENTRA_DUPLICATE_SKU",
    ]  # fmt: skip
    for line, answer in zip(lines, answers, strict=True):
        alone = junidiag.diagnose(line)
        assert (alone[0].id if alone else None) == answer


def test_an_escaped_emoji_in_a_json_line_is_no_crash(run) -> None:
    line = (
        '{"level":"error","msg":"Centra answers 429 halfway through the big stock push and '
        'the rest of the SKUs are not updated \\ud83d\\ude22 \\ud83d"}'
    )
    result = run("explain", "--json", input="Fiscal year not available\n" + line + "\n")
    rows = [json.loads(row) for row in result.stdout.splitlines()]
    assert [row["match"]["id"] for row in rows] == [FISCAL, "RATE_LIMITED"]
    assert "😢" in rows[1]["match"]["matched_text"]
    human = run("explain", line)
    assert human.exit_code == 0 and "RATE_LIMITED" in human.stdout


# --- a log line is judged on its message, not its envelope ---------------------------------

ENVELOPES = [
    "2026-02-03T09:12:44Z ERROR [task {n}] Export Orders Shopify → Fortnox: {message}",
    "2026-02-03 09:12:44,{n} ERROR junipeer.flows.orders: [task {n}] {message}",
    "Feb  3 09:12:44 sync-worker-2 junipeer[{n}]: ERROR Sync Stock Centra → Fortnox: {message}",
    'time=2026-02-03T09:12:44Z level=error msg="{message}" task={n} flow="Export Orders"',
    '{{"ts":"2026-02-03T09:12:44Z","level":"error","task":{n},"connector":"fortnox",'
    '"flow":"Export Payouts Klarna \\u2192 Fortnox","msg":"{message}"}}',
]


@pytest.mark.parametrize("envelope", ENVELOPES, ids=["iso", "pylog", "syslog", "logfmt", "json"])
def test_the_envelope_leaves_no_trace_in_the_answer(envelope: str) -> None:
    line = envelope.format(n=4711, message="Error message: Description exceeds 50 characters")
    (best, *_) = junidiag.diagnose(line)
    assert best.id == "ERROR_MESSAGE"
    assert best.matched_text == "Error message: Description exceeds 50 characters"
    assert best.variables == {"details": "Description exceeds 50 characters"}


def test_a_json_line_with_more_than_its_message_is_searched_whole() -> None:
    line = '{"level":"error","connector":"shopify","status":401,"msg":"access token expired"}'
    assert junidiag.diagnose(line)[0].id == "TOKEN_EXPIRED"


def test_names_in_the_envelope_are_not_evidence() -> None:
    # "Payouts" and "Fortnox" in a flow name say where a line was logged, not what it says
    line = "2026-02-03T09:12:44Z WARN [task 7] Export Payouts Qliro → Fortnox: retrying in 5 s"
    assert junidiag.diagnose(line) == []


def test_each_line_of_a_remembered_shape_gets_its_own_values(run) -> None:
    # The stream answers a message's shape once; every later line of that shape must
    # still carry its own order number, currency and text, as if diagnosed alone.
    lines = [
        envelope.format(n=n, message=f"order {n}: Currency {a} and Currency {b} does not match")
        for n, (a, b) in enumerate([("EUR", "SEK"), ("NOK", "SEK"), ("DKK", "EUR")] * 2, 100)
        for envelope in ENVELOPES
    ]
    rows = [
        json.loads(row)["match"]
        for row in run("explain", "--json", input="\n".join(lines) + "\n").stdout.splitlines()
    ]
    assert len(rows) == len(lines)
    for line, row in zip(lines, rows, strict=True):
        (alone, *_) = junidiag.diagnose(line)
        assert row["id"] == alone.id == "FORTNOX_CURRENCY_MISMATCH"
        assert row["variables"] == alone.variables
        assert row["matched_text"] == alone.matched_text
        assert alone.variables["payment_currency"] in line


def test_a_pasted_text_of_several_lines_is_one_text(run) -> None:
    text = "INFO sync started\nfetching orders\npage 2\npage 3\npage 4\nKunde inte hitta moms"
    assert junidiag.diagnose(text)[0].id == "FORTNOX_VAT_NOT_FOUND"
    assert run("explain", "--json", text).exit_code == 0


def test_an_escaped_json_body_in_a_log_line_is_matched_exactly_and_repaired() -> None:
    # UTF-8 bytes escaped one by one (`\u00c3\u00a4` for ä) inside a quoted API body
    line = (
        "2026-02-03T09:12:44Z ERROR [task 7] Export Payouts Klarna → Fortnox: Fortnox API "
        'responded 400: {"ErrorInformation":{"error":1,"message":"Kunde inte '
        'h\\u00c3\\u00a4mta valuta","code":2001560}}'
    )
    (best, *_) = junidiag.diagnose(line)
    assert (best.id, best.basis, best.score) == ("FORTNOX_CURRENCY_NOT_FOUND", "exact", 100)
    assert best.matched_text == "Kunde inte hämta valuta"


def test_lines_that_differ_in_an_escaped_letter_are_told_apart(run) -> None:
    # `\u0076` is "v" and `\u0077` is "w": digits only, yet another letter. The memory
    # of shapes must not replay the exact answer for "valuta" to the typo'd "waluta".
    body = 'ERROR Fortnox: {{"ErrorInformation":{{"message":"Kunde inte hitta \\u00{c}aluta"}}}}'
    lines = [body.format(c="76"), body.format(c="77"), body.format(c="76")]
    rows = run("explain", "--json", input="\n".join(lines) + "\n").stdout.splitlines()
    streamed = [(r["match"]["id"], r["match"]["basis"]) for r in map(json.loads, rows)]
    alone = [(found[0].id, found[0].basis) for found in map(junidiag.diagnose, lines)]
    assert streamed == alone
    assert [basis for _, basis in alone] == ["exact", "fuzzy", "exact"]


# Another message in a catalog message's frame: close letter by letter, but a near copy
# of a message has all of its words.
OTHER_MESSAGES = [
    "Kunde inte hämta data från servern",
    "kunde inte hitta ordern i webshopen",
    "ERROR Kunde inte hitta filen",
    "Could not find the file",
    "Could not find private key",
    "Could not retrieve the access log",
    "Could not map the product image",
    "Fiscal year now available",
    "Customer ID 55 now found",
    "ERROR Kunde inte hitta kunden mo",
    "Cannot update come in Visma",
]
NEAR_COPIES = {
    "kunde inte hita moms": "FORTNOX_VAT_NOT_FOUND",
    "Fiscal yaer not availble": "FORTNOX_FISCAL_YEAR",
    "Fiscal yearnot available": "FORTNOX_FISCAL_YEAR",
    "Customer name cannot be emp": "FORTNOX_CUSTOMER_NAME_EMPTY",
    "Export Orders to Fortnox failed - The account is not act": "FORTNOX_ACCOUNT_INACTIVE",
    "Cash acount not fund": "CASH_ACCOUNT_NOT_FOUND",
    "Fiscal yr not avaliable": "FORTNOX_FISCAL_YEAR",
    "Customer name cannot be": "FORTNOX_CUSTOMER_NAME_EMPTY",
    "Lacks authorization for cost...": "FORTNOX_COST_CENTER_AUTH",
    "Currency EUR and Currency SEK does not": "FORTNOX_CURRENCY_MISMATCH",
    "Couldn't retrieve currency": "FORTNOX_CURRENCY_NOT_FOUND",
    "Fiscal year unavailable": "FORTNOX_FISCAL_YEAR",
    "Kunde ej hitta moms": "FORTNOX_VAT_NOT_FOUND",
}


def test_fortnox_own_wording_of_a_missing_customer_is_that_entry() -> None:
    # Fortnox's `Kan inte hitta kunden.` / `Kunde inte hämta/hitta kund (kundnummer)`
    for text in ("Kan inte hitta kunden", "Kan inte hitta kunden.", "Kunde inte hitta kund"):
        (best, *_) = junidiag.diagnose(text)
        assert best.id == "CUSTOMER_ID_NOT_FOUND", text


@pytest.mark.parametrize("text", OTHER_MESSAGES)
def test_another_message_in_the_same_frame_is_not_a_near_copy(text: str) -> None:
    assert junidiag.diagnose(text) == []


@pytest.mark.parametrize("text", list(NEAR_COPIES))
def test_typos_merged_words_and_truncation_keep_a_near_copy(text: str) -> None:
    (best, *_) = junidiag.diagnose(text)
    assert (best.id, best.basis) == (NEAR_COPIES[text], "fuzzy")


def test_a_report_that_something_is_available_is_not_a_problem() -> None:
    assert junidiag.diagnose("Fiscal year 2026 is available") == []
    assert junidiag.diagnose("Räkenskapsåret 2026 är tillgängligt i Fortnox") == []
    assert junidiag.diagnose("Fiscal year not available")[0].id == "FORTNOX_FISCAL_YEAR"


PARAPHRASES_RIGHT = 372
KNOWN_FALSE_ALARMS = [
    # Negatives the description tier still answers (in the order the test reads them):
    # how-to questions and status lines that share an entry's every concept ("exported
    # as credit note" reads as a miscast; a quota's "used" or "numbers left" as a
    # shortage), and expiry
    # of a certificate or another product's token read as a connector's token.
    "How do I issue a credit note by hand in Fortnox?",
    "Order 10492 kunde inte skickas till lagret: adressen saknar postnummer",
    "Mva-satsen 25 % brukes på alle norske ordre",
    "Access token for the Google Sheets export expired",
    "Rate limit status: 12 of 25 calls used this second",
    "Refund 4410 exported as credit note 9981 including the discount line",
    "Kostnadsställe 'BUT' aktivt och satt på verifikationen",
    "Order status filter set to 'paid, fulfilled'",
    "Visma Business number series 'Ordre' has 9 210 numbers left",
    "error: You must be logged in to the server (Unauthorized)",
    "x509: certificate has expired or is not yet valid",
]


def best_id(text: str) -> str | None:
    """The id `explain` names first for `text`, or None when nothing is confident."""
    found = junidiag.diagnose(text)
    return found[0].id if found else None


def _train_lines(held_out: bool) -> list[dict]:
    """tests/data/train's lines: the part benchmarks/calibrate.py fits on, or the fifth it
    holds out (by a hash of the text) and never fits on."""
    import zlib

    from conftest import DATA

    rows = [
        json.loads(line)
        for path in sorted((DATA / "train").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [r for r in rows if (zlib.crc32(r["text"].encode("utf-8")) % 5 == 0) == held_out]


def _score(rows: list[dict]) -> tuple[int, int, int, int]:
    """(positives, named right, negatives, answered anyway)."""
    positives = [r for r in rows if r["expect"]]
    negatives = [r for r in rows if not r["expect"]]
    right = sum(
        bool(found := junidiag.diagnose(r["text"])) and found[0].id in r["expect"]
        for r in positives
    )
    wrong = sum(bool(junidiag.diagnose(r["text"])) for r in negatives)
    return len(positives), right, len(negatives), wrong


def test_the_held_out_lines_keep_their_exact_score() -> None:
    """Complaints, retold messages, typos and negatives the confidence was not fitted on:
    the score is pinned exactly, so a change that loses a right answer or gains a wrong
    one is seen (update the numbers only for a change that is meant)."""
    assert _score(_train_lines(held_out=True)) == (156, 133, 46, 2)


def test_our_own_labelled_sets_keep_their_accuracy() -> None:
    """tests/data: descriptions and log lines written without the catalog at hand, and
    lines that are no catalog problem (see benchmarks/accuracy.py for the failures).
    They are fitted on, so the bar is high: every positive but a known few is named, and
    the negatives a description still misreads are listed by name."""
    from conftest import DATA

    cases = [json.loads(line) for line in (DATA / "paraphrases.jsonl").open(encoding="utf-8")]
    negatives = (DATA / "negatives.txt").read_text(encoding="utf-8").splitlines()
    positives = [c for c in cases if c["expect"]]
    found = [junidiag.diagnose(c["text"]) for c in positives]
    right = sum(bool(f) and f[0].id in c["expect"] for f, c in zip(found, positives, strict=True))
    assert (len(positives), right) == (382, PARAPHRASES_RIGHT)
    wrong = [
        t for t in negatives + [c["text"] for c in cases if not c["expect"]] if junidiag.diagnose(t)
    ]
    assert wrong == KNOWN_FALSE_ALARMS


# What the envelope split must leave in the message: anything that is not plainly
# envelope (timestamps, levels, task and connector ids, known fields, flow names).
MESSAGES_BESIDE_AN_ENVELOPE = {
    "level=error msg=Invalid grant": "OAUTH_INVALID_GRANT",
    'level=error msg="Kunde inte hitta moms" Extra words': "FORTNOX_VAT_NOT_FOUND",
    "2026-02-03T09:12:44Z ERROR [task 7] [Kunde inte hitta moms] retrying": (
        "FORTNOX_VAT_NOT_FOUND"
    ),
    '2026-02-03T09:12:44Z ERROR error="Invalid grant" retrying later': "OAUTH_INVALID_GRANT",
    "2026-02-03T09:12:44Z ERROR reason=Invalid grant": "OAUTH_INVALID_GRANT",
    "2026-02-03T09:12:44Z ERROR [Too many requests] retry in 5s": "RATE_LIMITED",
    "ERROR Kunde inte hitta moms -> retry: 3": "FORTNOX_VAT_NOT_FOUND",
    "Invalid grant -> reconnect: see docs": "OAUTH_INVALID_GRANT",
    "2025-06-02T03:00:01Z CRITICAL [connector visma.net #118] POST /connect/token -> 400 "
    '{"error":"invalid_grant"}': "OAUTH_INVALID_GRANT",
}


@pytest.mark.parametrize("line", list(MESSAGES_BESIDE_AN_ENVELOPE))
def test_the_envelope_split_keeps_every_word_of_the_message(line: str) -> None:
    assert junidiag.diagnose(line)[0].id == MESSAGES_BESIDE_AN_ENVELOPE[line]


def test_structured_lines_keep_their_level_and_message() -> None:
    from junidiag.text.envelope import split_envelope

    payload = {"ts": "2026-02-03T09:12:44Z", "level": "error", "payload": "x" * 9000}
    long_line = json.dumps({**payload, "msg": "Invalid grant"})
    assert split_envelope(long_line)[0] == 1  # parsed whole, not cut and read as text
    assert junidiag.diagnose(long_line)[0].id == "OAUTH_INVALID_GRANT"
    assert split_envelope('{"level":50,"msg":"Invalid grant"}') == (1, "Invalid grant")  # pino
    assert split_envelope('{"level":30,"msg":"sync done"}') == (-1, "sync done")
    bom = "\ufeff2026-02-03T09:12:44Z ERROR [task 1] Invalid grant"
    assert split_envelope(bom) == (1, "Invalid grant")


def test_escapes_outside_a_json_field_are_read_decoded() -> None:
    for line in (
        "ERROR Kunde inte h\\u00e4mta moms",
        'ERROR message="Kunde inte h\\u00e4mta moms"',
    ):
        (best, *_) = junidiag.diagnose(line)
        assert (best.id, best.basis) == ("FORTNOX_VAT_NOT_FOUND", "exact")


def test_a_sync_that_went_through_without_errors_is_no_problem() -> None:
    assert junidiag.diagnose("Synk klar: 312 ordrar överförda till Fortnox utan fel") == []
    assert junidiag.diagnose("Synk ferdig, 57 ordre overført uten feil") == []
    # but a run that stops and says nothing is one
    stopped = "Export Many to Fortnox quits after some 750 records with no error message"
    assert junidiag.diagnose(stopped)[0].id == "SYNC_STOPS_MIDWAY"


@pytest.mark.parametrize(
    "text",
    [
        "Payment method Klarna mapped to cash account 1580",
        "Kunden 10021 uppdaterades i Visma.net, ny adress sparad",
        "Enhet 'stk' synkronisert for 64 varer",
        "INFO 0 tasks in error state, 2 340 tasks completed today",
    ],
)
def test_a_status_line_that_reports_only_success_is_no_problem(text: str) -> None:
    # it shares an entry's nouns because it reports that entry's step going well
    assert junidiag.diagnose(text) == []


def test_a_retyped_error_line_keeps_its_typos_forgiven() -> None:
    # people retype a loud line as well as a bare message; a routine line stays routine
    line = "ERROR: The acount is not activ (konto 3001)"
    assert junidiag.diagnose(line)[0].id == "FORTNOX_ACCOUNT_INACTIVE"
    assert junidiag.diagnose("INFO The acount is now activ (konto 3001)") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a typo that changes the stem: a letter doubled, two swapped, one left out
        ("tokken expired in Fortnox, all syncs stopped", "TOKEN_EXPIRED"),
        ("the order status fitler in Junipeer is ignored", "ORDER_STATUS_FILTER"),
        (
            "some webshop orders are mising in Junipeer and there are no erorrs",
            "ORDERS_MISSING_FROM_SYNC",
        ),
    ],
)
def test_a_description_typed_with_typos_is_read_as_meant(text: str, expected: str) -> None:
    assert junidiag.diagnose(text)[0].id == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fortnox hittar inte konto 3010 alls", "FORTNOX_ACCOUNT_NOT_FOUND"),
        ("Fortnox finner ikke konto 3010 overhodet", "FORTNOX_ACCOUNT_NOT_FOUND"),
    ],
)
def test_at_all_says_nothing_about_which_entry(text: str, expected: str) -> None:
    # "alls", "overhodet": emphasis, not a word of any entry to weigh
    assert best_id(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # "quote" is not "quota" (a rate limit), "stable" is not "stale" (old data)
        "Please quote adding a second Shopify store to the same Fortnox company",
        "After we corrected the address in Shopify the old one is still stable in Junipeer",
    ],
)
def test_a_word_one_letter_from_a_known_one_is_not_taken_for_it(text: str) -> None:
    assert junidiag.diagnose(text) == []


def test_a_word_with_an_ending_is_not_a_typo() -> None:
    # "Vismas" is Visma's, not "visas"
    text = "vi får fel: Vismas felsvar går inte att tolka som JSON"
    assert [m.id for m in junidiag.diagnose(text)] == ["VISMA_JSON_DECODE_ERROR"]


def test_a_related_runner_up_does_not_make_a_short_complaint_unsure() -> None:
    # the fiscal-year entry and the locked period it names as related share these words;
    # either would help, so their closeness is no reason to stay silent
    assert junidiag.diagnose("räkenskapsåret saknas i Fortnox")[0].id == "FORTNOX_FISCAL_YEAR"


def test_a_year_end_is_a_time_not_a_failure() -> None:
    assert junidiag.diagnose("Year-end closing for fiscal year 2024 completed in Fortnox") == []


def test_a_magento_error_is_read_with_its_parameters_filled_in() -> None:
    # Magento's REST errors send the placeholders and their values apart
    body = (
        '{"message":"No such entity with %fieldName = %fieldValue",'
        '"parameters":{"fieldName":"customerId","fieldValue":"4418"}}'
    )
    match = junidiag.diagnose(body)[0]
    assert (match.id, match.score) == ("CUSTOMER_ID_NOT_FOUND", 100)
    assert match.variables == {"customer_id": "4418"}
    positional = '{"message":"No such entity with %1 = %2","parameters":["orderId","77"]}'
    assert junidiag.diagnose(positional)[0].id == "ORDER_NOT_FOUND"


def test_a_state_reported_as_another_is_still_a_problem() -> None:
    # "completed" is good news, but "shows up as completed" reports a wrong state
    text = "Orders cancelled in SAP Business One show up as completed in the webshop"
    assert junidiag.diagnose(text)[0].id == "SAP_B1_ORDER_STATUS"


def test_invalid_in_swedish_and_norwegian_reads_as_a_problem() -> None:
    from junidiag.matching.cues import Cues

    assert Cues.of("ogiltigt grant när token skulle förnyas").problem == 1
    assert Cues.of("ugyldig grant fra Visma.net").problem == 1


def test_a_messages_shape_masks_only_the_numbers_nothing_reads_by_value() -> None:
    # The shape is what the log path remembers answers by: ids and amounts are
    # masked digit for digit, numbers the catalog reads (Loaded 0 Articles, a
    # Fortnox code) and escaped letters stay, in ASCII and in other text alike.
    blind = api.matcher().blind
    assert blind("order 5716639369 has no phone number") == "order ########## has no phone number"
    assert blind("Loaded 0 Articles (2000637), task 31337") == (
        "Loaded 0 Articles (2000637), task #####"
    )
    assert blind("Kunde inte hämta order 4711 för år 2026") == (
        "Kunde inte hämta order #### för år ####"
    )
    assert blind("h\\u00e4mta 4711") == "h\\u00e4mta ####"
    assert blind("invoice #4711") == "invoice \\#####"
    assert blind("<HTTPSConnection object at 0x7f3a2b1c0d90>") == (
        "<HTTPSConnection object at 0x############>"
    )


SHAPE_ALPHABET = "0123456789#\\u aäxf-"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=SHAPE_ALPHABET, max_size=12), st.text(alphabet=SHAPE_ALPHABET, max_size=12))
def test_texts_that_differ_in_more_than_their_ids_never_share_a_shape(a: str, b: str) -> None:
    blind = api.matcher().blind
    if blind(a) == blind(b):
        # the same text but for the digits of numbers nothing reads by value
        assert ids_as_zeros(a) == ids_as_zeros(b)


def ids_as_zeros(text: str) -> str:
    import re

    text = re.sub(r"(?<!\w)0x[0-9a-fA-F]+(?!\w)", lambda m: "0x" + "0" * (len(m[0]) - 2), text)
    return text.translate(_ANY_DIGIT)


_ANY_DIGIT = str.maketrans("0123456789", "0000000000")


@pytest.mark.parametrize(
    "text",
    [
        "Kunde inte hämta valuta",
        "Det var ikke mulig å allokere nummer fra den angitte nummerserien",
        "Når vi registrerer varemottak i SAP B1 blir ikke lageret oppdatert i Shopify",
        "ERROR [task 7] Export Orders Shopify → Fortnox: Kunde inte hitta leveranssätt",
    ],
)
def test_text_that_went_through_a_wrong_decoding_once_or_twice_is_read_as_written(
    text: str,
) -> None:
    once = text.encode("utf-8").decode("cp1252")
    twice = once.encode("utf-8").decode("cp1252")
    written = [(m.id, m.score) for m in junidiag.diagnose(text)]
    assert written
    assert [(m.id, m.score) for m in junidiag.diagnose(once)] == written
    assert [(m.id, m.score) for m in junidiag.diagnose(twice)] == written


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SKU 1001 finns på två produkter i Centra", "CENTRA_DUPLICATE_SKU"),
        ("samme SKU finnes på to produkter i Centra", "CENTRA_DUPLICATE_SKU"),
        ("Centra SKU 1001 matched 2 products", "CENTRA_DUPLICATE_SKU"),
        ("SKU 1001 matched 0 products in Centra", None),
    ],
)
def test_a_number_tells_a_duplicate_from_nothing_found(text: str, expected: str | None) -> None:
    # "two products" / "matched 2" report one SKU on several products; "matched 0"
    # reports nothing found, which is not that entry
    assert best_id(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a problem said to be solved is good news, in each language
        ("The duplicate invoice problem is fixed since the last release", None),
        ("Felet med fakturor som skapades två gånger är åtgärdat", None),
        ("Feilen med doble fakturaer er rettet av supporten", None),
        ("Ingen ordre mangler etter at vi byttet lager", None),  # none of one problem
        ("We haven't seen a single duplicate invoice since the upgrade", None),
        ("Vi har inte sett ett enda fel sedan vi bytte lager", None),
        ("Alla returer blev kreditfakturor som de ska", None),  # as they should
        # …unless what follows reports another problem
        ("The token problem is fixed but now every order fails: Kunde inte hitta moms",
         "FORTNOX_VAT_NOT_FOUND"),
        # a problem still there, its solving denied
        ("We still get duplicate invoices for the same order, nothing is fixed",
         "DUPLICATE_INVOICE"),
        ("Dubbla fakturor för varje order igen, inget är löst", "DUPLICATE_INVOICE"),
        # …or conceded, or reported beside it, or "fixed" a constant, not a repair
        ("Fortnox returns 401 Unauthorized even though the token problem is fixed",
         "TOKEN_EXPIRED"),
        ("Dubbla fakturor i Fortnox igen fast supporten sa att det är löst",
         "DUPLICATE_INVOICE"),
        ("2026-12-07T10:00:01Z ERROR [fortnox-sync] Invoice 4411 rejected by Fortnox: the"
         " period is locked, fiscal year is fixed to 2025", "FORTNOX_PERIOD_LOCKED"),
    ],
)  # fmt: skip
def test_a_problem_said_to_be_solved_is_no_problem(text: str, expected: str | None) -> None:
    assert best_id(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Faktura 60211 har restbelopp 0,01 kr efter betalningen", "ROUNDING_UNPAID_AMOUNT"),
        ("WARNING Invoice 60211 has a remaining balance 0.01 EUR after the payout",
         "ROUNDING_UNPAID_AMOUNT"),
        ("Invoice 60211 fully paid, remaining balance 0.00 EUR", None),  # all is well
        ("Ingen mva-feil denne måneden", None),  # a problem said not to be there
        ("Reverse charge fungerar nu för våra EU-kunder", None),
    ],
)  # fmt: skip
def test_good_news_is_told_from_a_leftover_amount(text: str, expected: str | None) -> None:
    assert best_id(text) == expected


@pytest.mark.parametrize(
    ("text", "good"),
    [
        ("Ordrarna fastnar inte längre i Visma.net", True),
        ("Orders to Visma.net are no longer stopped", True),
        ("Fiscal year missing in Fortnox, but now it works again", True),
        ("Synken mot Fortnox stoppet i går, men nå fungerer det igjen", True),
        ("It works in Fortnox but not in Visma.net", False),
        ("Orders to Visma.net no longer fail", True),
        ("Orders are no longer synced to Fortnox", False),  # success said to be over
        ("It worked yesterday but now the export fails in Fortnox", False),
        ("Synken fungerade igår men nu stannar den", False),
        # "no longer" beside a word that is no failure is no good news
        ("Orders no longer appear in Fortnox", False),
        ("Ordrarna blir inte längre synkade till Fortnox", False),
        ("Det fungerade förut men inte längre", False),
        ("Fakturaene blir ikke lenger overført til Fortnox", False),
        # a greeting "again" and "just wanted to say" neither repeat nor concede anything
        ("Hei igjen! Ville bare si at feilen med kassekontoen er løst nå.", True),
        ("Hi again, just wanted to say the duplicate invoice problem is fixed.", True),
        ("Hej igen! Vill bara säga att felet med momsen är löst.", True),
    ],
)
def test_a_problem_said_to_be_over_is_good_news(text: str, good: bool) -> None:
    from junidiag.matching.cues import Cues

    assert Cues.of(text).good_news(0) is good
    if good:
        assert junidiag.diagnose(text) == []


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Rate limit headroom: 38/40 requests remaining", True),
        ("API-kvot: 3 812 av 10 000 anrop kvar i dag", True),
        ("0 of 40 requests remaining, slowing down", False),  # nothing left: a problem
        ("Fakturan har 1 öre kvar att betala", False),  # a leftover, not a share
        ("centra.client rate limit remaining 38/40", True),  # the count after its word
        ("remaining: 0/40", False),
    ],
)
def test_a_share_still_left_is_a_status(text: str, status: bool) -> None:
    from junidiag.matching.cues import Cues

    assert Cues.of(text).good_news(0) is status


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Since we closed the year, vouchers no longer end up in Fortnox, the period seems locked",
         "FORTNOX_PERIOD_LOCKED"),
        ("Refunds from Shopify no longer appear in Fortnox as credit invoices",
         "REFUND_AS_INVOICE"),
        ("bara en typ av uppgift får licensfel, resten av synken mot Fortnox fungerar",
         "FORTNOX_SCOPE_NO_LICENSE"),
        ("Centra: 401 Unauthorized", "TOKEN_EXPIRED"),
        ("Klarna API call failed: 401 Unauthorized", "TOKEN_EXPIRED"),
    ],
)  # fmt: skip
def test_a_problem_worded_near_good_news_keeps_its_answer(text: str, expected: str) -> None:
    (best, *_) = junidiag.diagnose(text)
    assert best.id == expected and best.score >= 60


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("No duplicate invoices in Fortnox since Monday", True),
        ("Inga dubbla fakturor sedan i måndags", True),
        ("Ikke en eneste feil i natt", True),
        ("No VAT rate for Germany in Fortnox", False),  # nothing to deny: a report
        ("No orders were synced today", False),  # a success denied: a failure
        ("No task appears in Junipeer when we click the nShift button", False),
        ("Inga fel men ordrarna saknas i Fortnox", False),  # a second problem
        ("No error when Shopify orders vanish from Fortnox", False),  # what did happen
    ],
)
def test_a_text_opening_with_none_of_one_problem_is_good_news(text: str, denied: bool) -> None:
    from junidiag.matching.cues import Cues

    assert Cues.of(text).good_news(0) is denied


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Inga problem i Shopify, fakturorna skapas dubbelt i Fortnox", "DUPLICATE_INVOICE"),
        ("No issue with orders, the refunds are booked as shipping", "RETURN_FEE_AS_SHIPPING"),
        ("No error in Junipeer, orders stuck in pending", "ORDERS_MISSING_FROM_SYNC"),
        ("No errors in the log. Orders never reach Fortnox", "ORDERS_MISSING_FROM_SYNC"),
    ],
)
def test_none_of_one_problem_then_another_is_a_report(text: str, expected: str) -> None:
    (best, *_) = junidiag.diagnose(text)
    assert best.id == expected and best.score >= 60


def test_good_news_said_not_to_be_so_is_no_good_news() -> None:
    from junidiag.matching.cues import Cues

    assert Cues.of("Det funkar nu igen efter omstarten").success > 0
    assert Cues.of("Funkar nu inte, ordrarna kommer inte över till Fortnox").success == 0
    assert Cues.of("it works now, not before").success > 0  # the "not" is about something else
    assert Cues.of("The Klarna payout matches no invoice in Fortnox").success == 0


@pytest.mark.parametrize(
    "text",
    [
        "Fortnox: unable to look up the currency",
        "säger fortnox, vilket konto",
        '{"message":"Valuta CHF kunde inte hämtas från Fortnox"}',
        "the sync to Fortnox.",
    ],
)
def test_a_system_is_named_whatever_punctuation_stands_around_it(text: str) -> None:
    matcher = api.matcher()
    fortnox_only = [n for n, e in enumerate(matcher.entries) if e.systems == ("Fortnox",)]
    assert set(fortnox_only) <= matcher.named_systems(text)


def test_naming_the_platform_names_no_system_and_its_own_entries_fit_any() -> None:
    matcher = api.matcher()
    assert matcher.named_systems("some orders never showed up in Junipeer") == {-1}
    references = [e.id for e in matcher.entries].index("REFERENCE_CREATE_FAILED")
    named = matcher.named_systems("linking a Shopify order to a Fortnox invoice fails")
    assert matcher.systems_fit(references, named) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("text", "ambiguous"),
    [
        ("Centra SKU 1001 matched 2 products", True),
        ("Centra: SKU 1001 hittade två produkter", True),
        ("Centra: SKU 1001 fant to produkter", True),
        ("Payout matched to 58 invoices, fee written off", False),  # English "to"
    ],
)
def test_a_count_after_a_verb_is_read_in_the_verbs_language(text: str, ambiguous: bool) -> None:
    from junidiag.matching.cues import Cues, reports_double
    from junidiag.text.cleaning import fold

    assert reports_double(fold(text)) is ambiguous
    assert (Cues.of(text).problem > 0) is ambiguous


CODED = {
    '{"ErrorInformation":{"error":1,"message":"Something else","code":2000433}}': (
        "CUSTOMER_ID_NOT_FOUND"
    ),
    "Request failed with Error Code: 2000433": "CUSTOMER_ID_NOT_FOUND",
    "Fortnox felkod 2001089 vid inbetalning": "FORTNOX_PAYMENT_DATE",
    '{"error":{"code":"InvalidAuthenticationToken","message":"x"}}': "TOKEN_EXPIRED",
    "AADSTS700082: token problem for tenant": "OAUTH_INVALID_GRANT",
    # an SDK's error as PHP's print_r and a Python dict show it
    "Adyen\\AdyenException: Array ( [status] => 403 [errorCode] => 010 [message] => x )": (
        "ADYEN_NOT_ALLOWED"
    ),
    "adyen.exceptions.AdyenAPIError: {'status': 403, 'errorCode': '010', 'message': 'x'}": (
        "ADYEN_NOT_ALLOWED"
    ),
}


@pytest.mark.parametrize("text", list(CODED))
def test_a_vendor_code_where_a_code_stands_names_its_entry(text: str) -> None:
    (best, *_) = junidiag.diagnose(text)
    assert (best.id, best.basis) == (CODED[text], "code")
    assert best.score == 98


def test_not_coming_in_reads_alike_in_every_language() -> None:
    # "don't come into" is what "kommer inte in" / "kommer ikke inn" say: the same
    # closest entries, in the same order, whichever language asks
    from junidiag import api

    texts = [
        "orders from Shopify don't come into Fortnox",
        "ordrar från Shopify kommer inte in i Fortnox",
        "ordre fra Shopify kommer ikke inn i Fortnox",
    ]
    closest = [[m.id for m in api.matcher().candidates(text, 3)] for text in texts]
    assert closest[0] == closest[1] == closest[2]


def test_a_code_match_is_in_the_language_of_the_text_around_the_code() -> None:
    # the code is evidence; what the user reads it in is the message beside it
    assert junidiag.diagnose("Kunde inte hitta kunden (2000433)")[0].language == "sv"
    assert junidiag.diagnose("Fant ikke kunden, feilkode 2000433")[0].language == "no"
    assert junidiag.diagnose("Request failed with Error Code: 2000433")[0].language == "en"


@pytest.mark.parametrize(
    "text",
    [
        "order 2000433 exported to Fortnox",
        "invoice 2001089 booked",
        "task 2000433 started",
        "Array ( [order] => 010 [status] => shipped )",
    ],
)
def test_the_same_digits_as_an_order_or_invoice_number_are_no_code(text: str) -> None:
    assert junidiag.diagnose(text) == []


ANOTHER_VENDOR_ERROR = {
    # Klarna's cancel refusal, worded close to its capture refusal
    "Klarna 403 CANCEL_NOT_ALLOWED - order 8812 has captures, so it can no longer be cancelled":
        "KLARNA_CAPTURE_NOT_ALLOWED",
    # Entra's bad client secret, worded close to an expired connection
    "Token request failed: AADSTS7000215 Invalid client secret provided, reconnect needed":
        "TOKEN_EXPIRED",
}  # fmt: skip


@pytest.mark.parametrize("text", list(ANOTHER_VENDOR_ERROR))
def test_a_vendor_code_the_catalog_never_mentions_leaves_its_neighbour_unsure(text: str) -> None:
    assert junidiag.diagnose(text) == []
    close = api.matcher().suggestions(text)
    assert ANOTHER_VENDOR_ERROR[text] in [m.id for m in close]
    assert all(m.score < 60 for m in close)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a status name is how the request failed, not which error it was
        ("UNPROCESSABLE_ENTITY: Fortnox has no fiscal year set up for the date of this voucher",
         "FORTNOX_FISCAL_YEAR"),
        # a code the catalog mentions (in a message) though no entry claims it
        ("BAD_VALUE: Klarna says the tax amount on order line 2 is wrong",
         "KLARNA_BAD_VALUE_ORDER_LINES"),
        # capitals and underscores that stand for no code: a variable, a field, a job
        ("Access token has expired for Fortnox, please reconnect FORTNOX_CLIENT_SECRET",
         "TOKEN_EXPIRED"),
        ("Access token has expired for Fortnox, please reconnect. ORDER_ID=10492", "TOKEN_EXPIRED"),
        ("Rate limit exceeded for Fortnox API, retrying in 5 s RETRY_AFTER=5", "RATE_LIMITED"),
        ("The fiscal year is missing for the voucher date (job=EXPORT_VOUCHERS)",
         "FORTNOX_FISCAL_YEAR"),
        ("AN ERROR OCCURRED DURING COMMUNICATION WITH KLARNA (BAD VALUE: ORDER_LINES).",
         "KLARNA_BAD_VALUE_ORDER_LINES"),
    ],
)  # fmt: skip
def test_capitals_that_are_no_unknown_vendor_code_leave_the_answer_confident(
    text: str, expected: str
) -> None:
    (best, *_) = junidiag.diagnose(text)
    assert (best.id, best.basis in ("symptom", "fuzzy")) == (expected, True)
    assert best.score >= 60


def test_an_entra_code_keeps_its_digits_in_a_logs_shape(run) -> None:
    """Two Entra codes differ in their digits alone; one the catalog knows is never
    replayed for one it does not (the shape keeps a known code's digits)."""
    known = (
        "2026-01-02T10:00:00Z ERROR [task 1] Visma.net: AADSTS700082: The refresh token has expired"
    )
    other = (
        "2026-01-02T10:00:01Z ERROR [task 2] Visma.net: AADSTS700016: The refresh token has expired"
    )
    result = run("explain", "--json", input=f"{known}\n{other}\n{known}\n")
    answers = [json.loads(line)["match"] for line in result.stdout.splitlines()]
    fresh = [junidiag.diagnose(text) for text in (known, other, known)]
    assert [a and a["id"] for a in answers] == [f[0].id if f else None for f in fresh]
    assert answers[0] is not None and answers[1] is None


def test_a_message_outranks_a_code_another_entry_claims() -> None:
    text = '{"ErrorInformation":{"message":"Fiscal year not available","code":2000433}}'
    found = junidiag.diagnose(text)
    assert [(m.id, m.basis) for m in found] == [
        ("FORTNOX_FISCAL_YEAR", "exact"),
        ("CUSTOMER_ID_NOT_FOUND", "code"),
    ]


def test_an_exception_with_another_message_after_it_is_another_error() -> None:
    # the exception eAccounting names before its module refusal, with another message
    # after it: another refusal, offered but not sure
    text = (
        "Export to Visma eAccounting failed (403): ForbiddenRequestException - The user of"
        " this integration may not use this company, ask the company's administrator"
    )
    assert junidiag.diagnose(text) == []
    close = api.matcher().suggestions(text)
    assert "VISMA_EACCOUNTING_NO_API_MODULE" in [m.id for m in close]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a person retells a message with a word of their own: the same message
        ("Kunne ikke finne størrelsen i produktattributtene", "PRODUCT_SIZE_NOT_IDENTIFIED"),
        ("Fortnox says it could not retrieve the delivery method", "FORTNOX_SHIPPING_NOT_FOUND"),
        # a frame the catalog fills with several words: the word in it tells them apart
        ('{"ErrorInformation":{"error":1,"message":"Kan inte hitta kontot."}}',
         "FORTNOX_ACCOUNT_NOT_FOUND"),
        # the exception with the catalog's message after it, another module named
        ("Visma eAccounting: ForbiddenRequestException - No access to module: api_invoicing",
         "VISMA_EACCOUNTING_NO_API_MODULE"),
        # a message retold in a log line or a sentence, in another catalog message's
        # words ("the account is not active", "requested entity doesn't exist")
        ("2026-03-01 ERROR Export Invoices to Fortnox: The cost center is not active",
         "FORTNOX_COST_CENTER_INACTIVE"),
        ("2026-03-01 ERROR Export Invoices to Fortnox: Fiscal year missing for the voucher date",
         "FORTNOX_FISCAL_YEAR"),
        ("the requested article doesn't exist in Fortnox", "FORTNOX_ARTICLE_NOT_FOUND"),
    ],
)  # fmt: skip
def test_a_message_retold_or_in_a_shared_frame_keeps_its_answer(text: str, expected: str) -> None:
    (best, *_) = junidiag.diagnose(text)
    assert best.id == expected and best.score >= 60


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a 404 on one customer's URL: that customer is missing
        ("GET https://api.fortnox.se/3/customers/10458 -> 404 Not Found", "CUSTOMER_ID_NOT_FOUND"),
        # a 404 on the list's URL: the endpoint is (a wrong API path or version)
        ("Request to 'https://api.businesscentral.dynamics.com/v2.0/tenant-1/Production/api/"
         "v2.0/companies(1a2b3c4d)/customers' failed (404): Not Found", None),
    ],
)  # fmt: skip
def test_a_urls_path_counts_down_to_its_last_id(text: str, expected: str | None) -> None:
    assert best_id(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # WooCommerce answers every authentication refusal with one code: its message
        # says which (class-wc-rest-authentication.php)
        ("2026-06-01T04:00:00Z ERROR [task 9120] Import Orders from WooCommerce: 401"
         " woocommerce_rest_authentication_error - Consumer secret is invalid.", "TOKEN_EXPIRED"),
        ('{"code":"woocommerce_rest_authentication_error","message":"Invalid timestamp.",'
         '"data":{"status":401}}', None),
        ('{"code":"woocommerce_rest_authentication_error","message":"The API key provided does'
         ' not have read permissions.","data":{"status":401}}', None),
    ],
)  # fmt: skip
def test_woocommerces_authentication_code_alone_names_no_entry(
    text: str, expected: str | None
) -> None:
    assert best_id(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello, we have had trouble since Friday and already restarted the sync twice. "
         "Invalid grant. Could you take a look today? Thanks, Lisa at Nordic Shoes",
         "OAUTH_INVALID_GRANT"),
        ("Hej, sedan i fredags strular det och vi har startat om synken två gånger. "
         "Förvalt konto saknas. Kan ni kika på det i dag? Tack, Lisa på Skobutiken",
         "FORTNOX_DEFAULT_ACCOUNT_MISSING"),
        # a ticket with nothing wrong in any of its sentences stays unanswered
        ("Hello, thanks for the quick help last week. The shop theme looks great now and our "
         "customers love the new product pages. Have a nice weekend! Regards, Tom", None),
        # a pasted error of two sentences is read whole, not a sentence at a time
        ("could not connect to server: Connection refused. Is the server running on host "
         '"db1" and accepting TCP/IP connections on port 5432?', None),
    ],
)  # fmt: skip
def test_a_ticket_is_read_for_the_sentence_that_states_the_problem(
    text: str, expected: str | None
) -> None:
    assert best_id(text) == expected


def test_json_keys_error_and_message_are_no_error_message_label() -> None:
    """Stripe's card error is a structure with an "error" holding a "message", not the
    label "Error message:" that opens ERROR_MESSAGE's messages."""
    body = (
        '{"error": {"message": "Your card was declined.", "type": "card_error", '
        '"code": "card_declined", "decline_code": "generic_decline"}}'
    )
    assert best_id(body) is None
    assert best_id("Error message: Order note is too long for Fortnox") == "ERROR_MESSAGE"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('2026-05-04 11:02:13 ERROR [task-3321] fortnox {"ErrorInformation":{"error":1,'
         '"message":"Kostnadsstället KS100 är inaktiverat"}}', "FORTNOX_COST_CENTER_INACTIVE"),
        ("WARN the account 3051 is deactivated in Fortnox", "FORTNOX_ACCOUNT_INACTIVE"),
    ],
)  # fmt: skip
def test_a_logged_state_that_stops_the_work_reads_as_a_problem(line: str, expected: str) -> None:
    """'Inactive', 'deactivated', 'spärrad' report a problem as much as 'missing' does: an
    error line saying one without a failure word is still that entry."""
    assert best_id(line) == expected


def test_what_an_error_message_label_reports_decides_the_entry() -> None:
    """'Error message:' only says an error was reported: details that describe another
    entry put it first, the label's entry after; details no entry knows keep the label's."""
    first, second = junidiag.diagnose("Error message: the access token has expired")[:2]
    assert (first.id, second.id) == ("TOKEN_EXPIRED", "ERROR_MESSAGE")
    assert first.score > second.score >= 60
    assert best_id("Felmeddelande: Ordernoteringen är för lång") == "ERROR_MESSAGE"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("moms saknas i Fortnox", "FORTNOX_VAT_NOT_FOUND"),
        ("valutaen mangler i Fortnox", "FORTNOX_CURRENCY_NOT_FOUND"),
        ("the delivery method is missing in Fortnox", "FORTNOX_SHIPPING_NOT_FOUND"),
    ],
)
def test_a_setting_said_missing_is_the_entry_of_it_not_found(text: str, expected: str) -> None:
    assert best_id(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Ogiltig beviljning från Fortnox", "ugyldig tilgangstildeling, Fortnox-koblingen stoppet"],
)
def test_invalid_grant_translated_word_for_word_is_still_that_error(text: str) -> None:
    assert best_id(text) == "OAUTH_INVALID_GRANT"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "igjen" (again) before a count is no share left, as "remaining: 38/40" is
        ("Lageret oppdateres for sent og vi oversolgte igjen 3 av 4 kampanjer.",
         "STOCK_SYNC_LAG_OVERSELLING"),
        # an administrator's change logged at INFO is traffic; the same state as an error is not
        ("INFO Account 3740 deactivated", None),
        ("INFO Kostnadsställe 10 inaktiverat", None),
        # a pasted error with an abbreviation is still two sentences, read whole
        ("could not connect to server: Connection refused. Is the server running on host db, "
         "i.e. the primary, and accepting TCP/IP connections on port 5432?", None),
        # a ticket that says what works is read whole: its sentences alone would lose that
        ("Hi. Last week the token expired and you helped us reconnect. Since then everything "
         "works. Now I have a question about how to add a new store.", None),
        # "too long" is the label's own entry's case: the label keeps it
        ("Error message: the cost center code is too long", "ERROR_MESSAGE"),
    ],
)  # fmt: skip
def test_what_a_review_found_reads_as_meant(text: str, expected: str | None) -> None:
    assert best_id(text) == expected


def test_a_near_copy_of_a_counterexample_is_not_that_entry(write_entry, tmp_path) -> None:
    """A counterexample is enforced: a text nearer to one of an entry's counterexamples
    than to its examples and messages (the same near miss with other values) is not that
    entry — a false alarm is fixed by adding the text it answered as a counterexample."""
    from conftest import VALID_ENTRY, broken

    near_miss = "the warehouse is locked for stocktaking in Ongoing WMS 4"
    write_entry("ACME_LOCKED", VALID_ENTRY)
    catalog = [tmp_path / "catalog"]
    assert junidiag.diagnose(near_miss, catalog)[0].id == "ACME_LOCKED"

    junidiag.api.forget()
    with_counterexample = broken(
        VALID_ENTRY,
        "    examples:\n",
        "    counterexamples:\n"
        "      - the warehouse is locked for stocktaking in Ongoing WMS 12\n"
        "    examples:\n",
    )
    write_entry("ACME_LOCKED", with_counterexample)
    assert junidiag.diagnose(near_miss, catalog) == []
    # the entry's own message and its translation still are the entry
    assert junidiag.diagnose("Lagret Syd är låst för inventering", catalog)[0].id == "ACME_LOCKED"
    assert junidiag.diagnose("the warehouse is locked for stocktaking", catalog)[0].id == (
        "ACME_LOCKED"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We have not seen a single invalid grant from Fortnox since March", None),
        ("Not one invalid token since the reconnect", None),
        # "there is no" before a setting, not a problem word, still reports it missing
        ("Det finns ingen momssats för 21 procent i Fortnox", "FORTNOX_VAT_NOT_FOUND"),
    ],
)
def test_none_of_an_invalid_thing_is_good_news(text: str, expected: str | None) -> None:
    assert best_id(text) == expected


def test_a_ticket_answer_shows_the_sentence_it_was_read_from(run) -> None:
    ticket = (
        "Hej! Sedan i fredags strular det och vi har startat om synken två gånger. "
        "Förvalt konto saknas. Kan ni kika på det i dag? Tack, Lisa på Skobutiken"
    )
    best = json.loads(run("explain", "--json", ticket).stdout)["matches"][0]
    assert best["id"] == "FORTNOX_DEFAULT_ACCOUNT_MISSING"
    assert (best["basis"], best["matched_text"]) == ("symptom", "Förvalt konto saknas.")
    assert "Matched     Förvalt konto saknas." in run("explain", ticket).stdout


@pytest.mark.parametrize(
    "text",
    [
        # a person quoting the message to say it is over: the quote reads as "error"
        'Vi har ikke sett "Kunde inte hämta/hitta moms" siden vi la inn mva-satsene.',
        'We no longer get "Invalid grant" since the connector was reconnected.',
        "Ingen dubbla fakturor sedan vi uppdaterade flödet",
        # named before "errors", not said by a program
        "the invalid grant errors disappeared after the reconnect",
    ],
)
def test_a_quoted_message_said_to_be_over_is_good_news(text: str) -> None:
    assert junidiag.diagnose(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Vi får fortfarande "Kunde inte hämta/hitta moms" på alla EU-ordrar',
         "FORTNOX_VAT_NOT_FOUND"),
        # "errors stopped the sync" reports them: only "are gone", "disappeared" end them
        ("Invalid grant errors stopped the whole sync last night", "OAUTH_INVALID_GRANT"),
        ("The invalid grant errors are gone, but now VAT fails", "OAUTH_INVALID_GRANT"),
    ],
)  # fmt: skip
def test_a_named_message_still_failing_is_that_entry(text: str, expected: str) -> None:
    assert best_id(text) == expected
