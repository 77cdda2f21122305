"""``fairuse compare --pairs``: many pairs in one process, one report each, a summary table."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from analysis.evidence import ComparisonReport
from analysis.measure.batch import PairSpec, compare_pairs, read_pairs
from tests.cli_helpers import ROOT, one_line_error, run_cli, run_cli_here

SAMPLES = ROOT / "samples"


def _write_pairs(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_pairs_cli_reports_each_pair_and_goes_on_after_a_failure(tmp_path):
    pairs = _write_pairs(
        tmp_path / "pairs.jsonl",
        [
            {
                "id": "mirror",
                "generated": str(SAMPLES / "image-mirrored-duplicate/generated.jpg"),
                "source": str(SAMPLES / "image-mirrored-duplicate/source.jpg"),
            },
            {"id": "missing", "generated": "nope.png", "source": str(SAMPLES / "image-pasted-region/source.jpg")},
            {
                "generated": str(SAMPLES / "image-pasted-region/generated.jpg"),
                "source": str(SAMPLES / "image-pasted-region/source.jpg"),
            },
            {
                "id": "text/with odd name",
                "generated": str(SAMPLES / "text-regurgitation/generated.txt"),
                "source": str(SAMPLES / "text-regurgitation/source.txt"),
            },
            {
                "id": "mixed",
                "generated": str(SAMPLES / "text-regurgitation/generated.txt"),
                "source": str(SAMPLES / "image-pasted-region/source.jpg"),
            },
        ],
    )
    out = tmp_path / "out"
    r = run_cli("compare", "--pairs", str(pairs), "--out", str(out))
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert "3 of 5 pairs compared" in r.stdout
    assert "failed: missing: no such file" in r.stderr
    assert "failed: mixed: one work is a text and the other an image" in r.stderr
    rows = list(csv.DictReader((out / "summary.csv").open(encoding="utf-8")))
    assert [row["id"] for row in rows] == ["mirror", "missing", "pair-0003", "text/with odd name", "mixed"]
    assert [row["status"] for row in rows] == ["ok", "failed", "ok", "ok", "failed"]
    by_id = {row["id"]: row for row in rows}
    assert by_id["mirror"]["copy_kind"] == "near_duplicate"
    assert by_id["pair-0003"]["copy_kind"] == "partial_copy"
    assert by_id["text/with odd name"]["copy_kind"] == "verbatim"
    assert float(by_id["text/with odd name"]["share_of_source_taken"]) > 0.2
    for row in rows:
        if row["status"] == "ok":
            report = ComparisonReport.load(out / row["report"])
            assert report.facts.copy_kind == row["copy_kind"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["ok"] == 3 and summary["failed"] == 2
    assert (out / "reports" / "text_with_odd_name.json").is_file()


def test_compare_pairs_library_call_relative_paths(tmp_path):
    for name in ("generated.jpg", "source.jpg"):
        (tmp_path / name).write_bytes((SAMPLES / "image-recoloured-crop" / name).read_bytes())
    pairs = _write_pairs(tmp_path / "p.jsonl", [{"generated": "generated.jpg", "source": "source.jpg", "id": "a"}])
    specs = read_pairs(pairs)
    assert Path(specs[0].generated).is_absolute()
    seen = []
    summary = compare_pairs(specs, tmp_path / "o", device="cpu", progress=lambda d, t, label: seen.append((d, t)))
    assert seen == [(1, 1)]
    assert summary.ok == 1 and summary.pairs[0].copy_kind in ("partial_copy", "near_duplicate")
    # the same spec given twice gets distinct ids and report files
    again = compare_pairs([specs[0], specs[0]], tmp_path / "o2", device="cpu")
    assert [p.id for p in again.pairs] == ["a", "a-2"]
    assert len(list((tmp_path / "o2" / "reports").glob("*.json"))) == 2


def test_bad_pairs_files_get_one_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"generated": "a.txt", "source": "b.txt"}\n{not json\n', encoding="utf-8")
    assert "bad.jsonl line 2: not JSON" in one_line_error(run_cli_here("compare", "--pairs", str(bad), "--out", "x"))
    bad.write_text('{"generated": "a.txt"}\n', encoding="utf-8")
    assert "line 1: source" in one_line_error(
        run_cli_here("compare", "--pairs", str(bad), "--out", str(tmp_path / "o"))
    )
    bad.write_text("\n\n", encoding="utf-8")
    assert "holds no pairs" in one_line_error(
        run_cli_here("compare", "--pairs", str(bad), "--out", str(tmp_path / "o"))
    )
    bad.write_bytes(b"\xff\xfe\x00garbage")
    assert "UTF-8" in one_line_error(run_cli_here("compare", "--pairs", str(bad), "--out", str(tmp_path / "o")))
    assert "no such file" in one_line_error(
        run_cli_here("compare", "--pairs", str(tmp_path / "none.jsonl"), "--out", "x")
    )
    ok = _write_pairs(tmp_path / "ok.jsonl", [{"generated": "a", "source": "b"}])
    assert "needs --out" in one_line_error(run_cli_here("compare", "--pairs", str(ok)))
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert "it is a file" in one_line_error(run_cli_here("compare", "--pairs", str(ok), "--out", str(afile)))
    assert "not both" in one_line_error(run_cli_here("compare", "a.txt", "b.txt", "--pairs", str(ok), "--out", "x"))
    assert "needs GENERATED SOURCE" in one_line_error(run_cli_here("compare"))


def test_pair_spec_rejects_unknown_fields():
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        PairSpec.model_validate({"generated": "a", "source": "b", "extra": 1})
