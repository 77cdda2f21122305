"""Optional deep embeddings: a user-supplied model, loaded locally, never bundled.

The classical signals explain *where* a copy is; a learned descriptor adds robustness to
heavy edits. Which model is a choice with licensing consequences (SSCD's weights are
CC-BY-NC, so the project never ships them), so the user names one:

* a TorchScript file (``.pt``/``.pth``/``.torchscript``), e.g. an SSCD copy-detection model:
  input is the picture with its small edge resized to 288 and ImageNet normalisation, as
  the SSCD README prescribes; output is one vector per image;
* a local folder or a Hugging Face model name loaded by ``transformers``: CLIP
  (``CLIPModel.get_image_features`` or ``CLIPVisionModel``'s pooled output), DINOv2/ViT
  (``AutoModel``; the CLS token) with the folder's ``AutoImageProcessor``.

Nothing is downloaded unless ``FAIRUSE_ALLOW_DOWNLOADS=1`` (``analysis.privacy``). Images
are embedded in batches on cuda, mps or cpu (``analysis.device.resolve_device``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from analysis import defaults
from analysis.errors import ModelUnavailableError

_TORCHSCRIPT_SUFFIXES = {".pt", ".pth", ".torchscript", ".jit", ".ts"}
_IMAGENET_MEAN = (0.485, 0.456, 0.406)
_IMAGENET_STD = (0.229, 0.224, 0.225)


@dataclass
class ImageEmbedder:
    """A loaded model: ``embed(list of RGB uint8 arrays) -> (N, D) L2-normalised float32``."""

    name: str
    kind: str  # torchscript, clip, clip-vision, auto
    source: str  # 'local file /x', 'local folder /x', 'hub'
    device: str
    version: str | None
    _forward: Callable[[list[np.ndarray]], np.ndarray]

    def embed(self, images: list[np.ndarray], batch_size: int | None = None) -> np.ndarray:
        bs = batch_size or defaults.IMAGE_DEEP_BATCH
        out = []
        for i in range(0, len(images), bs):
            out.append(self._forward(images[i : i + bs]))
        vecs = np.concatenate(out, axis=0).astype(np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.maximum(norms, 1e-12)


def configured_model(model: str | None) -> str | None:
    """The model the user asked for: the argument, else ``FAIRUSE_IMAGE_MODEL``, else None."""
    spec = model if model else os.environ.get(defaults.IMAGE_MODEL_ENV, "")
    spec = (spec or "").strip()
    return spec or None


def _torchscript_forward(module, device: str) -> Callable[[list[np.ndarray]], np.ndarray]:
    import cv2
    import torch

    mean = torch.tensor(_IMAGENET_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(_IMAGENET_STD).view(1, 3, 1, 1)
    side = 288

    def prep(rgb: np.ndarray) -> np.ndarray:
        # fixed square input so a batch stacks (the README's "skew" variant at 288)
        return cv2.resize(rgb, (side, side), interpolation=cv2.INTER_AREA)

    def forward(images: list[np.ndarray]) -> np.ndarray:
        batch = np.stack([prep(im) for im in images]).astype(np.float32) / 255.0
        x = torch.from_numpy(batch).permute(0, 3, 1, 2)
        x = ((x - mean) / std).to(device)
        with torch.inference_mode():
            y = module(x)
        if isinstance(y, (tuple, list)):
            y = y[0]
        return y.reshape(len(images), -1).float().cpu().numpy()

    return forward


def _hf_forward(spec: str, device: str, local_only: bool):
    import torch
    from transformers import AutoConfig, AutoImageProcessor, AutoModel, PreTrainedModel

    from analysis.quiet_models import quiet_model_loading

    quiet_model_loading()  # the CLI prints one summary, not loading bars

    config = AutoConfig.from_pretrained(spec, local_files_only=local_only)
    processor = AutoImageProcessor.from_pretrained(spec, local_files_only=local_only)
    mtype = getattr(config, "model_type", "")
    model: PreTrainedModel
    if mtype == "clip":
        from transformers import CLIPModel

        clip = CLIPModel.from_pretrained(spec, local_files_only=local_only)
        model, kind = clip, "clip"

        def run(pixel_values):
            out = clip.get_image_features(pixel_values=pixel_values)
            return out if torch.is_tensor(out) else out.pooler_output
    elif mtype == "clip_vision_model":
        from transformers import CLIPVisionModel

        model = CLIPVisionModel.from_pretrained(spec, local_files_only=local_only)
        kind = "clip-vision"

        def run(pixel_values):
            return model(pixel_values=pixel_values).pooler_output
    else:
        model = AutoModel.from_pretrained(spec, local_files_only=local_only)
        kind = "auto"

        def run(pixel_values):
            out = model(pixel_values=pixel_values)
            hidden = getattr(out, "last_hidden_state", None)
            if hidden is not None and hidden.dim() == 3:
                return hidden[:, 0]  # CLS token: DINOv2 and ViT's image descriptor
            pooled = getattr(out, "pooler_output", None)
            if pooled is None:
                raise ModelUnavailableError(f"{spec}: the model returns neither a CLS token nor a pooled output")
            return pooled.reshape(pooled.shape[0], -1)

    model.eval().to(device)

    def forward(images: list[np.ndarray]) -> np.ndarray:
        inputs = processor(images=list(images), return_tensors="pt")
        pv = inputs["pixel_values"].to(device)
        with torch.inference_mode():
            y = run(pv)
        return y.float().cpu().numpy()

    return forward, kind


@lru_cache(maxsize=4)
def load_embedder(spec: str, device: str = "cpu") -> ImageEmbedder:
    """Load a TorchScript file, a local transformers folder or (if allowed) a hub model."""
    from analysis.privacy import downloads_allowed, enforce_offline

    enforce_offline()
    path = Path(spec).expanduser()
    try:
        import torch
    except ImportError:  # pragma: no cover
        raise ModelUnavailableError("the image model needs torch; install the project's dependencies") from None
    if path.is_file():
        if path.suffix.lower() not in _TORCHSCRIPT_SUFFIXES:
            raise ModelUnavailableError(
                f"{path.name}: an image model file must be TorchScript (.pt, .pth, .torchscript); "
                "for transformers models give the folder"
            )
        try:
            module = torch.jit.load(str(path), map_location=device)
            module.eval()
        except Exception as exc:
            raise ModelUnavailableError(
                f"{path.name}: not a loadable TorchScript model ({str(exc).splitlines()[0][:160]})"
            ) from None
        return ImageEmbedder(
            path.name, "torchscript", f"local file {path}", device, None, _torchscript_forward(module, device)
        )
    local = path.is_dir()
    if not local and not downloads_allowed() and ("/" not in spec or spec.startswith((".", "/", "~"))):
        raise ModelUnavailableError(
            f"image model {spec!r}: no such file or folder. Give a TorchScript file, a local "
            "transformers folder, or a hub name with FAIRUSE_ALLOW_DOWNLOADS=1"
        )
    try:
        import transformers

        forward, kind = _hf_forward(str(path) if local else spec, device, local_only=not downloads_allowed())
    except ModelUnavailableError:
        raise
    except Exception as exc:
        hint = (
            ""
            if local or downloads_allowed()
            else " (offline: set FAIRUSE_ALLOW_DOWNLOADS=1 to fetch it once, or give a local folder)"
        )
        raise ModelUnavailableError(
            f"image model {spec!r} cannot be loaded: {str(exc).splitlines()[0][:200]}{hint}"
        ) from None
    return ImageEmbedder(
        path.name if local else spec,
        kind,
        f"local folder {path}" if local else "hub",
        device,
        f"transformers {transformers.__version__}",
        forward,
    )


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-12))
