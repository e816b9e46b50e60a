"""The library's shape: pure (no web/DB/env/files), documented, small modules, runnable examples."""

from __future__ import annotations

import ast
import doctest
import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import impact

FORBIDDEN = {"service", "litestar", "sqlalchemy", "sqlmodel", "asyncpg", "stripe", "authlib"}
SOURCE = Path(impact.__file__).parent
MODULES = sorted(p for p in SOURCE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_module_is_pure_and_small(path: Path) -> None:
    text = path.read_text()
    assert len(text.splitlines()) < 400
    for node in ast.walk(ast.parse(text, str(path))):
        names = (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom) and node.level == 0
            else []
        )
        for name in names:
            assert name.split(".")[0] not in FORBIDDEN, f"{path} imports {name}"
        if isinstance(node, ast.Attribute):
            assert node.attr not in {"environ", "getenv"}, f"{path} reads environment variables"
        if isinstance(node, ast.Name):
            assert node.id != "open", f"{path} opens files"


def test_importing_impact_loads_none_of_them() -> None:
    code = f"import sys, impact; print(sorted(m for m in {sorted(FORBIDDEN)!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_api_is_sorted_and_importable() -> None:
    assert impact.__all__ == sorted(impact.__all__, key=lambda n: (not n.isupper(), n))
    for name in impact.__all__:
        assert hasattr(impact, name)
    required = {
        "lm3",
        "retained_total",
        "keynesian_multiplier",
        "technical_coefficients",
        "leontief_inverse",
        "output_multipliers",
        "regional_ripple",
        "regional_value_added",
        "circulation_rate",
        "energy_leakage_ratio",
        "sroi",
        "coverage",
        "compute",
        "compute_all",
        "evaluate_rules",
        "get_metric",
        "CATALOGUE",
        "LOCAL_ENERGY_ILLUSTRATIVE",
        "ImpactInputError",
    }
    assert required <= set(impact.__all__)


METRIC_FUNCTIONS = [
    impact.lm3,
    impact.lm3_rounds,
    impact.lm3_from_shares,
    impact.retained_total,
    impact.keynesian_multiplier,
    impact.technical_coefficients,
    impact.leontief_inverse,
    impact.output_multipliers,
    impact.regional_ripple,
    impact.regional_value_added,
    impact.circulation_rate,
    impact.energy_leakage_ratio,
    impact.sroi,
    impact.jobs,
    impact.co2_avoided,
    impact.coverage,
    impact.greedy_hubs,
    impact.haversine_km,
    impact.local_energy_circulation,
    impact.public_contribution_score,
]


@pytest.mark.parametrize("fn", METRIC_FUNCTIONS, ids=lambda f: f.__name__)
def test_metric_docstring_gives_source_and_example(fn: object) -> None:
    doc = inspect.getdoc(fn) or ""
    assert "Source" in doc, f"{fn} names no source"
    assert ">>>" in doc, f"{fn} shows no example"


@pytest.mark.parametrize("name", sorted({p.stem for p in MODULES} - {"__init__"}))
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(f"impact.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
