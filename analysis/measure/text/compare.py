"""Compare a generated text with a suspected source: the text engine's entry points.

Pipeline: ingest (decode, extract, normalise with an offset map) → words → verbatim and
near-verbatim passages (hashed n-gram seeds, ``verbatim.py``) → sentences → embeddings →
paraphrase pairs (calibrated, ``paraphrase.py``) → metrics, evidence facts for the four
factors, and a plain summary. Every passage carries character offsets into the texts
exactly as the user gave them (for PDF, DOCX and HTML: as extracted).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from analysis import defaults, figures
from analysis.errors import InputError
from analysis.evidence import (
    ComparisonReport,
    EvidenceFacts,
    InputRecord,
    ModelRecord,
    Span,
    TextComparison,
    TextMetrics,
    TextPassage,
)
from analysis.ingest.text import IngestedText, ingest_pasted_text, max_file_bytes, read_text_file
from analysis.measure.text.quotes import quoted_words
from analysis.measure.text.sentences import Sentence, split_sentences
from analysis.measure.text.style import style_similarity
from analysis.measure.text.tokens import Words, tokenize
from analysis.measure.text.verbatim import WordMatch, align_verbatim, edit_similarity

ProgressCallback = Callable[[float, str], None]

_KIND_RANK = {"verbatim": 3, "near_verbatim": 2, "paraphrase": 1}


def _progress(cb: ProgressCallback | None, lo: float, hi: float) -> Callable[[float, str], None]:
    def inner(frac: float, msg: str) -> None:
        if cb is not None:
            cb(lo + (hi - lo) * max(0.0, min(1.0, frac)), msg)

    return inner


def check_min_words(min_words: int | None) -> int:
    n = defaults.TEXT_MIN_WORDS if min_words is None else min_words
    if not isinstance(n, int) or isinstance(n, bool) or n < 2 or n > 1000:
        raise InputError(f"--min-words must be a whole number from 2 to 1000, not {min_words!r}")
    return n


# --------------------------------------------------------------------------- entry points
def compare_text_paths(
    generated: Path,
    source: Path,
    *,
    min_words: int | None = None,
    device: str = "auto",
    model: str | None = None,
    progress: ProgressCallback | None = None,
    embedder=None,
    exclude_quotations: bool = False,
) -> ComparisonReport:
    """Compare two text files (``.txt .md .pdf .docx .html``)."""
    n = check_min_words(min_words)
    cb = _progress(progress, 0.0, 0.05)
    cb(0.0, f"reading {Path(generated).name}")
    gen = read_text_file(generated)
    cb(0.5, f"reading {Path(source).name}")
    src = read_text_file(source)
    return compare_ingested(
        gen,
        src,
        min_words=n,
        device=device,
        model=model,
        progress=progress,
        embedder=embedder,
        exclude_quotations=exclude_quotations,
    )


def compare_texts(
    generated_text: str,
    source_text: str,
    *,
    generated_name: str = "pasted text",
    source_name: str = "pasted text",
    min_words: int | None = None,
    device: str = "auto",
    model: str | None = None,
    progress: ProgressCallback | None = None,
    embedder=None,
    exclude_quotations: bool = False,
) -> ComparisonReport:
    """Compare two pasted texts. ``embedder`` lets the app pass a model it has cached."""
    n = check_min_words(min_words)
    gen = ingest_pasted_text(generated_text, generated_name)
    src = ingest_pasted_text(source_text, source_name)
    return compare_ingested(
        gen,
        src,
        min_words=n,
        device=device,
        model=model,
        progress=progress,
        embedder=embedder,
        exclude_quotations=exclude_quotations,
    )


# --------------------------------------------------------------------------- the engine
def _coverage_labels(n_words: int, spans: list[tuple[int, int, int]]) -> np.ndarray:
    """Per-word label: the strongest kind (rank) of any passage covering the word."""
    labels = np.zeros(n_words, dtype=np.int8)
    for a, b, rank in spans:
        seg = labels[a:b]
        np.maximum(seg, rank, out=seg)
    return labels


def _sentence_cover(sents: list[Sentence], covered: np.ndarray) -> np.ndarray:
    """Share of each sentence's words that are covered."""
    if not sents:
        return np.zeros(0)
    csum = np.concatenate(([0], np.cumsum(covered.astype(np.int64))))
    return np.array([(csum[s.w1] - csum[s.w0]) / max(1, s.words) for s in sents], dtype=np.float64)


def compare_ingested(
    gen: IngestedText,
    src: IngestedText,
    *,
    min_words: int | None = None,
    device: str = "auto",
    model: str | None = None,
    progress: ProgressCallback | None = None,
    embedder=None,
    exclude_quotations: bool = False,
    verify: bool = True,
) -> ComparisonReport:
    """Compare two ingested texts (the engine behind both entry points).

    ``verify``: read each accepted paraphrase passage's sentence pairs with the pair verifier
    (``pair_verifier.py``) and keep the passages it confirms."""
    from analysis.measure.text.paraphrase import (
        Unit,
        align_paraphrase_passages,
        load_calibration,
        make_units,
        passage_rule,
        unit_embeddings,
    )

    n = check_min_words(min_words)
    notes: list[str] = []
    cb = _progress(progress, 0.05, 0.15)
    cb(0.0, "finding shared word sequences")
    gw, sw = tokenize(gen.normalised), tokenize(src.normalised)
    matches: list[WordMatch] = align_verbatim(gw, sw, n)
    cb(1.0, f"{len(matches)} verbatim or near-verbatim passages")

    gsents, ssents = split_sentences(gen.normalised, gw), split_sentences(src.normalised, sw)
    if len(ssents) > defaults.TEXT_PARAPHRASE_MAX_SOURCE_SENTENCES:
        notes.append(
            f"Paraphrase and heart-of-the-work were measured on the first {defaults.TEXT_PARAPHRASE_MAX_SOURCE_SENTENCES:,} "
            f"of the source's {len(ssents):,} sentences (cap in analysis/defaults.py); verbatim passages cover the whole text."
        )
    if len(gsents) > defaults.TEXT_PARAPHRASE_MAX_GENERATED_SENTENCES:
        notes.append(
            f"Paraphrase was measured on the first {defaults.TEXT_PARAPHRASE_MAX_GENERATED_SENTENCES:,} "
            f"of the generated text's {len(gsents):,} sentences (cap in analysis/defaults.py)."
        )
    g_emb_sents = gsents[: defaults.TEXT_PARAPHRASE_MAX_GENERATED_SENTENCES]
    s_emb_sents = ssents[: defaults.TEXT_PARAPHRASE_MAX_SOURCE_SENTENCES]

    # ---- embeddings
    if embedder is None:
        from analysis.measure.text.embeddings import load_text_model

        _progress(progress, 0.15, 0.2)(0.0, "loading the text model")
        embedder = load_text_model(model, device)
    # Each distinct sentence is encoded once: a regurgitated text repeats many of the
    # source's sentences word for word, and encoding is nearly all of the engine's time.
    g_texts = [gen.normalised[s.start : s.end] for s in g_emb_sents]
    s_texts = [src.normalised[s.start : s.end] for s in s_emb_sents]
    distinct = list(dict.fromkeys(g_texts + s_texts))
    row = {text: i for i, text in enumerate(distinct)}
    all_emb = embedder.encode(distinct, progress=_progress(progress, 0.2, 0.85))
    g_emb = all_emb[[row[t] for t in g_texts]] if g_texts else all_emb[:0]
    s_emb = all_emb[[row[t] for t in s_texts]] if s_texts else all_emb[:0]

    # ---- paraphrase passages, outside what is already verbatim
    _progress(progress, 0.85, 0.95)(0.0, "matching paraphrases")
    gen_cov_vb = _coverage_labels(len(gw), [(m.g0, m.g1, 1) for m in matches]) > 0
    g_cover = _sentence_cover(g_emb_sents, gen_cov_vb)
    min_pw = defaults.TEXT_PARAPHRASE_MIN_WORDS
    g_units = [
        Unit(i, i + 1, s.w0, s.w1)
        for i, s in enumerate(g_emb_sents)
        if g_cover[i] < defaults.TEXT_PARAPHRASE_VERBATIM_COVER and s.words >= min_pw
    ]
    g_unit_emb = g_emb[[u.i0 for u in g_units]] if g_units else g_emb[:0]
    s_units = [
        u
        for u in make_units([(s.w0, s.w1) for s in s_emb_sents], defaults.TEXT_PARAPHRASE_WINDOW)
        if u.w1 - u.w0 >= min_pw
    ]
    calibration = load_calibration()
    rule = passage_rule()
    para, _rejected = align_paraphrase_passages(
        g_units,
        g_unit_emb,
        gw.words,
        s_units,
        unit_embeddings(s_emb, s_units),
        sw.words,
        calibration,
        rule,
    )
    para, verifier_record = _verified(para, verify, device, notes, gen, src, g_emb_sents, s_emb_sents, gw, sw)

    # ---- passages in one list, with character offsets into the originals; ``cover`` holds
    # the word ranges each passage actually restates (a paraphrase run's members)
    word_spans: list[tuple[str, int, int, int, int, float]] = [
        (m.kind, m.g0, m.g1, m.s0, m.s1, float(m.similarity)) for m in matches
    ]
    cover: list[list[tuple[int, int, int, int]]] = [[(m.g0, m.g1, m.s0, m.s1)] for m in matches]
    checked: list[float | None] = [None for _ in matches]
    for p in para:
        g0, g1, s0, s1 = p.gen_w0, p.gen_w1, p.src_w0, p.src_w1
        members = [(m.gen.w0, m.gen.w1, m.src.w0, m.src.w1) for m in p.members]
        sim = edit_similarity(" ".join(gw.words[g0:g1]), " ".join(sw.words[s0:s1]))
        if sim >= defaults.TEXT_NEAR_SENTENCE_MIN_SIMILARITY and (g1 - g0) >= n:
            word_spans.append(("near_verbatim", g0, g1, s0, s1, min(sim, 0.9999)))
        else:
            word_spans.append(("paraphrase", g0, g1, s0, s1, p.score))
        cover.append(members)
        checked.append(p.verified)
    order = sorted(range(len(word_spans)), key=lambda i: (word_spans[i][1], -_KIND_RANK[word_spans[i][0]]))
    word_spans = [word_spans[i] for i in order]
    cover = [cover[i] for i in order]
    checked = [checked[i] for i in order]

    # ---- quotations: passages the generated text presents as quotation
    g_quoted = quoted_words(gen.original, _original_word_starts(gen, gw))
    quoted_flags = [
        bool(t[2] > t[1] and g_quoted[t[1] : t[2]].mean() >= defaults.TEXT_QUOTE_PASSAGE_SHARE) for t in word_spans
    ]
    passages = [
        _passage(kind, g0, g1, s0, s1, sim, gen, src, gw, sw, quoted=q, verified=v)
        for (kind, g0, g1, s0, s1, sim), q, v in zip(word_spans, quoted_flags, checked)
    ]
    counted = [i for i, q in enumerate(quoted_flags) if not (q and exclude_quotations)]
    if exclude_quotations and len(counted) < len(word_spans):
        notes.append(
            f"{figures.count(len(word_spans) - len(counted), 'passage')} the generated text presents as quotation "
            f"{'is' if len(word_spans) - len(counted) == 1 else 'are'} listed but not counted in the shares (exclude quotations)."
        )

    # ---- metrics
    def labels_for(idx: list[int], side: int) -> np.ndarray:
        total = len(gw) if side == 0 else len(sw)
        spans = []
        for i in idx:
            rank = _KIND_RANK[word_spans[i][0]]
            for c in cover[i]:
                spans.append((c[0], c[1], rank) if side == 0 else (c[2], c[3], rank))
        return _coverage_labels(total, spans)

    g_labels, s_labels = labels_for(counted, 0), labels_for(counted, 1)
    quoted_idx = [i for i, q in enumerate(quoted_flags) if q]
    s_quoted = labels_for(quoted_idx, 1) > 0
    g_quoted_cov = labels_for(quoted_idx, 0) > 0
    gn, sn = max(1, len(gw)), max(1, len(sw))
    share = lambda labels, rank, total: float(np.count_nonzero(labels == rank)) / total  # noqa: E731
    counts = {k: sum(1 for i in counted if word_spans[i][0] == k) for k in _KIND_RANK}
    semantic = None
    if len(g_emb) and len(s_emb):
        a, b = g_emb.mean(axis=0), s_emb.mean(axis=0)
        semantic = float(np.clip(a @ b / max(1e-12, np.linalg.norm(a) * np.linalg.norm(b)), -1.0, 1.0))
    heart, heart_note = _heart_score(s_emb, s_emb_sents, s_labels > 0)
    if heart_note:
        notes.append(heart_note)
    metrics = TextMetrics(
        generated_words=len(gw),
        source_words=len(sw),
        generated_share_verbatim=share(g_labels, 3, gn),
        generated_share_near_verbatim=share(g_labels, 2, gn),
        generated_share_paraphrase=share(g_labels, 1, gn),
        source_share_reproduced=float(np.count_nonzero(s_labels >= 2)) / sn,
        source_share_paraphrased=share(s_labels, 1, sn),
        source_share_verbatim=share(s_labels, 3, sn),
        source_share_near_verbatim=share(s_labels, 2, sn),
        source_share_taken=float(np.count_nonzero(s_labels > 0)) / sn,
        source_share_quoted=float(np.count_nonzero(s_quoted)) / sn,
        generated_share_quoted=float(np.count_nonzero(g_quoted_cov)) / gn,
        quotations_excluded=exclude_quotations,
        longest_passage_words=max(
            (word_spans[i][2] - word_spans[i][1] for i in counted if word_spans[i][0] != "paraphrase"), default=0
        ),
        verbatim_count=counts["verbatim"],
        near_verbatim_count=counts["near_verbatim"],
        paraphrase_count=counts["paraphrase"],
        longest_paraphrase_sentences=max((p.sentences for p in para), default=0),
        semantic_similarity=semantic,
        style_similarity=style_similarity(gw.words, sw.words),
        heart_score=heart,
    )
    _progress(progress, 0.95, 1.0)(1.0, "done")
    return _build_report(
        gen, src, metrics, passages, notes, embedder, n, calibration, exclude_quotations, verifier_record
    )


def _verified(
    para, verify: bool, device: str, notes: list[str], gen, src, gsents, ssents, gw, sw
) -> tuple[list, ModelRecord | None]:
    """The paraphrase passages the pair verifier confirms (all of them, with a note, when it
    cannot run), and the verifier's model record when it read them."""
    if not para or not verify:
        return para, None
    from analysis.errors import ModelUnavailableError
    from analysis.measure.text.pair_verifier import load_pair_verifier, verify_passages

    try:
        verifier = load_pair_verifier(device)
    except ModelUnavailableError as exc:
        notes.append(f"Paraphrase passages were not read by the pair verifier: {exc}.")
        return para, None

    def unit_text(side: str, u) -> str:
        t, sents = (gen, gsents) if side == "gen" else (src, ssents)
        return " ".join(t.normalised[x.start : x.end] for x in sents[u.i0 : u.i1])

    bar = float(defaults.TEXT_PARAPHRASE_PASSAGE.get("verify", 0.0))
    kept, dropped = verify_passages(para, verifier, unit_text, gw.words, sw.words, bar)
    if dropped:
        notes.append(
            f"{figures.count(len(dropped), 'paraphrase passage')} found by the search "
            f"{'was' if len(dropped) == 1 else 'were'} not confirmed by the pair verifier "
            f"(mean probability under {bar:.2f}) and {'is' if len(dropped) == 1 else 'are'} not counted."
        )
    return kept, verifier.record()


def _original_word_starts(t: IngestedText, words: Words) -> np.ndarray:
    """Each word's start offset in the original text (through the normalisation map)."""
    if not len(words):
        return np.zeros(0, dtype=np.int64)
    starts = np.asarray(t.offsets.starts, dtype=np.int64)
    return starts[np.clip(words.starts, 0, starts.size - 1)]


def verbatim_passages(gen: IngestedText, src: IngestedText, min_words: int | None = None) -> list[TextPassage]:
    """Only the verbatim and near-verbatim passages, without any model (fast; used by the PAN evaluation)."""
    n = check_min_words(min_words)
    gw, sw = tokenize(gen.normalised), tokenize(src.normalised)
    return [_passage(m.kind, m.g0, m.g1, m.s0, m.s1, m.similarity, gen, src, gw, sw) for m in align_verbatim(gw, sw, n)]


def _heart_score(s_emb: np.ndarray, sents: list[Sentence], covered: np.ndarray) -> tuple[float | None, str | None]:
    """Share of the source's most central sentences that were copied (see defaults.TEXT_HEART_*)."""
    usable = [i for i, s in enumerate(sents) if s.words >= 3]
    if len(usable) < 3:
        return None, "Heart of the work not measured: the source has fewer than three sentences."
    emb = s_emb[usable]
    centroid = emb.mean(axis=0)
    centroid /= max(1e-12, float(np.linalg.norm(centroid)))
    centrality = emb @ centroid
    core_n = max(1, round(defaults.TEXT_HEART_CORE_SHARE * len(usable)))
    core = np.argsort(-centrality, kind="stable")[:core_n]
    cover = _sentence_cover([sents[usable[i]] for i in core], covered)
    taken = int(np.count_nonzero(cover >= defaults.TEXT_HEART_SENTENCE_COVER))
    return taken / core_n, None


_OPENING = frozenset("([{\"'“‘«")
_CLOSING = frozenset(".,;:!?)]}\"'”’»%")


def _with_punctuation(
    g: str, s: str, gspan: tuple[int, int], sspan: tuple[int, int], most: int = 3
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Character spans widened over the punctuation both texts share at a passage's ends.

    Passages are found on words, so a copied sentence's full stop, closing bracket or
    quotation marks fell outside the highlighted span although both texts have them.
    Up to ``most`` characters each side, only where both texts have the same one:
    closing punctuation after the last word, opening brackets and quotes before the first.
    """
    (ga, gb), (sa, sb) = gspan, sspan
    for _ in range(most):
        if gb < len(g) and sb < len(s) and g[gb] == s[sb] and g[gb] in _CLOSING:
            gb, sb = gb + 1, sb + 1
        else:
            break
    for _ in range(most):
        if ga > 0 and sa > 0 and g[ga - 1] == s[sa - 1] and g[ga - 1] in _OPENING:
            ga, sa = ga - 1, sa - 1
        else:
            break
    return (ga, gb), (sa, sb)


def _passage(
    kind,
    g0,
    g1,
    s0,
    s1,
    sim,
    gen: IngestedText,
    src: IngestedText,
    gw: Words,
    sw: Words,
    quoted: bool = False,
    verified: float | None = None,
) -> TextPassage:
    (ga, gb), (sa, sb) = _with_punctuation(gen.normalised, src.normalised, gw.char_span(g0, g1), sw.char_span(s0, s1))
    ga, gb = gen.to_original(ga, gb)
    sa, sb = src.to_original(sa, sb)
    return TextPassage(
        kind=kind,
        generated=Span(start=ga, end=gb),
        source=Span(start=sa, end=sb),
        words=g1 - g0,
        similarity=float(min(1.0, max(0.0, sim))),
        generated_text=gen.original[ga:gb],
        source_text=src.original[sa:sb],
        quoted=quoted,
        verified=None if verified is None else round(float(min(1.0, max(0.0, verified))), 4),
    )


def thresholds_snapshot(min_words: int, calibration=None) -> dict[str, float | int | str | bool | None]:
    snap: dict[str, float | int | str | bool | None] = {
        "min_words": min_words,
        "max_file_bytes": max_file_bytes(),
        "max_ngram_occurrences": defaults.TEXT_MAX_NGRAM_OCCURRENCES,
        "near_max_gap_words": defaults.TEXT_NEAR_MAX_GAP_WORDS,
        "near_link_min_similarity": defaults.TEXT_NEAR_LINK_MIN_SIMILARITY,
        "near_sentence_min_similarity": defaults.TEXT_NEAR_SENTENCE_MIN_SIMILARITY,
        "paraphrase_min_words": defaults.TEXT_PARAPHRASE_MIN_WORDS,
        "paraphrase_verbatim_cover": defaults.TEXT_PARAPHRASE_VERBATIM_COVER,
        "paraphrase_top_k": defaults.TEXT_PARAPHRASE_TOP_K,
        "paraphrase_window": defaults.TEXT_PARAPHRASE_WINDOW,
        "paraphrase_max_source_sentences": defaults.TEXT_PARAPHRASE_MAX_SOURCE_SENTENCES,
        "paraphrase_max_generated_sentences": defaults.TEXT_PARAPHRASE_MAX_GENERATED_SENTENCES,
        "heart_core_share": defaults.TEXT_HEART_CORE_SHARE,
        "heart_taken_min": defaults.TEXT_HEART_TAKEN_MIN,
        "heart_sentence_cover": defaults.TEXT_HEART_SENTENCE_COVER,
        "paraphrase_expression_weight": defaults.TEXT_PARAPHRASE_EXPRESSION_WEIGHT,
        "paraphrase_passage_link": defaults.TEXT_PARAPHRASE_PASSAGE["link"],
        "paraphrase_passage_single": defaults.TEXT_PARAPHRASE_PASSAGE["single"],
        "paraphrase_passage_run": defaults.TEXT_PARAPHRASE_PASSAGE["run"],
        "paraphrase_passage_ordered": defaults.TEXT_PARAPHRASE_PASSAGE.get("ordered", 1.0),
        "paraphrase_passage_verify": defaults.TEXT_PARAPHRASE_PASSAGE.get("verify", 0.0),
        "quote_min_words": defaults.TEXT_QUOTE_MIN_WORDS,
    }
    if calibration is not None:
        snap["paraphrase_threshold"] = round(calibration.threshold, 4)
        snap["paraphrase_calibration"] = (
            f"{calibration.provenance.get('data_file', '?')}, {calibration.provenance.get('date', '?')}"
        )
    return snap


def _pct(x: float) -> str:
    if x == 0:
        return "0%"
    if x < 0.001:
        return "<0.1%"
    return f"{x * 100:.1f}%" if x < 0.1 else f"{x * 100:.0f}%"


def _facts_and_summary(m: TextMetrics, n: int) -> tuple[EvidenceFacts, list[str]]:
    kinds = [
        k
        for k, c in (
            ("verbatim", m.verbatim_count),
            ("near_verbatim", m.near_verbatim_count),
            ("paraphrase", m.paraphrase_count),
        )
        if c
    ]
    copy_kind = kinds[0] if kinds else "none"
    copied_gen = min(1.0, m.generated_share_verbatim + m.generated_share_near_verbatim + m.generated_share_paraphrase)
    expression = min(
        1.0, m.source_share_reproduced + defaults.TEXT_PARAPHRASE_EXPRESSION_WEIGHT * m.source_share_paraphrased
    )
    # the heart is "taken" (a qualitative taking) only on passage-level evidence: some
    # counted passage exists, verbatim, near-verbatim or a paraphrase run above the bar
    heart_taken = (
        None if m.heart_score is None else bool(m.heart_score >= defaults.TEXT_HEART_TAKEN_MIN and copy_kind != "none")
    )
    lines: list[str] = []
    if copy_kind == "none":
        lines.append(
            f"No passage of {n} or more words is shared word for word, and no sentence was found to paraphrase the source."
        )
    else:
        if m.verbatim_count or m.near_verbatim_count:
            lines.append(
                f"{_pct(m.generated_share_verbatim + m.generated_share_near_verbatim)} of the generated text lies in "
                f"{m.verbatim_count} verbatim and {m.near_verbatim_count} near-verbatim "
                f"{figures.noun(m.verbatim_count + m.near_verbatim_count, 'passage')} shared with the source; "
                f"the longest is {m.longest_passage_words} words."
            )
            lines.append(f"Those passages reproduce {_pct(m.source_share_reproduced)} of the source's words.")
        if m.paraphrase_count:
            lead = f"{figures.count(m.paraphrase_count, 'passage')} ({_pct(m.generated_share_paraphrase)} of the generated text)"
            one = m.paraphrase_count == 1
            if m.source_share_paraphrased > 0:
                lines.append(
                    f"{lead} {'paraphrases' if one else 'paraphrase'} {_pct(m.source_share_paraphrased)} of the source: "
                    "same meaning and order, other words."
                )
            else:  # the source words they restate are all inside the copied passages counted above
                lines.append(
                    f"{lead} {'restates' if one else 'restate'} source text whose words are already counted above "
                    "as copied; they add nothing to the share of the source taken."
                )
        lines.append(
            f"Amount taken (factor 3): {_pct(m.source_share_taken)} of the source's words "
            f"(verbatim {_pct(m.source_share_verbatim)}, near-verbatim {_pct(m.source_share_near_verbatim)}, "
            f"paraphrased {_pct(m.source_share_paraphrased)})"
            + (
                f"; {_pct(m.source_share_quoted)} of the source is quoted in quotation marks or block quotes"
                + (", not counted." if m.quotations_excluded else ".")
                if m.source_share_quoted
                else "."
            )
        )
    if m.heart_score is not None:
        lines.append(
            f"Heart of the work: {_pct(m.heart_score)} of the source's most central sentences were taken"
            + (" (a qualitatively significant taking)." if heart_taken else ".")
        )
    if m.semantic_similarity is not None:
        lines.append(
            f"Overall meaning similarity {m.semantic_similarity:.2f} (cosine of mean sentence embeddings; related topics score high too)."
        )
    if m.style_similarity is not None:
        lines.append(f"Style similarity {m.style_similarity:.2f} (function-word profiles; style alone is not copying).")
    facts_summary = (
        "No copying was measured."
        if copy_kind == "none"
        else f"Strongest form of copying: {copy_kind.replace('_', '-')}; {_pct(m.source_share_taken)} of the source taken "
        f"({_pct(m.source_share_reproduced)} reproduced"
        f"{', ' + _pct(m.source_share_paraphrased) + ' paraphrased' if m.source_share_paraphrased else ''}"
        f"{', ' + _pct(m.source_share_quoted) + ' as quotation' if m.source_share_quoted else ''}); "
        f"longest passage {m.longest_passage_words} words."
    )
    facts = EvidenceFacts(
        medium="text",
        share_of_source_taken=m.source_share_taken,
        share_verbatim=m.source_share_verbatim,
        share_near_verbatim=m.source_share_near_verbatim,
        share_paraphrased=m.source_share_paraphrased,
        share_quoted=m.source_share_quoted,
        share_of_generated_copied=copied_gen,
        longest_passage_words=m.longest_passage_words,
        heart_score=m.heart_score,
        heart_taken=heart_taken,
        expression_delivered=expression,
        semantic_similarity=m.semantic_similarity,
        style_similarity=m.style_similarity,
        copy_kind=copy_kind,
        summary=facts_summary,
    )
    return facts, lines


def _input_record(t: IngestedText, role: str) -> InputRecord:
    return InputRecord(
        role=role,
        name=t.name,
        sha256=t.sha256,
        bytes=t.bytes,
        kind="text",
        media_type=t.media_type,
        detail=dict(t.detail),
    )


def _build_report(
    gen,
    src,
    metrics,
    passages,
    notes,
    embedder,
    n,
    calibration,
    exclude_quotations: bool = False,
    verifier_record: ModelRecord | None = None,
) -> ComparisonReport:
    facts, lines = _facts_and_summary(metrics, n)
    if any(t.media_type not in ("text/plain", "text/markdown") for t in (gen, src)):
        notes.append("Offsets of PDF, DOCX and HTML inputs point into their extracted text, not the file's bytes.")
    return ComparisonReport(
        kind="text",
        inputs=[_input_record(gen, "generated"), _input_record(src, "source")],
        models=[embedder.record(), *([verifier_record] if verifier_record is not None else [])],
        device=getattr(embedder, "device", "cpu"),
        thresholds={**thresholds_snapshot(n, calibration), "exclude_quotations": exclude_quotations},
        text=TextComparison(metrics=metrics, passages=passages, notes=notes),
        facts=facts,
        summary=lines,
    )
