"""Rebuild the image sample cases' pictures (``samples/image-*/``) from free sources.

    python -m benchmarks.imagegen.samples_build

Sources are scikit-image's bundled photographs whose docstrings say CC0 / public domain
(see ``free_images.FREE_SKIMAGE_IMAGES``) and pictures the project draws (``synthetic``).
Every edit is deterministic, so the committed files can be checked against a rebuild.
Files are kept small (JPEG/PNG, at most 768 px, well under 300 KB).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from benchmarks.imagegen import synthetic
from benchmarks.imagegen.free_images import skimage_image


def _save_jpeg(rgb: np.ndarray, path: Path, quality: int = 88) -> None:
    from PIL import Image

    Image.fromarray(rgb).save(path, format="JPEG", quality=quality, optimize=True)


def _save_png(rgb: np.ndarray, path: Path) -> None:
    from PIL import Image

    Image.fromarray(rgb).save(path, format="PNG", optimize=True)


def recoloured_crop() -> tuple[np.ndarray, np.ndarray]:
    """Source: the astronaut portrait (public domain). Generated: a crop of about 45 % of it,
    recoloured to a warm duotone and enlarged, as an image generator's 'variation' might."""
    import cv2

    src = skimage_image("astronaut")
    crop = src[40:380, 80:440]
    hsv = cv2.cvtColor(crop, cv2.COLOR_RGB2HSV).astype(np.int32)
    hsv[..., 0] = (hsv[..., 0] + 12) % 180
    hsv[..., 1] = np.clip(hsv[..., 1] * 1.3 + 20, 0, 255)
    warm = cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2RGB).astype(np.float32)
    warm = np.clip(warm * [1.08, 0.98, 0.85] + [10, 0, -5], 0, 255).astype(np.uint8)
    gen = cv2.resize(warm, (540, 510), interpolation=cv2.INTER_CUBIC)
    return gen, src


def pasted_region() -> tuple[np.ndarray, np.ndarray]:
    """Source: the coffee-cup photograph (CC0). Generated: a drawn landscape with the cup
    cut from the photograph and pasted, smaller, into its lower right."""
    import cv2

    src = skimage_image("coffee")  # 400 x 600
    gen = synthetic.landscape(2024, (640, 480))
    piece = src[30:330, 140:470]  # the cup and saucer
    piece = cv2.resize(piece, (264, 240), interpolation=cv2.INTER_AREA)
    gen[210:450, 340:604] = piece
    return gen, src


def same_style() -> tuple[np.ndarray, np.ndarray]:
    """Two paintings drawn by the project in one style (palette and brushwork), with
    different compositions: the 'in the style of' case."""
    gen = synthetic.painting(71, (512, 512), palette="impression", stroke=(6, 26))
    src = synthetic.painting(42, (512, 512), palette="impression", stroke=(6, 26))
    return gen, src


def mirrored_duplicate() -> tuple[np.ndarray, np.ndarray]:
    """Source: the Chelsea cat photograph (CC0). Generated: the same photograph mirrored,
    slightly brightened and re-saved as a smaller JPEG."""
    import cv2

    src = skimage_image("chelsea")
    gen = np.ascontiguousarray(src[:, ::-1])
    gen = np.clip(gen.astype(np.float32) * 1.1 + 8, 0, 255).astype(np.uint8)
    gen = cv2.resize(gen, (360, 240), interpolation=cv2.INTER_AREA)
    return gen, src


CASES = {
    "image-recoloured-crop": (recoloured_crop, "generated.jpg", "source.jpg"),
    "image-pasted-region": (pasted_region, "generated.jpg", "source.jpg"),
    "image-same-style": (same_style, "generated.jpg", "source.jpg"),
    "image-mirrored-duplicate": (mirrored_duplicate, "generated.jpg", "source.jpg"),
}


def build(root: Path) -> None:
    for folder, (fn, gname, sname) in CASES.items():
        d = root / folder
        d.mkdir(parents=True, exist_ok=True)
        gen, src = fn()
        for arr, name in ((gen, gname), (src, sname)):
            (_save_png if name.endswith(".png") else _save_jpeg)(arr, d / name)


if __name__ == "__main__":  # pragma: no cover
    from analysis.resources import samples_dir

    build(samples_dir())
    print("rebuilt", ", ".join(CASES))
