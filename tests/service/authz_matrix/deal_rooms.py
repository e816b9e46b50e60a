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

from tests.service.authz_matrix.rows import API, Row, only, signed_in
from tests.service.conftest import World

UNKNOWN = "00000000-0000-4000-8000-000000000000"
NDA = {"nda_ja": "秘密保持契約の本文", "nda_en": "The NDA's text"}
R = f"{API}/deal-rooms/{{room_id}}"
OPEN, ASK = f"{API}/projects/{{project_id}}/deal-room", f"{API}/projects/{{project_id}}/deal-room/access-requests"
PARTICIPANT = f"{R}/participants/{{participant_id}}"
DECISION = f"{R}/access-requests/{{request_id}}/decision"


def _room(lead: int, bank: int, *, admin: int = 404, investor: int = 404) -> dict[str, int]:
    """A room endpoint: non-participants (and admins who are not observers) get 404."""
    return only({"lead_owner": lead, "bank": bank, "admin": admin, "investor": investor}, 404)


def _rows_for(path: str, method: str, lead: int, bank: int, pre_nda: int, observer: int) -> list[Row]:
    return [
        Row(method, path, "room", _room(lead, bank)),
        Row(method, path, "room:pre_nda", _room(lead, pre_nda)),
        Row(method, path, "room:observer", _room(lead, bank, admin=observer)),
        Row(method, path, "unknown", signed_in(404)),
    ]


def deal_room_rows() -> list[Row]:
    leads = {"lead_owner": 201, "lead_other": 201}
    rows = [
        # Opening: project leads only (guard); the owner on a vetted project; others' hidden projects 404.
        Row("POST", OPEN, "vetted", only({"lead_owner": 201}, 403)),
        Row("POST", OPEN, "draft", only({"lead_owner": 409, "lead_other": 404}, 403)),
        Row("POST", OPEN, "unknown", only({k: 404 for k in leads}, 403)),
        # Asking for access: investors and banks (a participant already: 409); no open room: 404.
        Row("POST", ASK, "room", only({"investor": 201, "bank": 409}, 403)),
        Row("POST", ASK, "no_room", only({"investor": 404, "bank": 404}, 403)),
        Row("GET", f"{API}/deal-rooms", "-", signed_in(200)),
        *_rows_for(R, "GET", 200, 200, 200, 200),
        *_rows_for(f"{R}/nda", "GET", 200, 200, 200, 200),
        *_rows_for(f"{R}/nda/acceptance", "POST", 201, 201, 201, 201),
        *_rows_for(f"{R}/participants", "GET", 200, 200, 403, 200),
        *_rows_for(f"{R}/transitions", "GET", 200, 200, 403, 200),
        *_rows_for(f"{R}/transitions", "POST", 201, 403, 403, 403),
        *_rows_for(f"{R}/participants", "POST", 201, 403, 403, 403),
        *_rows_for(PARTICIPANT, "DELETE", 204, 403, 403, 403),
        *_rows_for(f"{R}/access-requests", "GET", 200, 403, 403, 403),
        *_rows_for(DECISION, "POST", 200, 403, 403, 403),
        *_rows_for(f"{R}/nda", "POST", 201, 403, 403, 403),
        # Leaving: anyone taking part, except the room's last lead-team member (409).
        *_rows_for(f"{R}/leave", "POST", 409, 204, 204, 204),
    ]
    return rows


ROOM_PATHS = frozenset(row.path for row in deal_room_rows())


def _body(method: str, path: str, world: World) -> dict[str, Any] | None:
    if path == OPEN:
        return NDA
    if path == ASK:
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
    if path == DECISION:
        return {"decision": "accept", "reason": "歓迎します"}
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
    if path in (OPEN, ASK):
        if path == ASK and target == "room":
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
