"""Listing projects: filters (region, sphere, sector, instrument, ticket, status, text), sort, cursor."""

from __future__ import annotations

import pytest

from service.demo import data
from service.demo.loader import load_demo
from service.models.enums import Role
from tests.service.helpers import project_payload


@pytest.fixture
async def demo(db):
    await load_demo(db)
    await db.commit()


async def test_prefecture_31_lists_the_local_energy_project(client, demo):
    response = await client.get("/api/v1/projects", params={"prefecture": 31})
    assert response.status_code == 200, response.text
    titles = [p["title_ja"] for p in response.json()["items"]]
    assert any("ローカルエナジー" in t for t in titles)
    assert all(31 in p["prefecture_codes"] for p in response.json()["items"])


async def test_public_list_shows_only_listed_statuses(client, demo, make_actor):
    lead = await make_actor(Role.project_lead)
    draft = await client.post("/api/v1/projects", json=project_payload(title_ja="非公開の下書き"), headers=lead.headers)
    assert draft.status_code == 201
    listed = (await client.get("/api/v1/projects", params={"limit": 200})).json()
    assert {p["status"] for p in listed["items"]} <= {"vetted", "funding", "funded", "closed"}
    assert draft.json()["id"] not in [p["id"] for p in listed["items"]]
    own = (await client.get("/api/v1/projects", params={"limit": 200}, headers=lead.headers)).json()
    assert draft.json()["id"] in [p["id"] for p in own["items"]]


@pytest.mark.parametrize(
    ("params", "expected_fragment"),
    [
        ({"municipality": "01581"}, "ミーツ"),
        ({"sector": "snow_removal"}, "きらりよしじま"),
        ({"instrument": "corporate_furusato", "prefecture": 7}, "会津若松"),
        ({"instrument": "social_impact_bond"}, "伊那市"),
        ({"q": "オンライン診療"}, "伊那市"),
        ({"q": "on-demand"}, "三豊市"),
        ({"q": "乗り放題"}, "三豊市"),
    ],
)
async def test_filters_find_the_demo_case(client, demo, params, expected_fragment):
    items = (await client.get("/api/v1/projects", params=params)).json()["items"]
    assert len(items) == 1, items
    assert expected_fragment in items[0]["title_ja"]


async def test_living_sphere_filter_covers_member_municipalities(client, demo):
    spheres = (await client.get("/api/v1/regions/living-spheres")).json()["items"]
    yonago = next(s for s in spheres if s["name_ja"].startswith("米子"))
    assert "31204" in yonago["member_codes"]
    items = (await client.get("/api/v1/projects", params={"living_sphere": yonago["id"]})).json()["items"]
    assert [p["organisation"]["name_ja"] for p in items] == ["ローカルエナジー株式会社"]


async def test_ticket_max_keeps_projects_whose_minimum_ticket_fits(client, demo):
    items = (await client.get("/api/v1/projects", params={"ticket_max": 100_000, "limit": 50})).json()["items"]
    assert items
    assert all(p["min_ticket_yen"] <= 100_000 for p in items)
    everything = (await client.get("/api/v1/projects", params={"limit": 50})).json()
    assert everything["total"] > len(items)


async def test_sort_and_cursor_walk_every_row_once(client, demo):
    curated = len(data.PROJECTS)
    first = (await client.get("/api/v1/projects", params={"sort": "funding_target_yen", "limit": 4})).json()
    assert first["total"] == curated
    second = (
        await client.get(
            "/api/v1/projects", params={"sort": "funding_target_yen", "limit": 4, "cursor": first["next_cursor"]}
        )
    ).json()
    assert second["next_cursor"] is None
    amounts = [p["funding_target_yen"] for p in first["items"] + second["items"]]
    assert amounts == sorted(amounts)
    assert len({p["id"] for p in first["items"] + second["items"]}) == curated


async def test_status_filter_combines_with_visibility(client, demo):
    funding = (await client.get("/api/v1/projects", params={"status": "funding"})).json()["items"]
    assert funding
    assert {p["status"] for p in funding} == {"funding"}
    drafts = (await client.get("/api/v1/projects", params={"status": "draft"})).json()
    assert drafts["total"] == 0


def test_list_sql_is_compiled_once_per_filter_shape():
    from service.models.enums import Sector
    from service.projects.queries import ProjectFilters, Visibility, prepared_list

    tottori, sql_a = prepared_list(ProjectFilters(prefecture=31), Visibility(), limit=20, offset=0)[::-1]
    tokyo, sql_b = prepared_list(ProjectFilters(prefecture=13), Visibility(), limit=50, offset=40)[::-1]
    assert sql_a is sql_b  # the same cached text: values travel as parameters
    assert 31 in tottori
    assert 13 in tokyo
    assert 50 in tokyo
    other_sql, args = prepared_list(ProjectFilters(sectors=(Sector.energy,)), Visibility(), limit=20, offset=0)
    assert other_sql != sql_a
    assert ["energy"] in args
