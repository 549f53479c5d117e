"""Which package may import which: read from the source, so no import is ever executed.

Every ``import`` and ``from ... import`` counts, at module level or inside a function
(a late import still couples two packages), and so does ``import_module("...")`` with a
literal name. The rules:

- the engines (``workflows``, ``docs_store``) know nothing of Flask or of the app, so they
  can be tested and reused alone;
- ``app.projects`` never imports ``app.portfolio``: the portfolio reads projects, never
  the other way round;
- the packages under ``app/`` import each other without a cycle, apart from the
  ``TOLERATED`` edges below, each a known debt (a test fails once it is paid, so the list
  only shrinks).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("workflows", "docs_store")
#: Top-level names the engines may not import.
FLASK_OR_APP = ("app", "flask", "werkzeug")

#: (importer, imported) package edges allowed although they close a cycle.
TOLERATED = {
    # The lessons endpoint `POST /projects/<id>/lessons` lives in the library's API.
    ("app.library", "app.projects"),
    # Token authentication (`app.api.auth`) reads accounts and tokens from `app.auth`.
    ("app.api", "app.auth"),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_of_file(path: Path) -> str:
    """The package relative imports in `path` start from."""
    name = module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def imported_names(source: str, package: str) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import in `source`, wherever it stands."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            yield node.lineno, base
            # `from app import portfolio` imports the module app.portfolio.
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value.partition(":")[0]


@cache
def imports() -> tuple[tuple[str, int, str], ...]:
    """(importing file, line, imported module) over app/ and the engines."""
    found = []
    for top in ("app", *ENGINES):
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            source = path.read_text(encoding="utf-8")
            found += [
                (relative, line, name)
                for line, name in imported_names(source, package_of_file(path))
            ]
    return tuple(found)


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def package_of(name: str) -> str | None:
    """The package under app/ a module belongs to (`app.portfolio.rag` → `app.portfolio`)."""
    parts = name.split(".")
    return ".".join(parts[:2]) if parts[0] == "app" and len(parts) > 1 else None


def package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path, _line, name in imports():
        source, target = package_of(module_name(ROOT / path)), package_of(name)
        if source and target and source != target:
            graph.setdefault(source, set()).add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_import_scan_sees_late_relative_and_dynamic_imports() -> None:
    """The rules are only worth the scan: an import may not hide in a function, behind a
    relative name or in a string."""
    source = """
import flask
from . import rag
from ..projects.models import Project

def late():
    from app.portfolio.services import create_programme
    return import_module("app.portfolio:bp")
"""
    assert sorted(set(imported_names(source, "app.portfolio"))) == [
        (2, "flask"),
        (3, "app.portfolio"),
        (3, "app.portfolio.rag"),
        (4, "app.projects.models"),
        (4, "app.projects.models.Project"),
        (7, "app.portfolio.services"),
        (7, "app.portfolio.services.create_programme"),
        (8, "app.portfolio"),
    ]


def offenders(importer: str, forbidden: tuple[str, ...]) -> list[str]:
    """`file:line imports module` for each import from `importer` of a `forbidden` package."""
    found: dict[tuple[str, int], str] = {}
    for path, line, name in imports():
        if within(module_name(ROOT / path), importer) and any(
            within(name, package) for package in forbidden
        ):
            found.setdefault((path, line), name)  # the module, before the names it gives
    return [f"{path}:{line} imports {name}" for (path, line), name in sorted(found.items())]


@pytest.mark.parametrize("engine", ENGINES)
def test_engines_import_neither_flask_nor_the_app(engine: str) -> None:
    offending = offenders(engine, FLASK_OR_APP)
    assert not offending, "\n".join(offending)


def test_projects_never_import_portfolio() -> None:
    offending = offenders("app.projects", ("app.portfolio",))
    assert not offending, "\n".join(offending)


def test_app_packages_import_each_other_without_a_cycle() -> None:
    graph = package_graph()
    for source, target in TOLERATED:
        graph.get(source, set()).discard(target)
    found = cycles(graph)
    assert not found, f"packages importing each other in a circle: {found}"


def test_every_tolerated_edge_still_exists() -> None:
    """Once a tolerated import is gone, its entry goes too, so no new cycle hides behind it."""
    graph = package_graph()
    assert sorted(edge for edge in TOLERATED if edge[1] not in graph.get(edge[0], set())) == []
