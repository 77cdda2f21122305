"""``fairuse assess``: full output on good input; one line and exit 2 on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.assess.models import Assessment
from analysis.cli import main

SCENARIOS = Path(__file__).resolve().parents[1] / "samples" / "scenarios"


def test_assess_prints_factors_substitution_overall_precedents_and_date(tmp_path: Path, capsys):
    out_json = tmp_path / "a.json"
    assert main(["assess", str(SCENARIOS / "mickey_food_poisoning.yaml"), "--json", str(out_json)]) == 0
    out = capsys.readouterr().out
    for needle in (
        "Factor 1:",
        "Factor 2:",
        "Factor 3:",
        "Factor 4:",
        "Substitution risk:",
        "Overall view:",
        "Nearest precedents",
        "Answers that would change the result",
        "Law as of",
        "Best counter-argument",
        "Outside fair use",
    ):
        assert needle in out, needle
    a = Assessment.model_validate_json(out_json.read_text(encoding="utf-8"))
    assert a.law_as_of and len(a.findings) == 4


def test_assess_with_an_evidence_report(tmp_path: Path, capsys):
    from analysis.evidence import ComparisonReport, EvidenceFacts, InputRecord

    rep = ComparisonReport(
        kind="text",
        inputs=[
            InputRecord(
                role="generated", name="g.txt", sha256="0" * 64, bytes=10, kind="text", media_type="text/plain"
            ),
            InputRecord(role="source", name="s.txt", sha256="1" * 64, bytes=10, kind="text", media_type="text/plain"),
        ],
        facts=EvidenceFacts(
            medium="text",
            share_of_source_taken=0.42,
            longest_passage_words=120,
            heart_taken=True,
            expression_delivered=0.42,
            copy_kind="verbatim",
        ),
    )
    p = tmp_path / "report.json"
    p.write_text(rep.to_json(), encoding="utf-8")
    assert main(["assess", str(SCENARIOS / "ai_output_regurgitation.yaml"), "--evidence", str(p)]) == 0
    out = capsys.readouterr().out
    assert "measured: 42% of the source's words reproduced" in out
    assert "longest copied passage runs 120 words" in out


BAD = {
    "malformed.yaml": ("use: [unclosed\n", "malformed YAML"),
    "unknown.yaml": ("use:\n  commercial: commercial\n  colour: blue\n", "use.colour: unknown field"),
    "range.yaml": ("use:\n  portion: most\n", "use.portion"),
    "contradiction.yaml": ("use:\n  entire_work: true\n  portion: small\n", "use.entire_work is true"),
    "empty.yaml": ("", "empty"),
    "list.json": ("[1, 2]", "mapping"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_scenarios_give_one_line_naming_the_field_and_exit_2(tmp_path: Path, capsys, name: str):
    text, needle = BAD[name]
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    assert main(["assess", str(p)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("fairuse: error:") and "\n" not in err, err
    assert needle in err, err


def test_missing_files_and_bad_evidence_exit_2(tmp_path: Path, capsys):
    assert main(["assess", str(tmp_path / "nope.yaml")]) == 2
    assert "no such scenario file" in capsys.readouterr().err
    bad = tmp_path / "r.json"
    bad.write_text('{"kind": "text"}', encoding="utf-8")
    assert main(["assess", str(SCENARIOS / "classroom_excerpt.yaml"), "--evidence", str(bad)]) == 2
    assert "not a valid comparison report" in capsys.readouterr().err
    assert main(["assess", str(tmp_path)]) == 2
    assert "folder" in capsys.readouterr().err
