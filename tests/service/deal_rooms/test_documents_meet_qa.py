"""Where the data room meets the rest of the room: a new document or version notifies whoever may
view it (nobody in a group the folder hides), and a question may name only a document of its room
that the asker may view, with a page inside the current version."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from service.models import Notification
from service.models.enums import Role
from tests.service.deal_rooms.documents_support import CSV, data_room, pdf_bytes


async def _told(db: Any, actor: Any) -> list[dict[str, str]]:
    rows = await db.scalars(
        select(Notification.params).where(
            Notification.user_id == actor.user.id, Notification.kind == "document_version"
        )
    )
    return list(rows.all())


async def test_a_new_version_notifies_those_who_may_view_it_and_nobody_else(client, db, make_actor):
    dr = await data_room(
        client,
        db,
        make_actor,
        bank=(Role.bank, "bank", True),
        investor=(Role.investor, "investor", True),
        pending=(Role.investor, "investor", False),
    )
    folder = await dr.folder("財務")
    await dr.set_level("folders", folder, "investor", "none")
    document = await dr.document(folder, CSV, "収支.csv")

    assert [p["document"] for p in await _told(db, dr.people["bank"])] == ["収支.csv"]
    assert await _told(db, dr.people["investor"]) == []  # the folder is hidden from investors
    assert await _told(db, dr.people["pending"]) == []  # not past the NDA
    assert await _told(db, dr.lead) == []  # the uploader

    response = await dr.client.post(
        f"{dr.base}/documents/{document}/versions",
        files={"file": ("収支.csv", CSV + b"2027,1800\n", "text/csv")},
        headers=dr.lead.headers,
    )
    assert response.status_code == 201, response.text
    assert len(await _told(db, dr.people["bank"])) == 2


async def _ask(dr: Any, who: str, **body: Any) -> Any:
    return await dr.client.post(
        f"{dr.base}/questions", json={"text": "この資料について質問です。", **body}, headers=dr.headers(who)
    )


async def test_a_question_names_only_a_visible_document_of_its_room_and_a_page_inside_it(client, db, make_actor):
    dr = await data_room(client, db, make_actor, bank=(Role.bank, "bank", True))
    open_folder, hidden_folder = await dr.folder("公開"), await dr.folder("非公開")
    await dr.set_level("folders", hidden_folder, "bank", "none")
    plan = await dr.document(open_folder, pdf_bytes(pages=4))
    secret = await dr.document(hidden_folder, pdf_bytes(pages=2))
    elsewhere = await data_room(client, db, make_actor)
    foreign = await elsewhere.document(await elsewhere.folder("他"), pdf_bytes(pages=1))

    assert (await _ask(dr, "bank", document_id=plan, page=4)).status_code == 201
    for document, page, field in [(secret, None, "document_id"), (foreign, None, "document_id"), (plan, 5, "page")]:
        response = await _ask(dr, "bank", document_id=document, **({"page": page} if page else {}))
        assert response.status_code == 422, response.text
        problem = response.json()
        assert [e["field"] for e in problem["errors"]] == [field]
    listed = (await dr.get("bank", "/questions")).json()
    assert listed["total"] == 1  # the refused questions wrote nothing
    # The lead team may name any document of its room.
    assert (await _ask(dr, "lead", document_id=secret, page=2)).status_code == 201
