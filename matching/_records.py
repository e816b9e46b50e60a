"""Plain records the library consumes: investors, projects and interaction events.

The web service builds these from its database; a synthetic market or an external
data set builds the same shapes, so every market is trained and evaluated alike::

    from datetime import UTC, datetime
    from matching import InvestorRecord

    investor = InvestorRecord(
        id="inv-1", investor_type="individual", sectors=["mobility"], prefectures=[3],
        instruments=["loan"], ticket_min_yen=10_000, ticket_max_yen=300_000,
        target_return_pct=None, risk_tolerance="low", impact_themes=["local_economy"],
        thesis="地域交通を守りたい / keep rural buses running", created_at=datetime.now(UTC),
    )
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

import msgspec

from ._errors import InvalidRecord
from ._geo import N_PREFECTURES

InvestorType = Literal["individual", "company", "fund", "regional_bank", "public_financier", "corporate_donor"]
RiskTolerance = Literal["low", "medium", "high"]
Sector = Literal[
    "mobility",
    "medical_care",
    "elderly_care",
    "retail",
    "energy",
    "vacant_houses",
    "education",
    "childcare",
    "snow_removal",
    "agriculture",
    "tourism",
    "disaster_resilience",
    "digital",
]
Instrument = Literal["equity", "loan", "revenue_share", "social_impact_bond", "donation", "corporate_furusato"]
Stage = Literal["idea", "pilot", "operating", "scaling"]
ProjectStatus = Literal["draft", "submitted", "vetted", "funding", "funded", "closed", "rejected", "withdrawn"]
EventKind = Literal["view", "bookmark", "interest", "decline", "commit"]

# Each vocabulary is spelled once, as its Literal; the ordered tuples derive from it. They are
# tuples because feature columns are indexed by position: appending is safe, reordering breaks
# saved models (the artifact stores them to check). The service's enums (service/models/enums.py)
# hold the same words; tests/service/test_one_source.py asserts the two agree.
INVESTOR_TYPES: tuple[str, ...] = get_args(InvestorType)
RISK_TOLERANCES: tuple[str, ...] = get_args(RiskTolerance)
SECTORS: tuple[str, ...] = get_args(Sector)
INSTRUMENTS: tuple[str, ...] = get_args(Instrument)
STAGES: tuple[str, ...] = get_args(Stage)
PROJECT_STATUSES: tuple[str, ...] = get_args(ProjectStatus)
#: Statuses in which a project takes money, so matches may rank it (the service's OPEN_STATUSES).
RANKABLE_STATUSES: frozenset[str] = frozenset({"vetted", "funding"})
EVENT_KINDS: tuple[str, ...] = get_args(EventKind)

SECTOR_LABELS: dict[str, tuple[str, str]] = {
    "mobility": ("地域交通", "local mobility"),
    "medical_care": ("地域医療", "medical care"),
    "elderly_care": ("高齢者介護", "elderly care"),
    "retail": ("生活必需品・小売", "daily retail"),
    "energy": ("地域エネルギー", "local energy"),
    "vacant_houses": ("空き家活用", "vacant houses"),
    "education": ("教育", "education"),
    "childcare": ("子育て支援", "childcare"),
    "snow_removal": ("除雪", "snow removal"),
    "agriculture": ("農業", "agriculture"),
    "tourism": ("観光", "tourism"),
    "disaster_resilience": ("防災・減災", "disaster resilience"),
    "digital": ("デジタル", "digital services"),
}
INSTRUMENT_LABELS: dict[str, tuple[str, str]] = {
    "equity": ("株式", "equity"),
    "loan": ("融資", "loan"),
    "revenue_share": ("レベニューシェア", "revenue share"),
    "social_impact_bond": ("ソーシャル・インパクト・ボンド", "social impact bond"),
    "donation": ("寄付", "donation"),
    "corporate_furusato": ("企業版ふるさと納税", "corporate furusato donation"),
}


def _one_of(record: str, field: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise InvalidRecord(record, field, value, "one of " + ", ".join(allowed), "次のいずれか: " + ", ".join(allowed))


def _each_of(record: str, field: str, values: list[str], allowed: tuple[str, ...]) -> None:
    for v in values:
        _one_of(record, field, v, allowed)


def _prefecture(record: str, field: str, code: object) -> None:
    if not isinstance(code, int) or isinstance(code, bool) or not 1 <= code <= N_PREFECTURES:
        raise InvalidRecord(
            record, field, code, f"a JIS prefecture code 1–{N_PREFECTURES}", f"都道府県コード 1〜{N_PREFECTURES}"
        )


class InvestorRecord(msgspec.Struct, kw_only=True, frozen=True):
    """What an investor states about itself; ``thesis`` is free ja/en text.

    Vocabulary fields are checked when the record is built: an unknown sector, instrument,
    type or risk value, or a prefecture outside 1–47, raises :class:`InvalidRecord`.
    """

    id: str
    investor_type: InvestorType
    sectors: list[str]
    prefectures: list[int]
    instruments: list[str]
    ticket_min_yen: int
    ticket_max_yen: int
    target_return_pct: float | None
    risk_tolerance: RiskTolerance
    impact_themes: list[str]
    thesis: str
    created_at: datetime

    def __post_init__(self) -> None:
        _one_of("investor", "investor_type", self.investor_type, INVESTOR_TYPES)
        _each_of("investor", "sectors", self.sectors, SECTORS)
        _each_of("investor", "instruments", self.instruments, INSTRUMENTS)
        _one_of("investor", "risk_tolerance", self.risk_tolerance, RISK_TOLERANCES)
        for code in self.prefectures:
            _prefecture("investor", "prefectures", code)


class ProjectRecord(msgspec.Struct, kw_only=True, frozen=True):
    """A project as listed; ``impact`` maps a metric id (e.g. ``"KY-LM3"``) to its value
    (pass the project's computed metrics: the impact-theme features use them).

    An unknown sector, instrument, stage or status, or a prefecture outside 1–47, raises
    :class:`InvalidRecord`."""

    id: str
    sector: Sector
    prefecture: int
    municipality_code: str | None
    lat: float | None
    lng: float | None
    instrument: Instrument
    funding_target_yen: int
    min_ticket_yen: int
    stage: Stage
    status: ProjectStatus
    impact: dict[str, float]
    text: str
    created_at: datetime

    def __post_init__(self) -> None:
        _one_of("project", "sector", self.sector, SECTORS)
        _one_of("project", "instrument", self.instrument, INSTRUMENTS)
        _one_of("project", "stage", self.stage, STAGES)
        _one_of("project", "status", self.status, PROJECT_STATUSES)
        _prefecture("project", "prefecture", self.prefecture)


class EventRecord(msgspec.Struct, kw_only=True, frozen=True):
    """One interaction of an investor with a project."""

    investor_id: str
    project_id: str
    kind: EventKind
    at: datetime

    def __post_init__(self) -> None:
        _one_of("event", "kind", self.kind, EVENT_KINDS)
