"""Rows and arrangement for the deal-room Q&A endpoints of the authorization matrix.

Every row works on a fresh room that ``lead_owner`` opens on ``org_a``'s vetted project; the bank
user sits in it (role ``bank``, NDA accepted). Targets say who asked the row's question and where
the other callers sit:

- ``bank_asked``: the bank asked; the investor sits in the room past the NDA (another
  participant); the other lead and the admin take no part;
- ``bank_asked:investor_pre_nda``: as above, but the investor has not accepted the NDA;
- ``bank_asked:investor_outside``: the investor takes no part (a non-participant investor);
- ``bank_asked:observer``: as ``bank_asked``, and the admin sits in as an observer (NDA accepted);
- ``investor_asked``: the investor asked; the bank is the other participant;
- ``unknown``: no such room; ``unknown_question``: the ``bank_asked`` room, no such question.

The question is open for the assignment rows, answered for the answer and publication rows, and
answered and published for the reads and the unpublication. Besides the status, every answer is
checked for leaks: a caller who is neither the asker nor the lead team never receives the
question's text, and the FAQ never the asker.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.service.conftest import CALLERS, World

API = "/api/v1"
UNKNOWN = "00000000-0000-4000-8000-000000000000"
NDA = {"nda_ja": "秘密保持契約の本文", "nda_en": "The NDA's text"}
R = f"{API}/deal-rooms/{{room_id}}"
QS = f"{R}/questions"
Q = f"{QS}/{{question_id}}"
ASSIGN, ANSWERS, PUBLICATION, FAQ = f"{Q}/assignment", f"{Q}/answers", f"{Q}/publication", f"{R}/faq"


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    target: str
    expect: dict[str, int]


def _targets(lead: int, asker: int, other: int, pre_nda: int, observer: int, unknown_q: int | None) -> list[tuple]:
    """(target, expectations) for one endpoint: statuses of the lead, the asker, another participant
    past the NDA, a participant before it, an admin observer (``unknown_q``: of the participants
    for an unknown question; ``None`` when the path names no question)."""
    outside = {"anonymous": 401, "lead_other": 404, "admin": 404}
    rows = [
        ("bank_asked", {**outside, "lead_owner": lead, "bank": asker, "investor": other}),
        ("bank_asked:investor_pre_nda", {**outside, "lead_owner": lead, "bank": asker, "investor": pre_nda}),
        ("bank_asked:investor_outside", {**outside, "lead_owner": lead, "bank": asker, "investor": 404}),
        ("bank_asked:observer", {**outside, "lead_owner": lead, "bank": asker, "investor": other, "admin": observer}),
        ("investor_asked", {**outside, "lead_owner": lead, "bank": other, "investor": asker}),
        ("unknown", {**dict.fromkeys(CALLERS, 404), "anonymous": 401}),
    ]
    if unknown_q is not None:
        participants = {"lead_owner": 404, "bank": unknown_q, "investor": unknown_q}
        rows.append(("unknown_question", {**outside, **participants}))
    return rows


def _qa_rows() -> list[Row]:
    lead_only = (403, 403, 403, 403)
    table = [
        # Asking: anyone in the room past the NDA but observers; reading the lists: everyone past it
        # (each list shows the caller only what it may see); one question: its asker's side and the
        # lead team — another participant gets 404, as for a question that does not exist.
        ("POST", QS, 201, (201, 201, 403, 403), None),
        ("GET", QS, 200, (200, 200, 403, 200), None),
        ("GET", Q, 200, (200, 404, 403, 404), 404),
        ("GET", FAQ, 200, (200, 200, 403, 200), None),
        # The lead team's moves: the room's stage table refuses everyone else (403) before the
        # question is looked up.
        ("POST", ASSIGN, 200, lead_only, 403),
        ("POST", ANSWERS, 201, lead_only, 403),
        ("POST", PUBLICATION, 200, lead_only, 403),
        ("DELETE", PUBLICATION, 204, lead_only, 403),
    ]
    return [
        Row(method, path, target, expect)
        for method, path, lead, others, unknown_q in table
        for target, expect in _targets(lead, *others, unknown_q)
    ]


QA_ROWS = _qa_rows()
QA_PATHS = frozenset(row.path for row in QA_ROWS)


# ── arranging one row ─────────────────────────────────────────────────────────────────────────


def _body(method: str, path: str, world: World) -> dict[str, Any] | None:
    if method == "POST" and path == QS:
        return {"text": "追加の質問です。"}
    if path == ASSIGN:
        due = (datetime.now(UTC) + timedelta(days=2)).isoformat()
        return {"assignee_id": str(world.actors["lead_owner"].user.id), "due_at": due}
    if path == ANSWERS:
        return {"text": "改訂した回答です。"}
    if method == "POST" and path == PUBLICATION:
        return {"question_ja": "公開用の質問", "question_en": "The question as published"}
    return None


async def _ok(response: Any, status: int) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


@dataclass
class Arranged:
    names: dict[str, str]
    asker: str
    secret: str


async def _arrange(client: Any, world: World, method: str, path: str, target: str) -> Arranged:
    lead = world.headers("lead_owner")
    opened = await _ok(
        await client.post(f"{API}/projects/{world.projects['vetted']}/deal-room", json=NDA, headers=lead), 201
    )
    room = opened["id"]

    async def seat(caller: str, role: str, *, accept: bool = True) -> None:
        actor = world.actors[caller]
        body = {"user_id": str(actor.user.id), "organisation_id": str(actor.organisation.id), "role": role}
        await _ok(await client.post(f"{API}/deal-rooms/{room}/participants", json=body, headers=lead), 201)
        if accept:
            accepted = await client.post(
                f"{API}/deal-rooms/{room}/nda/acceptance", json={"version": 1}, headers=world.headers(caller)
            )
            await _ok(accepted, 201)

    await seat("bank", "bank")
    if target != "bank_asked:investor_outside":
        await seat("investor", "investor", accept=target != "bank_asked:investor_pre_nda")
    if target == "bank_asked:observer":
        await seat("admin", "observer")
    asker = "investor" if target == "investor_asked" else "bank"
    secret = f"極秘の質問 {uuid.uuid4()}"
    asked = await client.post(f"{API}/deal-rooms/{room}/questions", json={"text": secret}, headers=world.headers(asker))
    question = (await _ok(asked, 201))["id"]
    if path != ASSIGN:
        answered = await client.post(
            f"{API}/deal-rooms/{room}/questions/{question}/answers", json={"text": "回答です。"}, headers=lead
        )
        await _ok(answered, 201)
    if method == "GET" or (method == "DELETE" and path == PUBLICATION):
        body = {"question_ja": "公開用の質問", "question_en": "The question as published"}
        published = await client.post(
            f"{API}/deal-rooms/{room}/questions/{question}/publication", json=body, headers=lead
        )
        await _ok(published, 200)
    names = {"room_id": room, "question_id": UNKNOWN if target == "unknown_question" else question}
    return Arranged(names, asker, secret)


def _assert_no_leak(response: Any, world: World, arranged: Arranged, caller: str) -> None:
    asker = world.actors[arranged.asker]
    if caller not in ("lead_owner", arranged.asker):
        assert arranged.secret not in response.text, response.text
    if response.request.url.path.endswith("/faq"):
        for trace in (arranged.secret, str(asker.user.id), str(asker.organisation.id)):
            assert trace not in response.text, response.text


async def request(client: Any, world: World, method: str, path: str, target: str, caller: str) -> Any:
    """Send the row's request as ``caller`` (in a freshly arranged room) and check it leaks nothing."""
    if target == "unknown":
        names = {"room_id": UNKNOWN, "question_id": UNKNOWN}
        return await client.request(
            method, path.format(**names), json=_body(method, path, world), headers=world.headers(caller)
        )
    arranged = await _arrange(client, world, method, path, target)
    response = await client.request(
        method, path.format(**arranged.names), json=_body(method, path, world), headers=world.headers(caller)
    )
    _assert_no_leak(response, world, arranged, caller)
    if response.status_code == 404 and caller != "anonymous":
        in_room = caller in ("lead_owner", "bank") or (caller == "investor" and "outside" not in target)
        in_room = in_room or (caller == "admin" and target.endswith("observer"))
        expected = "deal_room_qa.question_not_found" if in_room else "deal_room.not_found"
        assert response.json()["code"] == expected, response.text
    return response
