"""The data room: folders, uploads judged by content, versions and their history, the NDA gate,
the stage rules, the audit entries — and a failed upload leaves no row and no file."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import zipfile

import pytest
from sqlalchemy import func, select

from service.deal_rooms.documents.storage import DocumentStore, stage
from service.models import AuditEntry, DealRoomDocument, DealRoomDocumentVersion, DealRoomFolder
from service.models.enums import Role
from tests.service.deal_rooms.documents_support import CSV, data_room, pdf_bytes
from tests.service.deal_rooms.support import API

pytestmark = pytest.mark.asyncio
LIMIT = 64 * 1024


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, document_max_bytes=LIMIT)


def _files(root) -> list[str]:
    return (
        sorted(p.name for p in (root / "documents").rglob("*") if p.is_file()) if (root / "documents").exists() else []
    )


async def _count(db, table) -> int:
    return (await db.execute(select(func.count()).select_from(table))).scalar_one()


async def test_lead_uploads_replaces_and_everyone_sees_the_history(client, db, make_actor, settings):
    dr = await data_room(client, db, make_actor, bank=(Role.bank, "bank", True))
    folder = await dr.folder("財務資料")
    plan = pdf_bytes(4)

    uploaded = await dr.upload(folder, plan, "事業計画.pdf")
    assert uploaded.status_code == 201, uploaded.text
    doc = uploaded.json()
    assert (doc["title"], doc["current_version"]) == ("事業計画.pdf", 1)
    assert doc["latest"]["sha256"] == hashlib.sha256(plan).hexdigest()
    assert (doc["latest"]["media_type"], doc["latest"]["page_count"]) == ("application/pdf", 4)
    assert _files(settings.data_dir) == [hashlib.sha256(plan).hexdigest()]

    replaced = await dr.client.post(
        f"{dr.base}/documents/{doc['id']}/versions", files={"file": ("plan-v2.csv", CSV, "text/csv")},
        headers=dr.headers("lead"),
    )  # fmt: skip
    assert replaced.status_code == 201, replaced.text
    assert replaced.json()["current_version"] == 2
    assert replaced.json()["latest"]["media_type"] == "text/csv"

    history = (await dr.get("bank", f"/documents/{doc['id']}/versions")).json()
    assert [v["version"] for v in history["items"]] == [2, 1]
    assert [v["filename"] for v in history["items"]] == ["plan-v2.csv", "事業計画.pdf"]
    assert history["total"] == 2
    listed = (await dr.get("bank", f"/folders/{folder}/documents")).json()
    assert [(d["id"], d["current_version"], d["my_level"]) for d in listed["items"]] == [(doc["id"], 2, "view")]
    old = await dr.get("bank", f"/documents/{doc['id']}/view", version=1)
    assert old.status_code == 200
    assert old.headers["x-document-version"] == "1"
    assert old.headers["content-type"] == "application/pdf"

    audited = (
        await db.scalars(select(AuditEntry.action).where(AuditEntry.action.like("deal_room.documents.%")))  # type: ignore[attr-defined]
    ).all()
    assert audited == ["deal_room.documents.folder_created", "deal_room.documents.document_uploaded",
                       "deal_room.documents.document_version_added"]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("empty.pdf", b"", 422, "deal_room_document.empty"),
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)), 415, "deal_room_document.unsupported_type"),
        ("fake.pdf", b"%PDF-1.7\nnot really a pdf", 422, "deal_room_document.unreadable_pdf"),
        ("big.csv", b"a,b\n" + b"1,2\n" * (LIMIT // 4), 413, "deal_room_document.too_large"),
        # Refused from its Content-Length, before the body is read.
        ("huge.csv", b"a,b\n" + b"1,2\n" * ((LIMIT + 300 * 1024) // 4), 413, "deal_room_document.too_large"),
    ],
    ids=["empty", "executable", "broken_pdf", "too_large", "far_too_large"],
)
async def test_a_refused_upload_writes_no_row_and_no_file(client, db, make_actor, settings, name, data, status, code):
    dr = await data_room(client, db, make_actor)
    folder = await dr.folder("資料")
    before = [await _count(db, t) for t in (DealRoomDocument, DealRoomDocumentVersion, AuditEntry)]

    response = await dr.upload(folder, data, name)

    assert response.status_code == status, response.text
    problem = response.json()
    assert problem["code"] == code
    assert [e["field"] for e in problem["errors"]] == ["file"]
    assert problem["errors"][0]["message"]["ja"]
    assert problem["errors"][0]["message"]["en"]
    assert [await _count(db, t) for t in (DealRoomDocument, DealRoomDocumentVersion, AuditEntry)] == before
    assert _files(settings.data_dir) == []


async def test_word_and_powerpoint_files_are_recognised_by_their_content(client, db, make_actor):
    dr = await data_room(client, db, make_actor)
    folder = await dr.folder("契約書")
    for inner, expected in (("word/document.xml", "wordprocessingml"), ("ppt/presentation.xml", "presentationml")):
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr(inner, "<x/>")
        response = await dr.upload(folder, archive.getvalue(), "file.bin")
        assert response.status_code == 201, response.text
        assert expected in response.json()["latest"]["media_type"]


async def test_a_file_stored_by_a_transaction_that_rolls_back_is_removed(session_maker, tmp_path):
    store = DocumentStore(tmp_path)
    kept, dropped = b"kept,1\n", b"dropped,2\n"
    async with session_maker() as session, session.begin():
        key = await stage(session, store, kept)
    failing = session_maker()
    transaction = await failing.begin()
    other = await stage(failing, store, dropped)
    assert store.exists(other)
    await transaction.rollback()  # the request failed after the file was stored
    await failing.close()
    assert store.exists(key)
    assert not store.exists(other)
    async with session_maker() as session, session.begin():  # the same bytes again: not removed on rollback
        await stage(session, store, kept)
        await session.rollback()
    assert store.get(key) == kept


async def test_before_the_nda_nothing_of_the_data_room_shows_and_outsiders_get_404(client, db, make_actor):
    dr = await data_room(client, db, make_actor, early=(Role.bank, "bank", False))
    outsider = await make_actor(Role.investor)
    folder = await dr.folder("秘密のフォルダ名")
    doc = await dr.document(folder, CSV, "数字.csv")
    paths = ["/folders", f"/folders/{folder}", f"/folders/{folder}/documents", f"/documents/{doc}",
             f"/documents/{doc}/versions", f"/documents/{doc}/view", f"/documents/{doc}/download"]  # fmt: skip
    for path in paths:
        early = await dr.get("early", path)
        stranger = await client.get(f"{dr.base}{path}", headers=outsider.headers)
        assert (early.status_code, early.json()["code"]) == (403, "deal_room.nda_required"), path
        assert "秘密のフォルダ名" not in early.text
        assert "数字" not in early.text
        assert (stranger.status_code, stranger.json()["code"]) == (404, "deal_room.not_found"), path


async def test_only_the_lead_team_changes_the_data_room_and_only_while_the_room_is_live(client, db, make_actor):
    dr = await data_room(client, db, make_actor, bank=(Role.bank, "bank", True))
    folder = await dr.folder("資料")
    doc = await dr.document(folder, CSV, "a.csv")
    by_bank = await dr.upload(folder, CSV, "b.csv", who="bank")
    made = await client.post(f"{dr.base}/folders", json={"name": "x"}, headers=dr.headers("bank"))
    assert (by_bank.status_code, by_bank.json()["code"]) == (403, "deal_room.action_not_allowed")
    assert made.status_code == 403

    moved = await client.post(
        f"{API}/deal-rooms/{dr.room}/transitions", json={"to_stage": "cancelled", "reason": "中止"},
        headers=dr.headers("lead"),
    )  # fmt: skip
    assert moved.status_code == 201, moved.text
    late = await dr.upload(folder, CSV, "c.csv")
    renamed = await client.patch(f"{dr.base}/folders/{folder}", json={"name": "新"}, headers=dr.headers("lead"))
    assert (late.status_code, late.json()["code"]) == (403, "deal_room.action_not_allowed")
    assert renamed.status_code == 403
    # Reading stays after the deal ends.
    assert (await dr.get("bank", f"/documents/{doc}/view")).status_code == 200
    assert (await dr.get("bank", "/folders")).json()["total"] == 1


async def test_folders_rename_move_and_delete_only_when_empty(client, db, make_actor):
    dr = await data_room(client, db, make_actor)
    top = await dr.folder("財務")
    sub = await dr.folder("月次", parent=top)
    leaf = await dr.folder("2026", parent=sub)

    into_itself = await client.patch(f"{dr.base}/folders/{top}", json={"parent_id": top}, headers=dr.headers("lead"))
    into_child = await client.patch(f"{dr.base}/folders/{top}", json={"parent_id": leaf}, headers=dr.headers("lead"))
    nothing = await client.patch(f"{dr.base}/folders/{top}", json={}, headers=dr.headers("lead"))
    for response in (into_itself, into_child):
        assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "parent_id")
        assert response.json()["code"] == "deal_room_document.folder_cycle"
    assert nothing.status_code == 422

    moved = await client.patch(
        f"{dr.base}/folders/{leaf}", json={"parent_id": None, "name": "2026年"}, headers=dr.headers("lead")
    )
    assert moved.status_code == 200, moved.text
    assert (moved.json()["parent_id"], moved.json()["path"]) == (None, ["2026年"])
    full = await client.get(f"{dr.base}/folders", headers=dr.headers("lead"))
    assert [f["path"] for f in full.json()["items"]] == [["2026年"], ["財務"], ["財務", "月次"]]

    await dr.document(sub, CSV, "月次.csv")
    not_empty = await client.delete(f"{dr.base}/folders/{top}", headers=dr.headers("lead"))
    assert (not_empty.status_code, not_empty.json()["code"]) == (409, "deal_room_document.folder_not_empty")
    assert (await client.delete(f"{dr.base}/folders/{leaf}", headers=dr.headers("lead"))).status_code == 204
    assert await db.get(DealRoomFolder, leaf) is None
    await dr.set_level("folders", top, "bank", "download")
    audited = (
        await db.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.action.like("deal_room.documents.%"))  # type: ignore[attr-defined]
            .order_by(AuditEntry.seq)
        )
    ).all()
    assert audited == [
        *["deal_room.documents.folder_created"] * 3,
        "deal_room.documents.folder_updated",
        "deal_room.documents.document_uploaded",
        "deal_room.documents.folder_deleted",
        "deal_room.documents.permission_set",
    ]
    last = (await db.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))).one()  # type: ignore[attr-defined]
    payload = json.loads(last.payload)
    assert (payload["group"], payload["before"], payload["after"]) == ("bank", "inherit", "download")


async def test_a_retried_folder_creation_with_the_same_key_makes_one_folder(client, db, make_actor):
    dr = await data_room(client, db, make_actor)
    headers = {**dr.headers("lead"), "Idempotency-Key": "folder-1"}
    first = await client.post(f"{dr.base}/folders", json={"name": "財務"}, headers=headers)
    again = await client.post(f"{dr.base}/folders", json={"name": "財務"}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert await _count(db, DealRoomFolder) == 1
