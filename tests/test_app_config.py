"""``fairuse app`` runs the same from an installed wheel as from the repository: its Streamlit
settings (usage statistics off, the upload limit, no stack traces for users) are passed on the
command line from one table, which ``.streamlit/config.toml`` repeats for ``streamlit run``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from analysis.cli import app_command
from app.config import OPTIONS, streamlit_flags
from tests.browser_helpers import ROOT, chromium_path, free_port, launch_browser, settle, shot


def test_the_repository_config_file_says_what_the_command_passes():
    tomllib = pytest.importorskip("tomllib")
    with open(ROOT / ".streamlit" / "config.toml", "rb") as fh:
        toml = tomllib.load(fh)
    flat = {f"{section}.{key}": value for section, values in toml.items() for key, value in values.items()}
    flat.pop("server.headless")  # the file is for tests and `streamlit run`; `fairuse app` opens a browser
    assert flat == OPTIONS
    assert OPTIONS["browser.gatherUsageStats"] is False
    assert OPTIONS["client.showErrorDetails"] == "none"
    assert OPTIONS["server.maxUploadSize"] == 20


def test_fairuse_app_passes_every_setting_explicitly():
    cmd = app_command(port=8599, headless=True)
    assert cmd[1:4] == ["-m", "streamlit", "run"] and Path(cmd[4]).name == "main.py" and Path(cmd[4]).is_absolute()
    flags = dict(zip(cmd[5::2], cmd[6::2]))
    for key, value in OPTIONS.items():
        expected = ("true" if value else "false") if isinstance(value, bool) else str(value)
        assert flags[f"--{key}"] == expected, key
    assert flags["--server.port"] == "8599" and flags["--server.headless"] == "true"
    assert app_command(headless=False)[app_command(headless=False).index("--server.headless") + 1] == "false"
    assert streamlit_flags(address="127.0.0.1")[streamlit_flags(address="127.0.0.1").index("--server.address") + 1] == (
        "127.0.0.1"
    )


def _build_wheel(folder: Path) -> Path:
    pytest.importorskip("hatchling", reason="building the wheel needs hatchling (pip install hatchling)")
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(folder), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    (wheel,) = folder.glob("fairuse-*.whl")
    return wheel


@pytest.mark.slow
@pytest.mark.browser
def test_fairuse_app_from_an_installed_wheel_runs_with_its_settings(tmp_path):
    """Build the wheel, install it into a folder of its own, start ``fairuse app`` from a folder
    with no config file, and look: the works uploader's limit is 20 MB (Streamlit's own default
    is 200 MB), nothing is fetched from off the machine, and the bundled templates make a memo."""
    if chromium_path() is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    wheel = _build_wheel(tmp_path / "dist")
    site = tmp_path / "site"
    r = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"  # no .streamlit/ here, and not the repository
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(site), HOME=str(tmp_path), HF_HUB_OFFLINE="1")
    env.pop("FAIRUSE_DEBUG", None)
    where = subprocess.run(
        [sys.executable, "-c", "import analysis, app; print(analysis.__file__); print(app.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert all(line.startswith(str(site)) for line in where.stdout.split()), where.stdout + where.stderr

    memo = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis.cli",
            "memo",
            str(ROOT / "samples/scenarios/classroom_excerpt.yaml"),
            "-o",
            "m.pdf",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert memo.returncode == 0, memo.stderr
    assert (elsewhere / "m.pdf").read_bytes().startswith(b"%PDF-")

    port = free_port()
    log = open(tmp_path / "app.log", "wb")  # noqa: SIM115 (closed below, after the process)
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis.cli", "app", "--headless", "--port", str(port)],
        cwd=elsewhere,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, (tmp_path / "app.log").read_text(errors="replace")
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the app did not start"
            time.sleep(0.2)  # polling a health endpoint: waits on state, bounded by the deadline
        with sync_api.sync_playwright() as p:
            browser = launch_browser(p)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            requests: list[str] = []
            page.on("request", lambda req: requests.append(req.url))
            page.goto(url)
            page.get_by_role("heading", name="1 · The two works").wait_for(timeout=60_000)
            settle(page)
            # the generated work's own radio group (two groups on the page offer "Upload a file")
            page.get_by_role("radiogroup", name="How to add the generated work").get_by_text("Upload a file").click()
            settle(page)
            uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Generated work: file")
            uploader.wait_for(timeout=30_000)
            limit = uploader.inner_text()
            shot(page, "07-wheel-app-works")
            browser.close()
        assert re.search(r"(^|\s)20\s?MB per file", limit), limit
        offsite = [u for u in requests if not u.startswith(url) and not u.startswith(("data:", "blob:"))]
        assert not offsite, offsite[:5]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    # terminating `fairuse app` stops the app itself: nothing is left serving on its port
    # (the process has exited, so the port answers or refuses at once; no waiting on time)
    with pytest.raises(OSError):
        urllib.request.urlopen(url + "/_stcore/health", timeout=5)
