"""What a route handler reads, found from its signature and the dependencies it uses: the facts
:mod:`service.contract.problems` derives an operation's parameters and problem responses from."""

from __future__ import annotations

import uuid
from typing import Any, get_args

import msgspec
from litestar.constants import RESERVED_KWARGS
from litestar.handlers import HTTPRouteHandler


def dependency_closure(handler: HTTPRouteHandler) -> set[str]:
    """Names the handler asks for, directly or through the dependencies it uses."""
    provided = handler.resolve_dependencies()
    seen: set[str] = set()
    pending = list(handler.parsed_fn_signature.parameters)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in provided:
            pending.extend(provided[name].parsed_fn_signature.parameters)
    return seen


def has_request_parameters(handler: HTTPRouteHandler, path_parameters: set[str], names: set[str]) -> bool:
    """True when a query, header or cookie parameter reaches the handler or one of its dependencies."""
    provided = handler.resolve_dependencies()
    return any(
        name not in provided and name not in RESERVED_KWARGS and name not in path_parameters and name != "self"
        for name in names
    )


def mentions_uuid(annotation: Any, depth: int = 0) -> bool:
    if annotation is uuid.UUID:
        return True
    if depth > 4:
        return False
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return any(mentions_uuid(f.type, depth + 1) for f in msgspec.structs.fields(annotation))
    return any(mentions_uuid(a, depth + 1) for a in get_args(annotation))


def body_names_an_id(handler: HTTPRouteHandler) -> bool:
    """True when the request body carries a UUID, which names an object that may not exist."""
    data = handler.parsed_fn_signature.parameters.get("data")
    return data is not None and mentions_uuid(data.annotation)


#: Constraints of a query parameter as Litestar's KwargDefinition names them → JSON Schema keyword.
CONSTRAINTS = {
    "ge": "minimum",
    "le": "maximum",
    "gt": "exclusive_minimum",
    "lt": "exclusive_maximum",
    "min_length": "min_length",
    "max_length": "max_length",
    "pattern": "pattern",
}


def parameter_definitions(handler: HTTPRouteHandler) -> dict[str, Any]:
    """Each request parameter's KwargDefinition, from the handler and the dependencies it uses."""
    provided = handler.resolve_dependencies()
    names = dependency_closure(handler)
    found: dict[str, Any] = {}
    for owner in [handler, *(provided[n] for n in names if n in provided)]:
        for name, field in owner.parsed_fn_signature.parameters.items():
            if field.kwarg_definition is not None:
                found.setdefault(name, field.kwarg_definition)
    return found
