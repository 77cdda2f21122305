"""Style: palette and texture statistics, judged against unrelated images.

Style is not protectable by itself, but it is relevant to market substitution and
dilution under factor 4 (*Kadrey v. Meta*, N.D. Cal. 2025). An absolute "style match 83 %"
would mean nothing, so the distance between two pictures' style vectors is reported as a
*percentile* of the distances between unrelated pictures of the background set shipped in
``analysis/measure/image/data/background.json`` (see ``background.py``): "closer in style
than 96 % of unrelated pairs".

The vector has four parts, each a normalised histogram compared with the Hellinger distance:
colour (hue x saturation x value), local binary patterns (micro-texture), gradient
magnitudes (smooth vs busy) and gradient orientations weighted by strength (brushwork).
"""

from __future__ import annotations

import numpy as np

STYLE_SIDE = 256  # texture statistics at a fixed scale, so image size does not change them
PARTS = ("colour", "texture_lbp", "gradient_strength", "gradient_orientation")


def _norm(h: np.ndarray) -> np.ndarray:
    h = np.asarray(h, dtype=np.float64).ravel()
    s = h.sum()
    return h / s if s > 0 else np.full_like(h, 1.0 / max(len(h), 1))


def style_vector(rgb: np.ndarray, gray: np.ndarray | None = None) -> dict[str, np.ndarray]:
    import cv2
    from skimage.feature import local_binary_pattern

    h, w = rgb.shape[:2]
    s = STYLE_SIDE / float(max(h, w))
    if s < 1:
        rgb = cv2.resize(rgb, (max(8, round(w * s)), max(8, round(h * s))), interpolation=cv2.INTER_AREA)
    g = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    colour = cv2.calcHist([hsv], [0, 1, 2], None, [12, 3, 3], [0, 180, 0, 256, 0, 256])
    lbp = local_binary_pattern(g, P=8, R=1, method="uniform")
    lbp_hist = np.bincount(lbp.astype(np.int64).ravel(), minlength=10)[:10]
    gf = g.astype(np.float32)
    gx = cv2.Sobel(gf, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(gf, cv2.CV_32F, 0, 1, ksize=3)
    mag = np.sqrt(gx * gx + gy * gy)
    strength = np.histogram(np.log1p(mag), bins=10, range=(0.0, np.log1p(1500.0)))[0]
    ang = np.arctan2(gy, gx) % np.pi
    strong = mag > 20
    orient = (
        np.histogram(ang[strong], bins=8, range=(0.0, np.pi), weights=mag[strong])[0] if strong.any() else np.ones(8)
    )
    return {
        "colour": _norm(colour),
        "texture_lbp": _norm(lbp_hist),
        "gradient_strength": _norm(strength),
        "gradient_orientation": _norm(orient),
    }


def hellinger(p: np.ndarray, q: np.ndarray) -> float:
    return float(np.sqrt(max(0.0, 1.0 - float(np.sum(np.sqrt(p * q))))))


def style_distance(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> tuple[float, dict[str, float]]:
    """Mean Hellinger distance over the four parts (0 = identical statistics, 1 = disjoint)."""
    parts = {k: hellinger(a[k], b[k]) for k in PARTS}
    return float(np.mean(list(parts.values()))), parts


def percentile_closer(value: float, background: list[float] | np.ndarray, *, smaller_is_closer: bool) -> float:
    """Share (0-100) of background values that this value is closer than.

    For distances (``smaller_is_closer``) that is the share of unrelated pairs that are
    further apart; for similarities, the share that are less similar.
    """
    bg = np.asarray(background, dtype=np.float64)
    if bg.size == 0:
        return 50.0
    if smaller_is_closer:
        return float(100.0 * np.mean(bg > value))
    return float(100.0 * np.mean(bg < value))
