"""Load the demo records idempotently: what exists (by natural key) is left as it is.

Passwords are generated here and returned once so the CLI can print them; the repository
holds none.
"""

from __future__ import annotations

import secrets
import uuid
from pathlib import Path

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.passwords import hash_password
from service.auth.principal import MembershipInfo, Principal
from service.demo import data, impact_data
from service.models import (
    InvestorProfile,
    LivingSphere,
    LivingSphereMember,
    Membership,
    Municipality,
    Organisation,
    Project,
    User,
)
from service.models.base import utcnow
from service.models.enums import ProjectStatus, Role
from service.projects.schemas import ProjectCreate
from service.projects.service import ProjectService
from service.vetting.schemas import VettingChecklist

#: The moves from draft to each demo status, and who makes them (vetting is the admin's decision).
_MOVES: dict[str, list[tuple[ProjectStatus, str]]] = {
    "vetted": [(ProjectStatus.submitted, "lead"), (ProjectStatus.vetted, "admin")],
    "funding": [(ProjectStatus.submitted, "lead"), (ProjectStatus.vetted, "admin"), (ProjectStatus.funding, "lead")],
}
_CHECKLIST = msgspec.convert(
    {
        "identity_verified": True,
        "financials_reviewed": True,
        "impact_model_reviewed": True,
        "legal_structure_reviewed": True,
        "regional_benefit_confirmed": True,
        "notes": "demo data",
    },
    VettingChecklist,
)
_REASON = "デモデータ / demo data"
#: Keys of a demo project spec that are ProjectCreate fields as they are.
_PROJECT_FIELDS = (
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
    "certified_regional_plan",
)


async def as_principal(session: AsyncSession, user: User) -> Principal:
    """``user`` acting with its memberships, as a signed-in request would (no session behind it)."""
    rows = await session.execute(
        select(Membership.organisation_id, Membership.role).where(Membership.user_id == user.id)
    )
    return Principal(
        user_id=user.id,
        session_id=uuid.uuid4(),
        email=user.email,
        display_name=user.display_name,
        memberships=tuple(MembershipInfo(org, Role(role)) for org, role in rows),
        via_cookie=False,
    )


async def publish(
    session: AsyncSession,
    project_in: ProjectCreate,
    status: ProjectStatus,
    lead: Principal,
    admin: Principal,
    *,
    synthetic: bool = False,
) -> Project:
    """Create a demo project through :class:`ProjectService` and move it to ``status`` the way
    users do (submit, vetting decision with its checklist, open funding), so every step is
    validated and in the audit log."""
    service = ProjectService(session)
    project = await service.create(lead, project_in, demo=True, synthetic=synthetic)
    actors = {"lead": lead, "admin": admin}
    for to_status, who in _MOVES[status]:
        vetting = to_status == ProjectStatus.vetted
        await service.transition(
            actors[who],
            project.id,
            to_status,
            _REASON,
            checklist=msgspec.structs.asdict(_CHECKLIST) if vetting else None,
            vetting=vetting,
        )
    return project


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
    lead, admin = await as_principal(session, users["lead"]), await as_principal(session, users["admin"])
    for spec in data.PROJECTS:
        org = orgs[spec["org"]]
        exists = await session.scalar(
            select(Project.id).where(Project.organisation_id == org.id, Project.title_ja == spec["title_ja"])
        )
        if exists is not None:
            continue
        inputs = impact_data.IMPACT_INPUTS.get(spec["org"], {})
        fields = {k: spec[k] for k in _PROJECT_FIELDS if k in spec}
        project_in = msgspec.convert(
            {
                **fields,
                "organisation_id": org.id,
                "municipality_codes": [codes.code(p) for p in spec["places"]],
                "expected_return_min_pct": spec["ret"][0],
                "expected_return_max_pct": spec["ret"][1],
                "impact_inputs": inputs,
                "impact_label": "illustrative" if inputs else None,
            },
            ProjectCreate,
        )
        await publish(session, project_in, ProjectStatus(spec["status"]), lead, admin)


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
    """One verified demo claim (ローカルエナジー's customer count) with a small generated CSV as
    evidence, submitted by the lead and verified by the admin through :class:`ClaimService`, so
    it is checked and audited like any claim. The demo projects' illustrative impact inputs are
    given when they are created (:func:`load_demo`). Idempotent; returns claims added."""
    from service.claims.schemas import ClaimCreate
    from service.claims.service import ClaimService
    from service.claims.storage import LocalEvidenceStore
    from service.models import ImpactClaim

    spec = impact_data.DEMO_CLAIM
    org_spec = next(o for o in data.ORGANISATIONS if o["key"] == spec["org"])
    project = (
        (
            await session.execute(
                select(Project)
                .join(Organisation, Organisation.id == Project.organisation_id)  # type: ignore[arg-type]
                .where(Organisation.name_ja == org_spec["name_ja"], Project.is_demo)
                .order_by(Project.created_at)  # type: ignore[arg-type]
            )
        )
        .scalars()
        .first()
    )
    lead = (await session.execute(select(User).where(User.email == "lead@demo.kyoso.jp"))).scalar_one_or_none()
    admin = (await session.execute(select(User).where(User.email == "admin@demo.kyoso.jp"))).scalar_one_or_none()
    if project is None or lead is None or admin is None:
        return 0
    if await session.scalar(select(ImpactClaim.id).where(ImpactClaim.project_id == project.id)) is not None:
        return 0
    lead_as, admin_as = await as_principal(session, lead), await as_principal(session, admin)
    claims = ClaimService(session)
    start, end = spec["period"]
    claim_in = msgspec.convert(
        {
            "metric_id": spec["metric_id"],
            "value": spec["value"],
            "period_start": start,
            "period_end": end,
            "boundary": spec["boundary"],
            "method": spec["method"],
            "baseline": spec["baseline"],
        },
        ClaimCreate,
    )
    claim = await claims.submit(lead_as, project.id, claim_in)
    content = spec["evidence_csv"].encode()
    store = LocalEvidenceStore(evidence_root)
    await claims.add_evidence(lead_as, claim.id, content, "text/csv", spec["evidence_name"], store)
    for decision in ("review", "verify"):
        await claims.decide(admin_as, claim.id, decision, _REASON)
    return 1
