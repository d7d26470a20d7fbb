"""`catalog check`: a catalog loads, and its entries do what they claim.

Validation (SPEC §2) happens on load. On top of it, like rustc's error index
compiling every example: each entry's `examples` must match it as top-1 and none
of its `counterexamples` may; a draft still holding TODO markers fails; two
entries may not claim the same message unless one is the grouped reference for
the other. A user directory's examples are checked against the merged catalog,
with a warning when a user entry takes over a bundled entry's example.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from junidiag.catalog import BUNDLED, Catalog, CatalogError
from junidiag.model import DRAFT_MARK, CheckReport, Entry, Kind, draft_fields

TODO = DRAFT_MARK


def check(catalog_dirs: Sequence[Path], only: Sequence[Path] | None = None) -> CheckReport:
    """Check the merged catalog; `only` limits the entry checks to those directories."""
    from junidiag import api

    report = CheckReport()
    try:
        catalog = api.load_catalog(catalog_dirs)
    except CatalogError as error:
        report.errors = list(error.problems)
        return report
    report.warnings += [str(problem) for problem in catalog.warnings]
    sources = {str(p) for p in only} if only else None
    checked = [e for e in catalog if sources is None or e.source in sources]
    diagnose = api.matcher(tuple(str(d) for d in catalog_dirs)).diagnose
    for entry in checked:
        report.entries += 1
        report.failures += _drafts(entry)
        for text in entry.examples:
            report.examples += 1
            found = diagnose(text)
            got = found[0].id if found else None
            if got != entry.id:
                report.failures.append(
                    f"{_where(entry)}: example does not match it (got {got or 'no match'}): {text}"
                )
        for text in entry.counterexamples:
            report.counterexamples += 1
            found = diagnose(text)
            if found and found[0].id == entry.id:
                report.failures.append(f"{_where(entry)}: counterexample matches it: {text}")
    report.failures += _shared_messages(checked, catalog)
    if sources is not None:
        report.warnings += _stolen_examples(catalog, diagnose)
    return report


def _drafts(entry: Entry) -> list[str]:
    return [
        f"{_where(entry)}: {name} still holds {TODO}: this is a draft"
        for name in draft_fields(entry)
    ]


def _shared_messages(checked: list[Entry], catalog: Catalog) -> list[str]:
    owners: dict[str, list[Entry]] = {}
    for entry in catalog:
        for message in entry.messages:
            owners.setdefault(message.text.casefold(), []).append(entry)
    failures = []
    for text, entries in owners.items():
        specific = [e for e in entries if e.kind is not Kind.REFERENCE]
        if len(specific) > 1 and any(e in checked for e in specific):
            ids = ", ".join(e.id for e in specific)
            failures.append(f"message claimed by several entries ({ids}): {text}")
    return failures


def _stolen_examples(catalog: Catalog, diagnose: object) -> list[str]:
    warnings = []
    for entry in catalog:
        if entry.source != BUNDLED:
            continue
        for text in entry.examples:
            found = diagnose(text)  # type: ignore[operator]
            if found and found[0].id != entry.id and found[0].entry.source != BUNDLED:
                warnings.append(f"{found[0].id} now takes {entry.id}'s example: {text}")
    return warnings


def _where(entry: Entry) -> str:
    return f"{entry.path or entry.id}"
