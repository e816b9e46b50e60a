"""Message catalogues (STYLE rule 12): every code has both languages, codes are unique, a call
site names a code that exists with exactly its parameters, and no raise site carries an inline
ja/en pair outside the domains still waiting for conversion."""

from __future__ import annotations

import ast
import importlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound, TooManyRequests
from service.messages import (
    COMMON,
    REGISTRY,
    Catalogue,
    MessageParameterError,
    Registry,
    Text,
    message,
)

ROOT = Path(__file__).resolve().parents[2]
SERVICE = ROOT / "service"

#: Where inline ja/en pairs may still be raised: ``path`` or ``path:function``, matched as a
#: prefix. Shrink this list as domains move their texts into ``messages.py``; an entry that no
#: longer matches anything fails the test, so the list cannot go stale.
UNCONVERTED = (
    "service/app.py:health",  # app.py is being reduced to a list of routers (#7 §5)
    "service/auth/",
    "service/claims/",
    "service/errors.py",  # the generic texts behind its exception classes and handlers
    "service/impact/",
    "service/investors/",
    "service/projects/",
    "service/request_checks.py",
    "service/types.py:DatesInRange",
)


def _catalogue_modules() -> list[str]:
    names = ["service.messages"]
    for path in sorted(SERVICE.rglob("messages.py")):
        if path.parent != SERVICE:
            names.append(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return names


CATALOGUES: list[Catalogue] = [
    value
    for name in _catalogue_modules()
    for value in vars(importlib.import_module(name)).values()
    if isinstance(value, Catalogue)
]


def test_every_domain_catalogue_is_found():
    domains = {c.domain for c in CATALOGUES}
    assert {"common", "organisations", "regions", "vetting", "events", "matching", "audit"} <= domains


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_every_code_has_ja_and_en_with_the_same_placeholders(code):
    text = REGISTRY[code]
    assert text.ja.strip()
    assert text.en.strip()
    assert text.placeholders("ja") == text.placeholders("en")
    assert text.ja != text.en, "the Japanese text is a copy of the English one"


def test_each_code_is_defined_by_exactly_one_catalogue():
    codes = [code for catalogue in CATALOGUES for code in catalogue.texts]
    assert len(codes) == len(set(codes))
    assert set(codes) == set(REGISTRY)
    for catalogue in CATALOGUES:
        assert all(REGISTRY.owner(code) == catalogue.domain for code in catalogue.texts)


def test_a_second_catalogue_with_a_taken_code_is_refused_and_registers_nothing():
    before = set(REGISTRY)
    texts = {
        "test.fresh_code": Text(ja="新しい", en="fresh"),
        "validation.cursor": Text(ja="別の文", en="another text"),
    }
    with pytest.raises(ValueError, match=r"'validation\.cursor'.*already registered by 'common'"):
        Catalogue("intruder", texts)
    assert set(REGISTRY) == before


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (Text(ja="", en="Missing Japanese"), "lacks a language"),
        (Text(ja="英語がない", en="  "), "lacks a language"),
        (Text(ja="{a} が違う", en="{b} differs"), "different placeholders"),
        (Text(ja="{0} 番", en="number {0}"), "not a plain name"),
        (Text(ja="{x.y}", en="{x.y}"), "not a plain name"),
    ],
)
def test_a_text_without_both_languages_or_with_differing_placeholders_is_refused(text, problem):
    with pytest.raises(ValueError, match=problem):
        Catalogue("broken", {"broken.code": text}, registry=Registry())


@pytest.mark.parametrize("code", ["", "nodot", "Upper.case", "two words.x", "trailing.", " padded.code"])
def test_a_code_that_is_not_dotted_lowercase_is_refused(code):
    with pytest.raises(ValueError, match="is not like"):
        Catalogue("broken", {code: Text(ja="あ", en="a")}, registry=Registry())


def test_formatting_with_a_missing_parameter_fails_loudly():
    regions = importlib.import_module("service.regions.messages").MESSAGES
    with pytest.raises(MessageParameterError, match=r"missing parameters \['codes'\]"):
        regions.text("region.unknown_municipality")
    with pytest.raises(MessageParameterError, match=r"missing parameters \['codes'\]"):
        regions.invalid("member_codes", "region.unknown_municipality")
    with pytest.raises(MessageParameterError, match=r"missing parameters \['codes'\]"):
        message("region.unknown_municipality", "en")


def test_message_refuses_a_language_it_does_not_have():
    with pytest.raises(ValueError, match="'fr'"):
        message("validation.cursor", "fr")


def test_formatting_with_an_unexpected_parameter_fails_loudly():
    with pytest.raises(MessageParameterError, match=r"unexpected \['page'\]"):
        COMMON.text("validation.cursor", page=3)


def test_a_code_of_another_catalogue_is_not_found_through_this_one():
    with pytest.raises(KeyError, match="not in the 'common' message catalogue"):
        COMMON.text("organisation.not_found")


def test_message_fills_in_one_language():
    assert message("region.unknown_municipality", "ja", codes="01100") == "存在しない市区町村コードです: 01100"
    assert message("region.unknown_municipality", "en", codes="01100") == "Unknown municipality codes: 01100"


def test_errors_built_from_a_catalogue_carry_code_status_and_both_languages():
    organisations = importlib.import_module("service.organisations.messages").MESSAGES

    not_found = organisations.error(NotFound, "organisation.not_found")
    assert type(not_found) is NotFound
    assert (not_found.status_code, not_found.code) == (404, "organisation.not_found")
    assert (not_found.message.ja, not_found.message.en) == ("組織が見つかりません。", "Organisation not found.")
    assert not_found.errors == []

    forbidden = organisations.error(Forbidden, "organisation.members_admin_only")
    assert (forbidden.status_code, forbidden.code) == (403, "organisation.members_admin_only")

    conflict = organisations.field_error(Conflict, "role", "organisation.member_exists")
    assert conflict.status_code == 409
    assert [(e.field, e.code, e.message) for e in conflict.errors] == [
        ("role", "organisation.member_exists", conflict.message)
    ]

    invalid = COMMON.invalid("cursor", "validation.cursor")
    assert isinstance(invalid, InvalidInput)
    assert invalid.status_code == 422
    assert [(e.field, e.message.en) for e in invalid.errors] == [("cursor", "The cursor is invalid.")]


def test_too_many_requests_is_refused_because_it_needs_retry_after():
    with pytest.raises(TypeError, match="retry_after"):
        COMMON.error(TooManyRequests, "validation.cursor")


@pytest.mark.parametrize(
    ("language", "detail"),
    [("ja", "組織が見つかりません。"), ("en", "Organisation not found.")],
)
async def test_a_catalogue_error_reaches_the_client_in_the_callers_language(client, language, detail):
    response = await client.get(f"/api/v1/organisations/{uuid.uuid4()}", headers={"Accept-Language": language})
    assert response.status_code == 404
    body = response.json()
    assert (body["code"], body["detail"]) == ("organisation.not_found", detail)


async def test_a_field_error_with_a_parameter_names_the_field_and_fills_the_text(client):
    response = await client.get(
        "/api/v1/organisations", params={"cursor": "not-a-cursor"}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation.cursor"
    assert [(e["field"], e["code"], e["message"]) for e in body["errors"]] == [
        ("cursor", "validation.cursor", {"ja": "カーソルが不正です。", "en": "The cursor is invalid."})
    ]


# --- the source, read without running it -------------------------------------------------


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
    ``Message(ja="…", en="…")``, or any Japanese literal handed to an error (``NotFound(w, "組織")``)."""
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
        if sum(_is_literal(t) for t in texts) >= 2 or any(_has_non_ascii_literal(a) for a in call.args):
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
def fine():
    raise MESSAGES.error(Conflict, "a.b")
def fine_too():
    raise MESSAGES.invalid("f", "a.b", x=1)
"""
    tree = ast.parse(source)
    names = {"DomainError", "Conflict", "InvalidInput", "NotFound", "Oops"}
    assert [f.split(" ")[0] for f in inline_pairs("m.py", tree, names)] == [
        "m.py:f",
        "m.py:g",
        "m.py:h",
        "m.py:i",
        "m.py:j",
    ]


def test_no_inline_ja_en_pairs_outside_the_domains_not_yet_converted():
    error_names = _domain_error_names()
    findings = [f for path, tree in SOURCES for f in inline_pairs(path, tree, error_names)]
    assert findings, "the detector found nothing at all: it is broken"
    unexpected = [f for f in findings if not f.startswith(UNCONVERTED)]
    assert unexpected == [], "raise these by catalogue code (service/messages.py)"
    stale = [entry for entry in UNCONVERTED if not any(f.startswith(entry) for f in findings)]
    assert stale == [], "converted: remove from UNCONVERTED"


CODE_ARGUMENT = {"error": 1, "field_error": 2, "invalid": 1, "text": 0}


def _catalogue_names(tree: ast.Module) -> dict[str, Catalogue]:
    """Local names bound to a catalogue by ``from service…messages import NAME [as LOCAL]``."""
    bound = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] == "messages":
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
        given = {k.arg for k in call.keywords}
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
