"""Model libraries speak only when something is wrong.

Loading a model makes Hugging Face's libraries print progress bars and a "load report" of
weights they did not use (for all-MiniLM-L6-v2, an ``embeddings.position_ids`` buffer that
every sentence-transformers checkpoint carries). A user of ``fairuse compare`` or the app
should see the tool's own lines, not that; errors still reach them. ``TRANSFORMERS_VERBOSITY``
set by the user wins.
"""

from __future__ import annotations

import os


def quiet_model_loading() -> None:
    """Silence loading bars and warnings of transformers (call just before loading a model)."""
    try:
        from transformers.utils import logging as hf_logging
    except Exception:  # pragma: no cover - transformers is a declared dependency
        return
    hf_logging.disable_progress_bar()
    if not os.environ.get("TRANSFORMERS_VERBOSITY"):
        hf_logging.set_verbosity_error()
