"""Interaction events: idempotent on the client's id, only for your own profiles and visible
projects, readable by their owner (admins: all), and a project read by an investor is a view."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from service.models import InteractionEvent, InvestorProfile
from service.models.enums import Role
from tests.service.helpers import project_row

API = "/api/v1"


def _project(org_id, user_id, *, status="funding", title="イベント検証の案件"):
    return project_row(org_id, user_id, status, title_ja=title, title_en="Event test project")


def _profile(user_id, *, discoverable=True):
    return InvestorProfile(
        owner_user_id=user_id,
        created_by=user_id,
        display_name_ja="検証 投資家",
        display_name_en="Test investor",
        investor_type="individual",
        ticket_min_yen=100_000,
        ticket_max_yen=5_000_000,
        risk_tolerance="medium",
        discoverable=discoverable,
    )


@pytest.fixture
async def world(db, make_actor):
    lead = await make_actor(Role.project_lead)
    investor = await make_actor(Role.investor)
    other = await make_actor(Role.investor)
    admin = await make_actor(Role.admin)
    listed = _project(lead.organisation.id, lead.user.id)
    draft = _project(lead.organisation.id, lead.user.id, status="draft", title="下書き")
    mine, theirs = _profile(investor.user.id), _profile(other.user.id)
    db.add_all([listed, draft, mine, theirs])
    await db.commit()
    return {
        "lead": lead,
        "investor": investor,
        "other": other,
        "admin": admin,
        "listed": listed.id,
        "draft": draft.id,
        "mine": mine.id,
        "theirs": theirs.id,
    }


def _event(w, **overrides):
    return {
        "id": str(uuid.uuid4()),
        "investor_id": str(w["mine"]),
        "project_id": str(w["listed"]),
        "kind": "bookmark",
        **overrides,
    }


async def _count(db) -> int:
    return (await db.execute(select(func.count()).select_from(InteractionEvent))).scalar_one()


async def test_recording_an_event_twice_returns_the_stored_event(client, db, world):
    body = _event(world, at="2026-01-05T09:00:00+09:00")
    first = await client.post(f"{API}/events", json=body, headers=world["investor"].headers)
    assert first.status_code == 201, first.text
    again = await client.post(f"{API}/events", json=body, headers=world["investor"].headers)
    assert again.status_code == 200, again.text
    assert again.json() == first.json()
    assert first.json()["at"].startswith("2026-01-05T00:00:00")
    assert await _count(db) == 1


async def test_reusing_an_event_id_for_other_content_is_a_conflict(client, db, world):
    body = _event(world)
    assert (await client.post(f"{API}/events", json=body, headers=world["investor"].headers)).status_code == 201
    clash = await client.post(f"{API}/events", json={**body, "kind": "commit"}, headers=world["investor"].headers)
    assert clash.status_code == 409, clash.text
    assert clash.json()["code"] == "event.id_reused"
    assert await _count(db) == 1


@pytest.mark.parametrize(
    ("override", "code"),
    [
        ({"investor_id": "theirs"}, "investor_profile.not_found"),
        ({"investor_id": str(uuid.UUID(int=7))}, "investor_profile.not_found"),
        ({"project_id": str(uuid.UUID(int=7))}, "project.not_found"),
        ({"project_id": "draft"}, "project.not_found"),
    ],
    ids=["someone_elses_profile", "unknown_profile", "unknown_project", "hidden_draft"],
)
async def test_events_for_profiles_you_do_not_own_or_projects_you_cannot_see_are_404(client, db, world, override, code):
    body = _event(world, **{k: str(world.get(v, v)) for k, v in override.items()})
    response = await client.post(f"{API}/events", json=body, headers=world["investor"].headers)
    assert response.status_code == 404, response.text
    assert response.json()["code"] == code
    assert await _count(db) == 0


@pytest.mark.parametrize(
    ("override", "status", "field"),
    [
        ({"kind": "like"}, 400, "kind"),
        ({"id": "not-a-uuid"}, 400, "id"),
        ({"at": "yesterday"}, 400, "at"),
        ({"at": "2026-01-05T09:00:00"}, 400, "at"),
        ({"at": (datetime.now(UTC) + timedelta(days=1)).isoformat()}, 422, "at"),
        ({"score": 5}, 400, "score"),
    ],
    ids=["unknown_kind", "id_not_uuid", "at_not_a_time", "at_without_timezone", "at_in_future", "unknown_field"],
)
async def test_malformed_events_name_the_field_in_ja_and_en(client, db, world, override, status, field):
    response = await client.post(f"{API}/events", json=_event(world, **override), headers=world["investor"].headers)
    assert response.status_code == status, response.text
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert errors[0]["message"]["ja"]
    assert errors[0]["message"]["en"]
    assert await _count(db) == 0


async def test_anonymous_callers_cannot_record_or_read_events(client, world):
    assert (await client.post(f"{API}/events", json=_event(world))).status_code == 401
    assert (await client.get(f"{API}/events")).status_code == 401


async def test_investors_read_only_their_own_events_and_admins_read_all(client, db, world):
    for who, profile in (("investor", "mine"), ("other", "theirs")):
        body = _event(world, investor_id=str(world[profile]), kind="interest")
        assert (await client.post(f"{API}/events", json=body, headers=world[who].headers)).status_code == 201
    own = (await client.get(f"{API}/events", headers=world["investor"].headers)).json()
    assert [e["investor_id"] for e in own["items"]] == [str(world["mine"])]
    asked_for_theirs = await client.get(
        f"{API}/events", params={"investor_id": str(world["theirs"])}, headers=world["investor"].headers
    )
    assert asked_for_theirs.json()["items"] == []
    everything = (await client.get(f"{API}/events", headers=world["admin"].headers)).json()
    assert everything["total"] == 2


async def test_event_list_filters_and_pages(client, world):
    headers = world["investor"].headers
    for i, kind in enumerate(["view", "bookmark", "view"]):
        at = f"2026-0{i + 1}-01T00:00:00Z"
        assert (await client.post(f"{API}/events", json=_event(world, kind=kind, at=at), headers=headers)).is_success
    views = (await client.get(f"{API}/events", params={"kind": "view"}, headers=headers)).json()
    assert views["total"] == 2
    recent = (await client.get(f"{API}/events", params={"since": "2026-02-01T00:00:00Z"}, headers=headers)).json()
    assert recent["total"] == 2
    first = (await client.get(f"{API}/events", params={"limit": 2}, headers=headers)).json()
    assert first["items"][0]["at"].startswith("2026-03-01")  # newest first
    rest = await client.get(f"{API}/events", params={"limit": 2, "cursor": first["next_cursor"]}, headers=headers)
    assert [e["kind"] for e in rest.json()["items"]] == ["view"]
    assert rest.json()["next_cursor"] is None


async def test_reading_a_project_as_an_investor_records_one_view(client, db, world):
    url = f"{API}/projects/{world['listed']}"
    assert (await client.get(url, headers=world["investor"].headers)).status_code == 200
    assert (await client.get(url, headers=world["investor"].headers)).status_code == 200  # a reload: same view
    assert (await client.get(url, headers=world["lead"].headers)).status_code == 200  # no investor profile
    assert (await client.get(url)).status_code == 200
    rows = (await db.execute(select(InteractionEvent.investor_profile_id, InteractionEvent.kind))).all()
    assert [(r.investor_profile_id, r.kind) for r in rows] == [(world["mine"], "view")]


async def test_a_hidden_project_read_records_nothing(client, db, world):
    response = await client.get(f"{API}/projects/{world['draft']}", headers=world["investor"].headers)
    assert response.status_code == 404
    assert await _count(db) == 0
