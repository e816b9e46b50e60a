"""Separation of duties (issue 7): an admin who acts for a project's organisation may not vet
that project, as claims already refuse; another admin may, and nothing is written by the refusal."""

from __future__ import annotations

from sqlalchemy import func, select

from service.models import AuditEntry, Membership, Project, ProjectTransition
from service.models.enums import Role
from tests.service.helpers import project_payload, vetting_payload

API = "/api/v1"


async def _submitted_project(client, lead) -> str:
    created = await client.post(f"{API}/projects", json=project_payload(), headers=lead.headers)
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    submitted = await client.post(
        f"{API}/projects/{pid}/transitions", json={"to_status": "submitted", "reason": "審査依頼"}, headers=lead.headers
    )
    assert submitted.status_code == 201, submitted.text
    return pid


async def _counts(db, pid):
    transitions = await db.scalar(
        select(func.count()).select_from(ProjectTransition).where(ProjectTransition.project_id == pid)
    )
    audit = await db.scalar(select(func.count()).select_from(AuditEntry))
    return transitions, audit


async def test_an_admin_of_the_projects_own_organisation_cannot_vet_it(client, db, make_actor):
    lead = await make_actor(Role.project_lead)
    insider = await make_actor(Role.admin)
    # The admin also acts for the lead's organisation (e.g. seconded staff).
    db.add(Membership(user_id=insider.user.id, organisation_id=lead.organisation.id, role=Role.investor))
    await db.commit()
    pid = await _submitted_project(client, lead)
    before = await _counts(db, pid)

    for decision in ("approve", "reject"):
        refused = await client.post(
            f"{API}/vetting/{pid}/decision", json=vetting_payload(decision), headers=insider.headers
        )
        assert refused.status_code == 403, refused.text
        assert refused.json()["code"] == "vetting.own_organisation"

    assert await _counts(db, pid) == before
    assert (await db.get(Project, pid)).status == "submitted"

    outsider = await make_actor(Role.admin)
    approved = await client.post(f"{API}/vetting/{pid}/decision", json=vetting_payload(), headers=outsider.headers)
    assert approved.status_code == 201, approved.text
    assert approved.json()["to_status"] == "vetted"


async def test_the_refusal_speaks_japanese_and_english(client, db, make_actor):
    lead = await make_actor(Role.project_lead)
    insider = await make_actor(Role.admin, organisation=lead.organisation)
    pid = await _submitted_project(client, lead)
    ja = await client.post(f"{API}/vetting/{pid}/decision", json=vetting_payload(), headers=insider.headers)
    en = await client.post(
        f"{API}/vetting/{pid}/decision",
        json=vetting_payload(),
        headers={**insider.headers, "Accept-Language": "en"},
    )
    assert ja.json()["detail"] == "自組織のプロジェクトは審査できません。"
    assert en.json()["detail"] == "Admins may not vet their own organisation's projects."
