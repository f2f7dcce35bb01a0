"""The rooms of docs/ARCHITECTURE.md hold: a module imports only from its own room and the
rooms before it, the library never imports Prefect, and no module is named like a module of
the standard library (whose name it would shadow for whoever runs a script beside it)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ROOMS = (
    ("records", ("ingest", "ingest.documents")),
    (
        "leaves",
        (
            "ingest.options",
            "ingest.locations",
            "ingest.scripts",
            "ingest.text",
            "ingest.trees",
            "ingest.timeout",
            "ingest.collector",
        ),
    ),
    ("reading", ("ingest.sources",)),
    ("lines", ("ingest.boilerplate",)),
    ("page", ("ingest.extract",)),
    ("language, dedup", ("ingest.language", "ingest.dedup")),
    ("rows", ("ingest.rows", "ingest.scratch", "ingest.steps")),
    ("stages", ("ingest.stages", "ingest.startup")),
    ("dataset", ("ingest.store", "ingest.swap", "ingest.compact", "ingest.reprocess")),
    ("reading back", ("ingest.readback", "ingest.report")),
    (
        "run",
        ("ingest.pipeline", "ingest.pool", "ingest.outcomes", "ingest.summary", "ingest.access"),
    ),
    ("Prefect", ("flows",)),
    ("front", ("ingest.cli", "ingest.single")),
)


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    parts = parts[1:] if parts[0] == "src" else parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    _module(p): p
    for p in [*(ROOT / "src" / "ingest").rglob("*.py"), *(ROOT / "flows").rglob("*.py")]
}


def _room(module: str) -> int:
    """The index of the room holding `module` (the longest listed prefix decides)."""
    best, length = -1, -1
    for index, (_, prefixes) in enumerate(ROOMS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > length:
                best, length = index, len(prefix)
    assert best >= 0, f"{module} is in no room of docs/ARCHITECTURE.md"
    return best


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, inside functions too, but not under TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden = {
        id(n)
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
        for n in ast.walk(node)
    }
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                kept = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*kept, *([node.module] if node.module else [])])
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES)
    return found


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_only_its_own_and_earlier_rooms(module: str) -> None:
    own = _room(module)
    ours = {m for m in _imports(MODULES[module]) if m.split(".")[0] in ("ingest", "flows")}
    later = sorted(m for m in ours if _room(m) > own)
    assert not later, f"{module} ({ROOMS[own][0]}) imports from later rooms: {later}"


def test_the_library_never_imports_prefect() -> None:
    library = [m for m in MODULES if m.startswith("ingest")]
    assert not [
        m for m in library if any(i.split(".")[0] == "prefect" for i in _imports(MODULES[m]))
    ]


def test_no_module_is_named_like_a_standard_library_module() -> None:
    assert not [m for m in MODULES if m.rpartition(".")[2] in sys.stdlib_module_names]
