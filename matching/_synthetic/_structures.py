"""Markets of other structures, each built to break one assumption of the main generator.

:func:`synthetic_market` draws utility from stated-preference-like fields plus a little
latent taste; a model tuned to it may only have learned that generator. Each structure
here puts the signal somewhere else, with its own hidden arrays and utility, and its own
way of stating (or mis-stating) preferences::

    market = structured_market("geography", n_investors=3_000, n_projects=1_500, seed=1)
    market.truth.relevance(np.arange(10))    # true P(commit | view), 10 × n_projects

``STRUCTURES`` names them: ``latent`` (taste no field shows), ``geography`` (distance,
same living sphere, home-town ties), ``text`` (thesis ↔ description topics), ``impact``
(LM3 / CO2 / jobs metrics against themes), ``stale`` (stated preferences that are noisy or
out of date), ``popularity`` (exposure driven by heavy popularity bias, unrelated to
utility) and ``sparse`` (a few views per investor).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from .._geo import PREFECTURE_LATLNG, haversine_km, prefecture_name
from .._records import SECTORS, EventRecord, InvestorRecord, ProjectRecord
from ._generate import SyntheticMarket
from ._truth import funnel_probabilities

STRUCTURES = ("latent", "geography", "text", "impact", "stale", "popularity", "sparse")
N_TOPICS = 12
METRIC_IDS = ("KY-LM3", "KY-CO2", "KY-JOBS")
THEME_OF_METRIC = ("local_economy", "climate", "jobs")
_SYLLABLES = [
    "ka",
    "ki",
    "ku",
    "ke",
    "ko",
    "sa",
    "shi",
    "su",
    "se",
    "so",
    "ta",
    "chi",
    "tsu",
    "te",
    "to",
    "na",
    "ni",
    "nu",
    "ne",
    "no",
    "ma",
    "mi",
    "mu",
    "me",
    "mo",
    "ra",
    "ri",
    "ru",
    "re",
    "ro",
]


class StructuredTruth:
    """Hidden arrays and the utility they define; ``relevance`` is P(commit | view)."""

    def __init__(self, structure: str, arrays: dict[str, np.ndarray]) -> None:
        self.structure, self.a = structure, arrays

    def utility(self, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
        a, c = self.a, (slice(None) if cols is None else cols)
        s = self.structure
        u = 0.5 * a["quality"][c][None, :]
        if s in {"latent", "popularity", "sparse"}:
            u = u + 2.5 * a["taste_i"][rows] @ a["taste_j"][c].T
        if s in {"stale", "popularity", "sparse"}:
            u = u + 2.0 * a["affinity"][rows][:, a["sector"][c]]
        if s == "geography":
            km = haversine_km(
                a["home"][rows, 0][:, None],
                a["home"][rows, 1][:, None],
                a["latlng"][c, 0][None, :],
                a["latlng"][c, 1][None, :],
            )
            u = u + 3.0 * np.exp(-((km / 80.0) ** 2))
            u = u + 1.5 * (a["sphere_i"][rows][:, None] == a["sphere_j"][c][None, :])
            u = u + 2.0 * (a["hometown"][rows][:, None] == a["pref"][c][None, :])
        if s == "text":
            u = u + 4.0 * a["topic_i"][rows] @ a["topic_j"][c].T
        if s == "impact":
            u = u + 3.0 * a["theme_w"][rows] @ a["metric_z"][c].T
        return np.asarray(u - 1.0)

    def relevance(self, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
        return funnel_probabilities(self.utility(rows, cols)).prod(axis=0)


def _word(rng: np.random.Generator) -> str:
    return "".join(rng.choice(_SYLLABLES, 3))


def structured_market(
    structure: str, n_investors: int = 3_000, n_projects: int = 1_500, *, seed: int = 0, days: int = 730
) -> SyntheticMarket:
    """A market of the named structure (see the module docstring), deterministic per seed."""
    if structure not in STRUCTURES:
        raise ValueError(f"unknown structure {structure!r}; one of {', '.join(STRUCTURES)}")
    rng = np.random.default_rng([seed, STRUCTURES.index(structure)])
    start = datetime(2024, 1, 1, tzinfo=UTC)
    span = days * 86_400.0
    n_i, n_p = n_investors, n_projects
    topic_words = [[_word(rng) for _ in range(8)] for _ in range(N_TOPICS)]

    def created(n: int) -> np.ndarray:
        t = rng.random(n) * span * 0.95
        t[rng.random(n) < 0.3] = 0.0
        return t

    pref = rng.integers(1, 48, n_p)
    latlng = PREFECTURE_LATLNG[pref - 1] + rng.normal(0, 0.3, (n_p, 2))
    home_pref = rng.integers(1, 48, n_i)
    arrays = {
        "quality": rng.normal(0, 1, n_p),
        # 16 latent dimensions, scaled so the taste dot product has unit standard deviation.
        "taste_i": rng.normal(0, 0.5, (n_i, 16)),
        "taste_j": rng.normal(0, 0.5, (n_p, 16)),
        "affinity": rng.dirichlet(np.full(len(SECTORS), 0.3), n_i),
        "sector": rng.integers(0, len(SECTORS), n_p),
        "pref": pref,
        "latlng": latlng,
        "home": PREFECTURE_LATLNG[home_pref - 1] + rng.normal(0, 0.3, (n_i, 2)),
        "sphere_i": home_pref * 4 + rng.integers(0, 4, n_i),
        "sphere_j": pref * 4 + rng.integers(0, 4, n_p),
        "hometown": np.where(rng.random(n_i) < 0.4, rng.integers(1, 48, n_i), -1),
        "topic_i": rng.dirichlet(np.full(N_TOPICS, 0.2), n_i),
        "topic_j": rng.dirichlet(np.full(N_TOPICS, 0.2), n_p),
        "theme_w": rng.dirichlet(np.full(3, 0.4), n_i),
        "metric_raw": rng.lognormal(0.0, 0.8, (n_p, 3)),
    }
    raw = np.log(arrays["metric_raw"])
    arrays["metric_z"] = (raw - raw.mean(axis=0)) / raw.std(axis=0)
    truth = StructuredTruth(structure, arrays)
    instruments = ("equity", "loan", "revenue_share", "donation")
    p_instr = rng.integers(0, len(instruments), n_p)
    p_created = created(n_p)
    projects = []
    for j in range(n_p):
        topics = rng.choice(N_TOPICS, 3, p=arrays["topic_j"][j])
        words = " ".join(rng.choice(topic_words[t]) for t in topics) if structure == "text" else _word(rng)
        sector = SECTORS[int(arrays["sector"][j])]
        projects.append(
            ProjectRecord(
                id=f"{structure}-p{j:06d}",
                sector=sector,  # type: ignore[arg-type]
                prefecture=int(pref[j]),
                municipality_code=f"{int(arrays['sphere_j'][j]):05d}",
                lat=float(latlng[j, 0]),
                lng=float(latlng[j, 1]),
                instrument=instruments[int(p_instr[j])],  # type: ignore[arg-type]
                funding_target_yen=50_000_000,
                min_ticket_yen=10_000,
                stage=("idea", "pilot", "operating", "scaling")[int(rng.integers(0, 4))],
                status="funding" if rng.random() < 0.5 else "vetted",
                impact={m: round(float(v), 3) for m, v in zip(METRIC_IDS, arrays["metric_raw"][j], strict=True)},
                text=f"{prefecture_name(int(pref[j]))} {sector} {words}",
                created_at=start + timedelta(seconds=float(p_created[j])),
            )
        )
    # What investors state: informative in most structures, stale or noisy in "stale",
    # absent for what drives utility in "latent" and "text".
    stale_affinity = rng.dirichlet(np.full(len(SECTORS), 0.3), n_i)
    i_created = created(n_i)
    investors = []
    for i in range(n_i):
        aff = arrays["affinity"][i]
        if structure == "stale" and rng.random() < 0.6:
            aff = stale_affinity[i]  # preferences stated long ago, since changed
        sectors = [SECTORS[int(s)] for s in np.argsort(-aff)[: int(rng.integers(1, 3))]]
        if structure in {"latent", "text", "impact", "geography"}:
            sectors = [SECTORS[int(s)] for s in rng.choice(len(SECTORS), int(rng.integers(1, 3)), replace=False)]
        prefs = [int(home_pref[i])] if structure == "geography" and rng.random() < 0.5 else []
        themes = [THEME_OF_METRIC[int(np.argmax(arrays["theme_w"][i]))]] if structure == "impact" else []
        topics = rng.choice(N_TOPICS, 3, p=arrays["topic_i"][i])
        thesis = " ".join(rng.choice(topic_words[t]) for t in topics) if structure == "text" else ""
        investors.append(
            InvestorRecord(
                id=f"{structure}-i{i:06d}",
                investor_type="individual",
                sectors=sectors,
                prefectures=prefs,
                instruments=sorted(rng.choice(instruments, int(rng.integers(2, 5)), replace=False).tolist()),
                ticket_min_yen=10_000,
                ticket_max_yen=10_000_000,
                target_return_pct=None,
                risk_tolerance="medium",
                impact_themes=themes,
                thesis=thesis,
                created_at=start + timedelta(seconds=float(i_created[i])),
            )
        )
    mean_views = 4.0 if structure == "sparse" else 25.0
    pop_sigma, pop_share = (2.0, 0.85) if structure == "popularity" else (0.8, 0.4)
    popularity = rng.lognormal(0.0, pop_sigma, n_p)
    events = _funnel(
        truth, investors, projects, p_created, i_created, span, start, mean_views, popularity, pop_share, rng
    )
    return SyntheticMarket(investors, projects, events, truth, frozenset(), start, start + timedelta(days=days), seed)


def _funnel(
    truth: StructuredTruth,
    investors: list[InvestorRecord],
    projects: list[ProjectRecord],
    p_created: np.ndarray,
    i_created: np.ndarray,
    span: float,
    start: datetime,
    mean_views: float,
    popularity: np.ndarray,
    pop_share: float,
    rng: np.random.Generator,
) -> list[EventRecord]:
    """Exposure = popularity, search on stated sectors, and word of mouth; then the funnel."""
    n_p = len(projects)
    stated = np.array([[s in inv.sectors for s in SECTORS] for inv in investors])
    p_sector = np.array([SECTORS.index(p.sector) for p in projects])
    accepts = np.array([[p.instrument in inv.instruments for p in projects] for inv in investors])
    pop = popularity / popularity.sum()
    activity = rng.lognormal(0.0, 0.8, len(investors))
    activity *= mean_views / activity.mean()
    out: list[EventRecord] = []
    t0 = start.timestamp()
    for first in range(0, len(investors), 512):
        rows = np.arange(first, min(first + 512, len(investors)))
        u = truth.utility(rows)
        live = np.maximum(i_created[rows][:, None], p_created[None, :])
        overlap = np.clip(span - live, 0.0, None) / span
        search = 1.0 + 3.0 * stated[rows][:, p_sector]
        search /= search.sum(axis=1, keepdims=True)
        mouth = np.exp(np.clip(u, -10, 10))
        mouth /= mouth.sum(axis=1, keepdims=True)
        rest = 1.0 - pop_share
        w = (pop_share * pop[None, :] + 0.6 * rest * search + 0.4 * rest * mouth) * overlap * accepts[rows]
        for r, i in enumerate(rows):
            n = rng.poisson(activity[i])
            total = w[r].sum()
            if n == 0 or total <= 0:
                continue
            seen = np.unique(rng.choice(n_p, size=n, p=w[r] / total))
            t = live[r, seen] + rng.random(len(seen)) * (span - live[r, seen])
            probs = funnel_probabilities(u[r, seen])
            alive = np.ones(len(seen), bool)
            for stage, kind in enumerate(("view", "bookmark", "interest", "commit")):
                if stage:
                    alive &= rng.random(len(seen)) < probs[stage - 1]
                    t = t + rng.exponential(86_400.0 * (2.0, 5.0, 10.0)[stage - 1], len(seen))
                    alive &= t < span
                out.extend(
                    EventRecord(
                        investor_id=investors[i].id,
                        project_id=projects[j].id,
                        kind=kind,  # type: ignore[arg-type]
                        at=datetime.fromtimestamp(t0 + float(tt), UTC),
                    )
                    for j, tt in zip(seen[alive], t[alive], strict=True)
                )
    out.sort(key=lambda e: e.at)
    return out
