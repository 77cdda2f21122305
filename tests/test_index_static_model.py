"""The default static embedder: distilled offline from the text model, cached, checked by hash.

A tiny BERT built here (the shipped MiniLM's tokenizer, one small layer, seeded weights)
stands in for the text model, so the real distillation runs in seconds."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.errors import ModelUnavailableError
from analysis.index import static_model as sm

pytestmark = pytest.mark.slow


@pytest.fixture
def tiny_bert(tmp_path):
    import torch
    from transformers import AutoTokenizer, BertConfig, BertModel

    from analysis.measure.text.embeddings import default_model_path

    folder = tmp_path / "tiny-bert"
    tok = AutoTokenizer.from_pretrained(str(default_model_path()))
    cfg = BertConfig(
        vocab_size=tok.vocab_size,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    torch.manual_seed(0)
    BertModel(cfg).save_pretrained(str(folder))
    tok.save_pretrained(str(folder))
    return folder


def test_distils_once_into_the_cache_and_loads_it(tiny_bert, tmp_path, monkeypatch):
    from analysis import defaults

    monkeypatch.setenv(sm.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(sm.STATIC_MODEL_ENV, raising=False)
    monkeypatch.setattr(defaults, "INDEX_STATIC_DIMS", 16)
    with pytest.raises(ModelUnavailableError, match="not in"):
        sm.load_static_embedder(text_model=str(tiny_bert), distil_if_missing=False)
    emb = sm.load_static_embedder(text_model=str(tiny_bert))
    folder, _name = sm.distilled_path(str(tiny_bert))
    assert (folder / "config.json").is_file() and emb.dim == 16
    v = emb.encode(["The cat sat on the mat.", "A cat was sitting on the mat.", ""])
    assert v.shape == (3, 16) and np.allclose(np.linalg.norm(v[:2], axis=1), 1.0, atol=1e-4)
    assert len(emb.sha256) == 64
    # loaded again (no second distillation) it is the same model
    again = sm.load_static_embedder(text_model=str(tiny_bert), distil_if_missing=False)
    assert again.sha256 == emb.sha256


def test_explicit_folder_must_be_a_model2vec_model(tmp_path):
    with pytest.raises(ModelUnavailableError, match="not a model2vec"):
        sm.load_static_embedder(str(tmp_path))
    with pytest.raises(ModelUnavailableError, match="local sentence-transformers folder"):
        sm.distil("some-org/not-a-local-model")
