"""The real app in real Chromium on a hostile save file (issue #14): Markdown images and links
in every text field, resumed from the sidebar, every page drawn, and no request leaves this
machine (``page.on("request")`` records them all; off-machine ones are also aborted, so a leak
is seen without anything being sent). The control: the image case's works are fetched from the
local server, so image requests are seen at all."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from app.pages_index import PAGES
from tests.browser_helpers import chromium_path, launch_browser, resume_saved_analysis, running_app, settle, shot
from tests.hostile import cases
from tests.hostile_strings import OFF_MACHINE

pytestmark = [pytest.mark.browser, pytest.mark.slow]
sync_api = pytest.importorskip("playwright.sync_api")
LOCAL = ("127.0.0.1", "localhost")


def _local(url: str) -> bool:
    return url.startswith(("data:", "blob:", "about:")) or urlparse(url).hostname in LOCAL


def test_a_save_file_with_markdown_in_every_field_fetches_nothing_off_the_machine(tmp_path):
    if chromium_path() is None:
        pytest.skip("chromium is not installed")
    text_file = tmp_path / "hostile.fairuse.json"
    text_file.write_bytes(cases.dumps(cases.save_file()))
    image_file = tmp_path / "hostile-image.fairuse.json"
    image_file.write_bytes(cases.dumps(cases.image_save_file("pixel bomb")))
    requests: list[str] = []
    errors: list[str] = []
    with running_app() as url, sync_api.sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("**/*", lambda route: route.continue_() if _local(route.request.url) else route.abort())
        page.goto(url)
        page.get_by_role("heading", name="1 · The two works").wait_for(timeout=90_000)
        resume_saved_analysis(page, text_file)
        for info in PAGES:
            page.get_by_role("link", name=re.compile(re.escape(info.title))).first.click()
            settle(page)
            page.get_by_role("heading", name=re.compile(r"^(\d+b?|Factor \d) ·")).first.wait_for(timeout=90_000)
            settle(page)
            assert page.get_by_text("Something went wrong on this page").count() == 0, info.title
            shot(page, f"hostile-{info.url}")
        seen_before_images = len(requests)
        leaked = [u for u in requests if not _local(u) or OFF_MACHINE in u]
        assert leaked == [], f"requests off the machine from the text pages: {leaked}"
        page.get_by_role("link", name=re.compile(re.escape(PAGES[0].title))).first.click()
        page.get_by_role("heading", name="1 · The two works").wait_for(timeout=90_000)
        resume_saved_analysis(page, image_file)
        evidence = next(info for info in PAGES if info.url == "evidence")
        page.get_by_role("link", name=re.compile(re.escape(evidence.title))).first.click()
        settle(page)
        page.get_by_text("this picture cannot be shown").first.wait_for(timeout=60_000)
        page.get_by_text("The two images as given").first.click()
        settle(page)
        page.wait_for_function("() => [...document.images].some(i => i.src.includes('/media/') && i.complete)")
        shot(page, "hostile-evidence-images")
        browser.close()
    assert seen_before_images > 0
    media = [u for u in requests if "/media/" in u]
    assert media, "control: no image was requested from the local server, so a leak would not be seen"
    offsite = [u for u in requests if not _local(u) or OFF_MACHINE in u]
    assert offsite == [], offsite
    assert not errors, errors
