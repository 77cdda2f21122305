"""The background set: unrelated images against which style and composition are judged.

A style distance or an SSIM value means little on its own; "closer than 96 % of unrelated
pairs" means something. The set is made of images we may ship and rebuild anywhere:

* scikit-image's bundled photographs and textures whose docstrings state CC0 or public
  domain (listed in ``FREE_SKIMAGE_IMAGES`` with the licence words; ``cat`` is the same
  photograph as ``chelsea`` and is left out);
* pictures the project draws itself (``synthetic.py``), seeds fixed here.

Only the *statistics* are shipped (``data/background.json``): the sorted style distances and
SSIM values over all unrelated pairs, plus the pHash and guarded-SIFT figures on the same
pairs that document the near-duplicate and region thresholds. Rebuild with
``python -m analysis.measure.image.background`` (about a minute on one core).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA_FILE = Path(__file__).resolve().parent / "data" / "background.json"

# name -> licence words from the function's docstring (scikit-image 0.26)
FREE_SKIMAGE_IMAGES: dict[str, str] = {
    "astronaut": "No known copyright restrictions, released into the public domain.",
    "brick": "CC0Textures, licensed under the Creative Commons CC0 License.",
    "camera": "No copyright restrictions. CC0 by the photographer (Lav Varshney).",
    "chelsea": "No copyright restrictions. CC0 by the photographer (Stefan van der Walt).",
    "clock": "Released into the public domain by the photographer (Stefan van der Walt).",
    "coffee": "No copyright restrictions. CC0 by the photographer (Rachel Michetti).",
    "grass": "CC0Textures, licensed under the Creative Commons CC0 License.",
    "gravel": "CC0Textures, licensed under the Creative Commons CC0 License.",
    "horse": "No copyright restrictions. CC0 given by owner (Andreas Preuss (marauder)).",
    "hubble_deep_field": "Captured by NASA, may be freely used in the public domain.",
    "rocket": "Captured by SpaceX, released in the public domain.",
    "retina": "Creative Commons CC0 1.0 Universal Public Domain Dedication.",
    "cell": "This image is CC0, dedicated to the public domain.",
    "text": "No known copyright restrictions, released into the public domain.",
}

# (generator, seed): seeds from 10_000 up, so the benchmark's seeds never coincide
SYNTHETIC_BACKGROUND: list[tuple[str, int]] = [
    (kind, 10_000 + i) for kind in ("shapes", "gradient", "noise_texture", "painting", "landscape") for i in range(5)
]


def skimage_image(name: str) -> np.ndarray:
    """A bundled scikit-image picture as 8-bit RGB (grey pictures repeated on three channels)."""
    import skimage.data
    from skimage.util import img_as_ubyte

    arr = getattr(skimage.data, name)()
    arr = img_as_ubyte(arr)
    if arr.ndim == 2:
        arr = np.repeat(arr[..., None], 3, axis=2)
    return np.ascontiguousarray(arr[..., :3])


def background_images() -> list[tuple[str, np.ndarray]]:
    from analysis.measure.image import synthetic

    out = [(f"skimage:{n}", skimage_image(n)) for n in FREE_SKIMAGE_IMAGES]
    out += [(f"synthetic:{k}:{s}", synthetic.generate(k, s)) for k, s in SYNTHETIC_BACKGROUND]
    return out


def build() -> dict:
    """Compute the background statistics from scratch (slow-ish: all pairs)."""
    import cv2

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
    del cv2
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


@lru_cache(maxsize=1)
def load() -> dict:
    """The shipped statistics (read once)."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def main() -> None:  # pragma: no cover - a maintenance command
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
