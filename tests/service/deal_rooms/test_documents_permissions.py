"""Folder and document permissions per participant group: unset means inherited (the room default
is ``view``), a level set lower down wins, a change reaches everything that inherits it, a moved
folder takes on its new place's levels, and what a group cannot see is 404 and absent from lists."""

from __future__ import annotations

import uuid

import pytest

from service.deal_rooms.documents.analytics import document_audience
from service.deal_rooms.documents.permissions import Node, Tree
from service.models.deal_room_documents import AccessLevel
from service.models.enums import Role
from tests.service.deal_rooms.documents_support import CSV, data_room

pytestmark = pytest.mark.asyncio
V, D, N = AccessLevel.view, AccessLevel.download, AccessLevel.none


async def _room(client, db, make_actor):
    return await data_room(
        client,
        db,
        make_actor,
        bank=(Role.bank, "bank", True),
        investor=(Role.investor, "investor", True),
        advisor=(Role.investor, "advisor", True),
    )


async def _levels(dr, who: str, folders: dict[str, str], docs: dict[str, str]) -> dict[str, str | None]:
    """The caller's level on each folder and document by name (None: hidden, i.e. 404)."""
    seen: dict[str, str | None] = {}
    for name, fid in folders.items():
        response = await dr.get(who, f"/folders/{fid}")
        seen[name] = response.json()["my_level"] if response.status_code == 200 else None
        assert response.status_code in (200, 404), response.text
    for name, did in docs.items():
        response = await dr.get(who, f"/documents/{did}")
        seen[name] = response.json()["my_level"] if response.status_code == 200 else None
        assert response.status_code in (200, 404), response.text
    return seen


async def test_the_rules_on_a_tree_without_a_database():
    # a ── b ── c ; d at the top
    tree = Tree([Node("a", None), Node("b", "a"), Node("c", "b"), Node("d", None)], {}, {})
    assert tree.folder_level("c", "bank") == V  # nothing set anywhere: the room default
    tree.folder_levels[("a", "bank")] = D
    assert [tree.folder_level(f, "bank") for f in "abcd"] == [D, D, D, V]
    tree.folder_levels[("b", "bank")] = N
    assert [tree.folder_level(f, "bank") for f in "abc"] == [D, N, N]
    tree.folder_levels[("c", "bank")] = D  # set lower down, but inside a hidden folder
    assert tree.folder_level("c", "bank") == D
    assert not tree.folder_visible("c", "bank")
    assert tree.document_level("doc", "c", "bank") == N
    assert tree.folder_level("c", "lead_team") == D
    assert tree.would_cycle("a", "c")
    assert tree.would_cycle("a", "a")
    assert not tree.would_cycle("c", "d")
    assert not tree.would_cycle("a", None)


async def test_unset_means_view_for_every_group_and_download_needs_a_grant(client, db, make_actor):
    dr = await _room(client, db, make_actor)
    folder = await dr.folder("資料")
    doc = await dr.document(folder, CSV, "a.csv")
    for who in ("bank", "investor", "advisor"):
        assert await _levels(dr, who, {"f": folder}, {"d": doc}) == {"f": "view", "d": "view"}
        assert (await dr.get(who, f"/documents/{doc}/view")).status_code == 200
        refused = await dr.get(who, f"/documents/{doc}/download")
        assert (refused.status_code, refused.json()["code"]) == (403, "deal_room_document.no_download")
    assert (await dr.get("lead", f"/documents/{doc}/download")).status_code == 200
    perms = (await dr.get("lead", f"/folders/{folder}/permissions")).json()
    assert {(g["group"], g["level"], g["set_here"], g["source"]) for g in perms["groups"]} == {
        (g, "view", None, "default") for g in ("investor", "bank", "advisor", "observer")
    }


async def test_a_parent_change_reaches_children_that_set_nothing_and_an_override_wins(client, db, make_actor):
    dr = await _room(client, db, make_actor)
    top = await dr.folder("デューデリジェンス")
    plain = await dr.folder("財務", parent=top)
    special = await dr.folder("人事", parent=top)
    deep = await dr.folder("給与", parent=plain)
    d_plain = await dr.document(plain, CSV, "pl.csv")
    d_deep = await dr.document(deep, b"x,y\n1,2\n", "deep.csv")
    d_top = await dr.document(top, b"t,u\n3,4\n", "top.csv")
    folders = {"top": top, "plain": plain, "special": special, "deep": deep}
    docs = {"d_plain": d_plain, "d_deep": d_deep, "d_top": d_top}

    await dr.set_level("folders", special, "bank", "none")
    await dr.set_level("folders", top, "bank", "download")
    assert await _levels(dr, "bank", folders, docs) == {
        "top": "download", "plain": "download", "special": None, "deep": "download",
        "d_plain": "download", "d_deep": "download", "d_top": "download",
    }  # fmt: skip
    assert await _levels(dr, "investor", folders, docs) == dict.fromkeys([*folders, *docs], "view")

    # A document's own level wins over its folder's, both ways.
    await dr.set_level("documents", d_deep, "bank", "view")
    await dr.set_level("documents", d_plain, "investor", "download")
    assert (await _levels(dr, "bank", {}, {"d": d_deep}))["d"] == "view"
    assert (await dr.get("investor", f"/documents/{d_plain}/download")).status_code == 200

    # Back to inherited: the top folder's change reaches every child without its own level.
    await dr.set_level("folders", top, "bank", "inherit")
    assert await _levels(dr, "bank", folders, docs) == {
        "top": "view", "plain": "view", "special": None, "deep": "view",
        "d_plain": "view", "d_deep": "view", "d_top": "view",
    }  # fmt: skip
    perms = (await dr.get("lead", f"/folders/{deep}/permissions")).json()
    bank = next(g for g in perms["groups"] if g["group"] == "bank")
    assert (bank["level"], bank["source"], bank["set_here"]) == ("view", "default", None)
    await dr.set_level("folders", plain, "bank", "download")
    perms = (await dr.get("lead", f"/folders/{deep}/permissions")).json()
    bank = next(g for g in perms["groups"] if g["group"] == "bank")
    assert (bank["level"], bank["source"], bank["from_folder_id"]) == ("download", "folder", plain)


async def test_a_hidden_folder_hides_its_name_its_subfolders_and_its_documents(client, db, make_actor):
    dr = await _room(client, db, make_actor)
    public = await dr.folder("公開資料")
    secret = await dr.folder("極秘・買収候補")
    inner = await dr.folder("候補A社", parent=secret)
    doc = await dr.document(inner, CSV, "候補一覧.csv")
    await dr.set_level("folders", secret, "investor", "none")
    await dr.set_level("folders", inner, "investor", "download")  # set below a hidden folder: grants nothing

    listed = await dr.get("investor", "/folders")
    assert [f["id"] for f in listed.json()["items"]] == [public]
    assert listed.json()["total"] == 1
    assert "極秘" not in listed.text
    for path in (f"/folders/{secret}", f"/folders/{inner}", f"/folders/{inner}/documents", f"/documents/{doc}",
                 f"/documents/{doc}/versions", f"/documents/{doc}/view", f"/documents/{doc}/download"):  # fmt: skip
        hidden = await dr.get("investor", path)
        assert hidden.status_code == 404, path
        assert "極秘" not in hidden.text
        assert "候補" not in hidden.text
    # The same folder is there for the bank, whose group keeps the default.
    assert (await dr.get("bank", "/folders")).json()["total"] == 3


async def test_moving_a_folder_takes_on_the_levels_of_its_new_place(client, db, make_actor):
    dr = await _room(client, db, make_actor)
    open_ = await dr.folder("開示済み")
    closed = await dr.folder("未開示")
    moving = await dr.folder("契約書")
    doc = await dr.document(moving, CSV, "契約.csv")
    await dr.set_level("folders", open_, "bank", "download")
    await dr.set_level("folders", closed, "bank", "none")

    async def move_to(parent: str) -> None:
        response = await client.patch(
            f"{dr.base}/folders/{moving}", json={"parent_id": parent}, headers=dr.headers("lead")
        )
        assert response.status_code == 200, response.text

    await move_to(open_)
    assert await _levels(dr, "bank", {"m": moving}, {"d": doc}) == {"m": "download", "d": "download"}
    await move_to(closed)
    assert await _levels(dr, "bank", {"m": moving}, {"d": doc}) == {"m": None, "d": None}
    assert (await _levels(dr, "investor", {"m": moving}, {"d": doc})) == {"m": "view", "d": "view"}


async def test_document_audience_is_who_may_view_the_document_now(client, db, make_actor):
    dr = await data_room(
        client,
        db,
        make_actor,
        bank=(Role.bank, "bank", True),
        investor=(Role.investor, "investor", True),
        early=(Role.investor, "advisor", False),
    )
    folder = await dr.folder("資料")
    doc = await dr.document(folder, CSV, "a.csv")
    await dr.set_level("folders", folder, "investor", "none")
    audience = await document_audience(db, uuid.UUID(doc))
    assert audience == sorted([dr.lead.user.id, dr.people["bank"].user.id])
    await dr.set_level("documents", doc, "bank", "none")
    assert await document_audience(db, uuid.UUID(doc)) == [dr.lead.user.id]
    assert await document_audience(db, uuid.uuid4()) == []
