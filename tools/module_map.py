"""Print the modules of the library and the Prefect layer: lines, and what each imports.

One Markdown row per module of src/ingest and flows: its lines, the modules of ours it
imports (those imported inside a function, only when needed, in parentheses) and the other
packages it imports, standard library left out. Run on two checkouts to see how the house
changed. Usage: python tools/module_map.py [REPO_ROOT]
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

OURS = ("ingest", "flows")


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    parts = parts[1:] if parts[0] == "src" else parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.Module, package: str) -> list[tuple[str, bool]]:
    """(module, at module level) for every import; relative ones resolved in `package`."""
    found: list[tuple[str, bool]] = []
    top_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top_level) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            if base.startswith(OURS):
                found += [(f"{base}.{alias.name}", id(node) in top_level) for alias in node.names]
            else:
                found.append((base, id(node) in top_level))
    return found


def _under_type_checking(tree: ast.Module) -> set[int]:
    """Imports under `if TYPE_CHECKING:` (for annotations only: no dependency at run time)."""
    hidden: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            hidden.update(id(n) for n in ast.walk(node))
    return hidden


def row(path: Path, root: Path, modules: set[str]) -> tuple[str, int, str, str]:
    name = module_name(path, root)
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    hidden = _under_type_checking(tree)
    tree.body = [n for n in tree.body if id(n) not in hidden]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    ours: dict[str, bool] = {}
    others: set[str] = set()
    for target, top in imported(tree, package):
        if target.startswith(OURS):
            while target not in modules and "." in target:  # `from pkg import name`
                target = target.rpartition(".")[0]
            if target != name:
                ours[target] = ours.get(target, False) or top
        elif target.split(".")[0] not in sys.stdlib_module_names and target != "__future__":
            others.add(target.split(".")[0])
    own = ", ".join(
        short if top else f"({short})"
        for short, top in sorted((t.removeprefix("ingest."), top) for t, top in ours.items())
    )
    return name, len(source.splitlines()), own, ", ".join(sorted(others))


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path(__file__).resolve().parents[1]
    paths = sorted([*(root / "src" / "ingest").rglob("*.py"), *(root / "flows").rglob("*.py")])
    modules = {module_name(p, root) for p in paths}
    rows = [row(p, root, modules) for p in paths]
    print("| module | lines | imports of ours | other packages |")
    print("|---|---:|---|---|")
    for name, lines, own, others in rows:
        print(f"| {name} | {lines} | {own} | {others} |")
    print(f"| **{len(rows)} modules** | **{sum(r[1] for r in rows)}** | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
