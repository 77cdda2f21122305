"""Step 4 · Assessment: the four leans, the overall view with its reasons, the nearest
precedents side by side, the substitution risk, and a what-if.

No single fair-use probability (Cambridge Univ. Press v. Patton): each factor's lean and
reasons, and an overall view with the reasons beside it.
"""

from __future__ import annotations

import streamlit as st

from analysis import figures, labels
from analysis.assess.models import Assessment
from analysis.assess.track_record import track_record
from analysis.errors import ScenarioError
from analysis.escape import for_html, for_markdown
from analysis.matter import Matter, WhatIf
from app import components as ui_html
from app.factor_view import finding_card
from app.notes import note_area
from app.state import forget, get_matter
from app.ui import stale_evidence_warning, step_buttons

THIS = "app_pages/assessment.py"


def _overall(a: Assessment) -> None:
    ov = a.overall
    label = labels.overall(ov.label)
    lean = {"leans_fair_use": "favours", "close_call": "neutral", "leans_against": "disfavours"}[ov.label]
    with st.container(border=True):
        if ov.fair_use_needed:
            st.html(
                f'<div style="font-size:1.35rem">{ui_html.lean_html(lean, label)} '
                f'<span class="fu-gap">confidence: {ui_html.esc(ov.confidence)} · law as of {ui_html.esc(a.law_as_of)}'
                "</span></div>"
            )
        else:  # not protected or licensed: that is the answer, and the factors' lean is moot
            st.html(
                f'<div style="font-size:1.35rem">{ui_html.lean_html("favours", labels.headline(a))} '
                f'<span class="fu-gap">law as of {ui_html.esc(a.law_as_of)}</span></div>'
            )
            st.caption(f"{labels.moot_view(a)} They are shown below for completeness only.")
        st.markdown("\n".join(f"{i}. {for_markdown(r, newlines='space')}" for i, r in enumerate(ov.reasons, start=1)))
        st.caption("Not a probability: courts weigh the factors together, not by arithmetic. Not legal advice.")
        if ov.fair_use_needed:
            st.caption(track_record().in_words())  # our own data file, no user text


def _leans(a: Assessment) -> None:
    cols = st.columns(4)
    for col, f in zip(cols, sorted(a.findings, key=lambda f: f.factor)):
        with col, st.container(border=True, height="stretch"):
            st.markdown(f"**Factor {f.factor}**  \n<small>{for_html(f.title)}</small>", unsafe_allow_html=True)
            finding_card(f, compact=True)


def _substitution(a: Assessment) -> None:
    sub = a.substitution
    with st.container(border=True):
        st.markdown(
            f"**Substitution risk: {labels.label('substitution', sub.level)}**"
            + (f" · score {sub.score:.2f}" if sub.score is not None else "")
        )
        st.caption(for_markdown(sub.explanation))
        if sub.parts:
            st.html(ui_html.parts_table_html(sub.parts))


def _precedents(a: Assessment) -> None:
    if not a.precedents:
        st.caption("No precedents matched.")
        return
    top = a.precedents[:3]
    cols = st.columns(len(top))
    ours = {f"f{f.factor}": labels.label("lean_short", f.lean) for f in a.findings}
    for col, p in zip(cols, top):
        with col, st.container(border=True, height="stretch"):
            st.markdown(
                f"**{for_markdown(p.name, newlines='space')}**  \n*{for_markdown(p.citation, newlines='space')}*"
            )
            st.markdown(f"Outcome: **{labels.label('outcome', p.outcome)}** · similarity {p.similarity:.2f}")
            lines = []
            for n in (1, 2, 3, 4):
                court = p.factor_findings.get(f"factor {n}", p.factor_findings.get(f"f{n}", "—"))  # already words
                cells = (for_markdown(str(x), newlines="space") for x in (court, ours.get(f"f{n}", "—")))
                lines.append(f"| {n} | " + " | ".join(cells) + " |")
            st.markdown("| factor | the court | this case |\n|---|---|---|\n" + "\n".join(lines))
            if p.alike:
                st.markdown("**Alike:** " + for_markdown("; ".join(p.alike)))
            if p.differs:
                st.markdown("**Differs:** " + for_markdown("; ".join(p.differs)))
    if len(a.precedents) > 3:
        with st.expander(f"{figures.count(len(a.precedents) - 3, 'more precedent')}"):
            for p in a.precedents[3:]:
                st.markdown(
                    f"- **{for_markdown(p.name, newlines='space')}**, *{for_markdown(p.citation, newlines='space')}*: "
                    f"{labels.label('outcome', p.outcome)} "
                    f"(similarity {p.similarity:.2f})"
                )


def _what_if(m: Matter, current: Assessment) -> None:
    from analysis.assess.questionnaire import load_questionnaire

    qn = load_questionnaire()
    questions = [q for q in qn.visible_questions(m.scenario) if q.kind != "multi"]
    if not questions:
        return
    by_id = {q.id: q for q in questions}
    # suggest the questions the engine says would change the result first
    sens = [s.question_id for s in current.sensitivity if s.question_id in by_id]
    order = sens + [q.id for q in questions if q.id not in sens]
    c1, c2 = st.columns([3, 2])
    qid = c1.selectbox(
        "Change one answer",
        order,
        key="whatif_q",
        format_func=lambda i: (
            f"F{by_id[i].factor} · {by_id[i].wording}" + ("  (could change the result)" if i in sens else "")
        ),
    )
    q = by_id[qid]
    now = m.answer(qid).value
    options = {o.value: o.label for o in q.options}
    alternatives = [o.value for o in q.options if o.value != now]
    if not alternatives:
        return
    alt = c2.radio("Change it to", alternatives, format_func=lambda v: options.get(v, str(v)), key=f"whatif_v:{qid}")
    c2.caption(for_markdown(f"Now: {options.get(now, 'not answered')}"))
    try:
        what_if = m.what_if(qid, alt)
    except ScenarioError as exc:
        st.warning(for_markdown(f"That answer contradicts another one: {exc}"))
        return
    st.markdown("| | now | what if | |\n|---|---|---|---|\n" + "\n".join(_move_rows(what_if)))

    def apply() -> None:
        get_matter().set_answer(qid, alt)
        forget([f"w:q:{qid}"])

    st.button(
        "Keep this answer",
        key="whatif_apply",
        on_click=apply,
        icon=":material/check:",
        help="Make this the answer in the analysis (you can change it back on the factor's page).",
    )


def _move_rows(w: WhatIf) -> list[str]:
    rows = []
    for mv in w.moves:
        what, now, then = (for_markdown(x, newlines="space") for x in (mv.what, mv.now, mv.then))
        what = f"**{what}**" if mv.what == "Overall" else what
        rows.append(f"| {what} | {now} | {then} | {'**moves**' if mv.moved else 'same'} |")
    return rows


def render() -> None:
    m = get_matter()
    st.title("4 · Assessment")
    if not m.ready_for_assessment:  # no result is claimed about works not given or questions not answered
        st.info(
            "Add both works in step 1"
            + (" and answer at least one question in the factor steps" if m.works_ready else "")
            + " first: until then there is nothing to assess.",
            icon=":material/info:",
        )
        step_buttons(THIS)
        return
    stale_evidence_warning(m)
    a = m.assessment
    _overall(a)
    with st.container(border=True):
        note_area("overall")
    st.subheader("The four factors")
    _leans(a)
    st.subheader("Substitution risk (feeds factor 4)")
    _substitution(a)
    st.subheader("Nearest precedents")
    _precedents(a)
    if a.disagreements:
        with st.container(border=True):
            st.markdown("**Where courts disagree**")
            st.markdown("\n".join(f"- {for_markdown(d, newlines='space')}" for d in a.disagreements))
    st.subheader("What if?")
    st.caption("Change one answer and see what moves, without changing the analysis.")
    _what_if(m, a)
    if a.sensitivity:
        with st.expander("Answers that would change the result", icon=":material/tune:"):
            st.markdown(
                "\n".join(
                    f"- **{for_markdown(s.question, newlines='space')}** — {for_markdown(s.change, newlines='space')}"
                    for s in a.sensitivity
                )
            )
    if a.out_of_scope or a.notes:
        with st.expander("Out of scope and notes", icon=":material/info:"):
            st.markdown("\n".join(f"- {for_markdown(x, newlines='space')}" for x in a.out_of_scope + a.notes))
    step_buttons(THIS, next_label="Prepare the memo →")


render()
