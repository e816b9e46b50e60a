"""Synthetic markets with a known ground truth, deterministic given a seed.

::

    from matching import synthetic_market

    market = synthetic_market(n_investors=2_000, n_projects=1_000, seed=7)
    market.investors, market.projects, market.events   # the Record structs
    market.truth.relevance(np.arange(10))               # P(commit | view), 10 × n_projects
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np

from .._geo import PREFECTURE_BLOCK, prefecture_name
from .._records import INSTRUMENTS, SECTOR_LABELS, SECTORS, STAGES, EventRecord, InvestorRecord, ProjectRecord
from ._funnel import simulate_funnel
from ._truth import LATENT_DIM, METRICS, SECTOR_IMPACT, THEMES, GroundTruth, Truth, pref_latlng
from ._words import SECTOR_WORDS, STAGE_WORDS, filler

# Instruments each investor type uses, and its (min, max) ticket range in log10 yen.
TYPE_PROFILE: dict[str, tuple[tuple[str, ...], tuple[float, float], tuple[float, float], float]] = {
    # type: (instruments, ticket_min range, ticket_max range, share of investors)
    "individual": (("equity", "revenue_share", "donation", "loan"), (3.5, 4.7), (4.8, 6.2), 0.55),
    "company": (("equity", "loan", "revenue_share", "corporate_furusato"), (5.5, 6.5), (6.5, 8.0), 0.15),
    "fund": (("equity", "revenue_share", "social_impact_bond"), (6.5, 7.3), (7.5, 8.8), 0.08),
    "regional_bank": (("loan", "social_impact_bond"), (6.5, 7.5), (8.0, 9.0), 0.06),
    "public_financier": (("loan", "equity", "social_impact_bond"), (6.5, 7.5), (8.0, 9.0), 0.04),
    "corporate_donor": (("corporate_furusato", "donation"), (5.0, 6.0), (6.5, 8.0), 0.12),
}
# log10 of the minimum ticket, by instrument.
MIN_TICKET = {
    "equity": (4.0, 5.8),
    "loan": (5.5, 7.5),
    "revenue_share": (4.0, 6.0),
    "social_impact_bond": (6.0, 7.5),
    "donation": (3.0, 4.0),
    "corporate_furusato": (5.0, 6.5),
}
INSTRUMENT_SHARE = np.array([0.25, 0.2, 0.2, 0.08, 0.15, 0.12])
MUNICIPALITIES_PER_PREFECTURE = 12


class SyntheticMarket:
    """Records plus the ``truth`` behind them and the set of depopulating municipalities."""

    def __init__(
        self,
        investors: list[InvestorRecord],
        projects: list[ProjectRecord],
        events: list[EventRecord],
        truth: GroundTruth,
        depopulating: frozenset[str],
        start: datetime,
        end: datetime,
        seed: int,
    ) -> None:
        self.investors, self.projects, self.events, self.truth = investors, projects, events, truth
        self.depopulating_municipalities = depopulating
        self.start, self.end, self.seed = start, end, seed

    def split_time(self, fraction: float = 0.8) -> datetime:
        """The instant ``fraction`` of the way through the market's history."""
        return self.start + (self.end - self.start) * fraction


def _municipality(pref: int, k: int) -> str:
    # JIS-style 5-digit code (prefecture + 3 digits) plus a check digit placeholder.
    return f"{pref:02d}{200 + k * 3:03d}0"


def synthetic_market(
    n_investors: int = 2_000,
    n_projects: int = 1_000,
    *,
    seed: int = 0,
    start: datetime = datetime(2024, 1, 1, tzinfo=UTC),
    days: int = 730,
    mean_views: float = 30.0,
    stated_noise: float = 0.3,
) -> SyntheticMarket:
    """A market whose observed side (stated preferences, events) is a noisy view of ``truth``.

    ``stated_noise`` is the chance each stated sector/prefecture/theme is wrong.
    """
    rng = np.random.default_rng(seed)
    end = start + timedelta(days=days)
    span = (end - start).total_seconds()

    def created(n: int) -> np.ndarray:
        # A third exists at launch; the rest arrive evenly, so late arrivals are "cold".
        t = rng.random(n) * span * 0.95
        t[rng.random(n) < 0.3] = 0.0
        return t

    # Projects -------------------------------------------------------------------------
    pref_w = np.where(np.isin(np.arange(1, 48), [11, 12, 13, 14, 23, 27]), 0.4, 1.0)
    p_pref = rng.choice(np.arange(1, 48), n_projects, p=pref_w / pref_w.sum())
    p_sector = rng.integers(0, len(SECTORS), n_projects)
    p_instr = rng.choice(len(INSTRUMENTS), n_projects, p=INSTRUMENT_SHARE / INSTRUMENT_SHARE.sum())
    p_stage = rng.choice(len(STAGES), n_projects, p=[0.15, 0.3, 0.4, 0.15])
    latlng = pref_latlng(p_pref) + rng.normal(0, 0.25, (n_projects, 2))
    quality = rng.normal(0, 1, n_projects)
    impact = SECTOR_IMPACT[p_sector] * rng.lognormal(0.0, 0.4, (n_projects, len(METRICS)))
    impact *= np.exp(0.2 * quality)[:, None]
    min_ticket = np.array([10 ** rng.uniform(*MIN_TICKET[INSTRUMENTS[k]]) for k in p_instr]).round(-3)
    target = np.maximum(min_ticket * 10, 10 ** rng.uniform(6.0, 8.7, n_projects)).round(-4)
    p_created = created(n_projects)
    muni = rng.integers(0, MUNICIPALITIES_PER_PREFECTURE, n_projects)
    all_munis = [_municipality(p, k) for p in range(1, 48) for k in range(MUNICIPALITIES_PER_PREFECTURE)]
    depop = frozenset(m for m in all_munis if rng.random() < 0.4)
    projects = []
    for j in range(n_projects):
        status_draw = rng.random()
        old = p_created[j] < span * 0.4
        status = (
            ("funded" if status_draw < 0.5 else "closed")
            if old and rng.random() < 0.15
            else ("draft", "submitted", "rejected", "withdrawn")[rng.integers(4)]
            if status_draw < 0.06
            else ("vetted" if status_draw < 0.5 else "funding")
        )
        sector = SECTORS[p_sector[j]]
        pref = int(p_pref[j])
        text = (
            f"{prefecture_name(pref)}で{SECTOR_LABELS[sector][0]}の{STAGE_WORDS[p_stage[j]][0]}。"
            f"{'、'.join(rng.choice(SECTOR_WORDS[sector][0], 2, replace=False))}。{filler(rng, 'ja')} "
            f"{SECTOR_LABELS[sector][1]} {STAGE_WORDS[p_stage[j]][1]} in {prefecture_name(pref, 'en')}: "
            f"{' '.join(rng.choice(SECTOR_WORDS[sector][1], 2, replace=False))}. {filler(rng, 'en')}"
        )
        projects.append(
            ProjectRecord(
                id=f"prj-{seed}-{j:06d}",
                sector=sector,
                prefecture=pref,
                municipality_code=_municipality(pref, int(muni[j])),
                lat=float(latlng[j, 0]),
                lng=float(latlng[j, 1]),
                instrument=INSTRUMENTS[p_instr[j]],
                funding_target_yen=int(target[j]),
                min_ticket_yen=int(min_ticket[j]),
                stage=STAGES[p_stage[j]],
                status=status,  # type: ignore[arg-type]
                impact={m: round(float(v), 3) for m, v in zip(METRICS, impact[j], strict=True)},
                text=text,
                created_at=start + timedelta(seconds=float(p_created[j])),
            )
        )

    # Investors ------------------------------------------------------------------------
    types = list(TYPE_PROFILE)
    shares = np.array([TYPE_PROFILE[t][3] for t in types])
    i_type = rng.choice(len(types), n_investors, p=shares / shares.sum())
    affinity = rng.dirichlet(np.full(len(SECTORS), 0.3), n_investors)
    affinity /= affinity.max(axis=1, keepdims=True)
    home_pref = rng.choice(np.arange(1, 48), n_investors)
    home = pref_latlng(home_pref) + rng.normal(0, 0.2, (n_investors, 2))
    region_weight = rng.uniform(0.2, 2.0, n_investors)
    risk = rng.integers(0, 3, n_investors).astype(float)
    theme = rng.dirichlet(np.full(len(THEMES), 0.5), n_investors)
    taste_i = rng.normal(0, 1 / np.sqrt(LATENT_DIM), (n_investors, LATENT_DIM))
    taste_j = rng.normal(0, 1 / np.sqrt(LATENT_DIM), (n_projects, LATENT_DIM))
    t_lo = np.zeros(n_investors)
    t_hi = np.zeros(n_investors)
    i_created = created(n_investors)
    investors = []
    for i in range(n_investors):
        itype = types[i_type[i]]
        instr_pool, lo_r, hi_r, _ = TYPE_PROFILE[itype]
        k = rng.integers(1, len(instr_pool) + 1)
        instruments = sorted(rng.choice(instr_pool, k, replace=False).tolist())
        t_lo[i], t_hi[i] = 10 ** rng.uniform(*lo_r), 10 ** rng.uniform(*hi_r)
        top = np.argsort(-affinity[i])[: rng.integers(1, 4)]
        sectors = [SECTORS[s] if rng.random() > stated_noise else SECTORS[rng.integers(len(SECTORS))] for s in top]
        prefs = [int(home_pref[i]) if rng.random() > stated_noise else int(rng.integers(1, 48))]
        if rng.random() < 0.3:  # some state a neighbour in their block as well
            same = np.flatnonzero(PREFECTURE_BLOCK[home_pref[i] - 1] == PREFECTURE_BLOCK) + 1
            prefs.append(int(rng.choice(same)))
        top_themes = np.argsort(-theme[i])[:2]
        themes = [THEMES[t] if rng.random() > stated_noise else THEMES[rng.integers(len(THEMES))] for t in top_themes]
        stated_risk = int(risk[i]) if rng.random() > stated_noise else int(rng.integers(0, 3))
        true_top = SECTORS[int(np.argmax(affinity[i]))]
        words_ja = [w for s in {*sectors, true_top} for w in rng.choice(SECTOR_WORDS[s][0], 1).tolist()]
        words_en = [w for s in {*sectors, true_top} for w in rng.choice(SECTOR_WORDS[s][1], 1).tolist()]
        thesis = (
            f"{prefecture_name(prefs[0])}を中心に{'・'.join(words_ja)}に投資したい。{filler(rng, 'ja')} "
            f"Interested in {', '.join(words_en)}. {filler(rng, 'en')}"
        )
        investors.append(
            InvestorRecord(
                id=f"inv-{seed}-{i:06d}",
                investor_type=itype,
                sectors=sorted(set(sectors)),
                prefectures=sorted(set(prefs)),
                instruments=instruments,
                ticket_min_yen=int(round(t_lo[i], -3)),
                ticket_max_yen=int(round(t_hi[i], -3)),
                target_return_pct=None if itype in {"corporate_donor"} else round(float(rng.uniform(0, 8)), 1),
                risk_tolerance=("low", "medium", "high")[stated_risk],
                impact_themes=sorted(set(themes)),
                thesis=thesis,
                created_at=start + timedelta(seconds=float(i_created[i])),
            )
        )
    truth = Truth(
        sector_affinity=affinity,
        home=home,
        region_weight=region_weight,
        risk=risk,
        theme=theme,
        taste_i=taste_i,
        ticket_lo=t_lo,
        ticket_hi=t_hi,
        sector=p_sector,
        latlng=latlng,
        stage=p_stage,
        impact=impact,
        taste_j=taste_j,
        quality=quality,
        min_ticket=min_ticket,
    )
    popularity = rng.lognormal(0.0, 1.0, n_projects) * np.exp(0.5 * quality)
    events = simulate_funnel(truth, investors, projects, end=end, mean_views=mean_views, rng=rng, popularity=popularity)
    return SyntheticMarket(investors, projects, events, truth, depop, start, end, seed)


def simulate_events(
    investors: Sequence[InvestorRecord],
    projects: Sequence[ProjectRecord],
    *,
    seed: int = 0,
    end: datetime | None = None,
    mean_views: float = 15.0,
) -> list[EventRecord]:
    """A plausible interaction history for records that already exist (e.g. demo data).

    The hidden truth is taken to be what the records state, plus random taste and quality,
    so the history mostly agrees with the profiles but not perfectly::

        events = simulate_events(demo_investors, demo_projects, seed=1)
    """
    from .._features._space import SECTOR_INDEX, STAGE_INDEX

    rng = np.random.default_rng(seed)
    n_i, n_p = len(investors), len(projects)
    affinity = np.full((n_i, len(SECTORS)), 0.1)
    home = np.zeros((n_i, 2))
    for r, inv in enumerate(investors):
        for s in inv.sectors:
            if s in SECTOR_INDEX:
                affinity[r, SECTOR_INDEX[s]] = 1.0
        home[r] = pref_latlng(np.array(inv.prefectures[:1] or [13]))[0]
    theme = rng.dirichlet(np.full(len(THEMES), 0.5), n_i)
    p_sector = np.array([SECTOR_INDEX[p.sector] for p in projects])
    p_pref = np.array([p.prefecture for p in projects])
    latlng = np.array(
        [
            (p.lat, p.lng)
            if p.lat is not None and p.lng is not None
            else tuple(pref_latlng(np.array([p.prefecture]))[0])
            for p in projects
        ],
        float,
    )
    impact = np.array([[p.impact.get(m, 0.0) for m in METRICS] for p in projects], float).reshape(n_p, len(METRICS))
    impact = np.where(impact > 0, impact, SECTOR_IMPACT[p_sector] * 0.5)
    truth = Truth(
        sector_affinity=affinity,
        home=home,
        region_weight=np.full(n_i, 1.0),
        risk=np.array([("low", "medium", "high").index(inv.risk_tolerance) for inv in investors], float),
        theme=theme,
        taste_i=rng.normal(0, 0.3, (n_i, LATENT_DIM)),
        ticket_lo=np.array([max(inv.ticket_min_yen, 1) for inv in investors], float),
        ticket_hi=np.array([max(inv.ticket_max_yen, 1) for inv in investors], float),
        sector=p_sector,
        latlng=latlng,
        stage=np.array([STAGE_INDEX[p.stage] for p in projects]),
        impact=impact,
        taste_j=rng.normal(0, 0.3, (n_p, LATENT_DIM)),
        quality=rng.normal(0.5, 0.7, n_p),
        min_ticket=np.array([max(p.min_ticket_yen, 1) for p in projects], float),
    )
    del p_pref
    last = max([*(inv.created_at for inv in investors), *(p.created_at for p in projects)])
    end = end or last + timedelta(days=90)
    return simulate_funnel(
        truth, investors, projects, end=end, mean_views=mean_views, rng=rng, popularity=rng.lognormal(0.0, 0.5, n_p)
    )
