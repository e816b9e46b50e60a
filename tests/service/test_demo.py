"""Demo data: the seed cases, every investor type, one user per role; idempotent; no stored passwords."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from service.demo import data
from service.demo.history import N_SYNTHETIC_PROJECTS
from service.demo.loader import load_demo, load_demo_history
from service.models import AuditEntry, InvestorProfile, Membership, Organisation, Project, User
from service.models.enums import OPEN_STATUSES, InvestorType, Role

ROOT = Path(__file__).resolve().parents[2]


async def test_demo_loads_the_seed_cases_every_investor_type_and_each_role(db):
    passwords = await load_demo(db)
    assert set(passwords) == {
        "admin@demo.kyoso.jp",
        "lead@demo.kyoso.jp",
        "bank@demo.kyoso.jp",
        "investor@demo.kyoso.jp",
    }
    titles = (await db.execute(select(Project.title_ja).where(Project.is_demo))).scalars().all()
    for case in ("ローカルエナジー", "ミーツ", "きらりよしじま", "伊那市", "会津若松", "三豊市"):
        assert any(case in t for t in titles), case
    types = set((await db.execute(select(InvestorProfile.investor_type))).scalars())
    assert types >= {
        t.value
        for t in (
            InvestorType.individual,
            InvestorType.company,
            InvestorType.regional_bank,
            InvestorType.public_financier,
            InvestorType.fund,
        )
    }
    roles = set((await db.execute(select(Membership.role))).scalars())
    assert roles == {r.value for r in Role}


async def test_loading_twice_adds_nothing_and_keeps_passwords(db):
    await load_demo(db)
    counts = [await db.scalar(select(func.count()).select_from(t)) for t in (Project, InvestorProfile, User)]
    hashes = dict((await db.execute(select(User.email, User.password_hash))).all())
    again = await load_demo(db)
    assert again == {}
    assert [await db.scalar(select(func.count()).select_from(t)) for t in (Project, InvestorProfile, User)] == counts
    assert dict((await db.execute(select(User.email, User.password_hash))).all()) == hashes


async def test_invented_figures_are_labelled_illustrative(db):
    await load_demo(db)
    bodies = (await db.execute(select(Project.body_ja, Project.body_en).where(Project.is_demo))).all()
    assert all("想定" in ja and "illustrative" in en for ja, en in bodies)


@pytest.fixture(scope="module")
def repository_text() -> str:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return "\n".join((ROOT / n).read_text(encoding="utf-8", errors="ignore") for n in tracked if (ROOT / n).is_file())


async def test_demo_passwords_are_generated_fresh_and_not_in_the_repository(db, repository_text):
    first = await load_demo(db)
    reset = await load_demo(db, reset_passwords=True)
    assert first.keys() == reset.keys()
    assert all(first[email] != reset[email] for email in first)
    assert not any(password in repository_text for password in [*first.values(), *reset.values()])


# ── through the same services as users, and realistic enough to exercise the rules ──────────


async def test_every_demo_project_creation_and_vetting_decision_is_in_the_audit_log(db):
    await load_demo(db)
    await load_demo_history(db)
    projects = {str(i) for i in (await db.execute(select(Project.id).where(Project.is_demo))).scalars()}
    assert len(projects) == len(data.PROJECTS) + N_SYNTHETIC_PROJECTS
    entries = (await db.execute(select(AuditEntry.action, AuditEntry.object_id))).all()
    created = {str(o) for a, o in entries if a == "project.create"}
    approved = {str(o) for a, o in entries if a == "vetting.approve"}
    assert projects <= created
    assert projects <= approved  # every demo project is listed, so each was approved by an admin
    listed = (await db.execute(select(Project.status).where(Project.is_demo))).scalars()
    assert set(listed) <= {s.value for s in OPEN_STATUSES}


async def test_the_real_furusato_cases_are_eligible_and_the_one_kept_ineligible_says_why(client, db):
    await load_demo(db)
    donor = await db.scalar(select(Organisation.id).where(Organisation.name_ja.startswith("みらい電機")))
    furusato = (
        await db.execute(
            select(Project).where(Project.is_demo, ~Project.is_synthetic, Project.instrument == "corporate_furusato")
        )
    ).scalars()
    outcomes = {}
    for project in furusato:
        response = await client.get(
            f"/api/v1/projects/{project.id}/eligibility",
            params={"donor_organisation_id": str(donor), "donation_yen": 1_000_000},
        )
        assert response.status_code == 200, response.text
        outcomes[project.title_ja] = (project, response.json())
    eligible = [t for t, (_, body) in outcomes.items() if body["eligible"]]
    ineligible = [t for t, (_, body) in outcomes.items() if not body["eligible"]]
    assert len(eligible) >= 1
    assert any("会津若松" in t for t in eligible)
    assert len(ineligible) == 1
    project, body = outcomes[ineligible[0]]
    [furusato_rules] = [r for r in body["rulesets"] if r["ruleset_id"] == "corporate_furusato"]
    failed = [c["rule_id"] for c in furusato_rules["checks"] if not c["passed"]]
    assert failed == ["certified_plan"]  # the donor, the amount and the return all pass
    assert "対象外" in project.title_ja
    assert "認定地域再生計画" in project.body_ja
    assert "certified" in project.body_en


async def test_synthetic_furusato_projects_pass_the_plan_check_too(db):
    await load_demo(db)
    await load_demo_history(db)
    rows = (
        await db.execute(
            select(Project.certified_regional_plan).where(
                Project.is_synthetic, Project.instrument == "corporate_furusato"
            )
        )
    ).scalars()
    assert all(rows)


async def test_real_cases_come_first_in_the_default_listing(client, db):
    await load_demo(db)
    await load_demo_history(db)
    page = (await client.get("/api/v1/projects", params={"limit": 50})).json()
    flags = [p["is_synthetic"] for p in page["items"]]
    real = len(data.PROJECTS)
    assert flags[:real] == [False] * real
    assert all(flags[real:])
    only_real = (await client.get("/api/v1/projects", params={"synthetic": "false"})).json()
    assert only_real["total"] == real
