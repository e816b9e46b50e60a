"""One error shape for the whole API: RFC 9457 problem details with ja/en messages.

Domains raise :class:`DomainError` subclasses (defined in service/domain_errors.py, re-exported
here) with a stable ``code``, built from their message catalogue; the handlers here turn those,
request-validation failures and database constraint violations into ``application/problem+json``,
their own texts and titles from the common catalogue (service/common_messages.py). Nothing
reaches the client as a bare 500 traceback.
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

from service.common_messages import COMMON
from service.db_errors import database_error_kind
from service.domain_errors import (
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    InvalidInput,
    Message,
    NotFound,
    TooManyRequests,
    Unauthenticated,
    UnsupportedMediaType,
)
from service.messages import REGISTRY
from service.validation_messages import UNPROCESSABLE_CODES, translate

_log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class Problem(msgspec.Struct, omit_defaults=True):
    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] = msgspec.field(default_factory=list)


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
        title=_title(status, "problem.title_other").ja if lang == "ja" else _title(status, "problem.title_other").en,
        status=status,
        detail=detail,
        code=code,
        errors=errors or [],
    )
    return Response(content=msgspec.json.encode(problem), status_code=status, media_type=PROBLEM_JSON, headers=headers)


#: The problem's title by status: a code of the common catalogue.
_TITLES = {
    400: "problem.title_400",
    401: "problem.title_401",
    403: "problem.title_403",
    404: "problem.title_404",
    405: "problem.title_405",
    409: "problem.title_409",
    413: "problem.title_413",
    415: "problem.title_415",
    422: "problem.title_422",
    429: "problem.title_429",
    500: "problem.title_500",
}


def _title(status: int, otherwise: str) -> Message:
    """The title of ``status`` in both languages; ``otherwise`` names the text of any other status."""
    return REGISTRY[_TITLES.get(status, otherwise)].format()


def domain_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, DomainError)
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
    return _problem_response(request, exc.status_code, exc.code, exc.message, exc.errors, headers)


def translate_validation(message: str, key: str | None) -> FieldError:
    """Turn one msgspec/litestar validation message into a ja/en :class:`FieldError`."""
    field, code, text = translate(message, key)
    return FieldError(field=field, code=code, message=text)


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
        COMMON.text("validation.failed"),
        errors,
    )


def http_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    title = _title(status, "problem.request_failed")
    detail = str(exc.detail) if exc.detail else title.en
    if status == 400 and detail:
        is_json = "JSON" in detail
        return _problem_response(
            request,
            400,
            "request.malformed",
            COMMON.text("request.malformed", detail=detail),
            [
                COMMON.field("body", "request.malformed#json")
                if is_json
                else COMMON.field("body", "request.malformed#body")
            ],
        )
    return _problem_response(
        request, status, f"http.{status}", Message(ja=title.ja + "。", en=detail), headers=getattr(exc, "headers", None)
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
            COMMON.text("conflict.duplicate"),
            [COMMON.field(field, "conflict.duplicate#field")],
        )
    return _problem_response(
        request,
        422,
        "validation.constraint",
        COMMON.text("validation.constraint"),
        [COMMON.field(field, "validation.constraint#field", name=name)],
    )


#: How each kind of database failure answers: status, code, text, seconds to wait before a retry.
_DB_ANSWERS: dict[str, tuple[int, str, Message, int | None]] = {
    "retry": (409, "db.retry", COMMON.text("db.retry"), 1),
    "unavailable": (503, "db.unavailable", COMMON.text("db.unavailable"), 5),
    "data": (422, "validation.rejected_by_database", COMMON.text("validation.rejected_by_database"), None),
    "constraint": (422, "validation.constraint", COMMON.text("validation.constraint#database"), None),
}


def database_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A database failure by kind: bad data 422, a lost serialization race 409 (retry), the
    database gone 503 (retry later); anything else is our fault, a 500."""
    kind, state = database_error_kind(exc)
    if kind not in _DB_ANSWERS:
        return internal_error_handler(request, exc)
    _log.warning("database failure, %s (SQLSTATE %s) on %s %s: %s", kind, state, request.method, request.url.path, exc)
    status, code, text, retry_after = _DB_ANSWERS[kind]
    errors = [FieldError(field="body", code=code, message=text)] if status == 422 else None
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    return _problem_response(request, status, code, text, errors, headers)


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    _log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _problem_response(
        request,
        HTTP_500_INTERNAL_SERVER_ERROR,
        "server.error",
        COMMON.text("server.error"),
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
