"""The reader's own view, per factor and overall: a text area bound to the ``Matter``'s notes.

The ALA Fair Use Evaluator lets its user write their own reasoning into the dated record;
here the note is kept in the matter (so it is saved in the ``.fairuse.json`` file and read
back), and the memo prints it as "the author's view" beside the engine's, never merged into it.
"""

from __future__ import annotations

import streamlit as st

from analysis import labels
from app.state import get_matter, seed

NOTE_HELP = (
    "Your own reasoning, in your words. The memo prints it as the author's view beside the engine's; "
    "the engine does not read it. It is kept when you save the analysis."
)


def _key(note_key: str) -> str:
    return f"w:note:{note_key}"


def _on_note(note_key: str) -> None:
    get_matter().set_note(note_key, st.session_state[_key(note_key)])


def note_area(note_key: str) -> None:
    """A text area for one note ("1".."4" or "overall"), seeded from the matter."""
    m = get_matter()
    seed(_key(note_key), m.notes.get(note_key, ""))
    label = (
        "Your overall view"
        if note_key == "overall"
        else f"Your view on factor {note_key} ({labels.factor_short(int(note_key))})"
    )
    st.text_area(
        label,
        key=_key(note_key),
        on_change=_on_note,
        args=(note_key,),
        height=110,
        placeholder="Optional: why you agree or disagree, facts the questions missed…",
        help=NOTE_HELP,
    )
