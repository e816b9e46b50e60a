"""Lists of questions and of the FAQ: pages, the status and overdue filters, and who sees which
questions in a list."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from service.models import DealRoomQuestion
from tests.service.deal_rooms.qa_support import FAQ, QaRoom, answer, ask, qa_room

PAGE_KEYS = {"items", "total", "limit", "next_cursor"}


async def _assign(client, room: QaRoom, question: str, days: float = 2) -> None:
    due = (datetime.now(UTC) + timedelta(days=days)).isoformat()
    response = await client.post(
        room.url(f"/questions/{question}/assignment"),
        json={"assignee_id": str(room.lead2.user.id), "due_at": due},
        headers=room.lead.headers,
    )
    assert response.status_code == 200, response.text


async def _due_in_the_past(db, question: str, hours: float) -> None:
    """Time passes: the question's due date lies ``hours`` behind us."""
    past = datetime.now(UTC) - timedelta(hours=hours)
    await db.execute(update(DealRoomQuestion).where(DealRoomQuestion.id == uuid.UUID(question)).values(due_at=past))
    await db.commit()


async def _ids(client, room: QaRoom, actor, **params) -> list[str]:
    response = await client.get(room.url("/questions"), params=params, headers=actor.headers)
    assert response.status_code == 200, response.text
    assert set(response.json()) == PAGE_KEYS
    assert response.json()["total"] == len(response.json()["items"])
    return [q["id"] for q in response.json()["items"]]


async def _one_in_each_status(client, room: QaRoom) -> dict[str, str]:
    made = {s: (await ask(client, room, room.asker, f"{s} の質問"))["id"] for s in ("open", "assigned", "answered")}
    made["published"] = (await ask(client, room, room.asker, "公開する質問"))["id"]
    await _assign(client, room, made["assigned"])
    await answer(client, room, room.lead, made["answered"])
    await answer(client, room, room.lead, made["published"])
    url = room.url(f"/questions/{made['published']}/publication")
    assert (await client.post(url, json=FAQ, headers=room.lead.headers)).status_code == 200
    return made


async def test_the_status_filter_keeps_the_questions_in_those_statuses(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    made = await _one_in_each_status(client, room)

    for status, question in made.items():
        assert await _ids(client, room, room.lead, status=status) == [question]
        assert await _ids(client, room, room.asker, status=status) == [question]
    both = await _ids(client, room, room.lead, status=["open", "assigned"])
    assert both == [made["open"], made["assigned"]]  # oldest first
    assert await _ids(client, room, room.lead) == list(made.values())
    bad = await client.get(room.url("/questions"), params={"status": "closed"}, headers=room.lead.headers)
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "status"


async def test_overdue_questions_are_listed_for_the_lead_team_longest_overdue_first(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    made = await _one_in_each_status(client, room)
    later = (await ask(client, room, room.bank, "期限切れ二件目"))["id"]
    on_time = (await ask(client, room, room.bank, "期限内"))["id"]
    for question in (later, on_time):
        await _assign(client, room, question)
    await _due_in_the_past(db, made["assigned"], hours=1)
    await _due_in_the_past(db, later, hours=30)
    await _due_in_the_past(db, made["answered"], hours=50)  # answered: late, but not overdue

    overdue = await _ids(client, room, room.lead, overdue="true")

    assert overdue == [later, made["assigned"]]
    assert await _ids(client, room, room.lead2, overdue="true", status="assigned") == overdue
    assert set(await _ids(client, room, room.lead, overdue="false")) == {
        made["open"],
        made["answered"],
        made["published"],
        on_time,
    }
    read = (await client.get(room.url(f"/questions/{later}"), headers=room.lead.headers)).json()
    assert read["assignment"]["overdue"] is True
    for outsider_of_the_team in (room.asker, room.bank):
        refused = await client.get(
            room.url("/questions"), params={"overdue": "true"}, headers=outsider_of_the_team.headers
        )
        assert (refused.status_code, refused.json()["code"]) == (403, "deal_room_qa.overdue_lead_only")


async def test_each_side_lists_its_own_questions_and_the_lead_team_all(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    mine = (await ask(client, room, room.asker, "投資家の質問"))["id"]
    colleagues = (await ask(client, room, room.colleague, "同僚の質問"))["id"]
    banks = (await ask(client, room, room.bank, "銀行の質問"))["id"]

    assert await _ids(client, room, room.asker) == [mine, colleagues]
    assert await _ids(client, room, room.colleague) == [mine, colleagues]
    assert await _ids(client, room, room.bank) == [banks]
    assert await _ids(client, room, room.observer) == []
    assert await _ids(client, room, room.lead2) == [mine, colleagues, banks]


async def test_the_question_list_walks_page_by_page_with_each_question_once(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    asked = [(await ask(client, room, room.bank, f"質問 {i}"))["id"] for i in range(5)]

    seen: list[str] = []
    params: dict[str, str | int] = {"limit": 2}
    while True:
        page = (await client.get(room.url("/questions"), params=params, headers=room.lead.headers)).json()
        assert (page["total"], page["limit"]) == (5, 2)
        seen += [q["id"] for q in page["items"]]
        if page["next_cursor"] is None:
            break
        params = {"limit": 2, "cursor": page["next_cursor"]}

    assert seen == asked
    forged = await client.get(room.url("/questions"), params={"cursor": "bm90LWEtY3Vyc29y"}, headers=room.lead.headers)
    assert (forged.status_code, forged.json()["errors"][0]["field"]) == (422, "cursor")


async def test_the_faq_lists_published_items_in_the_order_they_were_published(client, db, make_actor):
    room = await qa_room(client, db, make_actor)
    questions = [(await ask(client, room, actor, "質問"))["id"] for actor in (room.bank, room.asker, room.colleague)]
    for question in questions:
        await answer(client, room, room.lead, question)
    for i, question in enumerate(reversed(questions)):
        body = {"question_ja": f"質問 {i}", "question_en": f"Question {i}"}
        url = room.url(f"/questions/{question}/publication")
        assert (await client.post(url, json=body, headers=room.lead.headers)).status_code == 200

    first = (await client.get(room.url("/faq"), params={"limit": 2}, headers=room.bank.headers)).json()
    rest = (
        await client.get(
            room.url("/faq"), params={"limit": 2, "cursor": first["next_cursor"]}, headers=room.bank.headers
        )
    ).json()

    assert first["total"] == 3
    assert [item["question_en"] for item in first["items"] + rest["items"]] == [
        "Question 0",
        "Question 1",
        "Question 2",
    ]
    assert [item["id"] for item in first["items"] + rest["items"]] == list(reversed(questions))
    assert rest["next_cursor"] is None


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/questions", {"limit": 0}, "limit"),
        ("/questions", {"limit": 201}, "limit"),
        ("/questions", {"cursor": "not a cursor"}, "cursor"),
        ("/questions", {"status": "secret"}, "status"),
        ("/questions", {"overdue": "maybe"}, "overdue"),
        ("/faq", {"limit": "ten"}, "limit"),
        ("/faq", {"cursor": "bzotMQ"}, "cursor"),
    ],
)
async def test_bad_list_parameters_are_a_4xx_naming_the_parameter(client, db, make_actor, path, params, field):
    room = await qa_room(client, db, make_actor)

    response = await client.get(room.url(path), params=params, headers=room.lead.headers)

    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in response.json()["errors"]] == [field]
