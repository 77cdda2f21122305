"""Step 2 · Evidence: measure how the works relate, and show it.

Similarity is evidence, not a verdict: this page shows what was found and what each number
means; the factor steps decide what it weighs (factor 3's amount and heart, factor 4's
substitution), never factor 1 (Warhol).
"""

from __future__ import annotations

import time

import streamlit as st

from analysis import figures, labels
from analysis.errors import FairUseError
from analysis.escape import for_markdown
from analysis.evidence import ComparisonReport
from analysis.matter import Matter
from app import components as ui_html
from app import engines
from app.state import forget, get_matter
from app.ui import comparison_running, pct, set_error, show_compare_stopped, show_error, step_buttons

THIS = "app_pages/evidence.py"


def _run(m: Matter) -> None:
    """Compare with visible progress; errors land next to the button, the works stay."""
    with st.status("Comparing the works…", expanded=True) as status:
        bar = st.progress(0.0, text="Starting")
        t0 = time.perf_counter()

        def progress(frac: float, msg: str) -> None:
            bar.progress(min(max(float(frac), 0.0), 1.0), text=msg or "Working")

        # Leaving the page (or any click) while this runs makes Streamlit abandon the run: its
        # exception passes through, the mark stays, and the next run says so (app.ui).
        try:
            with comparison_running(m):
                prefill = engines.compare(m, progress)
        except FairUseError as exc:  # bad input, or a model that cannot be loaded: say so, keep everything
            status.update(label="The comparison could not run", state="error", expanded=True)
            set_error("analyse", str(exc))
            return
        except Exception as exc:
            import traceback

            traceback.print_exc()
            status.update(label="The comparison failed", state="error", expanded=True)
            set_error(
                "analyse",
                f"Internal error while comparing ({type(exc).__name__}: {str(exc)[:200]}). "
                "Your works and answers are kept; the details are in the terminal running the app.",
            )
            return
        set_error("analyse", None)
        bar.progress(1.0, text="Pre-filled answers from the measurements")
        forget([f"w:q:{qid}" for qid in prefill.touched])  # the factor widgets re-seed from the new answers
        ids = prefill.filled
        secs = time.perf_counter() - t0
        st.session_state["evidence_seconds"] = secs
        note = f"; {figures.count(len(ids), 'answer')} pre-filled from the measurements" if ids else ""
        status.update(label=f"Comparison done in {secs:.1f} s{note}", state="complete", expanded=False)
    # Draw everything again (sidebar included) from the new state; say what just happened.
    st.session_state["ev_done"] = f"Comparison done in {secs:.1f} s{note}."
    st.rerun()


# --------------------------------------------------------------------------- texts
def _text_metrics(r: ComparisonReport) -> None:
    m = r.text.metrics  # type: ignore[union-attr]
    cols = st.columns(4)
    items = [
        (
            "Source reproduced",
            pct(m.source_share_reproduced),
            "Share of the source's words found verbatim or near-verbatim in the generated work (factor 3: amount).",
        ),
        (
            "Source paraphrased",
            pct(m.source_share_paraphrased),
            "Share of the source's words whose meaning reappears in other words.",
        ),
        (
            "Generated text copied",
            pct(m.generated_share_verbatim + m.generated_share_near_verbatim),
            "Share of the generated work that is verbatim or near-verbatim copy.",
        ),
        ("Longest passage", f"{m.longest_passage_words:,} words", "The longest single run of shared words."),
    ]
    for col, (label, value, meaning) in zip(cols, items):
        col.metric(label, value, help=meaning, border=True)
        col.caption(meaning)
    cols = st.columns(4)
    extra = [
        (
            "Passages found",
            f"{m.verbatim_count + m.near_verbatim_count + m.paraphrase_count}",
            f"{m.verbatim_count} verbatim, {m.near_verbatim_count} near-verbatim, {m.paraphrase_count} paraphrased.",
        ),
        (
            "Meaning similarity",
            figures.similarity(m.semantic_similarity),
            "Whole-document cosine similarity of sentence embeddings; topic overlap, not copying.",
        ),
        (
            "Style similarity",
            figures.similarity(m.style_similarity),
            "Function-word profile: similar voice. Style is not protected, but it matters to substitution.",
        ),
        (
            "Heart of the source",
            figures.similarity(m.heart_score),
            "How central the copied source passages are among its sentences (Harper & Row's 'heart').",
        ),
    ]
    for col, (label, value, meaning) in zip(cols, extra):
        col.metric(label, value, help=meaning, border=True)
        col.caption(meaning)


def _coverage_chart(r: ComparisonReport) -> None:
    import pandas as pd

    m = r.text.metrics  # type: ignore[union-attr]
    df = pd.DataFrame(
        {
            "Verbatim or near-verbatim": [
                (m.generated_share_verbatim + m.generated_share_near_verbatim) * 100,
                m.source_share_reproduced * 100,
            ],
            "Paraphrase": [m.generated_share_paraphrase * 100, m.source_share_paraphrased * 100],
        },
        index=pd.Index(["Generated work", "Source"], name="work"),
    )
    st.markdown("**How much of each work is involved** (share of its words, %)")
    st.bar_chart(df, horizontal=True, height=190, color=["#a4161a", "#1b4fb8"], x_label="", y_label="")
    st.caption("Each bar splits a work's words by how they relate to the other work; the rest is unrelated.")


def _text_view(m: Matter, r: ComparisonReport, *, stale: bool = False) -> None:
    t = r.text
    assert t is not None
    _text_metrics(r)
    _coverage_chart(r)
    st.subheader("The passages, side by side")
    counts = {
        "verbatim": t.metrics.verbatim_count,
        "near_verbatim": t.metrics.near_verbatim_count,
        "paraphrase": t.metrics.paraphrase_count,
    }
    st.html(ui_html.legend_html(counts))
    if not t.passages:
        st.info("No shared passages were found at the thresholds in force.", icon=":material/info:")
        selected = None
    else:

        def fmt(i: int) -> str:
            p = t.passages[i]
            snippet = " ".join(p.generated_text.split()[:9])
            return f"{ui_html.passage_name(p.kind, i + 1)} · {p.words} words · “{snippet}…”"

        idx = st.selectbox(
            "Select a passage to see its pair", list(range(len(t.passages))), format_func=fmt, key="ev_passage"
        )
        selected = None if idx is None else idx + 1
        if idx is not None:
            st.html(
                ui_html.passage_pair_html(
                    t.passages[idx],
                    idx + 1,
                    generated_title=m.generated.title or m.generated.label,
                    source_title=m.source.title or m.source.label,
                )
            )
    if stale:  # the passages' offsets are into the texts that were analysed, not the edited ones
        st.info(
            "The full texts with every passage marked are shown again once the works are analysed again: "
            "the marks belong to the texts as they were measured.",
            icon=":material/info:",
        )
    else:
        with st.expander("Both texts in full, with every passage marked", expanded=True, icon=":material/article:"):
            st.html(
                ui_html.side_by_side_html(
                    m.generated.text or "",
                    m.source.text or "",
                    t.passages,
                    selected=selected,
                    generated_title=m.generated.title or m.generated.label,
                    source_title=m.source.title or m.source.label,
                )
            )
            st.caption(
                "Marks are labelled V (verbatim), N (near-verbatim) and P (paraphrase) with their number; "
                "the selected passage has a dark outline."
            )
    for note in t.notes:
        st.caption(for_markdown(f"Note: {note}"))


# --------------------------------------------------------------------------- images
def _num(x: float) -> str:
    """Counts as counts, scores with three decimals."""
    return f"{int(x):,}" if float(x).is_integer() else f"{x:.3f}"


def _image_view(m: Matter, r: ComparisonReport) -> None:
    im = r.image
    assert im is not None
    v = im.verdict
    with st.container(border=True):
        st.markdown(
            f"**Finding:** {labels.label('rung_explained', v.rung)}  \n*Confidence: {for_markdown(v.confidence)}.* "
            + for_markdown(" ".join(f"{e[:1].upper()}{e[1:]}." for e in v.evidence), newlines="space")
        )
        if v.runner_up:
            st.caption(f"Next most likely reading: {labels.label('rung_explained', v.runner_up)}")
    cols = st.columns(4)
    region = im.region
    items = [
        (
            "Source area reproduced",
            pct(region.source_area_share) if region else "none found",
            "Share of the source image's area found in the generated image (factor 3: amount).",
        ),
        (
            "Generated area copied",
            pct(region.generated_area_share) if region else "none found",
            "Share of the generated image occupied by the copied region.",
        ),
        (
            "Matched points",
            ("none: found by its hash" if region.found_by_hash else f"{region.inliers}") if region else "0",
            "Feature points that agree on one geometric transform: more means a surer match. A smooth "
            "picture set apart in the image (a photograph on a page) can be found by its hash instead.",
        ),
        (
            "Style percentile",
            pct(r.facts.style_similarity),
            "How alike the styles are compared with unrelated images (100 % = more alike than all of them).",
        ),
    ]
    for col, (label, value, meaning) in zip(cols, items):
        col.metric(label, value, help=meaning, border=True)
        col.caption(meaning)
    if r.summary:
        with st.expander("In short, every signal in one list", icon=":material/list:"):
            st.markdown("\n".join(f"- {for_markdown(s, newlines='space')}" for s in r.summary))
    for fig in im.figures:
        try:
            png = fig.png()  # checked: base64, a PNG, its declared size (a bomb is refused unread)
        except ValueError as exc:
            st.caption(
                for_markdown(f"{fig.caption}: this picture cannot be shown ({exc}).", newlines="space"),
            )
            continue
        st.image(png, caption=for_markdown(fig.caption, newlines="space"), width="stretch")
    with st.expander("The two images as given", expanded=not im.figures, icon=":material/image:"):
        c1, c2 = st.columns(2)
        for col, w, size in ((c1, m.generated, im.generated_size), (c2, m.source, im.source_size)):
            with col:
                st.markdown(f"**{for_markdown(w.title or w.label, newlines='space')}**")
                try:
                    caption = for_markdown(f"{w.name} · {size[0]}×{size[1]} px", newlines="space")
                    st.image(w.data or b"", caption=caption, width="stretch")
                except Exception:
                    st.caption(for_markdown(f"{w.name}: the browser cannot preview this format."))
    st.subheader("Each signal, in words")
    for s in im.signals:
        if not s.computed:
            state = "not computed"
        elif s.fired:
            state = "✔ fired"
        else:
            state = "✘ did not fire"
        shown_value, shown_thr = figures.value_and_threshold(s.value, s.threshold)  # as the memo shows them
        value = "" if s.value is None else f" · value {shown_value}"
        thr = "" if s.threshold is None else f" (threshold {shown_thr})"
        with st.container(border=True):
            st.markdown(f"**{for_markdown(labels.label('image_signal', s.name))}** — {state}{value}{thr}")
            why_not = labels.has("signal_not_computed", s.name) and not s.computed
            st.caption(
                labels.label("signal_not_computed", s.name)
                if why_not
                else for_markdown(s.meaning)
                + (f"  \nThreshold: {for_markdown(s.threshold_source)}" if s.threshold_source else "")
            )
    for note in im.notes:
        st.caption(for_markdown(f"Note: {note}"))


def _audit(r: ComparisonReport) -> None:
    with st.expander("Audit trail: inputs, models, thresholds", icon=":material/fact_check:"):
        for i in r.inputs:
            st.markdown(
                "- "
                + for_markdown(
                    f"{i.role}: {i.name} · {i.media_type} · {i.bytes:,} bytes · SHA-256 {i.sha256}", newlines="space"
                )
            )
        for m in r.models:
            version = ", " + m.version if m.version else ""
            st.markdown(
                "- " + for_markdown(f"model {m.role}: {m.name} ({m.source}{version}) on {m.device}", newlines="space")
            )
        st.markdown(
            "- "
            + for_markdown(
                f"device: {r.device} · fairuse {r.tool_version} · {r.created_at:%Y-%m-%d %H:%M} UTC", newlines="space"
            )
        )
        if r.thresholds:  # machine-readable, as the memo attaches them: a file, not raw names on the page
            import json

            st.markdown(
                f"- {figures.count(len(r.thresholds), 'measurement setting')} (thresholds and limits) recorded "
                "with this comparison; they are part of the saved analysis and of the memo's attached record."
            )
            st.download_button(
                "Download the settings (JSON)",
                data=json.dumps(r.thresholds, indent=2, sort_keys=True),
                file_name="comparison-settings.json",
                mime="application/json",
                key="thresholds_download",
                icon=":material/download:",
            )


def _shown_name(work) -> str:
    """The title the user entered, else the file name ("pasted text" only when there is neither)."""
    from analysis.escape import for_markdown

    return for_markdown(work.title or work.name or "", newlines="space")


def render() -> None:
    m = get_matter()
    st.title("2 · The evidence")
    st.markdown(
        "What the measurements show. **Similarity is evidence, not a verdict**: it feeds factor 3 "
        "(how much was taken) and factor 4 (substitution), never factor 1."
    )
    if not m.works_ready:
        st.info("Add both works in step 1 first.", icon=":material/info:")
        if st.button("← Go to step 1, Works", key="ev_to_works"):
            st.switch_page("app_pages/works.py")
        return
    label = "Analyse again" if m.report is not None else "Analyse the works"
    c1, c2 = st.columns([1, 3], vertical_alignment="center")
    clicked = c1.button(label, type="primary", key="analyse", icon=":material/play_arrow:", width="stretch")
    c2.caption(
        f"{m.generated.label}: **{_shown_name(m.generated)}** · {m.source.label}: **{_shown_name(m.source)}**"
        + ("  \nThe text model loads once, the first time." if m.generated.kind == "text" else "")
    )
    if clicked:
        _run(m)  # reruns the page when it succeeds
    stale = m.report is not None and not m.evidence_current
    show_error("analyse")
    show_compare_stopped(m, on_evidence_page=True)
    done = st.session_state.pop("ev_done", None)
    if done:
        st.success(done, icon=":material/check_circle:")
    r = m.report
    if r is None:
        return
    if stale:
        st.warning(
            "The works changed since this evidence was measured, so it is left out of the assessment and "
            "the memo. Analyse again to update it.",
            icon=":material/warning:",
        )
    head = figures.headline(r)
    if head is not None:  # the figure the memo and its JSON lead with, worded the same way
        with st.container(border=True):
            st.metric("In short", head.figure, border=False)
            st.markdown(for_markdown(head.sentence, newlines="space"))
    if r.kind == "text" and r.text is not None:
        _text_view(m, r, stale=stale)
    elif r.kind == "image" and r.image is not None:
        _image_view(m, r)
    _audit(r)
    step_buttons(THIS, next_label="Walk the four factors →")


render()
