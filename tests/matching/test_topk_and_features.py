from __future__ import annotations

import numpy as np
import pytest

import matching
from matching._features import FeatureSpace, encode_events


def test_chunked_top_k_equals_brute_force_top_k() -> None:
    rng = np.random.default_rng(0)
    u, v = rng.normal(size=(300, 16)).astype(np.float32), rng.normal(size=(2_000, 16)).astype(np.float32)
    allowed = rng.random((300, 2_000)) < 0.3
    allowed[7] = False  # an investor with nothing eligible
    allowed[8] = False
    allowed[8, :3] = True  # and one with fewer than k
    idx, val = matching.chunked_top_k(u, v, 10, bias=0.5, mask=lambda rows: allowed[rows], chunk=64)
    full = u @ v.T + 0.5
    for r in range(300):
        cand = np.flatnonzero(allowed[r])
        best = cand[np.argsort(-full[r, cand], kind="stable")][:10]
        got = idx[r][idx[r] >= 0]
        assert got.tolist() == best.tolist()
        np.testing.assert_allclose(val[r][: len(got)], full[r, best], rtol=1e-5)
    assert (idx[7] == -1).all()
    assert (idx[8][3:] == -1).all()


def test_top_k_rows_breaks_ties_by_lower_index() -> None:
    scores = np.array([[1.0, 3.0, 3.0, 3.0, 0.0]])
    idx, _ = matching.top_k_rows(scores, 2)
    assert idx.tolist() == [[1, 2]]


def test_feature_groups_have_documented_shapes(market: matching.SyntheticMarket) -> None:
    invs, projs = market.investors[:50], market.projects[:40]
    space = FeatureSpace(n_text_components=8, n_cf_components=4).fit(invs, projs)
    inter = encode_events(market.events, {i.id: r for r, i in enumerate(invs)}, {p.id: c for c, p in enumerate(projs)})
    space.fit_cf(inter, [p.id for p in projs], len(invs))
    pg = space.project_groups(projs, inter)
    ag = space.investor_groups(invs, inter, pg, [p.id for p in projs])
    dims = space.dims()
    for name, arr in pg.items():
        assert arr.shape == (40, dims[name]), name
        assert np.isfinite(arr).all()
    for name, arr in ag.items():
        assert arr.shape == (50, dims[name]), name
        assert np.isfinite(arr).all()
    assert dims["sector"] == 13
    assert dims["block"] == 8
    assert dims["pref"] == 47
    # one-hot groups and behaviour shares
    np.testing.assert_allclose(pg["sector"].sum(axis=1), 1.0)
    hist = ag["hist_sector"].sum(axis=1)
    assert np.all((np.abs(hist - 1) < 1e-5) | (hist == 0))
    assert np.all((ag["cold"][:, 0] == 1) == (hist == 0))


def test_text_factors_work_for_japanese_without_a_tokenizer() -> None:
    texts = [
        "デマンド交通で地域の足を守る",
        "コミュニティバスとデマンド交通",
        "太陽光発電の地域新電力",
        "小水力と太陽光発電",
        "保育園と子育て支援",
        "病児保育と子育て支援",
    ] * 3
    enc = matching._features.TextEncoder(n_components=4, min_df=1).fit(texts)
    z = enc.transform(["デマンド交通", "太陽光発電", "子育て支援"])
    sims = z @ z.T
    assert sims[0, 1] < 0.9
    assert sims[0, 2] < 0.9
    z2 = enc.transform(["地域のデマンド交通"])
    assert (z2 @ z.T)[0, 0] == pytest.approx(max((z2 @ z.T)[0]))


def test_geography_maps_prefectures_to_eight_blocks() -> None:
    assert len(matching.PREFECTURES) == 47
    assert len(matching.BLOCKS) == 8
    assert matching.block_name(1) == "北海道"
    assert matching.block_name(13) == "関東"
    assert matching.block_name(47) == "九州沖縄"
    assert matching.block_name(37) == "四国"
    lat, lng = matching.prefecture_centroid(13)
    assert 35 < lat < 36
    assert 139 < lng < 140
    with pytest.raises(ValueError, match="1-47"):
        matching.block_of(48)
