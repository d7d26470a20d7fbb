"""Build hook: the bundled catalog goes into the wheel compiled, as well as in YAML.

Runs `python -m junidiag.shipped` on the repository's (or the sdist's) `catalog/` with
the code being built, and adds what it writes — the validated catalog, the compiled
matcher and its description index, as data-only JSON — to the wheel under
`junidiag/data/compiled/` (see src/junidiag/shipped.py). So a fresh install needs no
cache for the bundled catalog, and what it ships always matches the catalog it ships.
An editable install gets nothing compiled: the code and the catalog change under it,
and the per-user cache, which sees every change, answers instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

TARGET = "junidiag/data/compiled"
BUILD = (
    "import sys; sys.path.insert(0, sys.argv[1]); from junidiag.shipped import main; "
    "sys.exit(main(sys.argv[2:]))"
)
"""The code being built, imported from its source (first on the path, after whatever
the build environment's `site` arranged: pip's drops a path that an editable install
of this very project put there), writing the compiled files."""


class CompiledCatalogHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        self._folder = Path(tempfile.mkdtemp(prefix="junidiag-compiled-"))
        root = Path(self.root)
        environment = {k: v for k, v in os.environ.items() if not k.startswith("JUNIDIAG_")}
        environment["PYTHONHASHSEED"] = "0"  # junidiag.shipped.REPRODUCIBLE_SEED
        source, catalog = root / "src", root / "catalog"
        command = [sys.executable, "-c", BUILD, str(source), str(self._folder), str(catalog)]
        subprocess.run(command, env=environment, check=True, stdout=subprocess.DEVNULL)
        for path in sorted(self._folder.iterdir()):
            build_data["force_include"][str(path)] = f"{TARGET}/{path.name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        folder = getattr(self, "_folder", None)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
