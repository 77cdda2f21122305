"""The public API: ``from analysis import compare, assess, memo, Matter, load_scenario``.

Importing it stays light (no torch, transformers, sentence-transformers or cv2), the README's
notebook examples run as they are written, ``compare`` takes paths, bytes or text alike, and
one table of formats serves the whole project.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "text-regurgitation"
HEAVY = ("torch", "transformers", "sentence_transformers", "cv2", "streamlit", "reportlab")


def _python(code: str, cwd: Path = ROOT, timeout: int = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_the_public_names_import_and_stay_light():
    r = _python(
        "import sys\n"
        "from analysis import compare, assess, memo, Matter, load_scenario, ComparisonReport, Assessment\n"
        "import analysis\n"
        "assert callable(compare) and callable(assess) and callable(memo) and callable(load_scenario)\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]", f"importing the API loaded {r.stdout.strip()}"


def test_all_names_what_the_package_exports():
    import analysis

    assert set(analysis.__all__) == {*analysis._EXPORTS, "assess", "__version__"}
    for name in analysis.__all__:
        assert getattr(analysis, name) is not None, name


def test_assess_stays_the_function_beside_the_package_of_the_same_name():
    """``analysis.assess`` is also a package: importing its modules must not hide the function."""
    import analysis
    import analysis.assess.engine as engine
    from analysis import assess

    result = assess(ROOT / "samples" / "scenarios" / "classroom_excerpt.yaml")
    assert result.overall.label in ("leans_fair_use", "close_call", "leans_against")
    assert analysis.assess.engine is engine and analysis.assess.scenario.Scenario  # type: ignore[attr-defined]
    assert "Walk the four factors" in (assess.__doc__ or "")


def _readme_block(name: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"<!-- readme-example: {name}\b.*?-->\s*```python\n(.*?)```", text, re.S)
    assert m, f"the README has no '{name}' example"
    return m.group(1)


@pytest.mark.slow
def test_the_readme_examples_run_as_written(tmp_path):
    """Both README blocks, exactly as written, one after the other in one fresh interpreter (as
    in a notebook), from a folder that has the samples."""
    from analysis.matter import Matter

    notebook, matter = _readme_block("notebook"), _readme_block("matter")
    assert len([ln for ln in notebook.splitlines() if ln.strip()]) == 5, "the README promises a five-line example"
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    r = _python(notebook + "\nprint('--- next block ---')\n" + matter, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    first, second = r.stdout.split("--- next block ---\n")
    label, leans = first.strip().split(" ", 1)
    assert label == "leans_against"  # a chatbot reproducing a novel's chapter
    assert leans.startswith("[") and leans.count("'") == 8
    assert (tmp_path / "memo.pdf").read_bytes().startswith(b"%PDF-")
    lines = second.strip().splitlines()
    assert len(lines) > 2 and all("%" in ln for ln in lines[:-1]), "the progress callback printed nothing"
    assert lines[-1] == "leans_against measured"
    m = Matter.open(tmp_path / "analysis.fairuse.json")
    assert m.evidence_current and m.answer("commercial").origin == "user"


@pytest.mark.slow
def test_compare_takes_paths_bytes_and_text_alike(text_model, tmp_path):
    from analysis import compare
    from analysis.api import as_work

    source = (SAMPLE / "source.txt").read_text(encoding="utf-8")[:1500]
    generated = "As the novel begins: " + source[200:900] + " And then the story went elsewhere entirely."
    gen, src = tmp_path / "generated.txt", tmp_path / "source.txt"
    gen.write_text(generated, encoding="utf-8")
    src.write_text(source, encoding="utf-8")
    assert as_work(str(gen), "generated") == as_work(gen, "generated"), "a str naming a file is that file"
    by_path = compare(gen, src, embedder=text_model)
    by_bytes = compare(gen.read_bytes(), src.read_bytes(), embedder=text_model)
    by_text = compare(generated, source, embedder=text_model)
    assert by_path.facts.copy_kind == "verbatim" and (by_path.facts.share_of_source_taken or 0) > 0.3
    for other in (by_bytes, by_text):
        assert other.facts.model_dump(exclude={"summary"}) == by_path.facts.model_dump(exclude={"summary"})
        assert [i.sha256 for i in other.inputs] == [i.sha256 for i in by_path.inputs]
    assert by_path.inputs[0].name == "generated.txt" and by_text.inputs[0].name == "pasted text"


def test_compare_refuses_bad_input_with_one_line():
    from analysis import InputError, compare

    with pytest.raises(InputError, match="no such file"):
        compare("missing.txt", "other.txt")
    png = (ROOT / "samples" / "image-pasted-region" / "source.jpg").read_bytes()
    with pytest.raises(InputError, match="one work is a text and the other an image"):
        compare("A few words of text here.", png)
    with pytest.raises(InputError, match="--min-words"):
        compare("a b c", "a b c", min_words=1)


def test_one_table_of_formats_for_the_whole_project():
    from analysis import formats
    from analysis.errors import UnsupportedFormatError

    assert formats.detect_kind("x.PNG") == "image" and formats.detect_kind("x.docx") == "text"
    assert formats.detect_kind("noext", b"\x89PNG\r\n\x1a\n") == "image"
    assert formats.detect_kind("noext", b"plain words") == "text"
    with pytest.raises(UnsupportedFormatError, match="SVG"):
        formats.detect_kind("logo.svg")
    assert set(formats.upload_types()) == {s[1:] for s in formats.suffixes()}
    assert formats.media_type(".md") == "text/markdown" and formats.media_type("a.jpeg") == "image/jpeg"
    # the app's uploader offers exactly the table's extensions, and its help text lists them
    works_page = (ROOT / "app" / "app_pages" / "works.py").read_text(encoding="utf-8")
    assert "type=formats.upload_types()" in works_page
    for where in ("app/engines.py", "app/app_pages/works.py", "analysis/measure/compare.py", "analysis/cli.py"):
        source = (ROOT / where).read_text(encoding="utf-8")
        assert '".tiff"' not in source and '"tiff"' not in source, f"{where} keeps its own list of formats"


def test_labels_come_from_one_place_and_never_fail():
    from analysis import labels
    from analysis.assess.models import LEAN_LABELS, OVERALL_LABELS

    assert labels.group("lean") == LEAN_LABELS and labels.group("overall") == OVERALL_LABELS
    assert labels.label("rung", "partial_copy") == "part of the source copied"
    assert labels.label("no_such_group", "some_new_value") == "some new value"
    from analysis.report.templates import load_template

    tpl = load_template("creator")
    assert tpl.label("outcome", "not_fair_use") == labels.label("outcome", "not_fair_use") == "Not fair use"
    # every lean, outcome and passage kind the library can produce has words
    from typing import get_args

    from analysis.assess.models import Lean, Outcome, OverallLabel
    from analysis.evidence import ImageRung, PassageKind

    for group, values in (
        ("lean", Lean),
        ("lean_predicate", Lean),
        ("lean_short", Lean),
        ("overall", OverallLabel),
        ("outcome", Outcome),
        ("passage_kind", PassageKind),
        ("passage_kind_title", PassageKind),
        ("rung", ImageRung),
        ("rung_explained", ImageRung),
    ):
        missing = [v for v in get_args(values) if not labels.has(group, v)]
        assert not missing, (group, missing)
