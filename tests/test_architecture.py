"""The shape the code keeps: small modules, no import cycles, dependencies pointing one way.

Every import counts, function-level ones too (an import inside a function is still a
dependency; it only hides a cycle from Python until that function runs).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = (
    "accounts",
    "audit",
    "catalog",
    "dashboard",
    "events",
    "front",
    "guidance",
    "ingest",
    "survey",
    "workspace",
    "tarmoa",
)
MAX_LINES = 600
# Which project apps each app may import. Anything not listed is a violation.
ALLOWED = {
    "catalog": set(),
    "audit": set(),
    "events": {"catalog"},
    "ingest": {"catalog", "events", "audit"},
    "front": {"catalog", "events"},
    "survey": {"catalog", "events", "accounts", "audit"},
    "accounts": {"catalog", "audit"},
    "workspace": {"catalog", "events", "accounts", "survey", "audit"},
    "guidance": {"catalog", "events", "accounts", "survey", "audit"},
    "dashboard": {"catalog", "events", "survey", "ingest", "accounts", "guidance", "audit"},
}


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for the project's own code outside migrations and tests."""
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts or "tests" in parts or "fixtures" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(path: Path, module: str, known: dict[str, Path]) -> set[str]:
    """Project modules this file imports, anywhere in it (resolved to the longest known name)."""
    targets = set()
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
    return targets


def _graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: _imports(path, name, known) for name, path in known.items()}


def test_no_module_is_over_600_lines():
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in _modules().values()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    scripts = {str(p.relative_to(ROOT)): len(p.read_text().splitlines()) for p in (ROOT / "scripts").glob("*.py")}
    too_long |= {p: n for p, n in scripts.items() if n > MAX_LINES}
    assert too_long == {}


def test_apps_import_only_the_apps_below_them():
    wrong = set()
    for module, targets in _graph().items():
        app = module.split(".")[0]
        if app == "tarmoa":
            continue
        for target in targets:
            other = target.split(".")[0]
            if other != app and other != "tarmoa" and other not in ALLOWED.get(app, set()):
                wrong.add(f"{module} -> {target}")
    assert wrong == set()


def test_catalog_imports_no_other_app():
    imported = {t.split(".")[0] for m, ts in _graph().items() if m.startswith("catalog") for t in ts}
    assert imported <= {"catalog"}


def test_no_import_cycle_between_files():
    graph = _graph()
    cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if nxt.startswith("tarmoa"):  # settings/urls wire apps together at run time, by design
                continue
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt) :] + [nxt] if nxt in stack else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []
