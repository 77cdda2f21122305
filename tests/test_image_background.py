"""The shipped background set: free sources only, statistics that back the thresholds."""

from __future__ import annotations

import re

import numpy as np

from analysis import defaults
from analysis.measure.image import background
from analysis.measure.image.style import percentile_closer, style_distance, style_vector
from benchmarks.imagegen import synthetic
from benchmarks.imagegen.free_images import FREE_SKIMAGE_IMAGES


def test_every_bundled_image_is_cc0_or_public_domain():
    import skimage.data

    for name in FREE_SKIMAGE_IMAGES:
        doc = getattr(skimage.data, name).__doc__ or ""
        assert re.search(r"CC0|public domain|No copyright restrictions", doc, re.I), name
    assert "cat" not in FREE_SKIMAGE_IMAGES  # the same photograph as chelsea


def test_shipped_statistics_are_complete_and_back_the_thresholds():
    data = background.load()
    n = len(data["images"])
    assert n >= 35 and data["pairs_unordered"] == n * (n - 1) // 2
    assert len(data["style_distances"]) == len(data["ssim"]) == data["pairs_unordered"]
    assert data["style_distances"] == sorted(data["style_distances"])
    assert all(name in data["images"] for name in data["licences"])
    assert data["analysis_max_side"] == defaults.IMAGE_ANALYSIS_MAX_SIDE
    # no unrelated pair of the background set reaches either copy threshold
    assert max(data["sift_guarded_inliers"]) < defaults.IMAGE_MIN_INLIERS
    assert min(data["phash_min_distance"]) > defaults.IMAGE_PHASH_MAX_DISTANCE


def test_style_percentile_orders_pairs_sensibly():
    bg = background.load()["style_distances"]
    a = style_vector(synthetic.painting(1, (256, 256), palette="autumn"))
    b = style_vector(synthetic.painting(2, (256, 256), palette="autumn"))
    c = style_vector(synthetic.shapes(3, (256, 256)))
    same, _ = style_distance(a, b)
    other, parts = style_distance(a, c)
    assert same < other and set(parts) == {"colour", "texture_lbp", "gradient_strength", "gradient_orientation"}
    assert percentile_closer(same, bg, smaller_is_closer=True) > percentile_closer(other, bg, smaller_is_closer=True)
    assert percentile_closer(0.0, bg, smaller_is_closer=True) == 100.0
    assert np.isclose(style_distance(a, a)[0], 0.0, atol=1e-6)
