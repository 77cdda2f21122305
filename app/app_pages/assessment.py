"""Step 4 · Assessment: the four leans, the overall view with its reasons, the nearest
precedents side by side, the substitution risk, and a what-if.

No single fair-use probability (Cambridge Univ. Press v. Patton): each factor's lean and
reasons, and an overall view with the reasons beside it.
"""

from __future__ import annotations

import streamlit as st

from analysis.assess.models import LEAN_LABELS, OVERALL_LABELS
from analysis.errors import ScenarioError
from app import components as ui_html
from app import engines
from app.factor_view import FACTOR_TITLES, finding_card
from app.state import get_analysis
from app.ui import stale_evidence_warning, step_buttons

THIS = "app_pages/assessment.py"
LEAN_SHORT = {
    "strongly_favours": "▲▲ favours",
    "favours": "▲ favours",
    "neutral": "● neutral",
    "disfavours": "▼ against",
    "strongly_disfavours": "▼▼ against",
}
OUTCOME_WORDS = {"fair_use": "Fair use", "not_fair_use": "Not fair use", "mixed": "Mixed", "not_reached": "Not reached"}


def _overall(a) -> None:
    ov = a.overall
    label = OVERALL_LABELS.get(ov.label, ov.label)
    lean = {"leans_fair_use": "favours", "close_call": "neutral", "leans_against": "disfavours"}[ov.label]
    with st.container(border=True):
        st.html(
            f'<div style="font-size:1.35rem">{ui_html.lean_html(lean, label)} '
            f'<span class="fu-gap">confidence: {ui_html.esc(ov.confidence)} · law as of {ui_html.esc(a.law_as_of)}'
            "</span></div>"
        )
        st.markdown("\n".join(f"{i}. {r}" for i, r in enumerate(ov.reasons, start=1)))
        st.caption("Not a probability: courts weigh the factors together, not by arithmetic. Not legal advice.")


def _leans(a) -> None:
    cols = st.columns(4)
    for col, f in zip(cols, sorted(a.findings, key=lambda f: f.factor)):
        with col, st.container(border=True, height="stretch"):
            st.markdown(f"**Factor {f.factor}**  \n<small>{FACTOR_TITLES[f.factor]}</small>", unsafe_allow_html=True)
            finding_card(f, compact=True)


def _substitution(a) -> None:
    sub = a.substitution
    with st.container(border=True):
        st.markdown(
            f"**Substitution risk: {sub.level}**" + (f" · score {sub.score:.2f}" if sub.score is not None else "")
        )
        st.caption(sub.explanation)
        if sub.parts:
            st.html(ui_html.parts_table_html(sub.parts))


def _precedents(a) -> None:
    if not a.precedents:
        st.caption("No precedents matched.")
        return
    top = a.precedents[:3]
    cols = st.columns(len(top))
    ours = {f"f{f.factor}": LEAN_SHORT.get(f.lean, f.lean) for f in a.findings}
    for col, p in zip(cols, top):
        with col, st.container(border=True, height="stretch"):
            st.markdown(f"**{p.name}**  \n*{p.citation}*")
            st.markdown(f"Outcome: **{OUTCOME_WORDS.get(p.outcome, p.outcome)}** · similarity {p.similarity:.2f}")
            lines = []
            for n in (1, 2, 3, 4):
                court = p.factor_findings.get(f"factor {n}", p.factor_findings.get(f"f{n}", "—"))  # already words
                lines.append(f"| {n} | {court} | {ours.get(f'f{n}', '—')} |")
            st.markdown("| factor | the court | this case |\n|---|---|---|\n" + "\n".join(lines))
            if p.alike:
                st.markdown("**Alike:** " + "; ".join(p.alike))
            if p.differs:
                st.markdown("**Differs:** " + "; ".join(p.differs))
    if len(a.precedents) > 3:
        with st.expander(f"{len(a.precedents) - 3} more precedent(s)"):
            for p in a.precedents[3:]:
                st.markdown(
                    f"- **{p.name}**, *{p.citation}*: {OUTCOME_WORDS.get(p.outcome, p.outcome)} "
                    f"(similarity {p.similarity:.2f})"
                )


def _what_if(analysis, current) -> None:
    from analysis.assess.questionnaire import get_answer, load_questionnaire, set_answer

    qn = load_questionnaire()
    questions = [q for q in qn.visible_questions(analysis.scenario) if q.kind != "multi"]
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
    now = get_answer(analysis.scenario, q)
    labels = {o.value: o.label for o in q.options}
    alternatives = [o.value for o in q.options if o.value != now]
    if not alternatives:
        return
    alt = c2.radio("Change it to", alternatives, format_func=lambda v: labels.get(v, str(v)), key=f"whatif_v:{qid}")
    c2.caption(f"Now: {labels.get(now, 'not answered')}")
    try:
        changed_sc = set_answer(analysis.scenario, q, alt)
    except ScenarioError as exc:
        st.warning(f"That answer contradicts another one: {exc}")
        return
    other = engines.assess_scenario(analysis, changed_sc)
    rows = []
    for f in sorted(current.findings, key=lambda f: f.factor):
        g = other.finding(f.factor)
        moved = f.lean != g.lean
        rows.append(
            f"| Factor {f.factor} | {LEAN_LABELS[f.lean]} | {LEAN_LABELS[g.lean]} | "
            f"{'**moves**' if moved else 'same'} |"
        )
    o1, o2 = current.overall.label, other.overall.label
    rows.append(
        f"| **Overall** | {OVERALL_LABELS[o1]} | {OVERALL_LABELS[o2]} | {'**moves**' if o1 != o2 else 'same'} |"
    )
    rows.append(
        f"| Substitution risk | {current.substitution.level} | {other.substitution.level} | "
        f"{'**moves**' if current.substitution.level != other.substitution.level else 'same'} |"
    )
    st.markdown("| | now | what if | |\n|---|---|---|---|\n" + "\n".join(rows))

    def apply() -> None:
        a = get_analysis()
        a.scenario = changed_sc
        a.prefilled = [i for i in a.prefilled if i != qid]
        st.session_state.pop(f"w:q:{qid}", None)
        engines.reassess(a)

    st.button(
        "Keep this answer",
        key="whatif_apply",
        on_click=apply,
        icon=":material/check:",
        help="Make this the answer in the analysis (you can change it back on the factor's page).",
    )


def render() -> None:
    analysis = get_analysis()
    st.title("4 · Assessment")
    stale_evidence_warning(analysis)
    a = engines.current_assessment(analysis)
    _overall(a)
    st.subheader("The four factors")
    _leans(a)
    st.subheader("Substitution risk (feeds factor 4)")
    _substitution(a)
    st.subheader("Nearest precedents")
    _precedents(a)
    if a.disagreements:
        with st.container(border=True):
            st.markdown("**Where courts disagree**")
            st.markdown("\n".join(f"- {d}" for d in a.disagreements))
    st.subheader("What if?")
    st.caption("Change one answer and see what moves, without changing the analysis.")
    _what_if(analysis, a)
    if a.sensitivity:
        with st.expander("Answers that would change the result", icon=":material/tune:"):
            st.markdown("\n".join(f"- **{s.question}** — {s.change}" for s in a.sensitivity))
    if a.out_of_scope or a.notes:
        with st.expander("Out of scope and notes", icon=":material/info:"):
            st.markdown("\n".join(f"- {x}" for x in a.out_of_scope + a.notes))
    step_buttons(THIS, next_label="Prepare the memo →")


render()
