"""Asking for access from a match: the request says it came from a match and keeps the match as
the server ranked it; the matches show, per project, whether it has an open room and where the
caller stands — the room's id only to its participants."""

from __future__ import annotations

from typing import Any

import pytest

from service.models.enums import Role
from tests.service.deal_rooms.support import API, open_room
from tests.service.test_matches import _profile, _project


@pytest.fixture
async def market(db: Any, make_actor: Any) -> dict[str, Any]:
    lead = await make_actor(Role.project_lead)
    investor = await make_actor(Role.investor, kind="fund")
    other = await make_actor(Role.investor)
    with_room = _project(lead.organisation.id, lead.user.id)
    without_room = _project(lead.organisation.id, lead.user.id, sector="mobility", instrument="loan")
    mine = _profile(org_id=investor.organisation.id, creator=investor.user.id, name="公開ファンド")
    theirs = _profile(user_id=other.user.id, creator=other.user.id, name="別の投資家")
    db.add_all([with_room, without_room, mine, theirs])
    await db.commit()
    return {
        "lead": lead,
        "investor": investor,
        "other": other,
        "with_room": with_room.id,
        "without_room": without_room.id,
        "mine": mine.id,
        "theirs": theirs.id,
    }


async def _matches(client: Any, m: dict[str, Any]) -> dict[str, dict[str, Any]]:
    page = await client.get(f"{API}/investors/{m['mine']}/matches", headers=m["investor"].headers)
    assert page.status_code == 200, page.text
    return {item["project_id"]: item for item in page.json()["items"]}


def _ask(m: dict[str, Any], **body: Any) -> tuple[str, dict[str, Any]]:
    return f"{API}/projects/{m['with_room']}/deal-room/access-requests", {"note": "マッチから申請します", **body}


async def test_a_request_from_a_match_keeps_the_match_and_the_matches_show_where_the_caller_stands(client, market):
    room = await open_room(client, market["lead"], market["with_room"])
    before = await _matches(client, market)
    item = before[str(market["with_room"])]
    assert item["deal_room"] == {"open": True, "participant": False, "room_id": None, "request": None}
    assert before[str(market["without_room"])]["deal_room"]["open"] is False

    url, body = _ask(market, source="match", investor_id=str(market["mine"]))
    asked = await client.post(url, json=body, headers=market["investor"].headers)

    assert asked.status_code == 201, asked.text
    request = asked.json()
    assert request["source"] == "match"
    assert request["match"]["investor_id"] == str(market["mine"])
    assert request["match"]["score"] == pytest.approx(item["score"], abs=1e-6)
    assert [r["code"] for r in request["match"]["reasons"]] == [r["code"] for r in item["reasons"]]
    assert request["match"]["ranker"] == "content"
    listed = await client.get(f"{API}/deal-rooms/{room}/access-requests", headers=market["lead"].headers)
    assert listed.json()["items"][0]["match"] == request["match"]  # the lead sees where it came from
    pending = (await _matches(client, market))[str(market["with_room"])]["deal_room"]
    assert pending == {"open": True, "participant": False, "room_id": None, "request": "pending"}

    decision = {"decision": "accept", "reason": "歓迎します"}
    decided = await client.post(
        f"{API}/deal-rooms/{room}/access-requests/{request['id']}/decision",
        json=decision,
        headers=market["lead"].headers,
    )
    assert decided.status_code == 200, decided.text
    seated = (await _matches(client, market))[str(market["with_room"])]["deal_room"]
    assert seated == {"open": True, "participant": True, "room_id": room, "request": "accepted"}


async def test_a_request_from_a_project_page_says_so_and_keeps_no_match(client, market):
    await open_room(client, market["lead"], market["with_room"])
    url, body = _ask(market)
    asked = await client.post(url, json=body, headers=market["investor"].headers)
    assert asked.status_code == 201, asked.text
    assert (asked.json()["source"], asked.json()["match"]) == ("project", None)


async def test_a_match_request_needs_the_callers_own_profile(client, db, market):
    await open_room(client, market["lead"], market["with_room"])
    url, body = _ask(market, source="match")
    without = await client.post(url, json=body, headers=market["investor"].headers)
    url, body = _ask(market, source="match", investor_id=str(market["theirs"]))
    not_mine = await client.post(url, json=body, headers=market["investor"].headers)

    assert without.status_code == 422, without.text
    assert without.json()["code"] == "deal_room.match_profile_required"
    assert [e["field"] for e in without.json()["errors"]] == ["investor_id"]
    assert (not_mine.status_code, not_mine.json()["code"]) == (404, "investor_profile.not_found")
    assert (await _matches(client, market))[str(market["with_room"])]["deal_room"]["request"] is None


async def test_the_matches_never_show_the_id_of_a_room_the_caller_is_not_in(client, market):
    room = await open_room(client, market["lead"], market["with_room"])
    states = [item["deal_room"] for item in (await _matches(client, market)).values()]
    assert room not in str(states)
