"""The compact parts of the index format and the paragraph-aware chunking (no models)."""

from __future__ import annotations

import numpy as np

from analysis.index.store import (
    FP_BUCKET_BITS,
    IndexData,
    load_index,
    new_vector_index,
    pack_bits,
    pack_fingerprints,
    pack_works,
    search,
    unpack_bits,
    unpack_fingerprints,
    unpack_works,
    write_index,
)
from analysis.index.text_features import paragraph_chunks, query_windows


def test_fingerprints_pack_to_two_bytes_and_back():
    rng = np.random.default_rng(5)
    h = np.sort(rng.integers(0, 2**32, 50_000, dtype=np.uint64).astype(np.uint32))
    h = np.concatenate([h, h[:100]])  # repeated fingerprints (several works) survive
    h.sort()
    counts, low = pack_fingerprints(h)
    assert low.dtype == np.uint16 and len(low) == len(h)
    assert counts.dtype == np.uint8 and len(counts) == 1 << FP_BUCKET_BITS
    assert np.array_equal(unpack_fingerprints(counts, low), h)
    empty = pack_fingerprints(np.zeros(0, np.uint32))
    assert len(unpack_fingerprints(*empty)) == 0


def test_unpack_refuses_offsets_that_do_not_match():
    counts, low = pack_fingerprints(np.array([1, 2, 3], np.uint32))
    try:
        unpack_fingerprints(counts, low[:2])
    except ValueError as exc:
        assert "does not match" in str(exc)
    else:
        raise AssertionError("mismatched arrays were accepted")


def test_bits_and_work_ranks_pack_and_back():
    rng = np.random.default_rng(7)
    for width in (1, 9, 13, 32):
        v = rng.integers(0, 2**width, 1001, dtype=np.uint64).astype(np.uint32)
        packed = pack_bits(v, width)
        assert packed.dtype == np.uint8 and len(packed) == (1001 * width + 7) // 8
        assert np.array_equal(unpack_bits(packed, width, 1001), v)
    # 500 text works among 2,500 ids: 9 bits a fingerprint, not the 16 of uint16 ids
    work = rng.choice(np.arange(1, 2501, 5, dtype=np.uint32), 10_000)
    ids, packed = pack_works(work)
    assert len(ids) == 500 and len(packed) == (10_000 * 9 + 7) // 8
    assert np.array_equal(unpack_works(ids, packed, 10_000), work)
    one_work = pack_works(np.full(3, 7, np.uint32))
    assert np.array_equal(unpack_works(*one_work, 3), [7, 7, 7])
    assert len(unpack_works(*pack_works(np.zeros(0, np.uint32)), 0)) == 0
    try:
        unpack_works(ids, packed[:-1], 10_000)
    except ValueError as exc:
        assert "packed" in str(exc)
    else:
        raise AssertionError("a short packed array was accepted")


def _unit(rng, n: int, d: int) -> np.ndarray:
    x = rng.standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_index_round_trip_with_ivf_lists_stored_without_ids(tmp_path, monkeypatch):
    """Format 3 writes IVF lists as codes only and reorders the rows that go with the vectors
    (chunk works; keypoint works and positions): every search finds the same works, and the
    same keypoint positions, as before writing."""
    from analysis import defaults

    monkeypatch.setattr(defaults, "INDEX_PQ_MIN_VECTORS", 500)
    rng = np.random.default_rng(3)
    n_chunks, n_local = 3000, 2600
    chunks, local = _unit(rng, n_chunks, 32), _unit(rng, n_local, 128)
    works = [
        {
            "id": i,
            "kind": "text" if i <= 3 else "image",
            "title": f"Work {i}",
            "author": "" if i % 2 else "A. Author",
            "year": "1901",
            "licence": None,
            "path": f"/catalogue/{'texts' if i <= 3 else 'images'}/w{i}.{'txt' if i <= 3 else 'jpg'}",
            "sha256": f"{i:064x}",
            "bytes": 100 * i,
            "words": 10 * i,
            "added": "2026-12-02T10:00:00+00:00",
        }
        for i in range(1, 7)
    ]
    fp = np.sort(rng.integers(0, 2**32, 4000, dtype=np.uint64).astype(np.uint32))
    data = IndexData(
        works=works,
        skipped=[{"path": "/x.svg", "reason": "not a supported text or image type (.svg)", "added": "d"}],
        fp_hash=fp,
        fp_work=rng.integers(1, 4, len(fp)).astype(np.uint32),
        chunk_work=rng.integers(1, 4, n_chunks).astype(np.uint32),
        text_mean=np.zeros(32, np.float32),
        text_vectors=new_vector_index(chunks, 8),
        image_work=np.arange(4, 7, dtype=np.uint32),
        image_phash=rng.integers(0, 2**63, 3, dtype=np.uint64),
        image_global=_unit(rng, 3, 64).astype(np.float16),
        local_work=rng.integers(4, 7, n_local).astype(np.uint32),
        local_xy=rng.random((n_local, 2)).astype(np.float16),
        image_local=new_vector_index(local, 16, defaults.INDEX_IMAGE_IVF_NPROBE),  # as the build makes it
        settings={"k": 1},
    )
    import faiss

    assert isinstance(data.text_vectors, faiss.IndexIVFPQ) and isinstance(data.image_local, faiss.IndexIVFPQ)
    out = write_index(data, tmp_path / "ix")
    assert (out / "text_vectors_codes.npy").is_file() and (out / "image_local_lists.npy").is_file()
    back = load_index(out)
    assert back.works == works and back.skipped == data.skipped
    assert np.array_equal(back.fp_hash, data.fp_hash) and np.array_equal(back.fp_work, data.fp_work)
    assert back.text_vectors.ntotal == n_chunks and back.image_local.ntotal == n_local
    assert back.text_vectors.nprobe == defaults.INDEX_IVF_NPROBE
    assert back.image_local.nprobe == data.image_local.nprobe == defaults.INDEX_IMAGE_IVF_NPROBE
    # the coarse centroids: float16 on disk, a flat float32 table in memory (fast to probe)
    assert np.load(out / "text_vectors_centroids.npy").dtype == np.float16
    assert isinstance(faiss.downcast_index(back.text_vectors.quantizer), faiss.IndexFlatIP)
    s0, i0 = search(data.text_vectors, chunks[:200], 5)
    s1, i1 = search(back.text_vectors, chunks[:200], 5)
    assert np.allclose(s0, s1, atol=1e-5)
    assert np.array_equal(data.chunk_work[i0], back.chunk_work[i1])
    s0, i0 = search(data.image_local, local[:200], 5)
    s1, i1 = search(back.image_local, local[:200], 5)
    assert np.allclose(s0, s1, atol=1e-5)
    assert np.array_equal(data.local_work[i0], back.local_work[i1])
    assert np.array_equal(data.local_xy[i0], back.local_xy[i1])
    # written again, the loaded index gives the same files (the lists are already in order)
    again = write_index(back, tmp_path / "again")
    for name in (
        "text_vectors_codes.npy",
        "text_vectors_centroids.npy",
        "text_vectors.faiss",
        "text_chunk_work.npy",
        "image_local_xy.npy",
        "text_fp_work.npy",
        "catalogue.sqlite",
    ):
        assert (again / name).read_bytes() == (out / name).read_bytes()
    # the catalogue table: repeated values stored once, readable through the works_full view
    import sqlite3

    con = sqlite3.connect(out / "catalogue.sqlite")
    try:
        assert con.execute("SELECT count(*) FROM strings WHERE value = '1901'").fetchone() == (1,)
        row = con.execute("SELECT kind, path, sha256, licence FROM works_full WHERE id = 4").fetchone()
    finally:
        con.close()
    assert row == ("image", "/catalogue/images/w4.jpg", f"{4:064x}", None)


def _words(text: str, span: tuple[int, int]) -> list[str]:
    return text[span[0] : span[1]].split()


def test_a_paragraph_is_a_chunk_and_short_ones_are_grouped():
    para = " ".join(f"w{i}." if i % 12 == 11 else f"w{i}" for i in range(90))
    verses = [" ".join(f"v{j}x{i}" for i in range(20)) + "." for j in range(8)]
    long_para = " ".join(f"l{i}." if i % 15 == 14 else f"l{i}" for i in range(400))
    text = "\n\n".join([*verses[:4], para, *verses[4:], long_para])
    chunks = paragraph_chunks(text, 100)
    got = [_words(text, c) for c in chunks]
    assert para.split() in got  # the 90-word paragraph is one chunk, not merged with verses
    assert got[0] == " ".join(verses[:4]).split()  # four 20-word verses grouped (80 words, then the paragraph)
    # the long paragraph is cut at sentences into chunks of about the target, covering it all
    long_chunks = [g for g in got if g and g[0].startswith("l")]
    assert len(long_chunks) >= 3 and sum(len(g) for g in long_chunks) == 400
    # every word is in exactly one chunk
    assert sum(len(g) for g in got) == len(text.split())


def test_query_windows_include_each_paragraph_whole():
    para = " ".join(f"p{i}." if i % 10 == 9 else f"p{i}" for i in range(80))
    filler = " ".join(f"f{i}." if i % 10 == 9 else f"f{i}" for i in range(200))
    text = "\n\n".join([filler, para, filler])
    wins = [_words(text, w) for w in query_windows(text, 60)]
    assert para.split() in wins
