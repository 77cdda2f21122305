"""Small Streamlit helpers shared by the pages: step buttons, errors kept beside their input."""

from __future__ import annotations

import streamlit as st

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
        st.error(msg, icon=":material/error:")


def pct(x: float | None, digits: int = 0) -> str:
    return "not measured" if x is None else f"{x * 100:.{digits}f} %"


def stale_evidence_warning(analysis) -> None:
    """Say so when the works changed after the evidence was measured (answers may rest on it)."""
    if analysis.report is not None and not analysis.evidence_current:
        st.warning(
            "The works changed since the evidence was measured; measured answers may be out of date. "
            "Analyse again in step 2.",
            icon=":material/warning:",
        )
