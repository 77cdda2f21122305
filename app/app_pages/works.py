"""Step 1 · Works: the generated work and the suspected source (paste, upload or a sample)."""

from __future__ import annotations

import streamlit as st

from analysis import figures, formats, labels
from analysis.errors import InputError
from analysis.escape import for_markdown
from analysis.matter import Matter
from analysis.works import Role
from app import components as ui_html
from app.state import get_matter, seed, set_matter
from app.ui import process_upload, set_error, show_error, step_buttons

THIS = "app_pages/works.py"
MODES = ["Paste text", "Upload a file"]
PREVIEW_CHARS = 1500


def _key(role: Role, name: str) -> str:
    return f"w:{role}:{name}"


# --------------------------------------------------------------------------- callbacks
def _on_paste(role: Role) -> None:
    get_matter().set_text(role, st.session_state[_key(role, "paste")])
    set_error(f"{role}:input", None)


def _on_detail(role: Role, field: str) -> None:
    get_matter().set_details(role, **{field: st.session_state[_key(role, field)]})


def _load_sample() -> None:
    sample_id = st.session_state.get("sample_pick")
    if not sample_id:
        return
    try:
        set_matter(Matter.from_sample(sample_id))
        set_error("sample", None)
        st.session_state["sample_loaded"] = sample_id
    except InputError as exc:
        set_error("sample", str(exc))


def _process_upload(m: Matter, role: Role) -> None:
    """Read a newly chosen file once (``app.ui.process_upload``; main.py runs it before the
    sidebar is drawn, so the sidebar's status follows the file at once)."""
    process_upload(m, role)


# --------------------------------------------------------------------------- drawing
def _preview(m: Matter, role: Role) -> None:
    w = m.work(role)
    if not w.ready:
        st.caption("Nothing added yet.")
        return
    if w.kind == "image" and w.data is not None:
        try:
            st.image(w.data, caption=for_markdown(w.name, newlines="space"), width=360)
        except Exception:
            st.caption(for_markdown(f"{w.name}: the browser cannot preview this format; it will still be analysed."))
        return
    text = w.text or ""
    words = figures.word_count(text)  # as the comparison and the memo count them
    st.caption(for_markdown(f"{w.name} · {words:,} words · {len(text):,} characters", newlines="space"))
    if st.session_state.get(_key(role, "mode")) != MODES[0]:
        shown = text[:PREVIEW_CHARS] + (" …" if len(text) > PREVIEW_CHARS else "")
        st.html(
            '<div class="fu-pane"><div class="fu-text" style="max-height:240px" tabindex="0">'
            + ui_html.esc(shown)
            + "</div></div>"
        )


def _work_column(m: Matter, role: Role) -> None:
    w = m.work(role)
    heading = labels.label("work_role", role)
    sub = (
        "The work you made or an AI produced: the one whose use is in question."
        if role == "generated"
        else "The copyrighted work it may borrow from."
    )
    st.subheader(heading)
    st.caption(sub)
    seed(_key(role, "mode"), MODES[0] if (w.kind is None or w.pasted) else MODES[1])
    mode = st.radio(f"How to add the {heading.lower()}", MODES, key=_key(role, "mode"), horizontal=True)
    if mode == MODES[0]:
        seed(_key(role, "paste"), w.text or "" if w.kind == "text" else "")
        st.text_area(
            f"{heading}: text",
            key=_key(role, "paste"),
            height=220,
            on_change=_on_paste,
            args=(role,),
            placeholder="Paste the text here…",
        )
    else:
        if w.ready and not w.pasted:
            st.caption(
                f"Using **{for_markdown(w.name, newlines='space')}**"
                + (" (from the sample case)" if m.sample_id else "")
            )
        st.file_uploader(
            f"{heading}: file",
            type=formats.upload_types(),
            key=f"up:{role}",
            help=f"Text: {formats.describe('text')} (a PDF needs a text layer). "
            f"Images: {formats.describe('image')}. Up to {_limit_mb()} MB.",
        )
    show_error(f"{role}:input")

    for field, label, ph in (
        ("title", "Title", "e.g. Chapter 1 draft"),
        ("author", "Author or maker", "a person, a company, or the AI system"),
    ):
        seed(_key(role, field), getattr(m.work(role), field))
        st.text_input(
            f"{heading}: {label.lower()}",
            key=_key(role, field),
            on_change=_on_detail,
            args=(role, field),
            placeholder=ph,
        )
    seed(_key(role, "description"), m.work(role).description)
    st.text_area(
        f"{heading}: short description",
        key=_key(role, "description"),
        on_change=_on_detail,
        args=(role, "description"),
        height=80,
        placeholder="What it is, where it appeared, when.",
    )
    with st.container(border=True):
        st.caption("Preview")
        _preview(m, role)


def _limit_mb() -> int:
    from analysis.ingest.limits import max_file_bytes

    return max_file_bytes() // (1024 * 1024)


def render() -> None:
    m = get_matter()
    roles: tuple[Role, Role] = ("generated", "source")
    for role in roles:
        _process_upload(m, role)  # before drawing, so the preview shows the new file at once
    st.title("1 · The two works")
    st.markdown(
        "Add the **generated work** and the **suspected source**, or start from a sample case. "
        "The tool measures how they relate, then walks you through the four fair-use factors."
    )

    from analysis.samples import list_samples

    samples = list_samples()
    by_id = {c.id: c for c in samples}
    with st.container(border=True):
        st.markdown("**Start from a sample case**")
        if samples:
            c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
            c1.selectbox(
                "Sample case",
                list(by_id),
                index=None,
                key="sample_pick",
                format_func=lambda i: f"{by_id[i].title} ({by_id[i].kind})",
                placeholder="Choose a sample case…",
            )
            c2.button(
                "Load sample",
                on_click=_load_sample,
                key="sample_load",
                width="stretch",
                disabled=st.session_state.get("sample_pick") is None,
                help="Replaces the current works and answers with the sample's.",
            )
            pick = by_id.get(st.session_state.get("sample_pick") or m.sample_id or "")
            if pick is not None:
                st.caption(f"{pick.description}  \n*Credits:* {pick.credits}")
        else:
            st.caption("No sample cases are installed.")
        show_error("sample")
        loaded_id = st.session_state.pop("sample_loaded", None)
        if loaded_id:
            loaded = by_id[loaded_id].title if loaded_id in by_id else loaded_id  # its title, not its folder name
            st.success(
                for_markdown(f"Loaded the sample case “{loaded}”. Its answers are filled in; change any of them."),
                icon=":material/check_circle:",
            )

    left, right = st.columns(2, gap="large")
    with left:
        _work_column(m, "generated")
    with right:
        _work_column(m, "source")

    reason = None
    if not m.works_ready:
        reason = "Add both works first."
    elif m.generated.kind != m.source.kind:
        reason = "Compare two texts or two images."
        st.warning("One work is a text and the other an image: the tool compares two texts or two images.")
    step_buttons(THIS, next_label="Is the source protected? →", disabled_reason=reason)


render()
