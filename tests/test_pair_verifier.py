"""The pair verifier: the shipped cross-encoder adapter reads sentence pairs, and the text
engine keeps only the paraphrase passages it confirms (issue 11, MRPC)."""

from __future__ import annotations

import hashlib
import json

import pytest

from analysis import defaults
from analysis.measure.text import pair_verifier as V
from analysis.measure.text.compare import compare_texts
from tests.test_text_passages import PARAGRAPH, PARAPHRASED

PAIRS = [
    # a paraphrase: same facts, other words and order
    (
        "The company said its profits rose 20 percent in the third quarter.",
        "Third-quarter profits climbed 20 per cent, the company said.",
    ),
    # the same subject and many of the same words, other facts
    (
        "The company said its profits rose 20 percent in the third quarter.",
        "The company said it expects sales to fall next year as costs rise.",
    ),
    # unrelated
    (
        "The company said its profits rose 20 percent in the third quarter.",
        "Heavy rain flooded the valley's roads on Sunday morning.",
    ),
]


@pytest.fixture(scope="module")
def verifier():
    return V.load_pair_verifier("cpu")


def _features(a: str, b: str, model) -> list[float]:
    from analysis.measure.text.paraphrase import pair_features
    from analysis.measure.text.tokens import tokenize

    ea, eb = model.encode([a, b])
    return pair_features(float(ea @ eb), tokenize(a).words, tokenize(b).words)


def test_the_shipped_adapter_is_the_one_measured():
    doc = json.loads((V.verifier_dir() / "stack.json").read_text(encoding="utf-8"))
    weights = (V.verifier_dir() / "adapter_model.safetensors").read_bytes()
    assert hashlib.sha256(weights).hexdigest() == doc["provenance"]["adapter_sha256"]
    assert len(weights) < 2_000_000  # float16 LoRA weights, not a copy of the model
    cv = doc["cross_validation"]
    # the figures the README reports, out of fold (nested), beside the product's three features
    assert cv["stack_nested"] > cv["product_three_nested"]
    assert len(cv["stack_nested_by_seed"]) == 4


def test_it_tells_a_paraphrase_from_same_topic_and_unrelated_sentences(verifier, text_model):
    import numpy as np

    feats = np.array([_features(a, b, text_model) for a, b in PAIRS])
    probs = verifier.probability(feats, verifier.logits(PAIRS))
    assert probs[0] >= verifier.stack.threshold > probs[1] > probs[2] - 0.05
    assert probs[2] < verifier.stack.threshold


def test_both_reading_orders_give_one_logit(verifier):
    a, b = PAIRS[0]
    assert verifier.logits([(a, b)])[0] == pytest.approx(verifier.logits([(b, a)])[0], abs=1e-4)


def test_a_paragraph_paraphrased_sentence_by_sentence_is_confirmed(text_model):
    rep = compare_texts(PARAPHRASED, PARAGRAPH, embedder=text_model, device="cpu")
    assert rep.text is not None
    para = [p for p in rep.text.passages if p.kind == "paraphrase"]
    assert len(para) == 1 and para[0].verified is not None
    assert para[0].verified >= defaults.TEXT_PARAPHRASE_PASSAGE["verify"]
    assert any(m.role == "paraphrase-verifier" and m.version for m in rep.models)


def test_a_passage_the_verifier_does_not_confirm_is_not_counted(text_model, monkeypatch):
    monkeypatch.setitem(defaults.TEXT_PARAPHRASE_PASSAGE, "verify", 1.01)
    rep = compare_texts(PARAPHRASED, PARAGRAPH, embedder=text_model, device="cpu")
    assert rep.text is not None
    assert not [p for p in rep.text.passages if p.kind == "paraphrase"]
    assert rep.text.metrics.source_share_paraphrased == 0.0
    assert any("not confirmed by the pair verifier" in n for n in rep.text.notes)


def test_without_the_adapter_the_search_result_stands_with_a_note(text_model, monkeypatch, tmp_path):
    monkeypatch.setattr(V, "_DIR", tmp_path)
    V.load_pair_verifier.cache_clear()
    try:
        rep = compare_texts(PARAPHRASED, PARAGRAPH, embedder=text_model, device="cpu")
    finally:
        V.load_pair_verifier.cache_clear()
    assert rep.text is not None
    para = [p for p in rep.text.passages if p.kind == "paraphrase"]
    assert len(para) == 1 and para[0].verified is None
    assert any("not read by the pair verifier" in n and "adapter is missing" in n for n in rep.text.notes)
    assert not any(m.role == "paraphrase-verifier" for m in rep.models)
