"""The caller's notifications through the API: newest first, paginated, the unread filter and
count, read marks — and never another user's rows (404, left unread)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from service.models import Notification, OutboxMessage
from service.models.enums import Role
from service.notifications import notify

API = "/api/v1/notifications"
ROOM = {"room_ja": "米子ディール", "room_en": "Yonago deal"}


async def _stage(db, user_id: uuid.UUID, to_stage: str) -> None:
    await notify(db, [user_id], "stage_changed", {**ROOM, "from_stage": "open", "to_stage": to_stage})
    await db.commit()


async def test_the_list_is_newest_first_paginated_and_rendered_in_both_languages(client, db, make_actor):
    me = await make_actor(Role.investor)
    for stage in ("nda", "due_diligence", "term_sheet"):
        await _stage(db, me.user.id, stage)

    first = (await client.get(API, params={"limit": 2}, headers=me.headers)).json()
    second = (await client.get(API, params={"limit": 2, "cursor": first["next_cursor"]}, headers=me.headers)).json()

    assert (first["total"], first["limit"], second["next_cursor"]) == (3, 2, None)
    stages = [n["params"]["to_stage"] for n in first["items"] + second["items"]]
    assert stages == ["term_sheet", "due_diligence", "nda"]
    top = first["items"][0]
    assert top["kind"] == "stage_changed"
    assert top["title"] == {
        "ja": "ディールルーム「米子ディール」の段階が「term_sheet」になりました",
        "en": "The deal room 'Yonago deal' moved to the stage 'term_sheet'",
    }
    assert "「open」から「term_sheet」" in top["text"]["ja"]
    assert top["read_at"] is None


async def test_unread_filter_count_and_read_marks(client, db, make_actor):
    me = await make_actor(Role.investor)
    for stage in ("nda", "due_diligence"):
        await _stage(db, me.user.id, stage)
    items = (await client.get(API, headers=me.headers)).json()["items"]
    assert (await client.get(f"{API}/unread-count", headers=me.headers)).json() == {"unread": 2}

    read = await client.post(f"{API}/{items[0]['id']}/read", headers=me.headers)
    again = await client.post(f"{API}/{items[0]['id']}/read", headers=me.headers)

    assert read.status_code == 200, read.text
    assert read.json()["read_at"] is not None
    assert again.json()["read_at"] == read.json()["read_at"]  # the first read stays
    assert (await client.get(f"{API}/unread-count", headers=me.headers)).json() == {"unread": 1}
    unread = (await client.get(API, params={"unread": "true"}, headers=me.headers)).json()
    assert [n["id"] for n in unread["items"]] == [items[1]["id"]]
    assert unread["total"] == 1
    assert (await client.post(f"{API}/read-all", headers=me.headers)).json() == {"marked": 1}
    assert (await client.get(f"{API}/unread-count", headers=me.headers)).json() == {"unread": 0}
    assert (await client.post(f"{API}/read-all", headers=me.headers)).json() == {"marked": 0}


async def test_another_users_notifications_are_out_of_reach(client, db, make_actor):
    me = await make_actor(Role.investor)
    other = await make_actor(Role.bank)
    await _stage(db, me.user.id, "nda")
    await _stage(db, other.user.id, "nda")
    theirs = (await client.get(API, headers=other.headers)).json()["items"][0]["id"]

    poke = await client.post(f"{API}/{theirs}/read", headers=me.headers)
    marked = await client.post(f"{API}/read-all", headers=me.headers)

    assert (poke.status_code, poke.json()["code"]) == (404, "notification.not_found")
    assert poke.json() == (await client.post(f"{API}/{uuid.uuid4()}/read", headers=me.headers)).json()
    assert marked.json() == {"marked": 1}
    mine = (await client.get(API, headers=me.headers)).json()
    assert [n["id"] for n in mine["items"]] != [theirs]
    assert (await client.get(f"{API}/unread-count", headers=other.headers)).json() == {"unread": 1}
    assert (await client.get(API, headers=other.headers)).json()["items"][0]["read_at"] is None


async def test_the_api_needs_a_signed_in_caller(client):
    for method, path in [("GET", API), ("GET", f"{API}/unread-count"), ("POST", f"{API}/read-all")]:
        response = await client.request(method, path)
        assert response.status_code == 401, (method, path)


async def test_one_row_per_distinct_recipient_and_no_mail_without_an_smtp_server(db, make_actor):
    a = await make_actor(Role.investor)
    b = await make_actor(Role.bank)
    a.user.email_verified_at = b.user.email_verified_at = a.user.created_at
    await db.commit()

    await notify(db, [a.user.id, b.user.id, a.user.id], "access_declined", {**ROOM, "reason": "時期尚早"})

    rows = (await db.scalars(select(Notification.user_id))).all()
    assert sorted(rows) == sorted([a.user.id, b.user.id])
    assert await db.scalar(select(func.count()).select_from(OutboxMessage)) == 0  # in-app only


STAGES = {"from_stage": "open", "to_stage": "nda"}


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("no_such_kind", {**ROOM, **STAGES}),
        ("stage_changed", {**ROOM, "to_stage": "nda"}),
        ("stage_changed", STAGES),
    ],
    ids=["unknown_kind", "missing_parameter", "missing_room"],
)
async def test_a_kind_or_parameter_the_catalogue_lacks_is_refused_before_anything_is_written(
    db, make_actor, kind, params
):
    me = await make_actor(Role.investor)
    with pytest.raises(ValueError):
        await notify(db, [me.user.id], kind, params)
    assert await db.scalar(select(func.count()).select_from(Notification)) == 0
