"""The bundled catalog, compiled when the wheel is built and installed with the code.

A fresh install answers its first `explain` as fast as its hundredth, with no cache of
its own: the validated catalog, the compiled matcher and the description index of the
bundled catalog are built by the build backend (`hatch_build.py` runs `python -m
junidiag.shipped DIR`) and installed in `junidiag/data/compiled/`, as the data-only
JSON of `codec` — never code, and read back into nothing but plain values and the
catalog's and matcher's own classes, as the per-user cache is (see `cache`). The
per-user cache remains for user catalogs, and for the bundled one where nothing is
shipped (an editable install) or what is shipped does not fit.

Each file holds a key: junidiag's version, the Python version, the codec's format,
and the name, size and CRC-32 of every bundled catalog and language file. A file is
used only when its key is what is installed, so an edited bundled file is seen at
once, as the cache sees it. `JUNIDIAG_NO_CACHE` (build everything from the YAML) and
`JUNIDIAG_LANGUAGES` (more languages than were compiled in) turn it off.

The files are built reproducibly, with string hashing fixed (`REPRODUCIBLE_SEED`): the
same catalog gives the same bytes on every build, which tests/test_shipped.py holds.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from junidiag import __version__

if TYPE_CHECKING:
    from junidiag.catalog import Catalog

T = TypeVar("T")
FOLDER = Path(__file__).parent / "data" / "compiled"
"""Where the wheel installs the compiled files (absent in an editable install)."""
KINDS = ("catalog", "matcher", "index")
_LANGUAGES = Path(__file__).parent / "languages"


def load(kind: str, expected: type[T]) -> T | None:
    """The shipped `kind` (one of KINDS) if it is there, fits what is installed and is
    an `expected`; else None (then the cache or a fresh build answers)."""
    if os.environ.get("JUNIDIAG_NO_CACHE") or os.environ.get("JUNIDIAG_LANGUAGES"):
        return None
    try:
        raw = (FOLDER / f"{kind}.json").read_bytes()
    except OSError:
        return None
    found = _decoded(raw, kind)
    if not isinstance(found, expected):
        return None
    if kind == "catalog":
        _place(found)  # type: ignore[arg-type]
    return found


def _decoded(raw: bytes, kind: str) -> Any:
    from junidiag import codec
    from junidiag.catalog import bundled_dir

    try:
        document = codec.parse(raw)
        if not isinstance(document, dict) or document.get("key") != key(bundled_dir()):
            _debug(f"{kind}.json was built from another catalog: not used")
            return None
        return codec.decode(document.get("data"))
    except codec.DecodeError as error:
        _debug(f"{kind}.json is not readable ({error}): not used")
        return None


def _place(catalog: Catalog) -> None:
    """Each entry's file where it is installed (the build wrote its name alone)."""
    from junidiag.catalog import bundled_dir

    folder = f"{bundled_dir()}{os.sep}"
    for entry in catalog:
        object.__setattr__(entry, "path", folder + entry.path)


@lru_cache(maxsize=2)
def key(catalog_dir: Path) -> str:
    """What the compiled files of the bundled catalog in `catalog_dir` depend on."""
    import zlib

    from junidiag import codec
    from junidiag.cache import checksums
    from junidiag.text.languages import BUNDLED

    lines = [f"{__version__} {sys.version_info[:2]} {codec.FORMAT}", *checksums(catalog_dir)]
    for code in BUNDLED:
        data = (_LANGUAGES / f"{code}.txt").read_bytes()
        lines.append(f"{code}.txt {len(data)} {zlib.crc32(data):08x}")
    return "\n".join(lines)


def _debug(message: str) -> None:
    if os.environ.get("JUNIDIAG_DEBUG"):
        print(f"junidiag: shipped data: {message}", file=sys.stderr)


# --- building them (the build backend, tests) -----------------------------------------


def documents(catalog_dir: Path) -> dict[str, bytes]:
    """The compiled files for the bundled catalog in `catalog_dir`, by file name: built
    afresh from its YAML (the same bytes on every run under `REPRODUCIBLE_SEED`)."""
    import dataclasses

    import orjson

    from junidiag import codec
    from junidiag.catalog import BUNDLED, Source, load

    catalog = load([Source(catalog_dir, BUNDLED)])  # strict: a broken catalog fails the build
    from junidiag.matching import Matcher

    matcher = Matcher(list(catalog))
    index = matcher.index
    for entry in catalog:  # where it is installed is known only when it is loaded
        catalog.entries[entry.id] = dataclasses.replace(entry, path=Path(entry.path).name)
    built = {"catalog": catalog, "matcher": matcher, "index": index}
    stamp = key(catalog_dir)
    return {
        f"{kind}.json": orjson.dumps({"key": stamp, "data": codec.encode(built[kind])})
        for kind in KINDS
    }


def write(folder: Path, catalog_dir: Path) -> list[Path]:
    """Build the compiled files of the bundled catalog in `catalog_dir` into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in documents(catalog_dir).items():
        (folder / name).write_bytes(data)
        written.append(folder / name)
    return written


REPRODUCIBLE_SEED = "0"
"""String hashing fixed while building: the order of a set, and of the dicts filled from
one, then comes out the same on every run, and so do the files' bytes."""


_AGAIN = (
    "import sys; sys.path.insert(0, sys.argv[1]); from junidiag.shipped import main; "
    "sys.exit(main(sys.argv[2:]))"
)
"""This very junidiag, run again (whatever put it on the path of this process)."""


def main(argv: list[str]) -> int:
    """`python -m junidiag.shipped DIR [CATALOG_DIR]`: write the compiled files to DIR."""
    import subprocess

    from junidiag.catalog import bundled_dir

    if len(argv) not in (1, 2) or os.environ.get("JUNIDIAG_LANGUAGES"):
        print(
            "usage: python -m junidiag.shipped DIR [CATALOG_DIR] (without JUNIDIAG_LANGUAGES)",
            file=sys.stderr,
        )
        return 2
    if os.environ.get("PYTHONHASHSEED") != REPRODUCIBLE_SEED:  # once more, reproducibly
        env = {**os.environ, "PYTHONHASHSEED": REPRODUCIBLE_SEED}
        again = [sys.executable, "-c", _AGAIN, str(Path(__file__).parents[1]), *argv]
        return subprocess.run(again, env=env, check=False).returncode
    catalog_dir = Path(argv[1]) if len(argv) == 2 else bundled_dir()
    for path in write(Path(argv[0]), catalog_dir):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
