"""The house plan holds: imports between subpackages go one way, private modules stay private, the top is small.

The imports are read from the source with ``ast`` (every ``import`` and ``from … import``, also those inside
functions), not by importing anything. Top-level modules are nodes of their own: ``types``, ``errors``,
``config`` and ``_version`` are the floor (they import only each other), ``pipeline``, the package face,
``__main__`` and ``cli/`` are the roof (nothing below them imports them). A module whose name starts with an
underscore is private to its subpackage (``translate/backends/_limits.py``: to ``translate/``); tests and
scripts may import it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "backtrans"
FLOOR = {"types", "errors", "config", "_version"}
ROOF = {"pipeline", "__init__", "__main__", "cli"}
MAX_TOP_MODULES = 8
#: subpackages whose modules are imported by tests, not by the rest of the package
FOR_TESTS = {"testing"}
#: subpackages whose checks wait for work in progress (none now)
PENDING: set[str] = set()
PENDING_REASON = ""


@dataclass(frozen=True)
class Import:
    importer: str  #: dotted module name, e.g. backtrans.run._store
    imported: str  #: the module it names, e.g. backtrans.files.serial
    line: int

    def __str__(self) -> str:
        return f"{self.importer} imports {self.imported} (line {self.line})"


def module_names(root: Path, package: str = PACKAGE) -> dict[str, Path]:
    """Every module of the package: dotted name → file (a package's name for its ``__init__.py``)."""
    out = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def package_imports(root: Path, package: str = PACKAGE) -> list[Import]:
    """Every import of a module of the package by a module of the package."""
    modules = module_names(root, package)

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    found: dict[Import, None] = {}  # in order, once each
    for name, path in modules.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                    stem = ".".join(base + ([node.module] if node.module else []))
                else:
                    stem = node.module or ""
                # ``from pkg import mod`` names the module; ``from mod import name`` names mod
                targets = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in modules else stem for a in node.names]
            for target in targets:
                if target == package or target.startswith(package + "."):
                    resolved = known(target)
                    if resolved is not None and resolved != name:
                        found[Import(name, resolved, node.lineno)] = None
    return list(found)


def unit(module: str, package: str = PACKAGE) -> str:
    """The node of the graph a module belongs to: its top-level subpackage, or the top-level module itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def unit_edges(imports: Iterable[Import]) -> dict[tuple[str, str], Import]:
    """Unit → unit, each with the first import that makes the edge."""
    edges: dict[tuple[str, str], Import] = {}
    for imp in imports:
        key = (unit(imp.importer), unit(imp.imported))
        if key[0] != key[1]:
            edges.setdefault(key, imp)
    return edges


def find_circle(edges: Mapping[tuple[str, str], Import]) -> list[Import] | None:
    """One circle between units, as the imports that close it, or None."""
    after: dict[str, list[str]] = {}
    for a, b in sorted(edges):
        after.setdefault(a, []).append(b)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in after.get(node, []):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (circle := visit(nxt)):
                return circle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(after):
        if start not in state and (circle := visit(start)):
            return [edges[(a, b)] for a, b in zip(circle, circle[1:], strict=False)]
    return None


def private_breaches(imports: Iterable[Import]) -> list[Import]:
    """Imports of an underscore module by a module of another subpackage (or of the top level)."""
    out = []
    for imp in imports:
        parts = imp.imported.split(".")
        private = any(part.startswith("_") and not part.startswith("__") for part in parts[2:])
        if private and len(parts) > 2 and unit(imp.importer) != unit(imp.imported):
            out.append(imp)
    return out


def private_names(root: Path, package: str = PACKAGE) -> list[str]:
    """``from module import _name`` where the module belongs to another subpackage than the importer."""
    modules = module_names(root, package)
    out = []
    for name, path in modules.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.level:
                    base = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                    source = ".".join([*base, node.module])
                else:
                    source = node.module
                if source.startswith(package + ".") and unit(source) != unit(name):
                    out += [
                        f"{name} imports {source}.{a.name} (line {node.lineno})"
                        for a in node.names
                        if a.name.startswith("_") and not a.name.startswith("__") and a.name != "__version__"
                    ]
    return out


def layer_breaches(imports: Iterable[Import]) -> list[Import]:
    """The floor importing anything but the floor; anything but the roof importing the roof."""
    out = []
    for imp in imports:
        src, dst = unit(imp.importer), unit(imp.imported)
        if (src in FLOOR and dst not in FLOOR) or (dst in ROOF and src not in ROOF):
            out.append(imp)
    return out


def describe(imports: Iterable[Import]) -> str:
    return "\n  ".join(str(imp) for imp in imports)


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    return package_imports(SRC)


def test_no_circle_between_subpackages(imports: list[Import]) -> None:
    circle = find_circle(unit_edges(imports))
    assert circle is None, "a circle between subpackages:\n  " + describe(circle or [])


def test_no_private_module_imported_from_another_package(imports: list[Import]) -> None:
    breaches = private_breaches(imports)
    assert not breaches, "a private module imported from outside its package:\n  " + describe(breaches)


def test_no_private_name_imported_from_another_subpackage() -> None:
    found = private_names(SRC)
    assert not found, "a private name imported from another subpackage:\n  " + "\n  ".join(found)


def test_floor_and_roof(imports: list[Import]) -> None:
    breaches = layer_breaches(imports)
    assert not breaches, "the floor imports a stage, or a stage imports the roof:\n  " + describe(breaches)


def test_top_level_is_small() -> None:
    top = sorted(p.name for p in (SRC / PACKAGE).glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, f"{len(top)} modules at the top of {PACKAGE}/: {', '.join(top)}"


def test_the_graph_sees_the_package(imports: list[Import]) -> None:
    """The reader resolves relative imports and submodules: the edges the house plan is built on are there."""
    seen = {(imp.importer, imp.imported) for imp in imports}
    assert ("backtrans.pipeline", "backtrans.run.stages") in seen
    assert ("backtrans.run.engines.local", "backtrans.run._store") in seen
    assert ("backtrans.run._store", "backtrans.files.serial") in seen
    assert ("backtrans.score.sacrebleu_adapter", "backtrans.score._ter") in seen


def used_from_outside(imports: Iterable[Import]) -> dict[str, set[str]]:
    """Module → the units outside its own that import it."""
    out: dict[str, set[str]] = {}
    for imp in imports:
        if unit(imp.importer) != unit(imp.imported):
            out.setdefault(imp.imported, set()).add(unit(imp.importer))
    return out


def subpackages() -> list[str]:
    return sorted(p.parent.name for p in (SRC / PACKAGE).glob("*/__init__.py") if p.parent.name not in ROOF)


def test_a_module_only_its_subpackage_uses_is_private(imports: list[Import]) -> None:
    used = used_from_outside(imports)
    public = []
    for name, path in module_names(SRC).items():
        parts = name.split(".")
        if len(parts) < 3 or parts[1] in FOR_TESTS | PENDING or path.name == "__init__.py":
            continue
        if not any(part.startswith("_") for part in parts[2:]) and name not in used:
            public.append(name)
    assert not public, "used only inside their subpackage, so private (rename to _name): " + ", ".join(public)


@pytest.mark.parametrize("sub", subpackages())
def test_the_subpackage_says_what_others_may_import(imports: list[Import], sub: str) -> None:
    """Each subpackage's docstring names (in double backticks) every module the rest of the package imports from it."""
    if sub in PENDING:
        pytest.skip(PENDING_REASON)
    doc = ast.get_docstring(ast.parse((SRC / PACKAGE / sub / "__init__.py").read_text(encoding="utf-8"))) or ""
    lines = [line for line in doc.split("\n\n", 1)[-1].splitlines() if line.strip()]
    assert lines, f"{sub}/__init__.py: no docstring saying what the stage takes and gives"
    missing = []
    for name, users in sorted(used_from_outside(imports).items()):
        parts = name.split(".")
        if len(parts) > 2 and parts[1] == sub:
            relative = ".".join(parts[2:])
            if not re.search(rf"``{re.escape(relative)}(``|\.)", doc):  # ``name`` or ``name.attr``
                missing.append(f"{relative} (imported by {', '.join(sorted(users))})")
    assert not missing, f"{sub}/__init__.py does not name " + "; ".join(missing)


def _package(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        path = root / PACKAGE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_circle_is_found_with_its_path(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "types.py": "",
            "run/__init__.py": "",
            "run/engine.py": "from ..pipeline import evaluate_chunk\nfrom ..types import Article\n",
            "pipeline.py": "def f():\n    from .run import results\n",
            "run/results.py": "",
        },
    )
    circle = find_circle(unit_edges(package_imports(root)))
    assert circle is not None
    text = describe(circle)
    assert "backtrans.run.engine imports backtrans.pipeline (line 1)" in text
    assert "backtrans.pipeline imports backtrans.run.results (line 2)" in text
    assert layer_breaches(package_imports(root))[0].importer == "backtrans.run.engine"


def test_a_private_import_is_found(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "score/__init__.py": "",
            "score/_ter.py": "",
            "score/adapter.py": "from ._ter import edits\n",
            "run/__init__.py": "",
            "run/store.py": "import backtrans.score._ter\n",
            "run/engines/__init__.py": "",
            "run/engines/_finish.py": "",
            "run/engines/local.py": "from . import _finish\n",
            "run/other.py": "from .engines import _finish\n",
            "report/__init__.py": "",
            "report/pages.py": "x = 1\n\n\ndef f():\n    from ..run.engines._finish import finish_run\n",
            "report/rows.py": "from ..score.adapter import _edits, edits\nfrom ._x import _y\n",
        },
    )
    assert private_names(root) == ["backtrans.report.rows imports backtrans.score.adapter._edits (line 1)"]
    breaches = private_breaches(package_imports(root))
    assert [str(b) for b in breaches] == [
        "backtrans.report.pages imports backtrans.run.engines._finish (line 5)",
        "backtrans.run.store imports backtrans.score._ter (line 1)",
    ]
    assert find_circle(unit_edges(package_imports(root))) is None
