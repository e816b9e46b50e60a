"""Rows and arrangement for the deal-room endpoints of the authorization matrix.

Every row on a room works on a fresh room that ``lead_owner`` opens on ``org_a``'s vetted project,
into which it invites the bank user (role ``bank``), who accepts the NDA. Targets:

- ``room``: as above; the investor, the other lead and the admin take no part (404);
- ``room:pre_nda``: the bank has not accepted the NDA yet (sees name, stage and NDA only: 403);
- ``room:observer``: the admin is invited as ``observer`` and accepted the NDA;
- ``unknown``: no such room. ``no_room``: the funding project, which has no room.

Decisions act on the investor's pending access request; removals on the bank's participation.
"""

from __future__ import annotations

from typing import Any

from tests.service.authz_matrix.deal_room_live import MESSAGE
from tests.service.authz_matrix.rows import API, DEAL_ROOM_ROWS, ROOM_ASK, ROOM_DECISION, ROOM_OPEN
from tests.service.conftest import World

UNKNOWN = "00000000-0000-4000-8000-000000000000"
NDA = {"nda_ja": "秘密保持契約の本文", "nda_en": "The NDA's text"}


ROOM_PATHS = frozenset(row.path for row in DEAL_ROOM_ROWS)


def _body(method: str, path: str, world: World) -> dict[str, Any] | None:
    if path == ROOM_OPEN:
        return NDA
    if path == ROOM_ASK:
        return {"note": "出資を検討しています"}
    if path.endswith("/nda/acceptance"):
        return {"version": 1}
    if path.endswith("/nda") and method == "POST":
        return {"text_ja": "第二版", "text_en": "Second version"}
    if path.endswith("/transitions") and method == "POST":
        return {"to_stage": "nda", "reason": "NDA の段階へ"}
    if path.endswith("/participants") and method == "POST":
        spare = world.actors["investor"]
        return {"user_id": str(spare.user.id), "organisation_id": str(world.investor_org.id), "role": "investor"}
    if path == ROOM_DECISION:
        return {"decision": "accept", "reason": "歓迎します"}
    if path.endswith("/messages") and method == "POST":
        return MESSAGE
    return None


async def _arrange(client: Any, world: World, target: str, *, ask: bool = True) -> dict[str, str]:
    """Open the room of the target and seat its participants; the ids the path needs."""
    lead = world.headers("lead_owner")
    project = world.projects["vetted"]
    opened = await client.post(f"{API}/projects/{project}/deal-room", json=NDA, headers=lead)
    assert opened.status_code == 201, opened.text
    room = opened.json()["id"]

    async def seat(caller: str, role: str, accept: bool) -> str:
        actor = world.actors[caller]
        body = {"user_id": str(actor.user.id), "organisation_id": str(actor.organisation.id), "role": role}
        invited = await client.post(f"{API}/deal-rooms/{room}/participants", json=body, headers=lead)
        assert invited.status_code == 201, invited.text
        if accept:
            accepted = await client.post(
                f"{API}/deal-rooms/{room}/nda/acceptance", json={"version": 1}, headers=world.headers(caller)
            )
            assert accepted.status_code == 201, accepted.text
        return str(invited.json()["id"])

    participant = await seat("bank", "bank", accept=target != "room:pre_nda")
    if target == "room:observer":
        await seat("admin", "observer", accept=True)
    if not ask:
        return {"room_id": room, "participant_id": participant}
    asked = await client.post(
        f"{API}/projects/{project}/deal-room/access-requests",
        json={"note": "参加したい"},
        headers=world.headers("investor"),
    )
    assert asked.status_code == 201, asked.text
    return {"room_id": room, "participant_id": participant, "request_id": str(asked.json()["id"])}


async def request(client: Any, world: World, method: str, path: str, target: str, caller: str) -> Any:
    """Send the row's request as ``caller``; returns the response."""
    names: dict[str, str] = {}
    if path in (ROOM_OPEN, ROOM_ASK):
        if path == ROOM_ASK and target == "room":
            await _arrange(client, world, target, ask=False)
        key = {"no_room": "funding", "room": "vetted"}.get(target, target)
        names["project_id"] = str(world.projects[key]) if key in world.projects else UNKNOWN
    elif "{room_id}" in path:
        if target == "unknown":
            names = {"room_id": UNKNOWN, "participant_id": UNKNOWN, "request_id": UNKNOWN}
        else:
            names = await _arrange(client, world, target)
    url = path.format(**names)
    return await client.request(method, url, json=_body(method, path, world), headers=world.headers(caller))
