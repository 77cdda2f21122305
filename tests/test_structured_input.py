"""One loader for structured input (``analysis.ingest.structured``): hostile scenarios and reports.

Two layers. The library tests send each hostile case of issue #14 through ``load_structured``
in both formats. The CLI tests run ``fairuse assess`` as a user does and assert the promise for
bad input: exit 2, one ``fairuse: error:`` line, no traceback. Each CLI case failed on the code
before this loader (an internal error with exit 1, or exit 0 with the bad value accepted); the
comment on each says how.
"""

from __future__ import annotations

import json
import time

import pytest
import yaml

from analysis import defaults
from analysis.errors import EmptyInputError, FileTooLargeError, InputError, UnreadableInputError
from analysis.evidence import ComparisonReport
from analysis.ingest.structured import load_structured, max_bytes_for, read_structured
from tests.cli_helpers import ROOT, one_line_error, run_cli_here
from tests.test_memo_support import make_text_report

SCENARIOS = sorted((ROOT / "samples" / "scenarios").glob("*.yaml"))


def refused(data: bytes | str, name: str, match: str, kind: str = "scenario", error: type = UnreadableInputError):
    """Assert ``data`` is refused with one line that names the file and matches ``match``."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with pytest.raises(error, match=match) as info:
        load_structured(raw, name, kind=kind)  # type: ignore[arg-type]
    msg = str(info.value)
    assert msg.startswith(name) and "\n" not in msg, msg
    return msg


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


# --------------------------------------------------------------------------- what loads
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_sample_scenarios_load_as_pyyaml_reads_them(path):
    assert load_structured(path.read_bytes(), path.name, kind="scenario") == yaml.safe_load(path.read_text())


def test_json_and_yaml_give_the_same_values():
    doc = {"title": "x", "n": -3, "f": 0.25, "b": True, "z": None, "l": ["a", {"k": [1, 2]}], "as_of": "2024-02-29"}
    from_yaml = load_structured(yaml.safe_dump(doc).encode(), "s.yaml", kind="scenario")
    from_json = load_structured(json.dumps(doc).encode(), "s.json", kind="scenario")
    assert from_yaml == from_json == doc


def test_yaml_timestamps_come_back_as_iso_text_like_json():
    got = load_structured(
        b"as_of: 2024-02-29\nwhen: 2024-01-05 10:30:00\ndate: 2020-5-1 1:02:03\n", "s.yaml", kind="scenario"
    )
    assert got == {"as_of": "2024-02-29", "when": "2024-01-05T10:30:00", "date": "2020-05-01T01:02:03"}


def test_the_deepest_allowed_nesting_loads():
    n = defaults.STRUCTURED_MAX_DEPTH
    assert load_structured(deep(n).encode(), "ok.json", kind="scenario") is not None
    assert load_structured(deep(n).encode(), "ok.yaml", kind="scenario") is not None


@pytest.mark.parametrize(
    "bom,encoding", [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")]
)
@pytest.mark.parametrize("name", ["s.json", "s.yaml"])
def test_a_byte_order_mark_is_accepted_the_same_way_in_both_formats(bom, encoding, name):
    # issue #14: a BOM on a JSON scenario was refused while a BOM on YAML was accepted
    body = '{"title": "Café"}' if name.endswith(".json") else "title: Café\n"
    assert load_structured(bom + body.encode(encoding), name, kind="scenario") == {"title": "Café"}


def test_largest_and_smallest_integers_allowed_load():
    big = 10**defaults.STRUCTURED_MAX_INT_DIGITS - 1
    assert load_structured(f'{{"n": {big}, "m": -{big}}}'.encode(), "s.json", kind="scenario") == {"n": big, "m": -big}
    assert load_structured(f"n: {big}\n".encode(), "s.yaml", kind="scenario") == {"n": big}


# --------------------------------------------------------------------------- hostile: both formats
@pytest.mark.parametrize("name", ["s.json", "s.yaml"])
def test_nesting_2000_levels_is_refused(name):
    # issue #14: RecursionError (exit 1) in both readers
    body = deep(2000) if name.endswith(".json") else "a: " + deep(2000)
    refused(body, name, "nested more than 64 levels")


def test_block_style_yaml_nesting_is_refused():
    body = "".join("  " * i + f"k{i}:\n" for i in range(100)) + "  " * 100 + "x: 1\n"
    refused(body, "s.yaml", "nested more than 64 levels")


@pytest.mark.parametrize("name,body", [("s.json", '{"id": %s}'), ("s.yaml", "id: %s\n")])
def test_an_integer_of_5000_digits_is_refused(name, body):
    # issue #14: ValueError (exit 1) from Python's 4,300-digit limit
    refused(body % ("9" * 5000), name, "an integer of 5,000 digits; numbers here have at most 18 digits")


def test_one_digit_too_many_is_refused_and_so_are_huge_hex_literals():
    refused('{"n": 1%s}' % ("0" * defaults.STRUCTURED_MAX_INT_DIGITS), "s.json", "19 digits")
    refused("n: 0x" + "f" * 100 + "\n", "s.yaml", "an integer of")
    refused("n: 0x" + "f" * 20 + "\n", "s.yaml", "an integer of 25 digits")


@pytest.mark.parametrize(
    "name,body",
    [
        ("s.json", '{"x": NaN}'),
        ("s.json", '{"x": Infinity}'),
        ("s.json", '{"x": -Infinity}'),
        ("s.json", '{"x": 1e999}'),
        ("s.yaml", "x: .nan\n"),
        ("s.yaml", "x: .inf\n"),
        ("s.yaml", "x: -.Inf\n"),
        ("s.yaml", "x: 1.0e+999\n"),
    ],
)
def test_nan_and_infinity_are_refused(name, body):
    refused(body, name, "is not a finite number|is too large .it reads as infinite")


@pytest.mark.parametrize("name,body", [("s.json", '{"title": "a", "title": "b"}'), ("s.yaml", "title: a\ntitle: b\n")])
def test_duplicate_keys_are_refused(name, body):
    # issue #14: the second value silently replaced the first
    msg = refused(body, name, "duplicate key 'title'")
    assert name.endswith(".json") or msg.endswith("at line 2")


def test_duplicate_keys_are_refused_at_any_depth():
    refused('{"use": {"a": [{"k": 1, "k": 2}]}}', "s.json", "duplicate key 'k'")
    refused(
        "use:\n  purposes: [a]\n  user: x\n  purposes: [b]\n",
        "s.yaml",
        "duplicate key 'purposes' in one mapping at line 4",
    )


@pytest.mark.parametrize(
    "name,body,where",
    [
        ("s.json", '{"title": "\\ud800"}', "in title"),
        ("s.json", '{"a": {"b": ["x", "\\udfff y"]}}', r"in a\.b\[1\]"),
        ("s.json", '{"\\udc00": 1}', "in a top-level key"),
    ],
)
def test_lone_surrogates_are_refused_with_where_they_are(name, body, where):
    # issue #14: UnicodeEncodeError in the scenario hash (exit 1)
    refused(body, name, f"text {where} holds a lone surrogate")


def test_lone_surrogates_in_yaml_are_refused(monkeypatch):
    refused('title: "\\ud800"\n', "s.yaml", "invalid Unicode character escape")  # libyaml refuses it itself
    monkeypatch.delattr(yaml, "CSafeLoader")  # PyYAML's own reader turns the escape into a surrogate
    refused('title: "\\ud800"\n', "s.yaml", "holds a lone surrogate")


@pytest.mark.parametrize("name", ["s.json", "s.yaml"])
def test_not_utf8_is_refused_with_the_byte(name):
    refused(b"title: caf\xe9\n" if name.endswith("yaml") else b'{"title": "caf\xe9"}', name, "not UTF-8 text")


def test_a_bom_that_does_not_match_the_bytes_is_refused():
    refused(b"\xff\xfe" + b"\x00\xd8", "s.json", "UTF-16-LE byte-order mark")


@pytest.mark.parametrize("name,body", [("s.json", ""), ("s.yaml", "  \n"), ("s.yaml", "# only a comment\n")])
def test_empty_files_are_refused(name, body):
    refused(body, name, "the file is empty", error=EmptyInputError)


@pytest.mark.parametrize(
    "name,body,match",
    [
        ("s.json", '{"a": }', "malformed JSON at line 1 column 7"),
        ("s.yaml", "use: [unclosed\n", "malformed YAML"),
        ("s.yaml", 'a: "\x1b[2J"\n', "U\\+001B .* not allowed in YAML"),
    ],
)
def test_malformed_files_give_one_line(name, body, match):
    refused(body, name, match)


# --------------------------------------------------------------------------- hostile: YAML only
def test_invalid_dates_are_refused():
    # issue #14: ValueError (exit 1) from PyYAML's timestamp constructor
    refused("as_of: 2024-13-45\n", "s.yaml", "2024-13-45 is not a real date .* at line 1")
    refused("title: x\nas_of: 2024-02-30\n", "s.yaml", "2024-02-30 is not a real date .* at line 2")
    refused("as_of: 2023-02-29\n", "s.yaml", "not a real date")


def test_an_alias_bomb_is_refused_at_the_first_alias_without_expanding():
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]  # 9**10 strings
    start = time.process_time()
    refused("\n".join(levels) + "\n", "s.yaml", r"YAML aliases \(\*a0\) are not accepted.* at line 2")
    assert time.process_time() - start < 5  # a crude guard: the expansion would take hours


def test_aliases_anchors_and_merge_keys_are_refused():
    refused("a: &x {k: 1}\nb: *x\n", "s.yaml", r"aliases \(\*x\)")
    refused("a: {<<: {k: 1}}\n", "s.yaml", "merge keys")
    refused("a: &x [1]\nb: [*x]\n", "s.yaml", "aliases")


@pytest.mark.parametrize(
    "body",
    [
        "a: !!binary aGVsbG8=\n",
        "a: !!set {x, y}\n",
        "a: !!omap [{x: 1}]\n",
        "a: !custom 3\n",
        "a: !!python/name:os.system\n",
    ],
)
def test_tags_other_than_plain_values_are_refused(body):
    refused(body, "s.yaml", "the YAML tag .* is not accepted")


def test_keys_must_be_text_and_one_document_only():
    refused("yes: 1\n", "s.yaml", "a key must be text, not True")
    refused("? [a, b]\n: 1\n", "s.yaml", "a key must be text, not a list or mapping")
    refused("a: 1\n---\nb: 2\n", "s.yaml", "more than one YAML document")


def test_the_pure_python_yaml_reader_follows_the_same_rules(monkeypatch):
    monkeypatch.delattr(yaml, "CSafeLoader")
    refused("a: " + deep(2000), "s.yaml", "nested more than 64 levels")
    refused("a: &x 1\nb: *x\n", "s.yaml", "aliases")
    refused("a: 1\na: 2\n", "s.yaml", "duplicate key")
    refused("as_of: 2024-13-45\n", "s.yaml", "not a real date")
    assert load_structured(SCENARIOS[0].read_bytes(), "s.yaml", kind="scenario") == yaml.safe_load(
        SCENARIOS[0].read_text()
    )


# --------------------------------------------------------------------------- format_version
@pytest.mark.parametrize("value", ["-7", '"2"', "1.0", "true", "1001", "null"])
def test_format_version_must_be_a_small_whole_number(value):
    # issue #14: format_version -7 loaded
    refused(
        f'{{"format_version": {value}}}',
        "a.fairuse.json",
        "format_version must be a whole number from 0 to 1000",
        kind="save file",
    )


def test_a_format_version_of_5000_digits_is_refused_before_conversion():
    refused('{"format_version": %s}' % ("1" * 5000), "a.fairuse.json", "5,000 digits", kind="save file")
    assert load_structured(b'{"format_version": 1}', "a.fairuse.json", kind="save file") == {"format_version": 1}


# --------------------------------------------------------------------------- size limits
def test_size_limit_per_kind_and_how_to_raise_it(monkeypatch):
    assert max_bytes_for("scenario") == defaults.MAX_SCENARIO_BYTES
    msg = refused(
        b" " * (defaults.MAX_SCENARIO_BYTES + 1),
        "big.yaml",
        "over the 1.0 MB limit for a scenario",
        error=FileTooLargeError,
    )
    assert "FAIRUSE_MAX_SCENARIO_BYTES" in msg
    monkeypatch.setenv("FAIRUSE_MAX_SCENARIO_BYTES", "10")
    refused(b"title: twelve\n", "s.yaml", "over the 10 bytes limit", error=FileTooLargeError)
    monkeypatch.setenv("FAIRUSE_MAX_SCENARIO_BYTES", "lots")
    with pytest.raises(InputError, match="FAIRUSE_MAX_SCENARIO_BYTES must be a number of bytes"):
        max_bytes_for("scenario")


def test_report_and_save_file_limits_follow_the_work_size_limit(monkeypatch):
    mib = 1024 * 1024
    assert max_bytes_for("comparison report") == 2 * defaults.MAX_FILE_BYTES + 16 * mib
    save = max_bytes_for("save file")
    assert 100 * mib < save < 150 * 10**6  # issue #14: a save file holding a 150 MB text loaded
    monkeypatch.setenv("FAIRUSE_MAX_FILE_BYTES", str(40 * mib))
    assert max_bytes_for("comparison report") == 96 * mib and max_bytes_for("save file") > save
    monkeypatch.setenv("FAIRUSE_MAX_SAVE_BYTES", "1000")
    refused(
        b"{}" + b" " * 1000,
        "a.fairuse.json",
        "limit for a save file; set FAIRUSE_MAX_SAVE_BYTES",
        kind="save file",
        error=FileTooLargeError,
    )


def test_read_structured_refuses_before_reading_and_names_missing_files(tmp_path, monkeypatch):
    p = tmp_path / "big.yaml"
    with open(p, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: refused on its size, never read
    with pytest.raises(FileTooLargeError, match="big.yaml is 50.0 MB, over the 1.0 MB limit"):
        read_structured(p, kind="scenario")
    save = tmp_path / "matter.fairuse.json"
    with open(save, "wb") as fh:
        fh.truncate(150 * 1000 * 1000)  # issue #14: a save file holding a 150 MB text loaded (2.6 GB)
    with pytest.raises(FileTooLargeError, match="over the 110.3 MB limit for a save file"):
        read_structured(save, kind="save file")
    with pytest.raises(InputError, match="no such file"):
        read_structured(tmp_path / "nope.yaml", kind="scenario")
    with pytest.raises(InputError, match="is a folder"):
        read_structured(tmp_path, kind="scenario")


# --------------------------------------------------------------------------- through the CLI
def write(tmp_path, name: str, data: bytes | str):
    p = tmp_path / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def assess_refuses(path, match: str) -> str:
    line = one_line_error(run_cli_here("assess", str(path)))
    assert path.name in line and __import__("re").search(match, line), line
    return line


CLI_CASES = [
    # (file name, content, expected message) -- how the code before this loader failed:
    ("date.yaml", "title: x\nas_of: 2024-13-45\n", "2024-13-45 is not a real date"),  # exit 1, ValueError
    ("feb.yaml", "title: x\nas_of: 2024-02-30\n", "2024-02-30 is not a real date"),  # exit 1, ValueError
    ("sur.json", '{"title": "\\ud800"}', "lone surrogate"),  # exit 1, UnicodeEncodeError
    ("deep.json", deep(2000), "nested more than 64 levels"),  # exit 1, RecursionError
    ("deep.yaml", "title: " + deep(2000), "nested more than 64 levels"),  # exit 1, RecursionError
    ("int.json", '{"title": "x", "id": %s}' % ("9" * 5000), "5,000 digits"),  # exit 1, ValueError
    ("int.yaml", "title: x\nid: %s\n" % ("9" * 5000), "5,000 digits"),  # exit 1, ValueError
    ("dup.yaml", "title: a\ntitle: b\n", "duplicate key 'title'"),  # exit 0, second title used
    ("dup.json", '{"title": "a", "title": "b"}', "duplicate key 'title'"),  # exit 0, second title used
    (
        "nan.yaml",
        "title: x\nevidence:\n  - {medium: text, copy_kind: verbatim, semantic_similarity: .nan}\n",
        "not a finite number",
    ),  # exit 0, the NaN kept
]


@pytest.mark.parametrize("name,body,match", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_assess_refuses_hostile_scenarios_with_one_line(tmp_path, name, body, match):
    assess_refuses(write(tmp_path, name, body), match)


def test_assess_refuses_a_50_mb_scenario_at_once(tmp_path):
    # issue #14: a 50 MB YAML scenario took 8 min 42 s and 3.1 GB
    p = write(tmp_path, "huge.yaml", b"notes: " + b"x" * (50 * 1024 * 1024) + b"\n")
    start = time.monotonic()
    assess_refuses(p, "huge.yaml is 50.0 MB, over the 1.0 MB limit for a scenario; set FAIRUSE_MAX_SCENARIO_BYTES")
    assert time.monotonic() - start < 60  # reading 50 MB of YAML took minutes


def test_assess_accepts_a_json_scenario_with_a_bom(tmp_path):
    # issue #14: refused ('Unexpected UTF-8 BOM') while the same YAML with a BOM was accepted
    p = write(tmp_path, "bom.json", b"\xef\xbb\xbf" + json.dumps({"title": "BOM test"}).encode())
    r = run_cli_here("assess", str(p))
    assert r.returncode == 0, r.stderr
    assert "Fair-use assessment: BOM test" in r.stdout


def test_assess_accepts_a_yaml_date_in_a_text_field(tmp_path):
    # before: PyYAML made 'date: 2020-05-01' a date object and the scenario refused it ("valid string")
    p = write(tmp_path, "d.yaml", "title: x\nsource:\n  date: 2020-05-01\nas_of: 2024-02-29\n")
    r = run_cli_here("assess", str(p), "--json", str(tmp_path / "a.json"))
    assert r.returncode == 0, r.stderr
    saved = json.loads((tmp_path / "a.json").read_text())
    assert saved["scenario"]["source"]["date"] == "2020-05-01" and saved["scenario"]["as_of"] == "2024-02-29"


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_evidence_reports_with_nan_or_infinity_are_refused(tmp_path, value):
    # issue #14: accepted; the assessment printed "similarity nan" and the JSON twin held bare NaN
    text = make_text_report().to_json()
    assert '"semantic_similarity": 0.62' in text
    bad = write(tmp_path, "report.json", text.replace('"semantic_similarity": 0.62', f'"semantic_similarity": {value}'))
    line = one_line_error(run_cli_here("assess", str(SCENARIOS[0]), "--evidence", str(bad)))
    assert "report.json" in line and "not a finite number" in line


def test_evidence_report_loader_keeps_its_own_messages(tmp_path):
    good = write(tmp_path, "good.json", make_text_report().to_json())
    assert ComparisonReport.load(good) == make_text_report()
    with pytest.raises(InputError, match="evidence report not found"):
        ComparisonReport.load(tmp_path / "missing.json")
    with pytest.raises(InputError, match="not a valid comparison report"):
        ComparisonReport.load(write(tmp_path, "x.json", '{"kind": "text"}'))
    with pytest.raises(InputError, match="duplicate key 'kind'"):
        ComparisonReport.load(write(tmp_path, "d.json", '{"kind": "text", "kind": "image"}'))
