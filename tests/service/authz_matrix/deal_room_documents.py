"""Rows and arrangement for the data-room endpoints of the authorization matrix.

Every row works on a fresh room that ``lead_owner`` opens on ``org_a``'s vetted project, with one
folder holding one document, into which it invites the bank user (room role ``bank``). Targets:

- ``docs``: the bank accepted the NDA and its group has ``download`` on the folder; the investor,
  the other lead and the admin take no part (404, like an unknown room);
- ``docs:view_only``: the bank's group keeps the default, ``view``; the admin is invited as
  ``observer`` and accepted the NDA (its group keeps ``view`` too);
- ``docs:hidden``: the bank's group has ``none`` on the folder: the folder and document answer
  404 as if they did not exist, the folder list is empty;
- ``docs:pre_nda``: the bank has not accepted the NDA (403 on everything);
- ``unknown``: no such room.
"""

from __future__ import annotations

from typing import Any

from tests.service.authz_matrix.rows import API, Row, only, signed_in
from tests.service.conftest import World

UNKNOWN = "00000000-0000-4000-8000-000000000000"
NDA = {"nda_ja": "秘密保持契約の本文", "nda_en": "The NDA's text"}
CSV = "年度,売上\n2026,1500\n".encode()
R = f"{API}/deal-rooms/{{room_id}}"
F = f"{R}/folders/{{folder_id}}"
D = f"{R}/documents/{{document_id}}"
UPLOADS = frozenset({f"{F}/documents", f"{D}/versions"})
#: What a hidden folder or document (or an unknown one) answers.
NOT_FOUND = frozenset({"deal_room.not_found", "deal_room_document.folder_not_found", "deal_room_document.not_found"})


def _rows(method: str, path: str, lead: int, view: int, download: int, hidden: int) -> list[Row]:
    """``view``/``download``: what a participant whose group has that level gets; ``hidden``: one
    whose group has ``none`` on the folder. Everyone else takes no part: 404."""

    def room(bank: int, admin: int = 404) -> dict[str, int]:
        return only({"lead_owner": lead, "bank": bank, "admin": admin}, 404)

    return [
        Row(method, path, "docs", room(download)),
        Row(method, path, "docs:view_only", room(view, admin=view)),
        Row(method, path, "docs:hidden", room(hidden)),
        Row(method, path, "docs:pre_nda", room(403)),
        Row(method, path, "unknown", signed_in(404)),
    ]


def _document_rows() -> list[Row]:
    lead_only = {"view": 403, "download": 403, "hidden": 403}
    return [
        *_rows("GET", f"{R}/folders", 200, 200, 200, 200),
        *_rows("POST", f"{R}/folders", 201, **lead_only),
        *_rows("GET", F, 200, 200, 200, 404),
        *_rows("PATCH", F, 200, **lead_only),
        # The folder holds the document: only an empty folder may go (409).
        *_rows("DELETE", F, 409, **lead_only),
        *_rows("GET", f"{F}/permissions", 200, **lead_only),
        *_rows("PUT", f"{F}/permissions", 200, **lead_only),
        *_rows("GET", f"{F}/documents", 200, 200, 200, 404),
        *_rows("POST", f"{F}/documents", 201, **lead_only),
        *_rows("GET", D, 200, 200, 200, 404),
        *_rows("GET", f"{D}/versions", 200, 200, 200, 404),
        *_rows("POST", f"{D}/versions", 201, **lead_only),
        *_rows("GET", f"{D}/view", 200, 200, 200, 404),
        *_rows("GET", f"{D}/download", 200, 403, 200, 404),
        *_rows("POST", f"{D}/page-views", 201, 201, 201, 404),
        *_rows("GET", f"{D}/permissions", 200, **lead_only),
        *_rows("PUT", f"{D}/permissions", 200, **lead_only),
        *_rows("GET", f"{D}/accesses", 200, **lead_only),
        *_rows("GET", f"{R}/engagement/participants", 200, **lead_only),
        *_rows("GET", f"{R}/engagement/documents", 200, **lead_only),
    ]


DOCUMENT_ROWS = _document_rows()
DOCUMENT_PATHS = frozenset(row.path for row in DOCUMENT_ROWS)


def _body(method: str, path: str) -> dict[str, Any] | None:
    if method == "POST" and path == f"{R}/folders":
        return {"name": "新しいフォルダ"}
    if method == "PATCH":
        return {"name": "改名したフォルダ"}
    if method == "PUT":
        return {"group": "investor", "level": "download"}
    if path.endswith("/page-views"):
        return {"version": 1, "page": 1, "seconds": 2.5}
    return None


async def _arrange(client: Any, world: World, target: str) -> dict[str, str]:
    lead = world.headers("lead_owner")
    opened = await client.post(f"{API}/projects/{world.projects['vetted']}/deal-room", json=NDA, headers=lead)
    assert opened.status_code == 201, opened.text
    room = opened.json()["id"]
    base = f"{API}/deal-rooms/{room}"

    async def seat(caller: str, role: str, accept: bool) -> None:
        actor = world.actors[caller]
        body = {"user_id": str(actor.user.id), "organisation_id": str(actor.organisation.id), "role": role}
        invited = await client.post(f"{base}/participants", json=body, headers=lead)
        assert invited.status_code == 201, invited.text
        if accept:
            accepted = await client.post(f"{base}/nda/acceptance", json={"version": 1}, headers=world.headers(caller))
            assert accepted.status_code == 201, accepted.text

    await seat("bank", "bank", accept=target != "docs:pre_nda")
    if target == "docs:view_only":
        await seat("admin", "observer", accept=True)
    folder = await client.post(f"{base}/folders", json={"name": "財務資料"}, headers=lead)
    assert folder.status_code == 201, folder.text
    folder_id = folder.json()["id"]
    uploaded = await client.post(
        f"{base}/folders/{folder_id}/documents", files={"file": ("売上.csv", CSV, "text/csv")}, headers=lead
    )
    assert uploaded.status_code == 201, uploaded.text
    level = {"docs": "download", "docs:hidden": "none"}.get(target)
    if level is not None:
        body = {"group": "bank", "level": level}
        assert (await client.put(f"{base}/folders/{folder_id}/permissions", json=body, headers=lead)).status_code == 200
    return {"room_id": room, "folder_id": folder_id, "document_id": uploaded.json()["id"]}


async def request(client: Any, world: World, method: str, path: str, target: str, caller: str) -> Any:
    """Send the row's request as ``caller``; returns the response."""
    if target == "unknown":
        names = {"room_id": UNKNOWN, "folder_id": UNKNOWN, "document_id": UNKNOWN}
    else:
        names = await _arrange(client, world, target)
    url = path.format(**names)
    headers = world.headers(caller)
    if method == "POST" and path in UPLOADS:
        return await client.post(url, files={"file": ("v2.csv", CSV + b"2027,1800\n", "text/csv")}, headers=headers)
    return await client.request(method, url, json=_body(method, path), headers=headers)
