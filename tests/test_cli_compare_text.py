"""``fairuse compare`` on texts, as a user runs it: real model, real files; the sample as a real
subprocess (what a user types, and what the model libraries print), the bad inputs in this process."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from analysis.evidence import ComparisonReport
from analysis.samples import list_samples
from tests.cli_helpers import one_line_error, run_cli, run_cli_here


def _run(*args: str, env_extra: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return run_cli_here("compare", *args, env_extra=env_extra, timeout=timeout)


@pytest.mark.slow
def test_compare_sample_prints_summary_and_writes_json(tmp_path):
    case = next(c for c in list_samples("text") if c.id == "text-regurgitation")
    out_json = tmp_path / "report.json"
    r = run_cli(
        "compare",
        str(case.generated_path),
        str(case.source_path),
        "--json",
        str(out_json),
        "--device",
        "cpu",
        "--top",
        "2",
    )
    assert r.returncode == 0, r.stderr
    assert "Strongest form of copying: verbatim" in r.stdout
    assert "Top 2 of" in r.stdout and " | " in r.stdout
    assert "Traceback" not in r.stderr
    # the model libraries' loading chatter (bars, an "UNEXPECTED" weights report) stays out of the terminal
    assert "LOAD REPORT" not in r.stderr and "UNEXPECTED" not in r.stderr and "%|" not in r.stderr, r.stderr
    report = ComparisonReport.load(out_json)
    assert report.text is not None
    assert report.kind == "text" and report.facts.copy_kind == "verbatim"
    assert report.text.metrics.source_share_reproduced > 0.5
    assert json.loads(out_json.read_text())["inputs"][0]["role"] == "generated"


@pytest.fixture()
def good(tmp_path) -> Path:
    p = tmp_path / "good.txt"
    p.write_text("It was the best of times, it was the worst of times, it was the age of wisdom.", encoding="utf-8")
    return p


@pytest.mark.slow
def test_bad_inputs_one_line_exit_2(tmp_path, good):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n\t\n")
    binary = tmp_path / "data.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    scan = tmp_path / "scan.pdf"
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(scan))
    c.rect(50, 50, 200, 200, fill=1)
    c.showPage()
    c.save()
    big = tmp_path / "big.txt"
    big.write_text("word " * 500)

    assert "empty" in one_line_error(_run(str(good), str(empty))).lower()
    assert "binary" in one_line_error(_run(str(binary), str(good)))
    assert "no text layer" in one_line_error(_run(str(scan), str(good)))
    assert "no such file" in one_line_error(_run(str(tmp_path / "missing.txt"), str(good)))
    assert "limit" in one_line_error(_run(str(big), str(good), env_extra={"FAIRUSE_MAX_FILE_BYTES": "1000"}))
    assert "min-words" in one_line_error(_run(str(good), str(good), "--min-words", "1"))


@pytest.mark.slow
def test_missing_model_exits_3_with_advice(tmp_path, good):
    r = _run(str(good), str(good), env_extra={"FAIRUSE_TEXT_MODEL": str(tmp_path / "no-model")})
    line = one_line_error(r, code=3)
    assert "FAIRUSE_TEXT_MODEL" in line
