"""Downloaded PDFs carry the viewer's name, organisation and the time on every page, drawn in an
embedded subset of the vendored Japanese font; other files download byte for byte; every view
and download is recorded with whether it was watermarked."""

from __future__ import annotations

import hashlib
import io

from pypdf import PdfReader
from sqlalchemy import select, update

from service.deal_rooms.documents.watermark import FONT_PATH, watermark_pdf
from service.models import DealRoomDocumentAccess, Organisation
from service.models.enums import Role
from tests.service.deal_rooms.documents_support import CSV, data_room, pdf_bytes, rename_user

NAME = "山田 花子"
ORG = "米子信用金庫"


def _fonts(reader: PdfReader) -> set[tuple[str, bool]]:
    """(BaseFont, has an embedded TrueType program) of every font on every page."""
    found = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            found.add((str(font["/BaseFont"]), embedded))
    return found


async def test_a_downloaded_pdf_names_the_viewer_on_every_page_in_an_embedded_font_subset(client, db, make_actor):
    dr = await data_room(client, db, make_actor, bank=(Role.bank, "bank", True))
    bank = dr.people["bank"]
    await rename_user(db, bank.user.id, NAME)
    await db.execute(update(Organisation).where(Organisation.id == bank.organisation.id).values(name_ja=ORG))  # type: ignore[arg-type]
    await db.commit()
    folder = await dr.folder("財務")
    await dr.set_level("folders", folder, "bank", "download")
    original = pdf_bytes(7)
    doc = await dr.document(folder, original, "計画書.pdf")

    response = await dr.get("bank", f"/documents/{doc}/download")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-document-watermarked"] == "true"
    assert response.headers["x-document-sha256"] == hashlib.sha256(original).hexdigest()
    assert "attachment" in response.headers["content-disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 7
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert NAME in text, number
        assert ORG in text, number
        assert "JST" in text
        assert f"page {number}" in text  # the page's own content is still there
    fonts = _fonts(reader)
    japanese = {name for name, embedded in fonts if name.endswith("+IPAexGothic") and embedded}
    assert len(japanese) == 1
    (subset,) = japanese
    tag = subset.split("+")[0].lstrip("/")
    assert len(tag) == 6
    assert tag.isupper()  # a subset's six-letter tag: only the glyphs used are embedded
    assert len(response.content) < FONT_PATH.stat().st_size / 20

    record = (await db.scalars(select(DealRoomDocumentAccess))).one()
    assert (record.kind, record.watermarked, record.version, record.user_id) == ("download", True, 1, bank.user.id)


async def test_other_types_download_unchanged_and_the_record_says_so(client, db, make_actor):
    dr = await data_room(client, db, make_actor, bank=(Role.bank, "bank", True))
    folder = await dr.folder("データ")
    doc = await dr.document(folder, CSV, "売上.csv")
    await dr.set_level("documents", doc, "bank", "download")

    viewed = await dr.get("bank", f"/documents/{doc}/view")
    downloaded = await dr.get("bank", f"/documents/{doc}/download")

    for response in (viewed, downloaded):
        assert response.status_code == 200, response.text
        assert response.content == CSV
        assert hashlib.sha256(response.content).hexdigest() == response.headers["x-document-sha256"]
        assert response.headers["x-document-watermarked"] == "false"
    assert "inline" in viewed.headers["content-disposition"]
    records = (await db.scalars(select(DealRoomDocumentAccess).order_by(DealRoomDocumentAccess.at))).all()
    assert [(r.kind, r.watermarked) for r in records] == [("view", False), ("download", False)]


async def test_a_viewed_pdf_is_watermarked_too(client, db, make_actor):
    dr = await data_room(client, db, make_actor, investor=(Role.investor, "investor", True))
    await rename_user(db, dr.people["investor"].user.id, "佐藤 一郎")
    folder = await dr.folder("概要")
    doc = await dr.document(folder, pdf_bytes(2))
    response = await dr.get("investor", f"/documents/{doc}/view")
    assert response.status_code == 200
    assert all("佐藤 一郎" in p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def test_every_page_of_a_twenty_page_pdf_is_watermarked():
    """(Its speed is measured by tests/bench/bench_watermark.py, not asserted here.)"""
    marked = watermark_pdf(pdf_bytes(20), f"{NAME}（{ORG}）2026-11-29 21:00 JST")
    pages = PdfReader(io.BytesIO(marked)).pages
    assert len(pages) == 20
    assert all(NAME in page.extract_text() for page in pages)
