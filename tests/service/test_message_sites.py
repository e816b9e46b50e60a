"""Message catalogues at their call sites (STYLE rule 12): a call site names a code that exists
with exactly its parameters, no raise site carries an inline ja/en pair, and no Japanese text
lives in service/ outside a catalogue but for the data listed in ``NOT_MESSAGES``."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from service.errors import DomainError
from service.messages import RESERVED, Catalogue, message

ROOT = Path(__file__).resolve().parents[2]
SERVICE = ROOT / "service"

#: Where inline ja/en pairs may still be raised (``path`` or ``path:function``, matched as a
#: prefix): nowhere. An entry that no longer matches anything fails the test.
UNCONVERTED: tuple[str, ...] = ()

#: Files whose Japanese string literals are not messages, and why. Anywhere else in service/ a
#: Japanese literal outside a catalogue fails :func:`test_no_japanese_text_outside_the_catalogues`.
#: (service/settings.py's SettingsError lines are for the operator's console and English-only by
#: design: they raise no DomainError and carry no Japanese, so they need no entry here.)
NOT_MESSAGES = {
    "service/demo/data.py": "demo content: organisations, places, project stories",
    "service/demo/history.py": "demo content: synthetic history",
    "service/demo/impact_data.py": "demo content: evidence files and their descriptions",
    "service/demo/loader.py": "demo content: the reason recorded on demo decisions",
    "service/regions/romaji.py": "a kana → romaji table",
    "service/text_search.py": "search synonyms and normalisation tables",
    "service/app.py": "the OpenAPI document's title (a product name)",
    "service/impact/incentives.py": "an English API description quoting the term 公共貢献",
    "service/impact/depopulating.py": "an English note quoting the statute's name",
    "service/projects/controllers.py": "English API descriptions quoting 公共貢献 and 企業版ふるさと納税",
    "service/regions/controllers.py": "an English API description quoting 地域生活圏",
    "service/organisations/schemas.py": "an English field description quoting 法人番号",
}


def _sources() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(SERVICE.rglob("*.py")):
        yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


SOURCES = list(_sources())


def _domain_error_names() -> set[str]:
    """``DomainError`` and every class that derives from it, by name, anywhere in service/."""
    names = {"DomainError"}
    classes = [node for _, tree in SOURCES for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    grew = True
    while grew:
        grew = False
        for node in classes:
            bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
            if node.name not in names and bases & names:
                names.add(node.name)
                grew = True
    return names


def _is_literal(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _has_non_ascii_literal(node: ast.expr) -> bool:
    return any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and not n.value.isascii() for n in ast.walk(node)
    )


class _Calls(ast.NodeVisitor):
    """Every call with the dotted name of the function or class it sits in."""

    def __init__(self) -> None:
        self.scope: list[str] = []
        self.calls: list[tuple[str, ast.Call]] = []

    def _scoped(self, node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._scoped(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._scoped(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._scoped(node)

    def visit_Call(self, node: ast.Call) -> None:
        self.calls.append((".".join(self.scope), node))
        self.generic_visit(node)


def _calls(tree: ast.Module) -> list[tuple[str, ast.Call]]:
    visitor = _Calls()
    visitor.visit(tree)
    return visitor.calls


def inline_pairs(path: str, tree: ast.Module, error_names: set[str]) -> list[str]:
    """Calls that build an error's message from string literals instead of a catalogue code:
    ``Conflict(code, "ja", "en")``, ``X.for_field(field, code, "ja", "en")``,
    ``Message(ja="…", en="…")``, any Japanese literal handed to an error (``NotFound(w, "組織")``),
    or an error built directly under a literal code (``Conflict("a.b", *pair)``): the texts of a
    literal code belong in a catalogue. Built directly from variables, an error passes a pure
    library's own refusal through (``InvalidInput.for_field(exc.field, exc.code, …)``)."""
    found = []
    for scope, call in _calls(tree):
        func = call.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name == "for_field":
            texts = call.args[2:]
        elif name in error_names:
            texts = call.args[1:]
        elif name == "Message":
            texts = list(call.args)
        else:
            continue
        texts = [*texts, *(k.value for k in call.keywords if k.arg in {"ja", "en"})]
        code = call.args[1] if name == "for_field" and len(call.args) > 1 else call.args[0] if call.args else None
        literal_code = name != "Message" and code is not None and _is_literal(code)
        if literal_code or sum(_is_literal(t) for t in texts) >= 2 or any(_has_non_ascii_literal(a) for a in call.args):
            found.append(f"{path}:{scope} line {call.lineno}")
    return found


def test_the_detector_finds_inline_pairs_and_passes_catalogue_calls():
    source = """
class Oops(Conflict): ...
def f(x):
    raise Conflict("a.b", "日本語", "English")
def g(x):
    raise InvalidInput.for_field("f", "a.b", f"{x} です", f"{x} is")
def h():
    raise NotFound("thing", "もの")
def i():
    raise Oops(code="a.b", ja="あ", en="a")
def j():
    return Message(ja="はい", en="yes")
def k():
    raise Conflict("a.b", *pair("a.b"))
def fine():
    raise MESSAGES.error(Conflict, "a.b")
def fine_too():
    raise MESSAGES.invalid("f", "a.b", x=1)
def passed_through(exc):
    raise InvalidInput.for_field(exc.field, exc.code, exc.message_ja, exc.message_en)
"""
    tree = ast.parse(source)
    names = {"DomainError", "Conflict", "InvalidInput", "NotFound", "Oops"}
    assert [f.split(" ")[0] for f in inline_pairs("m.py", tree, names)] == [
        "m.py:f",
        "m.py:g",
        "m.py:h",
        "m.py:i",
        "m.py:j",
        "m.py:k",
    ]


def test_no_inline_ja_en_pairs_in_service():
    error_names = _domain_error_names()
    findings = [f for path, tree in SOURCES for f in inline_pairs(path, tree, error_names)]
    assert len(SOURCES) > 100, "service/ was not read: the scan is broken"
    unexpected = [f for f in findings if not (UNCONVERTED and f.startswith(UNCONVERTED))]
    assert unexpected == [], "raise these by catalogue code (service/messages.py)"
    stale = [entry for entry in UNCONVERTED if not any(f.startswith(entry) for f in findings)]
    assert stale == [], "converted: remove from UNCONVERTED"


_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")


def japanese_literals(tree: ast.Module) -> list[int]:
    """Lines of string literals with Japanese text, docstrings aside."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and _JAPANESE.search(node.value)
    ]


def _is_catalogue(path: str) -> bool:
    return path.endswith("messages.py")


def test_no_japanese_text_outside_the_catalogues():
    found = {path: lines for path, tree in SOURCES if not _is_catalogue(path) and (lines := japanese_literals(tree))}
    unexpected = {path: lines for path, lines in found.items() if path not in NOT_MESSAGES}
    assert unexpected == {}, "move these texts into the domain's messages.py"
    assert sorted(set(NOT_MESSAGES) - set(found)) == [], "no Japanese left there: remove from NOT_MESSAGES"


def test_the_japanese_text_scan_sees_literals_but_not_docstrings():
    tree = ast.parse('"""モジュール"""\ndef f():\n    """関数"""\n    return ("日本語", "English")\n')
    assert japanese_literals(tree) == [4]


CODE_ARGUMENT = {"error": 1, "field": 1, "field_error": 2, "invalid": 1, "text": 0}


def _catalogue_names(tree: ast.Module) -> dict[str, Catalogue]:
    """Local names bound to a catalogue by ``from service…messages import NAME [as LOCAL]``."""
    bound = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1].endswith("messages"):
            module = importlib.import_module(node.module or "")
            for alias in node.names:
                value = getattr(module, alias.name, None)
                if isinstance(value, Catalogue):
                    bound[alias.asname or alias.name] = value
    return bound


def catalogue_calls() -> Iterator[tuple[str, Catalogue, ast.Call, int]]:
    for path, tree in SOURCES:
        catalogues = _catalogue_names(tree)
        for _, call in _calls(tree):
            func = call.func
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id in catalogues
                and func.attr in CODE_ARGUMENT
            ):
                yield f"{path}:{call.lineno}", catalogues[func.value.id], call, CODE_ARGUMENT[func.attr]


def test_every_call_site_names_a_code_of_its_catalogue_with_exactly_its_parameters():
    sites = list(catalogue_calls())
    assert len(sites) >= 20, "fewer call sites than the converted domains have: the scan is broken"
    for where, catalogue, call, index in sites:
        code = call.args[index] if len(call.args) > index else None
        assert isinstance(code, ast.Constant), f"{where}: the code must be a string literal"
        assert isinstance(code.value, str), f"{where}: the code must be a string literal"
        assert code.value in catalogue, f"{where}: {code.value!r} is not in the {catalogue.domain!r} catalogue"
        assert all(k.arg is not None for k in call.keywords), f"{where}: pass parameters by name, not **dict"
        given = {k.arg for k in call.keywords} - RESERVED
        wanted = catalogue.texts[code.value].placeholders("en")
        assert given == wanted, f"{where}: {code.value!r} takes {sorted(wanted)}, got {sorted(given)}"


def test_domain_errors_are_all_known_to_the_detector():
    def subclasses(cls: type) -> set[str]:
        names = set()
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("service."):
                names |= {sub.__name__, *subclasses(sub)}
        return names

    importlib.import_module("service.app")
    assert subclasses(DomainError) <= _domain_error_names()


def test_the_auth_catalogue_and_the_oidc_client_do_not_need_the_web_framework():
    code = "import sys, service.auth.oidc; print(sorted(m for m in sys.modules if m.split('.')[0] == 'litestar'))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    oidc = importlib.import_module("service.auth.oidc")
    auth = importlib.import_module("service.auth.messages").MESSAGES
    tree = dict(SOURCES)["service/auth/oidc.py"]
    raised = {
        call.args[0].value
        for _, call in _calls(tree)
        if isinstance(call.func, ast.Name) and call.func.id == "OIDCError" and call.args
        if isinstance(call.args[0], ast.Constant)
    }
    assert len(raised) >= 5
    assert raised <= set(auth.texts)
    refused = oidc.OIDCError("oidc.state_mismatch")
    assert (refused.message_ja, refused.message_en) == (
        message("oidc.state_mismatch", "ja"),
        message("oidc.state_mismatch", "en"),
    )
