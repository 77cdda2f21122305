"""The optional deep-embedding backend, with tiny randomly initialised models built here.

No weights are downloaded or bundled: each test builds a model of a few thousand
parameters, saves it the way a user would (``save_pretrained`` folder with an image
processor config; a TorchScript file), and runs the real loading and embedding code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pytest

from analysis.errors import ModelUnavailableError
from benchmarks.imagegen import synthetic

if TYPE_CHECKING:
    import torch
else:
    torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")


@pytest.fixture(scope="module")
def pictures() -> list[np.ndarray]:
    return [
        synthetic.painting(1, (96, 80), strokes=200),
        synthetic.shapes(2, (64, 64)),
        synthetic.gradient(3, (70, 90)),
    ]


@pytest.fixture(scope="module")
def vit_folder(tmp_path_factory):
    from transformers import ViTConfig, ViTImageProcessor, ViTModel

    torch.manual_seed(0)
    folder = tmp_path_factory.mktemp("tiny-vit")
    cfg = ViTConfig(
        image_size=32, patch_size=8, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64
    )
    ViTModel(cfg).save_pretrained(folder)
    ViTImageProcessor(size={"height": 32, "width": 32}).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def clip_folder(tmp_path_factory):
    from transformers import CLIPImageProcessor, CLIPVisionConfig, CLIPVisionModel

    torch.manual_seed(0)
    folder = tmp_path_factory.mktemp("tiny-clip")
    cfg = CLIPVisionConfig(
        image_size=32,
        patch_size=8,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        projection_dim=16,
    )
    CLIPVisionModel(cfg).save_pretrained(folder)
    CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32}).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def torchscript_file(tmp_path_factory):
    class TinyDescriptor(torch.nn.Module):
        """Conv + global mean pool: the shape of an SSCD-style descriptor, 16 dimensions."""

        def __init__(self) -> None:
            super().__init__()
            self.conv = torch.nn.Conv2d(3, 16, kernel_size=5, stride=4)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            y = torch.relu(self.conv(x)).mean(dim=(2, 3))
            return torch.nn.functional.normalize(y, dim=1)

    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("tiny-ts") / "tiny_descriptor.torchscript.pt"
    torch.jit.script(TinyDescriptor()).save(str(path))
    return path


def _check(emb, pictures, dim=None):
    vecs = emb.embed(pictures, batch_size=2)  # 3 images in batches of 2: exercises batching
    assert vecs.shape[0] == 3 and (dim is None or vecs.shape[1] == dim)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    again = emb.embed(pictures[:1])
    assert np.allclose(again[0], vecs[0], atol=1e-4)  # deterministic, batch-independent


def test_vit_folder(vit_folder, pictures):
    from analysis.measure.image.deep import load_embedder

    emb = load_embedder(str(vit_folder), "cpu")
    assert emb.kind == "auto" and emb.source.startswith("local folder")
    _check(emb, pictures, dim=32)


def test_clip_vision_folder(clip_folder, pictures):
    from analysis.measure.image.deep import load_embedder

    emb = load_embedder(str(clip_folder), "cpu")
    assert emb.kind == "clip-vision"
    _check(emb, pictures, dim=32)


def test_full_clip_and_dinov2_folders(tmp_path, pictures):
    """CLIPModel (image tower through get_image_features) and DINOv2 (CLS token)."""
    from transformers import BitImageProcessor, CLIPConfig, CLIPImageProcessor, CLIPModel, Dinov2Config, Dinov2Model

    from analysis.measure.image.deep import load_embedder

    torch.manual_seed(0)
    clip = tmp_path / "clip"
    cfg = CLIPConfig(
        text_config=dict(
            hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64, vocab_size=100
        ),
        vision_config=dict(
            image_size=32,
            patch_size=8,
            hidden_size=32,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=64,
        ),
        projection_dim=16,
    )
    CLIPModel(cfg).save_pretrained(clip)
    CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32}).save_pretrained(clip)
    emb = load_embedder(str(clip), "cpu")
    assert emb.kind == "clip"
    _check(emb, pictures, dim=16)

    dino = tmp_path / "dinov2"
    Dinov2Model(
        Dinov2Config(
            image_size=32,
            patch_size=8,
            hidden_size=32,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=64,
        )
    ).save_pretrained(dino)
    BitImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32}).save_pretrained(dino)
    emb = load_embedder(str(dino), "cpu")
    assert emb.kind == "auto"
    _check(emb, pictures, dim=32)


def test_torchscript_file(torchscript_file, pictures):
    from analysis.measure.image.deep import load_embedder

    emb = load_embedder(str(torchscript_file), "cpu")
    assert emb.kind == "torchscript"
    _check(emb, pictures, dim=16)


def test_report_with_and_without_a_model(torchscript_file, monkeypatch):
    import cv2

    from analysis.measure.image.compare import compare_image_bytes

    src = synthetic.painting(5, (256, 256), strokes=600)
    gen = np.ascontiguousarray(src[:, ::-1])
    enc = lambda a: cv2.imencode(".png", a[..., ::-1])[1].tobytes()  # noqa: E731
    monkeypatch.delenv("FAIRUSE_IMAGE_MODEL", raising=False)
    plain = compare_image_bytes(enc(gen), enc(src), generated_name="g.png", source_name="s.png", device="cpu")
    assert plain.image is not None
    deep = {s.name: s for s in plain.image.signals}["deep_embedding"]
    assert deep.computed is False and "not computed" in deep.meaning.lower()
    assert plain.models == []

    monkeypatch.setenv("FAIRUSE_IMAGE_MODEL", str(torchscript_file))
    rep = compare_image_bytes(enc(gen), enc(src), generated_name="g.png", source_name="s.png", device="auto")
    assert rep.image is not None
    deep = {s.name: s for s in rep.image.signals}["deep_embedding"]
    assert deep.computed is True and deep.value is not None and -1.0 <= deep.value <= 1.0 and deep.threshold == 0.75
    assert rep.models and rep.models[0].role == "image-embedding" and rep.models[0].device == rep.device
    assert rep.facts.semantic_similarity == deep.value


def test_bad_model_specs(tmp_path):
    from analysis.measure.image.deep import load_embedder

    junk = tmp_path / "weights.pt"
    junk.write_bytes(b"not a torchscript archive")
    with pytest.raises(ModelUnavailableError, match="TorchScript"):
        load_embedder(str(junk), "cpu")
    with pytest.raises(ModelUnavailableError):
        load_embedder(str(tmp_path / "missing-folder"), "cpu")
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    with pytest.raises(ModelUnavailableError, match="cannot be loaded"):
        load_embedder(str(empty), "cpu")
