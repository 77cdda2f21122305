"""Per-image features, computed once and reused for every comparison of that image.

One ``ImageFeatures`` holds what each signal needs: perceptual hashes of the eight flips
and rotations (near-duplicate), SIFT and ORB keypoints (region copy; the mirrored SIFT set
is computed only when a direct match fails), a small grey thumbnail (composition) and a
style vector (palette and texture). Keeping them together lets the benchmark compare one
query with many sources without recomputing anything, and keeps each signal's code short.

All coordinates here are *analysis* pixels (see ``analysis.ingest.image``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from analysis import defaults

THUMB_SIDE = 48  # composition thumbnail; coarse on purpose: layout, not detail


@dataclass
class Keypoints:
    """Keypoint positions (N x 2, analysis pixels of the *unflipped* image) and descriptors."""

    detector: str
    points: np.ndarray
    descriptors: np.ndarray | None

    def __len__(self) -> int:
        return 0 if self.descriptors is None else len(self.points)


@dataclass
class ImageFeatures:
    rgb: np.ndarray  # analysis-size RGB
    gray: np.ndarray  # analysis-size grey, uint8
    phashes: list  # imagehash.ImageHash of the 8 dihedral transforms; [0] is the image itself
    sift: Keypoints
    thumb: np.ndarray  # THUMB_SIDE x THUMB_SIDE float64 grey in [0, 255]
    style: dict[str, np.ndarray]
    _sift_mirror: Keypoints | None = field(default=None, repr=False)
    _orb: Keypoints | None = field(default=None, repr=False)

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


def colour_spread(rgb: np.ndarray) -> float:
    """Largest per-channel standard deviation (0-255): near 0 only for a single flat colour.

    Per channel, not on grey: a picture whose colours differ in hue but not in brightness
    is not blank, though its grey version nearly is.
    """
    return float(rgb.reshape(-1, rgb.shape[-1]).std(axis=0).max())


def to_gray(rgb: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def dihedral(arr: np.ndarray) -> list[np.ndarray]:
    """The eight flips and rotations of an array (identity first)."""
    out = []
    for base in (arr, arr[:, ::-1]):
        for k in range(4):
            out.append(np.rot90(base, k))
    return out


def phashes(gray: np.ndarray) -> list:
    """64-bit pHash (imagehash) of each dihedral transform of the picture."""
    import imagehash
    from PIL import Image

    return [imagehash.phash(Image.fromarray(np.ascontiguousarray(g))) for g in dihedral(gray)]


def _cap(kps, desc, limit: int):
    if desc is None or len(kps) <= limit:
        return kps, desc
    order = np.argsort([-k.response for k in kps])[:limit]
    return [kps[i] for i in order], desc[order]


def sift_keypoints(gray: np.ndarray) -> Keypoints:
    import cv2

    sift = cv2.SIFT_create(nfeatures=defaults.IMAGE_MAX_KEYPOINTS)
    kps, desc = sift.detectAndCompute(gray, None)
    kps, desc = _cap(kps, desc, defaults.IMAGE_MAX_KEYPOINTS)
    pts = np.array([k.pt for k in kps], dtype=np.float32).reshape(-1, 2)
    return Keypoints("sift", pts, None if desc is None else desc.astype(np.float32))


def orb_keypoints(gray: np.ndarray) -> Keypoints:
    import cv2

    orb = cv2.ORB_create(nfeatures=defaults.IMAGE_MAX_KEYPOINTS, fastThreshold=10)
    kps, desc = orb.detectAndCompute(gray, None)
    pts = np.array([k.pt for k in kps], dtype=np.float32).reshape(-1, 2)
    return Keypoints("orb", pts, desc)


def thumbnail(gray: np.ndarray) -> np.ndarray:
    import cv2

    small = cv2.resize(gray, (THUMB_SIDE, THUMB_SIDE), interpolation=cv2.INTER_AREA)
    return cv2.GaussianBlur(small.astype(np.float64), (0, 0), 1.0)


def extract(rgb: np.ndarray, *, with_keypoints: bool = True) -> ImageFeatures:
    """All features of one analysis-size RGB picture."""
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
    )


def min_phash_distance(generated: ImageFeatures, source: ImageFeatures) -> tuple[int, int]:
    """Smallest Hamming distance between the source's pHash and the generated image's eight
    transforms, and the index of that transform (0 = as is, 4 = mirrored)."""
    ref = source.phashes[0]
    dists = [int(h - ref) for h in generated.phashes]
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
