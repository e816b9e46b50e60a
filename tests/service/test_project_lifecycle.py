"""A project lead creates, edits and submits a project; an admin vets it — through the API alone."""

from __future__ import annotations

from service.models.enums import Role
from tests.service.helpers import project_payload, vetting_payload


async def test_lead_creates_edits_submits_and_admin_vets(client, make_actor):
    lead = await make_actor(Role.project_lead)
    admin = await make_actor(Role.admin)

    created = await client.post("/api/v1/projects", json=project_payload(), headers=lead.headers)
    assert created.status_code == 201, created.text
    project = created.json()
    assert project["status"] == "draft"
    assert project["prefecture_codes"] == [31]
    assert [m["name_ja"] for m in project["municipalities"]] == ["米子市", "境港市"]

    # Drafts are invisible to the public.
    anon = await client.get(f"/api/v1/projects/{project['id']}")
    assert anon.status_code == 404

    edited = await client.patch(f"/api/v1/projects/{project['id']}", json={"title_en": "Edited"}, headers=lead.headers)
    assert edited.status_code == 200, edited.text
    assert edited.json()["title_en"] == "Edited"

    submitted = await client.post(
        f"/api/v1/projects/{project['id']}/transitions",
        json={"to_status": "submitted", "reason": "審査をお願いします"},
        headers=lead.headers,
    )
    assert submitted.status_code == 201, submitted.text

    queue = await client.get("/api/v1/vetting/queue", headers=admin.headers)
    assert queue.status_code == 200
    assert project["id"] in [p["id"] for p in queue.json()["items"]]

    decision = await client.post(
        f"/api/v1/vetting/{project['id']}/decision", json=vetting_payload(), headers=admin.headers
    )
    assert decision.status_code == 201, decision.text

    public = await client.get(f"/api/v1/projects/{project['id']}")
    assert public.status_code == 200
    body = public.json()
    assert body["status"] == "vetted"
    assert body["latest_decision"]["reason"] == "確認済み / checked"

    history = await client.get(f"/api/v1/projects/{project['id']}/transitions", headers=lead.headers)
    assert history.json()["total"] == 2
    assert [(t["from_status"], t["to_status"]) for t in history.json()["items"]] == [
        ("draft", "submitted"),
        ("submitted", "vetted"),
    ]
    assert history.json()["items"][1]["actor_id"] == str(admin.user.id)
    assert history.json()["items"][1]["checklist"]["financials_reviewed"] is True
