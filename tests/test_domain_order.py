"""The service's domains have an order: a domain builds on the tiers above it and never imports
one below it, not even inside a function; domains of one tier may use each other only without a
cycle. The order is data (``ORDER``); the checker reads every ``service/**/*.py`` with ``ast``.

Where a better order shows itself, change ``ORDER`` here and the tree in the README together.
"""

from __future__ import annotations

import ast
import importlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Tiers, top first. A domain may import its own tier (acyclically) and the tiers before it.
#: ``impact`` (the metric catalogue, the calculator and the incentive rules over the pure
#: ``impact`` library) sits with the first tier: projects are described in its terms (their
#: ``impact_inputs`` are validated and computed by it) and claims are checked against it.
ORDER: tuple[tuple[str, ...], ...] = (
    ("auth", "organisations", "regions", "impact"),  # who, where, and how impact is measured
    ("projects", "investors"),  # what is offered, who offers money
    ("vetting", "claims", "events"),  # judging and observing projects
    ("matching", "deal_rooms"),  # ranking from all of the above; working a deal
    ("capital",),  # rounds, tranches, commitments, ledger, payments
    ("web",),  # pages over every domain's services
)

#: Shared infrastructure: any domain may use it; it uses no domain.
SHARED_PACKAGES = frozenset(
    {
        "audit",
        "background",
        "common_messages",
        "db",
        "db_errors",
        "domain_errors",
        "errors",
        "idempotency",
        "messages",
        "models",
        "net",
        "notifications",
        "outbox",
        "pagination",
        "request_checks",
        "settings",
        "text_search",
        "types",
        "validation_messages",
    }
)
#: Modules inside a domain's folder that are shared infrastructure all the same: who is calling is
#: resolved once per request for every domain (like the request's transaction), and every
#: domain's router declares its role guards with it. The rest of ``auth`` (sign-up, login, OIDC)
#: is a first-tier domain that founds organisations at sign-up.
SHARED_MODULES = frozenset({"service.auth.principal", "service.auth.tokens", "service.auth.guards"})

#: Composition roots wire the domains together and may import anything; nothing imports them.
COMPOSITION_ROOTS = frozenset(
    {
        "service",
        "service.app",
        "service.cli",
        "service.bench",
        "service.runtime",
        "service.demo",
        "service.contract",
        "service.maintenance",
    }
)

SHARED = "<shared>"
ROOT_KIND = "<composition root>"
TIER = {domain: i for i, tier in enumerate(ORDER) for domain in tier}


@dataclass(frozen=True)
class Import:
    importer: str  # module name
    imported: str
    where: str  # path:line


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str:
    base = module.split(".")
    if not is_package:
        base.pop()
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join([*base, name] if name else base)


def imports_in(path: Path, root: Path) -> list[Import]:
    """Every ``service`` import in a file, at module level, inside functions and under
    ``TYPE_CHECKING`` alike, including ``importlib.import_module("service.…")`` with a literal."""
    module = _module_name(path, root)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[Import] = []

    def add(name: str, node: ast.AST) -> None:
        if name == "service" or name.startswith("service."):
            found.append(Import(module, name, f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = _resolve_relative(module, is_package, node.level, node.module)
            # ``from service import projects`` imports the package ``service.projects``.
            for alias in node.names:
                add(f"{base}.{alias.name}" if base == "service" else base, node)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            add(node.args[0].value, node)
    return found


def domain_of(module: str) -> str:
    """The domain a module belongs to, or ``SHARED`` / ``ROOT_KIND``; unknown packages fail."""
    if module in SHARED_MODULES:
        return SHARED
    if any(module == r or module.startswith(f"{r}.") for r in COMPOSITION_ROOTS - {"service"}) or module == "service":
        return ROOT_KIND
    top = module.split(".")[1]
    if top in SHARED_PACKAGES:
        return SHARED
    if top in TIER:
        return top
    raise LookupError(
        f"service.{top} is in no tier: place it in ORDER, SHARED_PACKAGES or COMPOSITION_ROOTS "
        "(tests/test_domain_order.py) and in the README's domain tree"
    )


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one domain (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def violations(root: Path) -> list[str]:
    """What breaks the order in ``root/service``: upward imports, shared code importing a domain,
    imports of a composition root, and cycles between domains of one tier."""
    problems: list[str] = []
    same_tier: dict[str, set[str]] = defaultdict(set)
    evidence: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted((root / "service").rglob("*.py")):
        for imp in imports_in(path, root):
            try:
                src, dst = domain_of(imp.importer), domain_of(imp.imported)
            except LookupError as exc:
                problems.append(f"{imp.where}: {exc}")
                continue
            if src in (dst, ROOT_KIND):
                continue
            if dst == ROOT_KIND:
                problems.append(f"{imp.where}: {imp.importer} imports the composition root {imp.imported}")
            elif dst == SHARED:
                continue
            elif src == SHARED:
                problems.append(f"{imp.where}: shared {imp.importer} imports the {dst} domain ({imp.imported})")
            elif TIER[src] < TIER[dst]:
                problems.append(f"{imp.where}: {src} imports {dst}, which is below it ({imp.imported})")
            elif TIER[src] == TIER[dst]:
                same_tier[src].add(dst)
                evidence[(src, dst)].append(f"{imp.where} ({imp.imported})")
    for cycle in _cycles(same_tier):
        links = [f"{a} → {b}: {', '.join(evidence[(a, b)])}" for a in cycle for b in cycle if (a, b) in evidence]
        problems.append(f"cycle between {' ⇄ '.join(cycle)}: " + "; ".join(links))
    return problems


def test_service_domains_import_only_up_the_order_and_never_in_a_cycle():
    assert violations(ROOT) == []


def test_every_service_package_has_a_place_in_the_order():
    packages = {
        p.name for p in (ROOT / "service").iterdir() if p.is_dir() and p.name != "__pycache__" and any(p.glob("*.py"))
    }
    modules = {p.stem for p in (ROOT / "service").glob("*.py") if p.stem != "__init__"}
    unplaced = []
    for name in sorted(packages | modules):
        try:
            domain_of(f"service.{name}")
        except LookupError as exc:
            unplaced.append(str(exc))
    assert unplaced == []


def _router_handlers(tree: ast.Module) -> list[str]:
    """Names in ``route_handlers=[...]`` of every ``Router(...)`` call in a module."""
    return [
        element.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Router"
        for keyword in node.keywords
        if keyword.arg == "route_handlers" and isinstance(keyword.value, ast.List)
        for element in keyword.value.elts
        if isinstance(element, ast.Name)
    ]


def test_each_domain_exports_one_router_and_the_app_lists_only_routers():
    from litestar import Router

    for path in sorted((ROOT / "service").glob("*/controllers.py")):
        module = importlib.import_module(_module_name(path, ROOT))
        assert isinstance(getattr(module, "router", None), Router), f"{path}: no `router = Router(...)`"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        controllers = {
            node.name
            for node in tree.body
            if isinstance(node, ast.ClassDef)
            and any(isinstance(b, ast.Name) and b.id == "Controller" for b in node.bases)
        }
        assert controllers - set(_router_handlers(tree)) == set(), f"{path}: controllers outside its router"
    app = ast.parse((ROOT / "service" / "app.py").read_text(encoding="utf-8"))
    listed = [
        node.value
        for node in ast.walk(app)
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "route_handlers"
    ]
    assert len(listed) == 1
    assert isinstance(listed[0], ast.List)
    names = [e.id if isinstance(e, ast.Name) else ast.dump(e) for e in listed[0].elts]
    assert names
    assert all(n.endswith("router") for n in names), names


# ── the checker itself ────────────────────────────────────────────────────────────────────────


def _sample(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "service" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_the_checker_sees_an_upward_import_inside_a_function(tmp_path):
    root = _sample(
        tmp_path,
        {
            "projects/service.py": "def read():\n    from service.claims.service import verified\n",
            "claims/service.py": "from service.projects.service import read\nverified = 1\n",
        },
    )
    assert violations(root) == [
        "service/projects/service.py:2: projects imports claims, which is below it (service.claims.service)"
    ]


def test_the_checker_sees_a_cycle_within_a_tier_and_spares_shared_code_and_roots(tmp_path):
    root = _sample(
        tmp_path,
        {
            "auth/service.py": "import service.organisations.service\nfrom service.errors import E\n",
            "auth/principal.py": "from service.models import User\n",
            "organisations/service.py": "from service.auth.principal import P\n"
            "def f():\n    from service.auth import service\n",
            "app.py": "from service.web.controllers import router\n",
            "errors.py": "",
        },
    )
    problems = violations(root)
    assert len(problems) == 1
    assert problems[0].startswith("cycle between auth ⇄ organisations: ")
    assert "service/organisations/service.py:3" in problems[0]
    assert "service/auth/service.py:1" in problems[0]


def test_the_checker_refuses_shared_code_importing_a_domain_and_unknown_packages(tmp_path):
    root = _sample(
        tmp_path,
        {
            "pagination.py": "from service.projects import schemas\n",
            "projects/schemas.py": "from .. import app\nimport service.newthing\n",
        },
    )
    problems = violations(root)
    assert (
        problems[0]
        == "service/pagination.py:1: shared service.pagination imports the projects domain (service.projects)"
    )
    assert (
        problems[1]
        == "service/projects/schemas.py:1: service.projects.schemas imports the composition root service.app"
    )
    assert problems[2].startswith("service/projects/schemas.py:2: service.newthing is in no tier")
