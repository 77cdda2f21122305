"""Scan a catalogue: pick an index, drop works, see the ranked candidates, open any row as a
full analysis. Self-contained: it reads the library (``analysis.scan``) and hands a chosen
pair to the guided flow through ``app.state``."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import streamlit as st

from analysis import defaults, figures
from analysis.escape import for_markdown

RESULT_KEY = "fu_scan_result"
UPLOADS_KEY = "fu_scan_uploads"
INDEX_ENV = "FAIRUSE_INDEX"

st.header("Scan a catalogue")
st.caption(
    "Which works in a catalogue does each work copy, and how much? Build an index once with "
    "`fairuse index CATALOGUE... --out INDEX`; candidates are ranked by the index, then the top ones get the "
    "full comparison. Nothing leaves this machine."
)

index_path = st.text_input(
    "Index folder", value=st.session_state.get("fu_scan_index", os.environ.get(INDEX_ENV, "")), key="fu_scan_index"
)
info = None
if index_path.strip():
    from analysis.errors import InputError
    from analysis.index.store import read_manifest

    try:
        info = read_manifest(Path(index_path.strip()).expanduser())
        c = info["counts"]
        st.success(
            f"Index of {c['works']:,} works: {c['texts']:,} texts ({c['text_words']:,} words), {c['images']:,} images "
            f"· updated {info.get('updated', '?')}"
        )
    except InputError as exc:
        st.error(for_markdown(str(exc)))

uploads = st.file_uploader(
    "Works to scan (texts or images)",
    type=["txt", "md", "pdf", "docx", "html", "htm", "png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff"],
    accept_multiple_files=True,
    key="fu_scan_files",
)
top = st.slider("Candidates given the full comparison, per work", 1, 20, defaults.SCAN_TOP_K, key="fu_scan_top")


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name).strip("._") or "work"


if st.button("Scan", type="primary", disabled=not (info and uploads)):
    from analysis.errors import FairUseError
    from analysis.scan.scan import scan_works

    tmp = Path(tempfile.mkdtemp(prefix="fairuse-scan-"))
    saved: dict[str, tuple[str, bytes]] = {}
    paths = []
    for i, up in enumerate(uploads or []):
        data = up.getvalue()
        p = tmp / f"{i:03d}-{_safe(up.name)}"
        p.write_bytes(data)
        saved[str(p)] = (up.name, data)
        paths.append(p)
    bar = st.progress(0.0, text="scanning")
    done = {"n": 0}

    def progress(n: int, label: str) -> None:
        done["n"] += n
        shown = next((v[0] for k, v in saved.items() if Path(k).name == label), label)
        bar.progress(min(1.0, done["n"] / max(1, len(paths))), text=f"scanned {shown}")

    try:
        with st.spinner("Ranking candidates and comparing the top ones…"):
            result = scan_works(paths, Path(index_path.strip()).expanduser(), top=top, progress=progress)
        st.session_state[RESULT_KEY] = result
        st.session_state[UPLOADS_KEY] = saved
    except FairUseError as exc:
        st.error(for_markdown(str(exc)))

shown_result = st.session_state.get(RESULT_KEY)
if shown_result is not None:
    result = shown_result
    uploads_saved: dict[str, tuple[str, bytes]] = st.session_state.get(UPLOADS_KEY, {})
    st.subheader("Ranked candidates")
    for wr in result.works:
        shown = uploads_saved.get(wr.path, (wr.work, b""))[0]
        if wr.status != "ok":
            st.error(for_markdown(f"{shown}: not scanned: {wr.error}"))
            continue
        rows = [r for r in result.rows if r.work_path == wr.path]
        st.markdown(
            f"**{for_markdown(shown, newlines='space')}** · {figures.count(len(rows), 'candidate')} compared, {sum(r.flagged for r in rows)} flagged"
        )
        if not rows:
            st.info("No candidate in the index.")
            continue
        st.dataframe(
            [
                {
                    "rank": r.rank,
                    "candidate": r.source_title,
                    "author": r.source_author,
                    "cheap score": round(r.cheap_score, 3),
                    "channel": r.channel,
                    "verdict": r.verdict.replace("_", "-"),
                    "work copied": None if r.share_of_work_copied is None else f"{r.share_of_work_copied * 100:.0f}%",
                    "source taken": None
                    if r.share_of_source_taken is None
                    else f"{r.share_of_source_taken * 100:.0f}%",
                    "longest": r.longest,
                }
                for r in rows
            ],
            hide_index=True,
            width="stretch",
        )
    labels = [
        f"{uploads_saved.get(r.work_path, (r.work, b''))[0]} → #{r.rank} {r.source_title} ({r.verdict.replace('_', '-')})"
        for r in result.rows
    ]
    if labels:
        pick = st.selectbox(
            "Open a row as a full analysis", range(len(labels)), format_func=lambda i: labels[i], key="fu_scan_pick"
        )
        if st.button("Open as a full analysis →", key="fu_scan_open"):
            from analysis.errors import FairUseError

            row = result.rows[pick]
            try:
                from analysis.matter import Matter
                from analysis.works import work_from_bytes
                from app.state import set_matter

                gname, gdata = uploads_saved[row.work_path]
                generated = work_from_bytes("generated", gname, gdata)
                generated.title = Path(gname).stem
                src = Path(row.source_path)
                source = work_from_bytes("source", src.name, src.read_bytes())
                source.title, source.author = row.source_title, row.source_author or ""
                set_matter(Matter.from_works(generated, source))
                st.switch_page("app_pages/evidence.py")
            except (FairUseError, OSError, KeyError) as exc:
                st.error(for_markdown(f"Cannot open this pair: {exc}"))
