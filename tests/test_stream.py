"""A whole log on stdin: one JSON object per line, streaming, the summary and its advice."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time

VAT = "2026-01-02T07:15:40Z ERROR [task {n}] Shopify → Fortnox: Kunde inte hitta moms (order {n})"
GRANT = "2026-01-02T07:16:00Z ERROR [connector fortnox] token refresh failed: invalid_grant"
NOISE = (
    "2026-01-02T07:15:41Z INFO [task 1] Shopify → Fortnox: order #10492 exported as invoice 30871"
)


def jsonl(run, data: str | bytes) -> list[dict]:
    result = run("explain", "--json", input=data)
    assert result.exit_code in (0, 1), result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_one_object_per_input_line_in_order_blank_lines_included(run) -> None:
    rows = jsonl(run, f"{NOISE}\n\nFiscal year not available\n{NOISE}\n")
    assert [r["line"] for r in rows] == [1, 2, 3, 4]
    assert [r["text"] for r in rows] == [NOISE, "", "Fiscal year not available", NOISE]
    assert [r["match"] and r["match"]["id"] for r in rows] == [
        None,
        None,
        "FORTNOX_FISCAL_YEAR",
        None,
    ]


def test_crlf_cr_only_and_a_last_line_without_newline(run) -> None:
    rows = jsonl(run, b"Fiscal year not available\r\nInvalid grant\rlast line")
    assert [r["text"] for r in rows] == ["Fiscal year not available", "Invalid grant", "last line"]
    assert [r["match"] and r["match"]["id"] for r in rows] == [
        "FORTNOX_FISCAL_YEAR", "OAUTH_INVALID_GRANT", None,
    ]  # fmt: skip


def test_invalid_utf8_is_decoded_with_replacement(run) -> None:
    rows = jsonl(run, b"\xff\xfe broken \x80 bytes\nKunde inte h\xe4mta moms\n")
    assert rows[0]["text"] == "\ufffd\ufffd broken \ufffd bytes"
    assert rows[1]["match"]["id"] == "FORTNOX_VAT_NOT_FOUND"  # "hämta" in Latin-1, still found


def test_form_feeds_and_line_separators_do_not_split_lines(run) -> None:
    result = run("explain", "--json", input="page\fbreak\u2028and\x85separator\nnext\n")
    lines = result.stdout.splitlines()  # as Python's splitlines reads them, like eval/score.py
    assert [json.loads(line)["line"] for line in lines] == [1, 2]
    assert json.loads(lines[0])["text"] == "page\fbreak\u2028and\x85separator"


def test_empty_input_is_a_sentence_and_exit_1(run) -> None:
    result = run("explain", input="")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "No input: stdin was empty."


def small_log() -> str:
    return "\n".join([NOISE, *(VAT.format(n=n) for n in range(30)), NOISE, GRANT]) + "\n"


def test_summary_names_both_entries_with_counts_lines_and_advice(run) -> None:
    result = run("explain", input=small_log())
    assert result.exit_code == 0
    out = result.stdout
    assert "31 of 33 lines matched 2 known errors" in out
    cells = [[c.strip() for c in line.split("│")] for line in out.splitlines() if "│" in line]
    rows = {row[0]: row for row in cells}
    # columns: ID, title, count, severity, first, last (the lines' times: they carry one)
    assert [rows["OAUTH_INVALID_GRANT"][i] for i in (2, 3, 4, 5)] == [
        "1", "CRITICAL", "07:16:00", "07:16:00",
    ]  # fmt: skip
    assert [rows["FORTNOX_VAT_NOT_FOUND"][i] for i in (2, 3, 4, 5)] == [
        "30", "ERROR", "07:15:40", "07:15:40",
    ]  # fmt: skip
    untimed = run("explain", input=small_log().replace("2026-01-02T", "")).stdout
    cells = [[c.strip() for c in line.split("│")] for line in untimed.splitlines() if "│" in line]
    rows = {row[0]: row for row in cells}  # no timestamp: first and last line numbers
    assert [rows["FORTNOX_VAT_NOT_FOUND"][i] for i in (4, 5)] == ["2", "31"]
    flat = " ".join(out.split())
    assert (
        "OAUTH_INVALID_GRANT is critical: all syncs of that connector have probably stopped" in flat
    )
    assert (
        "FORTNOX_VAT_NOT_FOUND accounts for 30 lines: this points to one configuration problem"
        in flat
    )
    assert "junidiag show OAUTH_INVALID_GRANT" in flat


def test_the_most_severe_entry_comes_first(run) -> None:
    out = run("explain", "--summary", input=small_log()).stdout
    assert out.index("OAUTH_INVALID_GRANT") < out.index("FORTNOX_VAT_NOT_FOUND")


def test_each_matched_line_is_listed_before_the_summary(run) -> None:
    out = run("explain", input=small_log()).stdout
    severities = {"CRITICAL", "ERROR", "WARNING", "INFO"}
    rows = [line.split() for line in out.splitlines()]
    listed = [f for f in rows if len(f) > 2 and f[0].isdigit() and f[1] in severities]
    assert len(listed) == 31  # 30 VAT lines and the grant line, before the summary
    assert listed[0][:3] == ["2", "ERROR", "FORTNOX_VAT_NOT_FOUND"]  # line number first
    assert listed[-1][:3] == ["33", "CRITICAL", "OAUTH_INVALID_GRANT"]


def test_summary_alone(run) -> None:
    result = run("explain", "--summary", input=small_log())
    assert result.exit_code == 0
    assert "Kunde inte hitta moms" not in result.stdout  # no per-line view
    flat = " ".join(result.stdout.split())
    assert "FORTNOX_VAT_NOT_FOUND" in flat and "probably stopped" in flat


def test_quiet_prints_nothing_and_fail_on_critical_exits_3(run) -> None:
    result = run("explain", "--fail-on", "critical", "-q", input=small_log())
    assert result.exit_code == 3
    assert result.stdout == "" and result.stderr == ""
    calm = run("explain", "--fail-on", "critical", "-q", input=VAT.format(n=1) + "\n")
    assert calm.exit_code == 0


def test_a_log_without_known_errors_exits_1_with_a_sentence(run) -> None:
    result = run("explain", input=f"{NOISE}\n{NOISE}\n")
    assert result.exit_code == 1
    assert "No known error in 2 lines." in result.stdout


def test_json_stream_carries_no_summary(run) -> None:
    rows = jsonl(run, small_log())
    assert len(rows) == 33
    assert all(set(r) == {"line", "text", "match"} for r in rows)


def test_dash_means_stdin(run) -> None:
    rows = jsonl_dash = run("explain", "--json", "-", input="Invalid grant\n")
    assert json.loads(jsonl_dash.stdout)["match"]["id"] == "OAUTH_INVALID_GRANT"
    assert rows.exit_code == 0


def test_an_answer_comes_out_before_stdin_closes(tmp_path) -> None:
    """`tail -f app.log | junidiag explain --json`: each line is answered at once."""
    process = subprocess.Popen(
        [sys.executable, "-m", "junidiag", "explain", "--json"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "JUNIDIAG_CACHE_DIR": str(tmp_path)},
    )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None
    try:
        time.sleep(0.5)  # let it start and block on the empty pipe
        process.stdin.write(b"Fiscal year not available\n")
        process.stdin.flush()
        start = time.monotonic()
        ready, _, _ = select.select([process.stdout], [], [], 5)
        assert ready, "no answer while stdin stayed open"
        row = json.loads(process.stdout.readline())
        assert row["match"]["id"] == "FORTNOX_FISCAL_YEAR"
        assert time.monotonic() - start < 1.0
    finally:
        process.stdin.close()
        process.wait(timeout=10)
    assert process.returncode == 0


def test_stdin_and_argument_mode_agree_on_every_catalog_example(run) -> None:
    from junidiag import api

    texts = [t for e in api.load_catalog() for t in (*e.examples, *e.counterexamples)]
    rows = jsonl(run, "\n".join(texts) + "\n")
    assert len(rows) == len(texts)
    for text, row in zip(texts, rows, strict=True):
        found = api.diagnose(text)
        expected = found[0].id if found else None
        assert (row["match"] and row["match"]["id"]) == expected, text


def test_a_streamed_match_is_the_object_argument_mode_prints(run) -> None:
    # The stream encodes each entry's part of a match once; every field must still
    # be what `explain --json TEXT` gives for the same text, variables and all.
    from junidiag import api

    texts = [t for e in api.load_catalog() for t in e.examples][::3]
    texts.insert(0, "2026-02-01 ERROR [task 9] Currency EUR and Currency SEK does not match")
    rows = jsonl(run, "\n".join(texts) + "\n")
    first = rows[0]["match"]  # one answer written out, not only compared with the other path
    assert (first["id"], first["score"], first["basis"]) == (
        "FORTNOX_CURRENCY_MISMATCH",
        100,
        "exact",
    )
    assert first["variables"] == {"payment_currency": "EUR", "invoice_currency": "SEK"}
    assert first["matched_text"] == "Currency EUR and Currency SEK does not match"
    assert (first["language"], first["translation"]) == ("en", None)
    for text, row in zip(texts, rows, strict=True):
        alone = json.loads(run("explain", "--json", text).stdout)["matches"]
        assert row["match"] == (alone[0] if alone else None), text


def test_a_line_is_answered_the_same_whatever_came_before_it(run) -> None:
    # Lines of one shape with other numbers: the stream remembers shapes that found
    # nothing, which must never change the answer for a line where a number matters.
    shapes = [
        "2026-01-02T07:20:{s:02d}Z WARN [task {n}] Sync Stock Centra: SKU 10{n} "
        "matched {k} products",
        "2026-01-02T07:21:{s:02d}Z WARN [task {n}] Export Orders Shopify → Fortnox: {k} orders "
        "exported, {k} failed",
        "2026-01-02T07:22:{s:02d}Z INFO [task {n}] Loaded {k} Articles from Visma.net",
        "2026-01-02T07:23:{s:02d}Z WARN [task {n}] slow response from api.centra.com: {n}{k} ms",
    ]
    lines = [shape.format(s=k, n=40 + k, k=k) for shape in shapes for k in (0, 1, 2, 3, 17, 0, 2)]
    forward = jsonl(run, "\n".join(lines) + "\n")
    backward = jsonl(run, "\n".join(reversed(lines)) + "\n")
    answers = {row["text"]: row["match"] and row["match"]["id"] for row in forward}
    assert answers == {row["text"]: row["match"] and row["match"]["id"] for row in backward}
    loaded_zero = next(t for t in lines if "Loaded 0 Articles" in t)
    assert answers[loaded_zero] == "ERP_ZERO_ARTICLES_LOADED"
    assert answers[next(t for t in lines if "Loaded 17 Articles" in t)] is None
    matched = {t.split()[-2]: answers[t] for t in lines if "matched" in t}
    assert matched["1"] is None
    assert matched["2"] == matched["3"] == matched["17"] == "CENTRA_DUPLICATE_SKU"


def test_a_reader_that_leaves_early_gets_no_verdict(tmp_path) -> None:
    # `--fail-on` promises exit 3 only for a log it read: cut short by `head`, the run
    # ends with 141 (as grep does), never 0 ("nothing that severe") or 3.
    log = tmp_path / "sync.log"
    log.write_text((VAT.format(n=1) + "\n" + NOISE + "\n") * 50_000, encoding="utf-8")
    command = f"{sys.executable} -m junidiag explain --fail-on critical < {log} | head -1"
    result = subprocess.run(
        ["bash", "-c", command + '; exit "${PIPESTATUS[0]}"'],
        capture_output=True,
        env={**os.environ, "JUNIDIAG_CACHE_DIR": str(tmp_path / "cache")},
        timeout=120,
    )
    assert result.returncode == 141
    assert result.stderr == b""


ENVELOPES = [
    "2026-01-02T07:{m:02d}:{s:02d}Z {level} [task {task}] Export Orders Shopify → Fortnox: {msg}",
    "2026-01-02 07:{m:02d}:{s:02d},{task} {level} junipeer.flows.payouts: [task {task}] {msg}",
    "Jan  2 07:{m:02d}:{s:02d} worker-{s} junipeer[{task}]: {level} Sync Stock → Centra: {msg}",
    'time=2026-01-02T07:{m:02d}:{s:02d}Z level={lower} msg="{quoted}" task={task} flow="Export"',
    '{{"ts":"2026-01-02T07:{m:02d}:{s:02d}Z","level":"{lower}","task":{task},'
    '"flow":"Export Payouts Klarna \\u2192 Fortnox","msg":"{quoted}"}}',
    "{msg}",
]
TRAFFIC = [
    "order {n} exported as invoice {k}",
    "slow response from api.fortnox.se: {n} ms",
    "retrying request to api.centra.com (attempt {d}/5)",
    "order {n} has no phone number, using the default",
    "Loaded {d} Articles from Visma.net",
    "SKU {n} matched {d} products",
    "{d} orders exported, {d} failed",
    "fiscal year {n} not yet created? checking again in {d} min",
    "Kunde inte hitta kunden {n}",
    "ConnectTimeoutError(<urllib3.connection.HTTPSConnection object at 0x{x}>, 'Connection "
    "to api.fortnox.se timed out. (connect timeout={d})')",
    "order 0x{x}: Currency EUR and Currency SEK does not match (object at 0x{x})",
]


def generated_log(lines: int, seed: int = 7) -> list[str]:
    """Catalog messages with their placeholders filled and connector traffic, in the
    envelopes of the connectors' logs, with numbers of every length."""
    import random
    import re

    from junidiag import api

    rng = random.Random(seed)
    messages = [m.text for e in api.load_catalog() for m in e.messages]

    def number() -> str:
        return str(rng.randrange(10 ** rng.randint(1, 9)))

    def value(_: object) -> str:
        return rng.choice([number(), "EUR", "SO-" + number()])

    def message() -> str:
        if rng.random() < 0.4:
            hex_id = f"{rng.randrange(16**12):x}"
            return rng.choice(TRAFFIC).format(n=number(), k=number(), d=rng.randint(0, 3), x=hex_id)
        text = rng.choice(messages).replace("hämta/hitta", rng.choice(["hämta", "hitta"]))
        return re.sub(r"\{[a-z_]+\}", value, text)

    out = []
    for _ in range(lines):
        text, level = message(), rng.choice(["ERROR", "WARN", "INFO"])
        out.append(
            rng.choice(ENVELOPES).format(
                m=rng.randint(0, 59), s=rng.randint(0, 59), task=number(), level=level,
                lower=level.lower(), msg=text, quoted=text.replace('"', '\\"'),
            )
        )  # fmt: skip
    return out


def test_stdin_and_argument_mode_agree_on_thousands_of_generated_lines(run) -> None:
    """The stream answers each message shape once and replays it; argument mode, with
    nothing remembered, must give every line the same answer, values and all."""
    from junidiag import api

    lines = generated_log(3000)
    rows = jsonl(run, "\n".join(lines) + "\n")
    assert len(rows) == len(lines)
    for line, row in zip(lines, rows, strict=True):
        forget_shapes()
        found = api.diagnose(line)
        streamed = row["match"]
        alone = found[0] if found else None
        assert (streamed and streamed["id"]) == (alone and alone.id), line
        if alone is not None:
            assert streamed["variables"] == alone.variables, line
            assert streamed["matched_text"] == alone.matched_text, line
            assert streamed["score"] == alone.score, line
    assert 300 < sum(row["match"] is not None for row in rows) < 3000


def repeated_near_copies(seed: int = 11) -> list[str]:
    """Catalog messages as a log repeats them, each line with its own numbers: typo'd, cut
    off, without diacritics, inside a JSON body with a vendor code, and catalog
    examples (descriptions among them), in the connectors' envelopes."""
    import random
    import re

    from junidiag import api

    rng = random.Random(seed)
    catalog = api.load_catalog()
    messages = [m.text.replace("hämta/hitta", "hitta") for e in catalog for m in e.messages]
    texts = []
    for text in messages[::2]:
        words = text.split()
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        typo = " ".join(w[:2] + w[3:] if i == longest else w for i, w in enumerate(words))
        texts += [typo, text[: max(12, len(text) * 4 // 5)], text.translate(PLAIN)]
        body = '{"ErrorInformation":{"error":1,"message":"' + text.replace('"', "'")
        texts.append(body + '","code":20006{d}{d}}}')
    texts += [f"{example} (order {{n}})" for e in catalog for example in e.examples[:1]]
    lines = []
    for text in texts:
        for envelope in (ENVELOPES[0], ENVELOPES[1], ENVELOPES[5]):
            for _ in range(2):
                n = rng.randrange(10 ** rng.randint(2, 9))
                filled = re.sub(r"\{[a-z_]+\}", lambda _: str(rng.randrange(999)), text)
                message = filled.replace("{n}", str(n)).replace("{d}", str(rng.randint(0, 9)))
                lines.append(
                    envelope.format(
                        m=1, s=2, task=n, level="ERROR", lower="error", msg=message, quoted=message
                    )
                )
    return lines


PLAIN = str.maketrans("åäöÅÄÖæøÆØ", "aaoAAOaoAO")


def test_repeated_near_copies_codes_and_descriptions_are_each_lines_own_answer(run) -> None:
    # The stream makes a shape's best match again with each line's own matched text,
    # values and translation: every object must be what `explain --json LINE` prints
    # for the line alone, with nothing remembered, key for key and in the same order.
    from junidiag import api
    from junidiag.output.jsonout import dumps, match_object

    lines = repeated_near_copies()
    rows = jsonl(run, "\n".join(lines) + "\n")
    assert len(rows) == len(lines)
    for line, row in zip(lines, rows, strict=True):
        forget_shapes()
        alone = api.diagnose(line)
        expected = dumps(match_object(alone[0])) if alone else "null"
        assert json.dumps(row["match"], ensure_ascii=False, separators=(",", ":")) == expected, line
    bases = {row["match"]["basis"] for row in rows if row["match"]}
    assert bases == {"exact", "fuzzy", "code", "symptom"}


def test_a_number_read_as_an_http_status_is_part_of_the_shape(run) -> None:
    # A one-word message beside other words is an error only next to an error mark,
    # and 581 reads as an HTTP status where 894 does not: the two lines have other
    # answers, whichever comes first.
    lines = ["invalid_tenant (order 894)", "invalid_tenant (order 581)"]
    for ordered in (lines, lines[::-1]):
        rows = jsonl(run, "\n".join(ordered) + "\n")
        answers = [row["match"] and row["match"]["basis"] for row in rows]
        assert answers == [api_diagnose(line) and "fuzzy" for line in ordered]
    assert api_diagnose(lines[0]) is None


def test_numbers_of_other_lengths_get_each_lines_own_answer(run) -> None:
    # Lines that differ only in their numbers (a port, an address, a line number, an
    # order id) share a shape only when their numbers have the same lengths, or are
    # numbers something reads (a code, a status): each line gets its answer alone.
    templates = [
        "ERROR read tcp 10.0.{a}.{b}:{c}->2.{b}.17.{a}:443: read: connection reset by peer",
        'ERROR File "/app/junipeer/flows/orders.py", line {c}, in run',
        "ERROR invalid_tenant (order {c})",
        "ERROR Customer name cannot be empty ({code})",
        'ERROR Fortnox: {{"ErrorInformation":{{"error":1,"message":"x","code":{code}}}}}',
        "ERROR order {c}: Kunde inte hitta moms",
        "ERROR Lagersaldo för SK-{b}-XL är negativt ({a}), sätts till 0",
    ]
    numbers = [(1, 2, 3), (12, 345, 6789), (123, 45, 581), (7, 2000, 429), (99, 99, 1234567)]
    lines = [
        template.format(a=a, b=b, c=c, code=code)
        for template in templates
        for a, b, c in numbers
        for code in (c, 2000433)  # Fortnox's code for a customer not found
    ]
    # a cut-off near copy: its ten-digit id takes it below the screen, nine digits do not
    body = '{{"error":{{"source":"Trimit","message":"Order med ID {id} hittades"}}}}'
    lines += [f"ERROR Trimit: {body.format(id=order)}" for order in ("5477785966", "000023542")]
    rows = jsonl(run, "\n".join(lines) + "\n")
    for line, row in zip(lines, rows, strict=True):
        alone = api_diagnose(line)
        assert (row["match"] and (row["match"]["id"], row["match"]["score"])) == alone, line
    assert any(row["match"] for row in rows) and not all(row["match"] for row in rows)


def test_digits_that_cleaning_or_decoding_joins_are_read_as_one_number(run) -> None:
    # A fullwidth digit (NFKC), an invisible U+200B or an escape between digits: what
    # the tiers read is 2000637, the code of a catalog message, in the first line of
    # each pair and another number in the second; the memory must not mix them up.
    pairs = [
        ("ERROR Customer name cannot be empty (２000637)", "２999999"),
        ("ERROR Customer name cannot be empty (2000\u200b637)", "2000\u200b999"),
        ('ERROR fortnox said {"message":"Customer name cannot be empty (\\u0032000637)"}', ""),
    ]
    lines = []
    for first, second in pairs:
        other = first.replace("２000637", second).replace("2000\u200b637", second)
        lines += [first, other.replace("\\u0032000637", "\\u0032999999")]
    rows = jsonl(run, "\n".join(lines) + "\n")
    for line, row in zip(lines, rows, strict=True):
        alone = api_diagnose(line)
        assert (row["match"] and (row["match"]["id"], row["match"]["score"])) == alone, line


def api_diagnose(line: str) -> tuple[str, int] | None:
    """The best match for `line` alone, with nothing remembered from lines before it."""
    from junidiag import api

    forget_shapes()
    found = api.diagnose(line)
    return (found[0].id, found[0].score) if found else None


def forget_shapes() -> None:
    from junidiag import api

    api.matcher().forget()  # the one the stream used


def test_a_line_separator_decoded_from_a_json_escape_stays_escaped(run) -> None:
    # The line holds `\u2028` as six characters; the matched text holds the character
    line = 'ERROR fortnox said {"message":"Cash\\u0020account 19\\u202830 not found"}'
    result = run("explain", "--json", input=line + "\nnext\n")
    rows = result.stdout.splitlines()  # as Python's splitlines reads them
    assert [json.loads(row)["line"] for row in rows] == [1, 2]
    assert json.loads(rows[0])["match"]["id"] == "CASH_ACCOUNT_NOT_FOUND"
