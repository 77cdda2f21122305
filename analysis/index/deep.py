"""Optional deep image embeddings for the index, through the image engine's model loader."""

from __future__ import annotations

import numpy as np


def deep_record(image_model: str | None) -> tuple[str | None, dict | None]:
    """The configured image model (argument or FAIRUSE_IMAGE_MODEL) and its record, or (None, None)."""
    from analysis.measure.image.deep import configured_model

    spec = configured_model(image_model)
    if spec is None:
        return None, None
    return spec, {"name": spec}


def embed_images(images: list[np.ndarray], spec: str, device: str = "auto") -> np.ndarray:
    from analysis.device import resolve_device
    from analysis.measure.image.deep import load_embedder

    emb = load_embedder(spec, resolve_device(device))
    out = []
    for i in range(0, len(images), 16):
        out.append(np.asarray(emb.embed(images[i : i + 16]), dtype=np.float32))
    v = np.concatenate(out) if out else np.zeros((0, 1), np.float32)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
