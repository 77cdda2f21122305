"""The sidebar: where the analysis stands, and save / resume as one file."""

from __future__ import annotations

import streamlit as st

from app import save
from app.state import Analysis, set_analysis
from app.ui import set_error, show_error

RESUME_KEY = "resume_upload"
_RESUMED_ID = "resume_seen_id"


def _status_lines(a: Analysis) -> list[str]:
    def mark(ok: bool) -> str:
        return ":material/check_circle:" if ok else ":material/radio_button_unchecked:"

    works = a.generated.ready and a.source.ready
    lines = [f"{mark(works)} Works {'ready' if works else 'needed'}"]
    if a.report is None:
        lines.append(f"{mark(False)} Evidence not measured yet")
    elif not a.evidence_current:
        lines.append(":material/warning: Evidence out of date (works changed)")
    else:
        lines.append(f"{mark(True)} Evidence measured ({a.report.kind})")
    if a.assessment is not None:
        from analysis.assess.models import OVERALL_LABELS

        lines.append(
            f"{mark(True)} Assessment: {OVERALL_LABELS.get(a.assessment.overall.label, a.assessment.overall.label)}"
        )
    return lines


def process_resume() -> None:
    """Read a saved analysis once per uploaded file; a bad file leaves the current one alone."""
    up = st.session_state.get(RESUME_KEY)
    if up is None or st.session_state.get(_RESUMED_ID) == up.file_id:
        return
    st.session_state[_RESUMED_ID] = up.file_id
    from analysis.errors import InputError

    try:
        loaded = save.loads(up.getvalue(), up.name)
    except InputError as exc:
        set_error("resume", str(exc))
        return
    set_error("resume", None)
    set_analysis(loaded)
    st.session_state["resume_ok"] = f"Resumed {up.name}."


def _start_over() -> None:
    set_analysis(Analysis())
    for key in ("memo_bundle", "memo_png", "ev_passage", "whatif_q"):
        st.session_state.pop(key, None)


def render_sidebar(a: Analysis) -> None:
    with st.sidebar:
        st.caption("Where you are")
        st.markdown("  \n".join(_status_lines(a)))
        with st.expander("Save or resume", icon=":material/save:", expanded=False):
            st.download_button(
                "Save the whole analysis",
                data=lambda: save.dumps(a),  # built on click, not on every rerun (works can be tens of MB)
                file_name=save.file_name(a),
                mime=save.SAVE_MIME,
                on_click="ignore",
                icon=":material/download:",
                key="save_download",
                help="One JSON file with both works, your answers, the evidence and the assessment.",
                width="stretch",
            )
            st.file_uploader(
                "Resume a saved analysis (.fairuse.json)",
                type=["json"],
                key=RESUME_KEY,
                help="Loads everything back: works, answers, evidence and assessment.",
                max_upload_size=200,
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
        st.caption(
            "Not legal advice: an aid to reasoning about 17 U.S.C. § 107. "
            "Everything runs on this computer; nothing is sent anywhere."
        )
