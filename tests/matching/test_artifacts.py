from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

import matching


def test_save_then_load_gives_identical_scores(model: matching.MatchModel, tmp_path: Path) -> None:
    model.save(tmp_path / "m")
    loaded = matching.MatchModel.load(tmp_path / "m")
    rows = np.arange(100)
    np.testing.assert_array_equal(model.score_rows(rows), loaded.score_rows(rows))
    inv = model.investor_ids_[3]
    assert model.rank_projects(inv, k=5) == loaded.rank_projects(inv, k=5)
    meta = json.loads((tmp_path / "m" / "model.json").read_text())
    assert meta["model_version"].startswith("learned-")
    assert meta["training"]["events"] > 0
    assert meta["training"]["converged"] is True
    from_bytes = matching.load_model(model.to_bytes())
    np.testing.assert_array_equal(model.score_rows(rows), from_bytes.score_rows(rows))


def _rewrite_arrays(path: Path, change) -> None:
    with np.load(path / "arrays.npz", allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    change(arrays)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    (path / "arrays.npz").write_bytes(buf.getvalue())


def test_tampered_weights_are_refused(model: matching.MatchModel, tmp_path: Path) -> None:
    model.save(tmp_path)

    def bump(a: dict[str, np.ndarray]) -> None:
        a["w::stated_sector"] = a["w::stated_sector"] + 1.0

    _rewrite_arrays(tmp_path, bump)
    with pytest.raises(matching.ArtifactError, match="digest"):
        matching.load_model(tmp_path)


def test_tampered_metadata_is_refused(model: matching.MatchModel, tmp_path: Path) -> None:
    model.save(tmp_path)
    meta = json.loads((tmp_path / "model.json").read_text())
    meta["bias"] += 3.0
    (tmp_path / "model.json").write_text(json.dumps(meta))
    with pytest.raises(matching.ArtifactError, match="digest"):
        matching.load_model(tmp_path)


def test_unknown_format_and_pickled_arrays_are_refused(model: matching.MatchModel, tmp_path: Path) -> None:
    model.save(tmp_path)
    meta = json.loads((tmp_path / "model.json").read_text())
    (tmp_path / "model.json").write_text(json.dumps({**meta, "format_version": 99}))
    with pytest.raises(matching.ArtifactError, match="unknown artifact format"):
        matching.load_model(tmp_path)
    (tmp_path / "model.json").write_text(json.dumps(meta))
    _rewrite_arrays(tmp_path, lambda a: a.update(evil=np.array([object()], dtype=object)))
    with pytest.raises(matching.ArtifactError):
        matching.load_model(tmp_path)
    with pytest.raises(matching.ArtifactError):
        matching.load_model(b"not a zip")
    with pytest.raises(matching.ArtifactError):
        matching.load_model(tmp_path / "missing")
