"""Outputs never destroy inputs (``analysis.output.OutputPlan``), in the library and through the CLI.

Issue #14 found: ``compare gen src --json src`` replaced the source work with JSON (exit 0);
``assess scen.yaml --json scen.yaml`` overwrote its input; ``memo -o`` through a hard link to the
scenario overwrote it; a kill at the first write left an existing memo at 0 bytes;
``--markdown /dev/full`` exited 2 after the PDF was written; ``memo -o`` replaced an existing
file without a word. Each has a test here that failed on the code before ``OutputPlan``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.assess.scenario import save_scenario
from analysis.errors import InputError
from analysis.output import PAUSE_ENV, OutputPlan, write_output
from tests.cli_helpers import ROOT, one_line_error, run_cli_here
from tests.test_memo_support import make_scenario, make_text_report

IMAGES = ROOT / "samples" / "image-pasted-region"
SCENARIO = ROOT / "samples" / "scenarios" / "classroom_excerpt.yaml"
OLD = b"the user's old file\n"
HAS_DEV_FULL = Path("/dev/full").exists()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


@pytest.fixture()
def old(tmp_path: Path) -> Path:
    p = tmp_path / "old.txt"
    p.write_bytes(OLD)
    return p


# --------------------------------------------------------------------------- library: inputs are safe
def test_an_output_that_is_an_input_is_refused(tmp_path, old):
    with pytest.raises(InputError, match=f"cannot write {old}: it is the input {old}; choose another"):
        OutputPlan([old], inputs=[old], force=True).check()
    other_spelling = tmp_path / "sub" / ".." / "old.txt"
    (tmp_path / "sub").mkdir()
    with pytest.raises(InputError, match="it is the input"):
        OutputPlan([other_spelling], inputs=[old], force=True).check()
    assert old.read_bytes() == OLD


def test_an_output_that_is_a_symbolic_link_to_an_input_is_refused(tmp_path, old):
    link = tmp_path / "link.txt"
    link.symlink_to(old)
    with pytest.raises(InputError, match=r"it is the input .*old.txt \(through a symbolic link\)"):
        OutputPlan([link], inputs=[old], force=True).check()
    with pytest.raises(InputError, match="through a symbolic link"):  # and the other way round
        OutputPlan([old], inputs=[link], force=True).check()


def test_an_output_that_is_a_hard_link_to_an_input_is_refused(tmp_path, old):
    hard = tmp_path / "hard.txt"
    os.link(old, hard)
    with pytest.raises(InputError, match=r"it is the input .*old.txt \(a hard link to it\)"):
        OutputPlan([hard], inputs=[old], force=True).check()
    assert old.read_bytes() == OLD


def test_two_outputs_that_are_one_file_are_refused(tmp_path, old):
    hard = tmp_path / "hard.txt"
    os.link(old, hard)
    with pytest.raises(InputError, match="are the same file"):
        OutputPlan([old, hard], force=True).check()
    with pytest.raises(InputError, match="are the same file"):
        OutputPlan([tmp_path / "new.pdf", tmp_path / "." / "new.pdf"]).check()


# --------------------------------------------------------------------------- library: existing files
def test_an_existing_file_is_kept_unless_forced_or_confirmed(tmp_path, old):
    with pytest.raises(InputError, match=f"{old} already exists; give --force to replace it"):
        OutputPlan([old]).check()
    asked: list[Path] = []

    def no(p: Path) -> bool:
        asked.append(p)
        return False

    with pytest.raises(InputError, match="already exists"):
        OutputPlan([old], confirm=no).check()
    assert asked == [old] and old.read_bytes() == OLD
    OutputPlan([old], confirm=lambda p: True).commit({old: b"new"})
    assert old.read_bytes() == b"new"
    OutputPlan([old], force=True).commit({old: "newer"})
    assert old.read_bytes() == b"newer"


def test_missing_folders_and_folders_are_refused_before_any_work(tmp_path):
    with pytest.raises(InputError, match="cannot write .*x.json: the folder .*nowhere does not exist"):
        OutputPlan([tmp_path / "nowhere" / "x.json"]).check()
    with pytest.raises(InputError, match="it is a folder"):
        OutputPlan([tmp_path]).check()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_folders_and_files_are_refused_at_check(tmp_path, old):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(InputError, match="cannot write .*: Permission denied"):
            OutputPlan([locked / "m.pdf"]).check()
    finally:
        locked.chmod(0o700)
    old.chmod(0o400)
    with pytest.raises(InputError, match="the file is read-only"):
        OutputPlan([old], force=True).check()


# --------------------------------------------------------------------------- library: how it writes
def test_commit_writes_every_output_and_leaves_no_temporary(tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.md"
    plan = OutputPlan([a, None, b]).check()
    assert leftovers(tmp_path) == []  # the writability probe cleans up after itself
    plan.commit({a: b"%PDF-1.4", str(b): "§ café"})
    assert a.read_bytes() == b"%PDF-1.4" and b.read_text(encoding="utf-8") == "§ café"
    assert leftovers(tmp_path) == []


def test_commit_needs_exactly_the_planned_outputs(tmp_path):
    plan = OutputPlan([tmp_path / "a"]).check()
    with pytest.raises(ValueError, match="exactly the planned outputs"):
        plan.commit({tmp_path / "b": b"x"})


@pytest.mark.skipif(os.name != "posix", reason="permission bits")
def test_a_replaced_file_keeps_its_permissions_and_a_new_one_follows_the_umask(tmp_path, old):
    old.chmod(0o640)
    OutputPlan([old], force=True).commit({old: b"x"})
    assert old.stat().st_mode & 0o777 == 0o640
    mask = os.umask(0o022)
    try:
        OutputPlan([tmp_path / "new"]).commit({tmp_path / "new": b"x"})
    finally:
        os.umask(mask)
    assert (tmp_path / "new").stat().st_mode & 0o777 == 0o644


def test_a_symbolic_link_output_replaces_its_target_and_stays_a_link(tmp_path, old):
    link = tmp_path / "link.txt"
    link.symlink_to(old)
    OutputPlan([link], force=True).commit({link: b"through the link"})
    assert link.is_symlink() and old.read_bytes() == b"through the link"


@pytest.mark.skipif(not HAS_DEV_FULL, reason="needs /dev/full")
def test_all_or_nothing_when_one_output_fails(tmp_path, old):
    # issue #14: --markdown /dev/full exited 2 after the PDF had been written
    new = tmp_path / "new.pdf"
    plan = OutputPlan([new, old, Path("/dev/full")], force=True).check()
    with pytest.raises(InputError, match="cannot write /dev/full: No space left on device; no output was written"):
        plan.commit({new: b"%PDF", old: b"replaced", "/dev/full": b"x" * 100_000})
    assert not new.exists() and old.read_bytes() == OLD and leftovers(tmp_path) == []


def test_a_rename_that_fails_after_another_says_which_outputs_were_written(tmp_path, old, monkeypatch):
    # the renames are atomic one file at a time: the message must not claim "no output was written"
    first, second = tmp_path / "a.pdf", tmp_path / "b.md"
    plan = OutputPlan([first, second]).check()
    real_replace = os.replace
    calls: list[str] = []

    def replace(src, dst):
        calls.append(str(dst))
        if len(calls) == 2:
            raise OSError(5, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    said = re.escape(f"cannot write {second}: Input/output error; already written: {first}") + "$"
    with pytest.raises(InputError, match=said):
        plan.commit({first: b"%PDF", second: b"# md"})
    assert first.read_bytes() == b"%PDF" and not second.exists() and leftovers(tmp_path) == []
    monkeypatch.setattr(os, "replace", real_replace)
    if HAS_DEV_FULL:  # a failure before any rename still says so
        with pytest.raises(InputError, match="no output was written"):
            OutputPlan([tmp_path / "c.pdf", Path("/dev/full")]).commit(
                {tmp_path / "c.pdf": b"x", "/dev/full": b"x" * 9}
            )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_written_in_place_without_force_and_stays_a_pipe(tmp_path):
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    OutputPlan([fifo]).commit({fifo: b"streamed"})  # exists, but is not a file to keep: no --force needed
    reader.join(timeout=30)
    assert got == [b"streamed"] and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_write_output_is_atomic_and_replaces(tmp_path, old):
    write_output(old, "new text")
    assert old.read_text(encoding="utf-8") == "new text" and leftovers(tmp_path) == []


# --------------------------------------------------------------------------- a kill mid-way
def _wait_for(marker: Path, proc: subprocess.Popen, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():  # waits on the state the writer publishes (the marker file)
        if proc.poll() is not None:
            _out, err = proc.communicate()
            raise AssertionError(f"the writer ended before the hook (exit {proc.returncode}): {err}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("the writer never reached the hook")
        time.sleep(0.05)


@pytest.mark.parametrize("stage", ["partial", "written"])
def test_a_memo_write_killed_mid_way_leaves_the_old_memo_intact(tmp_path, stage):
    # issue #14: a kill at the first write left an existing memo at 0 bytes
    memo, md = tmp_path / "memo.pdf", tmp_path / "memo.md"
    memo.write_bytes(b"%PDF-1.4 the memo filed last week\n")
    md.write_bytes(b"# last week's twin\n")
    before = memo.read_bytes(), md.read_bytes()
    marker = tmp_path / "paused"
    env = {k: v for k, v in os.environ.items() if k != "FAIRUSE_DEBUG"}
    env[PAUSE_ENV] = f"{stage}:{marker}"
    cmd = [sys.executable, "-m", "analysis.cli", "memo", str(SCENARIO), "-o", str(memo), "--markdown", str(md)]
    proc = subprocess.Popen([*cmd, "--force"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for(marker, proc)
        assert leftovers(tmp_path), "the writer is paused with its temporary file written"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert (memo.read_bytes(), md.read_bytes()) == before
    # The same command, not killed, replaces both (and the partial files of the killed run stay hidden).
    r = subprocess.run([*cmd, "--force"], cwd=ROOT, env={**env, PAUSE_ENV: ""}, capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert memo.read_bytes().startswith(b"%PDF") and memo.read_bytes() != before[0]
    assert md.read_bytes() != before[1]


# --------------------------------------------------------------------------- through the CLI
@pytest.fixture()
def images(tmp_path: Path) -> tuple[Path, Path]:
    gen, src = tmp_path / "generated.jpg", tmp_path / "source.jpg"
    shutil.copyfile(IMAGES / "generated.jpg", gen)
    shutil.copyfile(IMAGES / "source.jpg", src)
    return gen, src


@pytest.mark.parametrize("which", [0, 1])
def test_compare_refuses_to_write_its_report_over_a_work(images, which):
    # issue #14: 'fairuse compare gen src --json src' exited 0 and replaced the source with JSON
    target = images[which]
    before = target.read_bytes()
    line = one_line_error(run_cli_here("compare", str(images[0]), str(images[1]), "--json", str(target), "--force"))
    assert f"cannot write {target}: it is the input" in line
    assert target.read_bytes() == before


def test_compare_refuses_a_hard_link_to_a_work(images, tmp_path):
    hard = tmp_path / "report.json"
    os.link(images[1], hard)
    before = images[1].read_bytes()
    line = one_line_error(run_cli_here("compare", str(images[0]), str(images[1]), "--json", str(hard)))
    assert "a hard link to it" in line and images[1].read_bytes() == before


def test_compare_keeps_an_existing_report_without_force(images, tmp_path):
    out = tmp_path / "report.json"
    out.write_bytes(OLD)
    line = one_line_error(run_cli_here("compare", str(images[0]), str(images[1]), "--json", str(out)))
    assert "already exists; give --force" in line and out.read_bytes() == OLD


@pytest.fixture()
def scenario(tmp_path: Path) -> Path:
    p = tmp_path / "scen.yaml"
    shutil.copyfile(SCENARIO, p)
    return p


def test_assess_refuses_to_write_over_its_scenario(scenario):
    # issue #14: 'fairuse assess scen.yaml --json scen.yaml' overwrote its input
    before = scenario.read_bytes()
    line = one_line_error(run_cli_here("assess", str(scenario), "--json", str(scenario), "--force"))
    assert "it is the input" in line and scenario.read_bytes() == before


def test_assess_refuses_to_write_over_its_evidence_through_a_symbolic_link(scenario, tmp_path):
    report = tmp_path / "report.json"
    report.write_text(make_text_report().to_json(), encoding="utf-8")
    link = tmp_path / "out.json"
    link.symlink_to(report)
    before = report.read_bytes()
    line = one_line_error(
        run_cli_here("assess", str(scenario), "--evidence", str(report), "--json", str(link), "--force")
    )
    assert "through a symbolic link" in line and report.read_bytes() == before


def test_memo_refuses_a_hard_link_to_the_scenario(scenario, tmp_path):
    # issue #14: 'memo -o' through a hard link to the scenario overwrote it
    hard = tmp_path / "memo.pdf"
    os.link(scenario, hard)
    before = scenario.read_bytes()
    line = one_line_error(run_cli_here("memo", str(scenario), "-o", str(hard), "--force"))
    assert "a hard link to it" in line and scenario.read_bytes() == before


def test_memo_does_not_replace_an_existing_memo_without_force(scenario, tmp_path):
    # issue #14: 'memo -o' replaced an existing file without a word
    memo = tmp_path / "memo.pdf"
    memo.write_bytes(OLD)
    line = one_line_error(run_cli_here("memo", str(scenario), "-o", str(memo)))
    assert f"{memo} already exists; give --force to replace it" in line and memo.read_bytes() == OLD
    r = run_cli_here("memo", str(scenario), "-o", str(memo), "--force")
    assert r.returncode == 0, r.stderr
    assert memo.read_bytes().startswith(b"%PDF")


def _memo_on_a_terminal(scenario: Path, memo: Path, answer: bytes) -> tuple[int, str]:
    """Run ``memo -o MEMO`` with a pseudo-terminal as stdin and stderr; answer the prompt."""
    return _cli_on_a_terminal(["memo", str(scenario), "-o", str(memo)], answer, b"Replace it? [y/N]")


def _cli_on_a_terminal(args: list[str], answer: bytes, prompt: bytes) -> tuple[int, str]:
    """Run ``fairuse ARGS`` with a pseudo-terminal as stdin and stderr; answer the prompt."""
    import pty
    import select

    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "FAIRUSE_DEBUG"}
    cmd = [sys.executable, "-m", "analysis.cli", *args]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=follower, stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 120
    try:
        while prompt not in seen:  # waits on the prompt itself
            assert time.monotonic() < deadline and proc.poll() is None, seen
            if select.select([leader], [], [], 0.5)[0]:
                seen += os.read(leader, 1024)
        os.write(leader, answer)
        proc.wait(timeout=300)
        while select.select([leader], [], [], 0.2)[0]:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    return proc.returncode, seen.decode("utf-8", "replace")


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals")
def test_memo_asks_on_a_terminal_before_replacing(scenario, tmp_path):
    memo = tmp_path / "memo.pdf"
    memo.write_bytes(OLD)
    code, shown = _memo_on_a_terminal(scenario, memo, b"n\n")
    assert code == 2 and "already exists; give --force" in shown and memo.read_bytes() == OLD
    code, shown = _memo_on_a_terminal(scenario, memo, b"y\n")
    assert code == 0, shown
    assert memo.read_bytes().startswith(b"%PDF")


@pytest.mark.skipif(not HAS_DEV_FULL, reason="needs /dev/full")
def test_memo_with_markdown_to_dev_full_writes_no_pdf(scenario, tmp_path):
    # issue #14: '--markdown /dev/full' exited 2 after the PDF had been written
    memo = tmp_path / "memo.pdf"
    line = one_line_error(run_cli_here("memo", str(scenario), "-o", str(memo), "--markdown", "/dev/full"))
    assert "cannot write /dev/full: No space left on device" in line
    assert not memo.exists() and leftovers(tmp_path) == []
    memo.write_bytes(OLD)  # an old memo survives the same failure with --force
    one_line_error(run_cli_here("memo", str(scenario), "-o", str(memo), "--markdown", "/dev/full", "--force"))
    assert memo.read_bytes() == OLD


def test_memo_refuses_two_outputs_that_are_one_file(scenario, tmp_path):
    line = one_line_error(
        run_cli_here("memo", str(scenario), "-o", str(tmp_path / "m.pdf"), "--json", str(tmp_path / "m.pdf"))
    )
    assert "are the same file" in line


def test_memo_writes_to_a_new_file_with_the_usual_messages(tmp_path):
    scen = tmp_path / "s.yaml"
    save_scenario(make_scenario(), scen)
    r = run_cli_here("memo", str(scen), "-o", str(tmp_path / "m.pdf"), "--json", str(tmp_path / "m.json"))
    assert r.returncode == 0, r.stderr
    assert "Memo (creator) written to" in r.stdout and "Analysis as JSON written to" in r.stdout
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------- batches: compare --pairs, scan, index
# Before these tests, 'compare --pairs --out DIR', 'scan --out DIR' and 'index --out INDEX' replaced existing
# outputs without a word and did not check their outputs against their inputs.
MIRROR = ROOT / "samples" / "image-mirrored-duplicate"


def _pairs(tmp_path: Path, where: Path | None = None) -> tuple[Path, Path]:
    gen = tmp_path / "gen.jpg"
    shutil.copyfile(MIRROR / "generated.jpg", gen)
    pairs = where or tmp_path / "pairs.jsonl"
    pairs.write_text(f'{{"id": "a", "generated": "{gen}", "source": "{MIRROR / "source.jpg"}"}}\n', encoding="utf-8")
    return pairs, gen


def _files(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder``: its bytes and its modification time (ns)."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_compare_pairs_keeps_an_existing_report_without_force(tmp_path):
    pairs, _gen = _pairs(tmp_path)
    out = tmp_path / "out"
    (out / "reports").mkdir(parents=True)
    report = out / "reports" / "a.json"
    report.write_bytes(OLD)
    line = one_line_error(run_cli_here("compare", "--pairs", str(pairs), "--out", str(out)))
    assert f"{report} already exists; give --force to replace it" in line
    assert report.read_bytes() == OLD and not (out / "summary.csv").exists()
    r = run_cli_here("compare", "--pairs", str(pairs), "--out", str(out), "--force")
    assert r.returncode == 0, r.stderr
    assert report.read_bytes() != OLD and (out / "summary.csv").is_file()


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals")
def test_compare_pairs_asks_once_on_a_terminal_for_every_existing_output(tmp_path):
    pairs, _gen = _pairs(tmp_path)
    out = tmp_path / "out"
    (out / "reports").mkdir(parents=True)
    for f in (out / "summary.csv", out / "reports" / "a.json"):
        f.write_bytes(OLD)
    args = ["compare", "--pairs", str(pairs), "--out", str(out)]
    prompt = b"and 1 other output already exist. Replace them? [y/N]"
    code, shown = _cli_on_a_terminal(args, b"n\n", prompt)
    assert code == 2 and "already exists; give --force" in shown
    assert (out / "summary.csv").read_bytes() == OLD and (out / "reports" / "a.json").read_bytes() == OLD
    code, shown = _cli_on_a_terminal(args, b"y\n", prompt)
    assert code == 0, shown
    assert shown.count("[y/N]") == 1  # one question for the batch
    assert (out / "summary.csv").read_bytes() != OLD and (out / "reports" / "a.json").read_bytes() != OLD


def test_output_plan_creates_missing_folders_only_when_asked(tmp_path):
    target = tmp_path / "new" / "sub" / "a.txt"
    with pytest.raises(InputError, match="does not exist"):
        OutputPlan([target]).check()
    plan = OutputPlan([target], create_folders=True).check()
    assert not (tmp_path / "new").exists()  # nothing made by the check
    plan.commit({target: "x"})
    assert target.read_text() == "x"
    blocker = tmp_path / "file"
    blocker.write_bytes(OLD)
    with pytest.raises(InputError, match="is a file"):
        OutputPlan([blocker / "sub" / "a.txt"], create_folders=True).check()


def test_compare_pairs_keeps_an_existing_summary_without_force(tmp_path):
    pairs, _gen = _pairs(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.csv").write_bytes(OLD)
    line = one_line_error(run_cli_here("compare", "--pairs", str(pairs), "--out", str(out)))
    assert "summary.csv already exists; give --force" in line
    assert (out / "summary.csv").read_bytes() == OLD and not (out / "reports").exists()


def test_compare_pairs_refuses_a_report_that_is_a_hard_link_to_a_work(tmp_path):
    pairs, gen = _pairs(tmp_path)
    out = tmp_path / "out"
    (out / "reports").mkdir(parents=True)
    os.link(gen, out / "reports" / "a.json")
    before = gen.read_bytes()
    line = one_line_error(run_cli_here("compare", "--pairs", str(pairs), "--out", str(out), "--force"))
    assert f"cannot write {out / 'reports' / 'a.json'}: it is the input {gen} (a hard link to it)" in line
    assert gen.read_bytes() == before and not (out / "summary.json").exists()


def test_compare_pairs_refuses_to_write_its_summary_over_the_pairs_file(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    pairs, _gen = _pairs(tmp_path, where=out / "summary.csv")
    before = pairs.read_bytes()
    line = one_line_error(run_cli_here("compare", "--pairs", str(pairs), "--out", str(out), "--force"))
    assert f"cannot write {pairs}: it is the input" in line and pairs.read_bytes() == before


@pytest.fixture(scope="module")
def image_index(tmp_path_factory) -> tuple[Path, Path]:
    """A catalogue of one picture and its index (images only: no text model)."""
    from analysis.index.build import build_index

    root = tmp_path_factory.mktemp("idx")
    cat = root / "catalogue"
    cat.mkdir()
    shutil.copyfile(MIRROR / "source.jpg", cat / "mirror.jpg")
    build_index([cat], root / "index")
    return cat, root / "index"


def test_scan_keeps_an_existing_triage_table_without_force(image_index, tmp_path):
    _cat, index = image_index
    out = tmp_path / "triage"
    out.mkdir()
    (out / "triage.csv").write_bytes(OLD)
    work = str(MIRROR / "generated.jpg")
    line = one_line_error(run_cli_here("scan", work, "--index", str(index), "--out", str(out), "--device", "cpu"))
    assert f"{out / 'triage.csv'} already exists; give --force to replace it" in line
    assert _files(out) == {"triage.csv": (OLD, (out / "triage.csv").stat().st_mtime_ns)}
    r = run_cli_here("scan", work, "--index", str(index), "--out", str(out), "--device", "cpu", "--force")
    assert r.returncode == 0, r.stderr
    assert (out / "triage.csv").read_text(encoding="utf-8").startswith("work,")
    assert (out / "triage.html").is_file() and list((out / "reports").rglob("*.json"))


def test_scan_refuses_to_write_its_table_over_a_work(image_index, tmp_path):
    _cat, index = image_index
    out = tmp_path / "triage"
    out.mkdir()
    work = out / "triage.html"  # a text work (HTML) where the scan writes its page
    work.write_text("<p>" + "a story of words that is long enough to scan " * 20 + "</p>", encoding="utf-8")
    before = _files(out)
    for extra in ((), ("--force",)):
        line = one_line_error(run_cli_here("scan", str(work), "--index", str(index), "--out", str(out), *extra))
        assert f"cannot write {work}: it is the input" in line and _files(out) == before


def test_scan_gives_two_works_of_one_name_their_own_reports(image_index, tmp_path):
    # before: both works' reports went to reports/generated/01-1-mirror.json, the second over the first
    _cat, index = image_index
    works = []
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        shutil.copyfile(MIRROR / "generated.jpg", tmp_path / d / "generated.jpg")
        works.append(str(tmp_path / d / "generated.jpg"))
    out = tmp_path / "triage"
    r = run_cli_here("scan", *works, "--index", str(index), "--out", str(out), "--device", "cpu")
    assert r.returncode == 0, r.stderr
    rows = json.loads((out / "triage.json").read_text(encoding="utf-8"))["rows"]
    reports = [row["report"] for row in rows]
    assert len(reports) == 2 and len(set(reports)) == 2 and all((out / rel).is_file() for rel in reports)
    assert reports[1].startswith("reports/generated-2/")


def test_index_does_not_replace_an_existing_index_without_force(image_index, tmp_path):
    cat, _index = image_index
    ix = tmp_path / "ix"
    r = run_cli_here("index", str(cat), "--out", str(ix))
    assert r.returncode == 0, r.stderr
    before, inode = _files(ix), ix.stat().st_ino
    line = one_line_error(run_cli_here("index", str(cat), "--out", str(ix)))
    assert f"{ix} already holds an index; give --force to replace it, or --add to add to it" in line
    assert _files(ix) == before and ix.stat().st_ino == inode
    r = run_cli_here("index", str(cat), "--out", str(ix), "--force")
    assert r.returncode == 0, r.stderr
    assert "indexed 1 work" in r.stdout and ix.stat().st_ino != inode  # a new index swapped in
    more = tmp_path / "more"
    more.mkdir()
    shutil.copyfile(IMAGES / "source.jpg", more / "pasted.jpg")
    r = run_cli_here("index", str(more), "--out", str(ix), "--add")
    assert r.returncode == 0, r.stderr
    assert "added 1 work" in r.stdout and "2 images in all" in r.stdout


def test_index_refuses_a_folder_that_holds_its_catalogue(tmp_path):
    ix = tmp_path / "ix"
    r = run_cli_here("index", str(IMAGES / "source.jpg"), "--out", str(ix))
    assert r.returncode == 0, r.stderr
    work = ix / "mine.jpg"  # a work kept inside the index folder, which a rebuild replaces whole
    shutil.copyfile(MIRROR / "source.jpg", work)
    before = _files(ix)
    for extra in ("--add", "--force"):
        line = one_line_error(run_cli_here("index", str(work), "--out", str(ix), extra))
        assert f"{work}" in line and "inside the index folder" in line
        assert _files(ix) == before
