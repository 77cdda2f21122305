"""Hostile inputs through the ``fairuse`` command as a user runs it (issue #14): exit 2, one
``fairuse: error:`` line on stderr, no traceback, and no file in the folder changed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.cli_helpers import ROOT, one_line_error, run_cli, run_cli_here
from tests.hostile import cases


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _refused(tmp_path: Path, *args: str, words: str, env: dict | None = None) -> str:
    before = _snapshot(tmp_path)
    line = one_line_error(run_cli_here(*args, env_extra=env))
    assert words in line, line
    assert _snapshot(tmp_path) == before, "a file changed"
    return line


SCENARIOS: dict[str, tuple[str, bytes, str]] = {
    # name: (file name, bytes, words in the error line)
    "lone surrogate (JSON)": ("s.json", b'{"title": "\\ud800"}', "lone surrogate"),
    "impossible date": ("s.yaml", b"as_of: 2024-13-45\n", "2024-13-45"),
    "30 February": ("s.yaml", b"as_of: 2024-02-30\n", "2024-02-30"),
    "2,000-level JSON": ("s.json", b'{"notes": ' + b"[" * 2000 + b"]" * 2000 + b"}", "nested more than"),
    "2,000-level YAML": ("s.yaml", b"notes: " + b"[" * 2000 + b"]" * 2000 + b"\n", "nested more than"),
    "thousand-digit integer": ("s.yaml", b"title: x\nid: " + b"7" * 3000 + b"\n", "digits"),
    "duplicate YAML key": ("s.yaml", b"title: a\ntitle: b\n", "duplicate key"),
    "YAML alias bomb": ("s.yaml", b"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "alias"),
    "NaN (JSON)": ("s.json", b'{"title": "x", "use": {"portion_share": NaN}}', "NaN"),
    "measurements asserted": (
        "s.yaml",
        b"title: x\nevidence:\n  - {medium: text, copy_kind: verbatim, share_of_source_taken: 1.0}\n",
        "--evidence",
    ),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_hostile_scenarios_are_one_line_and_exit_2(tmp_path, name):
    fname, data, words = SCENARIOS[name]
    (tmp_path / fname).write_bytes(data)
    _refused(tmp_path, "assess", str(tmp_path / fname), "--json", str(tmp_path / "out.json"), words=words)


def test_a_bom_is_accepted_on_json_and_yaml_alike(tmp_path):
    for fname, body in (("s.json", b'{"title": "BOM"}'), ("s.yaml", b"title: BOM\n")):
        (tmp_path / fname).write_bytes(b"\xef\xbb\xbf" + body)
        r = run_cli_here("assess", str(tmp_path / fname))
        assert r.returncode == 0, r.stderr


SAVE_FILES = {
    "unknown authority": (
        cases.v1_with_assessment({"findings": [{"authorities": [{"case_id": "doe_v_roe_2099"}]}]}),
        "not in the case library",
    ),
    "version of 5,000 digits": (None, "digits"),
    "NaN in the evidence": ("nan", "not accepted"),
    "report for other works": ("stale", "does not match its works"),
}


def _save_bytes(name: str) -> bytes:
    spec, _ = SAVE_FILES[name]
    if spec is None:
        return b'{"format": "fairuse-analysis", "format_version": 1' + b"0" * 5000 + b"}"
    if spec == "nan":
        return cases.dumps(cases.save_file(hostile="h")).replace(
            b'"semantic_similarity": 0.8', b'"semantic_similarity": NaN'
        )
    if spec == "stale":
        d = cases.save_file(hostile="h")
        d["reports"][0]["inputs"][0]["sha256"] = "0" * 64
        return cases.dumps(d)
    assert isinstance(spec, dict)
    return cases.dumps(spec)


@pytest.mark.parametrize("name", list(SAVE_FILES))
@pytest.mark.parametrize("command", ["assess", "memo"])
def test_hostile_save_files_are_one_line_and_exit_2(tmp_path, name, command):
    p = tmp_path / "x.fairuse.json"
    p.write_bytes(_save_bytes(name))
    out = ["--json", str(tmp_path / "a.json")] if command == "assess" else ["-o", str(tmp_path / "m.pdf")]
    _refused(tmp_path, command, str(p), *out, words=SAVE_FILES[name][1])


def test_a_save_file_with_markdown_everywhere_makes_a_memo_whose_json_is_strict(tmp_path):
    p = tmp_path / "x.fairuse.json"
    p.write_bytes(cases.dumps(cases.save_file()))
    r = run_cli_here("memo", str(p), "-o", str(tmp_path / "m.pdf"), "--json", str(tmp_path / "m.json"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF")

    def refuse(token):
        raise AssertionError(token)

    json.loads((tmp_path / "m.json").read_text(encoding="utf-8"), parse_constant=refuse)


def test_a_memo_from_a_tampered_save_file_says_what_the_facts_say(tmp_path):
    # issue #14: a file whose facts lead to "leans against" printed a memo saying "leans fair use",
    # all four factors strongly favouring (the stored assessment was never recomputed on resume)
    d = cases.v1_with_assessment(
        {
            "overall": {"label": "leans_fair_use", "confidence": "high"},
            "findings": [{"factor": n, "lean": "strongly_favours"} for n in (1, 2, 3, 4)],
        }
    )
    d["scenario"] = {
        "title": "tampered",
        "use": {"purposes": ["commercial_exploitation"], "portion": "entire", "entire_work": True},
        "market": {"harm_evidence": "substantial", "source_has_market": True},
    }
    p = tmp_path / "x.fairuse.json"
    p.write_bytes(cases.dumps(d))
    out = [str(tmp_path / "m.pdf"), "--markdown", str(tmp_path / "m.md"), "--json", str(tmp_path / "m.json")]
    r = run_cli_here("memo", str(p), "-o", *out)
    assert r.returncode == 0, r.stderr
    twin = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert twin["assessment"]["overall"]["label"] == "leans_against"
    assert [f["lean"] for f in twin["assessment"]["findings"]].count("strongly_favours") == 0
    md = (tmp_path / "m.md").read_text(encoding="utf-8")
    assert "Leans against fair use" in md and "Leans fair use" not in md


def test_compare_a_b_json_b_exits_2_and_b_is_unchanged(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(cases.GENERATED_TEXT, encoding="utf-8")
    b.write_text(cases.SOURCE_TEXT, encoding="utf-8")
    _refused(tmp_path, "compare", str(a), str(b), "--json", str(b), words="b.txt")


# --------------------------------------------------------------------------- huge inputs
def test_compare_shows_a_progress_bar_on_stderr_and_keeps_stdout_clean(tmp_path):
    src = (ROOT / "samples" / "text-regurgitation" / "source.txt").read_text(encoding="utf-8")
    gen = (ROOT / "samples" / "text-regurgitation" / "generated.txt").read_text(encoding="utf-8")
    (tmp_path / "g.txt").write_text(gen, encoding="utf-8")
    (tmp_path / "s.txt").write_text(src, encoding="utf-8")
    r = run_cli("compare", str(tmp_path / "g.txt"), str(tmp_path / "s.txt"), "--progress")
    assert r.returncode == 0, r.stderr
    assert "comparing:" in r.stderr and "100%|" in r.stderr and "left" in r.stderr, r.stderr[-500:]
    assert "comparing:" not in r.stdout and "%|" not in r.stdout
    quiet = run_cli("compare", str(tmp_path / "g.txt"), str(tmp_path / "s.txt"), "--no-progress")
    # (transformers may print its own load report on stderr; no bar, though)
    assert quiet.returncode == 0 and "comparing:" not in quiet.stderr and "%|" not in quiet.stderr, quiet.stderr
    assert quiet.stdout == r.stdout


@pytest.mark.huge
def test_a_50_mb_scenario_is_refused_on_its_size_before_it_is_read(tmp_path):
    # issue #14: a 50 MB YAML scenario took 8 min 42 s and 3.1 GB
    p = tmp_path / "huge.yaml"
    with open(p, "wb") as fh:
        fh.write(b"title: huge\nnotes: |\n")
        line = b"  " + b"x" * 1022 + b"\n"
        for _ in range(50 * 1024):
            fh.write(line)
    _refused(tmp_path, "assess", str(p), words="over the 1.0 MB limit for a scenario")


@pytest.mark.huge
def test_a_150_mb_save_file_is_refused_on_its_size(tmp_path):
    p = tmp_path / "huge.fairuse.json"
    with open(p, "wb") as fh:
        fh.write(b'{"format": "fairuse-analysis", "format_version": 2, "notes": {"1": "')
        chunk = b"x" * (1 << 20)
        for _ in range(150):
            fh.write(chunk)
        fh.write(b'"}}')
    _refused(tmp_path, "assess", str(p), words="limit for a save file")


def test_assess_on_a_save_file_with_escape_sequences_prints_none(tmp_path):
    # issue #14: OSC/CSI in a title or jurisdiction changed the window title and cleared the screen
    from tests.hostile_strings import HOSTILE
    from tests.test_escape import active_in_terminal

    hostile = " ".join(HOSTILE[k] for k in ("osc title", "csi clear", "osc 8 link", "dcs", "c1 controls", "esc reset"))
    p = tmp_path / "x.fairuse.json"
    p.write_bytes(cases.dumps(cases.save_file(hostile=hostile)))
    r = run_cli_here("assess", str(p))
    assert r.returncode == 0, r.stderr
    assert active_in_terminal(r.stdout) == [] and active_in_terminal(r.stderr) == []
    assert "Title after OSC" in r.stdout
