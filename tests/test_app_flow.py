"""The Streamlit app, driven end to end with AppTest: a text sample and an image sample
through works → evidence → the four factors → assessment (with a what-if) → memo, a PDF
download whose bytes are a real PDF, and save → resume into the same state; and the file the
app saved gives the same assessment and memo through ``fairuse assess`` and ``fairuse memo``.

Real engines, real model: nothing is faked here. The text model loads once per test module
(``st.cache_resource``); the cache is cleared between tests as the design notes advise.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

pytest.importorskip("streamlit")
import streamlit as st
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from analysis.samples import list_samples

MAIN = str(Path(__file__).resolve().parent.parent / "app" / "main.py")
TIMEOUT = 180  # the first comparison loads the text model (a few seconds on a busy 2-core machine)


@pytest.fixture(autouse=True)
def _fresh_cache():
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def downloads(monkeypatch):
    """Every file handed to a download button in this test: [(file_name, bytes, mime)].

    A button whose data is a callable (built on click, like the save file) is recorded with
    the callable in place of the bytes; ``_data`` calls it, as a click would.
    """
    from streamlit.runtime.media_file_manager import MediaFileManager

    seen: list[tuple[str | None, object, str]] = []
    original = MemoryMediaFileStorage.load_and_get_id
    original_deferred = MediaFileManager.add_deferred

    def capture(self, path_or_data, mimetype, kind, filename=None):
        if isinstance(path_or_data, (bytes, bytearray)):
            seen.append((filename, bytes(path_or_data), mimetype))
        return original(self, path_or_data, mimetype, kind, filename)

    def capture_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        seen.append((file_name, data_callable, mimetype))
        return original_deferred(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", capture)
    monkeypatch.setattr(MediaFileManager, "add_deferred", capture_deferred)
    return seen


def _shown(markdown: str) -> str:
    """What a message drawn from ``for_markdown`` reads as (its escapes and word joiners gone)."""
    import re

    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def _data(d) -> bytes:
    return d[1]() if callable(d[1]) else d[1]


def _sample(kind: str):
    cases = list_samples(kind)
    assert cases, f"no {kind} sample cases installed"
    return cases[0]


def _ok(at: AppTest) -> AppTest:
    from app.ui import INTERNAL_ERROR

    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error if INTERNAL_ERROR in e.value]
    return at


def _matter(at: AppTest):
    from analysis.matter import Matter

    m = at.session_state["fairuse_analysis"]
    assert isinstance(m, Matter)
    return m


def _go(at: AppTest, page: str) -> AppTest:
    return _ok(at.switch_page(f"app_pages/{page}.py").run())


def _load_sample(at: AppTest, sample_id: str) -> AppTest:
    at.selectbox(key="sample_pick").set_value(sample_id).run()
    _ok(at)
    at.button(key="sample_load").click().run()
    return _ok(at)


def _analyse(at: AppTest) -> AppTest:
    _go(at, "evidence")
    at.button(key="analyse").click().run(timeout=TIMEOUT)
    _ok(at)
    assert not at.error, [e.value for e in at.error]
    assert _matter(at).evidence_current
    return at


def _walk_factors(at: AppTest) -> None:
    """Every factor page draws its questions and its current lean; one answer changes the scenario."""
    from analysis.assess.questionnaire import get_answer, load_questionnaire

    qn = load_questionnaire()
    changed = False
    for n in (1, 2, 3, 4):
        _go(at, f"factor_{n}")
        assert any(f"Factor {n}" in t.value for t in at.title)
        assert any("Where it leans now" in h.value for h in at.subheader)
        radios = [r for r in at.radio if str(r.key or "").startswith("w:q:")]
        assert radios or at.multiselect, f"factor {n} shows no questions"
        if not changed and radios:
            r = radios[0]
            qid = str(r.key).removeprefix("w:q:")
            before = get_answer(_matter(at).scenario, qid)
            new = next(o for o in r.options if o != str(before))  # options are labels in the proto
            q = qn.by_id(qid)
            value = next(o.value for o in q.options if o.label == new)
            r.set_value(value).run()
            _ok(at)
            assert get_answer(_matter(at).scenario, qid) == value
            assert _matter(at).answer(qid).origin == "user"
            changed = True
    assert changed


def _assessment_and_whatif(at: AppTest) -> None:
    from analysis.assess.models import OVERALL_LABELS

    _go(at, "assessment")
    a = _matter(at).assessment
    assert a is not None
    text = " ".join(h.value for h in at.html)
    assert OVERALL_LABELS[a.overall.label] in text
    assert any("Nearest precedents" in s.value for s in at.subheader)
    before = _matter(at).scenario.model_dump()
    sel = at.selectbox(key="whatif_q")
    assert sel.options
    tables = [m.value for m in at.markdown if "| now | what if |" in m.value]
    assert tables and "Overall" in tables[0]
    assert _matter(at).scenario.model_dump() == before, "a what-if must not change the analysis"


def _memo(at: AppTest, downloads) -> bytes:
    from pypdf import PdfReader

    from analysis.report.templates import load_template

    _go(at, "memo")
    at.radio(key="w:memo:audience").set_value("counsel").run()
    _ok(at)
    at.text_input(key="w:memo:matter").set_value("Test matter <b>&</b>").run()
    _ok(at)
    assert _matter(at).memo_options.audience == "counsel"
    pdfs = [d for d in downloads if d[2] == "application/pdf"]
    assert pdfs, "no PDF was handed to a download button"
    pdf = pdfs[-1][1]
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    # the counsel memo, every one of its sections, and a footer that counts the real pages
    tpl = load_template("counsel")
    missing = [
        h for sid, h in tpl.headings.items() if sid in tpl.section_order(False) and " ".join(h.split()) not in text
    ]
    assert not missing, missing
    totals = {int(n) for n in re.findall(r"Page \d+ of (\d+)", text)}
    assert totals == {len(reader.pages)}, totals
    assert "Test matter" in "".join(p.extract_text() or "" for p in reader.pages[:2])
    assert any(d[2] == "text/markdown" and d[1] for d in downloads)
    assert any(d[2] == "application/json" and _data(d).lstrip().startswith(b"{") for d in downloads)
    return pdf


def _saved(downloads) -> tuple[str, bytes]:
    from analysis.formats import SAVE_SUFFIX

    saved = [d for d in downloads if (d[0] or "").endswith(SAVE_SUFFIX)]
    assert saved
    return saved[-1][0], _data(saved[-1])


def _save_and_resume(at: AppTest, downloads) -> None:
    from analysis.formats import SAVE_SUFFIX

    saved = [d for d in downloads if (d[0] or "").endswith(SAVE_SUFFIX)]
    assert saved
    assert callable(saved[-1][1]), "the save file is built on click, not on every rerun"
    data = _data(saved[-1])
    original = _matter(at)
    fresh = _ok(AppTest.from_file(MAIN, default_timeout=TIMEOUT).run())
    fresh.file_uploader(key="resume_upload").set_value((saved[-1][0], data, "application/json")).run()
    _ok(fresh)
    restored = _matter(fresh)
    assert restored.model_dump(mode="json") == original.model_dump(mode="json")
    assert restored.evidence_current == original.evidence_current
    # the assessment is worked out again from the answers and the evidence, and comes out the same
    assert restored.assessment.model_dump(exclude={"created_at"}) == original.assessment.model_dump(
        exclude={"created_at"}
    )
    # the restored state draws on every page, widgets seeded from it
    _go(fresh, "factor_1")
    _go(fresh, "assessment")


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?([+-]\d{2}:\d{2}|Z)?)?( UTC)?")


def _cli_gives_the_same(at: AppTest, downloads, tmp_path: Path) -> None:
    """The file the app saved, through ``fairuse assess`` and ``fairuse memo``: the same assessment
    and the same memo (Markdown and JSON) as the app showed, apart from the date and the row
    that records the saved file's own hash."""
    import json

    from analysis.assess.models import Assessment
    from analysis.evidence import sha256_file
    from tests.cli_helpers import run_cli_here

    name, data = _saved(downloads)
    saved = tmp_path / name
    saved.write_bytes(data)
    app_md = next(d[1] for d in reversed(downloads) if d[2] == "text/markdown")
    app_json = json.loads(next(_data(d) for d in reversed(downloads) if d[2] == "application/json" and d[0] != name))
    app_assessment = _matter(at).assessment

    r = run_cli_here("assess", str(saved), "--json", str(tmp_path / "a.json"))
    assert r.returncode == 0, r.stderr
    cli_assessment = Assessment.model_validate_json((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert cli_assessment.model_dump(exclude={"created_at"}) == app_assessment.model_dump(exclude={"created_at"})

    md, js, pdf = tmp_path / "m.md", tmp_path / "m.json", tmp_path / "m.pdf"
    r = run_cli_here("memo", str(saved), "-o", str(pdf), "--markdown", str(md), "--json", str(js))
    assert r.returncode == 0, r.stderr
    assert "Memo (counsel)" in r.stdout, "the saved memo options (audience) were not used"
    cli_json = json.loads(js.read_text(encoding="utf-8"))
    own = {"role": "analysis file", "name": name, "sha256": sha256_file(saved)}
    assert cli_json["memo"]["input_hashes"] == [*app_json["memo"]["input_hashes"], own]
    for part in (cli_json, app_json):
        part["assessment"].pop("created_at")
        for key in ("created", "input_hashes"):
            part["memo"].pop(key)
    assert cli_json == app_json

    def normal(text: str) -> list[str]:
        return [_DATE.sub("DATE", ln) for ln in text.splitlines() if own["sha256"] not in ln]

    app_text = app_md.decode("utf-8") if isinstance(app_md, bytes) else str(app_md)
    assert normal(md.read_text(encoding="utf-8")) == normal(app_text)
    assert "Test matter" in md.read_text(encoding="utf-8")


@pytest.mark.slow
def test_text_sample_end_to_end(downloads, tmp_path):
    case = _sample("text")
    at = _ok(AppTest.from_file(MAIN, default_timeout=TIMEOUT).run())
    _load_sample(at, case.id)
    a = _matter(at)
    assert a.generated.kind == "text" and a.generated.ready and a.source.ready
    assert a.sample_id == case.id
    _analyse(at)
    r = _matter(at).report
    assert r is not None and r.kind == "text"
    html = " ".join(h.value for h in at.html)
    assert r.text.passages, f"the sample {case.id} shares passages with its source"
    assert "fu-mark" in html and ("V1" in html or "N1" in html or "P1" in html)
    assert len(at.metric) >= 4
    _walk_factors(at)
    _assessment_and_whatif(at)
    _memo(at, downloads)
    _cli_gives_the_same(at, downloads, tmp_path)
    _save_and_resume(at, downloads)
    # editing a work afterwards marks the evidence as out of date on the later steps
    _go(at, "works")
    at.radio(key="w:generated:mode").set_value("Paste text").run()
    at.text_area(key="w:generated:paste").set_value("An entirely new text.").run()
    _ok(at)
    assert not _matter(at).evidence_current
    _go(at, "assessment")
    assert any("works changed" in w.value for w in at.warning)
    # the old report's offsets are not drawn over the edited text
    _go(at, "evidence")
    assert any("works changed" in w.value for w in at.warning)
    html = " ".join(h.value for h in at.html)
    assert 'class="fu-pane" aria-label' not in html and "An entirely new text" not in html
    assert any("analysed again" in i.value for i in at.info)


@pytest.mark.slow
def test_image_sample_end_to_end(downloads):
    case = _sample("image")
    at = _ok(AppTest.from_file(MAIN, default_timeout=TIMEOUT).run())
    _load_sample(at, case.id)
    assert _matter(at).generated.kind == "image"
    _analyse(at)
    r = _matter(at).report
    assert r is not None and r.kind == "image"
    assert len(at.image) >= 2  # both works, plus the engine's figures
    assert any("Each signal, in words" in s.value for s in at.subheader)
    _walk_factors(at)
    _assessment_and_whatif(at)
    _memo(at, downloads)
    _save_and_resume(at, downloads)


def test_pasted_text_and_errors_keep_state():
    """Pasted works, a bad upload (shown next to the input), and nothing else is lost."""
    at = _ok(AppTest.from_file(MAIN, default_timeout=TIMEOUT).run())
    at.text_area(key="w:generated:paste").set_value("The quick brown fox jumps over the lazy dog again.").run()
    at.text_input(key="w:generated:title").set_value("My <script>draft</script>").run()
    _ok(at)
    at.radio(key="w:source:mode").set_value("Upload a file").run()
    at.file_uploader(key="up:source").set_value(("broken.png", b"this is not a png", "image/png")).run()
    _ok(at)
    assert at.error and "broken.png" in _shown(at.error[0].value)
    a = _matter(at)
    assert a.generated.text.startswith("The quick brown fox")
    assert a.generated.title == "My <script>draft</script>"
    assert not a.source.ready
    # moving away and back keeps what was typed
    _go(at, "memo")
    _go(at, "works")
    assert (at.text_area(key="w:generated:paste").value or "").startswith("The quick brown fox")
    assert at.text_input(key="w:generated:title").value == "My <script>draft</script>"


def test_resume_rejects_a_bad_file_and_keeps_the_analysis():
    at = _ok(AppTest.from_file(MAIN, default_timeout=TIMEOUT).run())
    at.text_area(key="w:generated:paste").set_value("Something I typed.").run()
    at.file_uploader(key="resume_upload").set_value(("x.fairuse.json", b"{not json", "application/json")).run()
    _ok(at)
    assert any("not a saved fairuse analysis" in e.value for e in at.error)
    assert _matter(at).generated.text == "Something I typed."


def _image_bytes() -> tuple[bytes, bytes]:
    """A source picture and a recoloured crop of it (a partial copy), built here."""
    from PIL import Image, ImageEnhance
    from skimage import data

    src = Image.fromarray(data.astronaut())
    crop = ImageEnhance.Color(src.crop((100, 50, 400, 350)).resize((360, 360))).enhance(1.6)
    a, b = io.BytesIO(), io.BytesIO()
    crop.save(a, format="JPEG", quality=85)
    src.save(b, format="PNG")
    return a.getvalue(), b.getvalue()


@pytest.mark.slow
def test_uploaded_images_end_to_end(downloads):
    """The image flow from uploads (not a sample): works → evidence with figures → factors → memo → resume."""
    gen, src = _image_bytes()
    at = _ok(AppTest.from_file(MAIN, default_timeout=TIMEOUT).run())
    for role, name, data, mime in (
        ("generated", "gen.jpg", gen, "image/jpeg"),
        ("source", "src.png", src, "image/png"),
    ):
        at.radio(key=f"w:{role}:mode").set_value("Upload a file").run()
        at.file_uploader(key=f"up:{role}").set_value((name, data, mime)).run()
        _ok(at)
    assert not at.error
    assert _matter(at).generated.kind == _matter(at).source.kind == "image"
    _analyse(at)
    r = _matter(at).report
    assert r.kind == "image" and r.image.verdict.rung in ("partial_copy", "near_duplicate")
    assert {"portion", "entire_work"} & set(_matter(at).measured())
    _walk_factors(at)
    _assessment_and_whatif(at)
    _memo(at, downloads)
    _save_and_resume(at, downloads)


def test_text_against_image_is_refused_at_analyse_and_nothing_is_lost():
    _gen, src = _image_bytes()
    at = _ok(AppTest.from_file(MAIN, default_timeout=TIMEOUT).run())
    at.text_area(key="w:generated:paste").set_value("A short text that is not an image at all.").run()
    at.radio(key="w:source:mode").set_value("Upload a file").run()
    at.file_uploader(key="up:source").set_value(("src.png", src, "image/png")).run()
    _ok(at)
    assert any("two texts or two images" in w.value for w in at.warning)
    _go(at, "evidence")
    at.button(key="analyse").click().run()
    _ok(at)
    assert any("one work is a text and the other an image" in e.value for e in at.error)
    a = _matter(at)
    assert a.report is None and a.generated.text.startswith("A short text") and a.source.kind == "image"


def test_start_over_clears_the_analysis():
    at = _ok(AppTest.from_file(MAIN, default_timeout=TIMEOUT).run())
    at.text_area(key="w:generated:paste").set_value("Some words.").run()
    at.button(key="new_analysis").click().run()
    _ok(at)
    assert not _matter(at).generated.ready
    assert at.text_area(key="w:generated:paste").value == ""


def _upload_resume(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="resume_upload").set_value((name, data, "application/json")).run()
    return _ok(at)


def test_resume_refuses_a_file_from_a_newer_version_and_keeps_what_was_typed():
    at = _ok(AppTest.from_file(MAIN, default_timeout=TIMEOUT).run())
    at.text_area(key="w:generated:paste").set_value("Something I typed.").run()
    data = b'{"format": "fairuse-analysis", "format_version": 3, "generated": {}}'
    _upload_resume(at, "future.fairuse.json", data)
    assert any("saved by a newer version of fairuse" in e.value for e in at.error)
    assert _matter(at).generated.text == "Something I typed."
    assert at.text_area(key="w:generated:paste").value == "Something I typed."


def test_a_saved_analysis_whose_report_no_longer_matches_its_works_opens_marked_stale(downloads):
    """The report was made from other works: the app says so, keeps everything, leaves it out."""
    from analysis.evidence import ComparisonReport, EvidenceFacts, InputRecord
    from analysis.matter import Matter
    from analysis.works import work_from_text

    gen, src = "The generated text as it was measured.", "The source text as it was measured."
    m = Matter.from_works(work_from_text("generated", gen), work_from_text("source", src))
    records = [
        InputRecord(role=role, name="pasted text", sha256=w.sha256, bytes=len(t), kind="text", media_type="text/plain")
        for role, w, t in (("generated", m.generated, gen), ("source", m.source, src))
    ]
    facts = EvidenceFacts(medium="text", share_of_source_taken=0.9, heart_taken=True, copy_kind="verbatim")
    m.attach_report(ComparisonReport(kind="text", inputs=records, facts=facts))
    m.set_text("generated", "The generated text, edited after the comparison.")
    m.set_answer("commercial", "commercial")
    saved = m.dumps()

    at = _ok(AppTest.from_file(MAIN, default_timeout=TIMEOUT).run())
    _upload_resume(at, "stale.fairuse.json", saved)
    assert any("does not match its works" in w.value for w in at.sidebar.warning)
    loaded = _matter(at)
    assert loaded.generated.text == "The generated text, edited after the comparison."
    assert loaded.answer("commercial").value == "commercial" and loaded.stale_reports
    for page in ("evidence", "factor_3", "assessment"):
        _go(at, page)
        assert any("works changed" in w.value for w in at.warning), page
    before = len(downloads)
    _go(at, "memo")
    # the memo page refuses stale evidence and offers to measure again (issue #12)
    assert any("not written from out-of-date evidence" in e.value for e in at.error)
    assert any(b.label == "Analyse the works again" for b in at.button)
    memo_downloads = [d for d in downloads[before:] if not d[0].endswith(".fairuse.json")]
    assert memo_downloads == [], "a memo was offered from stale evidence"
