"""The MRPC calibration script's comparison model (benchmarks/calibrate_text.py): no data needed."""

from __future__ import annotations

import numpy as np

from benchmarks.calibrate_text import L2_GRID, RICH_FEATURES, choose_l2, cross_validate, rich_features


def test_rich_features_are_symmetric_and_named():
    a = ["the", "court", "held", "that", "3", "copies", "were", "not", "a", "fair", "use"]
    b = ["a", "fair", "use", "was", "found", "by", "the", "court", "for", "4", "copies"]
    fa, fb = rich_features(0.6, a, b), rich_features(0.6, b, a)
    assert tuple(fa) == RICH_FEATURES and len(RICH_FEATURES) == 26
    assert fa == fb  # the pair's order does not matter
    assert fa["num_mismatch"] == 1.0 and fa["neg_mismatch"] == 1.0
    same = rich_features(1.0, a, a)
    assert same["word_dice"] == same["lev_word"] == same["char4_dice"] == 1.0
    assert same["num_mismatch"] == same["neg_mismatch"] == same["len_diff_ratio"] == 0.0


def test_nested_cross_validation_picks_l2_from_the_grid():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3))
    y = (x[:, 0] + 0.5 * rng.normal(size=200) > 0).astype(np.float64)
    assert choose_l2(x, y) in L2_GRID
    r = cross_validate(x, y, [0, 1, 2], tune=True)
    assert 0.7 < float(r["cv_accuracy"]) <= 1.0
    assert len(r["l2_per_fold"]) == 5 and all(v in L2_GRID for v in r["l2_per_fold"])
