"""``fairuse memo`` end to end with the real four-factor engine, and memos for the shipped
sample scenarios (every authority resolved through the case library)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from analysis.assess.scenario import save_scenario
from analysis.cli import main
from analysis.evidence import sha256_file
from analysis.resources import samples_dir
from tests.test_memo_support import flat, make_scenario, make_text_report, pdf_text


@pytest.fixture()
def inputs(tmp_path: Path):
    scenario = tmp_path / "scenario.yaml"
    save_scenario(make_scenario(), scenario)
    report = tmp_path / "report.json"
    report.write_text(make_text_report().to_json(), encoding="utf-8")
    return scenario, report


def test_cli_writes_pdf_markdown_and_json(inputs, tmp_path, capsys):
    scenario, report = inputs
    out, md, js = tmp_path / "memo.pdf", tmp_path / "memo.md", tmp_path / "memo.json"
    rc = main(
        [
            "memo",
            str(scenario),
            "--evidence",
            str(report),
            "--audience",
            "counsel",
            "-o",
            str(out),
            "--markdown",
            str(md),
            "--json",
            str(js),
            "--matter",
            "Complaint 17",
            "--reviewer",
            "A. Counsel",
            "--privileged",
        ]
    )
    assert rc == 0
    printed = capsys.readouterr().out
    assert str(out) in printed and str(md) in printed and str(js) in printed
    text = flat(pdf_text(out.read_bytes()))
    assert flat("Complaint 17") in text and flat("Privileged & Confidential") in text
    assert sha256_file(scenario) in text and sha256_file(report) in text  # the files read, hashed
    assert "unknownauthority" not in text
    meta = PdfReader(io.BytesIO(out.read_bytes())).metadata
    assert meta is not None and meta.author == "A. Counsel"
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["memo"]["privileged"] is True and len(data["reports"]) == 1
    assert md.read_text(encoding="utf-8").startswith("<!-- Complaint 17")


def test_cli_bad_inputs_give_one_line_and_exit_2(inputs, tmp_path, capsys):
    scenario, _report = inputs
    assert main(["memo", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "m.pdf")]) == 2
    assert main(["memo", str(scenario), "--evidence", str(tmp_path / "nope.json"), "-o", str(tmp_path / "m.pdf")]) == 2
    assert main(["memo", str(scenario), "-o", str(tmp_path / "no_such_dir" / "m.pdf")]) == 2
    assert main(["memo", str(scenario), "-o", str(scenario)]) == 2  # never overwrite an input
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 4 and all(line.startswith("fairuse: error:") for line in err)
    assert scenario.read_text(encoding="utf-8").startswith("schema_version")


def _sample_scenarios() -> list[Path]:
    try:
        folder = samples_dir() / "scenarios"
    except FileNotFoundError:
        return []
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


@pytest.mark.parametrize("path", _sample_scenarios(), ids=lambda p: p.stem)
def test_memo_for_each_sample_scenario(path, tmp_path):
    out = tmp_path / "memo.pdf"
    assert main(["memo", str(path), "--audience", "student", "--judge-mode", "-o", str(out)]) == 0
    text = flat(pdf_text(out.read_bytes()))
    assert flat("Appendix B: how the courts decided") in text
    assert "unknownauthority" not in text
    assert flat("the factors to be considered shall include") in text  # IRAC rule: the statute
    outcomes = text[text.find(flat("Appendix B: how the courts decided")) :]
    if flat("No precedent in the case library") not in outcomes:
        assert "1:" in outcomes and "4:" in outcomes  # each court's finding per factor
