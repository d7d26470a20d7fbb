"""What the generated sync logs say: connector traffic, noise and the catalog's messages.

The words only; `logs.py` decides how often each kind of line comes and wraps it in
a log style. `{fields}` are filled by `logs.LogGen.fill`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from random import Random
from typing import Any, NamedTuple, Protocol

import yaml

CATALOG = Path(__file__).resolve().parent.parent / "catalog"
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

# Success traffic: (weight, level, body).
TRAFFIC = (
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
    (1, "info", "scheduler: next run of {flow} in {small} min"),
)
# WARN traffic: loud enough that every line is looked at, yet no catalog problem.
WARNINGS = (
    "slow response from {host}: {slow} ms",
    "retrying request to {host} (attempt {attempt}/5)",
    "order {order} has no phone number, using the default",
    "rate of webhooks high: {count} queued for {source}",
    "price of {sku} is 0.00 in price list {pricelist}, skipped",
    "Lagersaldo för {sku} är negativt ({few}), sätts till 0",
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
# Error-level lines that no entry knows: the network and the platform failing.
UNKNOWN_ERRORS = (
    "TLS handshake timeout connecting to {host}:443 after {ms} ms",
    "net/http: TLS handshake timeout (Client.Timeout exceeded) calling https://{host}/3/orders",
    "read tcp 10.0.{small}.{few}:{port}->{ip}:443: read: connection reset by peer",
    "Error: read ECONNRESET at TLSWrap.onStreamRead (node:internal/stream_base_commons:217:20)",
    "upstream connect error or disconnect/reset before headers. reset reason: connection "
    "termination",
    "requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(104, "
    "'Connection reset by peer'))",
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
    '  File "/app/junipeer/flows/{flow_module}.py", line {line}, in run',
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
CURRENCIES = ("SEK", "EUR", "NOK", "DKK", "USD", "GBP")
SIZES = ("XS", "S", "M", "L", "XL", "XXL")
PRODUCTS = ("Ullmössa", "Regnjacka", "Strikkegenser", "Linen shirt", "Träningsbyxor")
BROKEN_NAMES = ("Göran Ström", "Bjørn Åsheim", "Märta Öberg")
NO_DIACRITICS = str.maketrans("åäöÅÄÖæøÆØé", "aaoAAOaoAOe")
ALTERNATIVES = re.compile(r"\b([^\W\d_]+)/([^\W\d_]+)\b")  # "hämta/hitta": one of the two
FIELD = re.compile(r"\{(\w+)\}")
FORTNOX_CODE = re.compile(r"\((\d{7})\)")


class Template(NamedTuple):
    """A catalog message, with the ids that are a right answer for it."""

    entry: str
    accept: tuple[str, ...]
    text: str
    lang: str
    systems: tuple[str, ...]


def load_templates(catalog: Path) -> list[Template]:
    """Every catalog message. A text several entries share (the grouped
    COMMON_FORTNOX_ERRORS_EXPLAINED repeats the specific entries' Swedish messages)
    belongs to the specific ones only: SPEC §2 says they outrank the grouped one.
    Entries without a literal message (symptom-only entries) have none."""
    owners: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for path in sorted(catalog.glob("*.yaml")):
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        for message in entry.get("messages") or []:
            key = " ".join(str(message["text"]).casefold().split())
            owners.setdefault(key, []).append((entry, message))
    templates = []
    for pairs in owners.values():
        specific = [p for p in pairs if p[0].get("kind") != "reference"] or pairs
        accept = tuple(sorted({str(e["id"]) for e, _ in specific}))
        entry, message = specific[0]
        systems = tuple(str(s) for s in entry.get("systems") or ())
        templates.append(
            Template(str(entry["id"]), accept, str(message["text"]), str(message["lang"]), systems)
        )
    return sorted(templates)


class _Flow(Protocol):
    name: str
    source: str
    target: str
    module: str


class Values:
    """Values for the `{fields}` of lines, from the generator's `Random`; the flow's own
    (`{target}`, `{source}`) from the line being written."""

    def __init__(self, r: Random, flow: Callable[[], _Flow]) -> None:
        self.r = r
        self.makers = self._makers(r, flow)

    def fill(self, template: str) -> str:
        return FIELD.sub(self._value, template)

    def _value(self, match: re.Match[str]) -> str:
        make = self.makers.get(match.group(1))
        # a placeholder a future catalog entry introduces: some plausible reference
        return make() if make else f"REF-{self.r.randint(1, 99_999)}"

    def _makers(self, r: Random, flow: Callable[[], _Flow]) -> dict[str, Callable[[], str]]:
        def one_of(*values: str) -> Callable[[], str]:
            return lambda: r.choice(values)

        def number(low: int, high: int) -> Callable[[], str]:
            return lambda: str(r.randint(low, high))

        def hex_digits(bits: int) -> Callable[[], str]:
            return lambda: f"{r.getrandbits(bits):0{bits // 4}x}"

        date = lambda: f"2026-0{r.randint(1, 9)}-{r.randint(10, 28)}"  # noqa: E731
        return {
            "order": self.order_id,
            "invoice": number(1_000, 99_999),
            "amount": lambda: f"{r.randint(4_900, 2_500_000) / 100:.2f}",
            "currency": one_of(*CURRENCIES),
            "sku": self.sku,
            "size": one_of(*SIZES),
            "article": number(1_000, 99_999),
            "count": number(1, 4_000),
            "few": number(1, 250),
            "small": number(1, 9),
            "records": number(1, 850),
            "ms": number(40, 900),
            "slow": number(2_000, 9_000),
            "attempt": number(2, 4),
            "port": number(32_768, 60_999),
            "ip": lambda: ".".join(str(r.randint(1, 254)) for _ in range(4)),
            "host": one_of(*HOSTS),
            "uuid": hex_digits(128),
            "cursor": hex_digits(96),
            "hex": hex_digits(40),
            "payout": number(10_000_000, 99_999_999),
            "customer": number(10_000, 99_999),
            "shipment": number(1_000_000, 9_999_999),
            "tracking": number(10**11, 10**12 - 1),
            "refund": number(100_000, 999_999),
            "rate": lambda: f"{r.randint(900, 1_200) / 100:.2f}",
            "topic": one_of("orders/create", "orders/paid", "refunds/create"),
            "pricelist": one_of("B2C SEK", "B2B EUR", "Outlet NOK"),
            "line": number(0, 40),
            "target": lambda: flow().target,
            "source": lambda: flow().source,
            "flow_module": lambda: flow().module,
            "flow": lambda: flow().name,
            # the catalog's placeholders
            "payment_currency": one_of(*CURRENCIES),
            "invoice_currency": one_of(*CURRENCIES),
            "account": one_of("1930", "1920", "1940", "1910", "1580"),
            "customer_id": self.customer_id,
            "customer_number": number(1_000, 99_999),
            "order_id": self.order_id,
            "invoice_number": number(1_000, 99_999),
            "details": one_of(*TOO_LONG),
            "value": lambda: r.choice(("12,5", "ABC-123", "Ø", "100 st", str(r.randint(1, 999)))),
            "field": one_of("Country", "VAT Bus. Posting Group", "Item No.", "email"),
            "table": one_of("Customer", "Sales Header", "Item"),
            "related_table": one_of("Country/Region", "Payment Terms", "Item Unit"),
            "table_and_permission": one_of("Sales Header: Read", "Customer: Modify"),
            "locked_until": date,
            "issued_at": lambda: f"{date()}T07:{r.randint(10, 59)}:00Z",
            "inactive_for": lambda: f"{r.randint(90, 120)}.00:00:00",
            "series": one_of("A", "B", "K", "L"),
            "length": number(26, 400),
            "max_length": one_of("25", "50", "255"),
            "limit": one_of("4", "25", "40"),
            "scope": one_of("read_orders", "write_inventory", "read_all_orders"),
            "resources": one_of("the requested resources", "customers", "invoices"),
            "visma_id": hex_digits(64),
            "module": one_of("invoicing", "bookkeeping", "articles"),
        }

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

    def order(self) -> dict[str, Any]:
        """An order as a connector dumps it: 8–60 lines, 1–10 kB of JSON."""
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
        return {"id": self.order_id(), "currency": r.choice(CURRENCIES), "line_items": items}
