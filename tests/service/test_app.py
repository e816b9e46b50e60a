"""The app's edges: health, OpenAPI, the landing page, and problem details for unknown routes."""

from __future__ import annotations

from service.demo.loader import load_demo


async def test_health_checks_the_database(client):
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_openapi_3_1_documents_the_api(client):
    schema = (await client.get("/schema/openapi.json")).json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/projects" in schema["paths"]
    assert "BearerToken" in schema["components"]["securitySchemes"]
    ui = await client.get("/schema")
    assert ui.status_code == 200
    assert "text/html" in ui.headers["content-type"]


async def test_landing_page_lists_listed_projects_in_japanese_first(client, db):
    await load_demo(db)
    await db.commit()
    page = await client.get("/")
    assert page.status_code == 200
    assert '<html lang="ja">' in page.text
    assert "ローカルエナジー" in page.text
    assert "/schema" in page.text


async def test_unknown_route_is_a_problem_not_a_page(client):
    response = await client.get("/api/v1/nothing-here", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["title"] == "Not found"


async def test_wrong_method_is_405_problem(client):
    response = await client.delete("/api/v1/projects")
    assert response.status_code == 405
    assert response.json()["code"] == "http.405"
