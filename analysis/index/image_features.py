"""What the index keeps of an image, and what a scan computes of a query image.

* a 64-bit perceptual hash (imagehash's pHash) of the picture as it is; the query hashes
  its eight flips and rotations, so a mirrored or rotated copy is found (mirror-aware);
* a compact global descriptor: an 8 x 8 grey thumbnail, mean-removed and unit-length (64
  numbers), compared by cosine, as is and mirrored on the query side;
* compact local descriptors: the strongest ``INDEX_IMAGE_KEYPOINTS`` SIFT keypoints as
  RootSIFT vectors (Arandjelović and Zisserman, CVPR 2012) in a FAISS index; a query's
  keypoints (more of them, at a larger size, mirrored too) vote for the works whose keypoints
  they land next to, which finds crops, pasted regions and small embeddings that no global
  descriptor sees;
* with an image model configured, its embedding (``analysis.measure.image.deep``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis import defaults


def _resize(rgb: np.ndarray, side: int) -> np.ndarray:
    import cv2

    h, w = rgb.shape[:2]
    scale = side / max(h, w)
    if scale >= 1:
        return rgb
    return cv2.resize(rgb, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)


def _gray(rgb: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)


def phash64(gray: np.ndarray) -> int:
    import imagehash
    from PIL import Image

    bits = imagehash.phash(Image.fromarray(np.ascontiguousarray(gray))).hash.flatten()
    return int(np.packbits(bits.astype(np.uint8)).view(">u8")[0])


def dihedral_phashes(gray: np.ndarray) -> list[int]:
    out = []
    for base in (gray, gray[:, ::-1]):
        for k in range(4):
            out.append(phash64(np.rot90(base, k)))
    return out


def global_descriptor(gray: np.ndarray) -> np.ndarray:
    import cv2

    t = cv2.resize(gray, (8, 8), interpolation=cv2.INTER_AREA).astype(np.float32).ravel()
    t -= t.mean()
    n = float(np.linalg.norm(t))
    return (t / n if n > 1e-6 else np.zeros_like(t)).astype(np.float32)


def root_sift_xy(gray: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """The strongest ``limit`` SIFT keypoints: RootSIFT vectors (float32, N x 128) and their
    positions as fractions of the image's longer side (float32, N x 2: x, y)."""
    import cv2

    sift = cv2.SIFT_create(nfeatures=limit, contrastThreshold=defaults.INDEX_SIFT_CONTRAST)  # type: ignore[attr-defined]
    kps, desc = sift.detectAndCompute(gray, None)
    if desc is None or not len(kps):
        return np.zeros((0, 128), dtype=np.float32), np.zeros((0, 2), dtype=np.float32)
    xy = np.array([k.pt for k in kps], dtype=np.float32) / float(max(gray.shape[:2]))
    if len(kps) > limit:
        order = np.argsort([-k.response for k in kps], kind="stable")[:limit]
        desc, xy = desc[order], xy[order]
    desc = desc.astype(np.float32)
    desc /= np.maximum(desc.sum(axis=1, keepdims=True), 1e-7)
    return np.sqrt(desc).astype(np.float32), xy


def root_sift(gray: np.ndarray, limit: int) -> np.ndarray:
    """The strongest ``limit`` SIFT keypoints as RootSIFT vectors (float32, N x 128)."""
    return root_sift_xy(gray, limit)[0]


@dataclass
class ImageFeatures:
    phash: int
    global_desc: np.ndarray  # 64 float32
    local: np.ndarray  # N x 128 float32
    local_xy: np.ndarray  # N x 2 float32, fractions of the longer side


def catalogue_image_features(rgb: np.ndarray) -> ImageFeatures:
    small = _resize(rgb, defaults.INDEX_IMAGE_SIDE)
    g = _gray(small)
    desc, xy = root_sift_xy(g, defaults.INDEX_IMAGE_KEYPOINTS)
    return ImageFeatures(phash=phash64(g), global_desc=global_descriptor(g), local=desc, local_xy=xy)


@dataclass
class QueryImage:
    phashes: list[int]  # 8 dihedral transforms
    global_descs: np.ndarray  # 2 x 64: as is, mirrored
    local: np.ndarray  # as is and mirrored keypoints stacked
    local_mirrored: np.ndarray  # bool per row
    local_xy: np.ndarray  # position of each row in its (as is or mirrored) picture, fractions of the longer side


def query_image_features(rgb: np.ndarray) -> QueryImage:
    small = _resize(rgb, defaults.INDEX_IMAGE_SIDE)
    g = _gray(small)
    big = _gray(_resize(rgb, defaults.INDEX_QUERY_IMAGE_SIDE))
    direct, dxy = root_sift_xy(big, defaults.INDEX_QUERY_KEYPOINTS)
    mirrored, mxy = root_sift_xy(np.ascontiguousarray(big[:, ::-1]), defaults.INDEX_QUERY_KEYPOINTS)
    return QueryImage(
        phashes=dihedral_phashes(g),
        global_descs=np.stack([global_descriptor(g), global_descriptor(np.ascontiguousarray(g[:, ::-1]))]),
        local=np.concatenate([direct, mirrored]) if len(mirrored) else direct,
        local_mirrored=np.concatenate([np.zeros(len(direct), bool), np.ones(len(mirrored), bool)]),
        local_xy=np.concatenate([dxy, mxy]),
    )
