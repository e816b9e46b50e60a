"""Message catalogues (STYLE rule 12): every code has both languages, codes are unique, and the
mechanism formats, refuses and reaches the client as documented. The scans of service/'s call
sites are in test_message_sites.py."""

from __future__ import annotations

import importlib
import uuid
from pathlib import Path

import pytest

from service.common_messages import COMMON
from service.errors import (
    _TITLES,
    Conflict,
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
