"""Verbatim and near-verbatim passages: a hashed word n-gram index with seed-and-extend.

Why this design: a quadratic all-pairs alignment (``difflib``) takes minutes on a novel.
Here every word n-gram (n = the minimum passage length) of both texts is hashed; the
smaller text's hashes are sorted and the larger text's are looked up in them (expected
linear time: one sort of the smaller side, one binary search per n-gram of the larger
side, all in NumPy). Every shared n-gram is a *seed* (g, s). Seeds on one diagonal
(s - g constant) at consecutive positions are one exact common word sequence, so a run of
consecutive seeds *is* the extension of a seed to its maximal passage — no per-seed
extension loop is needed, and every maximal shared passage of at least n words is found.

Passages overlapping on the generated side (the source repeats itself) are resolved
longest first. Then adjacent passages separated by a small edit on both sides (a changed,
inserted or dropped word or two) are merged into one *near-verbatim* passage carrying its
edit similarity (rapidfuzz normalised Levenshtein over the normalised text).

All positions here are word indices; ``compare`` maps them to characters.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from analysis import defaults
from analysis.measure.text.tokens import Words

_HASH_MULT = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant (golden ratio), a standard multiplicative hash


@dataclass
class WordMatch:
    """A shared passage in word indices: generated [g0, g1), source [s0, s1)."""

    g0: int
    g1: int
    s0: int
    s1: int
    kind: str = "verbatim"  # or "near_verbatim"
    similarity: float = 1.0
    # other source starts where the same words occur (the source repeats itself), for merging
    alternatives: tuple[int, ...] = ()

    @property
    def words(self) -> int:
        return self.g1 - self.g0


def word_hashes(words: list[str]) -> np.ndarray:
    """64-bit hashes of the words (Python's string hash: stable within one process, which is all we need)."""
    return np.fromiter(map(hash, words), dtype=np.int64, count=len(words)).view(np.uint64)


def ngram_hashes(wh: np.ndarray, n: int) -> np.ndarray:
    """Polynomial hash of every run of ``n`` consecutive word hashes (wrapping uint64 arithmetic)."""
    count = wh.shape[0] - n + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = wh[:count].copy()
    with np.errstate(over="ignore"):
        for k in range(1, n):
            h = h * _HASH_MULT + wh[k : k + count]
    return h


_PREFILTER_BITS = 22  # 4 Mi-entry presence table (4 MiB of bools): 10,000 n-grams fill 0.2 % of it


def _seeds(hg: np.ndarray, hs: np.ndarray, max_occurrences: int) -> tuple[np.ndarray, np.ndarray]:
    """All (g, s) positions with equal n-gram hashes, skipping n-grams too frequent to be evidence.

    The smaller side's hashes mark a presence table indexed by their low bits; the larger
    side is looked up there first (one gather per n-gram, no comparison sort of the large
    side), and only its few candidates go on to the exact sorted search. With 10,000
    n-grams in a 2**22 table a random n-gram of the large side passes with probability
    0.24 %, so a million-word source costs one vectorised gather plus ~2,400 binary searches.
    """
    swap = hs.shape[0] < hg.shape[0]
    small, large = (hs, hg) if swap else (hg, hs)
    if small.size == 0 or large.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    order = np.argsort(small, kind="stable")
    sorted_small = small[order]
    bits = min(_PREFILTER_BITS, max(10, int(small.size).bit_length() + 8))
    mask = np.uint64((1 << bits) - 1)
    table = np.zeros(1 << bits, dtype=bool)
    table[(small & mask).astype(np.intp)] = True
    cand = np.flatnonzero(table[(large & mask).astype(np.intp)])
    if cand.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    large_c = large[cand]
    lo = np.searchsorted(sorted_small, large_c, side="left")
    hi = np.searchsorted(sorted_small, large_c, side="right")
    cnt = hi - lo
    sel = np.flatnonzero(cnt)
    if sel.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    hit = cand[sel]
    lo, cnt_hit = lo[sel], cnt[sel]
    # frequency of each hit n-gram in the large text, to drop boilerplate repeated hundreds of times
    _, inverse, large_counts = np.unique(large[hit], return_inverse=True, return_counts=True)
    keep = (cnt_hit <= max_occurrences) & (large_counts[inverse] <= max_occurrences)
    hit, lo, cnt_hit = hit[keep], lo[keep], cnt_hit[keep]
    total = int(cnt_hit.sum())
    large_pos = np.repeat(hit, cnt_hit)
    starts_before = np.repeat(np.cumsum(cnt_hit) - cnt_hit, cnt_hit)
    small_idx = np.arange(total, dtype=np.int64) - starts_before + np.repeat(lo, cnt_hit)
    small_pos = order[small_idx]
    if swap:
        return large_pos.astype(np.int64), small_pos.astype(np.int64)
    return small_pos.astype(np.int64), large_pos.astype(np.int64)


def find_exact_passages(
    gen: Words,
    src: Words,
    min_words: int,
    max_occurrences: int | None = None,
) -> list[WordMatch]:
    """Every maximal word sequence of at least ``min_words`` shared by both texts.

    Returned without overlap on the generated side (longest passages win; a shorter one
    that partly overlaps is trimmed to its uncovered part if that is still long enough,
    and competes again at its trimmed length).
    """
    n = int(min_words)
    if len(gen) < n or len(src) < n:
        return []
    max_occ = defaults.TEXT_MAX_NGRAM_OCCURRENCES if max_occurrences is None else max_occurrences
    hg = ngram_hashes(word_hashes(gen.words), n)
    hs = ngram_hashes(word_hashes(src.words), n)
    g, s = _seeds(hg, hs, max_occ)
    if g.size == 0:
        return []
    diag = s - g
    order = np.lexsort((g, diag))
    g, diag = g[order], diag[order]
    brk = np.flatnonzero((np.diff(diag) != 0) | (np.diff(g) != 1)) + 1
    run_start = np.concatenate(([0], brk))
    run_end = np.concatenate((brk, [g.size]))  # exclusive, in seed index
    g0 = g[run_start]
    g1 = g[run_end - 1] + n
    s0 = g0 + diag[run_start]
    lengths = g1 - g0
    # Longest first, then earliest, by the length a passage would actually keep: a run that
    # overlaps a longer one already placed is trimmed to its uncovered part and goes back in
    # the queue at that length, so a trimmed remnant (a refrain that also occurs earlier in
    # the source) cannot beat an untrimmed run of its own on the true diagonal.
    heap = [(-int(lengths[i]), int(g0[i]), int(g1[i]), int(s0[i])) for i in range(lengths.size)]
    heapq.heapify(heap)
    covered = np.zeros(len(gen), dtype=bool)
    out: list[WordMatch] = []
    placed: dict[tuple[int, int], int] = {}
    alternatives: dict[int, list[int]] = {}
    while heap:
        _, a, b, sa = heapq.heappop(heap)
        seg = covered[a:b]
        if not seg.any():
            covered[a:b] = True
            placed[(a, b)] = len(out)
            out.append(WordMatch(a, b, sa, sa + (b - a)))
            continue
        # uncovered sub-ranges of [a, b), re-queued at their own length
        free = np.flatnonzero(~seg)
        if free.size == 0:
            if (a, b) in placed:  # the same words again elsewhere in the source
                alternatives.setdefault(placed[(a, b)], []).append(sa)
            continue
        cut = np.flatnonzero(np.diff(free) != 1) + 1
        for piece in np.split(free, cut):
            pa, pb = a + int(piece[0]), a + int(piece[-1]) + 1
            if pb - pa >= n:
                heapq.heappush(heap, (-(pb - pa), pa, pb, sa + (pa - a)))
    for i, alts in alternatives.items():
        out[i].alternatives = tuple(alts[: defaults.TEXT_NEAR_MAX_ALTERNATIVES])
    out.sort(key=lambda m: m.g0)
    return out


def _moved(m: WordMatch, s0: int) -> WordMatch:
    return WordMatch(m.g0, m.g1, s0, s0 + (m.s1 - m.s0), m.kind, m.similarity)


def _joined(words: Words, a: int, b: int) -> str:
    return " ".join(words.words[a:b])


def edit_similarity(a: str, b: str) -> float:
    """Normalised Levenshtein similarity in [0, 1] (rapidfuzz; 1.0 = identical)."""
    from rapidfuzz.distance import Levenshtein

    if not a and not b:
        return 1.0
    return float(Levenshtein.normalized_similarity(a, b))


def word_edit_similarity(a: list[str], b: list[str]) -> float:
    """Normalised Levenshtein similarity over word sequences (each word one symbol)."""
    from rapidfuzz.distance import Levenshtein

    if not a and not b:
        return 1.0
    return float(Levenshtein.normalized_similarity(a, b))


def merge_near_verbatim(
    matches: list[WordMatch],
    gen: Words,
    src: Words,
    *,
    max_gap_words: int | None = None,
    min_link_similarity: float | None = None,
    context_words: int | None = None,
) -> list[WordMatch]:
    """Merge passages that follow each other in both texts across a small edit.

    Two passages A then B are linked when the gap between them is at most
    ``max_gap_words`` words on each side, in the same order in both texts, and the edit
    similarity of the stretch around the gap (``context_words`` either side) is at least
    ``min_link_similarity``. A chain of two or more becomes one near-verbatim passage whose
    similarity is the edit similarity of the whole stretch.
    """
    gap = defaults.TEXT_NEAR_MAX_GAP_WORDS if max_gap_words is None else max_gap_words
    link_min = defaults.TEXT_NEAR_LINK_MIN_SIMILARITY if min_link_similarity is None else min_link_similarity
    ctx = defaults.TEXT_MIN_WORDS if context_words is None else context_words
    max_skip = defaults.TEXT_NEAR_MAX_SKIP_WORDS
    if len(matches) < 2:
        return list(matches)
    ms = sorted(matches, key=lambda m: m.g0)

    def linkable(a: WordMatch, b: WordMatch, skipped: int = 0) -> bool:
        gap_g, gap_s = b.g0 - a.g1, b.s0 - a.s1
        if not (0 <= gap_g <= gap + skipped and 0 <= gap_s <= gap + skipped):
            return False
        # word-level edit similarity of the stretch around the gap: one changed word in
        # 8 + 1 + 8 scores 0.94, a gap of 8 unrelated words 0.67
        around_g = gen.words[max(a.g0, a.g1 - ctx) : min(b.g1, b.g0 + ctx)]
        around_s = src.words[max(a.s0, a.s1 - ctx) : min(b.s1, b.s0 + ctx)]
        return word_edit_similarity(around_g, around_s) >= link_min

    chains: list[list[WordMatch]] = [[ms[0]]]
    i = 1
    while i < len(ms):
        a = chains[-1][-1]
        if linkable(a, ms[i]):
            chains[-1].append(ms[i])
            i += 1
            continue
        # The source repeats these words: take the occurrence that continues the passage
        # (the run on its own diagonal), not the first one found.
        moved = None
        if len(chains[-1]) == 1:
            moved = next(((_moved(a, s0), ms[i]) for s0 in a.alternatives if linkable(_moved(a, s0), ms[i])), None)
        if moved is None:
            moved = next(((a, _moved(ms[i], s0)) for s0 in ms[i].alternatives if linkable(a, _moved(ms[i], s0))), None)
        if moved is not None:
            chains[-1][-1] = moved[0]
            chains[-1].append(moved[1])
            i += 1
            continue
        # A short exact run after the passage may match a repetition elsewhere in the
        # source (a refrain, repeated code) while the text there continues the passage with
        # small edits: skip it when the passage links across it to a later run (the gap
        # limit grows by the skipped words; the stretch must still be similar).
        # Its words are then part of the near-verbatim passage, on the passage's own source.
        skip = None
        skipped = 0
        for j in range(i + 1, len(ms)):
            skipped += ms[j - 1].words
            if skipped > max_skip or ms[j].g0 - a.g1 > gap + skipped:
                break
            if linkable(a, ms[j], skipped):
                skip = j
                break
        if skip is not None:
            chains[-1].append(ms[skip])
            i = skip + 1
        else:
            chains.append([ms[i]])
            i += 1
    out: list[WordMatch] = []
    for chain in chains:
        if len(chain) == 1:
            out.append(chain[0])
            continue
        g0, g1, s0, s1 = chain[0].g0, chain[-1].g1, chain[0].s0, chain[-1].s1
        if gen.words[g0:g1] == src.words[s0:s1]:
            # pieces of one exact passage (split where the generated text repeats itself)
            out.append(WordMatch(g0, g1, s0, s1))
            continue
        sim = edit_similarity(_joined(gen, g0, g1), _joined(src, s0, s1))
        out.append(WordMatch(g0, g1, s0, s1, kind="near_verbatim", similarity=min(sim, 0.9999)))
    return out


def _same_word(a: str, b: str) -> bool:
    """Equal, or one word misspelt as the other (a typo, an OCR slip: 'articles' / 'artides')."""
    if a == b:
        return True
    if min(len(a), len(b)) < defaults.TEXT_NEAR_TYPO_MIN_CHARS:
        return False
    return edit_similarity(a, b) >= defaults.TEXT_NEAR_TYPO_MIN_SIMILARITY


def _grow(gw: list[str], sw: list[str], g: int, s: int, d: int, g_lo: int, g_hi: int, limit: int) -> tuple[int, int]:
    """Move one end of a passage (``g``, ``s``: its end in direction ``d``, +1 forward from an
    exclusive end, -1 backward from an inclusive start) over word pairs that are the same word
    (``_same_word``), and over one word that differs outright when the next
    ``TEXT_NEAR_BRIDGE_EXACT_WORDS`` words are exactly the same ('WV 1st Year Member' / 'WV ist
    Year Member'); at most ``limit`` words, generated words within [g_lo, g_hi)."""
    off = 0 if d > 0 else -1  # the next word pair is at (g + off, s + off)
    k = defaults.TEXT_NEAR_BRIDGE_EXACT_WORDS

    def inside(n: int) -> bool:
        """The next ``n`` word pairs lie within the bounds."""
        last_g, last_s = g + off + d * (n - 1), s + off + d * (n - 1)
        return all(g_lo <= x < g_hi for x in (g + off, last_g)) and all(0 <= x < len(sw) for x in (s + off, last_s))

    steps = 0
    while steps < limit and inside(1):
        if _same_word(gw[g + off], sw[s + off]):
            g, s, steps = g + d, s + d, steps + 1
        elif inside(1 + k) and all(gw[g + off + d * i] == sw[s + off + d * i] for i in range(1, 1 + k)):
            g, s, steps = g + d * (1 + k), s + d * (1 + k), steps + 1 + k
        else:
            break
    return g, s


def extend_ends(matches: list[WordMatch], gen: Words, src: Words, max_words: int | None = None) -> list[WordMatch]:
    """Extend each passage over misspelt or changed words at its ends, and the exact words beyond them.

    An exact passage stops at the first differing word, so a copy whose last (or first)
    few words carry a typo ends short: fewer than ``min_words`` words after the typo never
    make a seed of their own. Here a passage grows word by word on its own diagonal while
    each word pair is equal or one is a misspelling of the other (``_same_word``), up to
    ``max_words`` words, never into a neighbouring passage; it also steps over one word that
    differs outright when the next ``TEXT_NEAR_BRIDGE_EXACT_WORDS`` words are the same on both
    sides. A passage that grew over a misspelt or changed word is near-verbatim, with the edit
    similarity of the whole stretch.
    """
    limit = defaults.TEXT_MIN_WORDS - 1 if max_words is None else max_words
    ms = sorted(matches, key=lambda m: m.g0)
    out: list[WordMatch] = []
    for k, m in enumerate(ms):
        g_lo = ms[k - 1].g1 if k else 0
        g_hi = ms[k + 1].g0 if k + 1 < len(ms) else len(gen)
        g0, g1, s0, s1 = m.g0, m.g1, m.s0, m.s1
        g1, s1 = _grow(gen.words, src.words, g1, s1, +1, g_lo, g_hi, limit)
        g0, s0 = _grow(gen.words, src.words, g0, s0, -1, g_lo, g_hi, limit)
        if (g0, g1) == (m.g0, m.g1):
            out.append(m)
            continue
        sim = edit_similarity(_joined(gen, g0, g1), _joined(src, s0, s1))
        out.append(WordMatch(g0, g1, s0, s1, kind="near_verbatim", similarity=min(sim, 0.9999)))
    return out


def align_verbatim(gen: Words, src: Words, min_words: int | None = None) -> list[WordMatch]:
    """Verbatim passages, near-verbatim merging, then the ends extended over typos: the full
    passage-level aligner."""
    n = defaults.TEXT_MIN_WORDS if min_words is None else int(min_words)
    exact = find_exact_passages(gen, src, n)
    return extend_ends(merge_near_verbatim(exact, gen, src), gen, src)
