"""The app survives any save file (issue #14), driven with AppTest: each hostile save file is
resumed from the sidebar and every page is drawn; each shows its content or a message, never
an exception or the internal-error message, and no Markdown from the file becomes active."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

streamlit = pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from app.pages_index import PAGES  # noqa: E402
from tests.hostile import cases  # noqa: E402
from tests.hostile_strings import OFF_MACHINE  # noqa: E402

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")
TIMEOUT = 180
ALL_PAGES = [p.path for p in PAGES]
FIGURE_PAGES = ["app_pages/evidence.py", "app_pages/memo.py"]
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
ACTIVE = re.compile(r"<(img|a|iframe|script|style|svg)\b", re.IGNORECASE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    streamlit.cache_resource.clear()
    streamlit.cache_data.clear()
    yield


def _render_md(source: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(source)


def _bodies(at: AppTest) -> list[str]:
    """Every piece of Markdown the page handed to Streamlit: text, captions, alerts, headings."""
    out: list[str] = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title", "header", "subheader"):
        for el in at.get(kind):
            body = getattr(el, "value", None) or getattr(el, "body", None)
            if isinstance(body, str):
                out.append(body)
    return out


def _ok(at: AppTest, where: str) -> None:
    from app.ui import INTERNAL_ERROR

    assert not at.exception, (where, [e.value for e in at.exception])
    assert not [e.value for e in at.error if INTERNAL_ERROR in e.value], where


def _resume(name: str, data: bytes) -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=TIMEOUT).run()
    at.file_uploader(key="resume_upload").set_value((f"{name}.fairuse.json", data, "application/json")).run()
    _ok(at, "resume")
    return at


@pytest.mark.slow
@pytest.mark.parametrize("name", list(cases.app_cases()))
def test_every_page_survives_a_hostile_save_file(name):
    data = cases.app_cases()[name]
    at = _resume(name, data)
    assert not [e.value for e in at.sidebar.error], [e.value for e in at.sidebar.error]  # it loaded
    pages = FIGURE_PAGES if name.startswith("figure") else ALL_PAGES
    for page in pages:
        at.switch_page(page).run()
        _ok(at, page)
        for body in _bodies(at):
            html = COMMENT.sub("", _render_md(body))  # the memo's header line is an HTML comment
            assert not ACTIVE.search(html), (page, body[:200], html[:300])
        if name.startswith("figure") and page.endswith("evidence.py"):
            assert any("this picture cannot be shown" in c.value for c in at.caption), page
            assert not at.get("imgs") or all(OFF_MACHINE not in str(i.proto) for i in at.get("imgs"))


def test_the_markdown_case_really_holds_active_markdown():
    """The control: unescaped, the hostile field would render an image and a link."""
    html = _render_md(cases.MD_HOSTILE)
    assert "<img" in html and "<a " in html and OFF_MACHINE in html


def test_a_save_file_refused_by_the_loader_is_one_message_and_keeps_the_analysis():
    at = AppTest.from_file(MAIN, default_timeout=TIMEOUT).run()
    at.text_area(key="w:generated:paste").set_value("Typed before the bad file.").run()
    bad = cases.dumps(cases.v1_with_assessment({"findings": [{"authorities": [{"case_id": "no_such_case"}]}]}))
    at.file_uploader(key="resume_upload").set_value(("bad.fairuse.json", bad, "application/json")).run()
    _ok(at, "resume")
    errors = [e.value for e in at.sidebar.error]
    assert len(errors) == 1 and "not in the case library" in errors[0], errors
    assert at.session_state["fairuse_analysis"].generated.text == "Typed before the bad file."
