"""The Streamlit settings the app runs with, in one table.

``fairuse app`` passes every one of them on the command line, so the app behaves the same
from an installed wheel (where no ``.streamlit/config.toml`` sits beside it) as from the
repository; ``.streamlit/config.toml`` holds the same values for ``streamlit run app/main.py``
(a test checks that the two agree). No Streamlit import here.
"""

from __future__ import annotations

from analysis import defaults

OPTIONS: dict[str, str | int | bool] = {
    # Private by default: no usage statistics leave the machine.
    "browser.gatherUsageStats": False,
    # Uploads: the same limit as every other input (analysis.defaults.MAX_FILE_BYTES, in MB);
    # the resume uploader raises its own limit to defaults.SAVE_FILE_MAX_MB (a saved analysis
    # carries both works).
    "server.maxUploadSize": defaults.MAX_FILE_BYTES // (1024 * 1024),
    "server.address": "localhost",
    "server.runOnSave": False,
    # Users see a plain message, never a stack trace (the trace goes to the terminal).
    "client.showErrorDetails": "none",
    "client.toolbarMode": "minimal",
    # Calm ink-blue accent on white; Streamlit's bundled fonts (nothing fetched remotely).
    "theme.base": "light",
    "theme.primaryColor": "#1f4e8c",
    "theme.backgroundColor": "#ffffff",
    "theme.secondaryBackgroundColor": "#f4f6fa",
    "theme.textColor": "#1b1b1f",
}


def _flag_value(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def streamlit_flags(*, port: int | None = None, headless: bool = True, address: str | None = None) -> list[str]:
    """``--section.option value`` pairs for ``streamlit run``: every option above, and the run's own."""
    options: dict[str, str | int | bool] = dict(OPTIONS)
    options["server.headless"] = headless
    if port is not None:
        options["server.port"] = port
    if address is not None:
        options["server.address"] = address
    flags: list[str] = []
    for key, value in options.items():
        flags += [f"--{key}", _flag_value(value)]
    return flags
