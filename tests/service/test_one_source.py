"""One source for every fact: the 公共貢献 score, the vocabularies, a project's API shapes, a
claim in a list and in detail, and the synthetic demo market's flag."""

from __future__ import annotations

import typing
import uuid

import msgspec
import pytest

import matching
from matching import _records
from service.models import Project
from service.models.enums import (
    OPEN_STATUSES,
    PUBLIC_STATUSES,
    Instrument,
    InvestorType,
    ProjectStatus,
    RiskTolerance,
    Role,
    Sector,
    Stage,
)
from service.models.matching import EventKind
from service.projects.queries import LIST_COLUMNS
from service.projects.schemas import ProjectRead, ProjectSummary
from tests.service.helpers import project_payload, vetting_payload

API = "/api/v1"
SCORE = "KY-PUBLIC-CONTRIBUTION"
#: Every fact the score formula reads, stated — including LM3 rounds (LM3 2.44) nobody verified.
STATED = {
    "serves_daily_life_needs": True,
    "depopulating_population_share": 0.8,
    "municipalities_served": 5,
    "local_cofinancing_share": 0.5,
    "lm3_r1_yen": 10_000,
    "lm3_r2_yen": 8_000,
    "lm3_r3_yen": 6_400,
}


# ── 公共貢献: one function, shown the same everywhere ────────────────────────────────────────


async def _listed(client, make_actor, **payload):
    lead = await make_actor(Role.project_lead)
    admin = await make_actor(Role.admin)
    created = await client.post(f"{API}/projects", json=project_payload(**payload), headers=lead.headers)
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    move = {"to_status": "submitted", "reason": "審査をお願いします"}
    assert (await client.post(f"{API}/projects/{pid}/transitions", json=move, headers=lead.headers)).status_code == 201
    decided = await client.post(f"{API}/vetting/{pid}/decision", json=vetting_payload(), headers=admin.headers)
    assert decided.status_code == 201, decided.text
    return pid, lead, admin


async def _three_views(client, pid, headers=None):
    detail = (await client.get(f"{API}/projects/{pid}", headers=headers)).json()
    org = detail["organisation"]["id"]
    items = (await client.get(f"{API}/projects", params={"organisation": org}, headers=headers)).json()["items"]
    listed = next(p for p in items if p["id"] == pid)
    endpoint = (await client.get(f"{API}/projects/{pid}/public-contribution", headers=headers)).json()
    return listed["metrics"][SCORE], detail["metrics"][SCORE], endpoint


async def test_the_score_is_the_same_in_the_list_the_detail_and_the_endpoint_without_claims(client, make_actor):
    pid, _, _ = await _listed(client, make_actor, impact_inputs=STATED)
    listed, detail, endpoint = await _three_views(client, pid)
    assert listed == detail == endpoint["total"]
    components = {c["id"]: c for c in endpoint["components"]}
    # Stated LM3 rounds do not count; the project's two municipalities do, not the stated five.
    assert components["circulation"]["raw"] is None
    assert components["cross_border"]["raw"] == 2
    # What the formula over the stated inputs alone would say (the number the list used to show).
    stated_only = 25 + 25 * 0.8 + 15 + 20 + 15
    assert endpoint["total"] == pytest.approx(stated_only - 15 - 15 * (1 - 0.5))
    assert sum(c["points"] for c in endpoint["components"]) == pytest.approx(listed)


async def test_a_verified_lm3_claim_moves_the_score_everywhere_at_once(client, make_actor):
    pid, lead, admin = await _listed(client, make_actor, impact_inputs=STATED)
    before, _, _ = await _three_views(client, pid)
    claim = {
        "metric_id": "KY-LM3",
        "value": 2.44,
        "period_start": "2025-04-01",
        "period_end": "2026-03-31",
        "boundary": "域内の需要家",
        "method": "会計帳簿から集計",
        "baseline": "域外電力会社",
    }
    submitted = await client.post(f"{API}/projects/{pid}/claims", json=claim, headers=lead.headers)
    cid = submitted.json()["id"]
    for decision in ("review", "verify"):
        response = await client.post(
            f"{API}/claims/{cid}/decisions", json={"decision": decision, "reason": "帳簿と一致"}, headers=admin.headers
        )
        assert response.status_code == 200, response.text
    listed, detail, endpoint = await _three_views(client, pid)
    assert listed == detail == endpoint["total"] == pytest.approx(before + 15)
    assert endpoint["fact_sources"]["lm3"] == "verified claim (KY-LM3)"


async def test_a_draft_edit_that_changes_the_sector_rescores_the_stored_value(client, make_actor):
    lead = await make_actor(Role.project_lead)
    created = (await client.post(f"{API}/projects", json=project_payload(), headers=lead.headers)).json()
    edited = await client.patch(f"{API}/projects/{created['id']}", json={"sector": "tourism"}, headers=lead.headers)
    assert edited.status_code == 200, edited.text
    endpoint = (await client.get(f"{API}/projects/{created['id']}/public-contribution", headers=lead.headers)).json()
    assert edited.json()["metrics"][SCORE] == endpoint["total"] == created["metrics"][SCORE] - 25


# ── vocabularies: the service's enums and matching's copies agree ────────────────────────────


@pytest.mark.parametrize(
    ("service_enum", "library_words", "literal"),
    [
        (Sector, matching.SECTORS, _records.Sector),
        (Instrument, _records.INSTRUMENTS, _records.Instrument),
        (Stage, _records.STAGES, _records.Stage),
        (ProjectStatus, _records.PROJECT_STATUSES, _records.ProjectStatus),
        (InvestorType, _records.INVESTOR_TYPES, _records.InvestorType),
        (RiskTolerance, _records.RISK_TOLERANCES, _records.RiskTolerance),
        (EventKind, _records.EVENT_KINDS, _records.EventKind),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_matching_holds_the_same_vocabulary_as_the_service_in_the_same_order(service_enum, library_words, literal):
    assert tuple(m.value for m in service_enum) == library_words == typing.get_args(literal)


def test_every_sector_and_instrument_has_a_label_in_both_languages():
    assert set(matching.SECTOR_LABELS) == set(Sector)
    assert set(_records.INSTRUMENT_LABELS) == set(Instrument)
    assert all(ja and en for ja, en in [*matching.SECTOR_LABELS.values(), *_records.INSTRUMENT_LABELS.values()])


def test_listed_means_the_same_in_the_service_and_in_matching():
    assert {s.value for s in OPEN_STATUSES} == matching.RANKABLE_STATUSES
    assert OPEN_STATUSES < PUBLIC_STATUSES


# ── a project: the Structs are the source of the list's columns ──────────────────────────────


def test_the_list_selects_exactly_the_summary_fields():
    assert [c.name for c in LIST_COLUMNS] == list(ProjectSummary.__struct_fields__)


async def test_a_list_item_and_the_detail_agree_on_every_field_they_share(client, make_actor):
    pid, _, _ = await _listed(client, make_actor, impact_inputs=STATED)
    detail = (await client.get(f"{API}/projects/{pid}")).json()
    item = next(p for p in (await client.get(f"{API}/projects")).json()["items"] if p["id"] == pid)
    shared = set(ProjectSummary.__struct_fields__) & set(ProjectRead.__struct_fields__)
    assert shared >= {"metrics", "lm3", "is_synthetic", "expected_return_min_pct", "organisation"}
    assert {k: item[k] for k in shared} == {k: detail[k] for k in shared}
    assert isinstance(item["expected_return_min_pct"], float)  # a number, as in the detail
    msgspec.convert(item, ProjectSummary)  # the item is the documented shape


# ── claims: a list item carries the same facts as the detail, or does not have the field ───


async def test_a_claim_list_item_counts_the_evidence_and_events_the_detail_shows(client, make_actor):
    pid, lead, admin = await _listed(client, make_actor)
    claim = {
        "metric_id": "PI4060",
        "value": 120,
        "period_start": "2025-04-01",
        "period_end": "2026-03-31",
        "boundary": "利用者",
        "method": "名簿の集計",
        "baseline": "開始前 0",
    }
    cid = (await client.post(f"{API}/projects/{pid}/claims", json=claim, headers=lead.headers)).json()["id"]
    upload = await client.post(
        f"{API}/claims/{cid}/evidence",
        files={"file": ("n.csv", b"month,n\n2025-04,120\n", "text/csv")},
        headers=lead.headers,
    )
    assert upload.status_code == 201, upload.text
    for decision in ("review", "verify"):
        await client.post(
            f"{API}/claims/{cid}/decisions", json={"decision": decision, "reason": "ok"}, headers=admin.headers
        )
    detail = (await client.get(f"{API}/claims/{cid}")).json()
    assert (len(detail["evidence"]), len(detail["events"])) == (1, 3)
    for headers in (None, lead.headers):
        [item] = (await client.get(f"{API}/projects/{pid}/claims", headers=headers)).json()["items"]
        assert "evidence" not in item
        assert "events" not in item
        assert (item["evidence_count"], item["event_count"]) == (1, 3)
        assert {k: v for k, v in detail.items() if k in item} == item


# ── the synthetic demo market is marked in the data ──────────────────────────────────────────


async def test_synthetic_projects_are_flagged_filterable_and_listed_after_real_ones(client, db, make_actor):
    real_pid, _, _ = await _listed(client, make_actor, title_en="real case")
    synthetic_pid, _, _ = await _listed(client, make_actor, title_en="synthetic")
    project = await db.get(Project, uuid.UUID(synthetic_pid))
    assert project is not None
    project.is_synthetic = True
    await db.flush()

    default = (await client.get(f"{API}/projects")).json()["items"]
    ids = [p["id"] for p in default]
    # The synthetic one was created last, yet the real case comes first by default.
    assert ids.index(real_pid) < ids.index(synthetic_pid)
    flags = [p["is_synthetic"] for p in default]
    assert flags == sorted(flags)
    newest_first = [
        p["id"] for p in (await client.get(f"{API}/projects", params={"sort": "-created_at"})).json()["items"]
    ]
    assert newest_first.index(synthetic_pid) < newest_first.index(real_pid)

    only_real = (await client.get(f"{API}/projects", params={"synthetic": "false"})).json()
    only_synthetic = (await client.get(f"{API}/projects", params={"synthetic": "true"})).json()
    assert real_pid in {p["id"] for p in only_real["items"]}
    assert [p["id"] for p in only_synthetic["items"]] == [synthetic_pid]
    assert (await client.get(f"{API}/projects/{synthetic_pid}")).json()["is_synthetic"] is True
    bad = await client.get(f"{API}/projects", params={"synthetic": "maybe"})
    assert bad.status_code in (400, 422)


async def test_the_api_document_says_which_inputs_the_score_counts(client):
    from service.impact.incentives import SCORE_MEANING_EN

    document = (await client.get("/schema/openapi.json")).text
    assert msgspec.json.encode(SCORE_MEANING_EN).decode()[1:-1] in document
    assert "synthetic demo market" in document


async def test_migration_0008_flags_the_synthetic_rows_a_database_already_has(database_url):
    """A database loaded before the flag existed: its synthetic demo rows are marked from their titles."""
    import asyncpg

    from service.db import create_engine
    from service.db.migrate import upgrade
    from tests.support.scratch_db import scratch_database

    async with scratch_database(database_url, revision="0008-1") as scratch_url:
        scratch = create_engine(scratch_url, pool_size=1)
        try:
            conn = await asyncpg.connect(scratch_url.replace("postgresql+asyncpg://", "postgresql://"))
            try:
                org, user = uuid.uuid4(), uuid.uuid4()
                await conn.execute(
                    "INSERT INTO organisation (id, kind, name_ja, name_en)"
                    " VALUES ($1, 'company', '事業者', 'operator')",
                    org,
                )
                await conn.execute(
                    "INSERT INTO app_user (id, email, display_name) VALUES ($1, 'x@example.jp', 'x')", user
                )
                for title, demo in (
                    ("（合成デモ）鳥取県の除雪事業 01", True),
                    ("ローカルエナジー", True),
                    ("（合成デモ）user", False),
                ):
                    await conn.execute(
                        """INSERT INTO project (id, organisation_id, created_by, title_ja, title_en, summary_ja,
                           summary_en, sector, instrument, stage, status, municipality_codes, prefecture_codes,
                           funding_target_yen, min_ticket_yen, expected_return_min_pct, expected_return_max_pct,
                           term_months, is_demo)
                           VALUES ($1, $2, $3, $4, $4, 's', 's', 'energy', 'equity', 'pilot', 'funding', '{31202}',
                           '{31}', 10, 1, 0, 1, 12, $5)""",
                        uuid.uuid4(),
                        org,
                        user,
                        title,
                        demo,
                    )
                await upgrade(scratch, "0008")
                flags = dict(await conn.fetch("SELECT title_ja, is_synthetic FROM project"))
            finally:
                await conn.close()
        finally:
            await scratch.dispose()
    # Only demo rows are marked: a user's own title cannot make its project synthetic.
    assert flags == {"（合成デモ）鳥取県の除雪事業 01": True, "ローカルエナジー": False, "（合成デモ）user": False}
