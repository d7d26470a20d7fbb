#!/usr/bin/env python3
"""Log throughput: `junidiag explain` on a generated sync log, against three floors.

    python benchmarks/stdin.py --quick                  # 50,000 lines, a sanity run
    python benchmarks/stdin.py                          # 1,000,000 and 4,000,000 lines
    python benchmarks/stdin.py --lines 200000 --sink devnull --repeat 3
    python benchmarks/stdin.py --lines 1000000 --generate-only    # only write the log

The log is generated here, deterministically (fixed seed): connector traffic in five
log styles (ISO timestamp + level + `[task N]` + flow name, Python logging, logfmt,
JSON lines, syslog), mostly INFO/DEBUG success lines in English with some Swedish
and Norwegian; near misses (success lines worded like a catalog message); unrelated
errors (timeouts, DNS, TLS, tracebacks); a few blank, very long and badly encoded
lines; and, at `--rate` (3 %), catalog error lines: each catalog entry's
`messages[].text` with its `{placeholders}` filled, in the same styles, in API
error bodies (`{"ErrorInformation":{…}}`) and error chains, Swedish and Norwegian
sometimes without diacritics, as mojibake or lower-cased. The sidecar
`*.expected.tsv` beside the log lists every line that is not plain traffic: line
number, kind, style, variant and the entry ids that count as the right answer.

Then, on the same file and in the same run, each command in a fresh process:
  bare read loop   `for line in sys.stdin.buffer: pass`
  json floor       decode each line, write `json.dumps({"line": n, "text": line})`
  junidiag json    `junidiag explain --json < log > out`
  junidiag summary `junidiag explain --summary < log > out`
  Drain3 defaults  TemplateMiner with its defaults, on the first 100,000 lines
  Drain3 masked    TemplateMiner with its README's number masking, on every line
Wall time is `time.perf_counter` around the process; peak memory is that process's
own `ru_maxrss`, read by a small `-I -S` launcher with `os.wait4` (RUSAGE_CHILDREN here
would be the maximum over every command so far, and a child forked from this process
starts with this process's pages in its count). Drain3 runs from its own environment
(`--drain-python`, by default `../benchvenv/bin/python` beside this checkout) through
benchmarks/drain_runner.py; without that environment it is skipped with a note.

Targets (SPEC §4): junidiag --json ≥ 1.0× the json floor (aim 1.3×) and ≥ 5× masked
Drain3, ≥ 90 % of the catalog error lines matched to the expected entry, peak memory
at the largest size within 10 % of the smallest. `--check` exits 1 when one is
missed; a command that crashes or times out always makes the exit status 1.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from random import Random
from typing import Any, NamedTuple

import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CATALOG = ROOT / "catalog"
DRAIN_RUNNER = BENCH / "drain_runner.py"
DEFAULT_DRAIN_PYTHON = ROOT.parent / "benchvenv" / "bin" / "python"
DEFAULT_WORKDIR = Path(tempfile.gettempdir()) / "junidiag-bench-stdin"
DEFAULT_SEED = 20250210
QUICK_LINES = 50_000
MAX_SAMPLES = 40
BUSY = 1.15  # wall / CPU time above which a single-threaded command was kept waiting

# Targets (SPEC §4, issue 5).
TARGET_FLOOR = 1.0
AIM_FLOOR = 1.3
TARGET_DRAIN = 5.0
TARGET_MATCHED = 0.90
TARGET_MEMORY = 1.10

# What a generated line is: the sidecar's `kind` column.
KINDS = (
    "traffic",
    "near-miss",
    "unrelated-error",
    "catalog-error",
    "blank",
    "payload",
    "broken-bytes",
)
TRAFFIC, NEAR_MISS, UNRELATED, ERROR, BLANK, PAYLOAD, BROKEN = range(len(KINDS))
KIND_BY_NAME = {name: i for i, name in enumerate(KINDS)}

# Shares of all lines, besides --rate catalog errors; the rest is traffic.
NEAR_MISS_RATE = 0.015
UNRELATED_RATE = 0.012  # a fifth of these are multi-line tracebacks
BLANK_RATE = 0.002
PAYLOAD_RATE = 0.001
BROKEN_RATE = 0.0002


# ---------------------------------------------------------------------------
# The catalog's message templates.


class Template(NamedTuple):
    entry: str
    accept: tuple[str, ...]  # the ids that are a right answer for this message
    text: str
    lang: str
    systems: tuple[str, ...]


def load_templates(catalog: Path) -> dict[str, list[Template]]:
    """Per entry id, its message templates. A text several entries share (the grouped
    COMMON_FORTNOX_ERRORS_EXPLAINED repeats the specific entries' Swedish messages)
    belongs to the specific ones only: SPEC §2 says they outrank the grouped one."""
    owners: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for path in sorted(catalog.glob("*.yaml")):
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        for message in entry.get("messages") or []:
            key = " ".join(str(message["text"]).casefold().split())
            owners.setdefault(key, []).append((entry, message))
    by_entry: dict[str, list[Template]] = {}
    for pairs in owners.values():
        specific = [p for p in pairs if p[0].get("kind") != "reference"] or pairs
        accept = tuple(sorted({str(e["id"]) for e, _ in specific}))
        entry, message = specific[0]
        systems = tuple(str(s) for s in entry.get("systems") or ())
        template = Template(
            str(entry["id"]), accept, str(message["text"]), str(message["lang"]), systems
        )
        by_entry.setdefault(template.entry, []).append(template)
    return dict(sorted(by_entry.items()))


# ---------------------------------------------------------------------------
# The generator.

CURRENCIES = ("SEK", "EUR", "NOK", "DKK", "USD", "GBP")
SIZES = ("XS", "S", "M", "L", "XL", "XXL")
PLATFORMS = ("Shopify", "Centra", "Magento", "WooCommerce", "Norce", "nShift", "NoWaste")
HOSTS = (
    "api.fortnox.se",
    "integration.visma.net",
    "api.businesscentral.dynamics.com",
    "junistore.myshopify.com",
    "api.centra.com",
    "b1.example-erp.se",
    "api.nshift.com",
    "api.klarna.com",
    "checkout-live.adyen.com",
)
FLOWS = (  # action, source, target, logger module
    ("Export Orders", "Shopify", "Fortnox", "orders"),
    ("Export Orders", "Centra", "Visma.net", "orders"),
    ("Export Orders", "Magento", "Business Central", "orders"),
    ("Export Orders", "WooCommerce", "Fortnox", "orders"),
    ("Export Orders", "Norce", "Visma Business", "orders"),
    ("Export Orders", "Shopify", "SAP Business One", "orders"),
    ("Export Orders", "Centra", "Trimit", "orders"),
    ("Sync Stock", "Fortnox", "Shopify", "stock"),
    ("Sync Stock", "Visma.net", "Centra", "stock"),
    ("Sync Stock", "SAP Business One", "Magento", "stock"),
    ("Sync Stock", "Business Central", "Norce", "stock"),
    ("Export Payouts", "Klarna", "Fortnox", "payouts"),
    ("Export Payouts", "Adyen", "Visma.net", "payouts"),
    ("Export Payouts", "Qliro", "Fortnox", "payouts"),
    ("Export Payouts", "Shopify Payments", "Fortnox", "payouts"),
    ("Export Refunds", "Shopify", "Fortnox", "refunds"),
    ("Export Refunds", "WooCommerce", "Visma.net", "refunds"),
    ("Import Products", "Visma Business", "Centra", "products"),
    ("Import Products", "Fortnox", "WooCommerce", "products"),
    ("Update Order Status", "Business Central", "Centra", "status"),
    ("Create Shipments", "nShift", "Shopify", "shipments"),
    ("Shipments", "NoWaste", "Norce", "shipments"),
    ("Export Customers", "Centra", "Visma Business", "customers"),
)

# Success traffic: (weight, level, body); {fields} are filled by LogGen.value.
TRAFFIC_LINES = (
    (8, "info", "order {order} exported to {target} as invoice {invoice}"),
    (5, "info", "invoice {invoice} created for order {order} ({amount} {currency})"),
    (6, "info", "stock pushed for {count} SKUs to {target} (location {small})"),
    (5, "info", "webhook received: {topic} id={order}"),
    (3, "info", "payout {payout} reconciled: {few} transactions, {amount} {currency}"),
    (9, "debug", "GET https://{host}/3/invoices/{invoice} -> 200 OK ({ms} ms)"),
    (6, "debug", "POST https://{host}/api/2024-10/inventory_levels/set.json 200 ({ms}ms)"),
    (6, "debug", "mapping {sku} -> article {article}"),
    (5, "debug", "cache hit for article {sku}"),
    (4, "debug", "request id {uuid} took {ms} ms"),
    (3, "debug", "next page cursor={cursor}, fetched {few} of {count}"),
    (4, "info", "task finished: Completed, {records} records processed, 0 failed"),
    (3, "info", "fetched {few} orders from {source} in the last {small} minutes"),
    (2, "info", "shipment {shipment} booked with nShift, tracking {tracking}"),
    (2, "info", "refund {refund} exported as credit invoice {invoice}"),
    (2, "info", "price list {pricelist} synced, {count} prices"),
    (2, "info", "customer {customer} updated in {target}"),
    (2, "info", "Order {order} exporterad till {target} som faktura {invoice}"),
    (2, "info", "Lagersaldo uppdaterat för {count} artiklar i {target}"),
    (1, "info", "Betalning registrerad på faktura {invoice} ({amount} SEK)"),
    (1, "info", "Utbetalning {payout} avstämd mot {few} fakturor"),
    (1, "info", "Kund {customer} skapad i {target}"),
    (2, "info", "Ordre {order} overført til {target}"),
    (1, "info", "Lagerbeholdning oppdatert for {count} artikler"),
    (1, "info", "Faktura {invoice} opprettet for ordre {order}"),
    (1, "info", "Utbetaling {payout} avstemt, {few} transaksjoner"),
    (2, "warn", "slow response from {host}: {slow} ms"),
    (1, "warn", "retrying request to {host} (attempt {attempt}/5)"),
    (1, "warn", "order {order} has no phone number, using the default"),
    (1, "info", "scheduler: next run of {flow} in {small} min"),
)
# Success lines worded like a catalog message (the catalog's counterexamples' kind).
NEAR_MISSES = (
    "payment and invoice currency {currency} match, payment registered",
    "reference found for order {order}, status set to shipped",
    "Order with ID {order} loaded",
    "OAuth grant valid, access token refreshed",
    "access token renewed, expires in {small}h",
    "Loaded {count} Articles from {source}",
    "Completed, {records} records processed, 0 failed",
    "HTTP 200 OK, {few} requests sent, stock updated",
    "customer {customer} found and updated in Visma.net",
    "fiscal year 2025 available, voucher series A",
    "currency {currency} found, rate {rate}",
    "reference created for order {order}",
    "Nytt kundenummer {customer} tildelt fra nummerserien",
    "PickReportEvent received, NumberOfPallets {small}, shipment synced",
    "size {size} identified from product attributes of {sku}",
    "cash account 1930 found for payout {payout}",
    "Hämtade moms 25 % för artikel {sku}",
    "webhook received for order {order}, task queued",
)
UNRELATED_ERRORS = (
    "requests.exceptions.ConnectTimeout: HTTPSConnectionPool(host='{host}', port=443): "
    "Max retries exceeded with url: /3/orders (Caused by ConnectTimeoutError("
    "<urllib3.connection.HTTPSConnection object at 0x7f{hex}>, "
    "'Connection to {host} timed out. (connect timeout=30)'))",
    "socket.gaierror: [Errno -3] Temporary failure in name resolution ({host})",
    "dial tcp: lookup {host} on 10.0.0.10:53: no such host",
    "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify "
    "failed: unable to get local issuer certificate (_ssl.c:1006) connecting to {host}",
    "HTTP 502 Bad Gateway from https://{host}/graphql",
    "HTTP 503 Service Unavailable from https://{host}, retry scheduled",
    "context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
    "redis.exceptions.ConnectionError: Error 111 connecting to redis:6379. Connection refused.",
    "psycopg2.OperationalError: server closed the connection unexpectedly",
    "KeyError: 'line_items' in order {order}",
    "TypeError: unsupported operand type(s) for +: 'NoneType' and 'float'",
    "ReadTimeout: read timeout=60 while pushing stock for {count} SKUs",
    "Anslutningen avbröts: timeout efter 30 s",
    "Tilkoblingen ble brutt av serveren (ECONNRESET)",
)
TRACEBACK = (
    "Traceback (most recent call last):",
    '  File "/app/junipeer/flows/{module}.py", line {line}, in run',
    "    response = self.session.post(url, json=payload, timeout=30)",
    '  File "/usr/local/lib/python3.11/site-packages/requests/sessions.py", line 637, in post',
    '    return self.request("POST", url, data=data, json=json, **kwargs)',
    "requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='{host}', port=443): "
    "Read timed out. (read timeout=30)",
)
TOO_LONG = (  # {details} of "Error message: {details}" (a field value too long)
    "value too long",
    "The value of ProductName is too long",
    "Field ArticleNumber exceeds the maximum length of 25 characters",
    "Description exceeds 50 characters",
    "SKU value exceeds the allowed length",
)
PRODUCTS = ("Ullmössa", "Regnjacka", "Strikkegenser", "Linen shirt", "Träningsbyxor")
BROKEN_NAMES = ("Göran Ström", "Bjørn Åsheim", "Märta Öberg")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
UPPER = {"debug": "DEBUG", "info": "INFO", "warn": "WARN", "error": "ERROR"}
PYLOG = {"debug": "DEBUG", "info": "INFO", "warn": "WARNING", "error": "ERROR"}
NO_DIACRITICS = str.maketrans("åäöÅÄÖæøÆØé", "aaoAAOaoAOe")
ALTERNATIVES = re.compile(r"\b([^\W\d_]+)/([^\W\d_]+)\b")  # "hämta/hitta": one of the two
FIELD = re.compile(r"\{(\w+)\}")
FORTNOX_CODE = re.compile(r"\((\d{7})\)")


class Flow(NamedTuple):
    name: str
    source: str
    target: str
    module: str
    connector: str


class Expected(NamedTuple):
    accept: tuple[str, ...]
    style: str
    variant: str


def make_flows() -> list[Flow]:
    flows = []
    for action, source, target, module in FLOWS:
        system = target if source in PLATFORMS else source
        connector = system.lower().replace(" ", "").replace(".", "")
        flows.append(Flow(f"{action} {source} → {target}", source, target, module, connector))
    return flows


class LogGen:
    """Sync-log lines from one seeded `Random`: the same seed gives the same log."""

    def __init__(self, seed: int, templates: dict[str, list[Template]]) -> None:
        self.r = Random(seed)
        self.templates = templates
        self.entries = list(templates)
        self.flows = make_flows()
        self.flows_for: dict[str, list[Flow]] = {}
        for entry, tpls in templates.items():
            systems = {s.casefold() for t in tpls for s in t.systems}
            self.flows_for[entry] = [
                f for f in self.flows if {f.source.casefold(), f.target.casefold()} & systems
            ] or self.flows
        self.traffic_cum: list[float] = []
        for weight, _, _ in TRAFFIC_LINES:
            self.traffic_cum.append(weight + (self.traffic_cum[-1] if self.traffic_cum else 0))
        self.flow: Flow = self.flows[0]
        self.ms = int(datetime(2025, 2, 10, 5, 0, tzinfo=UTC).timestamp() * 1000)
        self.second = -1
        self.stamp = ("", "", "")
        self.fields: dict[str, Callable[[], str]] = {
            "order": self.order_id,
            "invoice": lambda: str(self.r.randint(1_000, 99_999)),
            "amount": lambda: f"{self.r.randint(4_900, 2_500_000) / 100:.2f}",
            "currency": lambda: self.r.choice(CURRENCIES),
            "sku": self.sku,
            "size": lambda: self.r.choice(SIZES),
            "article": lambda: str(self.r.randint(1_000, 99_999)),
            "count": lambda: str(self.r.randint(1, 4_000)),
            "few": lambda: str(self.r.randint(1, 250)),
            "small": lambda: str(self.r.randint(1, 9)),
            "records": lambda: str(self.r.randint(1, 850)),
            "ms": lambda: str(self.r.randint(40, 900)),
            "slow": lambda: str(self.r.randint(2_000, 9_000)),
            "attempt": lambda: str(self.r.randint(2, 4)),
            "host": lambda: self.r.choice(HOSTS),
            "uuid": lambda: f"{self.r.getrandbits(128):032x}",
            "cursor": lambda: f"{self.r.getrandbits(96):024x}",
            "hex": lambda: f"{self.r.getrandbits(40):010x}",
            "payout": lambda: str(self.r.randint(10_000_000, 99_999_999)),
            "customer": lambda: str(self.r.randint(10_000, 99_999)),
            "shipment": lambda: str(self.r.randint(1_000_000, 9_999_999)),
            "tracking": lambda: str(self.r.randint(10**11, 10**12 - 1)),
            "refund": lambda: str(self.r.randint(100_000, 999_999)),
            "rate": lambda: f"{self.r.randint(900, 1_200) / 100:.2f}",
            "topic": lambda: self.r.choice(("orders/create", "orders/paid", "refunds/create")),
            "pricelist": lambda: self.r.choice(("B2C SEK", "B2B EUR", "Outlet NOK")),
            "line": lambda: str(self.r.randint(40, 900)),
            "target": lambda: self.flow.target,
            "source": lambda: self.flow.source,
            "module": lambda: self.flow.module,
            "flow": lambda: self.flow.name,
            # catalog placeholders
            "payment_currency": lambda: self.r.choice(CURRENCIES),
            "invoice_currency": lambda: self.r.choice(CURRENCIES),
            "account": lambda: self.r.choice(("1930", "1920", "1940", "1910", "1580")),
            "customer_id": self.customer_id,
            "order_id": self.order_id,
            "invoice_number": lambda: str(self.r.randint(1_000, 99_999)),
            "details": lambda: self.r.choice(TOO_LONG),
        }

    # -- values ----------------------------------------------------------------

    def value(self, match: re.Match[str]) -> str:
        make = self.fields.get(match.group(1))
        # A placeholder a future catalog entry introduces: some plausible reference.
        return make() if make else f"REF-{self.r.randint(1, 99_999)}"

    def fill(self, text: str) -> str:
        return FIELD.sub(self.value, text)

    def order_id(self) -> str:
        r, x = self.r, self.r.random()
        if x < 0.4:
            return str(r.randint(5_000_000_000, 5_999_999_999))  # Shopify
        if x < 0.75:
            return str(r.randint(100_000, 999_999))  # Centra, Norce
        if x < 0.9:
            return f"{r.randint(1, 99_999):09d}"  # Magento increment ids
        return f"SO-{r.randint(10_000, 99_999)}"  # ERP sales orders

    def customer_id(self) -> str:
        r = self.r
        return str(r.randint(10_000, 99_999)) if r.random() < 0.7 else f"C{r.randint(100, 9_999)}"

    def sku(self) -> str:
        r = self.r
        prefix = r.choice(("TS", "HD", "JK", "SK", "BG", "CP"))
        return f"{prefix}-{r.randint(100, 9_999)}-{r.choice(SIZES)}"

    # -- time and styles ---------------------------------------------------------

    def tick(self) -> tuple[str, str, str, int]:
        """(date, time, syslog date, milliseconds) of the next line, a few ms later."""
        self.ms += self.r.randint(0, 35)
        second, ms = divmod(self.ms, 1000)
        if second != self.second:
            self.second = second
            t = time.gmtime(second)
            self.stamp = (
                f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}",
                f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}",
                f"{MONTHS[t.tm_mon - 1]} {t.tm_mday:>2}",
            )
        return (*self.stamp, ms)

    def style(self) -> str:
        x = self.r.random()
        if x < 0.36:
            return "iso"
        if x < 0.56:
            return "pylog"
        if x < 0.70:
            return "logfmt"
        return "json" if x < 0.86 else "syslog"

    def render(self, style: str, level: str, body: str, ascii_json: bool) -> str:
        """`body` as one line of `style` for the current flow."""
        r, flow = self.r, self.flow
        date, clock, sysdate, ms = self.tick()
        task = r.randint(100_000, 999_999)
        name = flow.name if r.random() < 0.9 else flow.name.replace("→", "->")
        if style == "iso":
            return f"{date}T{clock}.{ms:03d}Z {UPPER[level]} [task {task}] {name}: {body}"
        if style == "pylog":
            return (
                f"{date} {clock},{ms:03d} {PYLOG[level]} junipeer.flows.{flow.module}: "
                f"[task {task}] {body}"
            )
        if style == "logfmt":
            quoted = body.replace("\\", "\\\\").replace('"', '\\"')
            return (
                f'time={date}T{clock}.{ms:03d}Z level={level} msg="{quoted}" task={task} '
                f'flow="{name}" connector={flow.connector}'
            )
        if style == "json":
            record = {
                "ts": f"{date}T{clock}.{ms:03d}Z",
                "level": level,
                "connector": flow.connector,
                "task": task,
                "flow": name,
                "msg": body,
            }
            return json.dumps(record, ensure_ascii=ascii_json, separators=(",", ":"))
        host = f"sync-worker-{r.randint(1, 6)} junipeer[{r.randint(900, 32_000)}]"
        return f"{sysdate} {clock} {host}: {UPPER[level]} {name}: {body}"

    # -- catalog errors --------------------------------------------------------

    def error(self) -> tuple[str, Expected]:
        r = self.r
        tpl = r.choice(self.templates[r.choice(self.entries)])
        self.flow = r.choice(self.flows_for[tpl.entry])
        message = ALTERNATIVES.sub(lambda m: m.group(r.randint(1, 2)), tpl.text)
        message, variant = self.variant(self.fill(message), tpl.lang)
        x = r.random()
        if x < 0.04:
            return message, Expected(tpl.accept, "bare", variant)
        style, ascii_json = self.style(), r.random() < 0.5
        if x < 0.25:
            body, shape = self.api_body(message, ascii_json), "api-body"
        elif x < 0.32:
            body, shape = self.chain(message), "chain"
        else:
            body, shape = self.context() + message, "message"
        line = self.render(style, "error" if r.random() < 0.93 else "warn", body, ascii_json)
        style = "json-ascii" if style == "json" and ascii_json else style
        return line, Expected(tpl.accept, f"{style}/{shape}", variant)

    def variant(self, message: str, lang: str) -> tuple[str, str]:
        x = self.r.random()
        if lang in ("sv", "no"):
            if x < 0.45:
                return message, "as-is"
            if x < 0.80:
                return message.translate(NO_DIACRITICS), "no-diacritics"
            if x < 0.85:
                return message.encode("utf-8").decode("latin-1"), "mojibake"
            return message.lower(), "lower-case"
        if "—" in message and x < 0.5:
            return message.replace("—", "-"), "ascii-dash"
        return message, "as-is"

    def context(self) -> str:
        module = self.flow.module
        if self.r.random() < 0.35:
            return ""
        if module == "payouts":
            return self.fill("payout {payout}: invoice {invoice}: ")
        if module in ("stock", "products"):
            return self.fill("article {sku}: ")
        if module == "customers":
            return self.fill("order {order}: customer {customer}: ")
        return self.fill("order {order}: ")

    def api_body(self, message: str, ascii_json: bool) -> str:
        r, flow = self.r, self.flow
        compact = (",", ":")
        if "Fortnox" in (flow.source, flow.target) and r.random() < 0.8:
            code = FORTNOX_CODE.search(message)
            info = {
                "error": 1,
                "message": message + ("." if r.random() < 0.3 else ""),
                "code": int(code.group(1)) if code else r.randint(2_000_000, 2_002_000),
            }
            body = json.dumps(
                {"ErrorInformation": info}, ensure_ascii=ascii_json, separators=compact
            )
            return f"Fortnox API responded 400: {body}"
        system = flow.source if flow.module == "stock" else flow.target
        if r.random() < 0.5:
            error: dict[str, Any] = {"error": {"source": system, "message": message}}
        else:
            error = {"errors": [{"status": 400, "title": "Bad Request", "detail": message}]}
        return (
            f"{system} API error: {json.dumps(error, ensure_ascii=ascii_json, separators=compact)}"
        )

    def chain(self, message: str) -> str:
        api = self.flow.target.replace(" ", "").replace(".", "")
        order = self.order_id()
        return f"task failed: ExportError: could not export order {order}: {api}Error: {message}"

    # -- noise -------------------------------------------------------------------

    def noise(self) -> tuple[str, int]:
        """One noise line, or a traceback's lines joined by newlines, and its kind."""
        r = self.r
        self.flow = r.choice(self.flows)
        x = r.random()
        if x < NEAR_MISS_RATE:
            body = self.fill(r.choice(NEAR_MISSES))
            return self.render(self.style(), "info", body, False), NEAR_MISS
        x -= NEAR_MISS_RATE
        if x < UNRELATED_RATE:
            return self.unrelated(), UNRELATED
        x -= UNRELATED_RATE
        if x < BLANK_RATE:
            return "", BLANK
        x -= BLANK_RATE
        if x < PAYLOAD_RATE:
            return self.render(self.style(), "debug", self.payload(), r.random() < 0.5), PAYLOAD
        _, level, text = r.choices(TRAFFIC_LINES, cum_weights=self.traffic_cum)[0]
        return self.render(self.style(), level, self.fill(text), r.random() < 0.5), TRAFFIC

    def unrelated(self) -> str:
        r = self.r
        if r.random() < 0.2:
            date, clock, _, ms = self.tick()
            first = f"{date} {clock},{ms:03d} ERROR junipeer.flows.{self.flow.module}: crashed"
            lines = [first, *(self.fill(line) for line in TRACEBACK)]
            return "\n".join([*lines, ""] if r.random() < 0.5 else lines)
        level = "error" if r.random() < 0.8 else "warn"
        return self.render(self.style(), level, self.fill(r.choice(UNRELATED_ERRORS)), False)

    def payload(self) -> str:
        """A DEBUG dump of an order: one long line of 1–10 kB."""
        r = self.r
        items = [
            {
                "sku": self.sku(),
                "title": r.choice(PRODUCTS),
                "quantity": r.randint(1, 5),
                "price": self.fill("{amount}"),
                "vat_rate": r.choice((25, 12, 6, 0)),
            }
            for _ in range(r.randint(8, 60))
        ]
        order = {"id": self.order_id(), "currency": r.choice(CURRENCIES), "line_items": items}
        return "response body: " + json.dumps(order, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------------------
# Writing and reading a log with its truth.


@dataclass(slots=True)
class Truth:
    """What each line of a generated log is: a kind per line, the expected ids of errors."""

    kinds: bytearray
    errors: dict[int, Expected] = field(default_factory=dict)


def generate(log: Path, sidecar: Path, lines: int, rate: float, seed: int) -> Truth:
    """Write `lines` lines to `log`, and every line that is not traffic to `sidecar`."""
    gen = LogGen(seed, load_templates(CATALOG))
    r = gen.r
    truth = Truth(bytearray(lines))
    partial_log, partial_sidecar = log.with_suffix(".partial"), sidecar.with_suffix(".partial")
    with partial_log.open("wb") as out, partial_sidecar.open("w", encoding="utf-8") as side:
        side.write("line\tkind\tstyle\tvariant\taccept\n")
        pending: list[str] = []
        number = 0
        while number < lines:
            if r.random() < rate:
                text, expected = gen.error()
                number += 1
                truth.kinds[number - 1] = ERROR
                truth.errors[number] = expected
                accept = "|".join(expected.accept)
                side.write(f"{number}\t{KINDS[ERROR]}\t{expected.style}\t{expected.variant}\t")
                side.write(f"{accept}\n")
                pending.append(text + "\n")
            elif r.random() < BROKEN_RATE:  # a line from a source writing Latin-1
                number += 1
                truth.kinds[number - 1] = BROKEN
                side.write(f"{number}\t{KINDS[BROKEN]}\t-\t-\t-\n")
                out.write("".join(pending).encode("utf-8"))
                pending.clear()
                date, clock, _, ms = gen.tick()
                name = r.choice(BROKEN_NAMES)
                line = f"{date} {clock},{ms:03d} INFO junipeer.customers: kund {name} skapad\n"
                out.write(line.encode("latin-1"))
            else:
                text, kind = gen.noise()
                for piece in text.split("\n"):
                    if number == lines:
                        break
                    number += 1
                    truth.kinds[number - 1] = kind
                    pending.append(piece + "\n")
                    if kind != TRAFFIC:
                        side.write(f"{number}\t{KINDS[kind]}\t-\t-\t-\n")
            if len(pending) >= 8192:
                out.write("".join(pending).encode("utf-8"))
                pending.clear()
        out.write("".join(pending).encode("utf-8"))
    partial_log.replace(log)
    partial_sidecar.replace(sidecar)
    return truth


def load_truth(sidecar: Path, lines: int) -> Truth:
    truth = Truth(bytearray(lines))
    with sidecar.open(encoding="utf-8") as side:
        next(side)
        for row in side:
            number, kind, style, variant, accept = row.rstrip("\n").split("\t")
            truth.kinds[int(number) - 1] = KIND_BY_NAME[kind]
            if kind == KINDS[ERROR]:
                truth.errors[int(number)] = Expected(tuple(accept.split("|")), style, variant)
    return truth


def prepare_log(
    workdir: Path, lines: int, rate: float, seed: int, fresh: bool
) -> tuple[Path, Truth]:
    """The log for these parameters; reused while this script and the catalog are unchanged."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(CATALOG.glob("*.yaml")):
        digest.update(path.read_bytes())
    prefix = f"sync-{lines}-seed{seed}-rate{rate:g}-"
    log = workdir / f"{prefix}{digest.hexdigest()[:10]}.log"
    sidecar = log.with_suffix(".expected.tsv")
    if not fresh and log.exists() and sidecar.exists():
        print(f"reusing {log}", flush=True)
        return log, load_truth(sidecar, lines)
    for old in workdir.glob(f"{prefix}*"):
        old.unlink()
    print(f"generating {lines:,} lines into {log}", end=" … ", flush=True)
    start = time.perf_counter()
    truth = generate(log, sidecar, lines, rate, seed)
    print(f"{time.perf_counter() - start:.1f} s", flush=True)
    return log, truth


# ---------------------------------------------------------------------------
# Running and measuring.

BARE_LOOP = "import sys\nfor line in sys.stdin.buffer:\n    pass\n"
JSON_FLOOR = """\
import json, sys
write = sys.stdout.write
dumps = json.dumps
for n, raw in enumerate(sys.stdin.buffer, 1):
    write(dumps({"line": n, "text": raw.decode("utf-8", "replace").rstrip("\\r\\n")}) + "\\n")
"""


@dataclass(slots=True)
class Command:
    name: str
    label: str
    argv: list[str]
    lines: int
    output: str  # "sink": the --sink choice; "file"; "report": a JSON report on stdout
    ok_codes: tuple[int, ...] = (0,)


@dataclass(slots=True)
class Run:
    name: str
    label: str
    lines: int
    wall: float
    cpu: float
    rss_mib: float
    exit_code: int
    failed: bool = False
    note: str = ""
    output: str = ""

    @property
    def rate(self) -> float:
        return self.lines / self.wall if self.wall > 0 and not self.failed else 0.0


# A fresh, small Python process (-I -S) that starts the command and reports that
# child's own rusage. Measuring from here instead would be wrong: a child forked from
# this process starts with this process's resident pages counted in its ru_maxrss.
LAUNCHER = """\
import os, sys, time
report, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(report, "w") as out:
    cpu = usage.ru_utime + usage.ru_stime
    out.write(f"{wall} {cpu} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


class Measured(NamedTuple):
    wall: float
    cpu: float
    rss_mib: float
    exit_code: int
    timed_out: bool


def measure(
    argv: Sequence[str], stdin: Path, stdout: Path | None, stderr: Path, timeout: float
) -> Measured:
    """Run `argv` in a fresh process under LAUNCHER: its wall time (perf_counter around
    it), CPU time and peak RSS (its own ru_maxrss, from os.wait4), and exit code."""
    env = {k: v for k, v in os.environ.items() if k != "JUNIDIAG_CATALOG"}
    sink = stdout if stdout is not None else Path(os.devnull)
    report = stderr.with_suffix(".rusage")
    report.unlink(missing_ok=True)
    launch = [sys.executable, "-I", "-S", "-c", LAUNCHER, str(report), *argv]
    with stdin.open("rb") as fin, sink.open("wb") as fout, stderr.open("wb") as ferr:
        start = time.perf_counter()
        proc = subprocess.Popen(
            launch, stdin=fin, stdout=fout, stderr=ferr, env=env, start_new_session=True
        )
        try:
            proc.wait(timeout=timeout or None)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return Measured(time.perf_counter() - start, 0.0, 0.0, -9, True)
    if not report.exists():  # the launcher itself failed
        return Measured(time.perf_counter() - start, 0.0, 0.0, proc.returncode or -1, False)
    wall, cpu, maxrss, code = report.read_text(encoding="utf-8").split()
    unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return Measured(float(wall), float(cpu), int(maxrss) * unit / (1 << 20), int(code), False)


def commands(args: argparse.Namespace, lines: int, junidiag: list[str]) -> list[Command]:
    py, drain = sys.executable, [str(args.drain_python), str(DRAIN_RUNNER)]
    explain = [*junidiag, "explain"]
    first = min(lines, args.drain_default_lines)
    cmds = [
        Command("bare", "bare read loop", [py, "-c", BARE_LOOP], lines, "sink"),
        Command("floor", "decode + json.dumps floor", [py, "-c", JSON_FLOOR], lines, "sink"),
        Command("json", "junidiag explain --json", [*explain, "--json"], lines, "sink", (0, 1)),
    ]
    if args.sink == "devnull":
        label = "junidiag explain --json, to a file (scored)"
        cmds.append(Command("json-file", label, [*explain, "--json"], lines, "file", (0, 1)))
    cmds += [
        Command(
            "summary", "junidiag explain --summary", [*explain, "--summary"], lines, "file", (0, 1)
        ),
        Command(
            "drain-default",
            f"Drain3 defaults, first {first:,} lines",
            [*drain, "--mask", "none", "--limit", str(first)],
            first,
            "report",
        ),
        Command(
            "drain-masked", "Drain3 numbers masked", [*drain, "--mask", "numbers"], lines, "report"
        ),
    ]
    skip = set(args.skip) | ({"json-file"} if "json" in args.skip else set())
    if not args.drain_ok:
        skip |= {"drain-default", "drain-masked"}
    return [c for c in cmds if c.name not in skip]


def run_command(args: argparse.Namespace, cmd: Command, log: Path, lines: int) -> Run:
    work: Path = args.workdir
    out = work / f"out-{lines}-{cmd.name}.txt"
    stdout = None if cmd.output == "sink" and args.sink == "devnull" else out
    err = work / f"err-{lines}-{cmd.name}.txt"
    wall, cpu, rss, code, timed_out = measure(cmd.argv, log, stdout, err, args.timeout)
    run = Run(cmd.name, cmd.label, cmd.lines, wall, cpu, rss, code, output=str(stdout or ""))
    err.with_suffix(".rusage").unlink(missing_ok=True)
    errors = err.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    if not errors:
        err.unlink()
    if timed_out:
        run.failed, run.note = True, f"killed by the {args.timeout:g} s timeout"
    elif code not in cmd.ok_codes:
        run.failed, run.note = True, f"exit {code}: {' | '.join(errors[-2:])}"
    elif cmd.output == "report":
        report = json.loads(out.read_text(encoding="utf-8"))
        run.lines = int(report["lines"])
        run.note = f"{report['clusters']:,} clusters (Drain3 {report['drain3']})"
    return run


def run_size(
    args: argparse.Namespace, log: Path, lines: int, junidiag: list[str]
) -> dict[str, Run]:
    """Every command on `log`, `--repeat` rounds; the fastest run of each is kept, with the
    highest peak memory of its rounds. A failed round is kept, to be seen."""
    best: dict[str, Run] = {}
    for round_ in range(1, args.repeat + 1):
        for cmd in commands(args, lines, junidiag):
            tag = f"  {cmd.label}" + (f" [{round_}/{args.repeat}]" if args.repeat > 1 else "")
            print(f"{tag:52}", end=" ", flush=True)
            run = run_command(args, cmd, log, lines)
            rate = "failed" if run.failed else f"{run.rate:,.0f} lines/s"
            print(f"{rate:>18} {run.wall:9.2f} s {run.rss_mib:8.1f} MiB  {run.note}", flush=True)
            kept = best.get(cmd.name)
            if kept is None or run.failed or (not kept.failed and run.wall < kept.wall):
                if kept is not None:
                    run.rss_mib = max(run.rss_mib, kept.rss_mib)
                best[cmd.name] = run
            elif not kept.failed:
                kept.rss_mib = max(kept.rss_mib, run.rss_mib)
    return best


# ---------------------------------------------------------------------------
# Scoring junidiag's JSON Lines against the truth.


@dataclass(slots=True)
class Accuracy:
    objects: int = 0
    misnumbered: int = 0
    errors: int = 0
    expected: int = 0
    other: int = 0
    unmatched: int = 0
    noise: int = 0
    false_positives: int = 0
    by_style: dict[str, list[int]] = field(default_factory=dict)  # key → [right, total]
    by_variant: dict[str, list[int]] = field(default_factory=dict)
    by_entry: dict[str, list[int]] = field(default_factory=dict)
    fp_by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind → [matched, total]
    fp_ids: Counter[str] = field(default_factory=Counter)
    confusions: Counter[str] = field(default_factory=Counter)
    samples: dict[str, list[str]] = field(default_factory=dict)

    @property
    def share(self) -> float | None:
        return self.expected / self.errors if self.errors else None


def json_loads() -> Callable[[bytes], Any]:
    try:
        import orjson  # a junidiag dependency, so present where junidiag is
    except ImportError:
        return json.loads
    return orjson.loads


def score(output: Path, truth: Truth, keep: int) -> Accuracy:
    """Compare each object's `match.id` with what its line is."""
    acc = Accuracy(errors=len(truth.errors))
    loads = json_loads()
    for kind, total in sorted(Counter(truth.kinds).items()):
        if kind != ERROR:
            acc.fp_by_kind[KINDS[kind]] = [0, total]
            acc.noise += total

    def sample(key: str, text: str) -> None:
        texts = acc.samples.setdefault(key, [])
        if len(texts) < keep:
            texts.append(text if len(text) <= 200 else text[:200] + "…")

    with output.open("rb") as out:
        for index, raw in enumerate(out, 1):
            acc.objects = index
            record = loads(raw)
            number = record.get("line")
            if number != index:
                acc.misnumbered += 1
            if not isinstance(number, int) or not 1 <= number <= len(truth.kinds):
                continue
            match = record.get("match")
            got = str(match["id"]) if match else None
            text = str(record.get("text", ""))
            kind = truth.kinds[number - 1]
            if kind != ERROR:
                if got is not None:
                    acc.false_positives += 1
                    acc.fp_by_kind[KINDS[kind]][0] += 1
                    acc.fp_ids[got] += 1
                    sample(f"false positive {got}", text)
                continue
            expected = truth.errors[number]
            right = got in expected.accept
            if right:
                acc.expected += 1
            elif got is None:
                acc.unmatched += 1
                sample(f"unmatched {expected.accept[0]}", text)
            else:
                acc.other += 1
                acc.confusions[f"{expected.accept[0]} → {got}"] += 1
                sample(f"{expected.accept[0]} matched as {got}", text)
            for table, key in (
                (acc.by_style, expected.style),
                (acc.by_variant, expected.variant),
                (acc.by_entry, expected.accept[0]),
            ):
                cell = table.setdefault(key, [0, 0])
                cell[0] += right
                cell[1] += 1
    return acc


# ---------------------------------------------------------------------------
# Report.


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "n/a"


def speedup(a: Run | None, b: Run | None) -> float | None:
    """How many times the lines/s of `a` is that of `b`; None when either is missing."""
    if a is None or b is None or a.failed or b.failed or not b.rate:
        return None
    return a.rate / b.rate


def verdict(value: float | None, target: float, higher: bool = True) -> str:
    if value is None:
        return "n/a"
    return "ok" if (value >= target if higher else value <= target) else "MISSED"


def times(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}×"


def print_accuracy(acc: Accuracy, lines: int) -> None:
    print(f"  accuracy of junidiag --json ({acc.objects:,} objects for {lines:,} lines)")
    if acc.objects != lines or acc.misnumbered:
        print(f"    CONTRACT BROKEN: {acc.misnumbered:,} objects with an unexpected line number")
    print(
        f"    catalog error lines {acc.errors:,}: matched as expected "
        f"{pct(acc.expected, acc.errors)}, matched another entry {pct(acc.other, acc.errors)}, "
        f"unmatched {pct(acc.unmatched, acc.errors)}"
    )
    kinds = ", ".join(f"{k} {pct(n, t)} of {t:,}" for k, (n, t) in acc.fp_by_kind.items())
    print(f"    noise lines matched (false positives) {pct(acc.false_positives, acc.noise)}")
    print(f"      {kinds}")
    if acc.fp_ids:
        print("      ids: " + ", ".join(f"{k} {n}" for k, n in acc.fp_ids.most_common(8)))
    if acc.confusions:
        wrong = ", ".join(f"{k} {n}" for k, n in acc.confusions.most_common(8))
        print(f"    matched another entry: {wrong}")
    for title, table in (("style/shape", acc.by_style), ("variant", acc.by_variant)):
        cells = ", ".join(f"{k} {pct(h, t)}" for k, (h, t) in sorted(table.items()))
        print(f"    matched as expected by {title}: {cells}")
    weak = [f"{k} {h}/{t}" for k, (h, t) in sorted(acc.by_entry.items()) if h < TARGET_MATCHED * t]
    if weak:
        print(f"    entries under {100 * TARGET_MATCHED:g} %: {', '.join(weak)}")
    shown = [f"{key}: {text}" for key, texts in sorted(acc.samples.items()) for text in texts]
    if shown:
        print("    samples (--samples N per kind of miss):")
    for line in shown[:MAX_SAMPLES]:
        print(f"      {line}")
    if len(shown) > MAX_SAMPLES:
        print(f"      … and {len(shown) - MAX_SAMPLES} more")


def accuracy_figures(acc: Accuracy) -> dict[str, Any]:
    """The scores as plain JSON values (asdict would rebuild a Counter from its items)."""
    figures = {f.name: getattr(acc, f.name) for f in fields(acc) if f.name != "samples"}
    return {k: dict(v) if isinstance(v, dict) else v for k, v in figures.items()}


def print_size(lines: int, runs: dict[str, Run], acc: Accuracy | None, sink: str) -> dict[str, Any]:
    print(f"\n{lines:,} lines (the json floor and junidiag --json write to {sink})")
    print(f"  {'command':44} {'lines/s':>11} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}")
    for run in runs.values():
        rate = "failed" if run.failed else f"{run.rate:,.0f}"
        print(
            f"  {run.label:44} {rate:>11} {run.wall:8.2f} {run.cpu:8.2f} {run.rss_mib:9.1f}"
            f"  {run.note}"
        )
    busy = [r.label for r in runs.values() if not r.failed and r.wall > max(1.0, BUSY * r.cpu)]
    if busy:
        print(
            f"  NOTE: wall time exceeds CPU time by over {100 * (BUSY - 1):.0f} % for "
            f"{', '.join(busy)}: something else was using the CPUs, the ratios are noisy"
        )
    if acc is not None:
        print_accuracy(acc, lines)
    json_run, floor = runs.get("json"), runs.get("floor")
    ratios = {
        "json/floor": speedup(json_run, floor),
        "json/drain-masked": speedup(json_run, runs.get("drain-masked")),
        "summary/floor": speedup(runs.get("summary"), floor),
        "json/bare": speedup(json_run, runs.get("bare")),
        "drain-masked/drain-default": speedup(runs.get("drain-masked"), runs.get("drain-default")),
    }
    share = acc.share if acc else None
    print("  ratios of lines/s")
    print(
        f"    junidiag --json / json floor        {times(ratios['json/floor']):>8}"
        f"   target ≥ {TARGET_FLOOR:g}× (aim {AIM_FLOOR:g}×)"
        f"  {verdict(ratios['json/floor'], TARGET_FLOOR)}"
    )
    print(
        f"    junidiag --json / masked Drain3     {times(ratios['json/drain-masked']):>8}"
        f"   target ≥ {TARGET_DRAIN:g}×  {verdict(ratios['json/drain-masked'], TARGET_DRAIN)}"
    )
    print(
        f"    junidiag --summary / json floor     {times(ratios['summary/floor']):>8}"
        f"   target ≥ 1×  {verdict(ratios['summary/floor'], 1.0)}"
    )
    print(f"    junidiag --json / bare read loop    {times(ratios['json/bare']):>8}")
    matched = "n/a" if share is None else f"{100 * share:.1f} %"
    print(
        f"    error lines matched as expected     {matched:>8}"
        f"   target ≥ {100 * TARGET_MATCHED:g} %  {verdict(share, TARGET_MATCHED)}"
    )
    return {
        "runs": {name: asdict(run) | {"lines_per_s": run.rate} for name, run in runs.items()},
        "accuracy": None if acc is None else accuracy_figures(acc),
        "ratios": ratios,
        "matched_share": share,
        "missed": [
            name
            for name, value, target in (
                ("json/floor", ratios["json/floor"], TARGET_FLOOR),
                ("json/drain-masked", ratios["json/drain-masked"], TARGET_DRAIN),
                ("matched", share, TARGET_MATCHED),
            )
            if verdict(value, target) == "MISSED"
        ],
    }


def junidiag_command(spec: str | None) -> list[str]:
    if spec:
        return shlex.split(spec)
    beside = Path(sys.executable).with_name("junidiag")
    found = str(beside) if beside.exists() else shutil.which("junidiag")
    if not found:
        sys.exit("stdin.py: junidiag not found: `pip install -e .` it, or pass --junidiag")
    return [found]


def drain_available(python: Path) -> tuple[bool, str]:
    if not python.exists():
        return False, (
            f"Drain3 skipped: {python} not found. Create its environment with `python3 -m venv "
            "../benchvenv && ../benchvenv/bin/pip install drain3==0.9.11` (beside the checkout), "
            "or pass --drain-python."
        )
    probe = subprocess.run(
        [str(python), "-c", "import drain3"], capture_output=True, text=True, check=False
    )
    if probe.returncode:
        reason = probe.stderr.strip().splitlines()[-1:] or ["?"]
        return False, f"Drain3 skipped: `import drain3` fails in {python}: {reason[0]}"
    return True, ""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, nargs="+", default=[1_000_000, 4_000_000])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_LINES:,} lines only")
    parser.add_argument("--rate", type=float, default=0.03, help="share of catalog error lines")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument(
        "--sink",
        choices=("file", "devnull"),
        default="file",
        help="where the json floor and junidiag --json write; devnull adds a scored run to a file",
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the fastest counts")
    parser.add_argument("--timeout", type=float, default=0, help="kill a command after SECONDS")
    parser.add_argument(
        "--skip",
        nargs="+",
        default=[],
        choices=("bare", "floor", "json", "summary", "drain-default", "drain-masked"),
    )
    parser.add_argument("--junidiag", help="how to run junidiag (default: beside this python)")
    parser.add_argument("--drain-python", type=Path, default=DEFAULT_DRAIN_PYTHON)
    parser.add_argument("--drain-default-lines", type=int, default=100_000)
    parser.add_argument("--regenerate", action="store_true", help="never reuse a generated log")
    parser.add_argument("--generate-only", action="store_true", help="write the logs and stop")
    parser.add_argument("--keep-outputs", action="store_true", help="keep the commands' output")
    parser.add_argument("--samples", type=int, default=2, help="texts shown per kind of miss")
    parser.add_argument("--json-report", type=Path, help="also write the figures there as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.quick:
        args.lines = [QUICK_LINES]
    if args.repeat < 1 or min(args.lines) < 1:
        parser.error("--repeat and --lines must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.generate_only:
        for lines in args.lines:
            log, truth = prepare_log(args.workdir, lines, args.rate, args.seed, args.regenerate)
            print(f"{log}: {len(truth.kinds):,} lines, {len(truth.errors):,} catalog errors")
        return 0
    junidiag = junidiag_command(args.junidiag)
    version = subprocess.run(
        [*junidiag, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    args.drain_ok, drain_note = drain_available(args.drain_python)
    print(
        f"junidiag stdin benchmark: {version or junidiag}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs ({platform.machine()}), seed {args.seed}, rate {args.rate:g}, "
        f"sink {args.sink}"
    )
    if drain_note:
        print(drain_note)

    results: dict[int, tuple[dict[str, Run], Accuracy | None]] = {}
    for lines in args.lines:
        log, truth = prepare_log(args.workdir, lines, args.rate, args.seed, args.regenerate)
        print(
            f"{lines:,} lines, {log.stat().st_size / 1e6:.1f} MB, {len(truth.errors):,} catalog "
            f"error lines ({pct(len(truth.errors), lines)})"
        )
        runs = run_size(args, log, lines, junidiag)
        scored = runs.get("json-file") or runs.get("json")
        acc = None
        if scored is not None and scored.output and not scored.failed:
            acc = score(Path(scored.output), truth, args.samples)
        if not args.keep_outputs:
            for run in runs.values():
                if run.output:
                    Path(run.output).unlink(missing_ok=True)
        results[lines] = (runs, acc)

    print("\n" + "=" * 96)
    report: dict[str, Any] = {
        "junidiag": version,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "seed": args.seed,
        "rate": args.rate,
        "sink": args.sink,
        "drain": drain_note or "ran",
        "sizes": {},
    }
    missed: list[str] = []
    for lines, (runs, acc) in results.items():
        figures = print_size(lines, runs, acc, args.sink)
        report["sizes"][str(lines)] = figures
        missed += [f"{lines}:{name}" for name in figures["missed"]]
    sizes = sorted(results)
    if len(sizes) > 1:
        small, large = results[sizes[0]][0].get("json"), results[sizes[-1]][0].get("json")
        if small and large and not (small.failed or large.failed):
            growth = large.rss_mib / small.rss_mib
            print(
                f"\njunidiag --json peak memory, {sizes[-1]:,} / {sizes[0]:,} lines: "
                f"{large.rss_mib:.1f} / {small.rss_mib:.1f} MiB = {growth:.3f}"
                f"   target ≤ {TARGET_MEMORY:g}  {verdict(growth, TARGET_MEMORY, higher=False)}"
            )
            report["memory_growth"] = growth
            if growth > TARGET_MEMORY:
                missed.append("memory")
    report["missed"] = missed
    if args.json_report:
        args.json_report.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    crashed = any(run.failed for runs, _ in results.values() for run in runs.values())
    return 1 if crashed or (args.check and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
