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

If SIFT at analysis size fails we try, in order and only while nothing is verified: ORB
(binary features, for keypoint-poor flat graphics), SIFT on the mirrored picture, SIFT on
a finer copy of a large generated picture (a photograph embedded small on a page),
SIFT on each proposed photo region of the generated picture cropped at its own resolution
(``features.region_proposals``: the parts of a page or collage set off by a uniform
background, each with its own keypoint budget), SIFT on coarse, smoothed copies of both (restyled copies), and SIFT on two edge maps of
both, gradient magnitude and blurred Canny lines (posterised copies with drawn edge lines:
colour and texture are gone, edge geometry is kept). Descriptors are RootSIFT and
matched with one matrix product. When no pass verifies a match and the whole pictures' pHashes
differ, ``whole_in_region`` asks whether the whole source is one proposed region of the
generated picture (its pHash within ``IMAGE_PROPOSAL_PHASH_MAX_DISTANCE``, the part of the
source it shows placed by normalised cross-correlation): smooth pictures on a page.

Two photographs of one 3-D scene from different places match too, but not through one
flat transform: near and far things move differently. After the first transform we fit a
second one to the remaining matches; a second plane with many inliers whose points the first
transform misplaces is the mark of parallax (``second_plane_inliers``), which the verdict
reads as "the same scene photographed again", not a copy.

The verified region is then *localised* in the source's own frame: the generated picture
is warped back onto the source, and the source pixels where the two agree locally
(normalised cross-correlation, or both flat and of one colour), connected to the inliers,
with their holes filled (an overlay inside a copied region does not un-copy it), are the
part of the source that was taken. Its share is that mask's area, not the area of a hull
around it. Everything is in analysis pixels; ``compare.py`` maps it to the original pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis import defaults
from analysis.evidence import HASH_REGION_DETECTOR
from analysis.measure.image.features import WHOLE_SIDE, ImageFeatures, Keypoints, RegionKeypoints


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
    hull_source_area_share: float = 0.0  # the convex hull's share (what the engine used to report)
    second_plane_inliers: int = 0  # inliers of a second, different transform (parallax)
    second_plane_shift: float = 0.0  # median misplacement (px) of those points by the first transform
    source_mask: np.ndarray | None = None  # bool, source analysis frame: the pixels taken
    # the whole source found in a proposed region of the generated picture by its pHash
    # (``whole_in_region``): the distance, with no keypoint inliers; None for a keypoint match
    phash_distance: int | None = None

    @property
    def verified(self) -> bool:
        """A copy: enough guarded keypoint inliers, or the whole source found by its hash."""
        return self.inliers >= defaults.IMAGE_MIN_INLIERS or self.phash_distance is not None


_EMPTY = (np.zeros((0, 2), np.float32), np.zeros((0, 2), np.float32))


def _one_to_one(query: np.ndarray, train: np.ndarray, dist: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keep, for every train (source) keypoint, only its closest query (generated) match."""
    order = np.lexsort((dist, train))
    t = train[order]
    first = np.ones(len(t), bool)
    first[1:] = t[1:] != t[:-1]
    return query[order][first], t[first]


def _ratio_matches(gen: Keypoints, src: Keypoints, binary: bool) -> tuple[np.ndarray, np.ndarray]:
    """Ratio-test matches, one-to-one, as (generated points, source points)."""
    gd, sd = gen.descriptors, src.descriptors
    if gd is None or sd is None or len(gen) < 2 or len(src) < 2:
        return _EMPTY
    ratio = defaults.IMAGE_RATIO_TEST
    if binary:
        import cv2

        knn = cv2.BFMatcher(cv2.NORM_HAMMING).knnMatch(gd, sd, k=2)
        rows = [
            (p[0].queryIdx, p[0].trainIdx, p[0].distance)
            for p in knn
            if len(p) == 2 and p[0].distance < ratio * p[1].distance
        ]
        if not rows:
            return _EMPTY
        arr = np.array(rows, dtype=np.float64)
        q, t = _one_to_one(arr[:, 0].astype(np.int64), arr[:, 1].astype(np.int64), arr[:, 2])
    else:
        # RootSIFT vectors have unit length: squared distance = 2 - 2 x similarity
        sim = gd @ sd.T
        top = np.argpartition(-sim, 1, axis=1)[:, :2]
        best = np.take_along_axis(sim, top, axis=1)
        swap = best[:, 1] > best[:, 0]
        top[swap] = top[swap][:, ::-1]
        best[swap] = best[swap][:, ::-1]
        d = np.sqrt(np.maximum(2.0 - 2.0 * best, 0.0))
        ok = np.nonzero(d[:, 0] < ratio * d[:, 1])[0]
        if not len(ok):
            return _EMPTY
        q, t = _one_to_one(ok, top[ok, 0], d[ok, 0])
    return gen.points[q], src.points[t]


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


def _fit(gen_pts: np.ndarray, src_pts: np.ndarray, mirrored: bool) -> tuple[np.ndarray, np.ndarray] | None:
    """A guarded RANSAC homography (source -> generated) and its inlier mask, or None."""
    import cv2

    if len(gen_pts) < 6:
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
    return H / H[2, 2], keep


def _project(H: np.ndarray, pts: np.ndarray) -> np.ndarray:
    ones = np.hstack([pts.astype(np.float64), np.ones((len(pts), 1))]) @ H.T
    return ones[:, :2] / np.where(np.abs(ones[:, 2:3]) < 1e-9, 1e-9, ones[:, 2:3])


def _second_plane(
    match: RegionMatch,
    gen_pts: np.ndarray,
    src_pts: np.ndarray,
    keep: np.ndarray,
    source_size: tuple[int, int] | None = None,
) -> None:
    """Fit a second transform to the matches the first one left out (in place).

    A flat picture copied, however edited, fits one transform; two photographs of a 3-D
    scene from different places fit one per depth. A second plane counts only if the first
    transform misplaces its points by clearly more than the RANSAC tolerance (otherwise it
    is the same plane, fitted twice). Given the source's size, a second plane whose points in
    the generated picture lie mostly outside where the first transform places the source does
    not count where the first plane's inliers spread over a good part of the source: two views
    of one scene overlap, while a copy on a page whose other matches land on the page's own
    text (repeated glyphs) is not a second viewpoint. A first plane on a small patch keeps the
    rule (repeated motifs, such as the windows of two skylines, match in small patches).
    """
    rest = ~keep
    if rest.sum() < defaults.IMAGE_SECOND_PLANE_MIN_INLIERS:
        return
    import cv2

    # a plain RANSAC fit: the second plane is evidence against a copy, so it needs no
    # guard against degenerate warps beyond its inliers spreading over an area
    H2, m2 = cv2.findHomography(
        src_pts[rest].reshape(-1, 1, 2), gen_pts[rest].reshape(-1, 1, 2), cv2.RANSAC, defaults.IMAGE_RANSAC_REPROJ_PX
    )
    if H2 is None or m2 is None:
        return
    keep2 = m2.ravel().astype(bool)
    hull = cv2.convexHull(src_pts[rest][keep2].astype(np.float32)).reshape(-1, 2).astype(np.float64)
    if len(hull) < 3 or abs(_signed_area(hull)) < 500.0:
        return
    n2 = int(keep2.sum())
    g2, s2 = gen_pts[rest][keep2], src_pts[rest][keep2]
    shift = float(np.median(np.linalg.norm(_project(match.homography, s2) - g2, axis=1)))
    if n2 < defaults.IMAGE_SECOND_PLANE_MIN_INLIERS or shift < defaults.IMAGE_SECOND_PLANE_MIN_SHIFT_PX:
        return
    if source_size is not None:
        sw, sh = source_size
        corners = np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]], dtype=np.float64)
        footprint = _project(match.homography, corners).astype(np.float32).reshape(-1, 1, 2)
        inside = [cv2.pointPolygonTest(footprint, (float(x), float(y)), False) >= 0 for x, y in g2]
        hull1 = cv2.convexHull(match.source_points.astype(np.float32)).reshape(-1, 2).astype(np.float64)
        spread = abs(_signed_area(hull1)) / float(sw * sh) if len(hull1) >= 3 else 0.0
        outside = float(np.mean(inside)) < defaults.IMAGE_SECOND_PLANE_MIN_INSIDE
        if outside and spread >= defaults.IMAGE_SECOND_PLANE_FOOTPRINT_MIN_SPREAD:
            return
    match.second_plane_inliers, match.second_plane_shift = n2, shift


def _verify(
    gen_pts: np.ndarray,
    src_pts: np.ndarray,
    detector: str,
    mirrored: bool,
    source_size: tuple[int, int] | None = None,
) -> RegionMatch | None:
    fit = _fit(gen_pts, src_pts, mirrored)
    if fit is None:
        return None
    H, keep = fit
    match = RegionMatch(
        detector=detector,
        homography=H,
        inliers=int(keep.sum()),
        matches=len(gen_pts),
        source_points=src_pts[keep],
        generated_points=gen_pts[keep],
        mirrored=mirrored,
    )
    if match.inliers >= defaults.IMAGE_MIN_INLIERS:
        _second_plane(match, gen_pts, src_pts, keep, source_size)
    return match


def _regions_attempt(generated: ImageFeatures, source: ImageFeatures) -> RegionMatch | None:
    """The strongest guarded match of the source inside one proposed region of the generated
    picture (``ImageFeatures.sift_regions``), mapped to the generated picture's analysis pixels.

    Each region is matched and verified on its own, in its crop's pixels (the same ratio
    test, one-to-one rule, guarded RANSAC and inlier threshold as every other pass); the
    verified homography and inliers are then carried to analysis pixels, where the copied
    part is localised as for any other match.
    """
    best: RegionMatch | None = None
    for reg in generated.sift_regions():
        g, s = _ratio_matches(reg.keypoints, source.sift, False)
        found = _verify(g, s, "sift-regions", False, source.size)
        if found is None or (best is not None and found.inliers <= best.inliers):
            continue
        x0, y0 = reg.box[0], reg.box[1]
        A = np.array([[1.0 / reg.factor, 0.0, x0], [0.0, 1.0 / reg.factor, y0], [0.0, 0.0, 1.0]])
        found.homography = A @ found.homography
        found.generated_points = (found.generated_points / reg.factor + np.array([x0, y0])).astype(np.float32)
        best = found
        if best.inliers >= defaults.IMAGE_MIN_INLIERS:
            break
    return best


def whole_in_region(generated: ImageFeatures, source: ImageFeatures) -> RegionMatch | None:
    """The whole source, shrunk into one proposed region of the generated picture (a picture
    on a page, a collage tile), found by the region's pHash being within
    ``IMAGE_PROPOSAL_PHASH_MAX_DISTANCE`` of the source's: for copies with too little local
    structure for keypoints (smooth, blurred or low-contrast pictures). The region is the
    proposal's rectangle; the part of the source it shows (all of it, or the crop a collage
    tile holds) is placed by ``_whole_window``."""
    best: tuple[int, RegionKeypoints] | None = None
    ref = source.phashes[0]
    for reg in generated.sift_regions():
        d = int(np.count_nonzero(reg.phash != ref))
        if d <= defaults.IMAGE_PROPOSAL_PHASH_MAX_DISTANCE and (best is None or d < best[0]):
            best = (d, reg)
    if best is None:
        return None
    d, reg = best
    x0, y0, x1, y1 = reg.box
    sw, sh = source.size
    gw, gh = generated.size
    window, _ = _whole_window(reg.small, source.gray)
    if window is None:
        return None
    wx0, wy0, wx1, wy1 = window
    H = np.array(
        [
            [(x1 - x0) / (wx1 - wx0), 0.0, x0 - wx0 * (x1 - x0) / (wx1 - wx0)],
            [0.0, (y1 - y0) / (wy1 - wy0), y0 - wy0 * (y1 - y0) / (wy1 - wy0)],
            [0.0, 0.0, 1.0],
        ]
    )
    corners = np.array([[wx0, wy0], [wx1, wy0], [wx1, wy1], [wx0, wy1]], dtype=np.float64)
    mask = np.zeros((sh, sw), bool)
    mask[round(wy0) : round(wy1), round(wx0) : round(wx1)] = True
    share = float((wx1 - wx0) * (wy1 - wy0) / float(sw * sh))
    empty = np.zeros((0, 2), np.float32)
    return RegionMatch(
        detector=HASH_REGION_DETECTOR,
        homography=H,
        inliers=0,
        matches=0,
        source_points=empty,
        generated_points=empty,
        mirrored=False,
        generated_polygon=np.clip(_project(H, corners), 0, [gw, gh]),
        source_polygon=corners,
        generated_area_share=float(min(1.0, (x1 - x0) * (y1 - y0) / float(gw * gh))),
        source_area_share=min(1.0, share),
        hull_source_area_share=min(1.0, share),
        source_mask=mask,
        phash_distance=d,
    )


def _whole_window(small: np.ndarray, source_gray: np.ndarray) -> tuple[tuple[float, float, float, float] | None, float]:
    """Which window of the source a region found by its hash shows (x0, y0, x1, y1, source
    analysis pixels): windows of the region's shape, from the largest that fits in the source
    down to IMAGE_PROPOSAL_WHOLE_SCALES[-1] of its side, each placed where it correlates best
    (normalised cross-correlation at ``WHOLE_SIDE`` px); the largest window within
    IMAGE_PROPOSAL_WHOLE_TIE of the best correlation is kept (a smooth picture correlates almost as well with a smaller part
    of itself). None when even the best correlation is below IMAGE_PROPOSAL_WHOLE_NCC: the
    hashes agree but the pixels do not."""
    import cv2

    tie = defaults.IMAGE_PROPOSAL_WHOLE_TIE
    sh, sw = source_gray.shape[:2]
    q = min(1.0, WHOLE_SIDE / float(max(sh, sw)))
    S = cv2.resize(source_gray, (max(8, round(sw * q)), max(8, round(sh * q))), interpolation=cv2.INTER_AREA)
    S = S.astype(np.float32)
    qh, qw = S.shape[:2]
    th, tw = small.shape[:2]
    aspect = tw / float(th)
    ww, wh = (qh * aspect, float(qh)) if qw / float(qh) > aspect else (float(qw), qw / aspect)
    found = []
    for k in defaults.IMAGE_PROPOSAL_WHOLE_SCALES:
        w, h = min(qw, round(ww * k)), min(qh, round(wh * k))
        if w < 8 or h < 8:
            continue
        T = cv2.resize(small, (w, h), interpolation=cv2.INTER_AREA).astype(np.float32)
        if float(T.std()) < 1.0:
            continue
        res = cv2.matchTemplate(S, T, cv2.TM_CCOEFF_NORMED)
        _, top, _, at = cv2.minMaxLoc(res)
        found.append((float(top), k, at, w, h))
    if not found:
        return None, 0.0
    best = max(f[0] for f in found)
    if best < defaults.IMAGE_PROPOSAL_WHOLE_NCC:
        return None, best
    top, k, (x, y), w, h = max((f for f in found if f[0] >= best - tie), key=lambda f: f[1])
    return (x / q, y / q, min(sw, (x + w) / q), min(sh, (y + h) / q)), best


def find_region(generated: ImageFeatures, source: ImageFeatures, *, localise: bool = True) -> RegionMatch | None:
    """The best guarded geometric match of the source inside the generated image, or None.

    Tries SIFT, then ORB (only for keypoint-poor pictures such as flat graphics, where SIFT
    finds fewer than ``defaults.IMAGE_ORB_FALLBACK_BELOW`` keypoints), then SIFT on the
    mirrored picture, on a finer copy of a large generated picture, on each proposed photo
    region of the generated picture (a picture on a page, a collage tile), on coarse smoothed
    copies of both, and on their gradient and line maps; stops at the first attempt that reaches ``defaults.IMAGE_MIN_INLIERS``
    and otherwise returns the strongest weak match (so the report can say "9 inliers, below
    the threshold of 14").
    """
    fine = generated.fine_factor >= defaults.IMAGE_FINE_MIN_FACTOR
    # enough SIFT keypoints: ORB would only repeat the answer, at a cost
    orb = min(len(generated.sift), len(source.sift)) < defaults.IMAGE_ORB_FALLBACK_BELOW

    def keypoint_pass(name: str, gen_kp, src_kp, binary: bool = False, mirrored: bool = False):
        def run() -> RegionMatch | None:
            g, s = _ratio_matches(gen_kp(), src_kp(), binary)
            return _verify(g, s, name, mirrored, source.size)

        return run

    # (runs?, the pass), in order; the region proposals run only where the fine pass does
    passes = (
        (True, keypoint_pass("sift", lambda: generated.sift, lambda: source.sift)),
        (orb, keypoint_pass("orb", lambda: generated.orb, lambda: source.orb, binary=True)),
        (True, keypoint_pass("sift-mirrored", generated.sift_mirrored, lambda: source.sift, mirrored=True)),
        (fine, keypoint_pass("sift-fine", generated.sift_fine, lambda: source.sift)),
        (fine, lambda: _regions_attempt(generated, source)),  # each proposed photo region on its own
        (True, keypoint_pass("sift-coarse", generated.sift_coarse, source.sift_coarse)),
        (True, keypoint_pass("sift-gradient", generated.sift_gradient, source.sift_gradient)),
        (True, keypoint_pass("sift-lines", generated.sift_lines, source.sift_lines)),
    )
    best: RegionMatch | None = None
    for runs, attempt in passes:
        if not runs:
            continue
        found = attempt()
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


def _fill_holes(mask: np.ndarray, closed: frozenset[str] = frozenset()) -> np.ndarray:
    """The mask (uint8) with every hole filled: background not connected to the picture's
    border, where the edges named in ``closed`` (top, bottom, left, right) count as part of
    the mask's outline rather than as border."""
    import cv2

    h, w = mask.shape
    pad = np.zeros((h + 2, w + 2), np.uint8)
    pad[1:-1, 1:-1] = mask
    for edge, line in (("top", pad[0, :]), ("bottom", pad[-1, :]), ("left", pad[:, 0]), ("right", pad[:, -1])):
        if edge in closed:
            line[:] = 1
    _, labels = cv2.connectedComponents((1 - pad).astype(np.uint8), connectivity=4)
    border = np.concatenate([labels[0, :], labels[-1, :], labels[:, 0], labels[:, -1]])
    outside = np.isin(labels, np.unique(border[border > 0]))
    return (~outside)[1:-1, 1:-1].astype(np.uint8)


def _same_colour(a_rgb: np.ndarray, b_rgb: np.ndarray, at: np.ndarray) -> np.ndarray | None:
    """Where two aligned colour pictures are of nearly one colour locally, each channel's
    overall gain and offset (fitted around the inlier points ``at``) taken out. A grey source
    in a coloured picture agrees only where that picture is grey too (twice
    IMAGE_LOCALISE_COLOUR_MIN_CHROMA). None when the generated picture is grey: its channels
    say nothing more than its grey."""
    import cv2

    k = (defaults.IMAGE_LOCALISE_WINDOW, defaults.IMAGE_LOCALISE_WINDOW)
    a = a_rgb.astype(np.float32)
    b = b_rgb.astype(np.float32)
    a_chroma, b_chroma = (img.max(axis=2) - img.min(axis=2) for img in (a, b))
    a_grey = float(np.mean(a_chroma)) < defaults.IMAGE_LOCALISE_COLOUR_MIN_CHROMA
    b_grey = float(np.mean(b_chroma)) < defaults.IMAGE_LOCALISE_COLOUR_MIN_CHROMA
    if b_grey:  # a greyscale copy (or a grey picture): its channels say nothing more
        return None
    if a_grey:  # a grey source in a coloured picture: only grey patches can be the copy
        return cv2.blur(b_chroma, k) < 2 * defaults.IMAGE_LOCALISE_COLOUR_MIN_CHROMA
    same = np.ones(a.shape[:2], bool)
    for c in range(3):
        ma, mb = cv2.blur(a[:, :, c], k), cv2.blur(b[:, :, c], k)
        same &= _same_level(ma, mb, at)
    return same


def _same_level(ma: np.ndarray, mb: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Where two local means (one channel, or grey) are within IMAGE_LOCALISE_FLAT_GREY once
    ``mb``'s overall gain and offset, fitted at the inlier points ``at``, are taken out (a
    recoloured copy is brighter or darker throughout)."""
    xa, xb = ma[at[:, 1], at[:, 0]], mb[at[:, 1], at[:, 0]]
    gain, offset = 1.0, 0.0
    if len(at) >= 6 and float(np.std(xa)) > 4.0:
        gain, offset = (float(v) for v in np.polyfit(xa, xb, 1))
        if not 0.5 <= gain <= 2.0:
            gain, offset = 1.0, float(np.median(xb - xa))
    return np.abs(ma * gain + offset - mb) < defaults.IMAGE_LOCALISE_FLAT_GREY


def _close_along_edges(mask: np.ndarray) -> np.ndarray:
    """The mask (uint8) with its holes filled, carried out to the picture's edges it runs along,
    and its notches there filled: an edge that the copied part comes within a correlation
    window of for at least IMAGE_LOCALISE_EDGE_CLOSE of its length is taken as part of its
    outline, so the strip the windows could not judge is added and a gap reaching that edge (a
    strip of the source too small or too busy for the correlation at the copy's scale) is
    enclosed and filled like any hole. Parts left out that reach an edge the copy does not run
    along (a crop's remainder) stay out."""
    h, w = mask.shape
    m = mask.astype(bool).copy()
    # A correlation window straddling the picture's edge disagrees, so the mask stops up to a
    # window short of an edge it runs along: within that band it is carried out to the edge.
    b = max(1, min(defaults.IMAGE_LOCALISE_WINDOW // 2 + 1, h // 4, w // 4))
    closed: set[str] = set()
    for name, view in (("top", m), ("bottom", m[::-1, :]), ("left", m.T), ("right", m[:, ::-1].T)):
        band = view[:b, :]
        reach = band.any(axis=0)
        if float(reach.mean()) >= defaults.IMAGE_LOCALISE_EDGE_CLOSE:
            closed.add(name)
            first = np.argmax(band, axis=0)
            for col in np.flatnonzero(reach):
                view[: first[col], col] = True
    return _fill_holes(m.astype(np.uint8), frozenset(closed))


def _agreement(
    a: np.ndarray,
    b: np.ndarray,
    at: np.ndarray,
    a_rgb: np.ndarray | None = None,
    b_rgb: np.ndarray | None = None,
) -> np.ndarray:
    """Where two aligned grey pictures agree locally: textured in both and correlated, or
    flat in both and of nearly one brightness once ``b``'s overall gain and offset (fitted
    around the inlier points ``at``: a recoloured copy is brighter or darker throughout) are
    taken out. Given both pictures in colour, flat patches must also be of nearly one colour
    (a blue sky and a purple one can have one grey: a pasted region's surroundings would
    otherwise count as copied)."""
    import cv2

    a = a.astype(np.float32)
    b = b.astype(np.float32)
    k = (defaults.IMAGE_LOCALISE_WINDOW, defaults.IMAGE_LOCALISE_WINDOW)
    ma, mb = cv2.blur(a, k), cv2.blur(b, k)
    va = np.maximum(cv2.blur(a * a, k) - ma * ma, 0)
    vb = np.maximum(cv2.blur(b * b, k) - mb * mb, 0)
    ncc = (cv2.blur(a * b, k) - ma * mb) / np.sqrt(va * vb + 1e-6)
    tex = 16.0  # variance of a 4-grey-level standard deviation: below it a patch is flat
    same = _same_level(ma, mb, at)
    if a_rgb is not None and b_rgb is not None:
        colour = _same_colour(a_rgb, b_rgb, at)
        if colour is not None:
            same &= colour
    return ((va > tex) & (vb > tex) & (ncc > defaults.IMAGE_LOCALISE_NCC)) | ((va <= tex) & (vb <= tex) & same)


def _local_scale(H: np.ndarray, at: np.ndarray) -> float:
    """Linear scale (generated px per source px) of the homography at the point ``at``."""
    x, y = float(at[0]), float(at[1])
    w = H[2, 0] * x + H[2, 1] * y + H[2, 2]
    if abs(w) < 1e-9:
        return 1.0
    xp = (H[0, 0] * x + H[0, 1] * y + H[0, 2]) / w
    yp = (H[1, 0] * x + H[1, 1] * y + H[1, 2]) / w
    J = np.array([[H[0, 0] - xp * H[2, 0], H[0, 1] - xp * H[2, 1]], [H[1, 0] - yp * H[2, 0], H[1, 1] - yp * H[2, 1]]])
    return float(np.sqrt(abs(np.linalg.det(J)))) / abs(w)


def _localise_scales(match: RegionMatch, generated: ImageFeatures) -> tuple[float, float]:
    """(fg, q): how much finer than its analysis copy the generated picture is read, and the
    factor the source is brought down by, so both are compared at the copy's own scale."""
    scale = _local_scale(match.homography, np.median(match.source_points, axis=0))
    if not np.isfinite(scale) or scale <= 0:
        return 1.0, 1.0
    fg = 1.0
    if scale < defaults.IMAGE_LOCALISE_MIN_SCALE and generated.original is not None:
        fg = max(1.0, min(generated.fine_factor, 1.0 / scale))
    q = scale * fg
    if q >= defaults.IMAGE_LOCALISE_MIN_SCALE:
        return fg, 1.0
    return fg, max(q, 0.2)


def localise_region(match: RegionMatch, generated: ImageFeatures, source: ImageFeatures) -> None:
    """Fill the polygons and area shares of a verified match (in place).

    Works in the source's frame: the generated picture is warped back onto the source and
    the source pixels that agree with it (``_agreement``), lie inside the generated
    picture's footprint and are connected to the inliers form the part taken; holes are
    filled. Its area over the source's is ``source_area_share``; the same mask carried to the
    generated picture gives ``generated_area_share``. The polygons outline the mask's
    largest part (the figures draw them).
    """
    import cv2

    gw, gh = generated.size
    sw, sh = source.size
    H = match.homography
    # Compare at the resolution the copy actually has: a photograph shrunk onto a page keeps
    # a fraction of the source's detail, so the generated picture is read from its finer
    # original where there is one, and the source is brought down to the copy's own scale;
    # warping a small copy up to the source's size would blur it and the correlation would
    # miss textured parts of what was taken (issue #11: page embeds, shrunk copies).
    fg, q = _localise_scales(match, generated)
    if fg > 1.0 and generated.original is not None:
        grgb = cv2.resize(generated.original, (round(gw * fg), round(gh * fg)), interpolation=cv2.INTER_AREA)
        ggray = cv2.cvtColor(grgb, cv2.COLOR_RGB2GRAY)
    else:
        fg, ggray, grgb = 1.0, generated.gray, generated.rgb
    qw, qh = max(16, round(sw * q)), max(16, round(sh * q))
    sgray = source.gray if q >= 1.0 else cv2.resize(source.gray, (qw, qh), interpolation=cv2.INTER_AREA)
    srgb = source.rgb if q >= 1.0 else cv2.resize(source.rgb, (qw, qh), interpolation=cv2.INTER_AREA)
    qx, qy = qw / float(sw), qh / float(sh)
    Hq = np.diag([fg, fg, 1.0]) @ H @ np.diag([1.0 / qx, 1.0 / qy, 1.0])
    Hqinv = np.linalg.inv(Hq)
    bh, bw = ggray.shape[:2]
    back = cv2.warpPerspective(ggray, Hqinv, (qw, qh), flags=cv2.INTER_LINEAR, borderValue=0)
    back_rgb = cv2.warpPerspective(grgb, Hqinv, (qw, qh), flags=cv2.INTER_LINEAR, borderValue=0)
    valid_q = cv2.warpPerspective(np.full((bh, bw), 255, np.uint8), Hqinv, (qw, qh), flags=cv2.INTER_NEAREST) > 0
    Hinv = np.linalg.inv(H)
    valid = cv2.warpPerspective(np.full((gh, gw), 255, np.uint8), Hinv, (sw, sh), flags=cv2.INTER_NEAREST) > 0
    at = np.round(match.source_points * np.array([qx, qy])).astype(int)
    at[:, 0] = np.clip(at[:, 0], 0, qw - 1)
    at[:, 1] = np.clip(at[:, 1], 0, qh - 1)
    agree: np.ndarray = (_agreement(sgray, back, at, srgb, back_rgb) & valid_q).astype(np.uint8)
    agree = cv2.morphologyEx(agree, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    agree = cv2.morphologyEx(agree, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    n_lab, labels = cv2.connectedComponents(agree)
    pts = at
    counts = np.bincount(labels[pts[:, 1], pts[:, 0]], minlength=n_lab)
    counts[0] = 0
    keep = [i for i in range(1, n_lab) if counts[i] >= max(2, 0.05 * len(pts))]
    if keep:
        # a correlation window straddling a textured edge disagrees, so the raw mask stops
        # short of such an edge; it is grown back a little
        r = defaults.IMAGE_LOCALISE_GROW_PX
        grown = cv2.dilate(np.isin(labels, keep).astype(np.uint8), np.ones((2 * r + 1, 2 * r + 1), np.uint8))
        mask_q = _close_along_edges(grown) & valid_q.astype(np.uint8)
        mask: np.ndarray
        if q < 1.0:
            up = cv2.resize(mask_q.astype(np.float32), (sw, sh), interpolation=cv2.INTER_LINEAR)
            mask = (up >= 0.5).astype(np.uint8) & valid.astype(np.uint8)
        else:
            mask = mask_q
    else:  # nothing agrees pixel-wise (a heavy restyle): the inliers' own hull
        mask = np.zeros((sh, sw), np.uint8)
        hull = cv2.convexHull(match.source_points.astype(np.float32)).astype(np.int32)
        cv2.fillConvexPoly(mask, hull, 1)
        mask &= valid.astype(np.uint8)
    if mask.sum() == 0:
        return
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    main = max(contours, key=cv2.contourArea).reshape(-1, 2).astype(np.float32)
    eps = 0.004 * cv2.arcLength(main.reshape(-1, 1, 2), True)
    src_poly = cv2.approxPolyDP(main.reshape(-1, 1, 2), eps, True).reshape(-1, 2).astype(np.float64)
    if len(src_poly) < 3:
        return
    gen_poly = cv2.perspectiveTransform(src_poly.reshape(1, -1, 2).astype(np.float32), H).reshape(-1, 2)
    gen_mask = cv2.warpPerspective(mask * 255, H, (gw, gh), flags=cv2.INTER_NEAREST) > 0
    hull_src = cv2.convexHull(np.argwhere(mask > 0)[:, ::-1].astype(np.float32)).reshape(-1, 2).astype(np.float64)
    match.source_mask = mask.astype(bool)
    match.source_polygon = np.clip(src_poly, 0, [sw, sh])
    match.generated_polygon = np.clip(gen_poly.astype(np.float64), 0, [gw, gh])
    match.source_area_share = float(min(1.0, mask.sum() / float(sw * sh)))
    match.generated_area_share = float(min(1.0, gen_mask.sum() / float(gw * gh)))
    match.hull_source_area_share = float(min(1.0, abs(_signed_area(hull_src)) / (sw * sh)))
