"""Small Streamlit helpers shared by the pages: step buttons, errors kept beside their input."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

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


# ------------------------------------------------------------------ a comparison cut short
COMPARE_RUNNING = "compare_running"
"""Set just before step 2 (or the memo's "Analyse the works again") starts a comparison, cleared as soon as it ends (done or failed).

Any rerun while it runs (another page, Back or Next, a click in the sidebar) makes Streamlit
abandon the run in progress at its next ``st`` call, by raising its own control exception, which
passes through (it is not an ``Exception``). So a run that finds this still set when it starts
follows one that was cut short mid-comparison. Nothing is written while the exception passes:
a stop request raises again at every ``st.session_state`` access, so the mark left behind is
the record."""

COMPARE_STOPPED = "compare_stopped"
"""The works whose comparison was cut short; the notice stays until they are compared or change."""

COMPARE_STOPPED_DISMISS = "compare_stopped_dismiss"


def _works_key(m) -> tuple[str, str, str, str]:
    return (m.generated.kind, m.generated.sha256, m.source.kind, m.source.sha256)


@contextmanager
def comparison_running(m) -> Iterator[None]:
    """Mark a comparison of these works as running (with the report it may replace) while the
    block runs. When it ends, done or failed with an error (its own message says which), the
    mark and any notice go; Streamlit's stop passes through (it is not an ``Exception``) and
    leaves the mark, for the next run to find."""
    st.session_state[COMPARE_RUNNING] = {"works": _works_key(m), "report": m.report}
    try:
        yield
    except Exception:
        _compare_ended()
        raise
    _compare_ended()


def _compare_ended() -> None:
    st.session_state.pop(COMPARE_RUNNING, None)
    st.session_state.pop(COMPARE_STOPPED, None)


def note_interrupted_compare() -> None:
    """At the start of every run: a comparison still marked running was cut short by this rerun."""
    from app.state import get_matter, reset_widgets

    running = st.session_state.pop(COMPARE_RUNNING, None)
    if running is None:
        return
    m = get_matter()
    if m.report is not running["report"] and m.evidence_current:
        # it did finish (the report is attached whole, at the end), but the run stopped before it
        # could clear the mark: let the question widgets seed again from the answers it pre-filled
        reset_widgets("w:q:")
        return
    st.session_state[COMPARE_STOPPED] = {"works": running["works"], "dismissed": False}


def compare_stopped_notice(m) -> str | None:
    """The words for a comparison of these very works that was cut short, if one was."""
    stopped = st.session_state.get(COMPARE_STOPPED)
    if stopped is None:
        return None
    if stopped["works"] != _works_key(m):  # the works changed (or another analysis was opened)
        st.session_state.pop(COMPARE_STOPPED, None)
        return None
    kept = (
        "the evidence from the earlier comparison is kept as it was" if m.report is not None else "nothing was measured"
    )
    return (
        "The comparison was stopped before it finished: you left the page (or clicked something else) "
        f"while it ran. Your works and answers are kept, and {kept}. Analyse the works again in "
        "step 2 to measure them, and stay on that page until it is done."
    )


def _dismiss_compare_stopped() -> None:
    stopped = st.session_state.get(COMPARE_STOPPED)
    if stopped is not None:
        st.session_state[COMPARE_STOPPED] = {**stopped, "dismissed": True}


def show_compare_stopped(m, *, on_evidence_page: bool) -> None:
    """Say that a comparison was cut short: beside the Analyse button in step 2, and at the top of
    every other page until dismissed there (step 2 keeps saying it until the works are analysed)."""
    msg = compare_stopped_notice(m)
    if msg is None:
        return
    if on_evidence_page:
        st.warning(msg, icon=":material/warning:")
        return
    if st.session_state[COMPARE_STOPPED].get("dismissed"):
        return
    st.warning(msg, icon=":material/warning:")
    c1, c2, _ = st.columns([1, 1, 3], vertical_alignment="center")
    c1.page_link("app_pages/evidence.py", label="Go to step 2, Evidence", icon=":material/compare:")
    c2.button("Dismiss", key=COMPARE_STOPPED_DISMISS, on_click=_dismiss_compare_stopped, type="tertiary")
