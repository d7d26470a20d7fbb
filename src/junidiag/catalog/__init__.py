"""The catalog: one YAML file per known error, read strictly, validated, and merged.

`problems` says what is wrong with a file (file, line, field); `yamltree` reads YAML
as plain data with line numbers; `schema` turns one file into an `Entry`;
`loading` finds the bundled and user directories and merges them into a `Catalog`.
"""

from junidiag.catalog.loading import (
    BUNDLED,
    ENV_VAR,
    Catalog,
    Source,
    bundled_dir,
    known_systems,
    load,
    load_usable,
    nothing_selected,
    select,
    sources,
    unknown_system,
)
from junidiag.catalog.problems import CatalogError, Problem, did_you_mean

__all__ = [
    "BUNDLED",
    "ENV_VAR",
    "Catalog",
    "CatalogError",
    "Problem",
    "Source",
    "bundled_dir",
    "did_you_mean",
    "known_systems",
    "load",
    "load_usable",
    "nothing_selected",
    "select",
    "sources",
    "unknown_system",
]
