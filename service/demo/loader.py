"""Load the demo records idempotently: what exists (by natural key) is left as it is.

Passwords are generated here and returned once so the CLI can print them; the repository
holds none.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.passwords import hash_password
from service.demo import data, impact_data
from service.models import (
    InvestorProfile,
    LivingSphere,
    LivingSphereMember,
    Membership,
    Municipality,
    Organisation,
    Project,
    ProjectTransition,
    User,
)
from service.models.base import utcnow

_HISTORY = {
    "vetted": [("draft", "submitted", "lead"), ("submitted", "vetted", "admin")],
    "funding": [("draft", "submitted", "lead"), ("submitted", "vetted", "admin"), ("vetted", "funding", "lead")],
}
_CHECKLIST = {
    "identity_verified": True,
    "financials_reviewed": True,
    "impact_model_reviewed": True,
    "legal_structure_reviewed": True,
    "regional_benefit_confirmed": True,
    "notes": "demo data",
}


class _Codes:
    def __init__(self, rows: list[Municipality]) -> None:
        self._by_name = {(m.prefecture_code, m.name_ja): m for m in rows}

    def code(self, place: tuple[int, str]) -> str:
        return self._by_name[place].code

    def pref(self, place: tuple[int, str]) -> int:
        return self._by_name[place].prefecture_code


async def load_demo(session: AsyncSession, *, reset_passwords: bool = False) -> dict[str, str]:
    """Insert missing demo rows; returns {email: password} for users created (or reset) now."""
    codes = _Codes(list((await session.execute(select(Municipality))).scalars()))
    orgs = await _organisations(session, codes)
    users, passwords = await _users(session, orgs, reset_passwords)
    await _spheres(session, codes)
    await _projects(session, codes, orgs, users)
    await _investors(session, orgs, users)
    await session.flush()
    return passwords


async def _organisations(session: AsyncSession, codes: _Codes) -> dict[str, Organisation]:
    out: dict[str, Organisation] = {}
    for spec in data.ORGANISATIONS:
        org = (
            await session.execute(select(Organisation).where(Organisation.name_ja == spec["name_ja"]))
        ).scalar_one_or_none()
        if org is None:
            pref, muni = spec["place"]
            org = Organisation(
                kind=spec["kind"],
                name_ja=spec["name_ja"],
                name_en=spec["name_en"],
                prefecture_code=pref,
                municipality_code=codes.code((pref, muni)) if muni else None,
            )
            session.add(org)
            await session.flush()
        out[spec["key"]] = org
    return out


async def _users(
    session: AsyncSession, orgs: dict[str, Organisation], reset: bool
) -> tuple[dict[str, User], dict[str, str]]:
    users: dict[str, User] = {}
    passwords: dict[str, str] = {}
    for spec in data.USERS:
        user = (await session.execute(select(User).where(User.email == spec["email"]))).scalar_one_or_none()
        if user is None or reset:
            password = secrets.token_urlsafe(12)
            passwords[spec["email"]] = password
            if user is None:
                user = User(
                    email=spec["email"],
                    display_name=spec["display_name"],
                    password_hash=hash_password(password),
                    email_verified_at=utcnow(),  # demo addresses are ours: no verification mail
                )
                session.add(user)
                await session.flush()
            else:
                user.password_hash = hash_password(password)
        for org_key, role in spec["memberships"]:
            exists = await session.scalar(
                select(Membership.id).where(
                    Membership.user_id == user.id,
                    Membership.organisation_id == orgs[org_key].id,
                    Membership.role == role,
                )
            )
            if exists is None:
                session.add(Membership(user_id=user.id, organisation_id=orgs[org_key].id, role=role))
        users[spec["email"].split("@")[0]] = user
    await session.flush()
    return users, passwords


async def _spheres(session: AsyncSession, codes: _Codes) -> None:
    for spec in data.SPHERES:
        if await session.scalar(select(LivingSphere.id).where(LivingSphere.name_ja == spec["name_ja"])) is not None:
            continue
        sphere = LivingSphere(
            name_ja=spec["name_ja"],
            name_en=spec["name_en"],
            core_municipality_code=codes.code(spec["core"]),
            description_ja=spec["description_ja"],
            description_en=spec["description_en"],
        )
        session.add(sphere)
        await session.flush()
        session.add_all(
            [LivingSphereMember(living_sphere_id=sphere.id, municipality_code=codes.code(p)) for p in spec["members"]]
        )


async def _projects(
    session: AsyncSession, codes: _Codes, orgs: dict[str, Organisation], users: dict[str, User]
) -> None:
    for spec in data.PROJECTS:
        org = orgs[spec["org"]]
        exists = await session.scalar(
            select(Project.id).where(Project.organisation_id == org.id, Project.title_ja == spec["title_ja"])
        )
        if exists is not None:
            continue
        fields: dict[str, Any] = {
            k: spec[k]
            for k in (
                "title_ja",
                "title_en",
                "summary_ja",
                "summary_en",
                "body_ja",
                "body_en",
                "sector",
                "instrument",
                "stage",
                "funding_target_yen",
                "min_ticket_yen",
                "term_months",
            )
        }
        project = Project(
            **fields,
            organisation_id=org.id,
            created_by=users["lead"].id,
            status=spec["status"],
            municipality_codes=[codes.code(p) for p in spec["places"]],
            prefecture_codes=sorted({codes.pref(p) for p in spec["places"]}),
            expected_return_min_pct=spec["ret"][0],
            expected_return_max_pct=spec["ret"][1],
            impact_inputs=spec.get("impact_inputs", {}),
            is_demo=True,
        )
        session.add(project)
        await session.flush()
        for from_status, to_status, who in _HISTORY[spec["status"]]:
            session.add(
                ProjectTransition(
                    project_id=project.id,
                    from_status=from_status,
                    to_status=to_status,
                    actor_id=users[who].id,
                    reason="デモデータ / demo data",
                    checklist=_CHECKLIST if to_status == "vetted" else None,
                )
            )


async def _investors(session: AsyncSession, orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    for spec in data.INVESTORS:
        kind, key = spec["owner"].split(":", 1)
        owner_user: uuid.UUID | None = None
        owner_org: uuid.UUID | None = None
        if kind == "user":
            owner_user = users[key.split("@")[0]].id
            where = InvestorProfile.owner_user_id == owner_user
        else:
            owner_org = orgs[key].id
            where = InvestorProfile.owner_organisation_id == owner_org
        if await session.scalar(select(InvestorProfile.id).where(where)) is not None:
            continue
        ticket_min, ticket_max = spec["ticket"]
        fields = {
            k: spec[k]
            for k in (
                "investor_type",
                "display_name_ja",
                "display_name_en",
                "sectors",
                "prefecture_codes",
                "instruments",
                "target_return_pct",
                "risk_tolerance",
                "impact_themes",
                "thesis_ja",
                "thesis_en",
            )
        }
        session.add(
            InvestorProfile(
                **fields,
                owner_user_id=owner_user,
                owner_organisation_id=owner_org,
                created_by=users["investor"].id,
                ticket_min_yen=ticket_min,
                ticket_max_yen=ticket_max,
                is_demo=True,
            )
        )


async def load_demo_history(session: AsyncSession) -> int:
    """The illustrative synthetic market and simulated interaction history (service/demo/history.py),
    kept apart from :func:`load_demo` so the demo records themselves stay exactly the curated ones."""
    from service.demo.history import load_history

    return await load_history(session)


async def load_demo_impact(session: AsyncSession, evidence_root: Path) -> int:
    """Illustrative impact inputs (and their stored metrics) for the demo projects, and one
    verified demo claim with a small generated CSV as evidence. Idempotent; returns rows changed."""
    from service.audit import service as audit
    from service.claims.storage import LocalEvidenceStore
    from service.impact.service import project_metrics
    from service.models import ClaimStatus, EvidenceFile, ImpactClaim, ImpactClaimEvent

    orgs = {
        spec["key"]: await session.scalar(select(Organisation.id).where(Organisation.name_ja == spec["name_ja"]))
        for spec in data.ORGANISATIONS
    }
    changed = 0
    projects: dict[str, Project] = {}
    for key, inputs in impact_data.IMPACT_INPUTS.items():
        project = (
            (await session.execute(select(Project).where(Project.organisation_id == orgs[key], Project.is_demo)))
            .scalars()
            .first()
        )
        if project is None:
            continue
        projects[key] = project
        if not project.impact_inputs:
            project.impact_inputs = inputs
            project.computed_metrics, project.lm3 = project_metrics(inputs)
            project.impact_label = "illustrative"
            changed += 1
    spec = impact_data.DEMO_CLAIM
    project = projects.get(spec["org"])
    lead = await session.scalar(select(User.id).where(User.email == "lead@demo.kyoso.jp"))
    admin = await session.scalar(select(User.id).where(User.email == "admin@demo.kyoso.jp"))
    if project is None or lead is None or admin is None:
        await session.flush()
        return changed
    if await session.scalar(select(ImpactClaim.id).where(ImpactClaim.project_id == project.id)) is None:
        start, end = (date.fromisoformat(d) for d in spec["period"])
        claim = ImpactClaim(
            project_id=project.id,
            metric_id=spec["metric_id"],
            value=spec["value"],
            unit="persons",
            period_start=start,
            period_end=end,
            boundary=spec["boundary"],
            method=spec["method"],
            baseline=spec["baseline"],
            status=ClaimStatus.verified,
            computed_value=float(project.computed_metrics.get(spec["metric_id"], 0)) or None,
            flags=[],
            submitted_by=lead,
        )
        session.add(claim)
        await session.flush()
        content = spec["evidence_csv"].encode()
        key = LocalEvidenceStore(evidence_root).put(content)
        session.add(
            EvidenceFile(
                claim_id=claim.id,
                filename=spec["evidence_name"],
                media_type="text/csv",
                size_bytes=len(content),
                sha256=key,
                storage_key=key,
                uploaded_by=lead,
            )
        )
        for action, who, before, after in (
            ("submit", lead, None, "submitted"),
            ("review", admin, "submitted", "under_review"),
            ("verify", admin, "under_review", "verified"),
        ):
            reason = "デモデータ / demo data"
            session.add(
                ImpactClaimEvent(
                    claim_id=claim.id, action=action, from_status=before, to_status=after, actor_id=who, reason=reason
                )
            )
            await session.flush()
            await audit.append(
                session,
                actor_id=who,
                action=f"claim.{action}",
                object_type="claim",
                object_id=claim.id,
                payload={"from": before, "to": after, "reason": reason, "demo": True},
            )
        changed += 1
    await session.flush()
    return changed
