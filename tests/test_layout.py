"""The layout holds: dependencies point one way, Rich stays in output, no import cycles.

Read from the source's AST, so a forbidden import is caught even where it is only
imported inside a function or for type checking.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "junidiag"

LAYERS = {
    "junidiag.cli": 5,
    "junidiag.__main__": 5,
    "junidiag.launch": 5,
    "junidiag.commands": 5,
    "junidiag.running": 5,
    "junidiag": 4,
    "junidiag.api": 4,
    "junidiag.logrun": 4,
    "junidiag.checks": 4,
    "junidiag.drafting": 4,
    "junidiag.cache": 4,
    "junidiag.output": 3,
    "junidiag.matching": 3,
    "junidiag.catalog": 3,
    "junidiag.text": 2,
    "junidiag.model": 1,
}
"""cli (with launch, commands, running) → application (api, logrun, checks, drafting,
cache) → output, matching, catalog → text → model. A module may import from its own
layer or any layer below, except that output, matching and catalog know nothing of
each other."""
SIBLINGS_APART = 3


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _modules() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> tuple[str, int]:
    """The package a module belongs to, for the layers, and its layer."""
    for name in sorted(LAYERS, key=len, reverse=True):
        if module == name or (module.startswith(name + ".") and name != "junidiag"):
            return name, LAYERS[name]
    return "junidiag", LAYERS["junidiag"]


def test_no_module_imports_a_layer_above_its_own() -> None:
    modules = _modules()
    upward = []
    for module, imports in modules.items():
        home, level = _layer(module)
        for imported in imports:
            if not imported.startswith("junidiag") or imported not in modules:
                continue
            target, target_level = _layer(imported)
            siblings = level == SIBLINGS_APART and target_level == level and target != home
            if target_level > level or siblings:
                upward.append(f"{module} imports {imported}")
    assert upward == []


def test_there_is_no_import_cycle_between_modules() -> None:
    modules = _modules()
    graph = {m: {i for i in imports if i in modules and i != m} for m, imports in modules.items()}
    for module in graph:  # a package's __init__ is imported on the way to its modules
        graph[module] -= {p for p in graph[module] if module.startswith(p + ".")}
    state: dict[str, int] = defaultdict(int)  # 0 new, 1 on the path, 2 done
    cycles: list[str] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for imported in sorted(graph[module]):
            if state[imported] == 1:
                cycles.append(" → ".join([*path[path.index(imported) :], imported]))
            elif state[imported] == 0:
                visit(imported, [*path, imported])
        state[module] = 2

    for module in sorted(graph):
        if state[module] == 0:
            visit(module, [module])
    assert cycles == []


def test_rich_is_imported_only_by_the_output_package() -> None:
    users = sorted(
        module
        for module, imports in _modules().items()
        if any(i == "rich" or i.startswith("rich.") for i in imports)
        and not module.startswith("junidiag.output")
    )
    assert users == []


def test_yaml_is_read_only_by_the_catalog_package_and_drafting() -> None:
    users = sorted(
        module
        for module, imports in _modules().items()
        if "yaml" in imports or any(i.startswith("yaml.") for i in imports)
    )
    assert all(u.startswith("junidiag.catalog") or u == "junidiag.drafting" for u in users), users
