"""Build a DISC21-style copy-detection benchmark offline, deterministically.

Sources (>= 40): the CC0 / public-domain photographs and textures bundled with
scikit-image (``analysis.measure.image.background.FREE_SKIMAGE_IMAGES``) and pictures the
project draws (``analysis.measure.image.synthetic``) with seeds that the background set does
not use. Each source is turned into one query per edit kind (18 kinds, below); every query
is also compared with at least 8 *unrelated* sources (the negatives). Backgrounds for the
"shrunk into another" and "pasted region" edits come from a separate distractor pool, so a
negative pair never secretly contains its source.

Nothing is written to disk: images are built in memory at run time (a few seconds).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from benchmarks.imagegen import synthetic
from benchmarks.imagegen.free_images import FREE_SKIMAGE_IMAGES, skimage_image

MAX_SOURCE_SIDE = 768

SYNTHETIC_SOURCES: list[tuple[str, int]] = (
    [("painting", 100 + i) for i in range(8)]
    + [("shapes", 200 + i) for i in range(6)]
    + [("landscape", 300 + i) for i in range(6)]
    + [("noise_texture", 400 + i) for i in range(4)]
    + [("gradient", 500 + i) for i in range(4)]
)
DISTRACTOR_KINDS = ("painting", "shapes", "landscape", "noise_texture")

EDITS = [
    "reencode",
    "resize",
    "aspect",
    "crop80",
    "crop40",
    "rotate90",
    "rotate_small",
    "flip",
    "perspective",
    "colour_jitter",
    "greyscale",
    "blur",
    "noise",
    "text_overlay",
    "sticker_overlay",
    "shrink_into_other",
    "pasted_region",
    "artistic_filter",
    "stacked",
]
PARTIAL_EDITS = ("shrink_into_other", "pasted_region")


@dataclass
class Query:
    source_index: int
    edit: str
    image: np.ndarray
    true_region: np.ndarray | None = None  # polygon in the query's pixels (partial edits)


def _cap(rgb: np.ndarray, side: int = MAX_SOURCE_SIDE) -> np.ndarray:
    import cv2

    h, w = rgb.shape[:2]
    s = side / max(h, w)
    if s >= 1:
        return rgb
    return cv2.resize(rgb, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)


def source_count() -> int:
    """How many sources ``sources()`` returns, without building them."""
    return len(FREE_SKIMAGE_IMAGES) + len(SYNTHETIC_SOURCES)


def sources(limit: int | None = None) -> list[tuple[str, np.ndarray]]:
    out = [(f"skimage:{n}", _cap(skimage_image(n))) for n in FREE_SKIMAGE_IMAGES]
    out += [(f"synthetic:{k}:{s}", synthetic.generate(k, s)) for k, s in SYNTHETIC_SOURCES]
    return out[:limit] if limit else out


def distractor(seed: int, size: tuple[int, int]) -> np.ndarray:
    rng = np.random.default_rng(seed)
    kind = DISTRACTOR_KINDS[int(rng.integers(len(DISTRACTOR_KINDS)))]
    return synthetic.generate(kind, 90_000 + seed, size)


# --------------------------------------------------------------------------- edits
def _jpeg(rgb: np.ndarray, q: int) -> np.ndarray:
    import cv2

    _ok, buf = cv2.imencode(".jpg", rgb[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, q])
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)[..., ::-1].copy()


def _crop(rgb, rng, area: float):
    h, w = rgb.shape[:2]
    side = np.sqrt(area)
    ch, cw = max(32, int(h * side)), max(32, int(w * side))
    y, x = int(rng.integers(0, h - ch + 1)), int(rng.integers(0, w - cw + 1))
    return rgb[y : y + ch, x : x + cw].copy()


def _rotate(rgb, angle: float):
    import cv2

    h, w = rgb.shape[:2]
    M = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(M[0, 0]), abs(M[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    M[0, 2] += nw / 2 - w / 2
    M[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(rgb, M, (nw, nh), borderValue=(255, 255, 255))


def _colour_jitter(rgb, rng):
    import cv2

    img = rgb.astype(np.float32)
    img = (img - 128) * rng.uniform(0.75, 1.25) + 128 + rng.uniform(-30, 30)
    img = img.clip(0, 255).astype(np.uint8)
    hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV).astype(np.int32)
    hsv[..., 0] = (hsv[..., 0] + int(rng.integers(-8, 9))) % 180
    hsv[..., 1] = np.clip(hsv[..., 1] * rng.uniform(0.6, 1.4), 0, 255)
    return cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2RGB)


def _text(rgb, rng):
    import cv2

    img = rgb.copy()
    h, w = img.shape[:2]
    for _ in range(int(rng.integers(2, 5))):
        word = "".join(chr(int(v)) for v in rng.integers(65, 91, int(rng.integers(4, 10))))
        scale = w / 350.0 * rng.uniform(0.8, 1.6)
        col = tuple(int(v) for v in rng.integers(0, 256, 3))
        cv2.putText(
            img,
            word,
            (int(rng.integers(0, w // 2)), int(rng.integers(h // 8, h))),
            cv2.FONT_HERSHEY_DUPLEX,
            scale,
            col,
            max(2, int(scale * 2)),
            cv2.LINE_AA,
        )
    return img


def _stickers(rgb, rng):
    import cv2

    img = rgb.copy()
    h, w = img.shape[:2]
    for _ in range(int(rng.integers(2, 4))):
        r = int(min(h, w) * rng.uniform(0.08, 0.15))
        cx, cy = int(rng.integers(r, w - r)), int(rng.integers(r, h - r))
        cv2.circle(img, (cx, cy), r, (250, 210, 40), -1, cv2.LINE_AA)  # a smiley sticker
        cv2.circle(img, (cx - r // 3, cy - r // 4), max(2, r // 8), (30, 30, 30), -1)
        cv2.circle(img, (cx + r // 3, cy - r // 4), max(2, r // 8), (30, 30, 30), -1)
        cv2.ellipse(img, (cx, cy + r // 8), (r // 2, r // 3), 0, 10, 170, (30, 30, 30), max(2, r // 10))
    return img


def _paste(src, rng, seed, region_area: tuple[float, float], scale: tuple[float, float]):
    """Paste a crop of ``src`` (or all of it) into a distractor; return image and true polygon."""
    import cv2

    piece = _crop(src, rng, float(rng.uniform(*region_area))) if region_area[0] < 1 else src
    bh, bw = 512, 512
    back = distractor(seed, (bw, bh))
    ph, pw = piece.shape[:2]
    s = float(rng.uniform(*scale)) * min(bw / pw, bh / ph)
    nw, nh = max(16, int(pw * s)), max(16, int(ph * s))
    piece = cv2.resize(piece, (nw, nh), interpolation=cv2.INTER_AREA)
    x, y = int(rng.integers(0, bw - nw + 1)), int(rng.integers(0, bh - nh + 1))
    back[y : y + nh, x : x + nw] = piece
    poly = np.array([[x, y], [x + nw, y], [x + nw, y + nh], [x, y + nh]], dtype=np.float64)
    return back, poly


def _artistic(rgb, rng):
    import cv2

    kind = int(rng.integers(0, 3))
    bgr = np.ascontiguousarray(rgb[..., ::-1])
    if kind == 0:
        out = cv2.stylization(bgr, sigma_s=40, sigma_r=0.35)
    elif kind == 1:
        out = cv2.edgePreservingFilter(bgr, flags=1, sigma_s=50, sigma_r=0.4)
        out = (out // 48) * 48 + 24  # posterised
    else:
        gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
        edges = cv2.adaptiveThreshold(cv2.medianBlur(gray, 5), 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 9, 5)
        colour = cv2.bilateralFilter(bgr, 9, 150, 150)
        out = cv2.bitwise_and(colour, colour, mask=edges)  # cartoon
    return np.ascontiguousarray(out[..., ::-1])


def _perspective(rgb, rng):
    import cv2

    h, w = rgb.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    d = rng.uniform(0.04, 0.12, (4, 2)) * [w, h]
    dst = np.float32([[d[0, 0], d[0, 1]], [w - d[1, 0], d[1, 1]], [w - d[2, 0], h - d[2, 1]], [d[3, 0], h - d[3, 1]]])
    M = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(rgb, M, (w, h), borderValue=(255, 255, 255))


def make_query(src: np.ndarray, source_index: int, edit: str) -> Query:
    import cv2

    seed = 7_000 + source_index * 100 + EDITS.index(edit)
    rng = np.random.default_rng(seed)
    h, w = src.shape[:2]
    region = None
    if edit == "reencode":
        img = _jpeg(src, int(rng.integers(20, 40)))
    elif edit == "resize":
        s = float(rng.uniform(0.3, 0.6))
        img = cv2.resize(src, (max(32, int(w * s)), max(32, int(h * s))), interpolation=cv2.INTER_AREA)
    elif edit == "aspect":
        img = cv2.resize(
            src, (int(w * rng.uniform(1.3, 1.6)), int(h * rng.uniform(0.8, 1.0))), interpolation=cv2.INTER_LINEAR
        )
    elif edit == "crop80":
        img = _crop(src, rng, 0.8)
    elif edit == "crop40":
        img = _crop(src, rng, 0.4)
    elif edit == "rotate90":
        img = np.ascontiguousarray(np.rot90(src, int(rng.integers(1, 4))))
    elif edit == "rotate_small":
        img = _rotate(src, float(rng.choice([-1, 1]) * rng.uniform(8, 30)))
    elif edit == "flip":
        img = np.ascontiguousarray(src[:, ::-1])
    elif edit == "perspective":
        img = _perspective(src, rng)
    elif edit == "colour_jitter":
        img = _colour_jitter(src, rng)
    elif edit == "greyscale":
        g = cv2.cvtColor(src, cv2.COLOR_RGB2GRAY)
        img = np.repeat(g[..., None], 3, axis=2)
    elif edit == "blur":
        img = cv2.GaussianBlur(src, (0, 0), float(rng.uniform(1.5, 3.0)) * max(h, w) / 512)
    elif edit == "noise":
        img = np.clip(src.astype(np.float32) + rng.normal(0, rng.uniform(10, 20), src.shape), 0, 255).astype(np.uint8)
    elif edit == "text_overlay":
        img = _text(src, rng)
    elif edit == "sticker_overlay":
        img = _stickers(src, rng)
    elif edit == "shrink_into_other":
        img, region = _paste(src, rng, seed, (1.0, 1.0), (0.4, 0.65))
    elif edit == "pasted_region":
        img, region = _paste(src, rng, seed, (0.3, 0.5), (0.5, 0.8))
    elif edit == "artistic_filter":
        img = _artistic(src, rng)
    elif edit == "stacked":
        img = _jpeg(_text(_colour_jitter(_crop(src, rng, 0.8), rng), rng), 50)
    else:  # pragma: no cover
        raise ValueError(edit)
    return Query(source_index, edit, np.ascontiguousarray(img), region)


def negatives_for(source_index: int, n_sources: int, k: int = 8) -> list[int]:
    """``k`` unrelated sources for a query, fixed by the source index."""
    rng = np.random.default_rng(31_337 + source_index)
    others = [i for i in range(n_sources) if i != source_index]
    return [int(i) for i in rng.choice(others, size=min(k, len(others)), replace=False)]
