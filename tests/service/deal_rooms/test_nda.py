"""The NDA gate: a participant sees the room's name, stage and NDA — nothing else — until it has
accepted the current version; a new version must be accepted again."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service.models import DealRoomNdaAcceptance
from service.models.enums import Role
from tests.service.deal_rooms.support import API, accept_nda, add_project, invite, open_room

pytestmark = pytest.mark.asyncio
GATED = ["/participants", "/transitions"]


async def test_nothing_beyond_name_stage_and_nda_before_acceptance(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    bank = await make_actor(Role.bank)
    room = await open_room(client, lead, await add_project(db, lead))
    await invite(client, lead, room, bank, "bank")

    read = await client.get(f"{API}/deal-rooms/{room}", headers=bank.headers)
    nda = await client.get(f"{API}/deal-rooms/{room}/nda", headers=bank.headers)

    assert read.status_code == 200
    assert read.json()["nda_accepted"] is False
    assert read.json()["allowed_actions"] == ["read", "accept_nda", "leave"]
    assert read.json()["allowed_moves"] == []
    assert nda.json()["version"] == 1
    assert nda.json()["accepted"] is False
    assert nda.json()["text_ja"].startswith("本ルーム")
    for suffix in GATED:
        gated = await client.get(f"{API}/deal-rooms/{room}{suffix}", headers=bank.headers)
        assert gated.status_code == 403, gated.text
        assert gated.json()["code"] == "deal_room.nda_required"
        assert "1" in gated.json()["detail"]


async def test_acceptance_records_version_time_user_and_ip_and_a_new_version_gates_again(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    bank = await make_actor(Role.bank)
    room = await open_room(client, lead, await add_project(db, lead))
    await invite(client, lead, room, bank, "bank")

    stale = await accept_nda(client, bank, room, version=2)
    accepted = await accept_nda(client, bank, room, version=1)
    again = await accept_nda(client, bank, room, version=1)
    inside = await client.get(f"{API}/deal-rooms/{room}/participants", headers=bank.headers)

    assert (stale.status_code, stale.json()["code"]) == (409, "deal_room.nda_version_stale")
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["ip"] == "127.0.0.1"
    assert accepted.json()["version"] == 1
    assert again.json()["accepted_at"] == accepted.json()["accepted_at"]
    assert inside.status_code == 200

    by_bank = await client.post(
        f"{API}/deal-rooms/{room}/nda", json={"text_ja": "銀行版", "text_en": "Bank's"}, headers=bank.headers
    )
    published = await client.post(
        f"{API}/deal-rooms/{room}/nda",
        json={"text_ja": "第二版の条項", "text_en": "Second version"},
        headers=lead.headers,
    )
    assert (by_bank.status_code, by_bank.json()["code"]) == (403, "deal_room.action_not_allowed")
    assert published.status_code == 201
    assert published.json()["version"] == 2
    assert published.json()["accepted"] is True  # whoever publishes accepts

    gated = await client.get(f"{API}/deal-rooms/{room}/participants", headers=bank.headers)
    old = await accept_nda(client, bank, room, version=1)
    nda = (await client.get(f"{API}/deal-rooms/{room}/nda", headers=bank.headers)).json()
    assert (gated.status_code, gated.json()["code"]) == (403, "deal_room.nda_required")
    assert (old.status_code, old.json()["code"]) == (409, "deal_room.nda_version_stale")
    assert (nda["version"], nda["text_ja"], nda["accepted"]) == (2, "第二版の条項", False)

    assert (await accept_nda(client, bank, room, version=2)).status_code == 201
    assert (await client.get(f"{API}/deal-rooms/{room}/participants", headers=bank.headers)).status_code == 200
    rows = (
        await db.scalars(
            select(DealRoomNdaAcceptance)
            .where(DealRoomNdaAcceptance.user_id == bank.user.id)
            .order_by(DealRoomNdaAcceptance.version)
        )
    ).all()
    assert [(r.version, r.ip) for r in rows] == [(1, "127.0.0.1"), (2, "127.0.0.1")]
    assert rows[0].accepted_at < rows[1].accepted_at


async def test_the_ip_comes_from_a_trusted_proxy_header_only(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    bank = await make_actor(Role.bank)
    room = await open_room(client, lead, await add_project(db, lead))
    await invite(client, lead, room, bank, "bank")

    response = await client.post(
        f"{API}/deal-rooms/{room}/nda/acceptance",
        json={"version": 1},
        headers={**bank.headers, "X-Forwarded-For": "203.0.113.9"},
    )

    assert response.json()["ip"] == "127.0.0.1"  # no proxy is trusted in these settings
