"""Dependencies point one way: service → matching, impact. The libraries stay pure."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {"service", "litestar", "sqlalchemy", "sqlmodel", "asyncpg", "stripe", "authlib", "alembic", "granian"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("library", ["impact", "matching"])
def test_pure_libraries_import_nothing_from_the_web_or_database_stack(library):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_modules(path) & FORBIDDEN)
        for path in (ROOT / library).rglob("*.py")
        if imported_modules(path) & FORBIDDEN
    }
    assert offenders == {}


@pytest.mark.parametrize("library", ["impact", "matching"])
def test_pure_libraries_read_no_environment(library):
    readers = [
        str(path.relative_to(ROOT))
        for path in (ROOT / library).rglob("*.py")
        if "os.environ" in path.read_text(encoding="utf-8") or "getenv(" in path.read_text(encoding="utf-8")
    ]
    assert readers == []


def test_the_checker_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import numpy\nfrom sqlalchemy import select\nfrom . import sibling\n")
    assert imported_modules(sample) & FORBIDDEN == {"sqlalchemy"}
