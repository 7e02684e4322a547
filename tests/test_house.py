"""The house's rules, checked on the code itself: the library knows nothing of Streamlit, no modules import each
other in a circle (imports inside functions count), and no transaction statement is written outside the store."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _modules() -> dict[str, Path]:
    found = {}
    for path in [*ROOT.glob("grantstats/**/*.py"), *ROOT.glob("ui/**/*.py")]:
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project's modules this one imports (at the top or inside a function); importing a submodule imports
    its packages too, except the module's own packages."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            wanted = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([base] if base else [])])
            wanted = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for target in wanted:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                targets.add(target)
    for target in list(targets):
        parent = target.rpartition(".")[0]
        while parent:
            if parent in modules and parent != name and not name.startswith(parent + "."):
                targets.add(parent)
            parent = parent.rpartition(".")[0]
    return targets


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_modules_import_each_other_in_a_circle():
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    assert graph["ui.downloads"] >= {"ui.audited", "ui.data"}  # the graph sees imports (a check that can fail)
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_library_module_imports_streamlit():
    for name, path in _modules().items():
        if name.startswith("grantstats"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                        for alias in node.names}
            imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
            assert "streamlit" not in imported, name


TRANSACTION = re.compile(r"""execute\(\s*["'](?:BEGIN|COMMIT|ROLLBACK)\b""", re.IGNORECASE)


def test_no_transaction_statement_outside_the_store():
    """DuckDB transactions are opened, committed and rolled back by store.transaction alone; the audit log's SQLite
    file has its own one helper (audit._appending)."""
    allowed = {"grantstats.store", "grantstats.audit"}
    writing = {name for name, path in _modules().items() if TRANSACTION.search(path.read_text(encoding="utf-8"))}
    assert "grantstats.store" in writing
    assert writing <= allowed, writing - allowed
