"""Sync logs of different make-up for benchmarks/stdin.py, generated deterministically.

A `MakeUp` holds the knobs: the share of catalog error lines, of error-level lines no
entry knows (TLS handshake timeouts, connection resets), of WARN traffic, how many
distinct messages the errors repeat (a log repeats a few hundred with other ids and
amounts filled in), and how those are written: typo'd or cut off, Swedish and
Norwegian without diacritics, inside JSON bodies, with long payloads. `LOGS` names
the make-ups the benchmark runs; `write_log` writes one with its truth: the sidecar
`*.expected.tsv` lists every line that is not plain traffic with its kind, style,
variant and the entry ids that are a right answer.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import accumulate
from pathlib import Path
from random import Random
from typing import Any, NamedTuple

import log_text as text
from log_text import FIELD, Template


@dataclass(frozen=True)
class MakeUp:
    """What a generated log is made of: shares of all lines, and how errors are written."""

    about: str
    errors: float = 0.03
    """Catalog error lines."""
    unknown: float = 0.05
    """Error-level lines that no entry knows (one in twenty opens a traceback of six lines
    more)."""
    warn: float = 0.04
    """WARN traffic: retries, slow responses."""
    near_miss: float = 0.015
    """Success lines worded like a catalog message."""
    long: float = 0.002
    """DEBUG payload dumps of 1–10 kB."""
    distinct: int = 180
    """Distinct messages the errors repeat (with other values filled in each time)."""
    typos: float = 0.15
    """Errors that are a near copy of their message: a typo (three in four) or cut off."""
    plain: float = 0.35
    """Swedish and Norwegian errors written without diacritics."""
    embedded: float = 0.25
    """Errors inside a JSON API body (`{"ErrorInformation":{…}}`)."""
    long_errors: float = 0.0
    """Errors followed by the request that failed, 1–4 kB of JSON."""
    styles: str = "iso"
    """`iso` (`2026-02-10T05:00:00.123Z ERROR [task-12345] flow: …`) or `mixed`: five
    styles line by line, as in a merged `kubectl logs` (ISO, Python logging, logfmt,
    JSON lines, syslog)."""


DEFAULT_SEED = 20250210
"""The seed every benchmark log is generated from unless told otherwise."""

LOGS = {
    "typical": MakeUp(
        "issue 19's log: ISO timestamps with ms, [task-NNNNN], 3 % errors, 5 % unknown ERROR"
    ),
    "quiet": MakeUp(
        "a good day: 0.1 % errors of 20 messages", errors=0.001, unknown=0.005, distinct=20
    ),
    "busy": MakeUp("the typical log with 10 % errors", errors=0.10),
    "storm": MakeUp(
        "20 % errors, 10 % unknown ERROR, a third typo'd, 40 % in JSON",
        errors=0.20,
        unknown=0.10,
        typos=0.33,
        embedded=0.40,
    ),
    "outage": MakeUp("20 % errors of 12 messages", errors=0.20, distinct=12),
    "varied": MakeUp(
        "2,000 distinct messages, 40 % near copies, half in JSON",
        errors=0.05,
        distinct=2000,
        typos=0.40,
        plain=0.5,
        embedded=0.5,
    ),
    "long-lines": MakeUp(
        "5 % payload dumps of 1–10 kB, a fifth of errors with the request",
        long=0.05,
        long_errors=0.2,
    ),
    "mixed": MakeUp(
        "five log styles line by line, 1.2 % unknown errors (the earlier benchmark's log)",
        unknown=0.012,
        warn=0.03,
        distinct=500,
        typos=0.0,
        styles="mixed",
    ),
}
TYPICAL = "typical"

KINDS = ("traffic", "near-miss", "unrelated-error", "catalog-error", "blank", "payload", "broken")
TRAFFIC, NEAR_MISS, UNRELATED, ERROR, BLANK, PAYLOAD, BROKEN = range(len(KINDS))
KIND_BY_NAME = {name: i for i, name in enumerate(KINDS)}
BLANK_RATE = 0.002
BROKEN_RATE = 0.0002
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
UPPER = {"debug": "DEBUG", "info": "INFO", "warn": "WARN", "error": "ERROR"}
PYLOG = {"debug": "DEBUG", "info": "INFO", "warn": "WARNING", "error": "ERROR"}


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


class Message(NamedTuple):
    """One of the distinct error messages a log repeats: the catalog message as the
    connector writes it, its placeholders filled anew on each line."""

    template: Template
    text: str
    """The message with one of `a/b` alternatives and any typo, placeholders unfilled."""
    variant: str
    shape: str
    """How it is wrapped: `message`, `api-body`, `chain` or `bare`."""
    flow: Flow
    cut: float
    """The share of the filled message kept (1.0: whole)."""


@dataclass(slots=True)
class Truth:
    """What each line of a generated log is: a kind per line, the expected ids of errors."""

    kinds: bytearray
    errors: dict[int, Expected] = field(default_factory=dict)


def make_flows() -> list[Flow]:
    flows = []
    for action, source, target, module in text.FLOWS:
        system = target if source in text.PLATFORMS else source
        connector = system.lower().replace(" ", "").replace(".", "")
        flows.append(Flow(f"{action} {source} → {target}", source, target, module, connector))
    return flows


class LogGen:
    """Sync-log lines of one make-up from one seeded `Random`: the same seed, the same log."""

    def __init__(self, seed: int, makeup: MakeUp, templates: list[Template]) -> None:
        self.r = Random(seed)
        self.makeup = makeup
        self.flows = make_flows()
        self.flow = self.flows[0]
        self.traffic_weights = list(accumulate(weight for weight, _, _ in text.TRAFFIC))
        self.ms = int(datetime(2026, 2, 10, 5, 0, tzinfo=UTC).timestamp() * 1000)
        self.second = -1
        self.stamp = ("", "", "")
        self.values = text.Values(self.r, lambda: self.flow)
        self.fill = self.values.fill
        order: list[Template] = []  # every catalog message once before any twice
        while len(order) < makeup.distinct:
            order += self.r.sample(templates, len(templates))
        self.messages = [self._message(t) for t in order[: makeup.distinct]]
        # a few messages make most of a log's errors (Zipf): the first, one in six
        self.message_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(self.messages))]

    # -- the distinct messages -------------------------------------------------

    def _message(self, template: Template) -> Message:
        r, makeup = self.r, self.makeup
        systems = {s.casefold() for s in template.systems}
        flows = [
            f for f in self.flows if {f.source.casefold(), f.target.casefold()} & systems
        ] or self.flows
        message = text.ALTERNATIVES.sub(lambda m: m.group(r.randint(1, 2)), template.text)
        message, variant = self._written(message, template.lang)
        cut = 1.0
        if r.random() < makeup.typos:
            if r.random() < 0.25:
                cut, variant = r.uniform(0.7, 0.9), f"{variant}+cut"
            else:
                message, variant = typo(r, message), f"{variant}+typo"
        x = r.random()
        shape = "bare" if x < 0.03 else "api-body" if x < 0.03 + makeup.embedded else "message"
        if shape == "message" and r.random() < 0.1:
            shape = "chain"
        return Message(template, message, variant, shape, r.choice(flows), cut)

    def _written(self, message: str, lang: str) -> tuple[str, str]:
        r = self.r
        if lang in ("sv", "no"):
            x = r.random()
            if x < self.makeup.plain:
                return message.translate(text.NO_DIACRITICS), "no-diacritics"
            if x < self.makeup.plain + 0.05:
                return message.encode("utf-8").decode("latin-1"), "mojibake"
            if x < self.makeup.plain + 0.15:
                return message.lower(), "lower-case"
            return message, "as-is"
        if "—" in message and r.random() < 0.5:
            return message.replace("—", "-"), "ascii-dash"
        return message, "as-is"

    # -- time and styles -------------------------------------------------------

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
        if self.makeup.styles == "iso":
            return "iso"
        x = self.r.random()
        if x < 0.36:
            return "iso"
        if x < 0.56:
            return "pylog"
        if x < 0.70:
            return "logfmt"
        return "json" if x < 0.86 else "syslog"

    def render(self, style: str, level: str, body: str, ascii_json: bool = False) -> str:
        """`body` as one line of `style` for the current flow."""
        r, flow = self.r, self.flow
        date, clock, sysdate, ms = self.tick()
        name = flow.name if r.random() < 0.9 else flow.name.replace("→", "->")
        if style == "iso":
            task = f"task-{r.randint(10_000, 99_999)}"
            return f"{date}T{clock}.{ms:03d}Z {UPPER[level]} [{task}] {name}: {body}"
        task = r.randint(100_000, 999_999)
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
        message = r.choices(self.messages, self.message_weights)[0]
        self.flow = message.flow
        filled = self.fill(message.text)
        if message.cut < 1.0:
            filled = filled[: max(12, round(message.cut * len(filled)))]
        expected = Expected(message.template.accept, message.shape, message.variant)
        if message.shape == "bare":
            return filled, expected
        ascii_json = r.random() < 0.5
        if message.shape == "api-body":
            body = self.api_body(filled, ascii_json)
        elif message.shape == "chain":
            body = self.chain(filled)
        else:
            body = self.context() + filled
        if r.random() < self.makeup.long_errors:
            body += " request=" + json.dumps(self.values.order(), separators=(",", ":"))
        style = self.style()
        line = self.render(style, "error" if r.random() < 0.93 else "warn", body, ascii_json)
        style = "json-ascii" if style == "json" and ascii_json else style
        return line, expected._replace(style=f"{style}/{message.shape}")

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
            code = text.FORTNOX_CODE.search(message)
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
        order = self.values.order_id()
        return f"task failed: ExportError: could not export order {order}: {api}Error: {message}"

    # -- everything else ---------------------------------------------------------

    def noise(self) -> tuple[str, int]:
        """One line that is not a catalog error (or a traceback's lines), and its kind."""
        r, makeup = self.r, self.makeup
        self.flow = r.choice(self.flows)
        x = r.random()
        for share, make in (
            (makeup.unknown, self.unknown),
            (makeup.near_miss, self.near_miss),
            (makeup.warn, self.warning),
            (BLANK_RATE, lambda: ("", BLANK)),
            (makeup.long, self.payload),
        ):
            if x < share:
                return make()
            x -= share
        _, level, body = r.choices(text.TRAFFIC, cum_weights=self.traffic_weights)[0]
        return self.render(self.style(), level, self.fill(body), r.random() < 0.5), TRAFFIC

    def unknown(self) -> tuple[str, int]:
        r = self.r
        if r.random() < 0.05:
            date, clock, _, ms = self.tick()
            first = f"{date}T{clock}.{ms:03d}Z ERROR [task-{r.randint(10_000, 99_999)}] crashed"
            lines = [first, *(self.fill(line) for line in text.TRACEBACK)]
            return "\n".join(lines), UNRELATED
        body = self.fill(r.choice(text.UNKNOWN_ERRORS))
        return self.render(self.style(), "error", body), UNRELATED

    def near_miss(self) -> tuple[str, int]:
        body = self.fill(self.r.choice(text.NEAR_MISSES))
        return self.render(self.style(), "info", body), NEAR_MISS

    def warning(self) -> tuple[str, int]:
        return self.render(self.style(), "warn", self.fill(self.r.choice(text.WARNINGS))), TRAFFIC

    def payload(self) -> tuple[str, int]:
        """A DEBUG dump of an order: one line of 1–10 kB."""
        body = "response body: " + json.dumps(
            self.values.order(), ensure_ascii=False, separators=(",", ":")
        )
        return self.render(self.style(), "debug", body, self.r.random() < 0.5), PAYLOAD

    def broken(self) -> bytes:
        """A line from a source writing Latin-1."""
        date, clock, _, ms = self.tick()
        name = self.r.choice(text.BROKEN_NAMES)
        return f"{date} {clock},{ms:03d} INFO junipeer.customers: kund {name} skapad\n".encode(
            "latin-1"
        )


def typo(r: Random, message: str) -> str:
    """`message` with one typo in a word of five letters or more outside its placeholders:
    a letter dropped, doubled, swapped with the next or replaced."""
    pieces = FIELD.split(message)  # text, placeholder name, text, …
    spots = [
        (i, start)
        for i in range(0, len(pieces), 2)
        for start, word in _words(pieces[i])
        if len(word) >= 5 and word.isalpha()
    ]
    if not spots:
        return message
    i, start = r.choice(spots)
    piece = pieces[i]
    at = start + r.randint(1, 3)
    kind = r.randrange(4)
    if kind == 0:
        piece = piece[:at] + piece[at + 1 :]
    elif kind == 1:
        piece = piece[:at] + piece[at] + piece[at:]
    elif kind == 2:
        piece = piece[:at] + piece[at + 1] + piece[at] + piece[at + 2 :]
    else:
        piece = piece[:at] + r.choice("aeiourstn") + piece[at + 1 :]
    pieces[i] = piece
    return "".join(p if n % 2 == 0 else "{" + p + "}" for n, p in enumerate(pieces))


def _words(piece: str) -> Iterator[tuple[int, str]]:
    start = 0
    for word in piece.split(" "):
        yield start, word
        start += len(word) + 1


def write_log(log: Path, sidecar: Path, lines: int, makeup: MakeUp, seed: int) -> Truth:
    """Write `lines` lines of `makeup` to `log`, and every line not traffic to `sidecar`."""
    gen = LogGen(seed, makeup, text.load_templates(text.CATALOG))
    r = gen.r
    truth = Truth(bytearray(lines))
    partial_log, partial_sidecar = log.with_suffix(".partial"), sidecar.with_suffix(".partial")
    with partial_log.open("wb") as out, partial_sidecar.open("w", encoding="utf-8") as side:
        side.write("line\tkind\tstyle\tvariant\taccept\n")
        pending: list[str] = []
        number = 0

        def flush() -> None:
            out.write("".join(pending).encode("utf-8"))
            pending.clear()

        while number < lines:
            if r.random() < makeup.errors:
                line, expected = gen.error()
                number += 1
                truth.kinds[number - 1] = ERROR
                truth.errors[number] = expected
                accept = "|".join(expected.accept)
                side.write(f"{number}\t{KINDS[ERROR]}\t{expected.style}\t{expected.variant}\t")
                side.write(f"{accept}\n")
                pending.append(line + "\n")
            elif r.random() < BROKEN_RATE:
                number += 1
                truth.kinds[number - 1] = BROKEN
                side.write(f"{number}\t{KINDS[BROKEN]}\t-\t-\t-\n")
                flush()
                out.write(gen.broken())
            else:
                line, kind = gen.noise()
                for piece in line.split("\n"):
                    if number == lines:
                        break
                    number += 1
                    truth.kinds[number - 1] = kind
                    pending.append(piece + "\n")
                    if kind != TRAFFIC:
                        side.write(f"{number}\t{KINDS[kind]}\t-\t-\t-\n")
            if len(pending) >= 8192:
                flush()
        flush()
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


def prepare(
    workdir: Path, name: str, lines: int, seed: int, fresh: bool, errors: float | None = None
) -> tuple[Path, Truth]:
    """Log `name` of `lines` lines (its error share set to `errors`, when given), reused
    while this generator and the catalog are unchanged."""
    makeup = LOGS[name] if errors is None else replace(LOGS[name], errors=errors)
    digest = hashlib.sha256(repr(makeup).encode())
    here = Path(__file__).resolve().parent
    for path in (here / "logs.py", here / "log_text.py", *sorted(text.CATALOG.glob("*.yaml"))):
        digest.update(path.read_bytes())
    prefix = f"{name}-{lines}-seed{seed}-"
    log = workdir / f"{prefix}{digest.hexdigest()[:10]}.log"
    sidecar = log.with_suffix(".expected.tsv")
    if not fresh and log.exists() and sidecar.exists():
        return log, load_truth(sidecar, lines)
    for old in workdir.glob(f"{prefix}*"):
        old.unlink()
    print(f"generating {name}, {lines:,} lines, into {log}", end=" … ", flush=True)
    start = time.perf_counter()
    truth = write_log(log, sidecar, lines, makeup, seed)
    print(f"{time.perf_counter() - start:.1f} s", flush=True)
    return log, truth
