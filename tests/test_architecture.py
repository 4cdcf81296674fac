"""Architecture rules (DESIGN §6): analytics never import Django nor print (no print(), no Rich
consoles); only the front doors, web/ and cli/, may."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "tuntas"
FRONT_DOORS = {"web", "cli"}
"""Packages that may import Django and print: the web app and the command line."""


def library_modules() -> list[Path]:
    return sorted(
        p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] not in FRONT_DOORS
    )


def imported_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", library_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_library_module_stays_pure(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    forbidden = {
        n for n in imported_names(tree) if n.split(".")[0] == "django" or n.startswith("tuntas.web")
    }
    assert not forbidden, f"{path.name} imports {forbidden}"
    prints = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "print"
    ]
    assert not prints, f"{path.name} prints on lines {prints}"


def test_rule_covers_the_library() -> None:
    names = {p.relative_to(PACKAGE).parts[0] for p in library_modules()}
    assert {"reference", "params", "tables", "protect.py"} <= names
