"""Which problem responses and which security each operation documents, derived from its handler.

One rule set, applied to every route handler when the app is built (:func:`apply_contract`), so a
new handler is documented the moment it exists and no decorator repeats the error shape:

========================================  =====================================================
the handler ...                           documents
========================================  =====================================================
has query, header or cookie parameters    400 (a parameter of the wrong type or out of range),
                                          422 (a value the service refuses, e.g. a cursor)
takes a request body                      400, 413 (too large), 415 (not JSON), 422
depends on ``user`` or has guards         401, 403 (role, organisation, CSRF); a token is needed
depends on ``principal`` (optional)       401 (a token that is sent must be valid); token optional
is public, in an app that checks a sent   401 (``apply_contract(app, token_checked_always=True)``:
  Bearer token on every request             a broken token is refused rather than ignored)
has path parameters                       404 (also for objects the caller may not know exist)
writes (POST, PUT, PATCH, DELETE with     409 (duplicate, invalid transition, concurrent update)
  the writing ``db_session``)
takes a body with an id in it             404 (the object the id names does not exist)
uses ``db_session`` or ``db_read``         503 (``db.unavailable``: the database is unreachable)
depends on ``principal``/``user``, or is  503 only when a token is sent (checking it reads the
  in an app that checks every token        database); noted in the 503's description
is listed in :data:`KNOWN`                what is listed there (429 with ``Retry-After``, ...)
gets an :class:`Addition` from a plugin   the plugin's parameters, statuses and notes (e.g. the
                                          ``Idempotency-Key`` header, its 422 and 409s)
========================================  =====================================================

A plugin that reads something of the request outside the handler's signature (a header) or answers
for the handler (a replay, a conflict) says so by implementing :class:`ContractSource`;
:func:`apply_contract` asks every such plugin of the app, so one place decides each operation's
parameters and responses. ``Retry-After`` is documented on every 429 (always sent), 409 and 503
(sent when a retry can succeed: a lost serialization race, a key in flight, the database away).

Per-handler overrides live in the handler's (or its router's) ``opt``:
``opt={"problems": {429: True, 404: False}}`` adds or removes statuses, ``opt={"auth": "public"}``
(or ``"optional"``, ``"required"``) overrides the derived security.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIHeader, OpenAPIResponse, OpenAPIType, Operation, Parameter, Reference, Schema
from litestar.routes import HTTPRoute

from service.contract.handlers import (
    CONSTRAINTS,
    body_names_an_id,
    dependency_closure,
    has_request_parameters,
    parameter_definitions,
)
from service.errors import PROBLEM_JSON, Problem

Auth = Literal["public", "optional", "required"]

BEARER = "BearerToken"
COOKIE = "SessionCookie"

#: Statuses that nothing on these handlers shows: the sign-in limits live in the auth service, not
#: in a guard (429); a password or an OIDC round trip can fail (401); OIDC may not be configured
#: (404); a sign-up may not found a bank or admin organisation (403 ``auth.role_not_self_service``);
#: no external sign-in may be waiting to be linked (404 ``oidc.no_pending_link``); the health
#: check reports an unreachable database (503). ``tests/contract`` checks that every entry names an
#: operation that exists.
KNOWN: dict[tuple[str, str], frozenset[int]] = {
    ("POST", "/api/v1/auth/login"): frozenset({401, 429}),
    ("POST", "/api/v1/auth/signup"): frozenset({403, 429}),
    ("GET", "/api/v1/auth/oidc/login"): frozenset({401, 404}),
    ("GET", "/api/v1/auth/oidc/callback"): frozenset({401, 404}),
    ("GET", "/api/v1/auth/oidc/link"): frozenset({404}),
    ("POST", "/api/v1/auth/oidc/link"): frozenset({404}),
    ("DELETE", "/api/v1/auth/oidc/link"): frozenset({404}),
    ("GET", "/health"): frozenset({503}),
}

#: What each status means in this API; the same text on every operation.
DESCRIPTIONS = {
    400: "Malformed request: unreadable JSON, or a parameter or field of the wrong type, format or range "
    "(`errors[]` names each one).",
    401: "Not signed in, or the token or session cookie is invalid, expired or ended.",
    403: "Signed in but not allowed: a role, organisation membership or CSRF token is missing.",
    404: "No such object, or one the caller may not know exists.",
    409: "Conflicts with the current state: a duplicate, a transition the object's status does not allow, "
    "or a concurrent change (retry).",
    413: "The request body is larger than the limit.",
    415: "The request body is not `application/json` (or `multipart/form-data` where a file is uploaded).",
    422: "Well-formed but refused: a value the service does not accept (an unknown reference, a rule across "
    "fields, a forged cursor); `errors[]` names each field.",
    429: "Too many attempts; retry after the number of seconds in `Retry-After`.",
    503: "A dependency (the database) is unreachable; retry later.",
}

_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: Dependencies that open a database session: a lost connection answers 503 ``db.unavailable``
#: (service.errors maps it), wherever in the request it happens.
_DATABASE = frozenset({"db_session", "db_read"})

_TOKEN_503 = "Here only when a token or session cookie is sent: checking it reads the database."

_PUBLIC_401 = (
    "Here only when an `Authorization: Bearer` token is sent and is invalid or its session ended: "
    "a broken token is refused, not ignored (send none to be answered anonymously)."
)
_PUBLIC_401_ALSO = "Also when an `Authorization: Bearer` token is sent and is invalid or its session ended."


@dataclass(frozen=True, slots=True)
class Addition:
    """What a plugin adds to the contract of a handler it acts on."""

    #: Parameters the plugin reads from the request (not in the handler's signature).
    parameters: tuple[Parameter, ...] = ()
    #: Problem statuses the plugin can answer with.
    problems: frozenset[int] = frozenset()
    #: A sentence per status, appended to that status's description (which codes, why).
    notes: Mapping[int, str] = dataclasses.field(default_factory=dict)
    #: Headers the plugin may set on a success response: name → (its schema, what it means).
    success_headers: Mapping[str, tuple[Schema, str]] = dataclasses.field(default_factory=dict)


@runtime_checkable
class ContractSource(Protocol):
    """A plugin that states what it adds to an operation: an :class:`Addition`, or its fields as a
    mapping (shared infrastructure such as service.idempotency does not import this composition
    root, by the domain order)."""

    def contract_addition(self, handler: HTTPRouteHandler) -> Addition | Mapping[str, Any] | None: ...


def _addition(value: Addition | Mapping[str, Any]) -> Addition:
    return value if isinstance(value, Addition) else Addition(**value)  # an unknown field is a TypeError


@dataclass(frozen=True, slots=True)
class Contract:
    """What one operation documents beyond its success response."""

    statuses: frozenset[int]
    auth: Auth
    parameters: tuple[Parameter, ...] = ()
    notes: Mapping[int, str] = dataclasses.field(default_factory=dict)
    success_headers: Mapping[str, tuple[Schema, str]] = dataclasses.field(default_factory=dict)


#: Response headers of problem responses, by status: (name, always sent, description).
PROBLEM_HEADERS: dict[int, tuple[str, bool, str]] = {
    429: ("Retry-After", True, "Seconds to wait before trying again."),
    409: ("Retry-After", False, "Sent when retrying can succeed (a concurrent change, a request in flight)."),
    503: ("Retry-After", False, "Seconds to wait before trying again, when known."),
}


def derive(
    handler: HTTPRouteHandler,
    method: str,
    path: str,
    path_parameters: Iterable[str],
    additions: Iterable[Addition] = (),
    *,
    token_checked_always: bool = False,
) -> Contract:
    """The contract of one operation (``method`` on ``path``) from what its handler declares and
    what plugins acting on it add."""
    names = dependency_closure(handler)
    path_parameters = set(path_parameters)
    statuses: set[int] = set()
    takes_body = "data" in names
    if takes_body:
        statuses |= {400, 413, 415, 422}
    if has_request_parameters(handler, path_parameters, names):
        statuses |= {400, 422}
    auth: Auth = "public"
    if "user" in names or handler.resolve_guards():
        auth = "required"
        statuses |= {401, 403}
    elif "principal" in names:
        auth = "optional"
        statuses.add(401)
        if method in _WRITES:
            statuses.add(403)  # a cookie-signed write without its CSRF token
    if path_parameters:
        statuses.add(404)
    if method in _WRITES and "db_session" in names:
        statuses.add(409)
    if takes_body and body_names_an_id(handler):
        statuses.add(404)
    statuses |= KNOWN.get((method, path), frozenset())
    parameters: list[Parameter] = []
    notes: dict[int, list[str]] = {}
    success_headers: dict[str, tuple[Schema, str]] = {}
    for addition in additions:
        statuses |= addition.problems
        success_headers.update(addition.success_headers)
        parameters.extend(p for p in addition.parameters if p.name not in {q.name for q in parameters})
        for status, note in addition.notes.items():
            notes.setdefault(status, []).append(note)
    if auth == "public" and token_checked_always:
        notes.setdefault(401, []).append(_PUBLIC_401_ALSO if 401 in statuses else _PUBLIC_401)
        statuses.add(401)
    if names & _DATABASE:
        statuses.add(503)
    elif auth != "public" or token_checked_always:
        # The caller's token is looked up in the database (service.auth.principal) before the
        # handler runs; without a token such a handler never touches the database.
        if 503 not in statuses:
            notes.setdefault(503, []).append(_TOKEN_503)
        statuses.add(503)
    for status, wanted in (handler.opt.get("problems") or {}).items():
        (statuses.add if wanted else statuses.discard)(int(status))
    auth = handler.opt.get("auth", auth)
    joined = {status: " ".join(texts) for status, texts in notes.items() if status in statuses}
    return Contract(frozenset(statuses), auth, tuple(parameters), joined, success_headers)


def problem_responses(statuses: Iterable[int], notes: Mapping[int, str] | None = None) -> dict[int, ResponseSpec]:
    notes = notes or {}
    return {
        status: ResponseSpec(
            data_container=Problem,
            media_type=PROBLEM_JSON,
            description=" ".join(
                filter(None, [DESCRIPTIONS.get(status, "Problem details (RFC 9457)."), notes.get(status)])
            ),
            generate_examples=False,
        )
        for status in sorted(statuses)
    }


@dataclass
class _ContractOperation(Operation):
    """An operation as the contract states it: only problem-details errors, and explicit security.

    Subclassed per handler by :func:`apply_contract` (``_handler`` and ``_contract`` set), so
    parameters can be stated as the handler validates them, with what plugins add.
    """

    def _state_additions(self) -> None:
        contract: Contract | None = getattr(type(self), "_contract", None)
        if contract is None:
            return
        parameters = list(self.parameters or [])
        present = {(p.name, p.param_in) for p in parameters if isinstance(p, Parameter)}
        parameters.extend(p for p in contract.parameters if (p.name, p.param_in) not in present)
        self.parameters = parameters or None
        for status, response in (self.responses or {}).items():
            if not isinstance(response, OpenAPIResponse):
                continue
            headers = dict(response.headers or {})
            if int(status) < 300:
                for name, (schema, description) in contract.success_headers.items():
                    headers[name] = OpenAPIHeader(schema=schema, required=False, description=description)
            elif (header := PROBLEM_HEADERS.get(int(status))) is not None:
                name, required, description = header
                headers[name] = OpenAPIHeader(
                    schema=Schema(type=OpenAPIType.INTEGER, minimum=0), required=required, description=description
                )
            response.headers = headers or None

    def _state_parameters(self) -> None:
        handler: HTTPRouteHandler | None = getattr(type(self), "_handler", None)
        if handler is None or not self.parameters:
            return
        definitions = parameter_definitions(handler)
        for parameter in self.parameters:
            schema = getattr(parameter, "schema", None)
            if isinstance(parameter, Reference) or not isinstance(schema, Schema) or parameter.param_in == "path":
                continue
            # A query parameter is a string or absent, never JSON null: "absent" is how None is sent.
            if schema.one_of and len(schema.one_of) == 2:
                kept = [s for s in schema.one_of if not (isinstance(s, Schema) and s.type == OpenAPIType.NULL)]
                if len(kept) == 1 and isinstance(kept[0], Schema):
                    for key, value in vars(kept[0]).items():
                        if value is not None and getattr(schema, key, None) is None:
                            setattr(schema, key, value)
                    schema.one_of = None
            # Litestar drops a bound that is 0 (``ge=0``): state every bound the handler checks.
            definition = definitions.get(parameter.name)
            for attribute, keyword in CONSTRAINTS.items():
                value = getattr(definition, attribute, None)
                if value is not None and getattr(schema, keyword, None) is None:
                    setattr(schema, keyword, value)

    def __post_init__(self) -> None:
        self._state_additions()
        self._state_parameters()
        # Litestar adds its own 400 ({status_code, detail, extra}) to every handler with parameters;
        # path parameters that fail to parse answer 404 here, and every error is a Problem.
        self.responses = {
            status: response
            for status, response in (self.responses or {}).items()
            if int(status) < 400 or PROBLEM_JSON in (getattr(response, "content", None) or {})
        }
        if (no_content := self.responses.get("204")) is not None and not isinstance(no_content, Reference):
            no_content.content = None  # a 204 has no body, whatever the handler's return annotation


@dataclass
class _PublicOperation(_ContractOperation):
    """An operation that answers without a token: ``security: []`` says so explicitly."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.security = []


@dataclass
class _OptionalAuthOperation(_ContractOperation):
    """Anonymous callers are answered too (the empty requirement); a token or cookie shows more."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.security = [{}, {BEARER: []}, {COOKIE: []}]


@dataclass
class _RequiredAuthOperation(_ContractOperation):
    def __post_init__(self) -> None:
        super().__post_init__()
        self.security = [{BEARER: []}, {COOKIE: []}]


_OPERATION_CLASSES: dict[Auth, type[Operation]] = {
    "public": _PublicOperation,
    "optional": _OptionalAuthOperation,
    "required": _RequiredAuthOperation,
}


def apply_contract(app: Litestar, *, token_checked_always: bool = False) -> Litestar:
    """Give every HTTP operation of ``app`` its problem responses and its security requirement.

    Responses a handler declares itself win over the derived ones; what plugins implementing
    :class:`ContractSource` add is part of the derived contract. ``token_checked_always`` says that
    the app checks a sent Bearer token before every request (public operations document 401 too).
    """
    sources = sorted((p for p in app.plugins if isinstance(p, ContractSource)), key=lambda p: type(p).__qualname__)
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            for method in handler.http_methods:
                additions = [_addition(a) for source in sources if (a := source.contract_addition(handler)) is not None]
                contract = derive(
                    handler,
                    method,
                    route.path_format,
                    route.path_parameters,
                    additions,
                    token_checked_always=token_checked_always,
                )
                own: dict[int, Any] = dict(handler.responses or {})
                handler.responses = {**problem_responses(contract.statuses, contract.notes), **own}
                base = _OPERATION_CLASSES[contract.auth]
                handler.operation_class = type(base.__name__, (base,), {"_handler": handler, "_contract": contract})
    return app
