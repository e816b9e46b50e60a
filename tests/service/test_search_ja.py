"""Japanese search (issue 7): エネルギー finds ローカルエナジー, whatever the kana and width, and the
domain's synonyms widen a query without finding unrelated projects."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, text

from service.db import create_engine
from service.db.migrate import upgrade
from service.models import Project
from service.models.enums import Role
from service.text_search import normalise, search_terms
from tests.service.helpers import project_payload, vetting_payload
from tests.support.scratch_db import scratch_database

API = "/api/v1"

PROJECTS = {
    "energy": dict(
        title_ja="ローカルエナジー：地域でお金が回る電力事業の拡張",
        title_en="Local Energy: growing a regional power business",
        summary_ja="域内の再エネ電源から小売供給する。",
        summary_en="Retail supply from local renewable generation.",
    ),
    "mobility": dict(
        title_ja="デマンド交通で通院と買い物を支える",
        title_en="Demand-responsive rides for clinic visits and shopping",
        summary_ja="中山間地の乗合サービス。",
        summary_en="A shared-ride service for hill villages.",
        sector="mobility",
    ),
    "clinic": dict(
        title_ja="無医地区にクリニックを開く",
        title_en="Opening a clinic where there is none",
        summary_ja="オンライン診療と巡回。",
        summary_en="Online consultations and rounds.",
        sector="medical_care",
    ),
    "snow": dict(
        title_ja="高齢世帯の除雪を担う共同体",
        title_en="A cooperative clearing snow for older households",
        summary_ja="冬の生活道路を守る。",
        summary_en="Keeping winter roads open.",
        sector="snow_removal",
    ),
}


@pytest.fixture
async def listed(client, make_actor):
    """The four projects above, vetted (so anonymous callers see them), by key → id."""
    lead = await make_actor(Role.project_lead)
    admin = await make_actor(Role.admin)
    ids = {}
    for key, fields in PROJECTS.items():
        created = await client.post(f"{API}/projects", json=project_payload(**fields), headers=lead.headers)
        assert created.status_code == 201, created.text
        pid = created.json()["id"]
        move = {"to_status": "submitted", "reason": "審査をお願いします"}
        await client.post(f"{API}/projects/{pid}/transitions", json=move, headers=lead.headers)
        decided = await client.post(f"{API}/vetting/{pid}/decision", json=vetting_payload(), headers=admin.headers)
        assert decided.status_code == 201, decided.text
        ids[key] = pid
    return ids


async def found(client, q: str) -> set[str]:
    response = await client.get(f"{API}/projects", params={"q": q, "limit": 200})
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.parametrize(
    ("q", "key"),
    [
        ("エネルギー", "energy"),
        ("えねるぎー", "energy"),  # hiragana
        ("ｴﾈﾙｷﾞｰ", "energy"),  # half-width katakana
        ("エネルギ", "energy"),  # without the long-vowel mark
        ("ＥＮＥＲＧＹ", "energy"),  # full-width latin, upper case
        ("電力", "energy"),
        ("エナジー", "energy"),
        ("モビリティ", "mobility"),
        ("バス", "mobility"),
        ("医療", "clinic"),
        ("診療所", "clinic"),
        ("雪", "snow"),
        ("除雪", "snow"),
        ("スーパー", "mobility"),  # 買い物 in its title
    ],
)
async def test_a_query_finds_the_project_by_any_spelling_or_synonym(client, listed, q, key):
    hits = await found(client, q) & set(listed.values())
    assert hits == {listed[key]}, {k for k, v in listed.items() if v in hits}


@pytest.mark.parametrize("q", ["エネルギー", "ｴﾈﾙｷﾞｰ", "えねるぎー"])
async def test_unrelated_projects_are_not_found(client, listed, q):
    hits = await found(client, q)
    for key in ("mobility", "clinic", "snow"):
        assert listed[key] not in hits


async def test_nothing_matches_a_word_no_project_has(client, listed):
    assert not (await found(client, "カジノ")) & set(listed.values())


async def test_an_edit_keeps_the_search_text_current(client, make_actor, db):
    lead = await make_actor(Role.project_lead)
    created = await client.post(f"{API}/projects", json=project_payload(title_ja="ﾃｽﾄ案件"), headers=lead.headers)
    pid = created.json()["id"]
    stored = (await db.execute(select(Project.search_text).where(Project.id == uuid.UUID(pid)))).scalar_one()
    assert stored.startswith("てすと案件")
    edited = await client.patch(f"{API}/projects/{pid}", json={"title_ja": "バス路線"}, headers=lead.headers)
    assert edited.status_code == 200, edited.text
    db.expire_all()
    stored = (await db.execute(select(Project.search_text).where(Project.id == uuid.UUID(pid)))).scalar_one()
    assert stored.startswith("ばす路線")


def test_normalisation():
    assert normalise("ローカルエナジー") == normalise("ﾛｰｶﾙｴﾅｼﾞｰ") == normalise("ろーかるえなじー") == "ろかるえなじ"
    assert normalise("ＡＢＣ　Energy") == "abc energy"
    assert "電力" in search_terms("エネルギー")
    assert search_terms("米子") == ["米子"]


def test_a_long_query_keeps_itself_among_its_terms():
    q = "再生可能エネルギーの電力を地域の交通と医療に"
    terms = search_terms(q)
    assert normalise(q) in terms
    assert len(terms) <= 16


async def test_the_migration_backfills_existing_rows(database_url):
    """Rows written before 0009 (raw text in a generated column) are searchable after it."""
    async with scratch_database(database_url, revision="0004") as url:
        engine = create_engine(url, pool_size=1)
        try:
            async with engine.begin() as conn:
                user, org = uuid.uuid4(), uuid.uuid4()
                await conn.execute(
                    text("INSERT INTO app_user (id, email, display_name) VALUES (:id, 'm@example.jp', 'm')"),
                    {"id": user},
                )
                await conn.execute(
                    text(
                        "INSERT INTO organisation (id, kind, name_ja, name_en) VALUES (:id, 'company', '組織', 'Org')"
                    ),
                    {"id": org},
                )
                await conn.execute(
                    text(
                        "INSERT INTO project (id, organisation_id, created_by, title_ja, title_en, summary_ja,"
                        " summary_en, sector, instrument, stage, status, municipality_codes, prefecture_codes,"
                        " funding_target_yen,"
                        " min_ticket_yen, expected_return_min_pct, expected_return_max_pct, term_months)"
                        " VALUES (:id, :org, :user, 'ローカルエナジー', 'Local Energy', '電力', 'Power', 'energy',"
                        " 'equity', 'operating', 'funding', ARRAY['31202'], ARRAY[31], 100, 1, 1, 2, 12)"
                    ),
                    {"id": uuid.uuid4(), "org": org, "user": user},
                )
            await upgrade(engine)
            async with engine.connect() as conn:
                stored = (await conn.execute(text("SELECT search_text FROM project"))).scalar_one()
            assert stored == "ろかるえなじ local energy 電力 power"
        finally:
            await engine.dispose()
