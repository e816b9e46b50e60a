"""Arranging a room for the Q&A tests: every kind of caller the Q&A has to keep apart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.models.enums import Role
from tests.service.deal_rooms.documents_support import pdf_bytes
from tests.service.deal_rooms.support import API, accept_nda, add_project, invite, open_room


@dataclass
class QaRoom:
    id: str
    lead: Any  # opened the room (lead team)
    lead2: Any  # a second lead-team member, of the lead's organisation
    asker: Any  # an investor past the NDA
    colleague: Any  # the asker's colleague: same organisation, in the room, past the NDA
    bank: Any  # another participant past the NDA (another organisation than the asker's)
    pre_nda: Any  # a participant who has not accepted the NDA
    observer: Any  # an admin invited as observer, past the NDA
    outsider: Any  # an investor taking no part
    admin: Any  # an admin who is not an observer

    def url(self, rest: str = "") -> str:
        return f"{API}/deal-rooms/{self.id}{rest}"


async def qa_room(client: Any, db: Any, make_actor: Any, status: str = "vetted") -> QaRoom:
    lead = await make_actor(Role.project_lead)
    lead2 = await make_actor(Role.project_lead, organisation=lead.organisation)
    asker = await make_actor(Role.investor)
    colleague = await make_actor(Role.investor, organisation=asker.organisation)
    bank = await make_actor(Role.bank)
    pre_nda = await make_actor(Role.investor)
    observer = await make_actor(Role.admin)
    room = await open_room(client, lead, await add_project(db, lead, status))
    seated = [(lead2, "lead_team"), (asker, "investor"), (colleague, "investor"), (bank, "bank")]
    for actor, role in [*seated, (observer, "observer"), (pre_nda, "investor")]:
        await invite(client, lead, room, actor, role)
    for actor in [lead2, asker, colleague, bank, observer]:
        assert (await accept_nda(client, actor, room)).status_code == 201
    return QaRoom(
        room,
        lead,
        lead2,
        asker,
        colleague,
        bank,
        pre_nda,
        observer,
        await make_actor(Role.investor),
        await make_actor(Role.admin),
    )


async def ask(
    client: Any, room: QaRoom, actor: Any, text: str = "売電単価の前提を教えてください。", **extra: Any
) -> Any:
    response = await client.post(room.url("/questions"), json={"text": text, **extra}, headers=actor.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def answer(client: Any, room: QaRoom, actor: Any, question: str, text: str = "1kWh あたり 12 円です。") -> Any:
    response = await client.post(room.url(f"/questions/{question}/answers"), json={"text": text}, headers=actor.headers)
    assert response.status_code == 201, response.text
    return response.json()


FAQ = {"question_ja": "売電単価の前提は？", "question_en": "What power price is assumed?"}


async def room_document(client: Any, room: QaRoom, pages: int = 12) -> str:
    """A PDF of ``pages`` pages the lead uploads to a new folder of the room (visible to all)."""
    folder = await client.post(room.url("/folders"), json={"name": "資料"}, headers=room.lead.headers)
    assert folder.status_code == 201, folder.text
    uploaded = await client.post(
        room.url(f"/folders/{folder.json()['id']}/documents"),
        files={"file": ("plan.pdf", pdf_bytes(pages), "application/pdf")},
        headers=room.lead.headers,
    )
    assert uploaded.status_code == 201, uploaded.text
    return str(uploaded.json()["id"])
