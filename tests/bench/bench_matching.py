"""Matching benchmark: MovieLens-100k, synthetic markets, training time, latency, throughput.

    uv sync --group bench
    uv run python tests/bench/bench_matching.py           # full (570 s measured on 2 shared cores)
    uv run python tests/bench/bench_matching.py --quick   # a few minutes

One run prints: the MovieLens-100k table beside the published figures and the peers
(``bench_movielens.py``), every synthetic market's table (``bench_markets.py``), training
time against LightFM on the 10k × 5k market and on about a million events (with peak
memory), then one-investor latency against the bare matmul + top-k floor and batch
scoring against the machine's measured GEMM rate. Every ratio is against a baseline
measured in the same run.

Peers (``uv sync --group bench``): implicit (ALS, BPR) and LightFM (rectools-lightfm).
They are imported lazily and reported as "not installed" when missing.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy import sparse

import matching
from matching._evaluate import popularity_scorer, random_scorer
from matching._features import KIND_WEIGHT, encode_events
from matching._geo import PREFECTURE_BLOCK

Scorer = Callable[[np.ndarray], np.ndarray]


def _best_of(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


class PeakRss:
    """Peak resident memory above the starting point while the block runs (sampled /proc)."""

    def __enter__(self) -> PeakRss:
        self.start = self.peak = _rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss())

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss())

    @property
    def mib(self) -> float:
        return (self.peak - self.start) / 2**20


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def latency(model: matching.MatchModel, n_projects: int = 100_000) -> None:
    """One investor against ``n_projects``: the catalogue is tiled up to that size."""
    reps = -(-n_projects // len(model.project_ids_))
    big = matching.MatchModel.__new__(matching.MatchModel)
    big.__dict__.update(model.__dict__)
    big.V_ = np.ascontiguousarray(np.tile(model.V_, (reps, 1))[:n_projects])
    big.project_ids_ = [f"p{i}" for i in range(n_projects)]
    big.project_index_ = {p: i for i, p in enumerate(big.project_ids_)}
    big.pcons_ = type(model.pcons_)(
        *(
            np.tile(a, reps)[:n_projects]
            for a in (model.pcons_.listed, model.pcons_.instrument, model.pcons_.min_ticket)
        )
    )
    big.p_sector_ = np.tile(model.p_sector_, reps)[:n_projects]
    big.p_prefecture_ = np.tile(model.p_prefecture_, reps)[:n_projects]
    big.seen_ = sparse.csr_matrix((len(model.investor_ids_), n_projects), dtype=bool)
    inv = model.investor_ids_[0]
    u = model.U_[0]
    vmat = big.V_

    def bare() -> None:
        s = vmat @ u
        idx = np.argpartition(-s, 10)[:10]
        idx[np.argsort(-s[idx])]

    t_bare = _best_of(bare, 30)
    t_fast = _best_of(lambda: big.top_projects(inv, k=10), 30)
    t_full = _best_of(lambda: big.rank_projects(inv, k=10), 10)
    print(f"\n## Latency: one investor × {n_projects:,} projects (d={vmat.shape[1]}, float32, best of 30)")
    print(f"  bare numpy matmul + argpartition top-10 : {t_bare * 1e3:7.2f} ms")
    print(f"  model.top_projects (constraints, top-10)  : {t_fast * 1e3:7.2f} ms")
    print(f"  model.rank_projects (+ reasons for 10)    : {t_full * 1e3:7.2f} ms")
    print(f"  top_projects / bare floor = {t_fast / t_bare:.2f}× (aim ≤ 1.5×)")


def throughput(model: matching.MatchModel) -> None:
    n_i, n_p, d = model.U_.shape[0], model.V_.shape[0], model.V_.shape[1]
    a = np.random.default_rng(0).normal(size=(2048, 2048)).astype(np.float32)
    t_mm = _best_of(lambda: a @ a, 5)
    gflops = 2 * 2048**3 / t_mm / 1e9
    t = time.perf_counter()
    model.recommend_all(k=10, chunk=1024)
    t_all = time.perf_counter() - t
    pairs = n_i * n_p
    print(f"\n## Batch: all {n_i:,} investors × {n_p:,} projects, exact top-10 in chunks of 1,024")
    print(f"  machine float32 matmul (2048³)          : {gflops:7.1f} GFLOP/s")
    print(
        f"  recommend_all                           : {t_all:7.2f} s = {pairs / t_all / 1e6:7.1f} M pairs/s "
        f"= {2 * pairs * d / t_all / 1e9:5.1f} GFLOP/s effective ({2 * pairs * d / t_all / 1e9 / gflops:.0%} of matmul;"
        " aim ≥ 25 %)"
    )


def peer_scorers(
    market: matching.SyntheticMarket, past: list[matching.EventRecord], threads: int
) -> tuple[dict[str, Scorer], dict[str, float]]:
    inv_index = {i.id: r for r, i in enumerate(market.investors)}
    proj_index = {p.id: c for c, p in enumerate(market.projects)}
    inter = encode_events(past, inv_index, proj_index)
    n_i, n_p = len(market.investors), len(market.projects)
    w = KIND_WEIGHT[inter.kind]
    keep = w > 0
    ui = sparse.csr_matrix((w[keep], (inter.inv[keep], inter.proj[keep])), shape=(n_i, n_p), dtype=np.float32)
    ui.sum_duplicates()
    ui.data = np.log1p(ui.data)
    out: dict[str, Scorer] = {}
    times: dict[str, float] = {}
    try:
        from implicit.als import AlternatingLeastSquares
        from implicit.bpr import BayesianPersonalizedRanking

        for name, algo in (
            (
                "implicit ALS",
                AlternatingLeastSquares(
                    factors=64, regularization=0.05, iterations=15, alpha=10.0, random_state=0, num_threads=threads
                ),
            ),
            (
                "implicit BPR",
                BayesianPersonalizedRanking(factors=64, iterations=100, random_state=0, num_threads=threads),
            ),
        ):
            t = time.perf_counter()
            algo.fit(ui, show_progress=False)
            times[name] = time.perf_counter() - t
            uf, itf = np.asarray(algo.user_factors), np.asarray(algo.item_factors)
            out[name] = lambda rows, uf=uf, itf=itf: uf[rows] @ itf.T
    except ImportError:
        print("  implicit: not installed (uv sync --group bench)")
    try:
        from lightfm import LightFM

        # Hybrid LightFM: identity features plus the same stated/content fields our model sees.
        def feats(cols: list[np.ndarray], n: int) -> sparse.csr_matrix:
            blocks = [sparse.identity(n, format="csr", dtype=np.float32)]
            blocks += [sparse.csr_matrix(c, dtype=np.float32) for c in cols]
            return sparse.csr_matrix(sparse.hstack(blocks), dtype=np.float32)

        sect = {s: k for k, s in enumerate(matching.SECTORS)}
        instr = {s: k for k, s in enumerate(matching.INSTRUMENTS)}
        it = np.zeros((n_p, 13 + 8 + 6), np.float32)
        for c, p in enumerate(market.projects):
            it[c, sect[p.sector]] = 1
            it[c, 13 + PREFECTURE_BLOCK[p.prefecture - 1]] = 1
            it[c, 21 + instr[p.instrument]] = 1
        us = np.zeros((n_i, 13 + 8 + 6), np.float32)
        for r, inv in enumerate(market.investors):
            for s in inv.sectors:
                us[r, sect[s]] = 1
            for pc in inv.prefectures:
                us[r, 13 + PREFECTURE_BLOCK[pc - 1]] = 1
            for s in inv.instruments:
                us[r, 21 + instr[s]] = 1
        uf_m, if_m = feats([us], n_i), feats([it], n_p)
        lfm = LightFM(no_components=48, loss="warp", learning_rate=0.05, random_state=0)
        t = time.perf_counter()
        lfm.fit(ui.tocoo(), user_features=uf_m, item_features=if_m, epochs=20, num_threads=threads)
        times["LightFM (WARP, hybrid)"] = time.perf_counter() - t
        ub, ue = lfm.get_user_representations(uf_m)
        ib, ie = lfm.get_item_representations(if_m)
        out["LightFM (WARP, hybrid)"] = lambda rows: ue[rows] @ ie.T + ub[rows, None] + ib[None, :]
    except ImportError:
        print("  LightFM: not installed (uv sync --group bench)")
    return out, times


def quality(n_investors: int, n_projects: int, seed: int, threads: int) -> matching.MatchModel:
    t = time.perf_counter()
    market = matching.synthetic_market(n_investors=n_investors, n_projects=n_projects, seed=seed)
    t_gen = time.perf_counter() - t
    split = market.split_time(0.8)
    past = [e for e in market.events if e.at < split]
    print(
        f"\n## Market seed={seed}: {n_investors:,} investors × {n_projects:,} projects, "
        f"{len(market.events):,} events ({t_gen:.1f} s to generate); split at {split:%Y-%m-%d}"
    )
    t = time.perf_counter()
    with PeakRss() as mem:
        model = matching.MatchModel().fit(market.investors, market.projects, past)
    t_fit = time.perf_counter() - t
    t = time.perf_counter()
    content = matching.ContentRanker().fit(market.investors, market.projects, past)
    t_content = time.perf_counter() - t
    peers, peer_times = peer_scorers(market, past, threads)
    rankers: dict[str, matching.Ranker | Scorer] = {
        "learned (MatchModel)": model,
        "content cosine": content,
        "popularity": popularity_scorer(past, market.investors, market.projects),
        "random": random_scorer(len(market.projects)),
        **peers,
    }
    table = matching.evaluate(
        market.investors, market.projects, market.events, split_at=split, rankers=rankers, truth=market.truth
    )
    print(
        f"  training: MatchModel {t_fit:.1f} s, peak +{mem.mib:.0f} MiB ({len(past):,} events, "
        f"{model.training_['pairs']:,} pairs × {model.training_['features']:,} features, "
        f"{model.training_['solver_iterations']} solver iterations, converged={model.training_['converged']}); "
        f"content {t_content:.1f} s; " + "; ".join(f"{k} {v:.1f} s" for k, v in peer_times.items())
    )
    if "LightFM (WARP, hybrid)" in peer_times:
        print(f"  training time MatchModel / LightFM = {t_fit / peer_times['LightFM (WARP, hybrid)']:.2f}×")
    print(matching.format_table(table))
    by = {r.ranker: r for r in table.rows}
    lm, cc = by["learned (MatchModel)"], by["content cosine"]
    print(
        f"  true-NDCG ratio learned / content cosine = {lm.true_ndcg / cc.true_ndcg:.2f}×"
        f" (aim ≥ 2.5×); cold-project recall learned {lm.cold_project_recall:.3f} vs content"
        f" {cc.cold_project_recall:.3f}"
    )
    if "LightFM (WARP, hybrid)" in by:
        lf = by["LightFM (WARP, hybrid)"]
        print(
            f"  true-NDCG learned {lm.true_ndcg:.4f} vs LightFM {lf.true_ndcg:.4f} "
            f"({'above' if lm.true_ndcg > lf.true_ndcg else 'BELOW'})"
        )
    groups, names = matching.region_groups(model)
    rows = np.arange(min(2_000, len(market.investors)))
    rep = matching.fairness_report(model, groups, names, rows=rows, gains=market.truth.relevance)
    print("  regional fairness (top-10, floors from each investor's top-50 candidates; gains = true relevance):")
    print("    region           " + " ".join(f"{n:>6}" for n in names))
    print("    candidate share  " + " ".join(f"{x:6.3f}" for x in rep.candidate_share))
    print("    exposure before  " + " ".join(f"{x:6.3f}" for x in rep.exposure_before))
    print("    exposure after   " + " ".join(f"{x:6.3f}" for x in rep.exposure_after))
    print(f"    true-NDCG@10 {rep.ndcg_before:.4f} -> {rep.ndcg_after:.4f} (cost {rep.ndcg_cost:.4f})")
    dg, dn = matching.depopulating_groups(model, market.depopulating_municipalities)
    dep = matching.fairness_report(model, dg, dn, rows=rows, gains=market.truth.relevance)
    print(
        f"    depopulating municipalities: candidate share {dep.candidate_share[1]:.3f}, exposure "
        f"{dep.exposure_before[1]:.3f} -> {dep.exposure_after[1]:.3f}, cost {dep.ndcg_cost:.4f}"
    )
    return model


def main() -> None:
    import bench_markets
    import bench_movielens

    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small markets only")
    ap.add_argument("--cache", type=Path, default=Path(".data/bench"), help="where the recbole wheel is kept")
    args = ap.parse_args()
    threads = os.cpu_count() or 1
    t0 = time.perf_counter()
    print(f"# Kyoso matching benchmark ({'quick' if args.quick else 'full'}; {threads} cores)")
    bench_movielens.run(args.cache, threads)
    if args.quick:
        bench_markets.run((1_500, 800), (1,), threads)
        model = quality(1_500, 800, seed=1, threads=threads)
    else:
        bench_markets.run((3_000, 1_500), (1, 2), threads)
        model = quality(10_000, 5_000, seed=2, threads=threads)
        print("\n## Training at about a million events")
        quality(24_000, 10_000, seed=3, threads=threads)
    latency(model, 100_000)
    throughput(model)
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
