"""``observer`` is for admins (and auditors) only; every room write takes an Idempotency-Key, so a
retried move, NDA or invitation is answered from the first response instead of acting twice."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from service.models import DealRoomAccessRequest, DealRoomNda, DealRoomStageMove, Notification
from service.models.enums import Role
from tests.service.deal_rooms.support import API, add_project, open_room


def _seat(actor: Any, role: str) -> dict[str, str]:
    return {"user_id": str(actor.user.id), "organisation_id": str(actor.organisation.id), "role": role}


async def test_only_an_admin_may_be_an_observer(client, db, make_actor):
    lead = await make_actor(Role.project_lead)
    admin = await make_actor(Role.admin)
    bank = await make_actor(Role.bank)
    room = await open_room(client, lead, await add_project(db, lead))
    url = f"{API}/deal-rooms/{room}/participants"

    refused = await client.post(url, json=_seat(bank, "observer"), headers=lead.headers)
    english = await client.post(url, json=_seat(bank, "observer"), headers={**lead.headers, "Accept-Language": "en"})
    allowed = await client.post(url, json=_seat(admin, "observer"), headers=lead.headers)

    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["code"] == "deal_room.observer_admin_only"
    assert [e["field"] for e in problem["errors"]] == ["role"]
    assert problem["errors"][0]["message"]["ja"].startswith("役割「observer」")
    assert english.json()["detail"] == "The role 'observer' may be given only to admins and auditors."
    assert allowed.status_code == 201, allowed.text
    assert allowed.json()["role"] == "observer"


async def test_an_access_request_cannot_be_answered_with_observer_for_a_non_admin(client, db, make_actor):
    lead = await make_actor(Role.project_lead)
    investor = await make_actor(Role.investor)
    project = await add_project(db, lead)
    room = await open_room(client, lead, project)
    asked = await client.post(
        f"{API}/projects/{project}/deal-room/access-requests", json={"note": "見学したい"}, headers=investor.headers
    )
    decision = {"decision": "accept", "reason": "どうぞ", "role": "observer"}

    refused = await client.post(
        f"{API}/deal-rooms/{room}/access-requests/{asked.json()['id']}/decision", json=decision, headers=lead.headers
    )

    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "role"
    status = await db.scalar(select(DealRoomAccessRequest.status).where(DealRoomAccessRequest.room_id == room))
    assert status == "pending"  # nothing half-written


async def _count(db: Any, table: Any, room: str) -> int:
    return int(await db.scalar(select(func.count()).select_from(table).where(table.room_id == room)) or 0)


@pytest.mark.parametrize("write", ["move", "nda", "invite"])
async def test_a_retried_room_write_with_its_key_is_answered_once(client, db, make_actor, write):
    lead = await make_actor(Role.project_lead)
    bank = await make_actor(Role.bank)
    room = await open_room(client, lead, await add_project(db, lead))
    path, body, table = {
        "move": ("transitions", {"to_stage": "nda", "reason": "進めます"}, DealRoomStageMove),
        "nda": ("nda", {"text_ja": "第二版", "text_en": "Second version"}, DealRoomNda),
        "invite": ("participants", _seat(bank, "bank"), Notification),
    }[write]
    url, headers = f"{API}/deal-rooms/{room}/{path}", {**lead.headers, "Idempotency-Key": f"retry-{write}"}
    before = await _count(db, table, room)

    first = await client.post(url, json=body, headers=headers)
    retried = await client.post(url, json=body, headers=headers)

    assert first.status_code == 201, first.text
    assert (retried.status_code, retried.json()) == (201, first.json())
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert await _count(db, table, room) == before + 1
    # Without the key the same request is a new one: a second version, or refused as a repeat.
    unkeyed = await client.post(url, json=body, headers=lead.headers)
    assert unkeyed.status_code == (201 if write == "nda" else 409), unkeyed.text


async def test_a_retried_removal_with_its_key_replays_the_204(client, db, make_actor):
    lead = await make_actor(Role.project_lead)
    bank = await make_actor(Role.bank)
    room = await open_room(client, lead, await add_project(db, lead))
    seated = await client.post(f"{API}/deal-rooms/{room}/participants", json=_seat(bank, "bank"), headers=lead.headers)
    url = f"{API}/deal-rooms/{room}/participants/{seated.json()['id']}"
    headers = {**lead.headers, "Idempotency-Key": "remove-bank"}

    first = await client.delete(url, headers=headers)
    retried = await client.delete(url, headers=headers)
    unkeyed = await client.delete(url, headers=lead.headers)

    assert (first.status_code, retried.status_code) == (204, 204)
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert unkeyed.status_code == 404  # gone already: without the key a retry would look like a failure
