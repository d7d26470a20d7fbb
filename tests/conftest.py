"""Pinned terminal and isolated state for every test.

Like hatch's tests: no colour, a fixed width, and a private cache directory, so
whole outputs can be compared and no test sees another's cache or the user's
catalog directories.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from junidiag import api
from junidiag.cli import app

DATA = Path(__file__).parent / "data"
CATALOG_IDS = dict(
    line.split("\t")[:2]
    for line in (DATA / "catalog-ids.tsv").read_text(encoding="utf-8").splitlines()[1:]
)
"""Every bundled entry's id and severity (tests/data/catalog-ids.tsv): counts derive from it."""
SEED_IDS = frozenset(
    line.split("\t")[0]
    for line in (DATA / "catalog-ids.tsv").read_text(encoding="utf-8").splitlines()[1:]
    if line.split("\t")[3].strip()
)
"""The seed's 52 ids: the rows of catalog-ids.tsv that name their seed heading."""


@pytest.fixture(autouse=True)
def pinned_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("JUNIDIAG_CATALOG", raising=False)
    monkeypatch.delenv("JUNIDIAG_DEBUG", raising=False)
    monkeypatch.setenv("JUNIDIAG_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    yield


@pytest.fixture
def run() -> Callable[..., object]:
    """Invoke the CLI in-process: run("explain", "--json", "text", input="…")."""
    runner = CliRunner()

    def invoke(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None):
        return runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)

    return invoke


@pytest.fixture
def write_entry(tmp_path: Path) -> Callable[..., Path]:
    """Write a user catalog entry file: write_entry("ACME_X", yaml_text, directory=None)."""

    def write(name: str, text: str, directory: Path | None = None) -> Path:
        folder = directory or tmp_path / "catalog"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.yaml"
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    return write


def broken(text: str, old: str, new: str) -> str:
    """`text` with its first `old` replaced by `new` (which must be there)."""
    assert old in text
    return text.replace(old, new, 1)


VALID_ENTRY = """\
    id: ACME_LOCKED
    title: Warehouse locked for stocktaking
    severity: warning
    kind: pattern
    systems: [Fortnox]
    messages:
      - text: Lagret {warehouse} är låst för inventering
        lang: sv
        translation: The warehouse {warehouse} is locked for stocktaking
    cause: >-
      Someone started a stocktaking in the warehouse.
    solution:
      - Finish the stocktaking, then retry the task.
    symptoms:
      - stock cannot be moved while the warehouse is being counted
    related: [FORTNOX_FISCAL_YEAR]
    examples:
      - Lagret Syd är låst för inventering
"""


@pytest.fixture
def user_catalog(write_entry: Callable[..., Path], tmp_path: Path) -> Path:
    write_entry("ACME_LOCKED", VALID_ENTRY)
    return tmp_path / "catalog"


@pytest.fixture(autouse=True)
def fresh_catalogs() -> Iterator[None]:
    """A test that writes catalog files must not see a catalog loaded by an earlier test."""
    yield
    api.forget()


SNAPSHOTS = Path(__file__).parent / "snapshots"


@pytest.fixture
def snapshot() -> Callable[[str, str], None]:
    """Compare a whole output with tests/snapshots/NAME; JUNIDIAG_UPDATE_SNAPSHOTS=1 writes
    it instead (then review the diff: a change that shifts output shows there)."""
    import os

    def check(name: str, text: str) -> None:
        path = SNAPSHOTS / name
        if os.environ.get("JUNIDIAG_UPDATE_SNAPSHOTS"):
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"no snapshot {name}: run with JUNIDIAG_UPDATE_SNAPSHOTS=1"
        assert text == path.read_text(encoding="utf-8"), f"{name} differs from its snapshot"

    return check
