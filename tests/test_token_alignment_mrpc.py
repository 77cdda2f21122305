"""The MRPC token-alignment measurement (benchmarks/token_alignment_mrpc.py): no model or data needed."""

from __future__ import annotations

import numpy as np

from benchmarks.token_alignment_mrpc import (
    EXTRA_FEATURES,
    OT_FEATURES,
    RESIDUE_FEATURES,
    TOKEN_FEATURES,
    TokenSide,
    align,
    content_mask,
    idf_table,
    ot_features,
    residue_features,
    sinkhorn_cost,
    token_features,
)


def _side(ids: list[int], content: list[bool], seed: int) -> TokenSide:
    e = np.random.default_rng(seed).normal(size=(len(ids), 8))
    return TokenSide(np.array(ids), np.array(content), e / np.linalg.norm(e, axis=1, keepdims=True))


def test_content_mask_joins_word_pieces_and_skips_stop_words_and_punctuation():
    assert content_mask(["the", "amro", "##zi", "case", ",", "of", "1995"]).tolist() == [
        False,
        True,
        True,
        True,
        False,
        False,
        True,
    ]


def test_token_features_are_symmetric_and_perfect_on_identical_sides():
    a = _side([5, 6, 7, 8], [True, False, True, True], 0)
    b = _side([5, 9, 8], [True, True, False], 1)
    idf = idf_table([a, b], 12)
    assert idf[5] < idf[6] < idf[11]  # seen in both < seen once < unseen
    fab, fba = token_features(align(a, b), idf, True), token_features(align(b, a), idf, True)
    assert len(fab) == len(TOKEN_FEATURES) + len(EXTRA_FEATURES)
    assert np.allclose(fab, fba)
    same = dict(zip(TOKEN_FEATURES, token_features(align(a, a), idf)))
    assert np.isclose(same["all_f"], 1.0) and np.isclose(same["cont_idf_f"], 1.0)
    assert np.isclose(same["share80_min"], 1.0) and np.isclose(same["cont_unmatched_idf_max"], 0.0, atol=1e-6)


def test_sinkhorn_cost_is_zero_on_identical_sides_and_one_when_empty():
    a = _side([5, 6, 7], [True, True, True], 0)
    w = np.ones(3)
    assert sinkhorn_cost(a.emb @ a.emb.T, w, w, eps=0.01, iters=200) < 0.05
    assert sinkhorn_cost(np.zeros((0, 3)), np.zeros(0), w) == 1.0
    # orthogonal vectors cost 1 whatever the plan
    assert np.isclose(sinkhorn_cost(np.zeros((2, 3)), np.ones(2), w), 1.0)


def test_ot_and_residue_features_are_symmetric_and_empty_on_identical_sides():
    a = _side([5, 6, 7, 8], [True, False, True, True], 0)
    b = _side([5, 9, 8], [True, True, False], 1)
    idf = idf_table([a, b], 12)
    ab, ba = align(a, b), align(b, a)
    assert len(ot_features(ab, idf)) == len(OT_FEATURES)
    assert np.allclose(ot_features(ab, idf), ot_features(ba, idf))
    rab = residue_features(ab, idf)
    assert len(rab) == len(RESIDUE_FEATURES) and np.allclose(rab, residue_features(ba, idf))
    same = dict(zip(RESIDUE_FEATURES, residue_features(align(a, a), idf)))
    assert same["residue_count_max"] == 0.0 and same["residue_idf_share_max"] == 0.0
    # random 8-d vectors rarely match above 0.5: most of each side is residue
    assert rab[RESIDUE_FEATURES.index("residue_count_max")] >= 1.0
