"""The Q&A's rules that need a room: stages (asking only while the room is live, reading always),
assignment (a lead-team member, a due date ahead, unanswered questions only) and document
references — each refusal a 4xx naming the field, with nothing written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from service.deal_rooms import policy
from service.models import AuditEntry, DealRoomAnswer, DealRoomQuestion
from service.models.deal_room import RoomRole, RoomStage
from tests.service.deal_rooms.qa_support import FAQ, QaRoom, answer, ask, qa_room


async def _counts(db) -> tuple[int, int, int]:
    return (
        await db.scalar(select(func.count()).select_from(DealRoomQuestion)),
        await db.scalar(select(func.count()).select_from(DealRoomAnswer)),
        await db.scalar(select(func.count()).select_from(AuditEntry)),
    )


async def _move(client, room: QaRoom, to: str) -> None:
    response = await client.post(
        room.url("/transitions"), json={"to_stage": to, "reason": "段階を進める"}, headers=room.lead.headers
    )
    assert response.status_code == 201, response.text


def test_asking_is_allowed_only_in_live_stages_and_reading_in_every_stage():
    for role in RoomRole:
        for stage in RoomStage:
            live = stage in policy.LIVE
            assert policy.may(role, stage, "ask_question") == (live and role != RoomRole.observer)
            assert policy.may(role, stage, "read_questions")
            assert policy.may(role, stage, "read_faq")
            for write in ("assign_question", "answer_question", "publish_faq"):
                assert policy.may(role, stage, write) == (live and role == RoomRole.lead_team)


@pytest.mark.parametrize(
    "path", [["cancelled"], ["nda", "due_diligence", "term_sheet", "commitments", "closing", "closed"]]
)
async def test_a_room_that_is_over_keeps_its_questions_and_faq_readable_but_takes_no_new_ones(
    client, db, make_actor, path
):
    room = await qa_room(client, db, make_actor)
    question = (await ask(client, room, room.asker))["id"]
    await answer(client, room, room.lead, question)
    assert (
        await client.post(room.url(f"/questions/{question}/publication"), json=FAQ, headers=room.lead.headers)
    ).status_code == 200
    for stage in path:
        await _move(client, room, stage)
    before = await _counts(db)

    asked = await client.post(room.url("/questions"), json={"text": "まだ質問できますか"}, headers=room.asker.headers)
    answered = await client.post(
        room.url(f"/questions/{question}/answers"), json={"text": "追記"}, headers=room.lead.headers
    )

    for refused in (asked, answered):
        assert (refused.status_code, refused.json()["code"]) == (403, "deal_room.action_not_allowed")
    assert await _counts(db) == before
    listed = await client.get(room.url("/questions"), headers=room.asker.headers)
    assert [q["id"] for q in listed.json()["items"]] == [question]
    assert (await client.get(room.url("/faq"), headers=room.bank.headers)).json()["total"] == 1


async def test_asking_works_in_every_live_stage(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    for stage in ["nda", "due_diligence", "term_sheet", "commitments", "closing"]:
        await _move(client, room, stage)
        await ask(client, room, room.bank, f"{stage} の質問")
    listed = await client.get(room.url("/questions"), headers=room.bank.headers)
    assert listed.json()["total"] == 5


def _due(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


@pytest.mark.parametrize(
    ("who", "due", "status", "field", "code"),
    [
        ("bank", _due(days=1), 422, "assignee_id", "deal_room_qa.assignee_not_lead_team"),
        ("outsider", _due(days=1), 422, "assignee_id", "deal_room_qa.assignee_not_lead_team"),
        ("lead2", _due(hours=-1), 422, "due_at", "deal_room_qa.due_in_past"),
        ("lead2", "2026-12-01T09:00:00", 400, "due_at", "validation.failed"),  # no offset
        ("lead2", "1999-12-31T00:00:00+09:00", 422, "due_at", "validation.date_out_of_range"),
    ],
    ids=["bank_is_not_lead_team", "not_in_the_room", "due_in_the_past", "no_offset", "before_2000"],
)
async def test_an_assignment_needs_a_lead_team_member_and_a_due_date_ahead(
    client, db, make_actor, who, due, status, field, code
):
    room = await qa_room(client, db, make_actor)
    question = (await ask(client, room, room.asker))["id"]
    before = await _counts(db)

    response = await client.post(
        room.url(f"/questions/{question}/assignment"),
        json={"assignee_id": str(getattr(room, who).user.id), "due_at": due},
        headers={**room.lead.headers, "Accept-Language": "en"},
    )

    assert response.status_code == status, response.text
    problem = response.json()
    assert problem["code"] == code
    assert [e["field"] for e in problem["errors"]] == [field]
    assert all(e["message"]["ja"] and e["message"]["en"] for e in problem["errors"])
    assert await _counts(db) == before
    assert (await client.get(room.url(f"/questions/{question}"), headers=room.lead.headers)).json()["status"] == "open"


async def test_a_removed_lead_team_member_cannot_be_assigned(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    question = (await ask(client, room, room.asker))["id"]
    participants = (await client.get(room.url("/participants"), headers=room.lead.headers)).json()["items"]
    seat = next(p["id"] for p in participants if p["user_id"] == str(room.lead2.user.id))
    assert (await client.delete(room.url(f"/participants/{seat}"), headers=room.lead.headers)).status_code == 204

    response = await client.post(
        room.url(f"/questions/{question}/assignment"),
        json={"assignee_id": str(room.lead2.user.id), "due_at": _due(days=1)},
        headers=room.lead.headers,
    )

    assert (response.status_code, response.json()["code"]) == (422, "deal_room_qa.assignee_not_lead_team")


async def test_an_answered_question_is_not_assigned_again_but_an_assigned_one_is(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    question = (await ask(client, room, room.asker))["id"]
    url = room.url(f"/questions/{question}/assignment")
    first = await client.post(
        url, json={"assignee_id": str(room.lead2.user.id), "due_at": _due(days=1)}, headers=room.lead.headers
    )
    second = await client.post(
        url, json={"assignee_id": str(room.lead.user.id), "due_at": _due(days=3)}, headers=room.lead2.headers
    )
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["assignment"]["assignee_id"] == str(room.lead.user.id)
    await answer(client, room, room.lead, question)

    late = await client.post(
        url, json={"assignee_id": str(room.lead2.user.id), "due_at": _due(days=1)}, headers=room.lead.headers
    )

    assert (late.status_code, late.json()["code"]) == (409, "deal_room_qa.already_answered")
    assert "answered" in late.json()["detail"]


@pytest.mark.parametrize(
    ("body", "status", "field", "code"),
    [
        ({"text": "p.3", "page": 3}, 422, "page", "deal_room_qa.page_without_document"),
        ({"text": "p.0", "document_id": "6f1c2a4e-8b1d-4c55-9a1e-3d2b7c9e0f11", "page": 0}, 400, "page", None),
        ({"text": "doc", "document_id": "report.pdf"}, 400, "document_id", None),
        ({"text": ""}, 400, "text", None),
        ({"text": "あ" * 5001}, 400, "text", None),
    ],
    ids=["page_without_document", "page_zero", "document_not_uuid", "empty", "too_long"],
)
async def test_a_bad_question_in_a_real_room_is_refused_naming_the_field(
    client, db, make_actor, body, status, field, code
):
    room = await qa_room(client, db, make_actor)
    before = await _counts(db)

    response = await client.post(room.url("/questions"), json=body, headers=room.asker.headers)

    assert response.status_code == status, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    if code:
        assert response.json()["code"] == code
    assert await _counts(db) == before
