"""The fairuse app: a guided fair-use analysis (17 U.S.C. § 107), run with ``fairuse app``
or ``streamlit run app/main.py``.

Five steps in the sidebar (``st.navigation``): the works, the evidence, the four factors
(one page each), the assessment, the memo. The app is a view of one ``Matter``
(``analysis.matter``) kept in ``st.session_state`` (``app.state``), so moving between pages or
rerunning never loses an answer, and the whole analysis is saved to one file and resumed.

Private by default: the model libraries are switched offline before anything imports
them, usage statistics are off (``app/config.py``, passed by ``fairuse app``), and the page
loads nothing from outside this machine. An unexpected error on a page is shown as a plain
message (the trace goes to the terminal); the matter in the session is untouched.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:  # `streamlit run app/main.py` puts app/ on the path, not the repo root
    sys.path.insert(0, str(_ROOT))

from analysis.privacy import enforce_offline  # noqa: E402

enforce_offline()  # before any model code is imported (HF_HUB_OFFLINE is read at import)

import streamlit as st  # noqa: E402

st.set_page_config(
    page_title="fairuse · fair-use analysis",
    page_icon="⚖️",
    layout="wide",
    initial_sidebar_state="expanded",
)

from app.components import CSS  # noqa: E402
from app.pages_index import PAGES  # noqa: E402
from app.sidebar import process_resume, render_sidebar  # noqa: E402
from app.state import get_matter  # noqa: E402
from app.ui import note_interrupted_compare, process_uploads, run_page, show_compare_stopped  # noqa: E402

note_interrupted_compare()  # first: a comparison still marked running was cut short by this very rerun
process_resume()  # a file chosen in the sidebar replaces the analysis before anything is drawn
run_page(process_uploads)  # a work's new file is read before the sidebar says where things stand
navigation = st.navigation(
    {
        "Guided analysis": [
            st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url, default=(i == 0)) for i, p in enumerate(PAGES)
        ],
        "Catalogue": [
            st.Page("app_pages/scan.py", title="Scan a catalogue", icon=":material/travel_explore:", url_path="scan")
        ],
    }
)
st.html(CSS)
run_page(render_sidebar)
if navigation.url_path != next(p.url for p in PAGES if p.path == "app_pages/evidence.py"):
    # a comparison cut short is said on whatever page comes next (step 2 says it beside its button)
    run_page(lambda: show_compare_stopped(get_matter(), on_evidence_page=False))
run_page(navigation.run)
