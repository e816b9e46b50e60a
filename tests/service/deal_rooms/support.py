"""Arranging deal rooms for the tests: a project in a status, a room opened through the API."""

from __future__ import annotations

import uuid
from typing import Any

from tests.service.helpers import project_row

API = "/api/v1"
NDA = {"nda_ja": "本ルームの情報を第三者に開示しません。", "nda_en": "I will not disclose this room's contents."}


async def add_project(db: Any, lead: Any, status: str = "vetted") -> uuid.UUID:
    project = project_row(
        lead.organisation.id,
        lead.user.id,
        status,
        title_ja=f"ディール案件（{status}）",
        title_en=f"Deal project ({status})",
    )
    db.add(project)
    await db.commit()
    return project.id


async def open_room(client: Any, lead: Any, project_id: uuid.UUID) -> str:
    response = await client.post(f"{API}/projects/{project_id}/deal-room", json=NDA, headers=lead.headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def invite(client: Any, lead: Any, room: str, actor: Any, role: str) -> dict[str, Any]:
    body = {"user_id": str(actor.user.id), "organisation_id": str(actor.organisation.id), "role": role}
    response = await client.post(f"{API}/deal-rooms/{room}/participants", json=body, headers=lead.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def accept_nda(client: Any, actor: Any, room: str, version: int = 1) -> Any:
    return await client.post(
        f"{API}/deal-rooms/{room}/nda/acceptance", json={"version": version}, headers=actor.headers
    )
