"""Deal rooms through the API: opening, participants, stages, access requests, and the rule that
a room is unknown (404) to everyone who takes no part in it — admins included."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service.models import AuditEntry, DealRoomParticipant
from service.models.enums import Role
from tests.service.deal_rooms.support import API, NDA, accept_nda, add_project, invite, open_room

pytestmark = pytest.mark.asyncio


async def test_a_lead_opens_a_room_and_sees_its_stage_and_what_it_may_do(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    project = await add_project(db, lead, "funding")

    response = await client.post(f"{API}/projects/{project}/deal-room", json=NDA, headers=lead.headers)

    assert response.status_code == 201, response.text
    room = response.json()
    assert room["stage"] == "open"
    assert room["name_ja"] == "ディール案件（funding）"
    assert room["my_role"] == "lead_team"
    assert room["nda_version"] == 1
    assert room["nda_accepted"] is True
    assert room["allowed_moves"] == ["nda", "cancelled"]
    assert {"invite", "remove_participant", "decide_access", "publish_nda"} <= set(room["allowed_actions"])
    read = await client.get(f"{API}/deal-rooms/{room['id']}", headers=lead.headers)
    assert read.json() == room
    listed = await client.get(f"{API}/deal-rooms", headers=lead.headers)
    assert [r["id"] for r in listed.json()["items"]] == [room["id"]]
    actions = (await db.scalars(select(AuditEntry.action).where(AuditEntry.object_id == room["id"]))).all()
    assert actions == ["deal_room.opened", "deal_room.nda_published", "deal_room.nda_accepted"]


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected", "funded", "closed", "withdrawn"])
async def test_only_vetted_or_funding_projects_get_a_room(client, make_actor, db, status):
    lead = await make_actor(Role.project_lead)
    project = await add_project(db, lead, status)

    response = await client.post(f"{API}/projects/{project}/deal-room", json=NDA, headers=lead.headers)

    assert response.status_code == 409, response.text
    assert response.json()["code"] == "deal_room.project_not_ready"


async def test_opening_is_refused_to_others_and_twice(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    other_lead = await make_actor(Role.project_lead)
    investor = await make_actor(Role.investor)
    public = await add_project(db, lead, "vetted")
    hidden = await add_project(db, lead, "draft")
    await open_room(client, lead, public)

    again = await client.post(f"{API}/projects/{public}/deal-room", json=NDA, headers=lead.headers)
    by_other = await client.post(f"{API}/projects/{public}/deal-room", json=NDA, headers=other_lead.headers)
    on_hidden = await client.post(f"{API}/projects/{hidden}/deal-room", json=NDA, headers=other_lead.headers)
    by_investor = await client.post(f"{API}/projects/{public}/deal-room", json=NDA, headers=investor.headers)
    anonymous = await client.post(f"{API}/projects/{public}/deal-room", json=NDA)

    assert (again.status_code, again.json()["code"]) == (409, "deal_room.already_open")
    assert (by_other.status_code, by_other.json()["code"]) == (403, "deal_room.not_project_lead")
    assert (on_hidden.status_code, on_hidden.json()["code"]) == (404, "project.not_found")
    assert (by_investor.status_code, by_investor.json()["code"]) == (403, "auth.role_required")
    assert anonymous.status_code == 401


ROOM_READS = ["", "/participants", "/access-requests", "/transitions", "/nda"]


async def test_a_room_is_unknown_to_non_participants_and_admins_who_are_not_observers(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    project = await add_project(db, lead)
    room = await open_room(client, lead, project)
    unknown = "00000000-0000-4000-8000-000000000000"
    strangers = [await make_actor(role) for role in (Role.investor, Role.bank, Role.project_lead, Role.admin)]

    for stranger in strangers:
        for suffix in ROOM_READS:
            for target in (room, unknown):
                response = await client.get(f"{API}/deal-rooms/{target}{suffix}", headers=stranger.headers)
                assert response.status_code == 404, (stranger.user.id, suffix, response.text)
                assert response.json()["code"] == "deal_room.not_found"
        writes = [
            ("POST", "/transitions", {"to_stage": "nda", "reason": "進めます"}),
            ("POST", "/nda", {"text_ja": "新版", "text_en": "New"}),
            ("POST", "/nda/acceptance", {"version": 1}),
            ("POST", "/leave", None),
            ("POST", "/participants", {"user_id": str(stranger.user.id), "organisation_id": unknown, "role": "bank"}),
        ]
        for method, suffix, body in writes:
            response = await client.request(
                method, f"{API}/deal-rooms/{room}{suffix}", json=body, headers=stranger.headers
            )
            assert response.status_code == 404, (suffix, response.text)
        listed = await client.get(f"{API}/deal-rooms", headers=stranger.headers)
        assert listed.json()["items"] == []


async def test_an_admin_invited_as_observer_sees_the_room_but_moves_nothing(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    admin = await make_actor(Role.admin)
    room = await open_room(client, lead, await add_project(db, lead))
    await invite(client, lead, room, admin, "observer")

    assert (await accept_nda(client, admin, room)).status_code == 201
    read = (await client.get(f"{API}/deal-rooms/{room}", headers=admin.headers)).json()
    move = await client.post(
        f"{API}/deal-rooms/{room}/transitions", json={"to_stage": "nda", "reason": "試み"}, headers=admin.headers
    )

    assert read["my_role"] == "observer"
    assert read["allowed_moves"] == []
    assert "invite" not in read["allowed_actions"]
    assert (move.status_code, move.json()["code"]) == (403, "deal_room.move_not_allowed")


async def test_stages_move_by_the_lead_with_reasons_into_the_audit_log(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    bank = await make_actor(Role.bank)
    project = await add_project(db, lead)
    room = await open_room(client, lead, project)
    await invite(client, lead, room, bank, "bank")
    await accept_nda(client, bank, room)
    url = f"{API}/deal-rooms/{room}/transitions"

    skip = await client.post(url, json={"to_stage": "closed", "reason": "飛ばす"}, headers=lead.headers)
    by_bank = await client.post(url, json={"to_stage": "nda", "reason": "銀行から"}, headers=bank.headers)
    path = ["nda", "due_diligence", "term_sheet", "due_diligence", "term_sheet", "commitments", "closing", "closed"]
    for stage in path:
        moved = await client.post(url, json={"to_stage": stage, "reason": f"{stage}へ"}, headers=lead.headers)
        assert moved.status_code == 201, moved.text
    after = await client.post(url, json={"to_stage": "cancelled", "reason": "中止"}, headers=lead.headers)
    history = (await client.get(url, headers=bank.headers)).json()["items"]
    read = (await client.get(f"{API}/deal-rooms/{room}", headers=lead.headers)).json()
    invite_after = await client.post(
        f"{API}/deal-rooms/{room}/participants",
        json={"user_id": str(bank.user.id), "organisation_id": str(bank.organisation.id), "role": "bank"},
        headers=lead.headers,
    )

    assert (skip.status_code, skip.json()["code"]) == (409, "deal_room.move_not_allowed")
    assert (by_bank.status_code, by_bank.json()["code"]) == (403, "deal_room.move_not_allowed")
    assert (after.status_code, after.json()["code"]) == (409, "deal_room.move_not_allowed")
    assert [m["to_stage"] for m in history] == path
    assert history[0]["reason"] == "ndaへ"
    assert history[0]["from_stage"] == "open"
    assert read["stage"] == "closed"
    assert read["allowed_moves"] == []
    assert "invite" not in read["allowed_actions"]
    assert (invite_after.status_code, invite_after.json()["code"]) == (403, "deal_room.action_not_allowed")
    audited = (
        await db.scalars(
            select(AuditEntry.payload)
            .where(AuditEntry.object_id == room, AuditEntry.action == "deal_room.stage_moved")
            .order_by(AuditEntry.seq)
        )
    ).all()
    assert len(audited) == len(path)
    assert "ndaへ" in audited[0]
    # A closed room frees the project for a new one.
    assert (await client.post(f"{API}/projects/{project}/deal-room", json=NDA, headers=lead.headers)).status_code == 201


async def test_cancel_from_any_live_stage(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    room = await open_room(client, lead, await add_project(db, lead))
    url = f"{API}/deal-rooms/{room}/transitions"
    await client.post(url, json={"to_stage": "nda", "reason": "進める"}, headers=lead.headers)

    cancelled = await client.post(url, json={"to_stage": "cancelled", "reason": "見送り"}, headers=lead.headers)
    reopen = await client.post(url, json={"to_stage": "nda", "reason": "再開"}, headers=lead.headers)

    assert cancelled.status_code == 201
    assert reopen.status_code == 409


async def test_participants_are_invited_removed_and_leave_and_their_history_stays(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    bank = await make_actor(Role.bank)
    advisor = await make_actor(Role.investor)
    room = await open_room(client, lead, await add_project(db, lead))
    seat = await invite(client, lead, room, bank, "bank")
    await invite(client, lead, room, advisor, "advisor")
    await accept_nda(client, bank, room)

    twice = await client.post(
        f"{API}/deal-rooms/{room}/participants",
        json={"user_id": str(bank.user.id), "organisation_id": str(bank.organisation.id), "role": "bank"},
        headers=lead.headers,
    )
    wrong_org = await client.post(
        f"{API}/deal-rooms/{room}/participants",
        json={"user_id": str(advisor.user.id), "organisation_id": str(bank.organisation.id), "role": "advisor"},
        headers=lead.headers,
    )
    by_bank = await client.delete(f"{API}/deal-rooms/{room}/participants/{seat['id']}", headers=bank.headers)
    removed = await client.delete(f"{API}/deal-rooms/{room}/participants/{seat['id']}", headers=lead.headers)
    gone = await client.get(f"{API}/deal-rooms/{room}", headers=bank.headers)
    left = await client.post(f"{API}/deal-rooms/{room}/leave", headers=advisor.headers)
    lead_seat = next(
        p
        for p in (await client.get(f"{API}/deal-rooms/{room}/participants", headers=lead.headers)).json()["items"]
        if p["role"] == "lead_team"
    )
    last_lead = await client.delete(f"{API}/deal-rooms/{room}/participants/{lead_seat['id']}", headers=lead.headers)
    lead_leaves = await client.post(f"{API}/deal-rooms/{room}/leave", headers=lead.headers)
    history = (await client.get(f"{API}/deal-rooms/{room}/participants", headers=lead.headers)).json()["items"]

    assert (twice.status_code, twice.json()["code"]) == (409, "deal_room.already_participant")
    assert wrong_org.status_code == 422
    assert wrong_org.json()["errors"][0]["field"] == "organisation_id"
    assert (by_bank.status_code, by_bank.json()["code"]) == (403, "deal_room.action_not_allowed")
    assert removed.status_code == 204
    assert (gone.status_code, gone.json()["code"]) == (404, "deal_room.not_found")
    assert left.status_code == 204
    assert (last_lead.status_code, last_lead.json()["code"]) == (409, "deal_room.last_lead")
    assert (lead_leaves.status_code, lead_leaves.json()["code"]) == (409, "deal_room.last_lead")
    assert {(p["role"], p["status"]) for p in history} == {
        ("lead_team", "active"),
        ("bank", "removed"),
        ("advisor", "left"),
    }
    assert all(p["ended_at"] for p in history if p["status"] != "active")
    rows = (await db.scalars(select(DealRoomParticipant).where(DealRoomParticipant.user_id == bank.user.id))).all()
    assert [r.ended_by for r in rows] == [lead.user.id]
    # Invited again later: a new participation, the old one stays.
    await invite(client, lead, room, bank, "bank")


async def test_an_investor_requests_access_and_the_lead_accepts_or_declines(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    investor = await make_actor(Role.investor)
    bank = await make_actor(Role.bank)
    project = await add_project(db, lead)
    no_room = await add_project(db, lead, "funding")
    room = await open_room(client, lead, project)
    url = f"{API}/projects/{project}/deal-room/access-requests"

    asked = await client.post(url, json={"note": "出資を検討しています"}, headers=investor.headers)
    twice = await client.post(url, json={"note": "再度"}, headers=investor.headers)
    by_bank = await client.post(url, json={"note": "協調融資"}, headers=bank.headers)
    by_lead = await client.post(url, json={"note": "自分"}, headers=lead.headers)
    roomless = await client.post(
        f"{API}/projects/{no_room}/deal-room/access-requests", json={"note": "どうか"}, headers=investor.headers
    )
    foreign_org = await client.post(
        url, json={"note": "他組織", "organisation_id": str(bank.organisation.id)}, headers=investor.headers
    )
    assert asked.status_code == 201, asked.text
    assert (twice.status_code, twice.json()["code"]) == (409, "deal_room.request_pending")
    assert by_bank.status_code == 201
    assert by_lead.status_code == 403
    assert (roomless.status_code, roomless.json()["code"]) == (404, "deal_room.not_found")
    assert foreign_org.status_code == 422
    assert foreign_org.json()["errors"][0]["field"] == "organisation_id"
    # Requesting does not let the investor in.
    assert (await client.get(f"{API}/deal-rooms/{room}", headers=investor.headers)).status_code == 404

    listed = (await client.get(f"{API}/deal-rooms/{room}/access-requests", headers=lead.headers)).json()["items"]
    assert [r["note"] for r in listed] == ["出資を検討しています", "協調融資"]
    decide = f"{API}/deal-rooms/{room}/access-requests"
    accepted = await client.post(
        f"{decide}/{asked.json()['id']}/decision",
        json={"decision": "accept", "reason": "歓迎します"},
        headers=lead.headers,
    )
    declined = await client.post(
        f"{decide}/{by_bank.json()['id']}/decision",
        json={"decision": "decline", "reason": "今回は見送り"},
        headers=lead.headers,
    )
    again = await client.post(
        f"{decide}/{asked.json()['id']}/decision", json={"decision": "decline", "reason": "撤回"}, headers=lead.headers
    )

    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert declined.json()["status"] == "declined"
    assert declined.json()["reason"] == "今回は見送り"
    assert (again.status_code, again.json()["code"]) == (409, "deal_room.request_decided")
    read = (await client.get(f"{API}/deal-rooms/{room}", headers=investor.headers)).json()
    assert read["my_role"] == "investor"
    assert read["nda_accepted"] is False
    assert (await client.get(f"{API}/deal-rooms/{room}", headers=bank.headers)).status_code == 404
    # A participant cannot ask again.
    member = await client.post(url, json={"note": "もう一度"}, headers=investor.headers)
    assert (member.status_code, member.json()["code"]) == (409, "deal_room.already_participant")
