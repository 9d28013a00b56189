"""The package's layout holds: subpackages by subsystem, imports one way, small modules.

The README's "How the code is laid out" describes these rules; this test keeps them true.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "service" / "pedkg"
README = Path(__file__).resolve().parents[1] / "README.md"

#: each part of the package and the parts below it that it may import (leaves: from anywhere)
LAYERS = ["store", "sparql", "mapping", "ingest", "views", "web", "cli"]
LEAVES = {"config", "errors", "namespaces", "labels", "folding", "body_text", "__init__"}
MAX_LINES = 400


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def part_of(module: str) -> str:
    """``pedkg.sparql.pool`` -> ``sparql``; a top-level module is its own part, and a name the
    package itself defines (``pedkg.__version__``) belongs to ``__init__``."""
    parts = module.split(".")
    if len(parts) < 2 or not ((PACKAGE / parts[1]).is_dir() or (PACKAGE / f"{parts[1]}.py").exists()):
        return "__init__"
    return parts[1]


def dotted(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """The pedkg modules a file imports, as absolute dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = dotted(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            name = ".".join(base + ([node.module] if node.module else []))
            if name.startswith("pedkg"):
                found.add(name)
                found.update(f"{name}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("pedkg"))
    return found


def rank(part: str) -> int:
    return LAYERS.index(part) if part in LAYERS else len(LAYERS)


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path: Path) -> None:
    own = part_of(dotted(path))
    if own in LEAVES and own != "__init__":
        allowed_above = {p for p in LEAVES if p != own}  # a leaf imports only other leaves
        wrong = {m for m in imported(path) if part_of(m) not in allowed_above | {"__init__"}}
    else:
        wrong = {
            m
            for m in imported(path)
            if part_of(m) not in LEAVES and part_of(m) != own and rank(part_of(m)) > rank(own)
        }
    assert not wrong, f"{dotted(path)} ({own}) imports from above it: {sorted(wrong)}"


def test_every_module_is_in_a_known_part() -> None:
    unknown = {part_of(dotted(p)) for p in modules()} - set(LAYERS) - LEAVES - {"__main__"}
    assert not unknown, f"parts the layout does not name: {sorted(unknown)}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_is_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines (at most {MAX_LINES})"


def test_same_names_are_a_web_view_that_says_so() -> None:
    by_name: dict[str, list[Path]] = defaultdict(list)
    for path in modules():
        if path.name != "__init__.py":
            by_name[path.name].append(path)
    for name, paths in by_name.items():
        if len(paths) < 2:
            continue
        web = [p for p in paths if p.parent.name == "web"]
        others = [p for p in paths if p.parent.name != "web"]
        assert len(web) == 1 and len(others) == 1, f"{name} is the name of {len(paths)} modules"
        first_line = (ast.get_docstring(ast.parse(web[0].read_text(encoding="utf-8"))) or "").splitlines()[0]
        assert re.search(rf"web view of ``{re.escape(dotted(others[0]))}``", first_line), (
            f"web/{name} shares its name with {dotted(others[0])} but its first line does not say "
            f"it is the web view of it: {first_line!r}"
        )


def test_readme_describes_every_part() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## How the code is laid out", 1)[1].split("\n## ", 1)[0]
    for part in LAYERS[:-1]:
        assert f"`{part}/`" in section, f"the README's layout section does not name {part}/"
