"""The app speaks in labels: no field names, enum codes, dotted paths, bracketed markers or
Python exception names on any page, for a text and an image sample, analysed, on every step.

The same check as the memo's (``tests/test_memo_readers.leaks``), applied to every piece of text
the app draws: headings, paragraphs, captions, messages, widget labels, options and help.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("streamlit")
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.test_memo_readers import leaks

MAIN = str(Path(__file__).resolve().parent.parent / "app" / "main.py")
TIMEOUT = 180
PAGES = ["works", "protection", "evidence", "factor_1", "factor_2", "factor_3", "factor_4", "assessment", "memo"]
_TAG = re.compile(r"<style.*?</style>|<[^>]+>", re.S)
_ICON = re.compile(r":material/[a-z0-9_]+:")  # drawn as an icon, not read as text
# the save file's extension is named to the user on purpose: it is the file they keep
ALLOWED = {".fairuse.json"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def _strings(node) -> list[str]:
    """Every text a reader sees in one element or block (and its children)."""
    from streamlit.testing.v1.element_tree import Widget

    out: list[str] = []
    # a widget's value is the program's (an option's code); what the reader sees is its label
    # and its options' labels
    attrs = (
        ("label", "help", "placeholder") if isinstance(node, Widget) else ("value", "label", "body", "help", "caption")
    )
    for attr in attrs:
        try:
            v = getattr(node, attr, None)
        except Exception:  # some elements compute these lazily from a proto they lack
            v = None
        if isinstance(v, str):
            out.append(_ICON.sub(" ", _TAG.sub(" ", v)))
    try:
        opts = getattr(node, "options", None)
    except Exception:
        opts = None
    if isinstance(opts, (list, tuple)):
        out += [str(o) for o in opts]
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            out += _strings(child)
    return out


def _page_text(at: AppTest) -> str:
    return "\n".join(_strings(at._tree))


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("sample_id", ["text-close-paraphrase", "image-pasted-region"])
def test_no_internal_names_on_any_page(sample_id):
    at = _ok(AppTest.from_file(MAIN, default_timeout=TIMEOUT).run())
    at.selectbox(key="sample_pick").set_value(sample_id).run()
    at.button(key="sample_load").click().run()
    from analysis.samples import list_samples

    title = next(c.title for c in list_samples() if c.id == sample_id)
    said = [x.value for x in at.success if "Loaded the sample case" in x.value]
    assert said and title in said[0].replace("\\", "") and sample_id not in said[0], said  # its title, not its folder
    _ok(at.switch_page("app_pages/evidence.py").run())
    at.button(key="analyse").click().run(timeout=TIMEOUT)
    _ok(at)
    m = at.session_state["fairuse_analysis"]
    assert m.evidence_current, "the sample was not analysed: the pages below would show little"
    allowed = set(ALLOWED) | {w.name for w in (m.generated, m.source) if w.name}
    allowed |= {w.title for w in (m.generated, m.source) if w.title}
    bad: dict[str, list[str]] = {}
    seen = 0
    for page in PAGES:
        _ok(at.switch_page(f"app_pages/{page}.py").run())
        text = _page_text(at)
        seen += len(text)
        found = leaks(text, allowed)
        if found:
            bad[page] = found
    assert seen > 5000, "the pages drew almost no text: the check would test nothing"
    assert not bad, "\n".join(f"{p}: {f}" for p, f in bad.items())
