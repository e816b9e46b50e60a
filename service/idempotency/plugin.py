"""The Litestar side: one plugin that turns ``opt={"idempotent": True}`` on a handler into the
whole behaviour, so no handler body changes.

For each opted-in route it
- documents the optional ``Idempotency-Key`` header (and the 409 it can cause) in OpenAPI,
- renders the response through :class:`CapturingResponse`, which leaves the encoded response
  on the request for :func:`~service.idempotency.guard.idempotency_guard` to store before the
  request's transaction commits (the session dependency wraps its transaction in the guard),
and for the app it registers the answers to a replay (the stored response, marked
``Idempotent-Replayed: true``) and to a key in flight (409 with ``Retry-After``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, Response
from litestar.config.app import AppConfig
from litestar.enums import ParamType
from litestar.openapi.spec import OpenAPIHeader, OpenAPIResponse, Operation, Parameter, Schema
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


@dataclass
class IdempotentOperation(Operation):
    """An operation that takes the ``Idempotency-Key`` header."""

    def __post_init__(self) -> None:
        params = list(self.parameters or [])
        if not any(isinstance(p, Parameter) and p.name == HEADER for p in params):
            params.append(KEY_PARAMETER)
        self.parameters = params
        responses = self.responses if self.responses is not None else {}
        responses.setdefault(
            "409",
            OpenAPIResponse(
                description="Conflict (also: the Idempotency-Key was used for another request, or is in flight)",
                headers={"Retry-After": OpenAPIHeader(schema=Schema(type=OpenAPIType.INTEGER), required=False)},
            ),
        )
        self.responses = responses


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
    """Register once on the app: ``Litestar(plugins=[IdempotencyPlugin()])``."""

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
                handler.operation_class = IdempotentOperation
