"""One factor step: its questions (from the questionnaire data) and its live lean.

The widgets mirror the matter's answers: each is seeded from ``Matter.answer`` and writes
back through ``Matter.set_answer`` in a callback; the matter's assessment follows its answers
(the engine takes milliseconds), so the lean beside the questions moves as the user answers.
An answer the scenario rejects (it contradicts another) is shown as an error under the
question and the widget goes back to the previous answer.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from analysis import figures, labels
from analysis.assess.models import FactorFinding
from analysis.errors import ScenarioError
from analysis.escape import for_html, for_markdown
from app import components as ui_html
from app.notes import note_area
from app.state import get_matter, seed
from app.ui import pct, set_error, show_error, stale_evidence_warning, step_buttons


def _key(qid: str) -> str:
    return f"w:q:{qid}"


def _cite(authority) -> str:
    from analysis.assess.caselaw import cite

    return cite(authority)  # includes the pinpoint; an unknown id comes back marked, never raises


def _to_widget(q, value: Any) -> Any:
    if q.kind == "multi":
        return list(value or [])
    return value


def _on_answer(qid: str) -> None:
    from analysis.assess.questionnaire import load_questionnaire

    m = get_matter()
    q = load_questionnaire().by_id(qid)
    value = st.session_state[_key(qid)]
    if q.kind == "multi":
        value = list(value or [])
    elif q.kind == "year" and value is not None:
        value = int(value)
    elif q.kind == "text":
        value = (value or "").strip() or None
    try:
        m.set_answer(qid, value)
    except ScenarioError as exc:
        set_error(f"q:{qid}", f"That answer contradicts another one: {exc}")
        st.session_state[_key(qid)] = _to_widget(q, m.answer(qid).value)
        return
    set_error(f"q:{qid}", None)


def _on_clear(qid: str) -> None:
    from analysis.assess.questionnaire import load_questionnaire

    m = get_matter()
    q = load_questionnaire().by_id(qid)
    try:
        m.clear_answer(qid)
    except ScenarioError as exc:
        set_error(f"q:{qid}", str(exc))
        return
    st.session_state[_key(qid)] = [] if q.kind == "multi" else None
    set_error(f"q:{qid}", None)


def _help_popover(q) -> None:
    with st.popover("Help and authorities", icon=":material/help:", key=f"help:{q.id}"):
        st.markdown(q.help)
        for o in q.options:
            m = o.meaning
            words = labels.label("meaning_direction", m.direction)
            strength = labels.label("meaning_strength", m.strength)
            line = f"**{o.label}** — {(strength + ' ') if strength and m.direction in ('favours', 'disfavours') else ''}{words}"
            if m.note:
                line += f". {m.note[:1].upper()}{m.note[1:]}"
            if o.authorities:
                line += "  \n" + "; ".join(f"*{_cite(au)}*" for au in o.authorities)
            st.markdown(line)


def question_widget(q) -> None:
    """One question of the questionnaire, bound to the matter's answer (also used by step 1b)."""
    answer = get_matter().answer(q.id)
    key = _key(q.id)
    seed(key, _to_widget(q, answer.value))
    options = {o.value: o.label for o in q.options}
    with st.container(border=True):
        if answer.origin == "measured":
            st.html(ui_html.prefill_chip())
        values = [o.value for o in q.options]
        if q.kind == "year":
            st.number_input(
                q.wording,
                min_value=1400,
                max_value=2200,
                value=None,
                step=1,
                key=key,
                on_change=_on_answer,
                args=(q.id,),
                help=q.help,
                placeholder="Leave empty if you do not know",
            )
        elif q.kind == "text":
            st.text_input(
                q.wording,
                key=key,
                on_change=_on_answer,
                args=(q.id,),
                help=q.help,
                max_chars=200,
                placeholder="Leave empty if you do not know",
            )
        elif q.kind == "multi":
            st.multiselect(
                q.wording,
                values,
                format_func=lambda v: options.get(v, str(v)),
                key=key,
                on_change=_on_answer,
                args=(q.id,),
                help=q.help,
                placeholder="Choose all that apply",
            )
        else:
            st.radio(
                q.wording,
                values,
                index=None,
                format_func=lambda v: options.get(v, str(v)),
                key=key,
                on_change=_on_answer,
                args=(q.id,),
                help=q.help,
                horizontal=q.kind == "bool" or sum(len(o.label) for o in q.options) <= 60,
            )
        show_error(f"q:{q.id}")
        c1, c2 = st.columns([1, 1])
        with c1:
            _help_popover(q)
        if answer.answered:
            c2.button(
                "Clear answer",
                key=f"clear:{q.id}",
                type="tertiary",
                on_click=_on_clear,
                args=(q.id,),
                icon=":material/backspace:",
                help="Leave this unanswered: the factor's confidence drops.",
            )
        else:
            c2.caption("Not answered yet" + (" · a key question" if q.key else ""))


def finding_card(f: FactorFinding, *, compact: bool = False) -> None:
    """A factor's lean, confidence and reasons, with their basis and authorities."""
    st.html(
        f"<div>{ui_html.lean_html(f.lean, labels.lean(f.lean))} "
        f'<span class="fu-gap">confidence: {ui_html.esc(f.confidence)}</span></div>'
    )
    reasons = f.reasons[:3] if compact else f.reasons_besides_counter()
    if compact:  # the overview: the reasons and whose authority, details on the factor's page
        from analysis.assess.caselaw import short_name

        for r in reasons:
            names = ", ".join(dict.fromkeys(short_name(au.case_id) for au in r.authorities))
            st.markdown(
                f"{labels.label('direction_symbol', r.direction)} {for_html(r.text)}"
                + (f"  \n<small>*{for_html(names)}*</small>" if names else ""),
                unsafe_allow_html=True,
            )
        if len(f.reasons) > 3:
            st.caption(f"… and {figures.count(len(f.reasons) - 3, 'more reason')} on the factor's page.")
        return
    for r in reasons:
        src = labels.label("reason_source", r.source)
        auth = "; ".join(_cite(au) for au in r.authorities)
        st.markdown(
            f"{labels.label('direction_symbol', r.direction)} {for_html(r.text)}  \n"
            f"<small>Basis ({for_html(src)}): {for_html(r.basis)}"
            + (f" · *{for_html(auth)}*" if auth else "")
            + "</small>",
            unsafe_allow_html=True,
        )
    if f.counter_argument:
        st.markdown(f"**Best counter-argument:** {for_markdown(f.counter_argument.text)}")


def _measured_facts(n: int) -> None:
    m = get_matter()
    r = m.report
    if n not in (3, 4) or r is None:
        return
    fa = r.facts
    if n == 3:
        bits = [f"{pct(fa.share_of_source_taken)} of the source reproduced"]
        if fa.longest_passage_words:
            bits.append(f"longest passage {fa.longest_passage_words} words")
        if fa.heart_taken is not None:
            bits.append("the heart of the source taken" if fa.heart_taken else "the heart of the source not taken")
    else:
        bits = [f"expression delivered {pct(fa.expression_delivered)}"]
        if fa.style_similarity is not None:
            bits.append(f"style similarity {fa.style_similarity:.2f}")
    st.info(
        "Measured: "
        + "; ".join(bits)
        + f". Answers marked “{labels.label('origin', 'measured')}” were filled from these; change them if "
        "you know better.",
        icon=":material/straighten:",
    )


def render_factor(n: int, this_page: str) -> None:
    from analysis.assess.questionnaire import load_questionnaire

    m = get_matter()
    assessment = m.assessment
    f = assessment.finding(n)
    st.caption(f"Step 3 of 5 · factor {n} of 4")
    st.title(f"Factor {n} · {labels.factor_short(n)}")
    st.markdown(f"> *17 U.S.C. § 107({n}):* {f.statute_text}")
    stale_evidence_warning(m)
    if m.report is None:
        st.caption("No evidence measured yet: answers that measurements could fill are left to you.")
    _measured_facts(n)
    qn = load_questionnaire()
    visible = [q for q in qn.visible_questions(m.scenario) if q.factor == n]
    hidden = len(qn.questions_for_factor(n)) - len(visible)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader("Questions")
        st.caption(
            "Answer what you know; leave the rest. Unanswered questions lower the confidence, "
            "and the assessment says which ones would change the result."
        )
        for q in visible:
            question_widget(q)
        if hidden > 0:
            st.caption(
                f"{figures.count(hidden, 'more question')} "
                + (
                    "appears when earlier answers make it relevant."
                    if hidden == 1
                    else "appear when earlier answers make them relevant."
                )
            )
        st.subheader("Your view")
        note_area(str(n))
    with right:
        st.html('<span class="fu-sticky"></span>')
        assessment = m.assessment  # the answers may have changed in a callback above
        f = assessment.finding(n)
        with st.container(border=True):
            st.subheader("Where it leans now")
            finding_card(f)
            if f.missing:
                names = []
                for qid in f.missing:
                    try:
                        names.append(qn.by_id(qid).wording)
                    except KeyError:
                        names.append(qid)
                st.markdown("**Unanswered questions that could move this factor**")
                st.markdown("\n".join(f"- <small>{for_html(x)}</small>" for x in names), unsafe_allow_html=True)
        if n == 4:
            sub = assessment.substitution
            with st.container(border=True):
                st.subheader("Substitution risk")
                st.markdown(
                    f"**{labels.label('substitution', sub.level).capitalize()}**"
                    + (f" (score {sub.score:.2f}, shown with its parts)" if sub.score is not None else "")
                )
                st.caption(for_markdown(sub.explanation))
                for p in sub.parts:
                    val = "unknown" if p.value is None else f"{p.value:.2f}"
                    st.markdown(
                        f"- {for_markdown(p.name, newlines='space')}: **{val}** "
                        f"({for_markdown(labels.label('part_source', p.source), newlines='space')}) — "
                        f"{for_markdown(p.explanation, newlines='space')}"
                    )
    step_buttons(this_page)
