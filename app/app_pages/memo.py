"""Step 5 · Memo: audience and matter details, a preview, and the PDF, Markdown and JSON."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st

from analysis import labels
from analysis.matter import Matter
from analysis.report.memo import MemoBundle
from analysis.report.preview import first_page_png
from app import engines
from app.state import forget, get_matter, seed
from app.ui import comparison_running, set_error, show_error, step_buttons

THIS = "app_pages/memo.py"
AUDIENCES = labels.group("audience")
MEMO_KEY = "memo_bundle"
_REPORT_IDENTITY = {
    "schema_version",
    "tool_version",
    "created_at",
    "kind",
    "inputs",
    "models",
    "device",
    "thresholds",
    "facts",
    "summary",
}


@dataclass(frozen=True)
class _Built:
    """The memo last built in this session, and the state it was built from."""

    fingerprint: str
    bundle: MemoBundle


@dataclass(frozen=True)
class _Preview:
    fingerprint: str
    png: bytes | None  # None without poppler's pdftoppm


def strip_comments(markdown: str) -> str:
    """The Markdown twin without its HTML comments (the running header), which Streamlit would
    show as raw text; the downloaded file keeps them."""
    import re

    return re.sub(r"<!--.*?-->\n?", "", markdown, flags=re.S)


def _on_option(field: str) -> None:
    m = get_matter()
    value = st.session_state[f"w:memo:{field}"]
    setattr(m.memo_options, field, value.strip() if isinstance(value, str) else value)


def _fingerprint(m: Matter) -> str:
    h = hashlib.sha256()
    h.update(m.scenario.model_dump_json().encode())
    h.update(m.memo_options.model_dump_json().encode())
    # the current reports by what identifies them (a new comparison has a new time; its inputs
    # and facts), not by serialising their passages and figures on every rerun
    for r in m.current_reports:
        h.update(r.model_dump_json(include=_REPORT_IDENTITY).encode())
    return h.hexdigest()


def _rerun(m: Matter) -> None:
    """Measure the works again from here, with visible progress; the page then writes the memo."""
    from analysis.errors import FairUseError

    with st.status("Comparing the works again…", expanded=True) as status:
        bar = st.progress(0.0, text="Starting")

        def progress(frac: float, msg: str) -> None:
            bar.progress(min(max(float(frac), 0.0), 1.0), text=msg or "Working")

        try:
            # leaving the page while this runs abandons it: the next run says so (app.ui)
            with comparison_running(m):
                prefill = engines.compare(m, progress)
        except FairUseError as exc:
            status.update(label="The comparison could not run", state="error", expanded=True)
            set_error("memo_rerun", str(exc))
            return
        set_error("memo_rerun", None)
        forget([f"w:q:{qid}" for qid in prefill.touched])  # the factor widgets re-seed from the new answers
        status.update(label="Comparison done", state="complete", expanded=False)
    st.session_state["memo_rerun_done"] = "The works were compared again; the memo below uses the new evidence."
    st.rerun()


def _refuse_stale(m: Matter) -> None:
    """The evidence no longer matches the works: no memo is offered, a re-run is."""
    st.error(
        "The memo is not written from out-of-date evidence. A work changed after the comparison, so "
        "the passages, figures and input hashes measured then describe other works. Analyse the works "
        "again to write the memo from evidence that matches them.",
        icon=":material/block:",
    )
    if st.button("Analyse the works again", type="primary", key="memo_rerun", icon=":material/refresh:"):
        _rerun(m)
    show_error("memo_rerun")


def _not_ready(m: Matter) -> str | None:
    """Why there is no memo yet, or None when there can be one."""
    if not m.works_ready:
        return "Add both works in step 1 first: the memo is about how one uses the other."
    if not m.has_answers:
        return "Answer at least one question in the factor steps first (or analyse the works, which pre-fills some)."
    return None


def render() -> None:
    m = get_matter()
    st.title("5 · The memo")
    why = _not_ready(m)
    if why is not None:
        st.info(why, icon=":material/info:")
        step_buttons(THIS)
        return
    if m.stale_reports:
        _refuse_stale(m)
        step_buttons(THIS)
        return
    done = st.session_state.pop("memo_rerun_done", None)
    if done:
        st.success(done, icon=":material/check_circle:")
    left, right = st.columns([2, 3], gap="large")
    with left:
        for field in ("audience", "matter", "reviewer", "privileged", "judge_mode"):
            seed(f"w:memo:{field}", getattr(m.memo_options, field))
        st.radio(
            "Who will read it?",
            list(AUDIENCES),
            format_func=AUDIENCES.get,
            key="w:memo:audience",
            on_change=_on_option,
            args=("audience",),
        )
        st.text_input("Matter (printed in the header)", key="w:memo:matter", on_change=_on_option, args=("matter",))
        st.text_input(
            "Reviewer's name",
            key="w:memo:reviewer",
            on_change=_on_option,
            args=("reviewer",),
            help="Printed in the counsel memo's record.",
        )
        st.checkbox(
            "Privileged & Confidential banner",
            key="w:memo:privileged",
            on_change=_on_option,
            args=("privileged",),
            help="Prepared at the direction of counsel.",
        )
        if m.memo_options.audience == "student":
            st.checkbox(
                "“You be the judge”: court outcomes in an appendix",
                key="w:memo:judge_mode",
                on_change=_on_option,
                args=("judge_mode",),
            )
    fp = _fingerprint(m)
    cached: _Built | None = st.session_state.get(MEMO_KEY)
    if cached is None or cached.fingerprint != fp:
        with st.spinner("Writing the memo…"):
            cached = _Built(fp, m.build_memo())
        st.session_state[MEMO_KEY] = cached
    pdf, markdown, json_text = cached.bundle.pdf, cached.bundle.markdown, cached.bundle.json
    base = (m.memo_options.matter or m.scenario.title or "fairuse-memo").strip()
    base = "".join(ch if ch.isalnum() else "-" for ch in base).strip("-").lower()[:60] or "fairuse-memo"
    with left:
        st.subheader("Download")
        st.download_button(
            "Memo (PDF)",
            pdf,
            file_name=f"{base}.pdf",
            mime="application/pdf",
            on_click="ignore",
            type="primary",
            icon=":material/picture_as_pdf:",
            key="dl_pdf",
            width="stretch",
        )
        st.download_button(
            "Memo (Markdown, for screen readers and editing)",
            markdown,
            file_name=f"{base}.md",
            mime="text/markdown",
            on_click="ignore",
            icon=":material/article:",
            key="dl_md",
            width="stretch",
        )
        st.download_button(
            "Analysis (JSON)",
            json_text,
            file_name=f"{base}.json",
            mime="application/json",
            on_click="ignore",
            icon=":material/data_object:",
            key="dl_json",
            width="stretch",
        )
        st.caption(f"PDF: {len(pdf) / 1024:.0f} KB. The JSON holds the assessment, the evidence and these options.")
    with right:
        st.subheader("Preview")
        png: _Preview | None = st.session_state.get("memo_png")
        if png is None or png.fingerprint != fp:
            png = _Preview(fp, first_page_png(pdf))
            st.session_state["memo_png"] = png
        tab_page, tab_text = st.tabs(["First page", "Full text"])
        with tab_page:
            if png.png:
                st.image(png.png, caption="The memo's first page", width="stretch")
            else:
                st.caption("Install poppler (pdftoppm) to see the first page here.")
        with tab_text, st.container(height=640):
            st.markdown(strip_comments(markdown))
    step_buttons(THIS)


render()
