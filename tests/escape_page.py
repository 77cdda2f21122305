"""A Streamlit page that shows every hostile string through the page sinks (tests/test_escape.py).

Run by the browser test with ``streamlit run tests/escape_page.py``. Each string is shown five
ways, each in a container whose key names the case and the way: ``st.markdown`` and
``st.caption`` of ``for_markdown``, ``for_markdown(newlines="space")``, and ``for_html`` inside
an HTML block and inline in Markdown with ``unsafe_allow_html=True``. One unescaped image with
a relative address is the control: the test must see the browser request it from the local
server, which shows that a leak would have been seen.
"""

from __future__ import annotations

import streamlit as st

from analysis.escape import for_html, for_markdown
from tests.hostile_strings import HOSTILE

st.markdown("![control](control-probe.png)")  # unescaped on purpose: the test's positive control
for i, text in enumerate(HOSTILE.values()):
    with st.container(key=f"case-{i}-markdown"):
        st.markdown(for_markdown(text))
    with st.container(key=f"case-{i}-caption"):
        st.caption(for_markdown(text))
    with st.container(key=f"case-{i}-oneline"):
        st.markdown(for_markdown(text, newlines="space"))
    with st.container(key=f"case-{i}-htmlblock"):
        st.markdown(f'<div class="escaped">{for_html(text)}</div>', unsafe_allow_html=True)
    with st.container(key=f"case-{i}-htmlinline"):
        st.markdown(f'**{i}** <span class="escaped">{for_html(text)}</span>', unsafe_allow_html=True)
with st.container(key="escape-page-done"):
    st.write("done")
