"""The OpenAPI document states the contract: problem responses, security, exact request schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar import Litestar, get, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.enums import ParamType
from litestar.openapi.spec import Parameter, Schema
from litestar.routes import HTTPRoute

from service.app import create_app
from service.auth.principal import Principal
from service.contract import KNOWN, Addition
from service.contract.handlers import dependency_closure
from service.errors import PROBLEM_JSON
from service.settings import Settings

WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def app() -> Litestar:
    return create_app(Settings(data_dir=Path("/nonexistent"), secret_key="s" * 48), database_url="postgresql://-/-")


@pytest.fixture(scope="module")
def document(app: Litestar) -> dict[str, Any]:
    return app.openapi_schema.to_schema()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_litestars_error_shape_appears_nowhere(document):
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            props = node.get("properties") or {}
            assert not {"status_code", "extra"} <= set(props), node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)


def test_every_error_response_is_a_problem_in_problem_json(document):
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "code"}
    assert set(problem["properties"]) == {"type", "title", "status", "detail", "code", "errors"}
    seen = 0
    for method, path, op in operations(document):
        for status, response in op["responses"].items():
            if int(status) >= 400:
                assert list(response["content"]) == [PROBLEM_JSON], (method, path, status)
                assert response["content"][PROBLEM_JSON]["schema"] == {"$ref": "#/components/schemas/Problem"}
                seen += 1
    assert seen > 200


def test_problem_statuses_follow_from_each_handler(document):
    for method, path, op in operations(document):
        statuses = {int(s) for s in op["responses"]}
        if "requestBody" in op:
            assert {400, 413, 415, 422} <= statuses, (method, path)
        if "{" in path:
            assert 404 in statuses, (method, path)
        if any(p["in"] == "query" for p in op.get("parameters", [])):
            assert {400, 422} <= statuses, (method, path)
        if op["security"] == [{"BearerToken": []}, {"SessionCookie": []}]:
            assert {401, 403} <= statuses, (method, path)
        if op["security"] == [] and (method.upper(), path) not in KNOWN:
            assert 403 not in statuses, (method, path)
        assert 401 in statuses, (method, path)  # a broken Bearer token is refused everywhere
        if method == "get":
            assert 409 not in statuses, (method, path)
    ops = {(m.upper(), p): {int(s) for s in op["responses"]} for m, p, op in operations(document)}
    assert 429 in ops[("POST", "/api/v1/auth/login")]
    assert 429 in ops[("POST", "/api/v1/auth/signup")]
    assert 409 not in ops[("POST", "/api/v1/impact/calculate")]  # computes, writes nothing


def test_every_known_entry_names_an_operation(document):
    ops = {(m.upper(), p) for m, p, _ in operations(document)}
    assert set(KNOWN) <= ops


def test_public_operations_need_no_token_and_the_rest_say_which(document):
    assert "security" not in document  # no global requirement
    schemes = document["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    assert schemes["SessionCookie"]["in"] == "cookie"
    assert schemes["SessionCookie"]["name"] == "kyoso_session"
    security = {(m.upper(), p): op["security"] for m, p, op in operations(document)}
    for public in [
        ("GET", "/health"),
        ("GET", "/api/v1/impact/metrics"),
        ("GET", "/api/v1/regions/prefectures"),
        ("POST", "/api/v1/auth/login"),
        ("GET", "/api/v1/organisations"),
    ]:
        assert security[public] == [], public
    assert security[("GET", "/api/v1/projects")] == [{}, {"BearerToken": []}, {"SessionCookie": []}]
    assert security[("POST", "/api/v1/projects")] == [{"BearerToken": []}, {"SessionCookie": []}]
    assert security[("GET", "/api/v1/admin/audit")] == [{"BearerToken": []}, {"SessionCookie": []}]


def test_public_operations_say_when_they_answer_401(document):
    for method, path, op in operations(document):
        if op["security"] != []:
            continue
        described = op["responses"]["401"]["description"]
        assert "`Authorization: Bearer` token is sent and is invalid" in described, (method, path)
    login = document["paths"]["/api/v1/auth/login"]["post"]["responses"]["401"]["description"]
    assert login.startswith("Not signed in")
    assert "Also when" in login


def test_idempotent_operations_state_the_header_its_problems_and_the_replay(document):
    create = document["paths"]["/api/v1/projects"]["post"]
    (header,) = [p for p in create["parameters"] if p["name"] == "Idempotency-Key"]
    assert header["in"] == "header"
    assert header["required"] is False
    assert header["schema"]["pattern"] == r"^[\x21-\x7E]{1,255}$"
    responses = create["responses"]
    assert "idempotency.key_reused" in responses["409"]["description"]
    assert "idempotency.in_progress" in responses["409"]["description"]
    assert "idempotency.key_invalid" in responses["422"]["description"]
    assert list(responses["409"]["content"]) == [PROBLEM_JSON]
    assert responses["409"]["headers"]["Retry-After"]["required"] is False
    assert responses["201"]["headers"]["Idempotent-Replayed"]["schema"] == {"type": "string", "enum": ["true"]}
    # Not opted in: neither the header nor its notes.
    other = document["paths"]["/api/v1/projects/{project_id}"]["patch"]
    assert "Idempotency-Key" not in [p["name"] for p in other.get("parameters", [])]
    assert "idempotency" not in other["responses"]["409"]["description"]


def test_retry_after_is_stated_where_it_is_sent(document):
    signup = document["paths"]["/api/v1/auth/signup"]["post"]["responses"]
    assert signup["429"]["headers"]["Retry-After"]["required"] is True
    for method, path, op in operations(document):
        for status, response in op["responses"].items():
            if status in {"409", "429", "503"}:
                assert "Retry-After" in response.get("headers", {}), (method, path, status)


def test_every_operation_that_opens_a_database_session_documents_503(app, document):
    token_note = "Here only when a token or session cookie is sent"
    with_session = without = 0
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            uses_session = bool(dependency_closure(handler) & {"db_session", "db_read"})
            for method in handler.http_methods:
                responses = document["paths"][route.path_format][method.lower()]["responses"]
                unavailable = responses["503"]  # a sent token is looked up in the database everywhere
                assert list(unavailable["content"]) == [PROBLEM_JSON], (method, route.path_format)
                assert unavailable["headers"]["Retry-After"]["required"] is False
                if uses_session or (method, route.path_format) in KNOWN:
                    assert token_note not in unavailable["description"], (method, route.path_format)
                    with_session += uses_session
                else:
                    assert token_note in unavailable["description"], (method, route.path_format)
                    without += 1
    assert with_session > 50
    assert without >= 2  # e.g. the metric catalogue and the prefectures read no table


def test_the_evidence_upload_is_one_file_part_and_nothing_else(document):
    body = document["paths"]["/api/v1/claims/{claim_id}/evidence"]["post"]["requestBody"]
    assert body["required"] is True
    form = resolve(document, body["content"]["multipart/form-data"]["schema"])
    assert form["required"] == ["file"]
    assert form["additionalProperties"] is False
    assert form["properties"]["file"]["format"] == "binary"
    assert form["properties"]["file"]["contentMediaType"] == "application/octet-stream"


def test_a_replayed_event_is_a_documented_200(document):
    responses = document["paths"]["/api/v1/events"]["post"]["responses"]
    assert {"200", "201"} <= set(responses)
    assert responses["200"]["content"] == responses["201"]["content"]


def test_request_bodies_refuse_unknown_fields_where_the_decoder_does(document):
    bodies = 0
    for method, path, op in operations(document):
        content = op.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            continue
        schema = resolve(document, content["application/json"]["schema"])
        assert schema.get("additionalProperties") is False, (method, path, schema.get("title"))
        bodies += 1
    assert bodies > 15


def test_request_schemas_carry_patterns_and_enums(document):
    schemas = document["components"]["schemas"]
    codes = schemas["ProjectCreate"]["properties"]["municipality_codes"]
    assert codes["items"]["pattern"] == r"^\d{5}$"
    assert schemas["LivingSphereCreate"]["properties"]["member_codes"]["items"]["pattern"] == r"^\d{5}$"
    assert "KY-LM3" in schemas["CalculateRequest"]["properties"]["metric_id"]["enum"]
    assert "KY-LM3" in schemas["ClaimCreate"]["properties"]["metric_id"]["enum"]
    for method, path, op in operations(document):
        for parameter in op.get("parameters", []):
            if parameter["name"] == "cursor":
                assert parameter["schema"]["pattern"] == "^[A-Za-z0-9_-]{1,32}$", (method, path)


def test_decimals_are_numbers_with_their_precision_stated(document):
    schemas = document["components"]["schemas"]
    for name in ("ProjectSummary", "ProjectRead"):
        for field in ("expected_return_min_pct", "expected_return_max_pct"):
            prop = schemas[name]["properties"][field]
            assert prop["type"] == "number"
            assert "2 decimal places" in prop["description"]
        assert "4 decimal places" in str(schemas[name]["properties"]["lm3"])


def test_every_list_answers_a_page(document):
    lists = [
        "/api/v1/impact/metrics",
        "/api/v1/projects/{project_id}/claims",
        "/api/v1/regions/living-spheres",
        "/api/v1/admin/models",
        "/api/v1/organisations/{organisation_id}/members",
        "/api/v1/regions/prefectures",
        "/api/v1/projects/{project_id}/transitions",
    ]
    # The model versions' page also says what the service serves now, and why (issue 12).
    extras = {"/api/v1/admin/models": {"ranker", "model_version", "reason"}}
    for path in lists:
        ok = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        page = resolve(document, ok)
        assert set(page["properties"]) == {"items", "total", "limit", "next_cursor"} | extras.get(path, set()), path
        assert {"limit", "cursor"} <= {p["name"] for p in document["paths"][path]["get"]["parameters"]}


# ── the derivation on handlers of its own ────────────────────────────────────────────────────


class Thing(msgspec.Struct, forbid_unknown_fields=True):
    name: str


@post("/things", opt={"problems": {429: True, 409: False}})
async def make_thing(data: Thing, user: Principal) -> Thing:
    return data


@get("/things/{thing_id:int}", opt={"auth": "optional"})
async def one_thing(thing_id: int, state: State) -> Thing:
    return Thing(name=str(thing_id))


def test_opt_adds_and_removes_statuses_and_overrides_security():
    from service.contract import apply_contract

    async def provide_user() -> Principal:
        raise NotImplementedError

    app = apply_contract(Litestar([make_thing, one_thing], dependencies={"user": Provide(provide_user)}))
    doc = app.openapi_schema.to_schema()
    made = doc["paths"]["/things"]["post"]
    assert sorted(made["responses"]) == ["201", "400", "401", "403", "413", "415", "422", "429", "503"]
    assert made["security"] == [{"BearerToken": []}, {"SessionCookie": []}]
    one = doc["paths"]["/things/{thing_id}"]["get"]
    assert sorted(one["responses"]) == ["200", "404"]
    assert one["security"] == [{}, {"BearerToken": []}, {"SessionCookie": []}]


class Stamp:
    """A plugin of the test's own that reads a header and can answer 423 for the handlers it marks."""

    def contract_addition(self, handler: Any) -> Addition | None:
        if not handler.opt.get("stamped"):
            return None
        header = Parameter(name="X-Stamp", param_in=ParamType.HEADER, required=False, schema=Schema(type="string"))
        return Addition(parameters=(header,), problems=frozenset({423}), notes={423: "`stamp.locked`."})


@get("/stamped", opt={"stamped": True})
async def stamped() -> Thing:
    return Thing(name="x")


async def provide_nothing() -> None:
    return None


@get("/counted", dependencies={"db_read": Provide(provide_nothing)})
async def counted(db_read: None) -> Thing:
    return Thing(name="n")


@get("/constant")
async def constant() -> Thing:
    return Thing(name="c")


def test_503_follows_from_a_database_session_or_a_checked_token():
    from service.contract import apply_contract

    doc = apply_contract(Litestar([counted, constant])).openapi_schema.to_schema()
    assert "503" in doc["paths"]["/counted"]["get"]["responses"]
    assert "503" not in doc["paths"]["/constant"]["get"]["responses"]
    checked = apply_contract(Litestar([counted, constant]), token_checked_always=True).openapi_schema.to_schema()
    assert "token" not in checked["paths"]["/counted"]["get"]["responses"]["503"]["description"]
    assert "token" in checked["paths"]["/constant"]["get"]["responses"]["503"]["description"]


def test_a_plugin_adds_its_parameters_and_problems_through_the_one_contract():
    from service.contract import ContractSource, apply_contract

    assert isinstance(Stamp(), ContractSource)
    app = apply_contract(Litestar([stamped, one_thing], plugins=[Stamp()]), token_checked_always=True)
    doc = app.openapi_schema.to_schema()
    op = doc["paths"]["/stamped"]["get"]
    assert [p["name"] for p in op["parameters"]] == ["X-Stamp"]
    assert sorted(op["responses"]) == ["200", "401", "423", "503"]
    assert op["responses"]["423"]["description"].endswith("`stamp.locked`.")
    assert "Bearer" in op["responses"]["401"]["description"]
    assert "parameters" not in doc["paths"]["/things/{thing_id}"]["get"] or all(
        p["name"] != "X-Stamp" for p in doc["paths"]["/things/{thing_id}"]["get"]["parameters"]
    )
