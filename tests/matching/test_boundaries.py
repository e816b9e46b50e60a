from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import matching

FORBIDDEN = {"service", "litestar", "sqlalchemy", "sqlmodel", "asyncpg", "stripe", "authlib"}
SOURCE = Path(matching.__file__).parent


def test_matching_imports_no_web_db_or_payment_code() -> None:
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else []
            )
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path} imports {name}"
            if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}:
                raise AssertionError(f"{path} reads environment variables")


def test_importing_matching_loads_none_of_them() -> None:
    code = f"import sys, matching; print(sorted(m for m in {sorted(FORBIDDEN)!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_api_is_sorted_and_importable() -> None:
    assert matching.__all__ == sorted(matching.__all__, key=lambda n: (not n.isupper(), n))
    for name in matching.__all__:
        assert hasattr(matching, name)
