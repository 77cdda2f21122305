"""``fairuse index`` and ``fairuse scan`` on a small catalogue: the real engines, a tiny static model."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import numpy as np
import pytest

from analysis.errors import InputError
from analysis.index.build import build_index, partial_dir
from analysis.index.store import FORMAT_VERSION, MANIFEST, load_index
from analysis.scan.scan import scan_works
from tests.cli_helpers import one_line_error, run_cli, run_cli_here
from tests.index_helpers import SAMPLES, sample_catalogue, tiny_static_model


@pytest.fixture(scope="module")
def static(tmp_path_factory) -> str:
    return str(tiny_static_model(tmp_path_factory.mktemp("static") / "tiny"))


@pytest.fixture(scope="module")
def built(tmp_path_factory, static):
    root = tmp_path_factory.mktemp("cat")
    cat = sample_catalogue(root / "catalogue")
    # bad files, each skipped with a reason
    (cat / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 500)
    (cat / "empty.txt").write_text("   \n", encoding="utf-8")
    (cat / "corrupt.jpg").write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(400))
    (cat / "vector.svg").write_text("<svg/>", encoding="utf-8")
    (cat / "notes.xyz").write_text("x", encoding="utf-8")
    (cat / "huge.txt").write_text("word " * 300_000, encoding="utf-8")
    (cat / "link.txt").symlink_to(cat / "text-regurgitation.txt")
    manifest = root / "extra.csv"
    with manifest.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["title", "author", "year", "licence", "path"])
        w.writerow(
            [
                "<script>alert(1)</script> Poem",
                "A. <b>Author</b>",
                "1901",
                "public domain",
                "catalogue/text-close-paraphrase.txt",
            ]
        )
        w.writerow(["Missing", "", "", "", "nowhere.txt"])
    index = root / "index"
    r = run_cli(
        "index",
        str(cat),
        str(manifest),
        "--out",
        str(index),
        "--static-model",
        static,
        env_extra={"FAIRUSE_MAX_FILE_BYTES": "1000000"},
    )
    assert r.returncode == 0, r.stderr
    return root, cat, index, r.stdout


def test_index_lists_each_skipped_file_with_one_reason(built):
    _root, _cat, index, out = built
    assert "indexed 8 works" in out and "4 texts" in out and "4 images" in out
    skipped = [ln.strip() for ln in out.splitlines() if ln.startswith("  ")]
    reasons = {Path(ln.split(":")[0]).name: ln for ln in skipped}
    assert "binary file" in reasons["binary.txt"]
    assert "empty" in reasons["empty.txt"].lower() or "no text" in reasons["empty.txt"].lower()
    assert "corrupt.jpg" in reasons
    assert "not a supported" in reasons["vector.svg"]
    assert "not a supported" in reasons["notes.xyz"]
    assert "limit" in reasons["huge.txt"]
    assert "symbolic link" in reasons["link.txt"]
    assert "no such file" in reasons["nowhere.txt"]
    data = load_index(index)
    assert len(data.works) == 8 and len(data.skipped) == len(skipped)
    m = json.loads((index / MANIFEST).read_text())
    assert m["format"] == "fairuse-index" and m["version"] == FORMAT_VERSION == 3 and m["counts"]["texts"] == 4


def test_scan_finds_the_true_sources_and_writes_the_triage_table(built, static, tmp_path):
    _root, _cat, index, _ = built
    works = [
        SAMPLES / "text-regurgitation/generated.txt",
        SAMPLES / "image-mirrored-duplicate/generated.jpg",
        SAMPLES / "image-pasted-region/generated.jpg",
        tmp_path / "missing.txt",
    ]
    out = tmp_path / "scan"
    result = scan_works(works, index, top=2, out=out, static_model=static, device="cpu")
    by_work: dict[str, list] = {}
    for row in result.rows:
        by_work.setdefault(row.work_path, []).append(row)
    top = {Path(k).parent.name + "/" + Path(k).name: v[0] for k, v in by_work.items()}
    reg = top["text-regurgitation/generated.txt"]
    assert reg.source_title == "text-regurgitation" and reg.channel == "fingerprints" and reg.verdict == "verbatim"
    assert reg.flagged and reg.share_of_source_taken > 0.2 and reg.longest_words >= 50
    mirror = top["image-mirrored-duplicate/generated.jpg"]
    assert mirror.source_title == "image-mirrored-duplicate" and mirror.verdict == "near_duplicate"
    pasted = top["image-pasted-region/generated.jpg"]
    assert pasted.source_title == "image-pasted-region" and pasted.verdict == "partial_copy"
    assert "region" in pasted.longest
    failed = [w for w in result.works if w.status != "ok"]
    assert len(failed) == 1 and "no such file" in (failed[0].error or "")
    # files: CSV, JSON, HTML, and each compared pair's report
    rows = list(csv.DictReader((out / "triage.csv").open(encoding="utf-8")))
    assert len(rows) == len(result.rows)
    for row in result.rows:
        assert (out / row.report).is_file()
    html = (out / "triage.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "<script" not in html.lower().replace("&lt;script", "")
    assert "http://" not in html and "https://" not in html
    assert json.loads((out / "triage.json").read_text())["top"] == 2


def test_scan_escapes_catalogue_metadata_in_html(tmp_path, static):
    cat = tmp_path / "c"
    cat.mkdir()
    (cat / "s.txt").write_bytes((SAMPLES / "text-regurgitation/source.txt").read_bytes())
    man = tmp_path / "m.jsonl"
    man.write_text(
        json.dumps(
            {"path": "c/s.txt", "title": '<img src=x onerror="alert(1)">', "author": "<b>x</b>", "licence": "CC0"}
        )
        + "\n{broken\n",
        encoding="utf-8",
    )
    res = build_index([man], tmp_path / "ix", static_model=static)
    assert res.added == 1 and any("not JSON" in s.reason for s in res.skipped)
    scan_works(
        [SAMPLES / "text-regurgitation/generated.txt"], tmp_path / "ix", top=1, out=tmp_path / "o", static_model=static
    )
    html = (tmp_path / "o" / "triage.html").read_text(encoding="utf-8")
    assert "<img" not in html and "&lt;img src=x" in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_scenario_adds_an_assessment_to_flagged_pairs(built, static, tmp_path):
    _root, _cat, index, _ = built
    out = tmp_path / "o"
    r = run_cli(
        "scan",
        str(SAMPLES / "text-regurgitation/generated.txt"),
        "--index",
        str(index),
        "--top",
        "2",
        "--out",
        str(out),
        "--static-model",
        static,
        "--scenario",
        str(SAMPLES / "scenarios/ai_output_regurgitation.yaml"),
    )
    assert r.returncode == 0, r.stderr
    rows = json.loads((out / "triage.json").read_text())["rows"]
    flagged = [x for x in rows if x["flagged"]]
    assert flagged and all(x["assessment"] for x in flagged)
    assert all((out / x["assessment_file"]).is_file() for x in flagged)
    assert all(x["assessment"] is None for x in rows if not x["flagged"])
    assert "Assessment" in (out / "triage.html").read_text(encoding="utf-8")


def test_add_extends_the_index_and_skips_what_it_holds(built, static, tmp_path, monkeypatch):
    monkeypatch.setenv("FAIRUSE_MAX_FILE_BYTES", "1000000")
    _root, cat, index, _ = built
    ix = tmp_path / "ix"
    build_index([cat / "text-regurgitation.txt", cat / "image-same-style.jpg"], ix, static_model=static)
    before = load_index(ix)
    res = build_index([cat], ix, add=True, static_model=static)
    after = load_index(ix)
    assert res.added == 6 and len(after.works) == 8
    assert sum("already in the index" in s.reason for s in res.skipped) == 2
    assert [w["id"] for w in after.works] == list(range(1, 9))
    assert len(after.fp_hash) > len(before.fp_hash)
    # the same eight works as a one-go build: the same fingerprints and text chunks
    whole = load_index(index)
    assert np.array_equal(np.sort(after.fp_hash), np.sort(whole.fp_hash))
    assert len(after.chunk_work) == len(whole.chunk_work)


def test_add_to_an_index_whose_keypoints_outgrow_the_exhaustive_index(built, static, tmp_path, monkeypatch):
    """--add across the switch to IVF-PQ, then to the IVF index itself: its lists are written
    without ids (format 3) and the keypoints' works and positions follow them, so each
    catalogue picture still finds itself first."""
    import faiss

    from analysis import defaults
    from analysis.ingest.image import load_image
    from analysis.scan.candidates import image_candidates

    monkeypatch.setenv("FAIRUSE_MAX_FILE_BYTES", "1000000")
    _root, cat, _index, _ = built
    monkeypatch.setattr(defaults, "INDEX_PQ_MIN_VECTORS", 300)
    ix = tmp_path / "ix"
    images = sorted(cat.glob("image-*.jpg"))
    build_index([images[0]], ix, static_model=static)
    assert not isinstance(load_index(ix).image_local, faiss.IndexIVF)
    build_index(images[:3], ix, add=True, static_model=static)
    mid = load_index(ix)
    assert isinstance(mid.image_local, faiss.IndexIVF) and (ix / "image_local_codes.npy").is_file()
    build_index([cat], ix, add=True, static_model=static)
    data = load_index(ix)
    assert isinstance(data.image_local, faiss.IndexIVF) and data.image_local.ntotal == len(data.local_work)
    by_name = {Path(w["path"]).name: w["id"] for w in data.works}
    for img in images:
        cands = image_candidates(data, load_image(img).analysis)
        assert cands[0].work_id == by_name[img.name] and cands[0].detail.get("geometric_inliers", 0) >= 20


def test_corrupt_and_newer_indexes_get_one_line(built, static, tmp_path):
    import shutil

    _root, _cat, index, _ = built
    bad = tmp_path / "bad"
    shutil.copytree(index, bad)
    f = bad / "text_fp_low.npy"
    data = bytearray(f.read_bytes())
    data[-1] ^= 0xFF
    f.write_bytes(bytes(data))
    work = str(SAMPLES / "text-regurgitation/generated.txt")
    line = one_line_error(run_cli_here("scan", work, "--index", str(bad), "--static-model", static))
    assert "corrupt" in line and "text_fp_low.npy" in line
    newer = tmp_path / "newer"
    shutil.copytree(index, newer)
    m = json.loads((newer / MANIFEST).read_text())
    m["version"] = 99
    (newer / MANIFEST).write_text(json.dumps(m))
    assert "format version 99" in one_line_error(run_cli_here("scan", work, "--index", str(newer)))
    # an index of an earlier format: one line that says to rebuild it, for a scan and for --add
    m["version"] = 2
    (newer / MANIFEST).write_text(json.dumps(m))
    line = one_line_error(run_cli_here("scan", work, "--index", str(newer)))
    assert "format version 2" in line and "rebuild" in line
    line = one_line_error(run_cli_here("index", str(SAMPLES / "text-regurgitation"), "--out", str(newer), "--add"))
    assert "format version 2" in line and "rebuild" in line
    (newer / MANIFEST).write_text("{not json")
    assert "corrupt" in one_line_error(run_cli_here("scan", work, "--index", str(newer)))
    assert "no index at" in one_line_error(run_cli_here("scan", work, "--index", str(tmp_path / "none")))
    assert "--add" not in one_line_error(
        run_cli_here("index", str(tmp_path / "nothing-here"), "--out", str(tmp_path / "x"))
    )
    notindex = tmp_path / "notindex"
    notindex.mkdir()
    (notindex / "keep.txt").write_text("mine")
    line = one_line_error(run_cli_here("index", str(SAMPLES / "text-regurgitation"), "--out", str(notindex)))
    assert "not a fairuse index" in line and (notindex / "keep.txt").read_text() == "mine"


def test_an_interrupted_build_keeps_the_old_index_and_resumes(built, static, tmp_path, monkeypatch):
    from analysis import defaults
    from analysis.index import build as build_mod

    monkeypatch.setenv("FAIRUSE_MAX_FILE_BYTES", "1000000")
    _root, cat, _index, _ = built
    ix = tmp_path / "ix"
    build_index([cat / "text-regurgitation.txt"], ix, static_model=static)
    good = (ix / MANIFEST).read_text()
    monkeypatch.setattr(defaults, "INDEX_SHARD_WORKS", 2)
    real = build_mod.extract_shard
    calls = {"n": 0}

    def flaky(entries, progress=None, **kw):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(entries, progress, **kw)

    monkeypatch.setattr(build_mod, "extract_shard", flaky)
    with pytest.raises(KeyboardInterrupt):
        build_index([cat], ix, static_model=static)
    assert (ix / MANIFEST).read_text() == good  # the good index is still in place, untouched
    assert len(load_index(ix).works) == 1
    assert len(list(partial_dir(ix).glob("*.npz"))) == 2
    monkeypatch.setattr(build_mod, "extract_shard", real)
    res = build_index([cat], ix, static_model=static)
    assert res.resumed_shards == 2 and res.total_works == 8
    assert not partial_dir(ix).exists()
    clean = tmp_path / "clean"
    build_index([cat], clean, static_model=static)
    a, b = load_index(ix), load_index(clean)
    assert np.array_equal(a.fp_hash, b.fp_hash) and np.array_equal(a.local_work, b.local_work)
    assert [w["sha256"] for w in a.works] == [w["sha256"] for w in b.works]


def test_bad_arguments(tmp_path, built, static):
    _root, _cat, index, _ = built
    with pytest.raises(InputError, match="--top"):
        scan_works([SAMPLES / "text-regurgitation/generated.txt"], index, top=0, static_model=static)
    with pytest.raises(InputError, match="at least one"):
        scan_works([], index)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "a.xyz").write_text("x")
    line = one_line_error(run_cli_here("index", str(empty), "--out", str(tmp_path / "ix"), "--static-model", static))
    assert "no usable work" in line and "a.xyz" in line


def test_scattered_stock_phrases_do_not_outrank_a_copied_passage(tmp_path, static):
    """A long work shares a stock phrase here and there with many catalogue texts; the one
    text it copies a passage from (one word in eight changed) still comes first, and the
    texts that share only isolated phrases get no fingerprint score at all."""
    from analysis.index.static_model import load_static_embedder
    from analysis.scan.candidates import text_candidates

    rng = np.random.default_rng(7)
    vocab = [f"w{i}" for i in range(4000)]
    stock = [" ".join(rng.choice(vocab, 6)) for _ in range(60)]

    def prose(n: int) -> list[str]:
        return list(rng.choice(vocab, n))

    cat = tmp_path / "cat"
    cat.mkdir()
    for i in range(12):  # each shares five stock phrases, far apart, with the work
        words = prose(3000)
        for j in range(5):
            words[200 + 500 * j : 200 + 500 * j] = stock[(i * 5 + j) % 60].split()
        (cat / f"stock{i:02d}.txt").write_text(" ".join(words), encoding="utf-8")
    source = prose(3000)
    passage = source[1000:1060]
    (cat / "source.txt").write_text(" ".join(source), encoding="utf-8")
    near = [("x" + w if k % 8 == 3 else w) for k, w in enumerate(passage)]
    work = prose(10_000)
    for j, phrase in enumerate(stock):
        work[150 * j + 40 : 150 * j + 40] = phrase.split()
    work[5000:5000] = near
    index = tmp_path / "index"
    build_index([cat], index, static_model=static)
    data = load_index(index)
    cands = text_candidates(data, load_static_embedder(static), " ".join(work), 20)
    titles = {int(w["id"]): Path(w["path"]).name for w in data.works}
    assert titles[cands[0].work_id] == "source.txt" and cands[0].channel == "fingerprints"
    others = [c for c in cands if titles[c.work_id] != "source.txt"]
    assert all(c.channels.get("fingerprints", 0.0) == 0.0 for c in others)


def test_passage_hits_need_a_non_overlapping_partner_within_the_gap():
    from analysis import defaults
    from analysis.scan.candidates import _passage_hits

    gap, apart = defaults.SCAN_FP_PASSAGE_GAP_WORDS, defaults.SCAN_FP_PASSAGE_MIN_APART
    # work 1: two hits of one 6-word phrase (1 apart) -> none; work 2: a passage (0, apart, 2*apart) -> 3;
    # work 3: two hits just beyond the gap -> none; work 4: two hits exactly at the gap, rare -> 2
    work = np.array([1, 1, 2, 2, 2, 3, 3, 4, 4])
    pos = np.array([10, 11, 0, apart, 2 * apart, 100, 101 + gap, 500, 500 + gap])
    n_works = np.full(600 + gap, 2)
    n_works[500] = n_works[500 + gap] = 1
    ids, hits, rarity = _passage_hits(work, pos, n_works)
    assert ids.tolist() == [2, 4] and hits.tolist() == [3, 2]
    assert rarity.tolist() == [1.5, 2.0]
