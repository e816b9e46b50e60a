"""Every list answers a page; decimals are numbers at their stated precision, the same everywhere."""

from __future__ import annotations

import pytest

from service.models.enums import Role
from tests.service.helpers import project_payload

API = "/api/v1"
PAGE_KEYS = {"items", "total", "limit", "next_cursor"}


async def test_the_metric_catalogue_walks_page_by_page_with_each_metric_once(client):
    first = (await client.get(f"{API}/impact/metrics")).json()
    assert set(first) == PAGE_KEYS
    everything = [m["id"] for m in first["items"]]
    assert len(everything) == first["total"]

    seen: list[str] = []
    params: dict[str, str | int] = {"limit": 5}
    while True:
        page = (await client.get(f"{API}/impact/metrics", params=params)).json()
        assert page["limit"] == 5
        assert page["total"] == len(everything)
        seen += [m["id"] for m in page["items"]]
        if page["next_cursor"] is None:
            break
        params = {"limit": 5, "cursor": page["next_cursor"]}
    assert seen == everything


@pytest.mark.parametrize(
    ("path", "caller"),
    [
        ("/impact/metrics", None),
        ("/regions/living-spheres", None),
        ("/admin/models", Role.admin),
        ("/organisations/{org}/members", Role.project_lead),
        ("/projects/{project}/claims", Role.project_lead),
        ("/projects/{project}/transitions", Role.project_lead),
        ("/regions/prefectures", None),
    ],
)
async def test_the_lists_that_were_bare_arrays_answer_a_page(client, make_actor, path, caller):
    actor = await make_actor(caller) if caller else None
    headers = actor.headers if actor else {}
    if "{project}" in path:
        created = await client.post(f"{API}/projects", json=project_payload(), headers=headers)
        path = path.format(project=created.json()["id"])
    if "{org}" in path:
        path = path.format(org=actor.organisation.id)
    response = await client.get(API + path, params={"limit": 1}, headers=headers)
    assert response.status_code == 200, response.text
    page = response.json()
    # The model versions' page also says what the service serves now, and why (issue 12).
    extras = {"ranker", "model_version", "reason"} if path == "/admin/models" else set()
    assert set(page) == PAGE_KEYS | extras
    assert page["limit"] == 1
    assert len(page["items"]) == min(1, page["total"])
    assert (page["next_cursor"] is None) == (page["total"] <= 1)
    forged = await client.get(API + path, params={"cursor": "bm90LWEtY3Vyc29y"}, headers=headers)
    assert forged.status_code == 422
    assert forged.json()["errors"][0]["field"] == "cursor"


async def test_percentages_are_the_same_number_in_the_list_and_the_detail(client, make_actor):
    lead = await make_actor(Role.project_lead)
    body = project_payload(expected_return_min_pct=1.256, expected_return_max_pct=3)
    created = await client.post(f"{API}/projects", json=body, headers=lead.headers)
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    detail = (await client.get(f"{API}/projects/{pid}", headers=lead.headers)).json()
    listed = (
        await client.get(f"{API}/projects", params={"organisation": str(lead.organisation.id)}, headers=lead.headers)
    ).json()["items"][0]
    for shape in (detail, listed):
        # Stored as NUMERIC(6,2): 1.256 is kept as 1.26, and read back as a JSON number, never "1.26".
        assert shape["expected_return_min_pct"] == 1.26
        assert shape["expected_return_max_pct"] == 3
        assert isinstance(shape["expected_return_min_pct"], float)


async def test_computed_figures_carry_no_float_noise(client, make_actor):
    lead = await make_actor(Role.project_lead)
    # (100 + 50 + 7.3) / 100 is 1.5730000000000002 in binary floating point.
    inputs = {"lm3_r1_yen": 100, "lm3_r2_yen": 50, "lm3_r3_yen": 7.3}
    created = await client.post(f"{API}/projects", json=project_payload(impact_inputs=inputs), headers=lead.headers)
    assert created.status_code == 201, created.text
    listed = (
        await client.get(f"{API}/projects", params={"organisation": str(lead.organisation.id)}, headers=lead.headers)
    ).text
    for text in (created.text, listed):
        assert '"lm3":1.573' in text
        assert "1.5730000000000002" not in text
    calculated = await client.post(f"{API}/impact/calculate", json={"metric_id": "KY-LM3", "inputs": inputs})
    assert '"value":1.573' in calculated.text
