"""Deal-room events notify the right people: an invitation the invitee, an access request the
lead team, its answer the requester, a stage move every active participant but the one who made
it. Mails (with mail configured) go only to verified, deliverable addresses, ja and en in one."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from service.models import Notification, OutboxMessage
from service.models.enums import Role
from tests.service.deal_rooms.support import API, accept_nda, add_project, invite, open_room
from tests.service.notifications.conftest import verified


async def _kinds(db: Any, actor: Any) -> list[tuple[str, dict[str, str]]]:
    rows = await db.execute(
        select(Notification.kind, Notification.params)
        .where(Notification.user_id == actor.user.id)
        .order_by(Notification.created_at, Notification.id)
    )
    return [(kind, params) for kind, params in rows.all()]


async def _ask(client: Any, project: uuid.UUID, actor: Any, **extra: Any) -> dict[str, Any]:
    response = await client.post(
        f"{API}/projects/{project}/deal-room/access-requests",
        json={"note": "出資を検討中です", **extra},
        headers=actor.headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_an_invitee_is_told_of_the_invitation_and_nobody_else(client, db, make_actor):
    lead = await make_actor(Role.project_lead)
    bank = await make_actor(Role.bank)
    room = await open_room(client, lead, await add_project(db, lead))

    await invite(client, lead, room, bank, "bank")

    [(kind, params)] = await _kinds(db, bank)
    assert kind == "room_invitation"
    assert params["role"] == "bank"
    assert params["room_ja"] == "ディール案件（vetted）"
    assert await _kinds(db, lead) == []
    listed = (await client.get("/api/v1/notifications", headers=bank.headers)).json()["items"]
    assert listed[0]["room_id"] == room
    assert listed[0]["title"]["en"] == "You were invited to the deal room 'Deal project (vetted)' (role: bank)"


async def test_the_lead_team_hears_of_a_request_and_the_requester_of_its_answer(client, db, make_actor):
    lead = await make_actor(Role.project_lead)
    colleague = await make_actor(Role.project_lead, organisation=lead.organisation)
    bank = await make_actor(Role.bank)
    investor = await make_actor(Role.investor)
    declined = await make_actor(Role.investor)
    project = await add_project(db, lead)
    room = await open_room(client, lead, project)
    await invite(client, lead, room, colleague, "lead_team")
    await invite(client, lead, room, bank, "bank")

    accepted_request = await _ask(client, project, investor)
    declined_request = await _ask(client, project, declined)

    for member in (lead, colleague):
        asks = [p["requester"] for k, p in await _kinds(db, member) if k == "access_requested"]
        assert asks == [investor.user.display_name, declined.user.display_name]
    assert [k for k, _ in await _kinds(db, bank)] == ["room_invitation"]  # not the lead team

    decide = f"{API}/deal-rooms/{room}/access-requests"
    yes = {"decision": "accept", "reason": "歓迎します", "role": "investor"}
    no = {"decision": "decline", "reason": "今回は見送ります"}
    assert (await client.post(f"{decide}/{accepted_request['id']}/decision", json=yes, headers=lead.headers)).is_success
    assert (await client.post(f"{decide}/{declined_request['id']}/decision", json=no, headers=lead.headers)).is_success

    assert [(k, p["role"]) for k, p in await _kinds(db, investor)] == [("access_accepted", "investor")]
    [(kind, params)] = await _kinds(db, declined)
    assert (kind, params["reason"]) == ("access_declined", "今回は見送ります")
    text = (await client.get("/api/v1/notifications", headers=declined.headers)).json()["items"][0]["text"]
    assert "今回は見送ります" in text["ja"]
    assert "今回は見送ります" in text["en"]


async def test_a_stage_move_tells_every_active_participant_but_the_one_who_moved(client, db, make_actor):
    lead = await make_actor(Role.project_lead)
    bank = await make_actor(Role.bank)
    advisor = await make_actor(Role.investor)  # has not accepted the NDA: told too
    gone = await make_actor(Role.investor)
    room = await open_room(client, lead, await add_project(db, lead))
    await invite(client, lead, room, bank, "bank")
    assert (await accept_nda(client, bank, room)).status_code == 201
    await invite(client, lead, room, advisor, "advisor")
    removed = await invite(client, lead, room, gone, "investor")
    assert (
        await client.delete(f"{API}/deal-rooms/{room}/participants/{removed['id']}", headers=lead.headers)
    ).is_success

    moved = await client.post(
        f"{API}/deal-rooms/{room}/transitions", json={"to_stage": "nda", "reason": "社外秘の理由"}, headers=lead.headers
    )

    assert moved.status_code == 201, moved.text
    for told in (bank, advisor):
        stage = [p for k, p in await _kinds(db, told) if k == "stage_changed"]
        assert [(p["from_stage"], p["to_stage"]) for p in stage] == [("open", "nda")]
        assert "社外秘の理由" not in str(stage)  # the reason stays inside the room
    assert [k for k, _ in await _kinds(db, gone)] == ["room_invitation"]
    assert await _kinds(db, lead) == []


async def test_a_refused_write_notifies_nobody(client, db, make_actor):
    lead = await make_actor(Role.project_lead)
    investor = await make_actor(Role.investor)
    room = await open_room(client, lead, await add_project(db, lead))
    body = {"user_id": str(investor.user.id), "organisation_id": str(investor.organisation.id), "role": "observer"}

    refused = await client.post(f"{API}/deal-rooms/{room}/participants", json=body, headers=lead.headers)

    assert refused.status_code == 422, refused.text
    assert await db.scalar(select(func.count()).select_from(Notification)) == 0


async def test_mails_go_to_verified_deliverable_addresses_in_both_languages(mail_client, db, make_actor):
    lead = await make_actor(Role.project_lead)
    bank = await verified(db, await make_actor(Role.bank, email="bank@example.jp"))
    unverified = await make_actor(Role.investor, email="unverified@example.jp")
    oidc = await verified(db, await make_actor(Role.investor, email=f"{uuid.uuid4().hex}@oidc.invalid"))
    room = await open_room(mail_client, lead, await add_project(db, lead))

    for actor, role in ((bank, "bank"), (unverified, "investor"), (oidc, "investor")):
        await invite(mail_client, lead, room, actor, role)

    assert await db.scalar(select(func.count()).select_from(Notification)) == 3  # all three in-app
    [mail] = (await db.scalars(select(OutboxMessage))).all()
    assert mail.kind == "mail"
    assert mail.payload["to"] == "bank@example.jp"
    assert mail.payload["subject"] == (
        "【Kyoso】ディールルーム「ディール案件（vetted）」に招待されました（役割: bank） / "
        "You were invited to the deal room 'Deal project (vetted)' (role: bank)"
    )
    text = mail.payload["text"]
    assert "招待しました" in text
    assert "invited you" in text
    assert "https://kyoso.example.jp" in text
    notification = await db.scalar(select(Notification.id).where(Notification.user_id == bank.user.id))
    assert mail.payload["notification_id"] == str(notification)


async def test_without_an_smtp_server_no_notification_mail_is_queued(client, db, make_actor):
    lead = await make_actor(Role.project_lead)
    bank = await verified(db, await make_actor(Role.bank))
    room = await open_room(client, lead, await add_project(db, lead))

    await invite(client, lead, room, bank, "bank")

    assert len(await _kinds(db, bank)) == 1
    assert await db.scalar(select(func.count()).select_from(OutboxMessage)) == 0
