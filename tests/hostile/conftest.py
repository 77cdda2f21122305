"""The hostile suite's switches: the 50 MB and 150 MB cases run only with FAIRUSE_HUGE_TESTS=1."""

from __future__ import annotations

import os

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "huge: writes inputs of 50 MB or more (FAIRUSE_HUGE_TESTS=1 to run)")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("FAIRUSE_HUGE_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="a huge input: set FAIRUSE_HUGE_TESTS=1 to run it")
    for item in items:
        if "huge" in item.keywords:
            item.add_marker(skip)
