"""Whom each Q&A event concerns: the ``_on_*`` hooks of :class:`QaService` where notifications and
live updates attach. The events happen through the API; the hooks are asked as the actor."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from service.auth.principal import Principal
from service.deal_rooms.qa.service import QaService
from service.models import DealRoomQuestion
from tests.service.deal_rooms.qa_support import FAQ, QaRoom, answer, ask, qa_room


def _as(db, actor: Any) -> QaService:
    user = actor.user
    return QaService(db, Principal(user.id, actor.session_id, user.email, user.display_name, (), False))


async def _row(db, question: str) -> DealRoomQuestion:
    found = await db.get(DealRoomQuestion, uuid.UUID(question), populate_existing=True)
    assert found is not None
    return found


async def _assign(client, room: QaRoom, question: str, by: Any, to: Any) -> None:
    due = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    response = await client.post(
        room.url(f"/questions/{question}/assignment"),
        json={"assignee_id": str(to.user.id), "due_at": due},
        headers=by.headers,
    )
    assert response.status_code == 200, response.text


def _ids(*actors: Any) -> set[uuid.UUID]:
    return {a.user.id for a in actors}


async def test_a_new_question_concerns_the_lead_team(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    by_investor = await _row(db, (await ask(client, room, room.asker))["id"])
    by_lead = await _row(db, (await ask(client, room, room.lead2, "リードからの質問"))["id"])

    assert await _as(db, room.asker)._on_asked(by_investor) == _ids(room.lead, room.lead2)
    assert await _as(db, room.lead2)._on_asked(by_lead) == _ids(room.lead)


async def test_an_assignment_concerns_the_assignee_unless_it_assigned_itself(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    question = (await ask(client, room, room.asker))["id"]

    await _assign(client, room, question, by=room.lead, to=room.lead2)
    assert await _as(db, room.lead)._on_assigned(await _row(db, question)) == _ids(room.lead2)

    await _assign(client, room, question, by=room.lead, to=room.lead)
    assert await _as(db, room.lead)._on_assigned(await _row(db, question)) == set()


async def test_an_answer_concerns_the_asker_and_the_assignee_who_did_not_write_it(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    question = (await ask(client, room, room.asker))["id"]
    await answer(client, room, room.lead, question)
    assert await _as(db, room.lead)._on_answered(await _row(db, question)) == _ids(room.asker)

    other = (await ask(client, room, room.asker, "二件目"))["id"]
    await _assign(client, room, other, by=room.lead, to=room.lead2)
    await answer(client, room, room.lead, other)
    assert await _as(db, room.lead)._on_answered(await _row(db, other)) == _ids(room.asker, room.lead2)
    await answer(client, room, room.lead2, other, "改訂")
    assert await _as(db, room.lead2)._on_answered(await _row(db, other)) == _ids(room.asker)

    assert (await client.post(room.url("/leave"), headers=room.asker.headers)).status_code == 204
    assert await _as(db, room.lead)._on_answered(await _row(db, other)) == _ids(room.lead2)


async def test_a_published_item_concerns_every_participant_past_the_nda(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    question = (await ask(client, room, room.asker))["id"]
    await answer(client, room, room.lead, question)
    published = await client.post(room.url(f"/questions/{question}/publication"), json=FAQ, headers=room.lead.headers)
    assert published.status_code == 200, published.text

    recipients = await _as(db, room.lead)._on_published(await _row(db, question))

    assert recipients == _ids(room.lead2, room.asker, room.colleague, room.bank, room.observer)
    assert room.pre_nda.user.id not in recipients
    assert room.outsider.user.id not in recipients
