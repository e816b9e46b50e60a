"""The Litestar side: one plugin that turns ``opt={"idempotent": True}`` on a handler into the
whole behaviour, so no handler body changes.

For each opted-in route it
- tells the OpenAPI contract (:mod:`service.contract`, which decides every operation's parameters
  and responses) about the optional ``Idempotency-Key`` header, the 422 for a malformed key and
  the 409s ``idempotency.key_reused`` and ``idempotency.in_progress``,
- renders the response through :class:`CapturingResponse`, which leaves the encoded response
  on the request for :func:`~service.idempotency.guard.idempotency_guard` to store before the
  request's transaction commits (the session dependency wraps its transaction in the guard),
and for the app it registers the answers to a replay (the stored response, marked
``Idempotent-Replayed: true``) and to a key in flight (409 with ``Retry-After``).
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.config.app import AppConfig
from litestar.enums import ParamType
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.spec import Parameter, Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.plugins import InitPlugin
from litestar.plugins.base import ReceiveRoutePlugin
from litestar.response.base import ASGIResponse
from litestar.routes import BaseRoute, HTTPRoute

from service.errors import domain_error_handler
from service.idempotency.guard import (
    CAPTURED,
    RETRY_AFTER_SECONDS,
    IdempotentReplay,
    KeyInProgress,
    StoredResponse,
)
from service.idempotency.keys import HEADER, KEY_PATTERN

REPLAYED_HEADER = "Idempotent-Replayed"

KEY_PARAMETER = Parameter(
    name=HEADER,
    param_in=ParamType.HEADER,
    required=False,
    description=(
        "Optional. Send the same key when retrying this request: the first response is replayed "
        f"(with `{REPLAYED_HEADER}: true`) instead of writing twice. Keys belong to the caller and are "
        "kept 24 hours. The same key with a different request is 409 `idempotency.key_reused`; while "
        "the first request is still running, 409 `idempotency.in_progress` with `Retry-After`."
    ),
    schema=Schema(type=OpenAPIType.STRING, min_length=1, max_length=255, pattern=KEY_PATTERN),
)


#: What an opted-in operation adds to its contract: the fields of a ``service.contract.Addition``
#: (a mapping: shared infrastructure does not import that composition root).
ADDITION: dict[str, Any] = {
    "parameters": (KEY_PARAMETER,),
    "problems": frozenset({409, 422}),
    "notes": {
        409: f"`idempotency.key_reused`: the {HEADER} was sent with a different request; "
        f"`idempotency.in_progress`: the first request with this {HEADER} is still running (see `Retry-After`).",
        422: f"`idempotency.key_invalid`: the {HEADER} header is not 1 to 255 visible ASCII characters.",
    },
    "success_headers": {
        REPLAYED_HEADER: (
            Schema(type=OpenAPIType.STRING, enum=["true"]),
            f"`true` when this is the stored response to an earlier request with the same {HEADER}.",
        )
    },
}


class CapturingResponse(Response[Any]):
    """A response that leaves its encoded form on the request, for the guard to store."""

    def to_asgi_response(self, app: Any, request: Request[Any, Any, Any], **kwargs: Any) -> ASGIResponse:
        asgi = super().to_asgi_response(app, request, **kwargs)
        content_type = asgi.headers.get("content-type") or "application/json"
        request.state[CAPTURED] = StoredResponse(asgi.status_code, content_type, asgi.body)
        return asgi


def replay_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    assert isinstance(exc, IdempotentReplay)
    stored = exc.stored
    return Response(
        content=stored.body,
        status_code=stored.status_code,
        media_type=stored.content_type,
        headers={REPLAYED_HEADER: "true"},
    )


def in_progress_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    response = domain_error_handler(request, exc)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class IdempotencyPlugin(InitPlugin, ReceiveRoutePlugin):
    """Register once on the app: ``Litestar(plugins=[IdempotencyPlugin()])``.

    It is also a ``service.contract.ContractSource``: ``apply_contract`` asks it what an
    opted-in operation documents, so the header and its problems stand beside the derived ones.
    """

    def contract_addition(self, handler: HTTPRouteHandler) -> dict[str, Any] | None:
        return ADDITION if handler.opt.get("idempotent") else None

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.exception_handlers = {
            **app_config.exception_handlers,
            IdempotentReplay: replay_handler,
            KeyInProgress: in_progress_handler,
        }
        return app_config

    def receive_route(self, route: BaseRoute) -> None:
        if not isinstance(route, HTTPRoute):
            return
        for handler in route.route_handlers:
            if handler.opt.get("idempotent"):
                handler.response_class = CapturingResponse
