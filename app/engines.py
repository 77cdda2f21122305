"""The app's one wrapper around the library: the text model, loaded once per server.

The pages call the ``Matter`` (``analysis.matter``) for everything else. Comparing goes
through here only so that the sentence-embedding model is cached by ``st.cache_resource``
(shared by every session of this server) instead of loaded on every click.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from analysis.matter import Matter, Prefill


@st.cache_resource(show_spinner="Loading the text model (once per session of the app)…")
def text_model(device: str = "auto") -> Any:
    """The sentence-embedding model, loaded once and shared by every session of this server."""
    from analysis.measure.text.embeddings import load_text_model

    return load_text_model(None, device)


def analysis_from_sample(sample_id: str) -> Matter:
    """``Matter.from_sample``, under the name benchmarks/bench_app.py still imports (its owner
    moves it to ``Matter.from_sample``; then this goes)."""
    return Matter.from_sample(sample_id)


def compare(matter: Matter, progress: Callable[[float, str], None] | None = None) -> Prefill:
    """``matter.compare`` with the cached text model (images need none)."""
    embedder = None
    if matter.generated.kind == "text" and matter.works_ready and matter.source.kind == "text":
        if progress:
            progress(0.0, "Loading the text model")
        embedder = text_model()
    return matter.compare(progress=progress, embedder=embedder)
