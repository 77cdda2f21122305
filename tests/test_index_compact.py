"""The compact parts of the index format and the paragraph-aware chunking (no models)."""

from __future__ import annotations

import numpy as np

from analysis.index.store import FP_BUCKET_BITS, pack_fingerprints, unpack_fingerprints
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
