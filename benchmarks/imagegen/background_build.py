"""Rebuild the shipped background statistics (``analysis/measure/image/data/background.json``).

    python -m benchmarks.imagegen.background_build

All pairs of the background images (the free scikit-image pictures and drawn pictures with
the seeds below): style distances and thumbnail SSIM (what the product turns into
percentiles), and the pHash and guarded-SIFT figures on the same pairs that document the
near-duplicate and region thresholds. About a minute on one core.
"""

from __future__ import annotations

import json

import numpy as np

from benchmarks.imagegen import synthetic
from benchmarks.imagegen.free_images import FREE_SKIMAGE_IMAGES, skimage_image

# (generator, seed): seeds from 10_000 up, so the benchmarks' seeds never coincide
SYNTHETIC_BACKGROUND: list[tuple[str, int]] = [
    (kind, 10_000 + i) for kind in ("shapes", "gradient", "noise_texture", "painting", "landscape") for i in range(5)
]


def background_images() -> list[tuple[str, np.ndarray]]:
    out = [(f"skimage:{n}", skimage_image(n)) for n in FREE_SKIMAGE_IMAGES]
    out += [(f"synthetic:{k}:{s}", synthetic.generate(k, s)) for k, s in SYNTHETIC_BACKGROUND]
    return out


def build() -> dict:
    """Compute the background statistics from scratch (slow-ish: all pairs)."""
    from analysis import defaults
    from analysis.ingest.image import _resize_for_analysis
    from analysis.measure.image.composition import thumb_ssim
    from analysis.measure.image.features import extract, min_phash_distance
    from analysis.measure.image.region import find_region
    from analysis.measure.image.style import style_distance

    feats = []
    names = []
    for name, rgb in background_images():
        small, _ = _resize_for_analysis(rgb)
        feats.append(extract(small))
        names.append(name)
    style, ssim, phash, inliers = [], [], [], []
    for i in range(len(feats)):
        for j in range(len(feats)):
            if i == j:
                continue
            a, b = feats[i], feats[j]
            if i < j:
                style.append(style_distance(a.style, b.style)[0])
                ssim.append(thumb_ssim(a.thumb, b.thumb))
            phash.append(min_phash_distance(a, b)[0])
            m = find_region(a, b, localise=False)
            inliers.append(0 if m is None else m.inliers)
    inl = np.array(inliers)
    return {
        "about": "Statistics of unrelated image pairs; see analysis/measure/image/background.py",
        "images": names,
        "licences": {f"skimage:{k}": v for k, v in FREE_SKIMAGE_IMAGES.items()},
        "analysis_max_side": defaults.IMAGE_ANALYSIS_MAX_SIDE,
        "style_distances": sorted(round(float(x), 6) for x in style),
        "ssim": sorted(round(float(x), 6) for x in ssim),
        "phash_min_distance": sorted(int(x) for x in phash),
        "sift_guarded_inliers": sorted(int(x) for x in inliers),
        "pairs_unordered": len(style),
        "pairs_ordered": len(phash),
        "region_false_positive_rate_at_threshold": float(np.mean(inl >= defaults.IMAGE_MIN_INLIERS)),
        "phash_false_positive_rate_at_threshold": float(np.mean(np.array(phash) <= defaults.IMAGE_PHASH_MAX_DISTANCE)),
    }


def main() -> None:  # pragma: no cover - a maintenance command
    from analysis.measure.image.background import DATA_FILE

    data = build()
    DATA_FILE.parent.mkdir(parents=True, exist_ok=True)
    DATA_FILE.write_text(json.dumps(data, indent=1), encoding="utf-8")
    print(
        f"wrote {DATA_FILE}: {data['pairs_unordered']} unrelated pairs of {len(data['images'])} images; "
        f"region FPR {data['region_false_positive_rate_at_threshold']:.4f}, "
        f"pHash FPR {data['phash_false_positive_rate_at_threshold']:.4f}"
    )


if __name__ == "__main__":  # pragma: no cover
    main()
