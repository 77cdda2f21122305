"""Per-image features, computed once and reused for every comparison of that image.

One ``ImageFeatures`` holds what each signal needs: perceptual hashes of the eight flips
and rotations (near-duplicate), SIFT keypoints with RootSIFT descriptors (region copy), a
small grey thumbnail (composition) and a style vector (palette and texture). The other
keypoint sets are computed only when a pair needs them, and kept for the next pair: ORB
(keypoint-poor flat graphics), SIFT on the mirrored picture, SIFT on a coarse, smoothed
copy (restyled copies: posterised bands, drawn edge lines and cartoon filters change fine
detail but not the coarse structure), and SIFT at a finer resolution than the analysis
copy when the original is larger (a photograph embedded small on a page), and SIFT on two
edge maps (gradient magnitude, blurred Canny lines: posterised copies with drawn edge
lines, whose colour and texture are gone but whose edge geometry is kept), and SIFT and a pHash
on each proposed region (``region_proposals``: a picture set apart on a page or in a collage by
a uniform background, cropped from the original). Keeping them together lets the benchmark compare one
query with many sources without recomputing anything, and keeps each signal's code short.

All coordinates here are *analysis* pixels (see ``analysis.ingest.image``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from analysis import defaults

THUMB_SIDE = 48  # composition thumbnail; coarse on purpose: layout, not detail
WHOLE_SIDE = 128  # where a region found by its hash lies in the source is searched at this size


@dataclass
class Keypoints:
    """Keypoint positions (N x 2, analysis pixels of the *unflipped* image) and descriptors."""

    detector: str
    points: np.ndarray
    descriptors: np.ndarray | None

    def __len__(self) -> int:
        return 0 if self.descriptors is None else len(self.points)


@dataclass
class RegionKeypoints:
    """SIFT on one proposed region (``region_proposals``), read at its own resolution.

    ``box``: the region in analysis pixels (x0, y0, x1, y1); ``factor``: crop pixels per
    analysis pixel; ``keypoints``: positions in crop pixels (analysis = crop / factor + box
    origin)."""

    box: tuple[float, float, float, float]
    factor: float
    keypoints: Keypoints
    phash: np.ndarray  # 8 x 8 pHash of the region as it is (is the whole source here?)
    small: np.ndarray  # the region in grey, at most WHOLE_SIDE px (where in the source is it?)


@dataclass
class ImageFeatures:
    rgb: np.ndarray  # analysis-size RGB
    gray: np.ndarray  # analysis-size grey, uint8
    phashes: list[np.ndarray]  # 8 x 8 boolean pHash of the 8 dihedral transforms; [0] is the image itself
    sift: Keypoints
    thumb: np.ndarray  # THUMB_SIDE x THUMB_SIDE float64 grey in [0, 255]
    style: dict[str, np.ndarray]
    spread: float = 255.0  # colour_spread(rgb): near 0 for a flat picture
    original: np.ndarray | None = field(default=None, repr=False)  # full-resolution RGB, when larger
    _sift_mirror: Keypoints | None = field(default=None, repr=False)
    _orb: Keypoints | None = field(default=None, repr=False)
    _sift_coarse: Keypoints | None = field(default=None, repr=False)
    _sift_fine: Keypoints | None = field(default=None, repr=False)
    _sift_edges: dict[str, Keypoints] = field(default_factory=dict, repr=False)
    _sift_regions: list[RegionKeypoints] | None = field(default=None, repr=False)

    @property
    def orb(self) -> Keypoints:
        """ORB keypoints, computed on first use (only keypoint-poor pairs need them)."""
        if self._orb is None:
            self._orb = orb_keypoints(self.gray)
        return self._orb

    @property
    def size(self) -> tuple[int, int]:
        h, w = self.gray.shape[:2]
        return (w, h)

    def sift_mirrored(self) -> Keypoints:
        """SIFT on the horizontally flipped image, positions mapped back to this image.

        SIFT descriptors are not mirror-invariant, so a mirrored copy needs its own set.
        """
        if self._sift_mirror is None:
            flipped = np.ascontiguousarray(self.gray[:, ::-1])
            kp = sift_keypoints(flipped)
            pts = kp.points.copy()
            if len(pts):
                pts[:, 0] = (self.gray.shape[1] - 1) - pts[:, 0]
            self._sift_mirror = Keypoints("sift-mirrored", pts, kp.descriptors)
        return self._sift_mirror

    def sift_coarse(self) -> Keypoints:
        """SIFT on a half-size, edge-preserving smoothed copy, positions in analysis pixels.

        Posterisation, drawn outlines and cartoon filters replace fine texture with flat
        bands and lines; at half size after a median filter the large shapes they keep
        are what is left to match.
        """
        if self._sift_coarse is None:
            import cv2

            h, w = self.gray.shape[:2]
            small = cv2.resize(self.gray, (max(16, w // 2), max(16, h // 2)), interpolation=cv2.INTER_AREA)
            small = cv2.medianBlur(small, 5)
            kp = sift_keypoints(small, limit=defaults.IMAGE_MAX_KEYPOINTS // 2)
            pts = kp.points * np.array([w / small.shape[1], h / small.shape[0]], np.float32)
            self._sift_coarse = Keypoints("sift-coarse", pts.astype(np.float32), kp.descriptors)
        return self._sift_coarse

    def sift_gradient(self) -> Keypoints:
        """SIFT on the picture's gradient-magnitude map (``edge_map(..., "gradient")``)."""
        return self._sift_edge("gradient")

    def sift_lines(self) -> Keypoints:
        """SIFT on the picture's blurred Canny edge map (``edge_map(..., "lines")``)."""
        return self._sift_edge("lines")

    def _sift_edge(self, kind: str) -> Keypoints:
        if kind not in self._sift_edges:
            kp = sift_keypoints(edge_map(self.gray, kind), limit=defaults.IMAGE_EDGE_MAX_KEYPOINTS)
            self._sift_edges[kind] = Keypoints(f"sift-{kind}", kp.points, kp.descriptors)
        return self._sift_edges[kind]

    def sift_regions(self) -> list[RegionKeypoints]:
        """SIFT on each proposed photo region (``region_proposals``: a picture on a page, the
        tiles of a collage), cropped from the original at up to ``IMAGE_ANALYSIS_MAX_SIDE`` px,
        so a small embedded copy has its own keypoint budget and resolution. Empty for a
        picture without a uniform background."""
        if self._sift_regions is None:
            import cv2

            out: list[RegionKeypoints] = []
            img = self.original if self.original is not None else self.rgb
            oh, ow = img.shape[:2]
            h, w = self.gray.shape[:2]
            sx, sy = ow / float(w), oh / float(h)
            # proposed on a copy of up to IMAGE_FINE_MAX_SIDE px, where the white margin around
            # a picture on a page is still 2 px or more
            p = min(1.0, defaults.IMAGE_FINE_MAX_SIDE / float(max(oh, ow)))
            pgray = to_gray(
                img if p >= 1.0 else cv2.resize(img, (round(ow * p), round(oh * p)), interpolation=cv2.INTER_AREA)
            )
            px, py = ow / float(pgray.shape[1]), oh / float(pgray.shape[0])
            for bx0, by0, bx1, by1 in region_proposals(pgray):
                X0, Y0 = int(bx0 * px), int(by0 * py)
                X1, Y1 = min(ow, int(np.ceil(bx1 * px))), min(oh, int(np.ceil(by1 * py)))
                crop = img[Y0:Y1, X0:X1]
                cgray = to_gray(np.ascontiguousarray(crop))
                ph = phash(cgray)
                k = min(1.0, WHOLE_SIDE / float(max(cgray.shape[:2])))
                small = cv2.resize(
                    cgray,
                    (max(8, round(cgray.shape[1] * k)), max(8, round(cgray.shape[0] * k))),
                    interpolation=cv2.INTER_AREA,
                )
                f = min(1.0, defaults.IMAGE_ANALYSIS_MAX_SIDE / float(max(crop.shape[:2])))
                if f < 1.0:
                    size = (max(8, round(crop.shape[1] * f)), max(8, round(crop.shape[0] * f)))
                    crop = cv2.resize(crop, size, interpolation=cv2.INTER_AREA)
                # crop pixels per analysis pixel, and the crop's origin in analysis pixels
                fx = crop.shape[1] / ((X1 - X0) / sx)
                kp = sift_keypoints(to_gray(np.ascontiguousarray(crop)))
                out.append(RegionKeypoints((X0 / sx, Y0 / sy, X1 / sx, Y1 / sy), fx, kp, ph, small))
            self._sift_regions = out
        return self._sift_regions

    @property
    def fine_factor(self) -> float:
        """How much finer than the analysis copy the fine pass looks (1.0: no fine pass)."""
        if self.original is None:
            return 1.0
        longest = max(self.original.shape[:2])
        return float(min(defaults.IMAGE_FINE_MAX_SIDE, longest) / max(self.gray.shape[:2]))

    def sift_fine(self) -> Keypoints:
        """SIFT on a larger copy of the original (up to ``IMAGE_FINE_MAX_SIDE``), positions in
        analysis pixels. Empty when the original is not much larger than the analysis copy."""
        if self._sift_fine is None:
            f = self.fine_factor
            if f < defaults.IMAGE_FINE_MIN_FACTOR or self.original is None:
                self._sift_fine = Keypoints("sift-fine", np.zeros((0, 2), np.float32), None)
            else:
                import cv2

                h, w = self.gray.shape[:2]
                big = cv2.resize(self.original, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA)
                kp = sift_keypoints(to_gray(big), limit=defaults.IMAGE_FINE_MAX_KEYPOINTS)
                self._sift_fine = Keypoints("sift-fine", (kp.points / f).astype(np.float32), kp.descriptors)
        return self._sift_fine


def colour_spread(rgb: np.ndarray) -> float:
    """Largest per-channel standard deviation (0-255): near 0 only for a single flat colour.

    Per channel, not on grey: a picture whose colours differ in hue but not in brightness
    is not blank, though its grey version nearly is.
    """
    flat = rgb.reshape(-1, rgb.shape[-1])
    if len(flat) > 65_536:  # a regular sample is enough for a spread, and 10x cheaper
        flat = flat[:: len(flat) // 65_536]
    return float(flat.astype(np.float32).std(axis=0).max())


def region_proposals(gray: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Rectangles (x0, y0, x1, y1, pixels of ``gray``) that may each hold a separate picture: the
    connected parts of what differs from a uniform background (a document page, the gutters of
    a collage), after an opening that removes lines of text. The most common border grey is the
    background; a picture whose border has no dominant grey has none (a photograph: no
    proposals, no cost). At most ``IMAGE_PROPOSAL_MAX``, largest first, each covering
    ``IMAGE_PROPOSAL_SHARE`` of the picture and mostly filled."""
    import cv2

    h, w = gray.shape[:2]
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    counts = np.bincount(border, minlength=256)
    bg = int(np.argmax(counts))
    if counts[bg] < defaults.IMAGE_PROPOSAL_BORDER_SHARE * len(border):
        return []
    differs = ((np.abs(gray.astype(np.int16) - bg) > defaults.IMAGE_PROPOSAL_GREY_TOL) * 255).astype(np.uint8)
    # a 3 x 3 median fills a photograph's scattered pixels of the background's grey without
    # bridging a collage's gutters or a page's margin around a picture (2 px or more here)
    fg = (cv2.medianBlur(differs, 3) > 0).astype(np.uint8)
    r = max(3, round(defaults.IMAGE_PROPOSAL_OPEN * max(h, w)))
    opened = cv2.morphologyEx(fg, cv2.MORPH_OPEN, np.ones((r, r), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=4)
    lo, hi = defaults.IMAGE_PROPOSAL_SHARE
    found = []
    for i in range(1, n):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        if lo <= bw * bh / float(w * h) <= hi and area >= 0.5 * bw * bh:
            found.append((area, (x, y, x + bw, y + bh)))
    found.sort(key=lambda t: -t[0])
    return [b for _, b in found[: defaults.IMAGE_PROPOSAL_MAX]]


def to_gray(rgb: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def edge_map(gray: np.ndarray, kind: str) -> np.ndarray:
    """A grey map of where a picture's edges are, the same for a copy restyled in colour and
    texture (posterised bands, drawn edge lines, cartoon filters) as for its source.

    ``gradient``: log gradient magnitude after a small Gaussian blur, stretched to 0-255 (a
    drawn dark line and the step edge it traces both give a ridge there). ``lines``: Canny
    edges, dilated and blurred into soft strokes (a drawn line's two sides merge into one).
    """
    import cv2

    if kind == "gradient":
        g = cv2.GaussianBlur(gray.astype(np.float32), (0, 0), defaults.IMAGE_EDGE_GRADIENT_SIGMA)
        gx = cv2.Sobel(g, cv2.CV_32F, 1, 0)
        gy = cv2.Sobel(g, cv2.CV_32F, 0, 1)
        m = cv2.GaussianBlur(np.log1p(np.sqrt(gx * gx + gy * gy)), (0, 0), 1.5)
        lo_m, hi_m = float(m.min()), float(m.max())
        return ((m - lo_m) * (255.0 / max(hi_m - lo_m, 1e-6))).astype(np.uint8)
    if kind == "lines":
        lo, hi = defaults.IMAGE_EDGE_CANNY
        e = cv2.Canny(cv2.GaussianBlur(gray, (5, 5), 0), lo, hi)
        e = cv2.dilate(e, np.ones((3, 3), np.uint8))
        return cv2.GaussianBlur(e, (0, 0), defaults.IMAGE_EDGE_LINE_SIGMA)
    raise ValueError(f"unknown edge map {kind!r}")


def dihedral(arr: np.ndarray) -> list[np.ndarray]:
    """The eight flips and rotations of an array (identity first)."""
    out = []
    for base in (arr, arr[:, ::-1]):
        for k in range(4):
            out.append(np.rot90(base, k))
    return out


_DCT32 = np.cos(np.pi * np.outer(np.arange(32), 2 * np.arange(32) + 1) / 64.0)


def phash(gray: np.ndarray) -> np.ndarray:
    """64-bit perceptual hash as an 8 x 8 boolean array: imagehash's ``phash`` exactly
    (32 x 32 Lanczos thumbnail, 2-D DCT-II, the 8 x 8 lowest frequencies above their
    median), computed with one matrix product instead of importing SciPy's FFT."""
    from PIL import Image

    small = Image.fromarray(np.ascontiguousarray(gray)).resize((32, 32), Image.Resampling.LANCZOS)
    pixels = np.asarray(small, dtype=np.float64)
    low = (_DCT32 @ pixels @ _DCT32.T)[:8, :8]
    return low > np.median(low)


def phashes(gray: np.ndarray) -> list[np.ndarray]:
    """The pHash of each dihedral transform of the picture (identity first)."""
    # the transforms of the 32 x 32 DCT input are not the transforms of the hash, so hash each
    return [phash(g) for g in dihedral(gray)]


def _cap(kps, desc, limit: int):
    if desc is None or len(kps) <= limit:
        return kps, desc
    order = np.argsort([-k.response for k in kps])[:limit]
    return [kps[i] for i in order], desc[order]


def root_sift(desc: np.ndarray) -> np.ndarray:
    """RootSIFT (Arandjelović & Zisserman, CVPR 2012): L1-normalise, then square-root, so the
    Euclidean distance of the results is the Hellinger distance of the histograms. The
    vectors have unit length, so matching is one matrix product."""
    d = desc.astype(np.float32)
    d /= np.maximum(d.sum(axis=1, keepdims=True), 1e-7)
    return np.sqrt(d)


def sift_keypoints(gray: np.ndarray, limit: int | None = None) -> Keypoints:
    import cv2

    limit = limit or defaults.IMAGE_MAX_KEYPOINTS
    sift = cv2.SIFT.create(nfeatures=limit)
    kps, desc = sift.detectAndCompute(gray, None)
    kps, desc = _cap(kps, desc, limit)
    pts = np.array([k.pt for k in kps], dtype=np.float32).reshape(-1, 2)
    return Keypoints("sift", pts, None if desc is None or len(kps) == 0 else root_sift(desc))


def orb_keypoints(gray: np.ndarray) -> Keypoints:
    import cv2

    orb = cv2.ORB.create(nfeatures=defaults.IMAGE_MAX_KEYPOINTS, fastThreshold=10)
    kps, desc = orb.detectAndCompute(gray, None)
    pts = np.array([k.pt for k in kps], dtype=np.float32).reshape(-1, 2)
    return Keypoints("orb", pts, desc)


def thumbnail(gray: np.ndarray) -> np.ndarray:
    import cv2

    small = cv2.resize(gray, (THUMB_SIDE, THUMB_SIDE), interpolation=cv2.INTER_AREA)
    return cv2.GaussianBlur(small.astype(np.float64), (0, 0), 1.0)


def extract(rgb: np.ndarray, *, with_keypoints: bool = True, original: np.ndarray | None = None) -> ImageFeatures:
    """All features of one analysis-size RGB picture.

    ``original``: the full-resolution picture, when it is larger than ``rgb``; kept (not
    copied) for the fine keypoint pass that small embedded copies need.
    """
    from analysis.measure.image.style import style_vector

    gray = to_gray(rgb)
    empty = Keypoints("none", np.zeros((0, 2), np.float32), None)
    return ImageFeatures(
        rgb=rgb,
        gray=gray,
        phashes=phashes(gray),
        sift=sift_keypoints(gray) if with_keypoints else empty,
        _orb=None if with_keypoints else empty,
        thumb=thumbnail(gray),
        style=style_vector(rgb, gray),
        spread=colour_spread(rgb),
        original=original if original is not None and max(original.shape[:2]) > max(rgb.shape[:2]) else None,
    )


def min_phash_distance(generated: ImageFeatures, source: ImageFeatures) -> tuple[int, int]:
    """Smallest Hamming distance between the source's pHash and the generated image's eight
    transforms, and the index of that transform (0 = as is, 4 = mirrored)."""
    ref = source.phashes[0]
    dists = [int(np.count_nonzero(h != ref)) for h in generated.phashes]
    best = int(np.argmin(dists))
    return dists[best], best


DIHEDRAL_NAMES = [
    "as is",
    "rotated 90°",
    "rotated 180°",
    "rotated 270°",
    "mirrored",
    "mirrored and rotated 90°",
    "mirrored and rotated 180°",
    "mirrored and rotated 270°",
]
