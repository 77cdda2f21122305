"""The app's session state: one ``Matter`` (``analysis.matter``), kept in ``st.session_state``.

Why one object: Streamlit forgets a widget's value when its page is not shown, so the
widgets are only *views* of the matter. Every edit goes through a callback into the matter,
and a widget that is drawn again is seeded from it. Saving is the matter's own file
(``Matter.dumps``), and resuming is putting a loaded matter back.

Streamlit is imported inside the helpers only, so this module can be imported anywhere.
"""

from __future__ import annotations

from typing import Any

from analysis.matter import Matter

STATE_KEY = "fairuse_analysis"
"""Where the ``Matter`` lives in ``st.session_state`` (the key the app has always used)."""

WIDGET_PREFIX = "w:"
"""Every widget that mirrors a field of the matter uses a key starting with this, so that
loading a saved file can drop them all and let them re-seed from the new matter."""


def get_matter() -> Matter:
    """The session's matter, created empty on first use."""
    import streamlit as st

    if STATE_KEY not in st.session_state:
        st.session_state[STATE_KEY] = Matter.new()
    return st.session_state[STATE_KEY]


def set_matter(matter: Matter) -> None:
    """Replace the whole matter (sample picked, file resumed) and re-seed every widget."""
    import streamlit as st

    st.session_state[STATE_KEY] = matter
    reset_widgets()


def reset_widgets(prefix: str = WIDGET_PREFIX) -> None:
    """Forget the mirrored widget values so they are seeded again from the matter."""
    import streamlit as st

    for key in [k for k in list(st.session_state.keys()) if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]


def forget(keys: list[str]) -> None:
    """Drop some widget values (their model changed), so they re-seed on the next draw."""
    import streamlit as st

    for key in keys:
        st.session_state.pop(key, None)


def seed(key: str, value: Any) -> None:
    """Give a widget its value from the matter if it has none yet (first draw, or after a reset)."""
    import streamlit as st

    if key not in st.session_state:
        st.session_state[key] = value
