"""Checks every request passes before a handler sees it: one place, for every route.

- A handler that takes a JSON ``data`` body accepts only ``application/json`` (or
  ``application/*+json``): anything else is a 415. Browsers send ``text/plain``, form and
  multipart bodies cross-site without a preflight, so this is what stops login-CSRF and its kin.
- The JSON body must be UTF-8 (400 naming ``body``) and nested at most :data:`MAX_JSON_DEPTH`
  deep (422 naming where): deeper input would exhaust the decoder's recursion.
- Query parameters carry no control characters (NUL cannot even reach PostgreSQL): 422 naming
  the parameter.

Multipart upload handlers are not JSON endpoints; they check the caller before reading the body
themselves (see service/claims/controllers.py).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import msgspec
from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.handlers import HTTPRouteHandler
from litestar.params import BodyKwarg

from service.common_messages import COMMON
from service.errors import DomainError, UnsupportedMediaType

#: Deepest nesting of objects and arrays a request body (or a stored JSON document) may have.
MAX_JSON_DEPTH = 32
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: No route has a longer path segment (ids are UUIDs; file systems allow 255 bytes a name).
MAX_PATH_SEGMENT = 200
_JSON_TYPE = re.compile(r"^application/(?:[\w.+-]+\+)?json$")

Hook = Callable[[Request[Any, Any, Any]], Awaitable[Any]]


class MalformedBody(DomainError):
    status_code = 400


def is_json_media_type(content_type: str | None) -> bool:
    """``application/json`` or ``application/<anything>+json``, parameters ignored."""
    if not content_type:
        return False
    return bool(_JSON_TYPE.match(content_type.split(";", 1)[0].strip().lower()))


def takes_json_body(handler: HTTPRouteHandler) -> bool:
    """Whether ``handler`` reads a JSON ``data`` body (form and multipart handlers do not)."""
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return False
    kwarg = data.kwarg_definition
    media_type = kwarg.media_type if isinstance(kwarg, BodyKwarg) else RequestEncodingType.JSON
    return media_type == RequestEncodingType.JSON


def too_deep(value: Any, limit: int = MAX_JSON_DEPTH) -> str | None:
    """Path (``a.b[2]``) of the first place in a decoded JSON value nested deeper than ``limit``."""
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, Mapping | list):
            if depth >= limit:
                return path or "body"
            children = item.items() if isinstance(item, Mapping) else enumerate(item)
            for key, child in children:
                stack.append((child, _join(path, key), depth + 1))
    return None


def too_deep_in_bytes(body: bytes, limit: int = MAX_JSON_DEPTH) -> str:
    """Path of the first place in raw JSON nested deeper than ``limit``.

    For bodies the decoder refused as too deep: it scans the text once, tracking the open
    objects and arrays (with the current key or index of each) and ignoring what is in strings.
    """
    text = body.decode("utf-8", errors="replace")
    path: list[str | int] = []  # current key or index per open container
    kinds: list[str] = []
    i, n = 0, len(text)
    pending_key: str | None = None
    while i < n:
        ch = text[i]
        if ch == '"':
            end = i + 1
            while end < n and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            literal = text[i : end + 1]
            i = end + 1
            if kinds and kinds[-1] == "{" and _next_significant(text, i) == ":":
                try:
                    pending_key = msgspec.json.decode(literal.encode())
                except msgspec.DecodeError:
                    pending_key = literal.strip('"')
            continue
        if ch in "{[":
            if len(kinds) >= limit:
                return _render(path)
            kinds.append(ch)
            path.append(0 if ch == "[" else "")
        elif ch in "}]":
            if kinds:
                kinds.pop()
                path.pop()
        elif ch == "," and kinds and kinds[-1] == "[":
            index = path[-1]
            path[-1] = index + 1 if isinstance(index, int) else 0
        elif ch == ":" and kinds and kinds[-1] == "{" and pending_key is not None:
            path[-1], pending_key = pending_key, None
        i += 1
    return _render(path)


def _next_significant(text: str, i: int) -> str:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return text[i] if i < len(text) else ""


def _join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def _render(parts: list[str | int]) -> str:
    path = ""
    for part in parts:
        path = _join(path, part)
    return path or "body"


def too_deep_error(field: str) -> DomainError:
    return COMMON.invalid(field, "validation.too_deep", depth=MAX_JSON_DEPTH)


class NoSuchPath(DomainError):
    status_code = 404


async def check_query(request: Request[Any, Any, Any]) -> None:
    """Refuse control characters in any query parameter, naming it (422); no path has them (404)."""
    path = request.url.path
    if _CONTROL.search(path) or any(len(part) > MAX_PATH_SEGMENT for part in path.split("/")):
        # e.g. /static/%00 or a 300-character file name: the static file handler would hand them
        # to the file system, which refuses them with an error of its own (a 500).
        raise COMMON.error(NoSuchPath, "request.no_such_path")
    for key, value in request.query_params.multi_items():
        if _CONTROL.search(key) or _CONTROL.search(value):
            name = _CONTROL.sub("?", key)
            raise COMMON.invalid(name, "validation.control_character")


async def check_json_body(request: Request[Any, Any, Any]) -> None:
    """For handlers taking a JSON body: media type, UTF-8 and nesting depth."""
    if request.method in ("GET", "HEAD", "OPTIONS") or not takes_json_body(request.route_handler):
        return
    content_type = request.headers.get("content-type")
    body = await request.body()
    if not body and content_type is None:
        return  # no body at all: the handler's own validation says what is missing
    if not is_json_media_type(content_type):
        raise COMMON.error(
            UnsupportedMediaType,
            "request.unsupported_media_type",
            content_type=content_type or COMMON.text("request.unsupported_media_type#no_content_type"),
            errors=[COMMON.field("content-type", "request.unsupported_media_type#json_only")],
        )
    try:
        body.decode("utf-8")  # RFC 8259: JSON exchanged between systems is UTF-8
    except UnicodeDecodeError:
        raise COMMON.field_error(MalformedBody, "body", "request.invalid_utf8") from None
    try:
        value = msgspec.json.decode(body)
    except RecursionError:
        raise too_deep_error(too_deep_in_bytes(body)) from None
    except msgspec.DecodeError:
        return  # malformed JSON: Litestar's decoder says so (400 naming body)
    path = too_deep(value)
    if path is not None:
        raise too_deep_error(path)


async def check_request(request: Request[Any, Any, Any]) -> None:
    await check_query(request)
    await check_json_body(request)


def run_in_order(*hooks: Hook) -> Hook:
    """One ``before_request`` hook running ``hooks`` in order (Litestar keeps one per layer)."""

    async def run(request: Request[Any, Any, Any]) -> Any:
        for hook in hooks:
            answer = await hook(request)
            if answer is not None:
                return answer
        return None

    return run
