"""Text factors for Japanese and English without a tokenizer.

Character n-grams need no word segmentation, so 「地域交通」 and "bus" are handled alike;
TF-IDF weights them and TruncatedSVD reduces them to a few dense factors. Only arrays
and a term list are kept, so the encoder saves to JSON + ``.npz`` without pickle::

    enc = TextEncoder(n_components=16).fit(["地域交通の維持", "rural bus", ...])
    enc.transform(["デマンド交通"])   # (1, 16) float32, rows of unit length
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer


class TextEncoder:
    """Char n-gram TF-IDF (sublinear tf, smooth idf, l2) followed by TruncatedSVD."""

    def __init__(
        self,
        n_components: int = 32,
        *,
        ngram_range: tuple[int, int] = (2, 3),
        max_features: int = 20_000,
        min_df: int = 2,
        random_state: int = 0,
    ) -> None:
        self.n_components = n_components
        self.ngram_range = ngram_range
        self.max_features = max_features
        self.min_df = min_df
        self.random_state = random_state
        # Vectors of the texts seen in ``fit``: training and refreshing transform the same
        # texts again and again, and char n-gram counting is the slow part. Not saved.
        self._cache: dict[str, np.ndarray] = {}

    def fit(self, texts: Sequence[str]) -> TextEncoder:
        docs = [t or "" for t in texts]
        min_df = self.min_df if len(docs) >= 10 * self.min_df else 1
        tfidf = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=self.ngram_range,
            max_features=self.max_features,
            min_df=min_df,
            sublinear_tf=True,
            dtype=np.float32,
        )
        try:
            x = tfidf.fit_transform(docs)
        except ValueError:  # every text empty: keep a zero-width encoder that maps to zeros
            self.terms_: list[str] = []
            self.idf_ = np.zeros(0, np.float32)
            self.components_ = np.zeros((self.n_components, 0), np.float32)
            return self
        vocab = tfidf.vocabulary_
        self.terms_ = sorted(vocab, key=vocab.__getitem__)
        self.idf_ = tfidf.idf_.astype(np.float32)
        k = min(self.n_components, x.shape[1] - 1, x.shape[0] - 1)
        comps = np.zeros((self.n_components, x.shape[1]), np.float32)
        if k >= 1:
            svd = TruncatedSVD(n_components=k, random_state=self.random_state, algorithm="randomized")
            svd.fit(x)
            comps[:k] = svd.components_
        self.components_ = comps
        rows = _unit_rows(np.asarray(x @ comps.T, dtype=np.float32))
        self._cache = dict(zip(docs, rows, strict=True))
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.n_components), np.float32)
        if not self.terms_ or not len(texts):
            return out
        cache = getattr(self, "_cache", {})
        hit = [cache.get(t or "") for t in texts]
        missing = [r for r, v in enumerate(hit) if v is None]
        if len(missing) < len(texts):
            for r, v in enumerate(hit):
                if v is not None:
                    out[r] = v
            if missing:
                out[missing] = self._encode([texts[r] for r in missing])
            return out
        return self._encode(texts)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        # A fixed vocabulary makes CountVectorizer stateless, so no fitted sklearn object is stored.
        counter = CountVectorizer(
            analyzer="char_wb",
            ngram_range=self.ngram_range,
            vocabulary={t: i for i, t in enumerate(self.terms_)},
            dtype=np.float32,
        )
        x = sparse.csr_matrix(counter.transform([t or "" for t in texts]), dtype=np.float32)
        x.data = 1.0 + np.log(x.data)
        x = sparse.csr_matrix(x.multiply(self.idf_[None, :]))
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        x = sparse.csr_matrix(sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ x)
        return _unit_rows(np.asarray(x @ self.components_.T, dtype=np.float32))

    def to_arrays(self, prefix: str) -> tuple[dict[str, np.ndarray], dict[str, object]]:
        arrays = {f"{prefix}idf": self.idf_, f"{prefix}components": self.components_}
        meta: dict[str, object] = {
            "n_components": self.n_components,
            "ngram_range": list(self.ngram_range),
            "max_features": self.max_features,
            "min_df": self.min_df,
            "terms": self.terms_,
        }
        return arrays, meta

    @classmethod
    def from_arrays(cls, prefix: str, arrays: dict[str, np.ndarray], meta: dict[str, object]) -> TextEncoder:
        ngram = meta["ngram_range"]
        assert isinstance(ngram, list)
        enc = cls(
            int(meta["n_components"]),  # type: ignore[call-overload]
            ngram_range=(int(ngram[0]), int(ngram[1])),
            max_features=int(meta["max_features"]),  # type: ignore[call-overload]
            min_df=int(meta["min_df"]),  # type: ignore[call-overload]
        )
        terms = meta["terms"]
        assert isinstance(terms, list)
        enc.terms_ = [str(t) for t in terms]
        enc.idf_ = arrays[f"{prefix}idf"].astype(np.float32)
        enc.components_ = arrays[f"{prefix}components"].astype(np.float32)
        if enc.idf_.shape != (len(enc.terms_),) or enc.components_.shape != (enc.n_components, len(enc.terms_)):
            raise ValueError("text encoder arrays do not match its vocabulary")
        return enc


def _unit_rows(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return np.asarray(np.where(norms > 0, x / np.maximum(norms, 1e-12), 0.0), dtype=np.float32)
