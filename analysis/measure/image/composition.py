"""Composition: structural similarity (SSIM) of small, blurred grey thumbnails.

Two pictures can share a layout — a dark mass on the left, a bright horizon a third of the
way down — without sharing any expression. SSIM on 48 px thumbnails measures exactly that
coarse layout. When a homography was found, the source is first warped onto the generated
picture so a shifted or rescaled copy is compared in place. Same layout is not copying;
the report says so.
"""

from __future__ import annotations

import numpy as np

from analysis.measure.image.features import THUMB_SIDE, ImageFeatures, thumbnail


def thumb_ssim(a: np.ndarray, b: np.ndarray) -> float:
    from skimage.metrics import structural_similarity

    return float(structural_similarity(a, b, data_range=255.0, win_size=7, gaussian_weights=False))


def composition_ssim(
    generated: ImageFeatures, source: ImageFeatures, homography: np.ndarray | None = None
) -> tuple[float, bool]:
    """SSIM of the thumbnails, aligned by ``homography`` (source -> generated) when given.

    Returns (ssim, aligned). Aligned SSIM is measured only where the warped source lies,
    plus the generated picture elsewhere, so a partial copy is not diluted by the parts the
    source never covered.
    """
    if homography is None:
        return thumb_ssim(generated.thumb, source.thumb), False
    import cv2

    gw, gh = generated.size
    sw, sh = source.size
    warped = cv2.warpPerspective(source.gray, homography, (gw, gh), flags=cv2.INTER_LINEAR)
    valid = cv2.warpPerspective(np.full((sh, sw), 255, np.uint8), homography, (gw, gh), flags=cv2.INTER_NEAREST) > 0
    if valid.mean() < 0.02:
        return thumb_ssim(generated.thumb, source.thumb), False
    ys, xs = np.nonzero(valid)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    g = generated.gray[y0:y1, x0:x1]
    s = np.where(valid, warped, generated.gray)[y0:y1, x0:x1]
    if min(g.shape) < 8:
        return thumb_ssim(generated.thumb, source.thumb), False
    return thumb_ssim(thumbnail(g), thumbnail(s)), True


__all__ = ["THUMB_SIDE", "composition_ssim", "thumb_ssim"]
