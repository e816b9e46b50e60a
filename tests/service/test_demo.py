"""Demo data: the seed cases, every investor type, one user per role; idempotent; no stored passwords."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from service.demo.loader import load_demo
from service.models import InvestorProfile, Membership, Project, User
from service.models.enums import InvestorType, Role

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
