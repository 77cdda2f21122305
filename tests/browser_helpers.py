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
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    for cand in (os.environ.get("FAIRUSE_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                 shutil.which("chromium-browser")):
        if cand and Path(cand).is_file():
            return cand
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(timeout: float = 90.0) -> Iterator[str]:
    """Start ``streamlit run app/main.py`` on a free port; yield its URL; stop it after."""
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / "streamlit.log", "wb")
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "main.py"),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}; see {ARTIFACTS / 'streamlit.log'}")
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("streamlit did not become healthy in time")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)


def settle(page, timeout_ms: int = 120_000) -> None:
    """Wait until Streamlit has finished the current run (no 'Running…' status widget)."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms
    )
    page.wait_for_timeout(300)


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
