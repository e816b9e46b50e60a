"""The live feed over plain HTTP (in process, rolled back): sending, paging through the history
with the room's events in it, and who may write."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from service.models import DealRoomMessage
from service.models.enums import Role
from tests.service.deal_rooms.support import API, accept_nda, add_project, invite, open_room

pytestmark = pytest.mark.asyncio


async def _room(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    bank = await make_actor(Role.bank)
    room = await open_room(client, lead, await add_project(db, lead))
    await invite(client, lead, room, bank, "bank")
    assert (await accept_nda(client, bank, room)).status_code == 201
    return lead, bank, room


async def test_messages_and_room_events_are_one_numbered_history(client, make_actor, db):
    lead, bank, room = await _room(client, make_actor, db)
    url = f"{API}/deal-rooms/{room}/messages"

    first = await client.post(url, json={"body": "はじめまして"}, headers=bank.headers)
    moved = await client.post(
        f"{API}/deal-rooms/{room}/transitions", json={"to_stage": "nda", "reason": "NDA へ"}, headers=lead.headers
    )
    second = await client.post(url, json={"body": "よろしくお願いします"}, headers=lead.headers)

    assert first.status_code == 201, first.text
    assert moved.status_code == 201
    assert second.status_code == 201
    assert first.json()["author_id"] == str(bank.user.id)
    assert first.json()["kind"] == "chat"
    page = (await client.get(url, headers=bank.headers)).json()
    assert [(i["id"], i["kind"], i["body"] or i["ref"]) for i in page["items"]] == [
        (1, "nda_published", "1"),
        (2, "chat", "はじめまして"),
        (3, "stage", "nda"),
        (4, "chat", "よろしくお願いします"),
    ]
    assert page["total"] == 4
    after = (await client.get(url, params={"after": 2, "limit": 1}, headers=lead.headers)).json()
    assert [i["id"] for i in after["items"]] == [3]
    assert after["total"] == 2
    rest = await client.get(url, params={"after": 2, "limit": 1, "cursor": after["next_cursor"]}, headers=lead.headers)
    assert [i["id"] for i in rest.json()["items"]] == [4]
    assert rest.json()["next_cursor"] is None


async def test_a_retried_send_with_the_same_key_is_stored_once(client, make_actor, db):
    _, bank, room = await _room(client, make_actor, db)
    headers = {**bank.headers, "Idempotency-Key": "send-1"}
    url = f"{API}/deal-rooms/{room}/messages"
    one = await client.post(url, json={"body": "一度だけ"}, headers=headers)
    two = await client.post(url, json={"body": "一度だけ"}, headers=headers)
    assert one.status_code == two.status_code == 201
    assert two.headers["idempotent-replayed"] == "true"
    stored = await db.scalar(select(func.count()).select_from(DealRoomMessage).where(DealRoomMessage.kind == "chat"))
    assert stored == 1


async def test_observers_read_but_do_not_write_and_nobody_writes_in_a_closed_room(client, make_actor, db):
    lead, bank, room = await _room(client, make_actor, db)
    admin = await make_actor(Role.admin)
    await invite(client, lead, room, admin, "observer")
    await accept_nda(client, admin, room)
    url = f"{API}/deal-rooms/{room}/messages"

    refused = await client.post(url, json={"body": "監査人です"}, headers=admin.headers)
    assert refused.status_code == 403
    assert refused.json()["code"] == "deal_room.action_not_allowed"
    assert (await client.get(url, headers=admin.headers)).status_code == 200

    cancelled = await client.post(
        f"{API}/deal-rooms/{room}/transitions", json={"to_stage": "cancelled", "reason": "中止"}, headers=lead.headers
    )
    assert cancelled.status_code == 201
    late = await client.post(url, json={"body": "まだ話せますか"}, headers=bank.headers)
    assert late.status_code == 403
    history = (await client.get(url, headers=bank.headers)).json()["items"]
    assert history[-1]["kind"] == "stage"
    assert history[-1]["ref"] == "cancelled"


async def test_leaving_and_removal_are_room_events(client, make_actor, db):
    lead, bank, room = await _room(client, make_actor, db)
    investor = await make_actor(Role.investor)
    joined = await invite(client, lead, room, investor, "investor")
    assert (await client.post(f"{API}/deal-rooms/{room}/leave", headers=bank.headers)).status_code == 204
    removed = await client.delete(f"{API}/deal-rooms/{room}/participants/{joined['id']}", headers=lead.headers)
    assert removed.status_code == 204
    items = (await client.get(f"{API}/deal-rooms/{room}/messages", headers=lead.headers)).json()["items"]
    assert [i["kind"] for i in items[-2:]] == ["participant_left", "participant_removed"]
    assert items[-1]["ref"] == joined["id"]
    gone = await client.get(f"{API}/deal-rooms/{room}/messages", headers=bank.headers)
    assert gone.status_code == 404
