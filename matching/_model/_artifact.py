"""Saving and loading rankers without pickle: JSON metadata plus a ``.npz`` of arrays.

A directory holds ``model.json`` and ``arrays.npz``; :func:`model_to_bytes` packs the same
two files in a zip. ``np.load(..., allow_pickle=False)`` refuses object arrays, and a
SHA-256 over the metadata and every array is checked on load, so an edited or truncated
artifact is refused with :class:`ArtifactError` (this detects corruption and tampering
by anyone who cannot also rewrite the digest; it is not a signature)::

    model.save("models/2025-06-01")
    model = load_model("models/2025-06-01")       # or load_model(model.to_bytes())
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
from scipy import sparse

from .._constraints import InvestorConstraints, ProjectConstraints
from .._errors import ArtifactError
from .._features import INVESTOR_GROUPS, PROJECT_GROUPS, CollaborativeFactors, FeatureSpace, TextEncoder
from .._records import INSTRUMENTS, SECTORS, STAGES
from ._blocks import Block, Layout
from ._ranker import Ranker

FORMAT = "kyoso.matching"
FORMAT_VERSION = 2
META_FILE, ARRAYS_FILE = "model.json", "arrays.npz"


class ArtifactMeta(msgspec.Struct, forbid_unknown_fields=True):
    format: str
    format_version: int
    model_version: str
    kind: str
    created_at: str
    params: dict[str, Any]
    vocab: dict[str, list[str]]
    blocks: list[list[str]]
    bias: float
    dims: dict[str, int]
    space: dict[str, Any]
    investor_ids: list[str]
    project_ids: list[str]
    municipalities: list[str]
    training: dict[str, Any]
    metrics: dict[str, Any] | None
    sha256: str = ""


def _vocab() -> dict[str, list[str]]:
    return {
        "sectors": list(SECTORS),
        "instruments": list(INSTRUMENTS),
        "stages": list(STAGES),
        "project_groups": list(PROJECT_GROUPS),
        "investor_groups": list(INVESTOR_GROUPS),
    }


def _digest(meta: ArtifactMeta, arrays: dict[str, np.ndarray]) -> str:
    h = hashlib.sha256(msgspec.json.encode(msgspec.structs.replace(meta, sha256=""), order="sorted"))
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(f"{name}|{a.dtype.str}|{a.shape}".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def _dump(model: Ranker) -> tuple[bytes, bytes]:
    space = model.space_
    arrays: dict[str, np.ndarray] = {f"w::{k}": np.asarray(v, np.float64) for k, v in model.weights_.items()}
    text_arrays, text_meta = space.text_.to_arrays("text::")
    arrays.update(text_arrays)
    arrays["metric_scale"] = space.metric_scale_
    if space.cf_ is not None:
        arrays["cf::project_factors"] = space.cf_.project_factors_
        arrays["cf::fold_in"] = space.cf_.fold_in_
    arrays.update(
        {
            "V": model.V_,
            "A": model.A_,
            "p_sector": model.p_sector_,
            "p_prefecture": model.p_prefecture_,
            "seen_indptr": model.seen_.indptr.astype(np.int64),
            "seen_indices": model.seen_.indices.astype(np.int64),
        }
    )
    arrays.update(model.pcons_.arrays())
    arrays.update(model.icons_.arrays())
    params = {k: v for k, v in vars(model).items() if not k.endswith("_") and not k.startswith("_")}
    now = datetime.now(UTC)
    meta = ArtifactMeta(
        format=FORMAT,
        format_version=FORMAT_VERSION,
        model_version="",
        kind=model.ranker_kind,
        created_at=now.isoformat(),
        params=params,
        vocab=_vocab(),
        blocks=[list(b) for b in model.blocks_],
        bias=float(model.bias_),
        dims=space.dims(),
        space={
            "n_text_components": space.n_text_components,
            "n_cf_components": space.n_cf_components,
            "cf_shrinkage": space.cf_shrinkage,
            "themes": space.themes_,
            "metrics": space.metrics_,
            "text": text_meta,
            "cf_project_ids": space.cf_project_ids_ if space.cf_ is not None else None,
        },
        investor_ids=model.investor_ids_,
        project_ids=model.project_ids_,
        municipalities=model.p_municipality_,
        training=getattr(model, "training_", {}),
        metrics=getattr(model, "metrics_", None),
    )
    digest = _digest(meta, arrays)
    meta = msgspec.structs.replace(meta, model_version=f"{model.ranker_kind}-{now:%Y%m%dT%H%M%S}-{digest[:8]}")
    meta = msgspec.structs.replace(meta, sha256=_digest(meta, arrays))
    buf = io.BytesIO()
    np.savez_compressed(buf, allow_pickle=False, **arrays)
    return msgspec.json.encode(meta), buf.getvalue()


def _restore(meta_bytes: bytes, array_bytes: bytes) -> Ranker:
    from ._content import ContentRanker
    from ._learned import MatchModel

    try:
        meta = msgspec.json.decode(meta_bytes, type=ArtifactMeta)
    except msgspec.DecodeError as e:
        raise ArtifactError(
            f"model metadata is not a Kyoso matching artifact: {e}", "モデルのメタデータが不正です"
        ) from e
    if meta.format != FORMAT or meta.format_version != FORMAT_VERSION:
        raise ArtifactError(f"unknown artifact format {meta.format!r} v{meta.format_version}", "未対応のモデル形式です")
    if meta.vocab != _vocab():
        raise ArtifactError(
            "artifact was saved with different vocabularies; retrain the model",
            "語彙が異なるモデルです。再学習してください",
        )
    try:
        with np.load(io.BytesIO(array_bytes), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as e:
        raise ArtifactError(f"model arrays cannot be read safely: {e}", "モデル配列を安全に読み込めません") from e
    if not meta.sha256 or _digest(meta, arrays) != meta.sha256:
        raise ArtifactError(
            "artifact digest mismatch: the model was altered or corrupted",
            "モデルのハッシュが一致しません（改ざんまたは破損）",
        )
    cls: type[Ranker] = {"learned": MatchModel, "content": ContentRanker}.get(meta.kind)  # type: ignore[assignment]
    if cls is None:
        raise ArtifactError(f"unknown model kind {meta.kind!r}", "未対応のモデル種別です")
    model = cls(**meta.params)
    sp = meta.space
    space = FeatureSpace(sp["n_text_components"], sp["n_cf_components"], cf_shrinkage=sp["cf_shrinkage"])
    space.themes_, space.metrics_ = list(sp["themes"]), list(sp["metrics"])
    space.metric_scale_ = arrays["metric_scale"]
    space.text_ = TextEncoder.from_arrays("text::", arrays, sp["text"])
    space.cf_, space.cf_project_ids_ = None, []
    if sp["cf_project_ids"] is not None:
        cf = CollaborativeFactors(sp["n_cf_components"], shrinkage=sp["cf_shrinkage"])
        cf.project_factors_, cf.fold_in_ = arrays["cf::project_factors"], arrays["cf::fold_in"]
        space.cf_, space.cf_project_ids_ = cf, list(sp["cf_project_ids"])
    model.space_ = space
    dims = space.dims()
    if dims != meta.dims:
        raise ArtifactError("artifact dimensions do not match its vocabularies", "モデルの次元が一致しません")
    model.blocks_ = tuple(Block(*b) for b in meta.blocks)
    model.weights_ = {b.name: arrays[f"w::{b.name}"] for b in model.blocks_}
    model.bias_ = meta.bias
    model.layout_, model.inv_layout_ = Layout(PROJECT_GROUPS, dims), Layout(INVESTOR_GROUPS, dims)
    model.investor_ids_, model.project_ids_ = meta.investor_ids, meta.project_ids
    model.investor_index_ = {k: i for i, k in enumerate(meta.investor_ids)}
    model.project_index_ = {k: i for i, k in enumerate(meta.project_ids)}
    model.V_, model.A_ = arrays["V"], arrays["A"]
    model.V_mean_ = model.V_.mean(axis=0) if len(model.V_) else np.zeros(model.layout_.width, np.float32)
    model.U_ = model._u(model.inv_layout_.split(model.A_))
    model.p_sector_, model.p_prefecture_ = arrays["p_sector"], arrays["p_prefecture"]
    model.p_municipality_ = meta.municipalities
    model.pcons_, model.icons_ = ProjectConstraints.from_arrays(arrays), InvestorConstraints.from_arrays(arrays)
    n_i, n_p = len(meta.investor_ids), len(meta.project_ids)
    model.seen_ = sparse.csr_matrix(
        (np.ones(len(arrays["seen_indices"]), bool), arrays["seen_indices"], arrays["seen_indptr"]), shape=(n_i, n_p)
    )
    model.training_ = meta.training
    model.model_version_ = meta.model_version
    if meta.metrics is not None:
        model.metrics_ = meta.metrics
    return model


def save_model(model: Ranker, path: str | os.PathLike[str]) -> Path:
    """Write ``model.json`` and ``arrays.npz`` into directory ``path`` (created if needed)."""
    meta, arrays = _dump(model)
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    (out / ARRAYS_FILE).write_bytes(arrays)
    (out / META_FILE).write_bytes(meta)
    return out


def model_to_bytes(model: Ranker) -> bytes:
    meta, arrays = _dump(model)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr(META_FILE, meta)
        z.writestr(ARRAYS_FILE, arrays)
    return buf.getvalue()


def load_model(source: str | os.PathLike[str] | bytes) -> Ranker:
    """A :class:`MatchModel` or :class:`ContentRanker` from a directory or from bytes."""
    try:
        if isinstance(source, bytes):
            with zipfile.ZipFile(io.BytesIO(source)) as z:
                return _restore(z.read(META_FILE), z.read(ARRAYS_FILE))
        d = Path(source)
        return _restore((d / META_FILE).read_bytes(), (d / ARRAYS_FILE).read_bytes())
    except (OSError, KeyError, zipfile.BadZipFile) as e:
        raise ArtifactError(f"cannot read model artifact: {e}", "モデルを読み込めません") from e
