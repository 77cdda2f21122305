"""Private by default: nothing leaves the machine at analysis time.

Works may be privileged client material. Hugging Face libraries read ``HF_HUB_OFFLINE``
when ``huggingface_hub`` is first imported (design notes §4), so this must run before any
model code is imported. A user who wants to fetch a hub model once sets
``FAIRUSE_ALLOW_DOWNLOADS=1`` for that run; the analysis itself never sends the works anywhere.
"""

from __future__ import annotations

import os

_OFFLINE_VARS = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")


def downloads_allowed() -> bool:
    return os.environ.get("FAIRUSE_ALLOW_DOWNLOADS", "").strip().lower() in {"1", "true", "yes"}


def enforce_offline() -> None:
    """Set the offline switches of the model libraries unless downloads were allowed."""
    if downloads_allowed():
        return
    for var in _OFFLINE_VARS:
        os.environ.setdefault(var, "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("DO_NOT_TRACK", "1")
