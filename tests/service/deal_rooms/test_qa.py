"""Deal-room Q&A through the API: who sees a question, assigning, answering and revising, and the
FAQ that never names the asker."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from service.models import AuditEntry, DealRoomAnswer
from tests.service.deal_rooms.qa_support import FAQ, QaRoom, answer, ask, qa_room, room_document

pytestmark = pytest.mark.asyncio


def _due(days: int = 2) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


async def _get(client, room: QaRoom, actor, question: str):
    return await client.get(room.url(f"/questions/{question}"), headers=actor.headers)


async def _listed(client, room: QaRoom, actor) -> list[str]:
    response = await client.get(room.url("/questions"), headers=actor.headers)
    assert response.status_code == 200, response.text
    return [q["id"] for q in response.json()["items"]]


async def test_a_question_is_seen_by_the_askers_side_and_the_lead_team_and_by_nobody_else(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    document = await room_document(client, room)

    asked = await ask(client, room, room.asker, document_id=document, page=12)

    assert asked["status"] == "open"
    assert (asked["document_id"], asked["page"]) == (document, 12)
    assert asked["asker_id"] == str(room.asker.user.id)
    assert asked["asker_organisation_id"] == str(room.asker.organisation.id)
    assert (asked["assignment"], asked["answers"], asked["faq"]) == (None, [], None)
    for insider in (room.asker, room.colleague, room.lead, room.lead2):
        assert (await _get(client, room, insider, asked["id"])).json() == asked
        assert await _listed(client, room, insider) == [asked["id"]]
    for other in (room.bank, room.observer):  # in the room, past the NDA, but not the asker's side
        hidden = await _get(client, room, other, asked["id"])
        assert (hidden.status_code, hidden.json()["code"]) == (404, "deal_room_qa.question_not_found")
        assert await _listed(client, room, other) == []
    unknown = await _get(client, room, room.bank, str(uuid.uuid4()))
    assert unknown.json() == hidden.json()
    gated = await _get(client, room, room.pre_nda, asked["id"])
    assert (gated.status_code, gated.json()["code"]) == (403, "deal_room.nda_required")
    for stranger in (room.outsider, room.admin):
        response = await _get(client, room, stranger, asked["id"])
        assert (response.status_code, response.json()["code"]) == (404, "deal_room.not_found")
    assert (await client.get(room.url(f"/questions/{asked['id']}"))).status_code == 401


async def test_the_lead_assigns_with_a_due_date_the_assignee_answers_and_the_asker_sees_the_answer(
    client, db, make_actor
):
    room = await qa_room(client, db, make_actor)
    question = (await ask(client, room, room.asker))["id"]
    due = _due()

    assigned = await client.post(
        room.url(f"/questions/{question}/assignment"),
        json={"assignee_id": str(room.lead2.user.id), "due_at": due},
        headers=room.lead.headers,
    )

    assert assigned.status_code == 200, assigned.text
    routing = assigned.json()["assignment"]
    assert assigned.json()["status"] == "assigned"
    assert routing["assignee_id"] == str(room.lead2.user.id)
    assert routing["assigned_by"] == str(room.lead.user.id)
    assert datetime.fromisoformat(routing["due_at"]) == datetime.fromisoformat(due)
    assert routing["overdue"] is False
    seen_by_asker = (await _get(client, room, room.asker, question)).json()
    assert (seen_by_asker["status"], seen_by_asker["assignment"]) == ("assigned", None)  # routing is internal

    answered = await answer(client, room, room.lead2, question, "想定は 1kWh あたり 12 円です。")

    assert answered["status"] == "answered"
    assert [(a["revision"], a["author_id"]) for a in answered["answers"]] == [(1, str(room.lead2.user.id))]
    seen_by_asker = (await _get(client, room, room.asker, question)).json()
    assert seen_by_asker["answers"][-1]["text"] == "想定は 1kWh あたり 12 円です。"


async def test_a_revised_answer_keeps_every_revision_with_who_and_when(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    question = (await ask(client, room, room.asker))["id"]

    await answer(client, room, room.lead, question, "12 円です。")
    revised = await answer(client, room, room.lead2, question, "訂正: 11.5 円です。")

    history = revised["answers"]
    assert [(a["revision"], a["text"], a["author_id"]) for a in history] == [
        (1, "12 円です。", str(room.lead.user.id)),
        (2, "訂正: 11.5 円です。", str(room.lead2.user.id)),
    ]
    assert history[0]["created_at"] <= history[1]["created_at"]
    assert (await _get(client, room, room.colleague, question)).json()["answers"] == history
    stored = await db.scalar(
        select(func.count()).select_from(DealRoomAnswer).where(DealRoomAnswer.question_id == uuid.UUID(question))
    )
    assert stored == 2


async def test_the_faq_shows_the_lead_teams_wording_to_every_participant_and_never_the_asker(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    document = await room_document(client, room)
    original = "山田（みらい電機）です。御社の売電単価の前提を教えてください。"
    question = (await ask(client, room, room.asker, original, document_id=document, page=3))["id"]
    await answer(client, room, room.lead, question, "想定は 12 円です。")

    published = await client.post(room.url(f"/questions/{question}/publication"), json=FAQ, headers=room.lead.headers)

    assert published.status_code == 200, published.text
    item = published.json()
    assert (item["question_ja"], item["question_en"]) == (FAQ["question_ja"], FAQ["question_en"])
    assert item["answer_ja"] == item["answer_en"] == "想定は 12 円です。"  # the current answer by default
    assert (item["document_id"], item["page"]) == (document, 3)
    for participant in (room.bank, room.observer, room.colleague, room.asker, room.lead2):
        page = await client.get(room.url("/faq"), headers=participant.headers)
        assert page.status_code == 200, page.text
        assert page.json()["items"] == [item]
        assert page.json()["total"] == 1
    text = json.dumps(item, ensure_ascii=False)
    for secret in (str(room.asker.user.id), str(room.asker.organisation.id), original, "山田", "asker"):
        assert secret not in text
    # The original question stays where it was: with the asker's side and the lead team.
    assert (await _get(client, room, room.bank, question)).status_code == 404
    assert (await _get(client, room, room.asker, question)).json()["faq"] == item
    gated = await client.get(room.url("/faq"), headers=room.pre_nda.headers)
    assert (gated.status_code, gated.json()["code"]) == (403, "deal_room.nda_required")
    assert (await client.get(room.url("/faq"), headers=room.outsider.headers)).status_code == 404


async def test_the_lead_may_word_the_answer_too_and_publish_again_after_a_revision(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    question = (await ask(client, room, room.asker))["id"]
    await answer(client, room, room.lead, question, "12 円です。")
    url = room.url(f"/questions/{question}/publication")
    first = await client.post(url, json={**FAQ, "answer_en": "12 yen."}, headers=room.lead.headers)
    assert (first.json()["answer_ja"], first.json()["answer_en"]) == ("12 円です。", "12 yen.")

    revised = await answer(client, room, room.lead, question, "11.5 円です。")

    assert revised["status"] == "published"
    assert revised["faq"] == first.json()  # the FAQ keeps what was published
    again = await client.post(url, json={**FAQ, "answer_en": "11.5 yen."}, headers=room.lead2.headers)
    assert again.status_code == 200, again.text
    assert (again.json()["answer_ja"], again.json()["answer_en"]) == ("11.5 円です。", "11.5 yen.")
    faq = (await client.get(room.url("/faq"), headers=room.bank.headers)).json()
    assert faq["items"] == [again.json()]


async def test_unpublishing_takes_the_item_out_of_the_faq(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    question = (await ask(client, room, room.asker))["id"]
    await answer(client, room, room.lead, question)
    url = room.url(f"/questions/{question}/publication")
    assert (await client.post(url, json=FAQ, headers=room.lead.headers)).status_code == 200

    removed = await client.delete(url, headers=room.lead.headers)

    assert removed.status_code == 204, removed.text
    assert (await client.get(room.url("/faq"), headers=room.bank.headers)).json()["total"] == 0
    after = (await _get(client, room, room.asker, question)).json()
    assert (after["status"], after["faq"]) == ("answered", None)
    again = await client.delete(url, headers=room.lead.headers)
    assert (again.status_code, again.json()["code"]) == (409, "deal_room_qa.not_published")
    by_asker = await client.delete(url, headers=room.asker.headers)
    assert (by_asker.status_code, by_asker.json()["code"]) == (403, "deal_room.action_not_allowed")


async def test_an_unanswered_question_cannot_be_published(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    question = (await ask(client, room, room.asker))["id"]

    response = await client.post(room.url(f"/questions/{question}/publication"), json=FAQ, headers=room.lead.headers)

    assert (response.status_code, response.json()["code"]) == (409, "deal_room_qa.not_answered")
    assert (await _get(client, room, room.lead, question)).json()["status"] == "open"


async def test_only_the_lead_team_assigns_answers_and_publishes(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    question = (await ask(client, room, room.asker))["id"]
    writes = [
        ("/assignment", {"assignee_id": str(room.lead.user.id), "due_at": _due()}),
        ("/answers", {"text": "自分で答えます"}),
        ("/publication", FAQ),
    ]
    for actor in (room.asker, room.colleague, room.bank, room.observer):
        for rest, body in writes:
            response = await client.post(room.url(f"/questions/{question}{rest}"), json=body, headers=actor.headers)
            assert (response.status_code, response.json()["code"]) == (403, "deal_room.action_not_allowed"), rest
    assert (await _get(client, room, room.lead, question)).json()["status"] == "open"


async def test_an_observer_reads_but_does_not_ask(client, db, make_actor):
    room = await qa_room(client, db, make_actor)

    response = await client.post(room.url("/questions"), json={"text": "質問"}, headers=room.observer.headers)

    assert (response.status_code, response.json()["code"]) == (403, "deal_room.action_not_allowed")
    assert (await client.get(room.url("/questions"), headers=room.observer.headers)).status_code == 200


async def test_a_participant_who_leaves_no_longer_sees_its_questions_but_its_colleague_does(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    question = (await ask(client, room, room.asker))["id"]

    assert (await client.post(room.url("/leave"), headers=room.asker.headers)).status_code == 204

    gone = await _get(client, room, room.asker, question)
    assert (gone.status_code, gone.json()["code"]) == (404, "deal_room.not_found")
    assert (await _get(client, room, room.colleague, question)).status_code == 200


async def test_each_step_is_in_the_audit_log_without_the_confidential_texts(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    question = (await ask(client, room, room.asker, "極秘の質問"))["id"]
    await client.post(
        room.url(f"/questions/{question}/assignment"),
        json={"assignee_id": str(room.lead2.user.id), "due_at": _due()},
        headers=room.lead.headers,
    )
    await answer(client, room, room.lead2, question, "極秘の回答")
    await client.post(room.url(f"/questions/{question}/publication"), json=FAQ, headers=room.lead.headers)
    await client.delete(room.url(f"/questions/{question}/publication"), headers=room.lead.headers)

    entries = (
        await db.scalars(select(AuditEntry).where(AuditEntry.object_id == question).order_by(AuditEntry.seq))
    ).all()

    assert [(e.action, e.actor_id) for e in entries] == [
        ("deal_room.question_asked", room.asker.user.id),
        ("deal_room.question_assigned", room.lead.user.id),
        ("deal_room.question_answered", room.lead2.user.id),
        ("deal_room.faq_published", room.lead.user.id),
        ("deal_room.faq_unpublished", room.lead.user.id),
    ]
    assert {e.object_type for e in entries} == {"deal_room_question"}
    assert all(json.loads(e.payload)["room_id"] == room.id for e in entries)
    assert json.loads(entries[1].payload)["assignee_id"] == str(room.lead2.user.id)
    assert json.loads(entries[2].payload)["revision"] == 1
    assert not any("極秘" in e.payload or FAQ["question_ja"] in e.payload for e in entries)


async def test_a_retried_question_or_answer_is_written_once(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    asker = {**room.asker.headers, "Idempotency-Key": "ask-1"}
    first = await client.post(room.url("/questions"), json={"text": "一度だけ"}, headers=asker)
    again = await client.post(room.url("/questions"), json={"text": "一度だけ"}, headers=asker)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    question = first.json()["id"]
    lead = {**room.lead.headers, "Idempotency-Key": "answer-1"}
    url = room.url(f"/questions/{question}/answers")
    answers = [await client.post(url, json={"text": "回答"}, headers=lead) for _ in range(2)]
    assert answers[1].json() == answers[0].json()
    assert [a["revision"] for a in answers[1].json()["answers"]] == [1]
    assert await _listed(client, room, room.lead) == [question]
