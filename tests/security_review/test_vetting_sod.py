"""Issue #7 §1 "Separation of duties": an admin who is a member of a project's organisation must
not vet that project (claims refuse it with own_organisation). The vetting path has no such check."""

from __future__ import annotations

from service.models import Membership
from service.models.enums import Role
from tests.service.helpers import project_payload, vetting_payload


async def test_admin_member_of_the_projects_organisation_vets_it(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    admin = await make_actor(Role.admin)
    # The admin is also a member (here: a project lead) of the lead's organisation.
    db.add(Membership(user_id=admin.user.id, organisation_id=lead.organisation.id, role=Role.project_lead))
    await db.commit()
    created = await client.post("/api/v1/projects", json=project_payload(), headers=lead.headers)
    project_id = created.json()["id"]
    submitted = await client.post(
        f"/api/v1/projects/{project_id}/transitions",
        json={"to_status": "submitted", "reason": "審査をお願いします"},
        headers=lead.headers,
    )
    assert submitted.status_code == 201
    decision = await client.post(
        f"/api/v1/vetting/{project_id}/decision", json=vetting_payload(), headers=admin.headers
    )
    assert decision.status_code == 403, f"{decision.status_code} {decision.text[:200]}"


async def test_admin_who_leads_the_project_vets_its_own_project(client, make_actor, db):
    admin = await make_actor(Role.admin)
    db.add(Membership(user_id=admin.user.id, organisation_id=admin.organisation.id, role=Role.project_lead))
    await db.commit()
    created = await client.post("/api/v1/projects", json=project_payload(), headers=admin.headers)
    assert created.status_code == 201, created.text
    project_id = created.json()["id"]
    await client.post(
        f"/api/v1/projects/{project_id}/transitions",
        json={"to_status": "submitted", "reason": "審査をお願いします"},
        headers=admin.headers,
    )
    decision = await client.post(
        f"/api/v1/vetting/{project_id}/decision", json=vetting_payload(), headers=admin.headers
    )
    assert decision.status_code == 403, f"{decision.status_code} {decision.text[:200]}"
