"""Region copy: local features with geometric verification, and where the copy lies.

A part of a picture copied into another keeps its local structure, so keypoints of the
two pictures match *and* agree on one geometric transform. We match SIFT descriptors
(Lowe's ratio test), keep matches one-to-one, and fit a homography with RANSAC. Then the
sanity guards that make the count trustworthy (an unguarded RANSAC on unrelated textures
happily "verifies" a dozen random matches through a degenerate warp):

* one-to-one: a source keypoint may explain one generated keypoint only;
* plausible scale: the warp's singular values lie within [1/8, 8] and are not wildly
  anisotropic;
* non-degenerate: the inliers' hull maps to a convex polygon with positive orientation
  (or negative for a mirrored attempt), and the inliers are not collinear.

If SIFT fails we try ORB (binary features, sometimes steadier on flat graphics), then SIFT
on the mirrored picture. The verified region is then *localised*: the source is warped
onto the generated image and the area where the two agree locally (normalised
cross-correlation) and which holds the inliers becomes the region polygon. Everything is in
analysis pixels; ``compare.py`` maps it to the original pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis import defaults
from analysis.measure.image.features import ImageFeatures, Keypoints


@dataclass
class RegionMatch:
    detector: str  # sift, orb, sift-mirrored
    homography: np.ndarray  # 3x3, source analysis px -> generated analysis px
    inliers: int
    matches: int  # one-to-one matches that passed the ratio test
    source_points: np.ndarray  # inlier positions, N x 2
    generated_points: np.ndarray
    mirrored: bool
    generated_polygon: np.ndarray | None = None  # K x 2 (analysis px)
    source_polygon: np.ndarray | None = None
    generated_area_share: float = 0.0
    source_area_share: float = 0.0


def _ratio_matches(gen: Keypoints, src: Keypoints, binary: bool) -> tuple[np.ndarray, np.ndarray]:
    """Ratio-test matches, one-to-one, as (generated points, source points)."""
    import cv2

    if len(gen) < 2 or len(src) < 2:
        return np.zeros((0, 2), np.float32), np.zeros((0, 2), np.float32)
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING if binary else cv2.NORM_L2)
    knn = matcher.knnMatch(gen.descriptors, src.descriptors, k=2)
    ratio = defaults.IMAGE_RATIO_TEST
    best: dict[int, tuple[float, int]] = {}
    for pair in knn:
        if len(pair) < 2:
            continue
        m, n = pair
        if m.distance < ratio * n.distance:
            prev = best.get(m.trainIdx)
            if prev is None or m.distance < prev[0]:
                best[m.trainIdx] = (m.distance, m.queryIdx)
    if not best:
        return np.zeros((0, 2), np.float32), np.zeros((0, 2), np.float32)
    src_idx = np.fromiter(best.keys(), dtype=np.int64)
    gen_idx = np.array([best[i][1] for i in src_idx], dtype=np.int64)
    return gen.points[gen_idx], src.points[src_idx]


def _signed_area(poly: np.ndarray) -> float:
    x, y = poly[:, 0], poly[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _plausible(H: np.ndarray, src_in: np.ndarray, mirrored: bool) -> bool:
    """The sanity guards on a fitted homography and its inliers."""
    import cv2

    if H is None or not np.all(np.isfinite(H)) or abs(H[2, 2]) < 1e-12:
        return False
    H = H / H[2, 2]
    A = H[:2, :2]
    sv = np.linalg.svd(A, compute_uv=False)
    lim = defaults.IMAGE_MAX_SCALE_CHANGE
    if sv[1] <= 1e-9 or sv[0] > lim or sv[1] < 1.0 / lim or sv[0] / sv[1] > 4.0:
        return False
    det = float(np.linalg.det(A))
    if (det < 0) != mirrored:
        return False
    hull = cv2.convexHull(src_in.astype(np.float32)).reshape(-1, 2).astype(np.float64)
    if len(hull) < 3:
        return False
    src_area = abs(_signed_area(hull))
    # inliers spread over an area, not a line or a dot (>= 0.2 % of a 512 x 512 picture)
    if src_area < 500.0:
        return False
    ones = np.hstack([hull, np.ones((len(hull), 1))])
    proj = ones @ H.T
    if np.any(proj[:, 2] <= 1e-6):  # part of the region would map through infinity
        return False
    proj = proj[:, :2] / proj[:, 2:3]
    dst_area = _signed_area(proj)
    if abs(dst_area) < 1e-6:
        return False
    ratio = abs(dst_area) / src_area
    if not (1.0 / lim**2 <= ratio <= lim**2):
        return False
    # still convex after the warp: a perspective that folds the hull is a degenerate fit
    proj_hull = cv2.convexHull(proj.astype(np.float32)).reshape(-1, 2)
    return not abs(_signed_area(proj_hull.astype(np.float64))) > abs(dst_area) * 1.05


def _verify(gen_pts: np.ndarray, src_pts: np.ndarray, detector: str, mirrored: bool) -> RegionMatch | None:
    import cv2

    n = len(gen_pts)
    if n < 6:
        return None
    H, mask = cv2.findHomography(
        src_pts.reshape(-1, 1, 2),
        gen_pts.reshape(-1, 1, 2),
        cv2.RANSAC,
        defaults.IMAGE_RANSAC_REPROJ_PX,
        maxIters=2000,
        confidence=0.995,
    )
    if H is None or mask is None:
        return None
    keep = mask.ravel().astype(bool)
    if keep.sum() < 6 or not _plausible(H, src_pts[keep], mirrored):
        return None
    H = H / H[2, 2]
    return RegionMatch(
        detector=detector,
        homography=H,
        inliers=int(keep.sum()),
        matches=n,
        source_points=src_pts[keep],
        generated_points=gen_pts[keep],
        mirrored=mirrored,
    )


def find_region(generated: ImageFeatures, source: ImageFeatures, *, localise: bool = True) -> RegionMatch | None:
    """The best guarded geometric match of the source inside the generated image, or None.

    Tries SIFT, then ORB (only for keypoint-poor pictures such as flat graphics, where SIFT
    finds fewer than ``defaults.IMAGE_ORB_FALLBACK_BELOW`` keypoints), then SIFT on the
    mirrored picture; stops at the first attempt that
    reaches ``defaults.IMAGE_MIN_INLIERS`` and otherwise returns the strongest weak match
    (so the report can say "9 inliers, below the threshold of 14").
    """
    best: RegionMatch | None = None
    attempts = (
        ("sift", lambda: generated.sift, source.sift, False, False),
        ("orb", lambda: generated.orb, source.orb, True, False),
        ("sift-mirrored", generated.sift_mirrored, source.sift, False, True),
    )
    for name, gen_kp, src_kp, binary, mirrored in attempts:
        if binary and min(len(generated.sift), len(source.sift)) >= defaults.IMAGE_ORB_FALLBACK_BELOW:
            continue  # enough SIFT keypoints: ORB would only repeat the answer, at a cost
        g, s = _ratio_matches(gen_kp(), src_kp, binary)
        found = _verify(g, s, name, mirrored)
        if found is not None and (best is None or found.inliers > best.inliers):
            best = found
        if best is not None and best.inliers >= defaults.IMAGE_MIN_INLIERS:
            break
    if best is not None and localise and best.inliers >= defaults.IMAGE_MIN_INLIERS:
        localise_region(best, generated, source)
    return best


def _clip_polygon(poly: np.ndarray, w: int, h: int) -> np.ndarray:
    import cv2

    rect = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    p = cv2.convexHull(poly.astype(np.float32)).reshape(-1, 2)
    area, inter = cv2.intersectConvexConvex(p, rect)
    if inter is None or area <= 0:
        return np.zeros((0, 2), np.float32)
    return inter.reshape(-1, 2)


def localise_region(match: RegionMatch, generated: ImageFeatures, source: ImageFeatures) -> None:
    """Fill the polygons and area shares of a verified match (in place).

    The source is warped onto the generated picture; where both are textured and their
    local normalised cross-correlation is high, or both are flat and of similar brightness,
    they agree. The agreeing connected parts that contain inliers, together with the
    inliers' own hull, form the copied region (convex hull). Its pre-image under the
    homography, clipped to the source, is the part of the source that was taken.
    """
    import cv2

    gw, gh = generated.size
    sw, sh = source.size
    H = match.homography
    warped = cv2.warpPerspective(source.gray, H, (gw, gh), flags=cv2.INTER_LINEAR, borderValue=0)
    valid = cv2.warpPerspective(np.full((sh, sw), 255, np.uint8), H, (gw, gh), flags=cv2.INTER_NEAREST) > 0
    a = generated.gray.astype(np.float32)
    b = warped.astype(np.float32)
    k = (15, 15)
    ma, mb = cv2.blur(a, k), cv2.blur(b, k)
    va = np.maximum(cv2.blur(a * a, k) - ma * ma, 0)
    vb = np.maximum(cv2.blur(b * b, k) - mb * mb, 0)
    cov = cv2.blur(a * b, k) - ma * mb
    ncc = cov / np.sqrt(va * vb + 1e-6)
    tex = 16.0  # variance of a 4-grey-level standard deviation: below it a patch is flat
    agree = ((va > tex) & (vb > tex) & (ncc > 0.5)) | ((va <= tex) & (vb <= tex) & (np.abs(ma - mb) < 40))
    agree &= valid
    mask = agree.astype(np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    n_lab, labels = cv2.connectedComponents(mask)
    pts = np.round(match.generated_points).astype(int)
    pts[:, 0] = np.clip(pts[:, 0], 0, gw - 1)
    pts[:, 1] = np.clip(pts[:, 1], 0, gh - 1)
    hit = labels[pts[:, 1], pts[:, 0]]
    counts = np.bincount(hit, minlength=n_lab)
    counts[0] = 0
    keep = [i for i in range(1, n_lab) if counts[i] >= max(2, 0.05 * len(pts))]
    region_pts = [match.generated_points.astype(np.float32)]
    if keep:
        sel = np.isin(labels, keep).astype(np.uint8)
        contours, _ = cv2.findContours(sel, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for c in contours:
            region_pts.append(c.reshape(-1, 2).astype(np.float32))
    hull = cv2.convexHull(np.vstack(region_pts)).reshape(-1, 2)
    gen_poly = _clip_polygon(hull, gw, gh)
    # keep the polygon within the warped source's footprint
    footprint = cv2.perspectiveTransform(np.array([[[0, 0], [sw, 0], [sw, sh], [0, sh]]], dtype=np.float32), H).reshape(
        -1, 2
    )
    if len(gen_poly) >= 3:
        area, inter = cv2.intersectConvexConvex(gen_poly.astype(np.float32), cv2.convexHull(footprint).reshape(-1, 2))
        if inter is not None and area > 0:
            gen_poly = inter.reshape(-1, 2)
    if len(gen_poly) < 3:
        return
    src_poly = cv2.perspectiveTransform(gen_poly.reshape(1, -1, 2).astype(np.float32), np.linalg.inv(H)).reshape(-1, 2)
    src_poly = _clip_polygon(src_poly, sw, sh)
    match.generated_polygon = gen_poly.astype(np.float64)
    match.source_polygon = src_poly.astype(np.float64)
    match.generated_area_share = float(min(1.0, abs(_signed_area(match.generated_polygon)) / (gw * gh)))
    match.source_area_share = (
        float(min(1.0, abs(_signed_area(match.source_polygon)) / (sw * sh))) if len(src_poly) >= 3 else 0.0
    )
