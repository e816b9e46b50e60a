"""The demo's synthetic history: written once, clearly labelled, and enough to train a model."""

from __future__ import annotations

from sqlalchemy import func, select

from service.demo import data
from service.demo.history import N_SYNTHETIC_INVESTORS, N_SYNTHETIC_PROJECTS, PREFIX_JA
from service.demo.loader import load_demo, load_demo_history
from service.matching.store import train_and_store
from service.models import InteractionEvent, InvestorProfile, Project
from service.models.enums import Role


async def _count(db, table) -> int:
    return (await db.execute(select(func.count()).select_from(table))).scalar_one()


async def test_demo_history_is_written_once_labelled_and_trains_a_model(db):
    await load_demo(db)
    written = await load_demo_history(db)
    assert written == await _count(db, InteractionEvent) > 100
    projects, profiles = await _count(db, Project), await _count(db, InvestorProfile)
    assert await load_demo_history(db) == 0
    assert (await _count(db, Project), await _count(db, InvestorProfile)) == (projects, profiles)
    synthetic = (await db.execute(select(Project.title_ja, Project.is_synthetic).where(Project.is_demo))).all()
    curated = len(data.PROJECTS)
    # Every project beyond the curated ones is flagged synthetic in the data and says so in its title.
    assert sum(flag for _, flag in synthetic) == projects - curated == N_SYNTHETIC_PROJECTS
    assert all(title.startswith(PREFIX_JA) == flag for title, flag in synthetic)
    synthetic_profiles = await db.scalar(
        select(func.count()).select_from(InvestorProfile).where(InvestorProfile.is_synthetic)
    )
    assert synthetic_profiles == profiles - len(data.INVESTORS) == N_SYNTHETIC_INVESTORS
    version, _ = await train_and_store(db, trained_by="test")
    assert version.n_events == written
    # The demo's own held-out split: the first model serves only if it beats content and popularity.
    ndcg = version.gate
    assert ndcg["learned"] > max(ndcg["content"], ndcg["popularity"]) + ndcg["margin"], version.report
    assert (version.status, version.gate_passed, version.gate_reason) == ("active", True, "model.gate.passed")


async def test_the_api_shows_which_investor_profiles_are_synthetic(client, db, make_actor):
    await load_demo(db)
    await load_demo_history(db)
    investor = await make_actor(Role.investor)
    page = (await client.get("/api/v1/investors", params={"limit": 200}, headers=investor.headers)).json()
    flags = {p["display_name_ja"]: p["is_synthetic"] for p in page["items"]}
    assert any(flags.values())
    assert all(flag == name.startswith(PREFIX_JA) for name, flag in flags.items())
