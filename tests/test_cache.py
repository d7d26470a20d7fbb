"""The start-up cache never answers from stale data and never gets in the way."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import VALID_ENTRY

from junidiag import api
from junidiag.catalog import bundled_dir


def run_json(*args: str, cache: Path, env: dict[str, str] | None = None) -> dict:
    """A real process (the cache matters across processes), its JSON output parsed."""
    environment = {**os.environ, "JUNIDIAG_CACHE_DIR": str(cache), **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", "junidiag", *args], capture_output=True, text=True, env=environment
    )
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_editing_a_copy_of_the_bundled_catalog_is_seen_at_once(tmp_path: Path) -> None:
    copy = tmp_path / "catalog"
    shutil.copytree(bundled_dir(), copy)
    cache = tmp_path / "cache"
    before = run_json("--catalog", str(copy), "show", "--json", "FORTNOX_FISCAL_YEAR", cache=cache)
    assert before["title"] == "Fiscal year not available"
    path = copy / "FORTNOX_FISCAL_YEAR.yaml"
    path.write_text(path.read_text().replace("title: Fiscal year not available", "title: Edited"))
    after = run_json("--catalog", str(copy), "show", "--json", "FORTNOX_FISCAL_YEAR", cache=cache)
    assert after["title"] == "Edited"


def test_editing_a_user_message_changes_what_matches(tmp_path: Path, write_entry) -> None:
    folder = write_entry("ACME_LOCKED", VALID_ENTRY).parent
    cache = tmp_path / "cache"
    query = ["--catalog", str(folder), "explain", "--json", "Lagret Syd är låst för inventering"]
    assert run_json(*query, cache=cache)["matches"][0]["id"] == "ACME_LOCKED"
    edited = (
        VALID_ENTRY.replace("Lagret {warehouse} är låst för inventering", "Zonen {zone} är stängd")
        .replace("The warehouse {warehouse} is locked", "The zone {zone} is closed")
        .replace("Lagret Syd är låst för inventering", "Zonen A är stängd")
    )
    write_entry("ACME_LOCKED", edited)
    assert run_json(*query, cache=cache)["matches"] == []


def test_a_corrupt_cache_is_rebuilt_silently(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert run_json("explain", "--json", "Fiscal year not available", cache=cache)["matches"]
    files = list(cache.glob("*.pickle"))
    assert {f.name.split("-")[0] for f in files} >= {"catalog", "matcher"}
    for file in files:
        file.write_bytes(b"\x80\x05garbage")
    found = run_json("explain", "--json", "Fiscal year not available", cache=cache)
    assert found["matches"][0]["id"] == "FORTNOX_FISCAL_YEAR"


def test_an_unwritable_cache_is_bypassed(tmp_path: Path) -> None:
    # A regular file where the cache directory should be: nothing can be written
    # there, whoever runs the test (chmod would not stop root).
    cache = tmp_path / "not-a-directory"
    cache.write_text("x")
    found = run_json("explain", "--json", "Fiscal year not available", cache=cache)
    assert found["matches"][0]["id"] == "FORTNOX_FISCAL_YEAR"


def test_the_cache_is_never_written_inside_the_package(tmp_path: Path) -> None:
    package = Path(api.__file__).parent
    before = set(package.rglob("*.pickle"))
    run_json("explain", "--json", "Fiscal year not available", cache=tmp_path / "cache")
    assert set(package.rglob("*.pickle")) == before
    assert list((tmp_path / "cache").glob("*.pickle"))


def imported_by(args: list[str], cache: Path) -> set[str]:
    """The modules a real run of `junidiag ARGS` imported."""
    program = (
        "import sys\n"
        f"sys.argv = ['junidiag', *{args!r}]\n"
        "from junidiag.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('\\n'.join(sys.modules))\n"
    )
    environment = {**os.environ, "JUNIDIAG_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, env=environment
    )
    return set(result.stderr.splitlines())


def test_show_imports_neither_the_fuzzy_matcher_nor_yaml_once_cached(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    imported_by(["show", "FORTNOX_FISCAL_YEAR"], cache)  # builds the cache
    modules = imported_by(["show", "FORTNOX_FISCAL_YEAR"], cache)
    assert "junidiag.output.views" in modules  # it did run
    assert not {m for m in modules if m.split(".")[0] in ("rapidfuzz", "yaml")}
    assert "junidiag.matching" not in modules


def test_version_imports_no_rich_panels_and_no_catalog(tmp_path: Path) -> None:
    modules = imported_by(["--version"], tmp_path / "cache")
    assert "junidiag.cli" in modules
    assert not {"rich.panel", "rich.table", "junidiag.catalog", "junidiag.output.views"} & modules


def test_explaining_an_exact_message_needs_no_fuzzy_matcher(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    imported_by(["explain", "Kunde inte hämta/hitta valuta"], cache)
    modules = imported_by(["explain", "Kunde inte hämta/hitta valuta"], cache)
    assert not {m for m in modules if m.split(".")[0] in ("rapidfuzz", "yaml")}
    assert "junidiag.retrieval" not in modules  # the description index stays on disk
