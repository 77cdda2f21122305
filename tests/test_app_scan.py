"""The app's Scan page: AppTest drives the page (index, ranked table, open a row), and the
real app in Chromium uploads a work, scans it and opens the top row as a full analysis."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analysis.index.build import build_index
from analysis.scan.scan import scan_works
from tests.index_helpers import SAMPLES, sample_catalogue, tiny_static_model

MAIN = str(Path(__file__).resolve().parent.parent / "app" / "main.py")


@pytest.fixture(scope="module")
def scan_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("scanapp")
    static = tiny_static_model(root / "static")
    old = os.environ.get("FAIRUSE_STATIC_MODEL")
    os.environ["FAIRUSE_STATIC_MODEL"] = str(static)
    build_index([sample_catalogue(root / "catalogue")], root / "index")
    yield root / "index"
    if old is None:
        os.environ.pop("FAIRUSE_STATIC_MODEL", None)
    else:
        os.environ["FAIRUSE_STATIC_MODEL"] = old


@pytest.fixture(autouse=True)
def _fresh_cache():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def test_scan_page_shows_the_index_the_ranked_table_and_opens_a_row(scan_index):
    at = AppTest.from_file(MAIN, default_timeout=120)
    at.run()
    at.switch_page("app_pages/scan.py").run()
    assert not at.exception
    at.text_input(key="fu_scan_index").set_value(str(scan_index / "missing")).run()
    assert any("no index at" in e.value for e in at.error)
    at.text_input(key="fu_scan_index").set_value(str(scan_index)).run()
    assert any("Index of 8 works" in s.value for s in at.success)
    # the scan itself (uploads are the browser test's part): its result in the page's state
    work = SAMPLES / "image-pasted-region" / "generated.jpg"
    result = scan_works([work], scan_index, top=2)
    at.session_state["fu_scan_result"] = result
    at.session_state["fu_scan_uploads"] = {str(work): ("my picture.jpg", work.read_bytes())}
    at.run()
    assert not at.exception
    # Markdown-escaped as shown ("my picture\\.jpg"): compared without the escapes
    assert any("my picture.jpg" in m.value.replace("\\", "") and "flagged" in m.value for m in at.markdown)
    table = at.dataframe[0].value
    assert list(table["rank"]) == [1, 2] and table["candidate"][0] == "image-pasted-region"
    assert table["verdict"][0] == "partial-copy"
    at.button(key="fu_scan_open").click().run()  # the first row is picked by default
    assert not at.exception
    analysis = at.session_state["fairuse_analysis"]
    assert analysis.generated.name == "my picture.jpg" and analysis.generated.kind == "image"
    assert analysis.source.title == "image-pasted-region" and analysis.source.data


@pytest.mark.browser
@pytest.mark.slow
def test_scan_page_in_the_browser(scan_index):
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.browser_helpers import chromium_path, launch_browser, running_app, settle, shot

    if chromium_path() is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with running_app() as url, sync_api.sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url + "/scan")
        page.get_by_role("heading", name="Scan a catalogue").wait_for(timeout=60_000)
        page.get_by_label("Index folder").fill(str(scan_index))
        page.get_by_label("Index folder").press("Enter")
        settle(page)
        page.get_by_text("Index of 8 works").wait_for(timeout=30_000)
        page.locator('[data-testid="stFileUploader"]', has_text="Works to scan").locator(
            'input[type="file"]'
        ).set_input_files(
            [
                str(SAMPLES / "text-regurgitation" / "generated.txt"),
                str(SAMPLES / "image-mirrored-duplicate" / "generated.jpg"),
            ]
        )
        settle(page)
        page.get_by_role("button", name="Scan").click()
        page.get_by_role("heading", name="Ranked candidates").wait_for(timeout=240_000)
        settle(page)
        page.get_by_text(re.compile(r"\d+ candidates? compared, 1 flagged")).first.wait_for(timeout=30_000)
        assert page.get_by_text(re.compile(r"\d+ candidates? compared")).count() == 2
        shot(page, "scan-page")
        page.get_by_role("button", name="Open as a full analysis →").click()
        settle(page)
        page.get_by_role("heading", name="2 · Evidence").or_(page.get_by_text("Analyse the works")).first.wait_for(
            timeout=60_000
        )
        assert all(r.startswith(url) or r.startswith("data:") or r.startswith("blob:") for r in requests), [
            r for r in requests if not r.startswith(url)
        ]
        browser.close()
