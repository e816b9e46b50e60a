"""Message catalogues (STYLE rule 12): every code has both languages, codes are unique, a call
site names a code that exists with exactly its parameters, no raise site carries an inline
ja/en pair, and no Japanese text lives in service/ outside a catalogue but for the data listed in
``NOT_MESSAGES``."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.common_messages import COMMON
from service.errors import (
    _TITLES,
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    Message,
    NotFound,
    TooManyRequests,
    UnsupportedMediaType,
)
from service.messages import (
    REGISTRY,
    RESERVED,
    Catalogue,
    MessageParameterError,
    Registry,
    Text,
    message,
)

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


def _catalogue_modules() -> list[str]:
    names = ["service.messages"]
    for path in sorted(SERVICE.rglob("*messages.py")):
        if path.parent != SERVICE or path.name != "messages.py":
            names.append(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return names


CATALOGUES: list[Catalogue] = list(
    {
        id(value): value
        for name in _catalogue_modules()
        for value in vars(importlib.import_module(name)).values()
        if isinstance(value, Catalogue)
    }.values()
)


def test_every_domain_catalogue_is_found():
    domains = {c.domain for c in CATALOGUES}
    assert {
        "common",
        "auth",
        "claims",
        "idempotency",
        "impact",
        "investors",
        "projects",
        "organisations",
        "regions",
        "vetting",
        "events",
        "matching",
        "audit",
    } <= domains


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


def test_too_many_requests_needs_retry_after_which_is_an_attribute_not_a_text_parameter():
    with pytest.raises(TypeError, match="retry_after"):
        COMMON.error(TooManyRequests, "validation.cursor")
    auth = importlib.import_module("service.auth.messages").MESSAGES
    error = auth.error(TooManyRequests, "auth.too_many_attempts", retry_after=7)
    assert (type(error), error.status_code, error.code, error.retry_after) == (
        TooManyRequests,
        429,
        "auth.too_many_attempts",
        7,
    )
    assert "Retry-After" in error.message.en
    assert COMMON.error(Conflict, "db.retry").retry_after is None


@pytest.mark.parametrize("name", sorted(RESERVED))
def test_a_placeholder_named_like_an_error_attribute_is_refused(name):
    with pytest.raises(ValueError, match="reserved"):
        Catalogue("broken", {"broken.code": Text(ja=f"{{{name}}} 秒", en=f"{{{name}}} s")}, registry=Registry())


def test_a_variant_key_names_another_text_of_the_same_client_code():
    investors = importlib.import_module("service.investors.messages").MESSAGES
    edit = investors.error(Forbidden, "investor.not_owner")
    delete = investors.error(Forbidden, "investor.not_owner#delete")
    assert edit.code == delete.code == "investor.not_owner"
    assert edit.message != delete.message
    field = investors.field_error(Conflict, "owner", "investor.not_owner#delete")
    assert [(e.field, e.code) for e in field.errors] == [("owner", "investor.not_owner")]


def test_an_error_may_carry_field_errors_with_texts_of_their_own():
    error = COMMON.error(
        UnsupportedMediaType,
        "request.unsupported_media_type",
        content_type="text/plain",
        errors=[COMMON.field("content-type", "request.unsupported_media_type#json_only")],
    )
    assert error.message.en == "Send JSON (application/json); got text/plain."
    assert [(e.field, e.code, e.message.en) for e in error.errors] == [
        ("content-type", "request.unsupported_media_type", "Only application/json is accepted.")
    ]


def test_a_message_parameter_fills_each_language_with_its_own_text():
    filled = COMMON.text("validation.range", n=1, op=COMMON.text("validation.op_ge"))
    assert filled == Message(ja="1 以上の値を指定してください。", en="Must be >= 1.")


def test_every_problem_title_is_a_common_code():
    assert set(_TITLES.values()) <= set(COMMON.texts)
    assert {"problem.title_other", "problem.request_failed"} <= set(COMMON.texts)


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


def test_auth_mails_come_from_the_catalogue_in_the_recipients_language():
    mails = importlib.import_module("service.auth.mails")
    ja = mails.verification_mail(to="a@example.jp", lang="ja", token="T0K", public_url="https://k.example", hours=24)
    en = mails.already_registered_mail(to="a@example.jp", lang="en", public_url="https://k.example")
    assert ja["subject"] == message("mail.verify_email.subject", "ja")
    assert ja["text"] == message(
        "mail.verify_email.body", "ja", link="https://k.example/verify-email?token=T0K", token="T0K", hours=24
    )
    assert '"token": "T0K", "password": ' in ja["text"]
    assert en["subject"] == "[Kyoso] Someone tried to sign up with your address"
    assert "https://k.example/login" in en["text"]


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
