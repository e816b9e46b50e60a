"""Coverage of population by hubs and the greedy choice of hubs."""

from __future__ import annotations

import math
from typing import Any

import pytest

import impact

# Four areas on the equator, one degree of longitude apart (≈111.2 km each, 2π·6371/360).
EQUATOR = [[0, 0], [0, 1], [0, 2], [0, 3]]
POP = [100, 200, 300, 400]


def test_haversine_of_one_degree_on_the_equator() -> None:
    assert impact.haversine_km([[0, 0]], [[0, 1]])[0, 0] == pytest.approx(2 * math.pi * 6371.0088 / 360)


def test_coverage_counts_areas_within_the_threshold() -> None:
    # A hub at lon 0 reaches lon 0 and lon 1 within 150 km: (100 + 200) / 1000.
    r = impact.coverage(POP, 150, points=EQUATOR, hubs=[[0, 0]])
    assert r.share == pytest.approx(0.3)
    assert r.covered_population == 300
    assert r.nearest_hub == (0, 0, 0, 0)
    # Within 250 km it also reaches lon 2: 600 / 1000.
    assert impact.coverage(POP, 250, points=EQUATOR, hubs=[[0, 0]]).share == pytest.approx(0.6)


def test_coverage_from_a_travel_time_matrix() -> None:
    # Minutes from three areas to two hubs; within 60 minutes: areas 0 and 2 → (10 + 30) / 60.
    times = [[45, 70], [90, 61], [80, 20]]
    r = impact.coverage([10, 20, 30], 60, travel_time=times)
    assert r.share == pytest.approx(40 / 60)
    assert r.nearest_hub == (0, 1, 1)
    assert r.nearest == (45, 61, 20)


def test_greedy_hubs_pick_the_largest_gain_first() -> None:
    # Within 150 km each candidate covers itself and its neighbours:
    #   lon0 → 300, lon1 → 600, lon2 → 900, lon3 → 700. First pick lon2 (0.9);
    #   then only lon0's 100 people are left, reachable from lon0 or lon1 → tie → lowest index, lon0.
    r = impact.greedy_hubs(POP, 2, 150, points=EQUATOR, candidates=EQUATOR)
    assert r.hubs == (2, 0)
    assert r.shares == (pytest.approx(0.9), pytest.approx(1.0))


def test_greedy_hubs_never_lose_coverage() -> None:
    r = impact.greedy_hubs(POP, 4, 100, points=EQUATOR, candidates=EQUATOR)
    assert list(r.shares) == sorted(r.shares)
    assert sorted(r.hubs) == [0, 1, 2, 3]


# 新潟県: the most populous city of each of the 12 regional offices (DEMO_FACTS.md, seed document),
# population in persons and approximate city-hall coordinates.
NIIGATA = {
    "村上市": (50_000, 38.224, 139.480),
    "新発田市": (90_000, 37.948, 139.327),
    "新潟市": (760_000, 37.916, 139.036),
    "三条市": (90_000, 37.637, 138.962),
    "長岡市": (250_000, 37.446, 138.851),
    "魚沼市": (30_000, 37.230, 138.961),
    "南魚沼市": (50_000, 37.066, 138.876),
    "十日町市": (40_000, 37.127, 138.756),
    "柏崎市": (70_000, 37.372, 138.559),
    "上越市": (180_000, 37.148, 138.236),
    "糸魚川市": (40_000, 37.039, 137.863),
    "佐渡市": (50_000, 38.018, 138.368),
}


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    # Spherical law of cosines: an independent formula to check the haversine against.
    p1, p2, dl = math.radians(a[0]), math.radians(b[0]), math.radians(b[1] - a[1])
    return 6371.0088 * math.acos(min(1.0, math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)))


def test_niigata_every_office_city_as_a_hub_covers_everyone() -> None:
    pop = [p for p, _, _ in NIIGATA.values()]
    pts = [[lat, lon] for _, lat, lon in NIIGATA.values()]
    assert impact.coverage(pop, 0.001, points=pts, hubs=pts).share == 1.0


def test_niigata_two_hubs_cover_what_an_independent_distance_says() -> None:
    names = list(NIIGATA)
    pop = [NIIGATA[n][0] for n in names]
    pts = [[NIIGATA[n][1], NIIGATA[n][2]] for n in names]
    hubs = [pts[names.index("新潟市")], pts[names.index("長岡市")]]
    covered = sum(p for p, pt in zip(pop, pts, strict=True) if min(_km(tuple(pt), tuple(h)) for h in hubs) <= 50)  # type: ignore[arg-type]
    r = impact.coverage(pop, 50, points=pts, hubs=hubs)
    assert r.covered_population == covered
    assert 0.5 < r.share < 1.0  # the two big cities alone, not the outlying offices


def test_niigata_greedy_first_hub_is_the_best_single_hub() -> None:
    names = list(NIIGATA)
    pop = [NIIGATA[n][0] for n in names]
    pts = [[NIIGATA[n][1], NIIGATA[n][2]] for n in names]
    # Within 20 km no two office cities reach each other (新潟–新発田 ≈ 26 km), so 新潟市 wins alone.
    assert names[impact.greedy_hubs(pop, 1, 20, points=pts, candidates=pts).hubs[0]] == "新潟市"
    # Within 50 km a city between 新潟市 and 長岡市 can reach both; brute force says which.
    reach = [
        sum(p for p, q in zip(pop, pts, strict=True) if _km(tuple(c), tuple(q)) <= 50)  # type: ignore[arg-type]
        for c in pts
    ]
    r = impact.greedy_hubs(pop, 1, 50, points=pts, candidates=pts)
    assert r.hubs[0] == reach.index(max(reach))
    assert r.share == pytest.approx(max(reach) / sum(pop))


@pytest.mark.parametrize(
    ("call", "field", "code"),
    [
        (lambda: impact.coverage([], 10, travel_time=[[1]]), "population", "impact.empty"),
        (lambda: impact.coverage([-1], 10, travel_time=[[1]]), "population", "impact.negative_value"),
        (lambda: impact.coverage([1, 2], 10, travel_time=[[1]]), "travel_time", "impact.shape_mismatch"),
        (lambda: impact.coverage([1], -10, travel_time=[[1]]), "threshold", "impact.negative_value"),
        (lambda: impact.coverage([1], 10, points=[[0, 0]]), "hubs", "impact.missing_input"),
        (lambda: impact.coverage([1], 10, points=[[95, 0]], hubs=[[0, 0]]), "points", "impact.out_of_range"),
        (lambda: impact.coverage([1], 10, points=[[0, 0, 0]], hubs=[[0, 0]]), "points", "impact.shape_mismatch"),
        (lambda: impact.coverage([1, 2], 10, points=[[0, 0]], hubs=[[0, 0]]), "points", "impact.shape_mismatch"),
        (lambda: impact.greedy_hubs([1], 2, 10, travel_time=[[1]]), "k", "impact.out_of_range"),
        (lambda: impact.greedy_hubs([1], 1, 10, points=[[0, 0]]), "candidates", "impact.missing_input"),
    ],
)
def test_impossible_coverage_inputs_raise_one_named_error(call: Any, field: str, code: str) -> None:
    with pytest.raises(impact.ImpactInputError) as info:
        call()
    assert (info.value.field, info.value.code) == (field, code)


def test_vectorised_coverage_agrees_with_scalar() -> None:
    import numpy as np

    rng = np.random.default_rng(4)
    p, n, h = 30, 8, 2
    pop = rng.integers(0, 1000, (p, n)).astype(float)
    pts = np.stack([rng.uniform(35, 37, (p, n)), rng.uniform(135, 138, (p, n))], axis=2)
    hubs = np.stack([rng.uniform(35, 37, (p, h)), rng.uniform(135, 138, (p, h))], axis=2)
    thr = rng.uniform(20, 150, p)
    shares = impact.coverage_vec(pop, pts, hubs, thr)
    for i in range(p):
        assert shares[i] == pytest.approx(impact.coverage(pop[i], thr[i], points=pts[i], hubs=hubs[i]).share)
