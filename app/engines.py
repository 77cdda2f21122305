"""The app's calls into the pipeline: ingest an upload, compare, assess, build the memo.

The pages never import an engine directly; they come here. That keeps three promises in
one place: models load once per process (``st.cache_resource``), heavy libraries are only
imported when a comparison actually runs, and every problem with the user's input arrives
as an ``InputError`` whose message the page shows next to the input.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

import streamlit as st

from analysis.assess.models import Assessment
from analysis.evidence import ComparisonReport
from app.state import Analysis, Role, WorkInput

ProgressCallback = Callable[[float, str], None]

TEXT_UPLOAD_TYPES = ["txt", "md", "markdown", "text", "pdf", "docx", "html", "htm", "xhtml"]
IMAGE_UPLOAD_TYPES = ["png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff"]
UPLOAD_TYPES = TEXT_UPLOAD_TYPES + IMAGE_UPLOAD_TYPES


# --------------------------------------------------------------------------- models, once
@st.cache_resource(show_spinner="Loading the text model (once per session of the app)…")
def text_model(device: str = "auto"):
    """The sentence-embedding model, loaded once and shared by every session of this server."""
    from analysis.measure.text.embeddings import load_text_model

    return load_text_model(None, device)


# --------------------------------------------------------------------------- works
def _suffix(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def ingest_upload(role: Role, name: str, data: bytes, previous: WorkInput) -> WorkInput:
    """Read an uploaded file now, so a bad file is refused at the uploader, not later.

    Keeps the title, author and description the user already typed for this work.
    """
    from analysis.errors import EmptyInputError, UnsupportedFormatError
    from analysis.ingest.limits import check_file_size

    if not data:
        raise EmptyInputError(f"{name}: the file is empty")
    check_file_size(len(data), name)
    suffix = _suffix(name)
    keep = {"title": previous.title, "author": previous.author, "description": previous.description}
    if suffix in IMAGE_UPLOAD_TYPES:
        from analysis.ingest.image import load_image

        load_image(data, name)  # raises a typed InputError for corrupt, huge, animated or unsupported files
        return WorkInput(role=role, kind="image", name=name, data=data, media_type=_image_mime(suffix), **keep)
    if suffix in TEXT_UPLOAD_TYPES or suffix == "":
        from analysis.ingest.text import ingest_text_bytes

        ingested = ingest_text_bytes(data, name)
        return WorkInput(
            role=role,
            kind="text",
            name=name,
            text=ingested.original,
            data=data,
            media_type=getattr(ingested, "media_type", None),
            **keep,
        )
    raise UnsupportedFormatError(
        f"{name}: .{suffix} files are not supported; use a text file (.txt, .md, .pdf, .docx, .html) "
        "or an image (.png, .jpg, .webp, .gif, .bmp, .tiff)"
    )


def pasted_work(role: Role, text: str, previous: WorkInput) -> WorkInput:
    return WorkInput(
        role=role,
        kind="text",
        name="pasted text",
        text=text,
        media_type="text/plain",
        title=previous.title,
        author=previous.author,
        description=previous.description,
    )


def _image_mime(suffix: str) -> str:
    return {
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "webp": "image/webp",
        "gif": "image/gif",
        "bmp": "image/bmp",
        "tif": "image/tiff",
        "tiff": "image/tiff",
    }.get(suffix, "application/octet-stream")


def analysis_from_sample(sample_id: str) -> Analysis:
    """A fresh analysis holding a sample case's two works, titles and scenario."""
    from analysis.samples import list_samples

    case = next((c for c in list_samples() if c.id == sample_id), None)
    if case is None:
        from analysis.errors import MissingInputError

        raise MissingInputError(f"no sample case named {sample_id!r}")
    scenario = case.scenario.model_copy(deep=True)
    if not scenario.title:
        scenario = scenario.model_copy(update={"title": case.title})
    works = []
    for role, path, meta in (
        ("generated", case.generated_path, scenario.new_work),
        ("source", case.source_path, scenario.source),
    ):
        data = path.read_bytes()
        base = WorkInput(
            role=role, title=meta.title or "", author=meta.author or "", description=meta.description or ""
        )
        works.append(ingest_upload(role, path.name, data, base))
    analysis = Analysis(sample_id=case.id, generated=works[0], source=works[1], scenario=scenario)
    analysis.memo.matter = case.title
    return analysis


def sync_work_details(analysis: Analysis) -> None:
    """Copy the works' titles, authors and descriptions into the scenario the engine reads."""
    sc = analysis.scenario
    for w, target in ((analysis.generated, "new_work"), (analysis.source, "source")):
        current = getattr(sc, target)
        upd = {
            "title": w.title or None,
            "author": w.author or None,
            "description": w.description or None,
        }
        if w.kind == "text" and current.medium is None:
            upd["medium"] = "text"
        if w.kind == "image" and current.medium is None:
            upd["medium"] = "image"
        sc = sc.model_copy(update={target: current.model_copy(update=upd)})
    analysis.scenario = sc


# --------------------------------------------------------------------------- evidence
def compare(analysis: Analysis, progress: ProgressCallback | None = None) -> ComparisonReport:
    """Run the matching engine on the two works. Raises ``InputError`` for unusable inputs."""
    from analysis.errors import InputError

    gen, src = analysis.generated, analysis.source
    for w in (gen, src):
        if not w.ready:
            raise InputError(f"{w.label}: add a text or an image first (step 1, Works)")
    if gen.kind != src.kind:
        raise InputError("one work is a text and the other an image; compare two texts or two images")
    if gen.kind == "image":
        from analysis.measure.image.compare import compare_image_bytes

        return compare_image_bytes(
            gen.data,
            src.data,
            generated_name=gen.name or "generated image",
            source_name=src.name or "source image",
            progress=progress,
        )
    from analysis.ingest.text import ingest_pasted_text, ingest_text_bytes
    from analysis.measure.text.compare import compare_ingested

    if progress:
        progress(0.0, "Loading the text model")
    embedder = text_model()
    # An uploaded file is ingested from its raw bytes again, so the report's SHA-256 is the
    # file's own; pasted text is hashed as its UTF-8 encoding.
    ingested = [
        ingest_text_bytes(w.data, w.name) if w.data else ingest_pasted_text(w.text or "", w.name or "pasted text")
        for w in (gen, src)
    ]
    return compare_ingested(ingested[0], ingested[1], progress=progress, embedder=embedder)


def attach_report(analysis: Analysis, report: ComparisonReport) -> list[str]:
    """Store a new report, pre-fill the answers it can give, and reassess. Returns the pre-filled ids.

    Answers pre-filled from an earlier report are cleared first, so the new measurements fill
    them again (``prefill_from_evidence`` never overwrites an answered question). Answers the
    user gave or changed by hand are not in ``prefilled`` (the answer callbacks drop them) and
    are kept.
    """
    from analysis.assess.questionnaire import load_questionnaire, prefill_from_evidence, set_answer
    from analysis.errors import ScenarioError

    qn = load_questionnaire()
    scenario = analysis.scenario
    kept: list[str] = []  # old pre-filled answers that could not be cleared (never expected)
    for qid in analysis.prefilled:
        try:
            scenario = set_answer(scenario, qn.by_id(qid), None)
        except KeyError:  # not a question any more (an old saved file): nothing to clear
            continue
        except ScenarioError:
            kept.append(qid)
    analysis.report = report
    analysis.report_inputs = analysis.inputs_fingerprint()
    scenario, ids = prefill_from_evidence(scenario, report.facts)
    for qid in set(analysis.prefilled) | set(ids):
        st.session_state.pop(f"w:q:{qid}", None)  # the factor widgets re-seed from the new answers
    analysis.scenario = scenario
    analysis.prefilled = sorted(set(kept) | set(ids))
    reassess(analysis)
    return list(ids)


# --------------------------------------------------------------------------- assessment
def assess_scenario(analysis: Analysis, scenario=None) -> Assessment:
    from analysis.assess.engine import assess

    reports = [analysis.report] if analysis.report is not None else []
    return assess(scenario if scenario is not None else analysis.scenario, reports)


def reassess(analysis: Analysis) -> Assessment:
    analysis.assessment = assess_scenario(analysis)
    return analysis.assessment


def current_assessment(analysis: Analysis) -> Assessment:
    """The assessment for the answers as they stand (recomputed when missing; the engine takes milliseconds)."""
    if analysis.assessment is None:
        reassess(analysis)
    assert analysis.assessment is not None
    return analysis.assessment


# --------------------------------------------------------------------------- memo
def build_memo(analysis: Analysis):
    from analysis.report.memo import build_memo as _build

    a = current_assessment(analysis)
    m = analysis.memo
    return _build(
        a,
        [analysis.report] if analysis.report is not None else [],
        audience=m.audience,
        matter=m.matter or None,
        reviewer=m.reviewer or None,
        privileged=m.privileged,
        judge_mode=m.judge_mode and m.audience == "student",
    )


def figure_png(fig) -> bytes:
    return base64.b64decode(fig.png_base64)


def first_page_png(pdf: bytes, dpi: int = 90) -> bytes | None:
    """The memo's first page as PNG via poppler's pdftoppm, when it is installed (else None)."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    exe = shutil.which("pdftoppm")
    if not exe:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        pdf_path = Path(tmp) / "memo.pdf"
        pdf_path.write_bytes(pdf)
        try:
            subprocess.run(
                [exe, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf_path), str(Path(tmp) / "p")],
                check=True,
                capture_output=True,
                timeout=30,
            )
        except (subprocess.SubprocessError, OSError):
            return None
        out = Path(tmp) / "p.png"
        return out.read_bytes() if out.is_file() else None
