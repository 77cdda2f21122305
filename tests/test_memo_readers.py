"""What reaches the memo's readers (issue #12), on every shipped sample in every audience, through
the real parts: each sample case's two works compared with the real models, the real engine,
the real PDF read back with pypdf, and poppler's renders of every page under tests/artifacts/.

- no internal names: no snake_case identifier, dotted field path, enum value, bracketed code or
  exception class in the Markdown twin or the PDF's text;
- sized to the reader: the creator memo's body (bottom line, what to change, the evidence) is
  at most four pages before its first appendix, found through the PDF's outline; counsel's
  machine-readable record is a JSON file attached to the PDF, identical to the JSON twin;
- the author's view: notes per factor and overall round-trip through save/load and print;
- one headline figure, one rounding and one word count in the memo, its JSON and the app;
- the student memo: each precedent's facts, holding and findings, and at least three
  discussion questions drawn from the sensitivity of the result;
- no memo from stale evidence (the library and the CLI refuse it).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from analysis import figures
from analysis.errors import StaleEvidenceError
from analysis.matter import Matter
from analysis.report.memo import ATTACHMENT_NAME
from analysis.resources import samples_dir
from analysis.samples import list_samples
from tests.test_memo_support import FIXED, flat, pdf_text

AUDIENCES = ("creator", "counsel", "student")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "memos"

# what a reader must never see: internal names and codes
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
DOTTED = re.compile(r"\b[a-z_]+\.[a-z_]+(?:\.[a-z_]+)*\b")
BRACKETED = re.compile(r"\[[^\]\n]{1,80}\]")
EXCEPTION = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]*)*(?:Error|Exception)\b|\bBadZipFile\b")
ALLOWED_DOTTED = {"e.g", "i.e"}


def _sample_matters(compared_sample) -> list[tuple[str, Matter]]:
    """Each sample case compared with the real models (``compared_sample``), then each scenario."""
    out: list[tuple[str, Matter]] = [(case.id, compared_sample(case.id)) for case in list_samples()]
    folder = samples_dir() / "scenarios"
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        out.append((f"scenario-{path.stem}", Matter.open(path)))
    return out


@pytest.fixture(scope="module")
def matters(compared_sample) -> list[tuple[str, Matter]]:
    found = _sample_matters(compared_sample)
    assert any(m.reports for _n, m in found), "no sample was compared: the checks below would test nothing"
    return found


@pytest.fixture(scope="module")
def memos(matters):
    return {(name, aud): (m, m.build_memo(audience=aud, created=FIXED)) for name, m in matters for aud in AUDIENCES}


def _user_strings(m: Matter) -> set[str]:
    """File names the user gave (printed in the hash table as given)."""
    names = {w.name for w in (m.generated, m.source) if w.name}
    names |= {rec.name for r in m.reports for rec in r.inputs}
    return names


def leaks(text: str, allowed: set[str]) -> list[str]:
    for name in allowed:
        text = text.replace(name, " ")
    found = SNAKE.findall(text) + BRACKETED.findall(text) + EXCEPTION.findall(text)
    found += [d for d in DOTTED.findall(text) if d not in ALLOWED_DOTTED]
    return sorted(set(found))


def appendix_start(pdf: bytes) -> tuple[int, int]:
    """(1-based page of the first outline entry titled "Appendix…", page count)."""
    reader = PdfReader(io.BytesIO(pdf))

    def walk(items):
        for it in items:
            if isinstance(it, list):
                yield from walk(it)
            else:
                yield it

    for it in walk(reader.outline):
        if it.title.startswith("Appendix"):
            page = reader.get_destination_page_number(it)
            assert page is not None, "the appendix bookmark points at no page"
            return page + 1, len(reader.pages)
    raise AssertionError("the memo has no appendix in its outline")


# --------------------------------------------------------------------------- labels everywhere
@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_internal_names_in_any_sample_memo(memos, matters, audience):
    bad = {}
    for name, _m in matters:
        m, bundle = memos[(name, audience)]
        allowed = _user_strings(m)
        for what, text in (("markdown", bundle.markdown), ("pdf", pdf_text(bundle.pdf))):
            found = leaks(text, allowed)
            if found:
                bad[f"{name}/{what}"] = sorted(set(found))[:12]
    assert not bad, bad


def test_the_leak_check_catches_what_issue_12_found():
    samples = [
        "use.purposes = entertainment, ai_output",
        "Unanswered: public_benefit, ai_competing",
        "[against fair use] a reason",
        "the file could not be read (BadZipFile)",
        "header […9 more characters]",
    ]
    for s in samples:
        assert leaks(s, set()), s
    assert leaks("A chat answer, e.g. a retelling; 31 % of the source's words (verbatim).", set()) == []


# --------------------------------------------------------------------------- sized to the reader
def test_creator_memo_body_fits_four_pages_before_its_appendix(memos, matters):
    for name, _m in matters:
        _m2, bundle = memos[(name, "creator")]
        start, _pages = appendix_start(bundle.pdf)
        assert start - 1 <= 4, f"{name}: the creator memo's body runs {start - 1} pages"
        text = flat(pdf_text(bundle.pdf))
        # the bottom line, what to change and the evidence come before the appendix
        reader = PdfReader(io.BytesIO(bundle.pdf))
        body = flat("\n".join(reader.pages[i].extract_text() for i in range(start - 1)))
        for heading in ("The short answer", "What to change before you publish", "What we found in the two works"):
            assert flat(heading) in body, (name, heading)
        assert "morecharacters]" not in text


def test_counsel_record_is_an_attached_json_file_not_pages_of_json(memos, matters):
    for name, _m in matters:
        _m2, bundle = memos[(name, "counsel")]
        reader = PdfReader(io.BytesIO(bundle.pdf))
        attached = reader.attachments
        assert list(attached) == [ATTACHMENT_NAME], name
        assert json.loads(attached[ATTACHMENT_NAME][0]) == json.loads(bundle.json), name
        text = pdf_text(bundle.pdf)
        assert '"schema_version"' not in text and '": ' not in text, f"{name}: raw JSON on the page"
        appendix = flat(text)[flat(text).find(flat("Appendix A: method and audit record")) :]
        assert flat("SHA-256 of each input") in appendix and flat("attached to this PDF") in appendix
        for r in _m2.reports:
            for rec in r.inputs:
                assert rec.sha256 in appendix, name


def test_every_page_has_a_one_line_header(memos, matters):
    for name, _m in matters:
        for aud in AUDIENCES:
            _m2, bundle = memos[(name, aud)]
            reader = PdfReader(io.BytesIO(bundle.pdf))
            first_lines = {(p.extract_text() or "").splitlines()[0] for p in reader.pages}
            assert len(first_lines) == 1, (name, aud, first_lines)  # the same single line on every page
            assert "more characters" not in next(iter(first_lines))


# --------------------------------------------------------------------------- the author's view
def test_notes_round_trip_through_save_and_load_and_print_in_the_memo(matters, tmp_path):
    _name, m = next((n, m) for n, m in matters if m.reports and m.generated.kind == "text")
    m = Matter.loads(m.dumps())
    views = {
        "1": "The chat answer serves readers of the novel; I see no new purpose.",
        "2": "Treat the source as highly creative fiction.",
        "3": "Four whole paragraphs is far more than any purpose needed.",
        "4": "A reader could skip buying the book; the market harm is real.",
        "overall": "I agree with the engine: this needs a licence or a rewrite.",
    }
    for key, text in views.items():
        m.set_note(key, text)
    back = Matter.open(m.save(tmp_path / "notes.fairuse.json"))
    assert back.notes == views
    for aud in AUDIENCES:
        bundle = back.build_memo(audience=aud, created=FIXED)
        text = flat(pdf_text(bundle.pdf))
        assert text.count(flat("The author's view:")) == 5, aud
        for note in views.values():
            assert flat(note) in text, (aud, note)
            assert note in bundle.markdown
        assert json.loads(bundle.json)["memo"]["author_notes"] == views


def test_notes_in_a_scenario_file_reach_the_memo(tmp_path):
    src = samples_dir() / "scenarios" / "classroom_excerpt.yaml"
    text = src.read_text(encoding="utf-8")
    path = tmp_path / "with_notes.yaml"
    path.write_text(text + '\nauthor_notes:\n  "2": A factual textbook, so thin protection.\n  overall: Fair.\n')
    m = Matter.open(path)
    assert m.notes == {"2": "A factual textbook, so thin protection.", "overall": "Fair."}
    pdf = flat(pdf_text(m.build_memo(audience="counsel", created=FIXED).pdf))
    assert flat("The author's view: A factual textbook, so thin protection.") in pdf
    bad = tmp_path / "bad_notes.yaml"
    bad.write_text(text + '\nauthor_notes:\n  "7": no such factor\n')
    from analysis.errors import InputError

    with pytest.raises(InputError, match="author_notes"):
        Matter.open(bad)


# --------------------------------------------------------------------------- one figure, one rounding
def test_headline_and_word_counts_agree_across_memo_json_and_app(memos, matters):
    for name, m in matters:
        for r in m.current_reports:
            head = figures.headline(r)
            assert head is not None
            for aud in AUDIENCES:
                _m, bundle = memos[(name, aud)]
                assert flat(head.sentence) in flat(pdf_text(bundle.pdf)), (name, aud)
                assert json.loads(bundle.json)["memo"]["headlines"][0] == head.as_dict()
            if r.text is not None:  # the works page counts words as the comparison does
                assert figures.word_count(m.generated.text or "") == r.text.metrics.generated_words, name
                assert figures.word_count(m.source.text or "") == r.text.metrics.source_words, name
                sim = figures.similarity(r.text.metrics.semantic_similarity)
                _m, bundle = memos[(name, "counsel")]
                assert sim in pdf_text(bundle.pdf), name


def test_share_never_rounds_a_copy_away():
    assert figures.share(0.004) == "under 1 %" and figures.share(0) == "0 %"
    assert figures.share(0.3149) == "31 %" and figures.share(0.9996) == "over 99 %" and figures.share(1.0) == "100 %"


# --------------------------------------------------------------------------- the student memo
def test_student_memo_briefs_each_precedent_and_asks_three_questions(memos, matters):
    from analysis.assess.caselaw import load_cases

    cases = load_cases()
    for name, m in matters:
        _m, bundle = memos[(name, "student")]
        text = flat(pdf_text(bundle.pdf))
        precs = m.assessment.precedents[:5]
        for p in precs:
            assert flat(f"{p.name}, {p.citation}") in text
            first = cases[p.case_id].use.split(". ")[0]
            assert flat(first[:60]) in text, (name, p.case_id)
        if precs:
            assert text.count(flat("Holding.")) >= len(precs) and text.count(flat("Each factor.")) >= len(precs)
        section = bundle.markdown[bundle.markdown.find("## Questions for discussion") :]
        numbered = re.findall(r"^- \d+\\\. ", section, flags=re.M)
        assert len(numbered) >= 3, name
        for s in m.assessment.sensitivity[:3]:
            assert s.question in section


def test_judge_mode_keeps_holdings_for_the_last_appendix(matters):
    _name, m = next((n, m) for n, m in matters if m.assessment.precedents)
    bundle = m.build_memo(audience="student", judge_mode=True, created=FIXED)
    text = pdf_text(bundle.pdf)
    before = flat(text)[: flat(text).find(flat("Appendix B: how the courts decided"))]
    assert flat("Facts.") in before and flat("Holding.") not in before


# --------------------------------------------------------------------------- freshness
def test_no_memo_from_stale_evidence_library_and_cli(matters, tmp_path, capsys):
    from analysis.cli import main

    _name, m = next((n, m) for n, m in matters if m.reports and m.generated.kind == "text")
    m = Matter.loads(m.dumps())
    m.set_text("generated", (m.generated.text or "") + "\nOne more sentence, added after the comparison.")
    with pytest.raises(StaleEvidenceError):
        m.build_memo()
    saved = m.save(tmp_path / "stale.fairuse.json")
    out = tmp_path / "memo.pdf"
    assert main(["memo", str(saved), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "does not match its works" in err[0]
    assert not out.exists()


# --------------------------------------------------------------------------- look at every page
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed")
def test_render_every_page_of_every_memo(memos, matters, tmp_path):
    from PIL import Image, ImageStat

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, _m in matters:
        for aud in AUDIENCES:
            _m2, bundle = memos[(name, aud)]
            pdf = ARTIFACTS / f"{name}-{aud}.pdf"
            pdf.write_bytes(bundle.pdf)
            for old in ARTIFACTS.glob(f"{name}-{aud}-*.png"):
                old.unlink()
            # poppler renders each page to a PPM and Pillow writes the PNG under tests/artifacts/: the
            # same pixels as `pdftoppm -png`, whose PNG encoding took nine tenths of the time
            subprocess.run(["pdftoppm", "-r", "60", str(pdf), str(tmp_path / f"{name}-{aud}")], check=True, timeout=120)
            pages = sorted(tmp_path.glob(f"{name}-{aud}-*.ppm"))
            assert len(pages) == len(PdfReader(io.BytesIO(bundle.pdf)).pages)
            for page in pages:
                png = ARTIFACTS / f"{page.stem}.png"
                with Image.open(page) as im:
                    im.save(png, compress_level=3)
                    gray = im.convert("L")
                    w, h = gray.size
                    header = gray.crop((0, 0, w, int(h * 0.08)))
                    assert ImageStat.Stat(header).extrema[0][0] < 128, f"{png.name}: no running header"
                    assert ImageStat.Stat(gray).mean[0] < 254, f"{png.name}: a blank page"
                page.unlink()


# --------------------------------------------------------------------------- smaller things
def test_app_help_shows_the_port_option(capsys):
    from analysis.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["app", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--port PORT" in out and "8501" in out


def test_a_partly_commercial_use_is_worded_as_the_user_chose_it():
    from analysis.assess.engine import assess
    from analysis.assess.scenario import Scenario

    scenario = Scenario.model_validate({"use": {"commercial": "mixed", "purposes": ["parody"]}})
    compared = [x for p in assess(scenario, []).precedents for x in p.alike + p.differs if "use" in x]
    assert compared, "no precedent compared the commercial character: the check would test nothing"
    assert not any("is mixed" in x or "uses mixed" in x for x in compared)
    assert any("partly commercial" in x for x in compared)


def test_values_never_read_the_same_as_their_threshold():
    for value in (0.64204, 0.6418, 0.641999):
        v, t = figures.value_and_threshold(value, 0.642)
        assert v != t and float(v) == pytest.approx(value, abs=1e-5), (value, v, t)
    assert figures.value_and_threshold(0.5, 0.5) == ("0.500", "0.500")
