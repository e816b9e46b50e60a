"""Engagement: every view, download and page beacon is recorded per participant, and the lead team
reads the totals per participant and per document (paginated lists with totals)."""

from __future__ import annotations

import pytest

from service.models.enums import Role
from tests.service.deal_rooms.documents_support import CSV, data_room, pdf_bytes

pytestmark = pytest.mark.asyncio


async def _beacon(dr, who: str, doc: str, version: int, page: int, seconds: float):
    return await dr.client.post(
        f"{dr.base}/documents/{doc}/page-views",
        json={"version": version, "page": page, "seconds": seconds},
        headers=dr.headers(who),
    )


async def test_views_downloads_and_pages_add_up_per_participant_and_per_document(client, db, make_actor):
    dr = await data_room(
        client, db, make_actor, bank=(Role.bank, "bank", True), investor=(Role.investor, "investor", True)
    )
    folder = await dr.folder("資料")
    plan = await dr.document(folder, pdf_bytes(3), "plan.pdf")
    sheet = await dr.document(folder, CSV, "numbers.csv")
    await dr.set_level("folders", folder, "bank", "download")

    assert (await dr.get("bank", f"/documents/{plan}/view")).status_code == 200
    assert (await dr.get("bank", f"/documents/{plan}/download")).status_code == 200
    assert (await dr.get("bank", f"/documents/{sheet}/download")).status_code == 200
    assert (await dr.get("investor", f"/documents/{plan}/view")).status_code == 200
    for page, seconds in ((1, 12.5), (2, 30.0), (2, 4.5)):
        assert (await _beacon(dr, "bank", plan, 1, page, seconds)).status_code == 201
    assert (await _beacon(dr, "investor", plan, 1, 3, 8.0)).status_code == 201

    people = (await dr.get("lead", "/engagement/participants")).json()
    assert people["total"] == 3
    by_user = {p["user_id"]: p for p in people["items"]}
    bank = by_user[str(dr.people["bank"].user.id)]
    investor = by_user[str(dr.people["investor"].user.id)]
    lead = by_user[str(dr.lead.user.id)]
    assert (bank["views"], bank["downloads"], bank["documents"], bank["pages_viewed"], bank["seconds"]) == (
        1, 2, 2, 2, 47.0,
    )  # fmt: skip
    assert (investor["views"], investor["downloads"], investor["pages_viewed"], investor["seconds"]) == (1, 0, 1, 8.0)
    assert (lead["views"], lead["downloads"], lead["last_at"]) == (0, 0, None)
    assert bank["last_at"] is not None

    documents = (await dr.get("lead", "/engagement/documents")).json()
    assert documents["total"] == 2
    by_doc = {d["document_id"]: d for d in documents["items"]}
    assert (by_doc[plan]["views"], by_doc[plan]["downloads"], by_doc[plan]["participants"]) == (2, 1, 2)
    assert (by_doc[plan]["pages_viewed"], by_doc[plan]["seconds"]) == (3, 55.0)
    assert (by_doc[sheet]["views"], by_doc[sheet]["downloads"], by_doc[sheet]["participants"]) == (0, 1, 1)

    accesses = (await dr.get("lead", f"/documents/{plan}/accesses", limit=2)).json()
    assert accesses["total"] == 3
    assert len(accesses["items"]) == 2
    assert accesses["next_cursor"]
    assert {a["kind"] for a in accesses["items"]} <= {"view", "download"}
    assert all(a["watermarked"] for a in accesses["items"])


async def test_only_the_lead_team_reads_engagement(client, db, make_actor):
    dr = await data_room(client, db, make_actor, bank=(Role.bank, "bank", True))
    folder = await dr.folder("資料")
    doc = await dr.document(folder, CSV)
    for path in ("/engagement/participants", "/engagement/documents", f"/documents/{doc}/accesses"):
        refused = await dr.get("bank", path)
        assert (refused.status_code, refused.json()["code"]) == (403, "deal_room.action_not_allowed"), path


async def test_a_beacon_must_name_an_existing_version_and_page(client, db, make_actor):
    dr = await data_room(client, db, make_actor, bank=(Role.bank, "bank", True))
    folder = await dr.folder("資料")
    doc = await dr.document(folder, pdf_bytes(2))
    beyond = await _beacon(dr, "bank", doc, 1, 3, 1.0)
    no_version = await _beacon(dr, "bank", doc, 2, 1, 1.0)
    negative = await _beacon(dr, "bank", doc, 1, 1, -1.0)
    assert (beyond.status_code, beyond.json()["errors"][0]["field"]) == (422, "page")
    assert (no_version.status_code, no_version.json()["errors"][0]["field"]) == (422, "version")
    assert (negative.status_code, negative.json()["errors"][0]["field"]) == (400, "seconds")
