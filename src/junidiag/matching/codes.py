"""Vendor error codes as evidence: `2000433` in Fortnox's error body names its entry.

A code is evidence only where the text says it is a code: a field named for one
(`"code":2000433`, `"ErrorCode":4026`, `"extensions":{"code":"THROTTLED"}`, an SDK's
`'errorCode': '010'` or `[errorCode] => 010`), a label
(`Error Code: 2000310`, `felkod 2000433`, `Fortnox error 2003055`), or a number in
brackets after a message, as Fortnox's SDKs print it (`… (2000637)`). The same
digits as an order or invoice number are not a code. A code made of words
(`woocommerce_rest_shop_order_invalid_id`, `AADSTS700082`, `InvalidAuthenticationToken`)
tells itself apart anywhere in the text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from junidiag.model import Entry
from junidiag.text import languages
from junidiag.text.patterns import lazy

CODE_SCORE = 98
"""A code that one entry claims: as sure as a message, a little below one, so that a
message found beside a code another entry claims still comes first."""
SHARED_CODE_SCORE = 70
"""A code several entries claim (Fortnox's 2000637): each is possible, none certain."""

_FIELD = lazy(
    r"""(?:"[A-Za-z_]*code"\s*:\s*"?|'[A-Za-z_]*code'\s*:\s*'?|\[[A-Za-z_]*code\]\s*=>\s*)"""
    r"([A-Za-z0-9][\w.\-]*)",
    re.IGNORECASE,
)
"""A field named for a code, as JSON, a Python dict (`'code': 'X'`) or PHP's print_r
(`[errorCode] => 010`, as Adyen's PHP library shows an error) write it."""
_FIELD_MARKS = ('"', "'", "=>")
_LABELS = languages.words("code_labels")
_LABEL_WORDS = "|".join(r"[\s_-]*".join(map(re.escape, label.split())) for label in _LABELS)
_LABEL = lazy(
    # the look-ahead first: most places of a long line fail on one letter, not on the
    # whole alternation (a 4 kB line: 0.3 ms → 0.1 ms)
    f"(?=[{''.join(sorted({label[0] for label in _LABELS}))}])\\b(?:{_LABEL_WORDS})"
    r"\s*[:#=]?\s*\(?\s*([0-9]{3,}|[A-Za-z][A-Za-z0-9_]*[0-9_][A-Za-z0-9_]*)\b",
    re.IGNORECASE,
)
_BRACKETED = lazy(r"\((\d{6,8})\)")
_CAPITAL_CODE = r"[A-Z]{2,}(?:_[A-Z]{2,})+"
_SPELT_CODE = re.compile(rf"(?<![\w-])(?:{_CAPITAL_CODE}|AADSTS\d{{4,}})(?![\w-])")
"""What a vendor's error code spelt out looks like: capitals joined by underscores
(Klarna's `CANCEL_NOT_ALLOWED`) or a Microsoft Entra code (`AADSTS7000215`)."""
_ENTRA_CODE = lazy(r"\bAADSTS\d{4,}\b")
_STANDING_CODE = lazy(
    rf"(?:^|[|\n]|\b[45]\d\d\b)[\s:|\[(-]*({_CAPITAL_CODE})(?=\s*(?:[:|\[\]()\n-]|$))"
)
"""Capitals joined by underscores where a code stands: opening the message, between bars,
or after an HTTP status (`CANCEL_NOT_ALLOWED: …`, `403 - CANCEL_NOT_ALLOWED`, `| X |`);
not an environment variable, a field or a job name inside a sentence (`ORDER_ID=7`)."""
_STATUS_NAMES = frozenset(
    """BAD_REQUEST NOT_FOUND UNAUTHORIZED FORBIDDEN TOO_MANY_REQUESTS INTERNAL_SERVER_ERROR
    SERVICE_UNAVAILABLE GATEWAY_TIMEOUT BAD_GATEWAY REQUEST_TIMEOUT UNPROCESSABLE_ENTITY
    PAYMENT_REQUIRED METHOD_NOT_ALLOWED NOT_ACCEPTABLE""".split()
)
"""HTTP statuses by name: they say how a request failed, not which error it was."""


_BRACKETED_FAILURE = lazy(r"\[([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\]")
"""A code of words in brackets after a message, as an SDK prints it (`… [product_invalid_sku]`)."""
_NUMBERED_NAME = lazy(r"(?<![\w-])\d{3,}-([A-Z][a-z]+(?:[A-Z][a-z0-9]*)+)(?![\w-])")
"""A numbered error name (`1402-PaymentMethodIdNotFound`), as Visma.net's API words its errors."""
_PROBLEM_WORDS = frozenset((*languages.words("problem"), *languages.words("problem.setting")))
_CAMEL_BREAK = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _words_of_code(code: str) -> list[str]:
    """`product_invalid_sku` and `PaymentMethodIdNotFound` as their lower-case words."""
    return _CAMEL_BREAK.sub("_", code).lower().split("_")


def _named_failures(text: str) -> list[str]:
    """Codes of words that say a failure in their words (`[product_invalid_sku]`,
    `1402-PaymentMethodIdNotFound`), in the two places only a code stands: in brackets
    after a message and as a numbered name. Not in a field or after a label, where a
    vendor's generic code (`rate_limit_exceeded`, `Application_DialogException`) or a
    value (a discount `"code":"WELCOME10"`) stands as often; not a job or a field's name
    (`1042-OrderExport`, `[voucher_date]`), whose words say no failure."""
    found = []
    if "[" in text:
        found += _BRACKETED_FAILURE.findall(text)
    if "-" in text:
        found += _NUMBERED_NAME.findall(text)
    return [code for code in found if not _PROBLEM_WORDS.isdisjoint(_words_of_code(code))]


def _field_codes(text: str) -> list[str]:
    if any(mark in text for mark in _FIELD_MARKS):
        return list(_FIELD.findall(text))
    return []


def _is_word_code(code: str) -> bool:
    """A code that no prose would write tells itself apart wherever it stands: letters
    joined with an underscore or digits (`invalid_grant`, `AADSTS700082`) or CamelCase
    (`InvalidAuthenticationToken`); `THROTTLED` is also a word, so only a code field says it."""
    if len(code) < 6 or not any(c.isalpha() for c in code):
        return False
    camel = any(c.isupper() for c in code[1:]) and any(c.islower() for c in code)
    return "_" in code or any(c.isdigit() for c in code) or camel


class CodeIndex:
    """Every entry's codes, and where in a text a code may stand. (A plain class, not a
    dataclass, which would cost every run about half a millisecond to create.)"""

    __slots__ = ("entries_of", "mentioned", "words")

    def __init__(
        self,
        entries_of: dict[str, tuple[int, ...]],
        words: re.Pattern[str] | None,
        mentioned: frozenset[str] = frozenset(),
    ):
        self.entries_of = entries_of
        """A code (upper case) → the entries that claim it."""
        self.words = words
        """The codes made of words, found anywhere as whole tokens."""
        self.mentioned = mentioned
        """Every spelt-out code the catalog mentions (claims, messages, causes, ids)."""

    @classmethod
    def build(cls, entries: Sequence[Entry]) -> CodeIndex:
        claims: dict[str, list[int]] = defaultdict(list)
        for number, entry in enumerate(entries):
            for code in entry.codes:
                key = code.code.strip().upper()
                if number not in claims[key]:
                    claims[key].append(number)
        words = sorted((c for c in claims if _is_word_code(c)), key=len, reverse=True)
        pattern = None
        if words:
            alternatives = "|".join(re.escape(w) for w in words)
            firsts = "".join(sorted({re.escape(w[0]) for w in words}))
            # the first letters looked at before anything else: see `_LABEL`
            pattern = re.compile(
                rf"(?=[{firsts}])(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE
            )
        mentioned = set(claims) | {entry.id for entry in entries}
        for entry in entries:
            mentioned.update(_SPELT_CODE.findall("\n".join(entry.texts())))
        return cls({c: tuple(e) for c, e in claims.items()}, pattern, frozenset(mentioned))

    def states_another(self, text: str) -> bool:
        """Whether the text states, where a code stands, a vendor's error code that the
        catalog never mentions (`CANCEL_NOT_ALLOWED: …`, `AADSTS7000215`): the vendor
        has said which error it is, and it is none the catalog knows, however close its
        words come."""
        said = _ENTRA_CODE.findall(text) if "AADSTS" in text else []
        if "_" in text:
            said += _STANDING_CODE.findall(text)
            labelled = [*_LABEL.findall(text), *_field_codes(text)]
            said += [code for code in labelled if _SPELT_CODE.fullmatch(code)]
        # a code that spells an entry's id (`1502-CashAccountNotFound`) is that entry's
        said += ["_".join(_words_of_code(code)).upper() for code in _named_failures(text)]
        return any(code not in self.mentioned and code not in _STATUS_NAMES for code in said)

    def find(self, text: str) -> list[tuple[int, str, int]]:
        """(entry, code, how many entries claim it) for each code the text states."""
        if not self.entries_of:
            return []
        said = _field_codes(text)
        said += _LABEL.findall(text)
        if "(" in text:
            said += _BRACKETED.findall(text)
        if self.words is not None:
            said += self.words.findall(text)
        found: dict[int, tuple[str, int]] = {}
        for code in said:
            claimants = self.entries_of.get(code.upper(), ())
            for entry in claimants:
                found.setdefault(entry, (code, len(claimants)))
        return [(entry, code, shared) for entry, (code, shared) in found.items()]
