"""One error shape for the whole API: RFC 9457 problem details with ja/en messages.

Domains raise :class:`DomainError` subclasses with a stable ``code``; the handlers here turn
those, request-validation failures and database constraint violations into
``application/problem+json``. Nothing reaches the client as a bare 500 traceback.
"""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from service.db_errors import database_error_kind
from service.validation_messages import UNPROCESSABLE_CODES, translate

_log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class Message(msgspec.Struct, frozen=True):
    ja: str
    en: str


class FieldError(msgspec.Struct, frozen=True):
    field: str
    code: str
    message: Message


class Problem(msgspec.Struct, omit_defaults=True):
    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] = msgspec.field(default_factory=list)


class DomainError(Exception):
    """Base of every expected failure; subclasses fix the HTTP status."""

    status_code = 400

    def __init__(self, code: str, ja: str, en: str, *, errors: list[FieldError] | None = None) -> None:
        super().__init__(en)
        self.code = code
        self.message = Message(ja=ja, en=en)
        self.errors = errors or []

    @classmethod
    def for_field(cls, field: str, code: str, ja: str, en: str) -> DomainError:
        return cls(code, ja, en, errors=[FieldError(field=field, code=code, message=Message(ja=ja, en=en))])

    def nested_in(self, prefix: str) -> DomainError:
        """This error with its fields named inside ``prefix``, for an object nested in a request body."""
        self.errors = [FieldError(field=f"{prefix}.{e.field}", code=e.code, message=e.message) for e in self.errors]
        return self


class InvalidInput(DomainError):
    status_code = 422


class Unauthenticated(DomainError):
    status_code = 401

    def __init__(
        self, code: str = "auth.unauthenticated", ja: str = "ログインが必要です。", en: str = "You need to sign in."
    ) -> None:
        super().__init__(code, ja, en)


class Forbidden(DomainError):
    status_code = 403

    def __init__(
        self,
        code: str = "auth.forbidden",
        ja: str = "この操作の権限がありません。",
        en: str = "You are not allowed to do this.",
    ) -> None:
        super().__init__(code, ja, en)


class NotFound(DomainError):
    status_code = 404

    def __init__(self, what: str, ja_what: str) -> None:
        super().__init__(
            f"{what}.not_found", f"{ja_what}が見つかりません。", f"{what.replace('_', ' ').capitalize()} not found."
        )


class Conflict(DomainError):
    status_code = 409


class UnsupportedMediaType(DomainError):
    status_code = 415


class TooManyRequests(DomainError):
    status_code = 429

    def __init__(self, code: str, ja: str, en: str, *, retry_after: int) -> None:
        super().__init__(code, ja, en)
        self.retry_after = retry_after


def preferred_language(request: Request[Any, Any, Any]) -> str:
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("en"):
            return "en"
        if tag.startswith("ja"):
            return "ja"
    return "ja"


def _problem_response(
    request: Request[Any, Any, Any],
    status: int,
    code: str,
    message: Message,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Any]:
    lang = preferred_language(request)
    detail = message.ja if lang == "ja" else message.en
    problem = Problem(
        type=f"urn:kyoso:problem:{code}",
        title=_TITLES.get(status, ("エラー", "Error"))[0 if lang == "ja" else 1],
        status=status,
        detail=detail,
        code=code,
        errors=errors or [],
    )
    return Response(content=msgspec.json.encode(problem), status_code=status, media_type=PROBLEM_JSON, headers=headers)


_TITLES = {
    400: ("リクエストが正しくありません", "Bad request"),
    401: ("認証が必要です", "Unauthenticated"),
    403: ("権限がありません", "Forbidden"),
    404: ("見つかりません", "Not found"),
    405: ("許可されていないメソッドです", "Method not allowed"),
    409: ("状態が競合しています", "Conflict"),
    413: ("リクエストが大きすぎます", "Payload too large"),
    415: ("サポートされていない形式です", "Unsupported media type"),
    422: ("入力内容に誤りがあります", "Invalid input"),
    429: ("リクエストが多すぎます", "Too many requests"),
    500: ("サーバーエラー", "Internal server error"),
}


def domain_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, DomainError)
    retry_after = getattr(exc, "retry_after", None)
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return _problem_response(request, exc.status_code, exc.code, exc.message, exc.errors, headers)


def translate_validation(message: str, key: str | None) -> FieldError:
    """Turn one msgspec/litestar validation message into a ja/en :class:`FieldError`."""
    field, code, ja, en = translate(message, key)
    return FieldError(field=field, code=code, message=Message(ja=ja, en=en))


def validation_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, ValidationException)
    errors: list[FieldError] = []
    extra = exc.extra if isinstance(exc.extra, list) else []
    for item in extra:
        if isinstance(item, dict):
            errors.append(translate_validation(str(item.get("message", "")), item.get("key")))
    if not errors:
        errors.append(translate_validation(str(exc.detail), None))
    status = 422 if any(e.code in UNPROCESSABLE_CODES for e in errors) else 400
    return _problem_response(
        request,
        status,
        "validation.failed",
        Message(ja="入力内容に誤りがあります。", en="The request is invalid."),
        errors,
    )


def http_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    ja, en = _TITLES.get(status, ("エラーが発生しました", "Request failed"))
    detail = str(exc.detail) if exc.detail else en
    if status == 400 and detail:
        is_json = "JSON" in detail
        return _problem_response(
            request,
            400,
            "request.malformed",
            Message(ja=f"リクエストを解釈できません: {detail}", en=f"Malformed request: {detail}"),
            [
                FieldError(
                    field="body",
                    code="request.malformed",
                    message=Message(ja="JSON として解釈できません。", en="Not valid JSON.")
                    if is_json
                    else Message(ja="リクエスト本文を解釈できません。", en="The request body cannot be parsed."),
                )
            ],
        )
    return _problem_response(
        request, status, f"http.{status}", Message(ja=ja + "。", en=detail), headers=getattr(exc, "headers", None)
    )


def integrity_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, IntegrityError)
    cause = getattr(exc.orig, "__cause__", None)
    name = getattr(cause, "constraint_name", None) or ""
    table = getattr(cause, "table_name", None) or ""
    prefix = f"{name[:3]}{table}_"
    field = name[len(prefix) :] if table and name.startswith(prefix) else "body"
    if name.startswith("uq_"):
        return _problem_response(
            request,
            409,
            "conflict.duplicate",
            Message(ja="同じ値がすでに登録されています。", en="That value is already taken."),
            [
                FieldError(
                    field=field,
                    code="conflict.duplicate",
                    message=Message(ja="すでに使われています。", en="Already in use."),
                )
            ],
        )
    return _problem_response(
        request,
        422,
        "validation.constraint",
        Message(ja="入力値が制約に違反しています。", en="The input violates a constraint."),
        [
            FieldError(
                field=field,
                code="validation.constraint",
                message=Message(ja=f"制約 {name} に違反しています。", en=f"Violates {name}."),
            )
        ],
    )


#: How each kind of database failure answers: status, code, ja, en, seconds to wait before a retry.
_DB_ANSWERS: dict[str, tuple[int, str, str, str, int | None]] = {
    "retry": (
        409,
        "db.retry",
        "同時に行われた別の更新と競合しました。少し待ってからもう一度お試しください。",
        "This conflicted with a concurrent change; retry the request.",
        1,
    ),
    "unavailable": (
        503,
        "db.unavailable",
        "データベースに接続できません。しばらくしてからもう一度お試しください。",
        "The database is unavailable; retry later.",
        5,
    ),
    "data": (422, "validation.rejected_by_database", "保存できない値です。", "A value cannot be stored.", None),
    "constraint": (422, "validation.constraint", "制約に違反しています。", "The input violates a constraint.", None),
}


def database_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A database failure by kind: bad data 422, a lost serialization race 409 (retry), the
    database gone 503 (retry later); anything else is our fault, a 500."""
    kind, state = database_error_kind(exc)
    if kind not in _DB_ANSWERS:
        return internal_error_handler(request, exc)
    _log.warning("database failure, %s (SQLSTATE %s) on %s %s: %s", kind, state, request.method, request.url.path, exc)
    status, code, ja, en, retry_after = _DB_ANSWERS[kind]
    errors = [FieldError(field="body", code=code, message=Message(ja, en))] if status == 422 else None
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    return _problem_response(request, status, code, Message(ja, en), errors, headers)


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    _log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _problem_response(
        request,
        HTTP_500_INTERNAL_SERVER_ERROR,
        "server.error",
        Message(ja="サーバーで問題が発生しました。", en="Something went wrong on our side."),
    )


def _driver_errors() -> dict[type[Exception] | int, Any]:
    """asyncpg's own exceptions: the hot list query runs on the driver connection, unwrapped."""
    return {
        asyncpg.PostgresError: database_error_handler,
        asyncpg.InterfaceError: database_error_handler,
        PoolTimeout: database_error_handler,
        ConnectionError: database_error_handler,
    }


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    IntegrityError: integrity_error_handler,
    DBAPIError: database_error_handler,
    **_driver_errors(),
    HTTPException: http_error_handler,
    Exception: internal_error_handler,
}

__all__ = [
    "EXCEPTION_HANDLERS",
    "PROBLEM_JSON",
    "Conflict",
    "DomainError",
    "FieldError",
    "Forbidden",
    "InvalidInput",
    "Message",
    "NotFound",
    "Problem",
    "TooManyRequests",
    "Unauthenticated",
    "UnsupportedMediaType",
]
