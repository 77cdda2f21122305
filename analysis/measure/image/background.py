"""The background set: unrelated images against which style and composition are judged.

A style distance or an SSIM value means little on its own; "closer than 96 % of unrelated
pairs" means something. The set is made of images we may ship and rebuild anywhere:

* scikit-image's bundled photographs and textures whose docstrings state CC0 or public
  domain (``benchmarks/imagegen/free_images.py`` lists them with the licence words);
* pictures the project draws itself (``benchmarks/imagegen/synthetic.py``), seeds fixed
  in ``benchmarks/imagegen/background_build.py``.

Only the *statistics* are shipped (``data/background.json``): the sorted style distances and
SSIM values over all unrelated pairs, plus the pHash and guarded-SIFT figures on the same
pairs that document the near-duplicate and region thresholds. Rebuild with
``python -m benchmarks.imagegen.background_build`` (about a minute on one core); the
product only reads the file.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "background.json"


@lru_cache(maxsize=1)
def load() -> dict:
    """The shipped statistics (read once)."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))
