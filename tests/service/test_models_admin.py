"""Model versions: admins list them with metrics, activate one and roll back; the running app
serves the newly active version on its next request, without a restart."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

import matching
from service.matching.store import train_and_store
from service.models import ModelVersion
from service.models.enums import Role
from tests.service.market import seed_market

API = "/api/v1"
#: Fewer text and collaborative factors: the same behaviour, trained faster.
SMALL = {"n_text_components": 8, "n_cf_components": 8}
#: Tests about what follows a verdict fix it with the margin: every version passes this one (the
#: verdict itself is tested on fixed tables, and the demo's model against the real margin).
WINS = -1.0


@pytest.fixture
async def admin(make_actor):
    return await make_actor(Role.admin)


async def _served_version(client, admin, investor_id) -> tuple[str, str | None]:
    page = (await client.get(f"{API}/investors/{investor_id}/matches", headers=admin.headers)).json()
    return page["ranker"], page["model_version"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/admin/models"), ("POST", f"/admin/models/{uuid.uuid4()}/activate"), ("POST", "/admin/models/rollback")],
)
async def test_only_admins_see_or_change_model_versions(client, make_actor, method, path):
    for role in (Role.investor, Role.project_lead, Role.bank):
        actor = await make_actor(role)
        response = await client.request(method, API + path, headers=actor.headers)
        assert response.status_code == 403, response.text
    assert (await client.request(method, API + path)).status_code == 401


async def test_activation_and_rollback_switch_the_served_model_without_a_restart(client, db, admin):
    market = await seed_market(db)
    investor_id = next(iter(market.investors.values()))
    assert await _served_version(client, admin, investor_id) == ("content", None)
    first, _ = await train_and_store(db, trained_by="test", activate=True, params=SMALL, margin=WINS)
    await db.commit()
    assert await _served_version(client, admin, investor_id) == ("learned", first.version)
    second, _ = await train_and_store(db, trained_by="test", activate=True, params=SMALL, margin=WINS)
    await db.commit()
    assert await _served_version(client, admin, investor_id) == ("learned", second.version)

    page = (await client.get(f"{API}/admin/models", headers=admin.headers)).json()
    assert page["total"] == 2
    listed = page["items"]
    assert [(v["version"], v["status"]) for v in listed] == [(second.version, "active"), (first.version, "retired")]
    assert listed[0]["metrics"]["rows"][0]["ranker"] == "learned"
    assert listed[0]["n_events"] == market.n_events
    assert len(listed[0]["sha256"]) == 64

    activated = await client.post(f"{API}/admin/models/{first.id}/activate", headers=admin.headers)
    assert activated.status_code == 200, activated.text
    assert activated.json()["status"] == "active"
    assert await _served_version(client, admin, investor_id) == ("learned", first.version)

    rolled = await client.post(f"{API}/admin/models/rollback", headers=admin.headers)
    assert rolled.status_code == 200, rolled.text
    assert rolled.json()["id"] == str(second.id)
    assert await _served_version(client, admin, investor_id) == ("learned", second.version)


async def test_rollback_without_a_previous_version_is_a_conflict(client, admin):
    response = await client.post(f"{API}/admin/models/rollback", headers=admin.headers)
    assert response.status_code == 409
    assert response.json()["code"] == "model.no_previous_version"


async def test_activating_an_unknown_version_is_404(client, admin):
    response = await client.post(f"{API}/admin/models/{uuid.uuid4()}/activate", headers=admin.headers)
    assert response.status_code == 404
    assert response.json()["code"] == "model_version.not_found"


async def test_too_few_events_store_nothing_and_the_content_ranker_keeps_serving(client, db, admin):
    market = await seed_market(db, n_investors=12, n_projects=12, with_events=False)
    with pytest.raises(matching.NotEnoughData) as raised:
        await train_and_store(db, trained_by="test")
    assert "不足" in raised.value.message_ja
    assert "not enough" in raised.value.message_en
    assert (await db.execute(select(func.count()).select_from(ModelVersion))).scalar_one() == 0
    investor_id = next(iter(market.investors.values()))
    assert await _served_version(client, admin, investor_id) == ("content", None)
