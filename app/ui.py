"""Small Streamlit helpers shared by the pages: step buttons, errors kept beside their input."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from analysis.escape import for_markdown
from app.pages_index import next_page, previous_page

ERR_PREFIX = "err:"


def step_buttons(this_page: str, *, next_label: str | None = None, disabled_reason: str | None = None) -> None:
    """ "Back" and "Next" at the foot of a step, so the flow leads without the sidebar."""
    prev, nxt = previous_page(this_page), next_page(this_page)
    st.divider()
    left, _, right = st.columns([1, 2, 1])
    if prev is not None and left.button(f"← {prev.title}", key=f"nav:prev:{this_page}", width="stretch"):
        st.switch_page(prev.path)
    if nxt is not None:
        label = next_label or f"{nxt.title} →"
        if right.button(
            label,
            key=f"nav:next:{this_page}",
            type="primary",
            width="stretch",
            disabled=disabled_reason is not None,
            help=disabled_reason,
        ):
            st.switch_page(nxt.path)


def set_error(where: str, message: str | None) -> None:
    """Remember an error for one input; it is drawn next to that input until fixed."""
    key = ERR_PREFIX + where
    if message:
        st.session_state[key] = message
    else:
        st.session_state.pop(key, None)


def show_error(where: str) -> None:
    msg = st.session_state.get(ERR_PREFIX + where)
    if msg:
        st.error(for_markdown(msg), icon=":material/error:")  # messages name files and values


def pct(x: float | None, digits: int = 0) -> str:
    """A share as the memo writes it (``analysis.figures.share``: one rounding everywhere)."""
    from analysis import figures

    return figures.share(x)


def process_upload(m, role: str) -> None:
    """Read a newly chosen file once; a bad one is refused beside its input and the previous work stays."""
    from analysis.errors import InputError

    up = st.session_state.get(f"up:{role}")
    seen_key = f"up_seen:{role}"
    if up is None or st.session_state.get(seen_key) == up.file_id:
        return
    st.session_state[seen_key] = up.file_id
    try:
        m.set_file(role, up.name, up.getvalue())
    except InputError as exc:  # the previous work stays
        set_error(f"{role}:input", str(exc))
        return
    set_error(f"{role}:input", None)
    st.session_state.pop(f"w:{role}:paste", None)


def process_uploads() -> None:
    """Both works' new uploads, before anything is drawn (the sidebar's status reads them)."""
    from app.state import get_matter

    m = get_matter()
    for role in ("generated", "source"):
        process_upload(m, role)


def stale_evidence_warning(matter) -> None:
    """Say so when the works changed after the evidence was measured (answers may rest on it)."""
    if matter.report is not None and not matter.evidence_current:
        st.warning(
            "The works changed since the evidence was measured: the old evidence is left out of the "
            "assessment and the memo, and answers pre-filled from it may be out of date. Analyse again in step 2.",
            icon=":material/warning:",
        )


INTERNAL_ERROR = "Something went wrong on this page (an internal error)"
"""The start of the message shown for an unexpected error (tests look for it)."""


def run_page(draw: Callable[[], object]) -> None:
    """Draw part of the app; an unexpected error becomes one message, not a stack trace.

    Streamlit's own control flow (rerun, stop, page switches) passes through: those are not
    ``Exception``s. The trace goes to the terminal running the app.
    """
    try:
        draw()
    except Exception as exc:
        import traceback

        traceback.print_exc()
        st.error(
            f"{INTERNAL_ERROR}: {type(exc).__name__}. Your works and answers are kept; "
            "save the analysis from the sidebar, and report the details printed in the terminal.",
            icon=":material/error:",
        )
