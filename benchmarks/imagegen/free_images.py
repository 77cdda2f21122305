"""Photographs and textures bundled with scikit-image that we may use and rebuild anywhere.

Only pictures whose docstrings state CC0 or public domain are listed (``cat`` is the same
photograph as ``chelsea`` and is left out). ``FREE_SKIMAGE_IMAGES`` is what the shipped
background statistics and the first copy-detection benchmark were built from;
``FRESH_SKIMAGE_IMAGES`` were used by neither and are kept for held-out evaluation
(``benchmarks/copydetect``). ``microaneurysms`` (CC0) is left out: at 102 x 102 pixels it is
too small for the edits.
"""

from __future__ import annotations

import numpy as np

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

# bundled (no download) and free, but in neither the background set nor the first benchmark
FRESH_SKIMAGE_IMAGES: dict[str, str] = {
    "coins": "No known copyright restrictions.",
    "immunohistochemistry": "No known copyright restrictions.",
}


def skimage_image(name: str) -> np.ndarray:
    """A bundled scikit-image picture as 8-bit RGB (grey pictures repeated on three channels)."""
    import skimage.data
    from skimage.util import img_as_ubyte

    arr = getattr(skimage.data, name)()
    arr = img_as_ubyte(arr)
    if arr.ndim == 2:
        arr = np.repeat(arr[..., None], 3, axis=2)
    return np.ascontiguousarray(arr[..., :3])
