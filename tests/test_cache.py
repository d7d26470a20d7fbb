"""The start-up cache never answers from stale data and never gets in the way."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import VALID_ENTRY

from junidiag import api
from junidiag.catalog import bundled_dir
from junidiag.model import Problem


def own_catalog(near: Path) -> Path:
    """An empty catalog directory of one's own. The cache serves user catalogs (the
    bundled catalog alone comes compiled in the wheel, see tests/test_shipped.py), so
    with one, every run below goes through the cache, installed from a wheel or not."""
    folder = near / "own-catalog"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def run_json(*args: str, cache: Path, env: dict[str, str] | None = None) -> dict:
    """A real process (the cache matters across processes), its JSON output parsed."""
    environment = {
        **os.environ,
        "JUNIDIAG_CACHE_DIR": str(cache),
        "JUNIDIAG_CATALOG": str(own_catalog(cache.parent)),
        **(env or {}),
    }
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
    files = list(cache.glob("*.json"))
    assert {f.name.split("-")[0] for f in files} >= {"catalog", "matcher"}
    for file in files:
        file.write_bytes(b'{"key": "garbage"')
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
    before = set(package.rglob("*.json"))
    run_json("explain", "--json", "Fiscal year not available", cache=tmp_path / "cache")
    assert set(package.rglob("*.json")) == before
    assert list((tmp_path / "cache").glob("*.json"))


def imported_by(args: list[str], cache: Path) -> set[str]:
    """The modules a real run of `junidiag ARGS` imported (through the console script's
    `launch.main`, as a person runs it)."""
    program = (
        "import sys\n"
        f"sys.argv = ['junidiag', *{args!r}]\n"
        "from junidiag.launch import main\n"
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


# --- what the cache trusts (issue 14) ------------------------------------------------
#
# The cache only ever holds data (JSON, read back into the catalog's and the matcher's
# own classes), and only from a directory and files of the user's own that nobody
# else can write. Each attack below plants a file, a link or a directory the way
# another local user could; the run must serve the true catalog and run nothing.

TITLE = b"Fiscal year not available"
POISONED = b"Fiscal year not AVAILABLE"  # as long as the title: a pickle stays loadable


def show_title(cache: Path) -> str:
    return run_json("show", "--json", "FORTNOX_FISCAL_YEAR", cache=cache)["title"]


def filled_cache(tmp_path: Path) -> Path:
    """A cache directory as a run leaves it, whatever its format."""
    cache = tmp_path / "cache"
    assert show_title(cache) == TITLE.decode()
    files = [f for f in cache.iterdir() if f.name.startswith("catalog-")]
    assert files
    return cache


def poison(cache: Path) -> None:
    """Change the title in every cache file, as someone who can write them could."""
    for file in cache.iterdir():
        if file.is_file() and TITLE in file.read_bytes():
            file.write_bytes(file.read_bytes().replace(TITLE, POISONED))


class Planted:
    """A pickle that runs a command when loaded: what another user drops at the name."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_pickle_is_never_loaded(tmp_path: Path) -> None:
    import pickle

    cache = filled_cache(tmp_path)
    marker = tmp_path / "code-ran"
    for file in list(cache.iterdir()):
        payload = pickle.dumps(("key", Planted(marker)))
        file.write_bytes(payload)  # in place of every file the run wrote
        file.with_suffix(".pickle").write_bytes(payload)  # and at the old names
    assert show_title(cache) == TITLE.decode()
    found = run_json("explain", "--json", "Fiscal year not available", cache=cache)
    assert found["matches"][0]["id"] == "FORTNOX_FISCAL_YEAR"
    assert not marker.exists()


def test_a_cache_file_naming_another_class_is_refused(tmp_path: Path) -> None:
    cache = filled_cache(tmp_path)
    marker = tmp_path / "code-ran"
    for file in cache.glob("catalog-*.json"):
        document = json.loads(file.read_bytes())
        document["data"]["classes"] = ["os:system"] * len(document["data"]["classes"])
        document["data"]["value"] = ["e", 0, f"touch {marker}"]
        file.write_text(json.dumps(document))
    assert show_title(cache) == TITLE.decode()
    assert not marker.exists()


def test_a_cache_directory_others_can_write_is_not_used(tmp_path: Path) -> None:
    cache = filled_cache(tmp_path)
    poison(cache)
    cache.chmod(0o777)
    before = sorted(p.name for p in cache.iterdir())
    assert show_title(cache) == TITLE.decode()
    assert sorted(p.name for p in cache.iterdir()) == before  # nothing written there either


def test_a_cache_file_others_can_write_or_that_is_a_link_is_not_read(tmp_path: Path) -> None:
    cache = filled_cache(tmp_path)
    poison(cache)
    files = [f for f in cache.iterdir() if f.is_file()]
    for file in files:
        file.chmod(0o666)
    assert show_title(cache) == TITLE.decode()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for file in cache.iterdir():  # the rebuilt files, replaced by links to poisoned copies
        copy = elsewhere / file.name
        copy.write_bytes(file.read_bytes().replace(TITLE, POISONED))
        file.unlink()
        file.symlink_to(copy)
    assert show_title(cache) == TITLE.decode()


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give files away"
)
def test_a_cache_directory_or_file_of_another_user_is_not_used(tmp_path: Path) -> None:
    nobody = 65534
    cache = filled_cache(tmp_path)
    poison(cache)
    for file in cache.iterdir():
        os.chown(file, nobody, nobody)
    assert show_title(cache) == TITLE.decode()  # the files are another user's
    poison(cache)
    os.chown(cache, nobody, nobody)
    for file in cache.iterdir():
        os.chown(file, 0, 0)
    before = sorted(p.name for p in cache.iterdir())
    assert show_title(cache) == TITLE.decode()  # the directory is
    assert sorted(p.name for p in cache.iterdir()) == before


def test_a_link_planted_at_the_name_being_written_is_never_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In process, with the process id and random names fixed, so the names written
    are known in advance (as another user would guess a pid)."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("JUNIDIAG_CACHE_DIR", str(cache))
    monkeypatch.setenv("JUNIDIAG_CATALOG", str(own_catalog(tmp_path)))
    monkeypatch.setattr(os, "getpid", lambda: 4242)
    monkeypatch.setattr(os, "urandom", lambda n: bytes(n))
    api.load_catalog()
    names = [p.name for p in cache.iterdir() if not p.name.startswith(".")]
    assert names
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    for name in names:
        (cache / name).unlink()
        for partial in (f".{name}.4242.partial", f".{name}.4242.00000000.partial"):
            (cache / partial).symlink_to(victim)
    api.forget()
    assert api.load_catalog().get("FORTNOX_FISCAL_YEAR") is not None
    assert victim.read_text() == "precious\n"


def test_the_cache_directory_and_its_files_are_private(tmp_path: Path) -> None:
    cache = tmp_path / "deep" / "cache"
    run_json("explain", "--json", "Fiscal year not available", cache=cache)
    assert cache.stat().st_mode & 0o777 == 0o700
    files = list(cache.iterdir())
    assert files
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in files)


def test_an_edit_that_keeps_size_and_mtime_is_seen(tmp_path: Path, write_entry) -> None:
    path = write_entry("ACME_LOCKED", VALID_ENTRY)
    cache = tmp_path / "cache"
    query = ["--catalog", str(path.parent), "show", "--json", "ACME_LOCKED"]
    assert run_json(*query, cache=cache)["title"] == "Warehouse locked for stocktaking"
    times = path.stat()
    edited = path.read_text().replace("Warehouse locked for", "Warehouse closed for")
    assert len(edited) == len(path.read_text())
    path.write_text(edited)
    os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))  # as `touch -r` leaves it
    assert path.stat().st_mtime_ns == times.st_mtime_ns
    assert run_json(*query, cache=cache)["title"] == "Warehouse closed for stocktaking"


def test_the_catalog_and_the_matcher_survive_the_data_format() -> None:
    import orjson

    from junidiag import codec
    from junidiag.matching import Matcher

    catalog = api.load_catalog()
    matcher = Matcher(list(catalog))

    def again(value: object) -> object:
        return codec.decode(orjson.loads(orjson.dumps(codec.encode(value))))

    copy = again(matcher)
    assert isinstance(copy, Matcher)
    copy.attach_entries(list(catalog))
    copy.attach_index(lambda: again(matcher.index))  # type: ignore[arg-type,return-value]
    texts = [
        "Kunde inte hämta valuta",
        "Currency EUR and Currency SEK does not match",
        "the credit invoice is missing the discount row",
        '2026-01-02 ERROR {"ErrorInformation":{"message":"x","code":2000637}}',
        "completed without errors",
    ]
    for text in texts:
        expected = [(m.id, m.score, m.variables) for m in matcher.diagnose(text)]
        assert [(m.id, m.score, m.variables) for m in copy.diagnose(text)] == expected, text
    shown = again(catalog)
    assert [e.id for e in shown] == [e.id for e in catalog]  # type: ignore[attr-defined]
    warned = type(catalog)(dict(catalog.entries))
    warned.warnings.append(Problem("/x/.#A.yaml", 0, None, "a link to nothing: skipped"))
    assert again(warned).warnings == warned.warnings  # type: ignore[attr-defined]


def nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = ["L", [value]]
    return value


@pytest.mark.parametrize(
    "document",
    [
        {"format": 0, "classes": [], "value": 1},
        {"format": 1, "classes": ["os:system"], "value": ["e", 0, "true"]},
        {"format": 1, "classes": ["builtins:eval"], "value": 1},
        {"format": 1, "classes": ["junidiag.model:Severity"], "value": ["o", 0, ["d", {}]]},
        {"format": 1, "classes": ["junidiag.model:Entry"], "value": ["e", 0, "x"]},
        {
            "format": 1,
            "classes": ["junidiag.model:Entry"],
            "value": ["o", 0, ["d", {"__class__": 1}]],
        },
        {"format": 1, "classes": [], "value": ["nope", 1]},
        {"format": 1, "classes": [], "value": ["L", [["r", 3]]]},
        {"format": 1, "classes": [], "value": {"a": 1}},
        {"format": 1, "classes": [], "value": nested(100_000)},
        {"format": 1, "classes": [], "value": ["l|", "tq", [1]]},
        {"format": 1, "classes": ["junidiag.model:Entry"], "value": ["n", 0, ["l", [1]]]},
        {"format": 1, "classes": ["junidiag.model:Problem"], "value": ["n", 0, ["l", [1]]]},
    ],
)
def test_decoding_refuses_what_the_cache_did_not_write(document: dict) -> None:
    from junidiag import codec

    with pytest.raises(codec.DecodeError):
        codec.decode(document)
