"""Role guards for routers, controllers and handlers: ``guards=[requires_role(Role.admin)]``.

A guard answers who may call an endpoint at all, from the caller's roles; whether the caller may
touch *this* object (owns the project, is a participant of the room) stays in the domain's service.
Failures are our problem responses, with the codes the handlers used before: 401
``auth.unauthenticated`` (or the token's own 401), 403 ``auth.role_required``, 403
``auth.csrf_failed``.

Litestar runs guards before the ``before_request`` hook, so a guard resolves the caller itself
(:func:`resolve_principal` remembers it for the rest of the request).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, cast

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from service.auth.principal import Principal, provide_principal, provide_user, resolve_principal
from service.models.enums import Role

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


async def caller(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    """The signed-in caller or ``None``; a cookie write without its CSRF token is a 403."""
    request = cast("Request[Any, Any, Any]", connection)
    await resolve_principal(request)
    return await provide_principal(request)


async def requires_signed_in(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Any signed-in caller (401 otherwise)."""
    await provide_user(await caller(connection))


def requires_role(*roles: Role) -> Guard:
    """A signed-in caller holding one of ``roles`` in any organisation (401, else 403)."""
    if not roles:
        raise ValueError("requires_role needs at least one role")

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = await provide_user(await caller(connection))
        principal.require_role(*roles)

    guard.__name__ = f"requires_role({', '.join(r.value for r in roles)})"
    return guard


#: The most common guard, spelled once.
requires_admin = requires_role(Role.admin)
