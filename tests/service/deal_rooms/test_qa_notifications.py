"""Q&A events reach people as notifications: a question the lead team, an assignment the
assignee (with the due date), an answer the asker — and nobody else in the room."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from service.models import Notification
from tests.service.deal_rooms.qa_support import FAQ, answer, ask, qa_room

QA_KINDS = ("question_asked", "question_assigned", "question_answered")


async def _qa_notes(db: Any, actor: Any) -> list[tuple[str, dict[str, str]]]:
    rows = await db.execute(
        select(Notification.kind, Notification.params)
        .where(Notification.user_id == actor.user.id, Notification.kind.in_(QA_KINDS))  # type: ignore[attr-defined]
        .order_by(Notification.created_at, Notification.id)
    )
    return [(kind, params) for kind, params in rows.all()]


async def test_each_qa_event_notifies_exactly_whom_it_concerns(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    question = (await ask(client, room, room.asker))["id"]

    assert [k for k, _ in await _qa_notes(db, room.lead)] == ["question_asked"]
    assert [k for k, _ in await _qa_notes(db, room.lead2)] == ["question_asked"]
    for bystander in (room.asker, room.colleague, room.bank):
        assert await _qa_notes(db, bystander) == []

    due = datetime.now(UTC) + timedelta(days=3)
    response = await client.post(
        room.url(f"/questions/{question}/assignment"),
        json={"assignee_id": str(room.lead2.user.id), "due_at": due.isoformat()},
        headers=room.lead.headers,
    )
    assert response.status_code == 200, response.text
    [_, (kind, params)] = await _qa_notes(db, room.lead2)
    assert (kind, params["due"]) == ("question_assigned", due.date().isoformat())

    await answer(client, room, room.lead2, question)
    assert [k for k, _ in await _qa_notes(db, room.asker)] == ["question_answered"]
    # The assignee answered itself; the colleague and the bank are still told nothing.
    assert [k for k, _ in await _qa_notes(db, room.lead2)] == ["question_asked", "question_assigned"]
    for bystander in (room.colleague, room.bank):
        assert await _qa_notes(db, bystander) == []

    listed = (await client.get("/api/v1/notifications?unread=true", headers=room.asker.headers)).json()
    assert any(item["kind"] == "question_answered" for item in listed["items"])


async def test_the_room_feed_tells_of_faq_items_but_never_of_private_questions(client, db, make_actor):
    room = await qa_room(client, db, make_actor)

    async def qa_events() -> list[tuple[str, str | None]]:
        response = await client.get(room.url("/messages"), headers=room.bank.headers)
        assert response.status_code == 200, response.text
        return [(m["kind"], m["ref"]) for m in response.json()["items"] if m["kind"].startswith(("faq", "question"))]

    question = (await ask(client, room, room.asker))["id"]
    await answer(client, room, room.lead, question)
    assert await qa_events() == []  # the bank may not know the asker's question exists

    published = await client.post(room.url(f"/questions/{question}/publication"), json=FAQ, headers=room.lead.headers)
    assert published.status_code == 200, published.text
    withdrawn = await client.delete(room.url(f"/questions/{question}/publication"), headers=room.lead.headers)
    assert withdrawn.status_code == 204, withdrawn.text
    assert await qa_events() == [("faq_published", question), ("faq_unpublished", question)]
