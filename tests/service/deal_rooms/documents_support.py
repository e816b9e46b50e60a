"""Arranging a data room for the tests: a room with a lead, seated participants past the NDA,
folders, uploads, and PDFs of any number of pages."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import Any

from reportlab.pdfgen import canvas
from sqlalchemy import update

from service.models import User
from service.models.enums import Role
from tests.service.deal_rooms.support import API, accept_nda, add_project, invite, open_room


def pdf_bytes(pages: int = 3, text: str = "Business plan") -> bytes:
    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=(595, 842))
    for number in range(1, pages + 1):
        sheet.setFont("Helvetica", 14)
        sheet.drawString(72, 760, f"{text} - page {number}")
        sheet.showPage()
    sheet.save()
    return out.getvalue()


CSV = "年度,売上\n2025,1200\n2026,1500\n".encode()


@dataclass
class DataRoom:
    client: Any
    room: str
    lead: Any
    people: dict[str, Any]

    @property
    def base(self) -> str:
        return f"{API}/deal-rooms/{self.room}"

    def headers(self, who: str) -> dict[str, str]:
        return dict(self.lead.headers if who == "lead" else self.people[who].headers)

    async def folder(self, name: str, parent: str | None = None) -> str:
        body: dict[str, Any] = {"name": name, **({"parent_id": parent} if parent else {})}
        response = await self.client.post(f"{self.base}/folders", json=body, headers=self.lead.headers)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def upload(self, folder: str, data: bytes, name: str = "plan.pdf", who: str = "lead") -> Any:
        return await self.client.post(
            f"{self.base}/folders/{folder}/documents",
            files={"file": (name, data, "application/octet-stream")},
            headers=self.headers(who),
        )

    async def document(self, folder: str, data: bytes, name: str = "plan.pdf") -> str:
        response = await self.upload(folder, data, name)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def set_level(self, kind: str, target: str, group: str, level: str) -> Any:
        response = await self.client.put(
            f"{self.base}/{kind}/{target}/permissions", json={"group": group, "level": level}, headers=self.lead.headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def get(self, who: str, path: str, **params: Any) -> Any:
        return await self.client.get(f"{self.base}{path}", params=params or None, headers=self.headers(who))


async def data_room(client: Any, db: Any, make_actor: Any, **seats: tuple[Role, str, bool]) -> DataRoom:
    """A room of a vetted project; ``seats`` name participants: ``name=(account role, room role,
    NDA accepted)``."""
    lead = await make_actor(Role.project_lead)
    room = await open_room(client, lead, await add_project(db, lead))
    people = {}
    for name, (role, room_role, accepted) in seats.items():
        actor = await make_actor(role)
        await invite(client, lead, room, actor, room_role)
        if accepted:
            assert (await accept_nda(client, actor, room)).status_code == 201
        people[name] = actor
    return DataRoom(client, room, lead, people)


async def rename_user(db: Any, user_id: uuid.UUID, name: str) -> None:
    await db.execute(update(User).where(User.id == user_id).values(display_name=name))  # type: ignore[arg-type]
    await db.commit()
