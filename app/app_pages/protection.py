"""Step 1b · Is the source protected at all? Asked before the four factors.

Fair use excuses the use of protected expression; a source in the public domain, a U.S.
government work, or one licensed or permitted for this use needs no excuse. The questions
are the questionnaire's step 0 (``analysis/assess/data/questionnaire.yaml``); the finding is
``analysis.assess.protection``, with its authorities.
"""

from __future__ import annotations

import streamlit as st

from analysis import labels
from analysis.escape import for_markdown
from app.factor_view import question_widget
from app.state import get_matter
from app.ui import step_buttons

THIS_PAGE = "app_pages/protection.py"


def render() -> None:
    from analysis.assess.caselaw import cite
    from analysis.assess.questionnaire import load_questionnaire

    m = get_matter()
    st.caption("Step 1b of 5 · before the four factors")
    st.title("1b · Is the source protected at all?")
    st.markdown(
        "Fair use is a defence to copying *protected* expression. If the source is in the public domain, "
        "a work of the U.S. government, or licensed or permitted for this use, no defence is needed. "
        "Answer what you know and leave the rest; nothing here is required."
    )
    qn = load_questionnaire()
    visible = [q for q in qn.visible_questions(m.scenario) if q.factor == 0]
    left, right = st.columns([3, 2], gap="large")
    with left:
        for q in visible:
            question_widget(q)
    with right:
        finding = m.assessment.protection
        with st.container(border=True):
            st.subheader("What that means")
            if finding is None:
                st.caption("Nothing answered yet: the source is taken to be protected, and the four factors decide.")
            else:
                st.markdown(f"**{for_markdown(labels.label('protection', finding.status))}**")
                st.markdown(for_markdown(finding.summary))
                for r in finding.reasons:
                    line = for_markdown(r.text)
                    if r.authorities:
                        line += "  \n" + "; ".join(f"*{for_markdown(cite(a))}*" for a in r.authorities)
                    st.markdown(line)
                if finding.year_of_law is not None:
                    st.caption(f"Term rules applied for the year {finding.year_of_law} (U.S. law only).")
                if not finding.fair_use_needed:
                    st.info(
                        "The four factors are still shown, for the record, but the use does not need them.",
                        icon=":material/info:",
                    )
    step_buttons(THIS_PAGE, next_label="Measure the evidence →")


render()
