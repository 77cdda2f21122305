"""Paraphrase: sentences of the generated text that restate source sentences in other words.

Each generated unit (a sentence, or a window of up to ``TEXT_PARAPHRASE_WINDOW`` consecutive
sentences) is compared by embedding cosine with every source unit, in chunks of the
similarity matrix; the ``TEXT_PARAPHRASE_TOP_K`` nearest source units are then scored by a
calibrated logistic model that combines the embedding cosine with lexical overlap (word
and word-pair Dice coefficients). The model's weights and decision threshold are fitted on
MRPC train by ``benchmarks/calibrate_text.py`` and read from
``data/paraphrase_calibration.json`` — the product never needs the training data.

Units already counted as verbatim or near-verbatim are excluded; chosen units never overlap
on the generated side (best score first).
"""

from __future__ import annotations

import functools
import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from analysis import defaults

FEATURES = ("cosine", "word_dice", "bigram_dice")
_DATA_DIR = Path(__file__).resolve().parent / "data"


# --------------------------------------------------------------------------- features
def dice(a: set, b: set) -> float:
    if not a and not b:
        return 0.0
    return 2.0 * len(a & b) / (len(a) + len(b))


def lexical_features(a_words: list[str], b_words: list[str]) -> tuple[float, float]:
    """Word and word-pair Dice overlap of two lower-cased word lists."""
    wa, wb = set(a_words), set(b_words)
    ba = set(itertools.pairwise(a_words))
    bb = set(itertools.pairwise(b_words))
    return dice(wa, wb), dice(ba, bb)


def pair_features(cosine: float, a_words: list[str], b_words: list[str]) -> list[float]:
    return [float(cosine), *lexical_features(a_words, b_words)]


# --------------------------------------------------------------------------- calibration
@dataclass(frozen=True)
class Calibration:
    """A logistic model over ``FEATURES``: p = sigmoid(w · (x - mean) / scale + b)."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    provenance: dict

    @classmethod
    def from_block(cls, m: dict, provenance: dict) -> Calibration:
        """From a JSON block with features, mean, scale, weights, bias and threshold."""
        return cls(
            features=tuple(m["features"]),
            mean=tuple(m["mean"]),
            scale=tuple(m["scale"]),
            weights=tuple(m["weights"]),
            bias=float(m["bias"]),
            threshold=float(m["threshold"]),
            provenance=provenance,
        )

    def probability(self, x: np.ndarray) -> np.ndarray:
        """Probabilities for rows of features (in ``FEATURES`` order)."""
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        z = ((x - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.weights) + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def calibration_path() -> Path:
    return _DATA_DIR / defaults.TEXT_PARAPHRASE_CALIBRATION_FILE


@functools.lru_cache(maxsize=1)
def load_calibration(path: str | None = None) -> Calibration:
    """Read the fitted paraphrase model (written by ``benchmarks/calibrate_text.py``)."""
    p = Path(path) if path else calibration_path()
    data = json.loads(p.read_text(encoding="utf-8"))
    return Calibration.from_block(data["combined"], data.get("provenance", {}))


# --------------------------------------------------------------------------- matching
@dataclass
class Unit:
    """A sentence or window: sentence indices [i0, i1), word indices [w0, w1)."""

    i0: int
    i1: int
    w0: int
    w1: int


@dataclass
class ParaphraseMatch:
    gen: Unit
    src: Unit
    score: float
    cosine: float
    # the pair verifier's stacked probability (pair_verifier.py), once it has read the pair
    verified: float | None = None


def make_units(sent_words: list[tuple[int, int]], window: int, eligible: list[bool] | None = None) -> list[Unit]:
    """Single sentences and windows of up to ``window`` consecutive sentences."""
    units: list[Unit] = []
    n = len(sent_words)
    for i in range(n):
        for size in range(1, window + 1):
            j = i + size
            if j > n:
                break
            if eligible is not None and not all(eligible[i:j]):
                break
            units.append(Unit(i, j, sent_words[i][0], sent_words[j - 1][1]))
    return units


def unit_embeddings(sent_emb: np.ndarray, units: list[Unit]) -> np.ndarray:
    """A window's embedding is the normalised mean of its sentences' embeddings."""
    if not units:
        return np.zeros((0, sent_emb.shape[1] if sent_emb.ndim == 2 else 384), dtype=np.float32)
    out = np.stack([sent_emb[u.i0 : u.i1].mean(axis=0) for u in units]).astype(np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-12)


# --------------------------------------------------------------------------- passages
@dataclass
class ParaphrasePassage:
    """A run of generated sentences restating a run of source sentences, in order.

    ``members`` are the sentence-level matches the run is made of (each a generated
    sentence and the source sentence or two-sentence window it restates); ``score`` is the
    passage's decision statistic (the mean calibrated probability of its members).
    """

    members: list[ParaphraseMatch]
    score: float

    @property
    def gen_w0(self) -> int:
        return self.members[0].gen.w0

    @property
    def gen_w1(self) -> int:
        return self.members[-1].gen.w1

    @property
    def src_w0(self) -> int:
        return min(m.src.w0 for m in self.members)

    @property
    def src_w1(self) -> int:
        return max(m.src.w1 for m in self.members)

    @property
    def sentences(self) -> int:
        return len(self.members)

    @property
    def verified(self) -> float | None:
        """The pair verifier's mean probability over the members (None until it has read them)."""
        vals = [m.verified for m in self.members if m.verified is not None]
        return float(np.mean(vals)) if vals and len(vals) == len(self.members) else None


@dataclass(frozen=True)
class PassageRule:
    """The passage-level decision (``defaults.TEXT_PARAPHRASE_PASSAGE``; fitted by
    ``benchmarks/eval_short_answers.py --fit`` on the dev half of the short-answer set).

    A sentence joins a run when its best in-order candidate scores at least ``link``; a run
    of one sentence is a paraphrase passage when it scores at least ``single``; a run of two
    or more when its mean score is at least ``run``.
    """

    link: float
    single: float
    run: float
    ordered: float = 1.0
    max_jump: int = 2


def _candidates(
    gen_units: list[Unit],
    gen_emb: np.ndarray,
    gen_words: list[str],
    src_units: list[Unit],
    src_emb: np.ndarray,
    src_words: list[str],
    calibration: Calibration,
    k: int,
    step: int,
    floor: float,
) -> list[list[ParaphraseMatch]]:
    """Per generated unit, its top-``k`` source units by cosine, scored, those >= ``floor``."""
    out: list[list[ParaphraseMatch]] = [[] for _ in gen_units]
    if not gen_units or not src_units:
        return out
    k = min(k, len(src_units))
    src_t = src_emb.T
    for c0 in range(0, len(gen_units), step):
        sims = gen_emb[c0 : c0 + step] @ src_t
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < sims.shape[1] else None
        rows, pairs = [], []
        for r in range(sims.shape[0]):
            gu = gen_units[c0 + r]
            gw = gen_words[gu.w0 : gu.w1]
            cols = top[r] if top is not None else range(sims.shape[1])
            for j in cols:
                su = src_units[int(j)]
                rows.append(pair_features(float(sims[r, j]), gw, src_words[su.w0 : su.w1]))
                pairs.append((c0 + r, su, float(sims[r, j])))
        if not rows:
            continue
        probs = calibration.probability(np.array(rows))
        for (gi, su, cos), p in zip(pairs, probs):
            if p >= floor:
                out[gi].append(ParaphraseMatch(gen_units[gi], su, float(p), cos))
    for lst in out:
        lst.sort(key=lambda m: -m.score)
    return out


def passage_rule() -> PassageRule:
    """The product's passage rule, from ``defaults.TEXT_PARAPHRASE_PASSAGE``."""
    d = defaults.TEXT_PARAPHRASE_PASSAGE
    return PassageRule(
        link=float(d["link"]), single=float(d["single"]), run=float(d["run"]), ordered=float(d.get("ordered", 1.0))
    )


def align_paraphrase_passages(
    gen_units: list[Unit],
    gen_emb: np.ndarray,
    gen_words: list[str],
    src_units: list[Unit],
    src_emb: np.ndarray,
    src_words: list[str],
    calibration: Calibration,
    rule: PassageRule,
    *,
    top_k: int | None = None,
    chunk: int | None = None,
) -> tuple[list[ParaphrasePassage], list[ParaphrasePassage]]:
    """Runs of generated sentences that restate the source in order: (accepted, rejected).

    ``gen_units`` are single generated sentences (in text order, verbatim ones left out);
    ``src_units`` single source sentences and windows. Sentence by sentence, a run
    continues while the next generated sentence has a candidate scoring at least
    ``rule.link`` whose source unit follows on from the previous one (at most
    ``rule.max_jump`` sentences ahead, or one back: clauses and sentences get reordered).
    Topic similarity alone rarely gives a run: independent writing on the same subject
    matches scattered source sentences, not the source's sentences in order. Rejected
    runs are returned too, for the evaluation's diagnostics.
    """
    k = defaults.TEXT_PARAPHRASE_TOP_K if top_k is None else top_k
    step = defaults.TEXT_PARAPHRASE_CHUNK if chunk is None else chunk
    cands = _candidates(gen_units, gen_emb, gen_words, src_units, src_emb, src_words, calibration, k, step, rule.link)
    runs = _chain(range(len(cands)), cands, gen_units, rule)
    position = {id(u): gi for gi, u in enumerate(gen_units)}
    accepted: list[ParaphrasePassage] = []
    rejected: list[ParaphrasePassage] = []
    max_trims = defaults.TEXT_PARAPHRASE_MAX_TRIMS
    pending = [(r, 0) for r in runs]  # (run, sentences trimmed from the run it came from)
    while pending:
        r, trims = pending.pop()
        ok, score = _judge(r, rule, trimmed=trims > 0)
        if ok or len(r) == 1:
            (accepted if ok else rejected).append(ParaphrasePassage(r, score))
            continue
        gis = [position[id(m.gen)] for m in r]
        if trims >= max_trims:
            # trimmed as far as the cap allows (it keeps the loop linear in a long weak run):
            # what is left is judged sentence by sentence
            pending.extend(([cands[g][0]], 0) for g in gis)
            continue
        # A run that fails its bar may still hold a paraphrased passage: an unrelated
        # neighbouring sentence (link 0 admits any in-order candidate) both drags the mean
        # down and, as the run's anchor, steers which source sentences the next ones may
        # match. Drop the weaker end sentence and chain the rest afresh from their own
        # candidates; the dropped sentence is judged on its own.
        if r[0].score <= r[-1].score:
            dropped, rest = gis[0], gis[1:]
        else:
            dropped, rest = gis[-1], gis[:-1]
        pending.append(([cands[dropped][0]], 0))
        pending.extend((c, trims + 1) for c in _chain(rest, cands, gen_units, rule))
    accepted.sort(key=lambda p: p.gen_w0)
    rejected.sort(key=lambda p: p.gen_w0)
    return accepted, rejected


def _chain(
    gis, cands: list[list[ParaphraseMatch]], gen_units: list[Unit], rule: PassageRule
) -> list[list[ParaphraseMatch]]:
    """Runs over generated units ``gis`` (in order): each sentence continues the run with its
    best candidate that follows on from the previous member's source unit."""
    runs: list[list[ParaphraseMatch]] = []
    current: list[ParaphraseMatch] = []
    prev_i1 = None
    for gi in gis:
        options = cands[gi]
        gu = gen_units[gi]
        contiguous = prev_i1 is not None and gu.i0 <= prev_i1 + 1
        nxt = None
        if current and contiguous:
            last = current[-1].src
            for m in options:  # best first
                if last.i0 - 1 <= m.src.i0 <= last.i1 + rule.max_jump:
                    nxt = m
                    break
        if nxt is not None:
            current.append(nxt)
        else:
            if current:
                runs.append(current)
            current = [options[0]] if options else []
        prev_i1 = gu.i1
    if current:
        runs.append(current)
    return runs


def _judge(r: list[ParaphraseMatch], rule: PassageRule, trimmed: bool = False) -> tuple[bool, float]:
    """Whether a run is a paraphrase passage under ``rule``, and its mean score.

    What is left of a run after trimming counts only when it follows the source sentence by
    sentence (3+ in order): otherwise trimming would find same-topic runs in independent
    writing (dev independents 7/30 flagged without this condition).
    """
    score = float(np.mean([m.score for m in r]))
    ordered = _ordered(r)
    bar = rule.single if len(r) == 1 else min(rule.run, rule.ordered) if ordered else rule.run
    return score >= bar and (ordered or not trimmed), score


def _ordered(r: list[ParaphraseMatch]) -> bool:
    """A run of 3+ sentences that follows the source sentence by sentence."""
    return len(r) >= 3 and all(b.src.i0 in (a.src.i0 + 1, a.src.i1) for a, b in itertools.pairwise(r))
