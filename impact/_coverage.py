"""Population coverage by hubs (MLIT 「1時間圏人口」) and a greedy choice of hubs."""

from __future__ import annotations

from typing import Any

import msgspec
import numpy as np

from . import _validate as v
from ._errors import ImpactInputError
from ._validate import FloatArray

EARTH_RADIUS_KM = 6371.0088
"""IUGG mean Earth radius."""


class CoverageResult(msgspec.Struct, frozen=True):
    """``share`` of ``total_population`` within the threshold of its nearest hub.

    ``nearest_hub[i]`` is the index of the hub nearest to area i and ``nearest[i]`` its
    distance (km) or travel time (unit of the matrix given).
    """

    share: float
    covered_population: float
    total_population: float
    nearest_hub: tuple[int, ...]
    nearest: tuple[float, ...]


class HubChoice(msgspec.Struct, frozen=True):
    """Hubs chosen greedily (candidate indices, in the order picked) and the coverage share
    reached after each pick."""

    hubs: tuple[int, ...]
    shares: tuple[float, ...]
    share: float


def _latlon(field: str, value: Any) -> FloatArray:
    pts = v.array(field, value, ndim=2)
    if pts.shape[1] != 2 or pts.shape[0] == 0:
        raise ImpactInputError(field, "impact.shape_mismatch", f"expected (n, 2) lat/lon, got {pts.shape}")
    if np.abs(pts[:, 0]).max() > 90 or np.abs(pts[:, 1]).max() > 180:
        raise ImpactInputError(field, "impact.out_of_range", "latitude in [−90, 90], longitude in [−180, 180]")
    return pts


def haversine_km(points: Any, hubs: Any) -> FloatArray:
    """Great-circle distances (km) between every point and every hub, an (n × h) matrix.

    ``points`` and ``hubs`` are (n, 2) and (h, 2) arrays of latitude, longitude in degrees.
    ``d = 2R·asin(√(sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2)))``, R = 6371.0088 km.
    Source: R. W. Sinnott, "Virtues of the Haversine", *Sky and Telescope* 68 (2), 1984.

    >>> round(float(haversine_km([[0, 0]], [[0, 1]])[0, 0]), 2)     # one degree on the equator
    111.2
    """
    p = np.radians(_latlon("points", points))
    h = np.radians(_latlon("hubs", hubs))
    dlat = p[:, 0:1] - h[np.newaxis, :, 0]
    dlon = p[:, 1:2] - h[np.newaxis, :, 1]
    a = np.sin(dlat / 2) ** 2 + np.cos(p[:, 0:1]) * np.cos(h[np.newaxis, :, 0]) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _distances(
    population: Any, points: Any, hubs: Any, travel_time: Any, hubs_field: str = "hubs"
) -> tuple[FloatArray, FloatArray]:
    pop = v.non_negative_array("population", population, ndim=1)
    if pop.size == 0:
        raise ImpactInputError("population", "impact.empty")
    if travel_time is not None:
        d = v.non_negative_array("travel_time", travel_time, ndim=2)
        if d.shape[0] != pop.shape[0] or d.shape[1] == 0:
            raise ImpactInputError("travel_time", "impact.shape_mismatch", f"{d.shape} for {pop.shape[0]} areas")
        return pop, d
    if points is None or hubs is None:
        raise ImpactInputError(
            "points" if points is None else hubs_field, "impact.missing_input", "give points and hubs, or travel_time"
        )
    d = haversine_km(points, hubs)
    if d.shape[0] != pop.shape[0]:
        raise ImpactInputError("points", "impact.shape_mismatch", f"{d.shape[0]} points for {pop.shape[0]} areas")
    return pop, d


def coverage(
    population: Any,
    threshold: float,
    *,
    points: Any = None,
    hubs: Any = None,
    travel_time: Any = None,
) -> CoverageResult:
    """Share of the population within ``threshold`` of its nearest hub.

    ``population`` (n areas, persons); either ``points`` (n × 2 lat/lon degrees) and ``hubs``
    (h × 2) with ``threshold`` in km (haversine distance), or a ``travel_time`` matrix
    (n × h, e.g. minutes by car) with ``threshold`` in its unit. Within means ``≤``.
    Source: 国土交通省「国土形成計画（全国計画）」(2023) and 地域生活圏 committee — population within
    one hour of a hub city.

    >>> coverage([100, 50], 60, travel_time=[[30], [90]]).share
    0.6666666666666666
    """
    pop, d = _distances(population, points, hubs, travel_time)
    limit = v.non_negative("threshold", threshold)
    nearest_hub = d.argmin(axis=1)
    nearest = d[np.arange(d.shape[0]), nearest_hub]
    total = float(pop.sum())
    covered = float(pop[nearest <= limit].sum())
    return CoverageResult(
        share=covered / total if total > 0 else 0.0,
        covered_population=covered,
        total_population=total,
        nearest_hub=tuple(int(i) for i in nearest_hub),
        nearest=tuple(float(x) for x in nearest),
    )


def greedy_hubs(
    population: Any,
    k: int,
    threshold: float,
    *,
    points: Any = None,
    candidates: Any = None,
    travel_time: Any = None,
) -> HubChoice:
    """Choose ``k`` hubs among candidates that greedily maximise :func:`coverage`.

    Each step adds the candidate covering the most still-uncovered people (ties: lowest index)
    — the classic greedy for maximal covering, within (1 − 1/e) of the optimum.
    ``candidates`` (c × 2 lat/lon) with ``points``, or ``travel_time`` (n × c).
    Source: Church & ReVelle, "The maximal covering location problem", *Papers of the Regional
    Science Association* 32 (1974); Nemhauser, Wolsey & Fisher (1978) for the bound.

    >>> greedy_hubs([100, 50, 10], 1, 60, travel_time=[[30, 90], [90, 30], [30, 30]]).hubs
    (0,)
    """
    pop, d = _distances(population, points, candidates, travel_time, hubs_field="candidates")
    limit = v.non_negative("threshold", threshold)
    kk = v.integer("k", k, minimum=1)
    if kk > d.shape[1]:
        raise ImpactInputError("k", "impact.out_of_range", f"k={kk} > {d.shape[1]} candidates")
    reach = d <= limit
    covered = np.zeros(pop.shape[0], dtype=bool)
    total = float(pop.sum())
    chosen: list[int] = []
    shares: list[float] = []
    for _ in range(kk):
        gains = (pop * ~covered) @ reach
        gains[chosen] = -1.0
        best = int(np.argmax(gains))
        chosen.append(best)
        covered |= reach[:, best]
        shares.append(float(pop[covered].sum()) / total if total > 0 else 0.0)
    return HubChoice(hubs=tuple(chosen), shares=tuple(shares), share=shares[-1])


def coverage_vec(population: Any, points: Any, hubs: Any, threshold_km: Any) -> FloatArray:
    """:func:`coverage` (haversine form) for many projects at once: the share per project.

    ``population`` (p × n persons), ``points`` (p × n × 2) and ``hubs`` (p × h × 2) in degrees,
    ``threshold_km`` scalar or (p,). Same formula and checks as the scalar form.
    """
    pop = v.non_negative_array("population", population, ndim=2)
    pts = v.array("points", points, ndim=3)
    hb = v.array("hubs", hubs, ndim=3)
    if pts.shape != (*pop.shape, 2):
        raise ImpactInputError("points", "impact.shape_mismatch", f"{pts.shape} for population {pop.shape}")
    if hb.shape[0] != pop.shape[0] or hb.shape[2] != 2 or hb.shape[1] == 0:
        raise ImpactInputError("hubs", "impact.shape_mismatch", f"{hb.shape} for {pop.shape[0]} projects")
    for name, a in (("points", pts), ("hubs", hb)):
        if np.abs(a[..., 0]).max() > 90 or np.abs(a[..., 1]).max() > 180:
            raise ImpactInputError(name, "impact.out_of_range", "latitude in [−90, 90], longitude in [−180, 180]")
    limit = np.broadcast_to(v.non_negative_array("threshold_km", threshold_km), pop.shape[:1])
    p, h = np.radians(pts)[:, :, np.newaxis, :], np.radians(hb)[:, np.newaxis, :, :]
    a = (
        np.sin((p[..., 0] - h[..., 0]) / 2) ** 2
        + np.cos(p[..., 0]) * np.cos(h[..., 0]) * np.sin((p[..., 1] - h[..., 1]) / 2) ** 2
    )
    nearest = (2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))).min(axis=2)
    total = pop.sum(axis=1)
    covered = (pop * (nearest <= limit[:, np.newaxis])).sum(axis=1)
    return np.where(total > 0, covered / np.where(total > 0, total, 1.0), 0.0)
