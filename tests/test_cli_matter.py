"""The CLI reads and writes the same file as the app: ``fairuse compare … --save`` starts a
saved analysis, ``fairuse assess FILE`` and ``fairuse memo FILE`` take it wherever they take a
scenario, and a bad one (damaged, newer, stale) is one line and exit 2 with nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.matter import Matter
from tests.cli_helpers import ROOT, one_line_error, run_cli, run_cli_here
from tests.test_memo_support import flat, pdf_text

pytestmark = pytest.mark.slow  # the CLI's comparison once per worker; assess and memo once each as subprocesses

SAMPLE = ROOT / "samples" / "text-regurgitation"
IMAGES = ROOT / "samples" / "image-pasted-region"


@pytest.fixture(scope="module")
def saved(tmp_path_factory, text_model) -> Path:
    """``fairuse compare GENERATED SOURCE --save`` on a text sample, once for the module.

    Run in this process (``main``, as the console script does), so it reuses the model the
    session has loaded; assess and memo of it run once each as real subprocesses, the other
    commands in this process too (``run_cli_here``)."""
    import contextlib
    import io

    from analysis.cli import main

    folder = tmp_path_factory.mktemp("saved")
    path = folder / "analysis.fairuse.json"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["compare", str(SAMPLE / "generated.txt"), str(SAMPLE / "source.txt"), "--save", str(path)])
    assert code == 0, err.getvalue()
    assert f"Analysis saved to {path}" in out.getvalue()
    return path


def test_compare_save_starts_an_analysis_the_library_and_the_app_read(saved):
    m = Matter.open(saved)
    assert m.works_ready and m.evidence_current and len(m.reports) == 1
    assert m.generated.name == "generated.txt" and m.generated.data == (SAMPLE / "generated.txt").read_bytes()
    assert {"portion", "entire_work"} <= set(m.measured()), "the measurements pre-fill what they can answer"
    assert m.answer("portion").origin == "measured"


def test_assess_and_memo_take_the_saved_analysis(saved, tmp_path):
    r = run_cli("assess", str(saved), "--json", str(tmp_path / "a.json"))
    assert r.returncode == 0, r.stderr
    assert "Factor 3:" in r.stdout and "measured:" in r.stdout  # the saved report is the evidence
    cli = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    lib = Matter.open(saved).assessment.model_dump(mode="json")
    cli.pop("created_at"), lib.pop("created_at")
    assert cli == lib

    pdf = tmp_path / "memo.pdf"
    r = run_cli("memo", str(saved), "--audience", "counsel", "--matter", "Complaint 17", "-o", str(pdf))
    assert r.returncode == 0, r.stderr
    text = flat(pdf_text(pdf.read_bytes()))
    assert flat("Complaint 17") in text
    m = Matter.open(saved)
    for rec in m.reports[0].inputs:  # the works' hashes, from the saved report
        assert rec.sha256 in text


def test_memo_uses_the_saved_options_unless_the_command_gives_its_own(saved, tmp_path):
    m = Matter.open(saved)
    m.memo_options.audience = "student"
    m.memo_options.matter = "Saved matter name"
    path = m.save(tmp_path / "options.fairuse.json")
    js = tmp_path / "m.json"
    r = run_cli_here("memo", str(path), "-o", str(tmp_path / "m.pdf"), "--json", str(js))
    assert r.returncode == 0, r.stderr
    memo = json.loads(js.read_text(encoding="utf-8"))["memo"]
    assert (memo["audience"], memo["matter"]) == ("student", "Saved matter name")
    r = run_cli_here(
        "memo", str(path), "--matter", "Given name", "-o", str(tmp_path / "m.pdf"), "--json", str(js), "--force"
    )  # the second memo replaces the first: --force, as a user would give
    assert r.returncode == 0, r.stderr
    assert json.loads(js.read_text(encoding="utf-8"))["memo"]["matter"] == "Given name"
    assert Matter.open(path).memo_options.matter == "Saved matter name", "the file is read, never written"


def _bad_files(saved: Path, folder: Path) -> dict[str, tuple[Path, str]]:
    m = Matter.open(saved)
    m.set_text("generated", "The generated work, edited after the comparison.")
    stale = m.save(folder / "stale.fairuse.json")
    newer = folder / "newer.fairuse.json"
    newer.write_text(json.dumps({**json.loads(saved.read_text(encoding="utf-8")), "format_version": 3}))
    broken = folder / "broken.fairuse.json"
    broken.write_bytes(saved.read_bytes()[:5000])
    other = folder / "other.fairuse.json"
    other.write_text('{"format": "something-else"}', encoding="utf-8")
    return {
        "stale": (stale, "does not match its works"),
        "newer": (newer, "saved by a newer version of fairuse"),
        "malformed": (broken, "malformed JSON"),
        "not ours": (other, "not a saved fairuse analysis"),
    }


@pytest.mark.parametrize("command", ["assess", "memo"])
def test_bad_saved_analyses_are_one_line_exit_2_and_nothing_changes(saved, tmp_path, command):
    for what, (path, words) in _bad_files(saved, tmp_path).items():
        before = path.read_bytes()
        args = [command, str(path)] + (["-o", str(tmp_path / "m.pdf")] if command == "memo" else [])
        line = one_line_error(run_cli_here(*args))
        assert words in line, (what, line)
        assert path.read_bytes() == before, f"{what}: the file was changed"
        assert not (tmp_path / "m.pdf").exists(), f"{what}: a memo was written from a bad file"


def test_evidence_for_other_works_is_refused_beside_a_saved_analysis(saved, tmp_path, capsys):
    from analysis.cli import main

    report = tmp_path / "images.json"
    assert main(["compare", str(IMAGES / "generated.jpg"), str(IMAGES / "source.jpg"), "--json", str(report)]) == 0
    line = one_line_error(run_cli_here("assess", str(saved), "--evidence", str(report)))
    assert "images.json: this comparison report was made from other works" in line


def test_save_never_overwrites_an_input(tmp_path):
    gen, src = tmp_path / "gen.txt", tmp_path / "src.txt"
    gen.write_text("A few words written here for the test.", encoding="utf-8")
    src.write_text("Some other words written there for the test.", encoding="utf-8")
    line = one_line_error(run_cli_here("compare", str(gen), str(src), "--save", str(src)))
    assert "it is the input" in line
    assert src.read_text(encoding="utf-8") == "Some other words written there for the test."
    line = one_line_error(run_cli_here("compare", str(gen), str(src), "--json", str(gen)))
    assert "it is the input" in line
    assert gen.read_text(encoding="utf-8") == "A few words written here for the test."
