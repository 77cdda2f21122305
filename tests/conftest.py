"""Shared pytest fixtures. Keep this file tiny and generic."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def text_model():
    """The real offline default sentence-embedding model, loaded once per test session."""
    from analysis.measure.text.embeddings import load_text_model

    return load_text_model(device="cpu")
