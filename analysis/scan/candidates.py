"""The cheap stage of a scan: rank the catalogue's works against one query work.

Texts: fingerprint hits (verbatim and near-verbatim) and the best static-embedding cosine
of the work's windows against the catalogue's chunks (paraphrase). Images: the smallest pHash
distance over the eight flips and rotations, the global thumbnail cosine, local-descriptor
votes and, when the index has them, deep embeddings. Each channel gives a score in [0, 1];
a candidate's cheap score combines its channels as independent evidence
(1 - the product of 1 - each score), and its strongest channel is named.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from analysis import defaults
from analysis.index.store import IndexData, search


@dataclass
class Candidate:
    work_id: int
    score: float
    channel: str
    channels: dict[str, float] = field(default_factory=dict)
    detail: dict[str, float] = field(default_factory=dict)


def _ranked(scores: dict[str, dict[int, float]], detail: dict[int, dict[str, float]], limit: int) -> list[Candidate]:
    ids = set().union(*[set(d) for d in scores.values()]) if scores else set()
    out = []
    for wid in ids:
        ch = {name: float(s.get(wid, 0.0)) for name, s in scores.items()}
        best = max(ch, key=lambda k: (ch[k], k))
        # channels combine as independent evidence (noisy-or); the strongest is named
        score = 1.0 - float(np.prod([1.0 - v for v in ch.values()]))
        out.append(Candidate(int(wid), score, best, ch, detail.get(wid, {})))
    # ties (two saturated scores) go to the more specific evidence: shared fingerprints, then
    # local keypoints, then the other channels together, then the rarer fingerprints
    out.sort(
        key=lambda c: (
            -round(c.score, 6),
            -c.channels.get("fingerprints", 0.0),
            -c.channels.get("geometry", 0.0),
            -c.channels.get("local", 0.0),
            -sum(c.channels.values()),
            -c.detail.get("fingerprint_rarity", 0.0),
            c.work_id,
        )
    )
    for c in out:
        c.score = round(c.score, 6)
    return [c for c in out if c.score > 0][:limit]


def _linear(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return np.clip((x - lo) / (hi - lo), 0.0, 1.0)


def _passage_hits(work: np.ndarray, pos: np.ndarray, n_works: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fingerprint hits that lie in a shared passage, per catalogue work: (works, hits, rarity).

    ``work`` and ``pos`` (the hit's word position in the query) are sorted by work, then
    position; ``n_works[pos]`` is how many catalogue works hold that position's fingerprint.
    A hit counts when another hit of the same work lies between ``SCAN_FP_PASSAGE_MIN_APART``
    and ``SCAN_FP_PASSAGE_GAP_WORDS`` words from it: two 5-grams that do not overlap, so at
    least ten shared words. A copied passage of 40 words or more always gives such a pair
    (winnowing keeps one fingerprint in every 12 positions); a stock phrase, however long,
    that a long work shares here and there with many catalogue texts gives isolated or
    overlapping hits only. Rarity (the sum of 1 / n_works over the counted hits) breaks ties
    between works with as many hits: a passage of fingerprints no other work holds is the
    likelier source.
    """
    if not len(work):
        return work, work, np.zeros(0)
    key = work * (int(pos.max()) + 1) + pos
    j = np.searchsorted(key, key + defaults.SCAN_FP_PASSAGE_MIN_APART, "left")
    ok = j < len(key)
    jj = np.minimum(j, len(key) - 1)
    ok &= (work[jj] == work) & (pos[jj] - pos <= defaults.SCAN_FP_PASSAGE_GAP_WORDS)
    linked = ok.copy()
    linked[jj[ok]] = True
    w_ids, first, hits = np.unique(work[linked], return_index=True, return_counts=True)
    rarity = np.add.reduceat(1.0 / n_works[pos[linked]], first) if len(first) else np.zeros(0)
    return w_ids, hits, rarity


def text_candidates(data: IndexData, embedder, text: str, limit: int = defaults.SCAN_CANDIDATES) -> list[Candidate]:
    from analysis.index.text_features import query_text_features

    q = query_text_features(text)
    scores: dict[str, dict[int, float]] = {}
    detail: dict[int, dict[str, float]] = {}
    # ---- fingerprints
    if len(data.fp_hash) and len(q.hashes):
        lo = np.searchsorted(data.fp_hash, q.hashes, "left")
        hi = np.searchsorted(data.fp_hash, q.hashes, "right")
        n = hi - lo
        ok = (n > 0) & (n <= defaults.INDEX_MAX_FINGERPRINT_WORKS)
        pos = np.nonzero(ok)[0]
        if len(pos):
            reps = n[pos]
            rows = np.repeat(lo[pos], reps) + (np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps))
            works = data.fp_work[rows].astype(np.int64)
            qpos = np.repeat(pos, reps)
            pairs = np.unique(works * (len(q.hashes) + 1) + qpos)  # sorted by work, then position
            # how many catalogue works hold each hit's fingerprint
            n_works = np.zeros(len(q.hashes) + 1, dtype=np.int64)
            n_works[pos] = reps
            w_ids, hits, rarity = _passage_hits(pairs // (len(q.hashes) + 1), pairs % (len(q.hashes) + 1), n_works)
            est = hits * (defaults.INDEX_WINNOW_WINDOW + 1) / 2.0
            s = 1.0 - np.exp(-est / defaults.SCAN_FP_WORDS_SCALE)
            scores["fingerprints"] = {int(w): float(v) for w, v in zip(w_ids, s)}
            for w, e, r in zip(w_ids, est, rarity):
                d = detail.setdefault(int(w), {})
                d["shared_words_estimate"] = float(e)
                d["fingerprint_rarity"] = float(r)
    # ---- static embeddings
    if data.text_vectors is not None and q.windows:
        from analysis.index.build import centre

        enc = getattr(embedder, "encode_spans", None)
        raw = enc(text, q.spans) if enc is not None else embedder.encode(q.windows)
        v = centre(raw, data.text_mean)
        sims, idx = search(data.text_vectors, v, 32)
        best: dict[int, float] = {}
        valid = idx >= 0
        for w, sim in zip(data.chunk_work[idx[valid]].tolist(), sims[valid].tolist()):
            if sim > best.get(w, -1.0):
                best[w] = sim
        if best:
            ws = np.array(list(best), dtype=np.int64)
            cs = np.array([best[w] for w in ws])
            s = _linear(cs, defaults.SCAN_EMB_COS_LO, defaults.SCAN_EMB_COS_HI)
            scores["embedding"] = {int(w): float(x) for w, x in zip(ws, s)}
            for w, c in zip(ws, cs):
                detail.setdefault(int(w), {})["best_cosine"] = float(c)
    return _ranked(scores, detail, limit)


def _popcount(x: np.ndarray) -> np.ndarray:
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(x).astype(np.int64)
    b = x.view(np.uint8).reshape(*x.shape, 8)
    return np.unpackbits(b, axis=-1).sum(axis=(-1, -2)) if b.ndim > 2 else np.unpackbits(b, axis=-1).sum(-1)


def _geometric_inliers(data: IndexData, q, idx: np.ndarray, dist: np.ndarray, w_nn: np.ndarray) -> dict[int, int]:
    """Keypoint matches that agree on one placement of the source in the work.

    For the works that most of the query's keypoints have among their neighbours (closer than
    ``SCAN_GEOM_MAX_DIST``), each query keypoint is paired with its nearest keypoint of that
    work, and a similarity transform (shift, scale, rotation) is fitted by RANSAC, separately
    for the picture as is and mirrored; the inliers of the better fit are the work's count.
    Unlike Lowe's ratio test this needs no margin over other works, so a region copied from a
    picture that resembles many others still counts; unlike raw votes, scattered look-alike
    texture does not.
    """
    import cv2

    if not len(data.local_xy) or not np.isfinite(data.local_xy[:1].astype(np.float32)).all():
        return {}
    ok = (idx >= 0) & (dist < defaults.SCAN_GEOM_MAX_DIST)
    if not ok.any():
        return {}
    rows, cols = np.nonzero(ok)
    wk = w_nn[rows, cols]
    # the nearest neighbour of each (query keypoint, work): first column in distance order
    key = wk * (len(idx) + 1) + rows
    _u, first = np.unique(key, return_index=True)
    rows, cols, wk = rows[first], cols[first], wk[first]
    w_ids, counts = np.unique(wk, return_counts=True)
    keep = w_ids[counts >= defaults.SCAN_GEOM_MIN_INLIERS]
    keep = keep[np.argsort(-counts[counts >= defaults.SCAN_GEOM_MIN_INLIERS], kind="stable")][
        : defaults.SCAN_GEOM_WORKS
    ]
    out: dict[int, int] = {}
    order = np.argsort(wk, kind="stable")
    wk_s = wk[order]
    for w in keep:
        a, b = np.searchsorted(wk_s, w, "left"), np.searchsorted(wk_s, w, "right")
        sel = order[a:b]
        best = 0
        for mirrored in (False, True):
            m = sel[q.local_mirrored[rows[sel]] == mirrored]
            if len(m) < defaults.SCAN_GEOM_MIN_INLIERS:
                continue
            src = data.local_xy[idx[rows[m], cols[m]]].astype(np.float32)
            dst = q.local_xy[rows[m]].astype(np.float32)
            _M, inl = cv2.estimateAffinePartial2D(
                src,
                dst,
                method=cv2.RANSAC,
                ransacReprojThreshold=defaults.SCAN_GEOM_TOLERANCE,
                maxIters=defaults.SCAN_GEOM_RANSAC_ITERS,
                confidence=0.995,
                refineIters=0,
            )
            if inl is not None:
                # one catalogue keypoint counts once (several query keypoints may land on it)
                hit = idx[rows[m], cols[m]][inl.ravel().astype(bool)]
                best = max(best, len(np.unique(hit)))
        if best:
            out[int(w)] = best
    return out


def image_candidates(
    data: IndexData, rgb: np.ndarray, limit: int = defaults.SCAN_CANDIDATES, deep_vec: np.ndarray | None = None
) -> list[Candidate]:
    from analysis.index.image_features import query_image_features

    if not len(data.image_work):
        return []
    q = query_image_features(rgb)
    scores: dict[str, dict[int, float]] = {}
    detail: dict[int, dict[str, float]] = {}
    works = data.image_work.astype(np.int64)
    # ---- perceptual hash, mirror-aware
    qh = np.array(q.phashes, dtype=np.uint64)
    d = _popcount(data.image_phash[:, None] ^ qh[None, :]).min(axis=1)
    ph = _linear(-d.astype(np.float64), -defaults.SCAN_PHASH_FAR, -defaults.SCAN_PHASH_NEAR)
    keep = ph > 0
    scores["phash"] = {int(w): float(s) for w, s in zip(works[keep], ph[keep])}
    for w, dist in zip(works[keep], d[keep]):
        detail.setdefault(int(w), {})["phash_distance"] = float(dist)
    # ---- global thumbnail
    g = data.image_global.astype(np.float32) @ q.global_descs.T
    gc = g.max(axis=1)
    gs = _linear(gc, defaults.SCAN_GLOBAL_COS_LO, defaults.SCAN_GLOBAL_COS_HI)
    keep = gs > 0
    scores["global"] = {int(w): float(s) for w, s in zip(works[keep], gs[keep])}
    # ---- local descriptors: Lowe's ratio test against the nearest keypoint of *another* work
    if data.image_local is not None and len(q.local):
        k = defaults.SCAN_LOCAL_NEIGHBOURS
        sims, idx = search(data.image_local, q.local, k)
        if sims.shape[1] >= 1:
            dist = np.sqrt(np.maximum(0.0, 2.0 - 2.0 * sims))
            w_nn = np.where(idx >= 0, data.local_work[np.maximum(idx, 0)].astype(np.int64), -1)
            other = (w_nn != w_nn[:, :1]) & (idx >= 0)
            has_other = other.any(axis=1)
            first_other = np.argmax(other, axis=1)
            d2 = np.where(has_other, dist[np.arange(len(dist)), first_other], dist[:, -1] if k > 1 else 2.0)
            if not has_other.all() and data.image_local.ntotal <= k:
                d2 = np.where(has_other, d2, 2.0)  # a one-work index: compare with an unrelated distance
            accept = (idx[:, 0] >= 0) & (dist[:, 0] < defaults.SCAN_LOCAL_RATIO * d2)
            w_of = w_nn[accept, 0]
            if len(w_of):
                w_ids, votes = np.unique(w_of, return_counts=True)
                ls = 1.0 - np.exp(-votes / defaults.SCAN_LOCAL_VOTES_SCALE)
                scores["local"] = {int(w): float(s) for w, s in zip(w_ids, ls)}
                for w, v in zip(w_ids, votes):
                    detail.setdefault(int(w), {})["local_votes"] = float(v)
            geo = _geometric_inliers(data, q, idx, dist, w_nn)
            if geo:
                geo_scores = {
                    w: 1.0 - float(np.exp(-(n - defaults.SCAN_GEOM_MIN_INLIERS + 1) / defaults.SCAN_GEOM_SCALE))
                    for w, n in geo.items()
                    if n >= defaults.SCAN_GEOM_MIN_INLIERS
                }
                if geo_scores:
                    scores["geometry"] = geo_scores
                for w, n in geo.items():
                    detail.setdefault(int(w), {})["geometric_inliers"] = float(n)
    # ---- deep embeddings
    if deep_vec is not None and data.image_deep is not None:
        sims, idx = search(data.image_deep, deep_vec[None, :], min(50, data.image_deep.ntotal))
        ds = _linear(sims[0], defaults.IMAGE_DEEP_THRESHOLD - 0.15, defaults.IMAGE_DEEP_THRESHOLD + 0.1)
        scores["deep"] = {int(works[i]): float(s) for i, s in zip(idx[0], ds) if i >= 0 and s > 0}
    return _ranked(scores, detail, limit)
