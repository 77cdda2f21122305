"""The sidebar: where the analysis stands, and save / resume as one file (the matter's own)."""

from __future__ import annotations

import streamlit as st

from analysis import defaults, labels
from analysis.escape import for_markdown
from analysis.matter import SAVE_MIME, Matter
from app.state import get_matter, set_matter
from app.ui import COMPARE_STOPPED, set_error, show_error

RESUME_KEY = "resume_upload"
_RESUMED_ID = "resume_seen_id"


def _status_lines(m: Matter) -> list[str]:
    def mark(ok: bool) -> str:
        return ":material/check_circle:" if ok else ":material/radio_button_unchecked:"

    works = m.works_ready
    lines = [f"{mark(works)} Works {'ready' if works else 'needed'}"]
    if m.report is None:
        lines.append(f"{mark(False)} Evidence not measured yet")
    elif not m.evidence_current:
        lines.append(":material/warning: Evidence out of date (works changed)")
    else:
        lines.append(f"{mark(True)} Evidence measured ({labels.label('kind', m.report.kind)})")
    if m.ready_for_assessment:  # without the works and an answer there is no result to claim yet
        lines.append(f"{mark(True)} Assessment: {labels.headline(m.assessment)}")
    elif works:
        lines.append(f"{mark(False)} Assessment: answer a question first")
    else:
        lines.append(f"{mark(False)} Assessment: works needed first")
    return lines


def process_resume() -> None:
    """Read a saved analysis once per uploaded file; a bad file leaves the current one alone."""
    up = st.session_state.get(RESUME_KEY)
    if up is None or st.session_state.get(_RESUMED_ID) == up.file_id:
        return
    st.session_state[_RESUMED_ID] = up.file_id
    from analysis.errors import InputError

    try:
        loaded = Matter.loads(up.getvalue(), up.name)
    except InputError as exc:
        set_error("resume", str(exc))
        return
    set_error("resume", None)
    set_matter(loaded)
    st.session_state.pop(COMPARE_STOPPED, None)  # a comparison cut short belonged to the analysis replaced
    st.session_state["resume_ok"] = for_markdown(f"Resumed {up.name}.")
    if loaded.stale_reports:
        st.session_state["resume_stale"] = for_markdown(
            f"{up.name}: its comparison report does not match its works (a work changed after the comparison), "
            "so the evidence is left out of the assessment and the memo. Analyse again in step 2."
        )


def _start_over() -> None:
    set_matter(Matter.new())
    for key in (COMPARE_STOPPED, "memo_bundle", "memo_png", "ev_passage", "whatif_q"):
        st.session_state.pop(key, None)


def render_sidebar() -> None:
    m = get_matter()
    with st.sidebar:
        st.caption("Where you are")
        st.markdown("  \n".join(_status_lines(m)))
        with st.expander("Save or resume", icon=":material/save:", expanded=False):
            st.download_button(
                "Save the whole analysis",
                data=m.dumps,  # built on click, not on every rerun (works can be tens of MB)
                file_name=m.file_name(),
                mime=SAVE_MIME,
                on_click="ignore",
                icon=":material/download:",
                key="save_download",
                help="One JSON file with both works, your answers, the evidence, the memo options and your notes.",
                width="stretch",
            )
            st.file_uploader(
                "Resume a saved analysis (.fairuse.json)",
                type=["json"],
                key=RESUME_KEY,
                help="Loads everything back: works, answers, evidence and memo options; the assessment is "
                "worked out again from them.",
                max_upload_size=defaults.SAVE_FILE_MAX_MB,
            )
            show_error("resume")
            st.button(
                "Start a new analysis",
                key="new_analysis",
                on_click=_start_over,
                icon=":material/restart_alt:",
                help="Clears both works, the answers and the results (save first to keep them).",
                type="tertiary",
            )
            ok = st.session_state.pop("resume_ok", None)
            if ok:
                st.success(ok, icon=":material/check_circle:")
            stale = st.session_state.pop("resume_stale", None)
            if stale:
                st.warning(stale, icon=":material/warning:")
        st.caption(
            "Not legal advice: an aid to reasoning about 17 U.S.C. § 107. "
            "Everything runs on this computer; nothing is sent anywhere."
        )
