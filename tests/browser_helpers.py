"""Run the real app on localhost and drive it with Playwright in Debian's Chromium.

Playwright's own browser download does not work here, so the browser is the system
``/usr/bin/chromium`` (``FAIRUSE_CHROMIUM`` overrides). Tests skip cleanly when it or
Playwright is absent.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    for cand in (
        os.environ.get("FAIRUSE_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if cand and Path(cand).is_file():
            return cand
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(timeout: float = 90.0, script: Path | None = None) -> Iterator[str]:
    """Start ``streamlit run app/main.py`` (or ``script``) with the app's settings on a free port; yield its URL.

    Each app logs to its own file (``streamlit-PORT.log``), so parallel test workers never share one.
    """
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / f"streamlit-{port}.log"
    from app.config import streamlit_flags

    # the settings `fairuse app` passes (app/config.py), on a free port, not watching files
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script or ROOT / "app" / "main.py"),
        *streamlit_flags(port=port, headless=True, address="127.0.0.1"), "--server.fileWatcherType", "none",
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited with {proc.returncode}; see {log_path}")
                try:
                    with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                        if resp.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("streamlit did not become healthy in time")
                time.sleep(0.2)  # polling a health endpoint: waits on state, bounded by the deadline
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)


def open_works_page(playwright, url: str):
    """A fresh browser on the app's first page, settled: (browser, page, errors), where errors
    collects the page's uncaught JavaScript errors."""
    browser = launch_browser(playwright)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.get_by_role("heading", name="1 · The two works").wait_for(timeout=60_000)
    settle(page)
    return browser, page, errors


def settle(page, timeout_ms: int = 120_000) -> None:
    """Wait until Streamlit has finished the current run.

    Waits on the state Streamlit itself publishes (``stApp``'s ``data-test-script-state`` back to
    ``notRunning``, no "Running..." status widget, no element still marked stale), not on time.
    Callers then wait for the element they expect to see.
    """
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            if (!app) return false;
            const state = app.getAttribute('data-test-script-state');
            if (state !== 'notRunning' && state !== 'initial') return false;
            if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
            return !document.querySelector('[data-stale="true"]');
        }""",
        timeout=timeout_ms,
    )


def shot(page, name: str, max_height: int = 5000) -> Path:
    """A screenshot of the whole page under tests/artifacts/.

    Streamlit scrolls inside its main container, not the document, so a "full page"
    screenshot would stop at the window: grow the window to the content's height first.
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = page.viewport_size or {"width": 1400, "height": 900}
    height = page.evaluate(
        """() => { let h = document.body.scrollHeight;
                   for (const el of document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"], [data-testid="stMainBlockContainer"], section'))
                       h = Math.max(h, el.scrollHeight);
                   return h; }"""
    )
    page.set_viewport_size({"width": size["width"], "height": min(max(int(height) + 40, size["height"]), max_height)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path


def shot_view(page, name: str, anchor_text: str | None = None, height: int | None = None) -> Path:
    """A window-sized screenshot, scrolled so ``anchor_text`` (a heading) is near the top."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if anchor_text:
        page.get_by_role("heading", name=anchor_text).first.scroll_into_view_if_needed()
        page.evaluate(
            """(t) => { const h = [...document.querySelectorAll('h1,h2,h3')].find(e => e.textContent.includes(t));
                        if (h) h.scrollIntoView({block: 'start'}); }""",
            anchor_text,
        )
    size = page.viewport_size or {"width": 1400, "height": 900}
    if height:
        page.set_viewport_size({"width": size["width"], "height": height})
    page.wait_for_timeout(600)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path


def wait_for_in_any_frame(page, selector: str, timeout_ms: int = 60_000) -> int:
    """Wait until ``selector`` matches at least one element in the page or any of its frames.

    Streamlit renders ``st.html`` inline in some releases and inside an iframe in others, so
    a locator on the main frame alone can miss what the user sees. Returns the count found;
    raises ``TimeoutError`` (the test fails) when nothing appears before the deadline.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        for frame in page.frames:
            try:
                n = frame.locator(selector).count()
            except Exception:  # a frame detached while we looked: look again
                continue
            if n:
                return n
        if time.monotonic() > deadline:
            raise TimeoutError(f"{selector!r} did not appear in any frame within {timeout_ms} ms")
        page.wait_for_timeout(100)


def resume_saved_analysis(page, path: Path, expect_text: str | None = None) -> None:
    """Open a saved analysis (.fairuse.json) through the sidebar's "Save or resume" uploader.

    Returns once the app has answered this upload: by default its "Resumed <name>" message,
    else ``expect_text`` (an error the caller expects). Waiting on the answer, not on the
    script state alone, matters: right after the upload the script may not have started its
    run yet, and a click elsewhere then would race the resume.
    """
    settle(page)  # a run still drawing the page could replace the uploader under the upload
    expander = page.get_by_text("Save or resume")
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Resume a saved analysis")
    if not uploader.first.is_visible():
        expander.click()
    uploader.first.wait_for(state="visible", timeout=30_000)
    uploader.locator("input[type=file]").set_input_files(path)
    # The "Resumed" line is drawn by one run only (the next run clears it), and it may sit in a
    # collapsed expander: look for it in the document's text on every animation frame, so a
    # short-lived answer is not missed between two polls.
    page.wait_for_function(
        "(t) => document.body.textContent.includes(t)",
        arg=expect_text or f"Resumed {path.name}",
        polling="raf",
        timeout=90_000,
    )
    settle(page)
