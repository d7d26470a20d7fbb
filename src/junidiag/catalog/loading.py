"""Loading and validating the catalog: one YAML file per entry, bundled and user-supplied.

Every problem is reported as one line naming file, line and field, so a support
person can fix a user catalog without reading code. Defaults for optional fields
live here and nowhere else.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence, Set
from pathlib import Path
from typing import NamedTuple

from junidiag.catalog.files import dangling, entry_paths, read_bounded
from junidiag.catalog.problems import CatalogError, Problem, close_matches, did_you_mean
from junidiag.model import Entry

ENV_VAR = "JUNIDIAG_CATALOG"
BUNDLED = "bundled"


class Source(NamedTuple):
    """A directory of entries and how it is named in `list` (`bundled` or its path)."""

    directory: Path
    name: str

    def files(self) -> list[Path]:
        """Its entry files, by name; dot-files (`.#X.yaml`, `._X.yaml`) are none."""
        return entry_paths(self.directory)


class Catalog:
    """The merged catalog: every entry by id, later sources overriding earlier ones.

    (Plain classes here, not dataclasses: this module loads on every run, and
    each dataclass costs about half a millisecond to create.)
    """

    __slots__ = ("entries", "warnings")

    def __init__(self, entries: dict[str, Entry] | None = None) -> None:
        self.entries: dict[str, Entry] = entries if entries is not None else {}
        self.warnings: list[Problem] = []
        """What was skipped while loading (a symbolic link to nothing), one line each."""

    def __repr__(self) -> str:
        return f"Catalog({len(self.entries)} entries)"

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, entry_id: object) -> bool:
        return isinstance(entry_id, str) and entry_id.upper() in self.entries

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id, ignoring case."""
        return self.entries.get(entry_id.strip().upper())

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Ids that look like `text`, by id or by title — for "did you mean …"."""
        wanted = text.strip().upper()
        by_id = close_matches(wanted, self.entries, n=limit)
        titles = {e.title.upper(): e.id for e in self}
        by_title = close_matches(wanted, titles, n=limit, cutoff=0.5)
        words = [e.id for e in self if wanted and wanted in e.id]
        found = [*by_id, *(titles[t] for t in by_title), *words]
        return list(dict.fromkeys(found))[:limit]


def bundled_dir() -> Path:
    """The catalog shipped inside the package (or the repository's, in a source checkout)."""
    packaged = Path(__file__).parents[1] / "data" / "catalog"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "catalog"


def sources(
    cli_dirs: Sequence[Path] = (), env: str | None = None, missing: list[Problem] | None = None
) -> list[Source]:
    """Catalog directories, lowest precedence first: bundled, $JUNIDIAG_CATALOG, --catalog.

    A directory that is not there raises CatalogError, or, given `missing`, is left
    out with its problem appended there (see `load_usable`)."""
    env_value = os.environ.get(ENV_VAR, "") if env is None else env
    env_dirs = [Path(p) for p in env_value.split(os.pathsep) if p.strip()]
    found = [Source(bundled_dir(), BUNDLED)]
    for directory in [*env_dirs, *cli_dirs]:
        if not directory.is_dir():
            problem = Problem(str(directory), 0, None, "no such catalog directory")
            if missing is None:
                raise CatalogError([problem])
            missing.append(problem)
            continue
        found.append(Source(directory, str(directory)))
    return found


def load(srcs: Sequence[Source]) -> Catalog:
    """Read, validate and merge the sources; raise CatalogError naming every problem."""
    catalog, problems, unread = _merged(srcs)
    problems.extend(dangling_related(catalog, unread))
    if problems:
        raise CatalogError(problems)
    catalog.entries = dict(sorted(catalog.entries.items()))
    return catalog


def load_usable(srcs: Sequence[Source]) -> tuple[Catalog, list[Problem]]:
    """What can be served of the sources, and what is wrong with the rest: every entry
    that reads and validates (a broken file is left out, and the entry it would have
    replaced stays), `related` ids that point nowhere dropped. `catalog check` and
    `load` stay strict; the other commands serve this, with a warning."""
    from dataclasses import replace

    catalog, problems, unread = _merged(srcs)
    problems.extend(dangling_related(catalog, unread))
    for entry in list(catalog):
        related = tuple(r for r in entry.related if r in catalog.entries)
        if related != entry.related:
            catalog.entries[entry.id] = replace(entry, related=related)
    catalog.entries = dict(sorted(catalog.entries.items()))
    return catalog, sorted(problems)


def _merged(srcs: Sequence[Source]) -> tuple[Catalog, list[Problem], set[str]]:
    """The entries of every source that read and validate, later sources overriding
    earlier ones, the problems of those that do not, and the ids those files are named
    for (`ID.yaml`)."""
    from junidiag.catalog import schema  # YAML is only needed when the cache cannot answer

    problems: list[Problem] = []
    unread: set[str] = set()
    catalog = Catalog()
    for src in srcs:
        seen: dict[str, str] = {}
        for path in src.files():
            target = dangling(path)
            if target is not None:  # an editor's lock file, or an entry moved away
                message = f"a symbolic link to {target}, which does not exist: skipped"
                catalog.warnings.append(Problem(str(path), 0, None, message))
                continue
            entry = schema.read_entry(path, src.name, problems)
            if entry is None:
                unread.add(path.stem)
                continue
            if entry.id in seen:
                message = f"duplicate id {entry.id} (also in {seen[entry.id]})"
                problems.append(Problem(str(path), 1, "id", message))
                continue
            seen[entry.id] = str(path)
            catalog.entries[entry.id] = entry
    return catalog, problems, unread


def dangling_related(catalog: Catalog, unread: Set[str] = frozenset()) -> Iterator[Problem]:
    """A problem for each `related` id that names no entry — but not for one whose own
    file is there and broken (`unread`): that file's problem is the one to fix, and
    every entry relating to it would only repeat it."""
    for entry in catalog:
        for related in entry.related:
            if related not in catalog.entries and related not in unread:
                hint = did_you_mean(related, catalog.entries)
                message = f"{related} is not an entry of the catalog{hint}"
                yield Problem(entry.path, _line_of(entry.path, related), "related", message)


def _line_of(path: str, needle: str) -> int:
    """The first line of `path` mentioning `needle`, for problems found after parsing."""
    try:
        text = read_bounded(Path(path)).decode("utf-8", "replace")
    except OSError:
        return 1
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    return 1


def select(
    catalog: Catalog,
    *,
    severities: Sequence[str] = (),
    min_severity: str | None = None,
    system: str | None = None,
    search: str | None = None,
    origin: str | None = None,
) -> list[Entry]:
    """Entries passing every given filter, most severe first, then by id. `origin` is
    `seed` or `vendor-docs`; a user's entry without an origin passes no such filter."""
    from junidiag.model import Severity

    floor = Severity(min_severity).rank if min_severity else -1
    wanted = set(severities)
    needle = _folded(search) if search else ""
    if system is not None and system.strip().casefold() not in _named_systems(catalog):
        return []
    found = [
        entry
        for entry in catalog
        if (not wanted or entry.severity.value in wanted)
        and entry.severity.rank >= floor
        and (system is None or entry.names_system(system.strip()))
        and (not needle or needle in _searchable(entry))
        and (origin is None or (entry.origin is not None and entry.origin.value == origin))
    ]
    return sorted(found, key=lambda e: (-e.severity.rank, e.id))


def known_systems(catalog: Catalog) -> list[str]:
    """The systems entries name, as they write them."""
    return sorted({s for e in catalog for s in e.systems if s != "any"}, key=str.casefold)


def _named_systems(catalog: Catalog) -> set[str]:
    return {s.casefold() for s in known_systems(catalog)} | {"any"}


def _searchable(entry: Entry) -> str:
    texts = [entry.id, entry.title, *entry.symptoms]
    for message in entry.messages:
        texts += [message.text, message.translation or ""]
    return _folded("\n".join(texts))


def _folded(text: str) -> str:
    from junidiag.text.cleaning import fold

    return fold(text)


def nothing_selected(catalog: Catalog, system: str | None) -> str:
    """Why `select` found nothing, for a person: an unknown system (with the names it may
    have meant) or filters that no entry passes together."""
    return unknown_system(catalog, system) or "No entry matches these filters."


def unknown_system(catalog: Catalog, system: str | None) -> str | None:
    """What is wrong with `--system NAME` when no entry names that system (with the
    names it may have meant), else None."""
    systems = known_systems(catalog)
    wanted = (system or "").strip()
    if system is None or wanted.casefold() in {s.casefold() for s in systems} | {"any"}:
        return None
    by_name = {s.casefold(): s for s in systems}
    close = [s for s in systems if s.casefold().startswith(wanted.casefold())]
    close = close or [by_name[c] for c in close_matches(wanted.casefold(), list(by_name))]
    hint = f"did you mean {' or '.join(close)}?" if close else f"known: {', '.join(systems)}"
    return f"no entry concerns the system {wanted!r} — {hint}"
