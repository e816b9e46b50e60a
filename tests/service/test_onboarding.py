"""Onboarding: a person with no role becomes an individual investor without founding a made-up
organisation — ``POST /investors/me`` gives them a personal organisation (kind ``individual``) with
the investor role, idempotently — then makes a profile, lists their own, and gets matches."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select

from service.app import create_app
from service.auth.tokens import TokenCodec
from service.db import create_engine, session_factory
from service.models import AuditEntry, AuthSession, InvestorProfile, Membership, Organisation, User
from service.models.base import utcnow
from service.models.enums import Role
from tests.conftest import TEST_SECRET
from tests.service.helpers import project_row
from tests.support.scratch_db import scratch_database

API = "/api/v1"
#: Parallel POST /investors/me calls by one user in the concurrency test.
CONCURRENT = 12


def _profile_payload(**overrides):
    return {
        "display_name_ja": "山田 花子",
        "display_name_en": "Hanako Yamada",
        "investor_type": "individual",
        "sectors": ["energy"],
        "prefecture_codes": [31],
        "instruments": ["equity"],
        "ticket_min_yen": 100_000,
        "ticket_max_yen": 1_000_000,
        "risk_tolerance": "medium",
        "thesis_ja": "故郷の地域エネルギーを応援したい。",
        "thesis_en": "Back local energy in my home region.",
        **overrides,
    }


def _listed_project(org_id, user_id, **overrides):
    return project_row(
        org_id,
        user_id,
        "funding",
        title_ja="地域エネルギー会社",
        title_en="Local energy company",
        min_ticket_yen=100_000,
        **overrides,
    )


async def _memberships(db, user_id) -> list[tuple[str, str]]:
    rows = await db.execute(
        select(Organisation.kind, Membership.role)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(Membership.user_id == user_id)
    )
    return sorted((r.kind, r.role) for r in rows)


async def test_a_person_without_a_role_becomes_an_individual_investor_and_gets_matches(client, db, make_actor):
    person = await make_actor(None)
    lead = await make_actor(Role.project_lead)
    other_investor = await make_actor(Role.investor)
    project = _listed_project(lead.organisation.id, lead.user.id)
    db.add(project)
    db.add(
        InvestorProfile(
            owner_organisation_id=other_investor.organisation.id,
            created_by=other_investor.user.id,
            display_name_ja="他の投資家",
            display_name_en="Another investor",
            investor_type="fund",
            ticket_min_yen=1_000_000,
            ticket_max_yen=10_000_000,
            risk_tolerance="low",
        )
    )
    await db.commit()

    # Today's dead end: no role, no personal profile.
    refused = await client.post(f"{API}/investors", json=_profile_payload(), headers=person.headers)
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "auth.role_required"

    became = await client.post(f"{API}/investors/me", headers=person.headers)
    assert became.status_code == 201, became.text
    standing = became.json()
    assert standing["role"] == "investor"
    assert standing["profile_id"] is None
    assert await _memberships(db, person.user.id) == [("individual", "investor")]
    organisation = (await client.get(f"{API}/organisations/{standing['organisation_id']}")).json()
    assert organisation["kind"] == "individual"
    # The register is public: the personal organisation does not carry the person's name.
    assert person.user.display_name not in (organisation["name_ja"], organisation["name_en"])
    me = (await client.get(f"{API}/auth/me", headers=person.headers)).json()
    assert me["roles"] == ["investor"]

    created = await client.post(f"{API}/investors", json=_profile_payload(), headers=person.headers)
    assert created.status_code == 201, created.text
    profile = created.json()
    assert profile["owner_user_id"] == str(person.user.id)
    assert profile["owner_organisation_id"] is None

    mine = await client.get(f"{API}/investors", params={"mine": "true"}, headers=person.headers)
    assert mine.status_code == 200, mine.text
    assert [p["id"] for p in mine.json()["items"]] == [profile["id"]]
    assert mine.json()["total"] == 1
    everyone = (await client.get(f"{API}/investors", headers=person.headers)).json()
    assert everyone["total"] == 2  # without ?mine the other discoverable profile shows too

    matches = await client.get(f"{API}/investors/{profile['id']}/matches", headers=person.headers)
    assert matches.status_code == 200, matches.text
    assert [m["project_id"] for m in matches.json()["items"]] == [str(project.id)]


async def test_becoming_an_individual_investor_twice_changes_nothing(client, db, make_actor):
    person = await make_actor(None)
    first = await client.post(f"{API}/investors/me", headers=person.headers)
    assert first.status_code == 201, first.text
    await client.post(f"{API}/investors", json=_profile_payload(), headers=person.headers)

    again = await client.post(f"{API}/investors/me", headers=person.headers)
    assert again.status_code == 200, again.text
    assert again.json()["organisation_id"] == first.json()["organisation_id"]
    profile_id = await db.scalar(select(InvestorProfile.id).where(InvestorProfile.owner_user_id == person.user.id))
    assert again.json()["profile_id"] == str(profile_id)
    assert await _memberships(db, person.user.id) == [("individual", "investor")]
    grants = await db.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "investor.become_individual", AuditEntry.actor_id == person.user.id)
    )
    assert grants == 1


async def test_a_company_investor_gets_a_separate_personal_organisation(client, db, make_actor):
    investor = await make_actor(Role.investor)
    became = await client.post(f"{API}/investors/me", headers=investor.headers)
    assert became.status_code == 201, became.text
    assert became.json()["organisation_id"] != str(investor.organisation.id)
    assert await _memberships(db, investor.user.id) == [("company", "investor"), ("individual", "investor")]


async def test_only_a_signed_in_person_can_become_an_individual_investor(client, db):
    before = await db.scalar(select(func.count()).select_from(Organisation))
    response = await client.post(f"{API}/investors/me")
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "auth.unauthenticated"
    assert await db.scalar(select(func.count()).select_from(Organisation)) == before


async def test_mine_lists_only_the_callers_own_profiles_even_for_an_admin(client, db, make_actor):
    admin = await make_actor(Role.admin)
    investor = await make_actor(Role.investor)
    created = await client.post(f"{API}/investors", json=_profile_payload(), headers=investor.headers)
    assert created.status_code == 201, created.text
    all_for_admin = (await client.get(f"{API}/investors", headers=admin.headers)).json()
    assert created.json()["id"] in [p["id"] for p in all_for_admin["items"]]
    mine = (await client.get(f"{API}/investors", params={"mine": "true"}, headers=admin.headers)).json()
    assert mine == {"items": [], "total": 0, "limit": 20, "next_cursor": None}


@pytest.fixture
async def scratch_url(database_url: str) -> AsyncIterator[str]:
    """A database of its own, built by the migrations, where requests really commit."""
    async with scratch_database(database_url) as url:
        yield url


async def test_concurrent_calls_make_one_personal_organisation(scratch_url, settings):
    engine = create_engine(scratch_url, pool_size=CONCURRENT)
    try:
        maker = session_factory(engine)
        now = utcnow()
        async with maker() as session:
            user = User(email="parallel@example.jp", display_name="並行 ユーザー")
            session.add(user)
            await session.flush()
            auth = AuthSession(user_id=user.id, method="test", created_at=now, expires_at=now + timedelta(hours=1))
            session.add(auth)
            await session.commit()
        token = TokenCodec(TEST_SECRET).issue(user.id, auth.id, issued_at=now, expires_at=auth.expires_at)
        app = create_app(settings, session_maker=maker, read_session_maker=maker)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
            headers = {"Authorization": f"Bearer {token}"}
            responses = await asyncio.gather(
                *(client.post(f"{API}/investors/me", headers=headers) for _ in range(CONCURRENT))
            )
        assert sorted(r.status_code for r in responses) == [200] * (CONCURRENT - 1) + [201]
        assert len({r.json()["organisation_id"] for r in responses}) == 1
        async with maker() as session:
            assert await _memberships(session, user.id) == [("individual", "investor")]
    finally:
        await engine.dispose()
