"""The bundled catalog ships compiled in the wheel: always what its YAML builds, never
trusted when it no longer fits, and answering exactly as a build from the YAML does."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from junidiag import api, shipped
from junidiag.catalog import bundled_dir

TEXTS = [
    "Kunde inte hämta/hitta valuta",
    "Currency EUR and Currency SEK does not match",
    "kreditfakturan i Fortnox saknar rabattraden så beloppet blir för högt",
    "Kan inte hitta konto 3001",
    "the weather in Gothenburg is lovely today",
]


def build(folder: Path, catalog: Path | None = None, seed: str = "1") -> dict[str, bytes]:
    """What `python -m junidiag.shipped` writes (as the build backend runs it)."""
    environment = {**os.environ, "PYTHONHASHSEED": seed}
    command = [sys.executable, "-m", "junidiag.shipped", str(folder)]
    subprocess.run([*command, *([str(catalog)] if catalog else [])], env=environment, check=True)
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture
def shipped_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Where this test's junidiag finds its compiled files (none until written)."""
    folder = tmp_path / "compiled"
    monkeypatch.setattr(shipped, "FOLDER", folder)
    api.forget()
    yield folder
    api.forget()


def answers() -> list[tuple]:
    api.forget()
    matcher = api.served_matcher()
    found = []
    for text in TEXTS:
        matches = matcher.diagnose(text) or matcher.suggestions(text)
        found.append([(m.id, m.score, m.basis, m.variables, m.translation) for m in matches])
    return found


def test_the_build_is_reproducible(tmp_path: Path) -> None:
    first = build(tmp_path / "one", seed="1")
    assert set(first) == {"catalog.json", "matcher.json", "index.json"}
    assert build(tmp_path / "two", seed="2") == first


@pytest.mark.skipif(not shipped.FOLDER.is_dir(), reason="an editable install ships nothing")
def test_what_the_wheel_ships_is_what_its_catalog_builds(tmp_path: Path) -> None:
    installed = {path.name: path.read_bytes() for path in sorted(shipped.FOLDER.iterdir())}
    assert build(tmp_path / "fresh") == installed


def test_the_shipped_files_answer_as_the_yaml_does(shipped_folder, monkeypatch) -> None:
    shipped.write(shipped_folder, bundled_dir())
    monkeypatch.setenv("JUNIDIAG_CACHE_DIR", str(shipped_folder.parent / "unused-cache"))
    from_shipped = answers()
    assert not (shipped_folder.parent / "unused-cache").exists()  # nothing else was read
    monkeypatch.setenv("JUNIDIAG_NO_CACHE", "1")
    assert answers() == from_shipped


def test_shipped_entries_name_their_installed_files(shipped_folder) -> None:
    shipped.write(shipped_folder, bundled_dir())
    entry = api.load_catalog().get("FORTNOX_FISCAL_YEAR")
    assert entry is not None
    assert Path(entry.path) == bundled_dir() / "FORTNOX_FISCAL_YEAR.yaml"


def test_files_built_from_another_catalog_are_not_used(shipped_folder, tmp_path) -> None:
    edited = tmp_path / "catalog"
    shutil.copytree(bundled_dir(), edited)
    path = edited / "FORTNOX_FISCAL_YEAR.yaml"
    path.write_text(path.read_text().replace("title: Fiscal year not available", "title: Edited"))
    shipped.write(shipped_folder, edited)
    assert api.load_catalog().get("FORTNOX_FISCAL_YEAR").title == "Fiscal year not available"


@pytest.mark.parametrize("damage", ["truncated", "another class", "not json"])
def test_a_damaged_file_is_not_used(shipped_folder, damage: str) -> None:
    shipped.write(shipped_folder, bundled_dir())
    target = shipped_folder / "catalog.json"
    data = target.read_bytes()
    if damage == "truncated":
        target.write_bytes(data[: len(data) // 2])
    elif damage == "another class":
        document = json.loads(data)
        document["data"]["classes"][0] = "os:system"
        target.write_text(json.dumps(document))
    else:
        target.write_bytes(b"\x00garbage")
    assert api.load_catalog().get("FORTNOX_FISCAL_YEAR").title == "Fiscal year not available"


def test_other_languages_turn_the_shipped_files_off(shipped_folder, monkeypatch) -> None:
    shipped.write(shipped_folder, bundled_dir())
    assert shipped.load("catalog", object) is not None
    monkeypatch.setenv("JUNIDIAG_LANGUAGES", str(shipped_folder / "da.txt"))
    assert shipped.load("catalog", object) is None
