"""The verbatim / near-verbatim aligner, checked by properties (hypothesis) and by hand.

No model is needed here: ``verbatim_passages`` is the aligner alone.
"""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analysis.errors import InputError
from analysis.ingest.text import ingest_pasted_text
from analysis.ingest.text_normalise import normalise_text
from analysis.measure.text.compare import verbatim_passages
from analysis.measure.text.tokens import tokenize
from analysis.measure.text.verbatim import find_exact_passages

VOCAB_A = [
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "was",
    "he",
    "she",
    "it",
    "that",
    "his",
    "her",
    "said",
    "had",
    "with",
    "for",
    "on",
    "at",
    "by",
    "as",
    "but",
    "not",
    "be",
]
VOCAB_B = [f"alpha{i}" for i in range(40)] + ["Bravo", "charlie’s", "delta—echo", "“foxtrot”", "golf,", "hotel."]
PLANT_VOCAB = [f"planted{i}" for i in range(30)] + ["Ümlaut", "naïve", "ﬁnal", "o’clock"]

_SEPARATORS = st.sampled_from([" ", " ", " ", "  ", "\n", ", ", ". ", "; ", " — ", "\n\n", "-\n"])
# a hyphen at a line end joins the two words (de-hyphenation), so it cannot separate a planted passage
_PLANT_SEPARATORS = st.sampled_from([" ", "  ", "\n", ", ", ". ", "; ", " — ", "\n\n", " -\n"])


def _join(words: list[str], seps: list[str]) -> str:
    out = []
    for i, w in enumerate(words):
        out.append(w)
        if i < len(words) - 1:
            out.append(seps[i % len(seps)])
    return "".join(out)


texts = st.builds(
    _join,
    st.lists(st.sampled_from(VOCAB_A + VOCAB_B[:8]), min_size=1, max_size=120),
    st.lists(_SEPARATORS, min_size=1, max_size=10),
)


def _words(s: str) -> list[str]:
    return tokenize(normalise_text(s)[0]).words


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gen=texts, src=texts, n=st.integers(min_value=2, max_value=10))
def test_every_verbatim_passage_is_the_same_text_in_both(gen, src, n):
    assume(_words(gen) and _words(src))
    g, s = ingest_pasted_text(gen), ingest_pasted_text(src)
    passages = verbatim_passages(g, s, n)
    for p in passages:
        assert 0 <= p.generated.start <= p.generated.end <= len(gen)
        assert 0 <= p.source.start <= p.source.end <= len(src)
        assert p.generated_text == gen[p.generated.start : p.generated.end]
        assert p.source_text == src[p.source.start : p.source.end]
        assert 0.0 <= p.similarity <= 1.0
        gw, sw = _words(p.generated_text), _words(p.source_text)
        if p.kind == "verbatim":
            # word for word after normalisation (case, quotes, dashes, white space, hyphenation)
            assert gw == sw
            assert p.words == len(gw) >= n
            assert p.similarity == 1.0
        else:
            assert p.kind == "near_verbatim"
            assert p.similarity < 1.0
    # passages never overlap on the generated side
    spans = sorted((p.generated.start, p.generated.end) for p in passages)
    for (_a0, a1), (b0, _b1) in itertools.pairwise(spans):
        assert a1 <= b0


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    gen_words=st.lists(st.sampled_from(VOCAB_A), min_size=0, max_size=200),
    src_words=st.lists(st.sampled_from(VOCAB_B), min_size=0, max_size=200),
    plant=st.lists(st.sampled_from(PLANT_VOCAB), min_size=8, max_size=40),
    n=st.integers(min_value=3, max_value=8),
    gi=st.integers(min_value=0, max_value=200),
    si=st.integers(min_value=0, max_value=200),
    seps=st.lists(_PLANT_SEPARATORS, min_size=1, max_size=6),
)
def test_planted_passage_is_always_found(gen_words, src_words, plant, n, gi, si, seps):
    """A passage of >= N words planted in two unrelated texts is found, whole."""
    gi, si = min(gi, len(gen_words)), min(si, len(src_words))
    gen = _join(gen_words[:gi] + plant + gen_words[gi:], seps)
    src = _join(src_words[:si] + plant + src_words[si:], list(reversed(seps)))
    g, s = ingest_pasted_text(gen), ingest_pasted_text(src)
    passages = verbatim_passages(g, s, n)
    planted = [w.lower() for w in _words(" ".join(plant))]
    hits = [p for p in passages if _words(p.generated_text) == planted or set(planted) <= set(_words(p.generated_text))]
    assert hits, f"planted passage not found among {[(p.kind, p.generated_text) for p in passages]}"
    best = max(hits, key=lambda p: p.words)
    assert best.words >= len(planted)
    assert (
        planted == [w for w in _words(best.source_text) if w in set(planted)][: len(planted)]
        or best.kind == "near_verbatim"
    )


def test_near_verbatim_merges_small_edits():
    rng = random.Random(4)
    vocab = [f"w{i}" for i in range(500)]
    src_words = [rng.choice(vocab) for _ in range(300)]
    gen_words = list(src_words[100:160])
    gen_words[20] = "CHANGED"  # one changed word
    del gen_words[40]  # one dropped word
    gen = "Intro words here. " + " ".join(gen_words) + " and some outro."
    src = " ".join(src_words)
    passages = verbatim_passages(ingest_pasted_text(gen), ingest_pasted_text(src), 8)
    assert len(passages) == 1
    p = passages[0]
    assert p.kind == "near_verbatim"
    assert 0.9 < p.similarity < 1.0
    assert p.words == 59


def test_unrelated_gap_does_not_merge():
    rng = random.Random(5)
    vocab = [f"w{i}" for i in range(500)]
    src_words = [rng.choice(vocab) for _ in range(300)]
    gen_words = src_words[0:20] + [f"x{i}" for i in range(8)] + src_words[28:48]
    passages = verbatim_passages(ingest_pasted_text(" ".join(gen_words)), ingest_pasted_text(" ".join(src_words)), 8)
    assert [p.kind for p in passages] == ["verbatim", "verbatim"]


def test_source_repeating_itself_gives_one_passage_per_generated_region():
    src = "alpha beta gamma delta epsilon zeta eta theta iota kappa. " * 3
    gen = "Start: alpha beta gamma delta epsilon zeta eta theta iota kappa. End."
    passages = verbatim_passages(ingest_pasted_text(gen), ingest_pasted_text(src), 8)
    assert len(passages) == 1 and passages[0].words == 10


def test_boilerplate_cap_skips_very_frequent_ngrams():
    gen = tokenize(" ".join(["la"] * 50))
    src = tokenize(" ".join(["la"] * 500))
    assert find_exact_passages(gen, src, 8, max_occurrences=100) == []
    assert find_exact_passages(gen, src, 8, max_occurrences=1000)[0].words == 50


@pytest.mark.parametrize("bad", [0, 1, -3, 5000, 2.5, True])
def test_min_words_is_validated(bad):
    t = ingest_pasted_text("one two three four five six seven eight nine")
    with pytest.raises(InputError, match="min-words"):
        verbatim_passages(t, t, bad)


def test_case_quotes_dashes_and_hyphenation_do_not_break_a_passage():
    src = 'He said, "It is a far, far better thing that I do, than I have ever done" — and smiled.'
    gen = "HE SAID, “IT IS A FAR, FAR BETTER THING THAT I DO, THAN I HAVE EVER do-\nne” – and smiled."
    passages = verbatim_passages(ingest_pasted_text(gen), ingest_pasted_text(src), 8)
    assert len(passages) == 1 and passages[0].kind == "verbatim"
    assert passages[0].words == 19


def test_trimmed_refrain_does_not_beat_the_true_continuation():
    # The source sings its chorus twice; the copy's last line has a slip ("i" for "t"), so
    # the long exact run stops before it. The trimmed remnant of the earlier chorus must
    # not take the line from the run on the passage's own diagonal (PAN 2013 susp01069).
    verse = " ".join(f"v{i}" for i in range(40))
    src = f"{verse} i never heard it at all till there was you more words {verse} no t never heard it at all till there was you till there was you rod stewart"
    gen = f"intro {verse} no i never heard it at all till there was you till there was you for the"
    passages = verbatim_passages(ingest_pasted_text(gen), ingest_pasted_text(src), 8)
    assert len(passages) == 1, [(p.kind, p.generated_text) for p in passages]
    p = passages[0]
    assert p.kind == "near_verbatim"
    assert p.source_text.startswith("v0") and p.source_text.endswith("till there was you")
    assert src.index(p.source_text) == src.index(f"{verse} no t")  # the second occurrence


def test_merging_skips_a_run_matched_to_a_repetition_elsewhere():
    # Repeated code with a slip every few words: the stretch after the passage also occurs
    # exactly earlier in the source, but the passage continues with small edits (PAN 2013
    # susp01363); one near-verbatim passage on one diagonal, not four pieces.
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(400)]
    block = [rng.choice(vocab) for _ in range(11)]
    head = [rng.choice(vocab) for _ in range(60)]
    tail = [rng.choice(vocab) for _ in range(40)]
    src_words = (
        block
        + [rng.choice(vocab) for _ in range(30)]
        + head
        + ["x", "y"]
        + block[:1]
        + ["slip"]
        + block[2:]
        + ["z"] * 6
        + tail
    )
    gen_words = head + ["x", "y"] + block + ["z"] * 6 + tail
    gen_words[len(head) + 2 + 11 + 2] = "q"  # a slip inside the run of z's
    passages = verbatim_passages(ingest_pasted_text(" ".join(gen_words)), ingest_pasted_text(" ".join(src_words)), 8)
    assert len(passages) == 1, [(p.kind, p.generated_text[:40], p.source.start) for p in passages]
    assert passages[0].kind == "near_verbatim" and passages[0].words == len(gen_words)


def test_merging_skips_at_most_the_short_run_limit(monkeypatch):
    # A copied block matched exactly to its repetition elsewhere in the source, while on the
    # passage's own diagonal the source has it with a slip every fifth word: the block is
    # skipped (merged into one near-verbatim passage) only when it is short; a longer one is
    # a passage in its own right (the bound also keeps merging linear).
    from analysis import defaults

    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(400)]
    block = [rng.choice(vocab) for _ in range(defaults.TEXT_NEAR_MAX_SKIP_WORDS + 10)]
    slipped = [f"slip{k}" if k % 5 == 4 else w for k, w in enumerate(block)]
    head = [rng.choice(vocab) for _ in range(60)]
    tail = [rng.choice(vocab) for _ in range(40)]
    src = " ".join(block + [rng.choice(vocab) for _ in range(30)] + head + slipped + tail)
    gen = " ".join(head + block + tail)

    def count() -> int:
        return len(verbatim_passages(ingest_pasted_text(gen), ingest_pasted_text(src), 8))

    assert count() > 1
    monkeypatch.setattr(defaults, "TEXT_NEAR_MAX_SKIP_WORDS", 10**6)
    assert count() == 1


def test_passage_ends_extend_over_a_typo():
    rng = random.Random(8)
    vocab = [f"w{i}" for i in range(400)]
    body = " ".join(rng.choice(vocab) for _ in range(30))
    gen = f"Before that, {body} of Wikipedia articles"
    src = f"Elsewhere {body} of Wikipedia artides and then more"
    passages = verbatim_passages(ingest_pasted_text(gen), ingest_pasted_text(src), 8)
    assert len(passages) == 1
    p = passages[0]
    assert p.generated_text.endswith("Wikipedia articles") and p.source_text.endswith("Wikipedia artides")
    assert p.kind == "near_verbatim" and 0.95 < p.similarity < 1.0
    # a different short word is not a typo: the passage stops before it
    q = verbatim_passages(ingest_pasted_text(f"{body} form"), ingest_pasted_text(f"{body} from"), 8)[0]
    assert q.kind == "verbatim" and q.generated_text == body


def test_passage_ends_step_over_one_changed_word_when_the_copy_goes_on():
    """PAN 2013 susp00635: 'Summersville, WV ist Year Member' against '... WV 1st Year Member'."""
    rng = random.Random(9)
    vocab = [f"w{i}" for i in range(400)]
    body = " ".join(rng.choice(vocab) for _ in range(30))
    gen = f"Roster: Freshman Summersville, WV ist {body} Grafton, WV ist Year Member Biology. Next"
    src = f"Team list Freshman Summersville, WV 1st {body} Grafton, WV 1st Year Member Biology. Other"
    (p,) = verbatim_passages(ingest_pasted_text(gen), ingest_pasted_text(src), 8)
    assert p.generated_text.startswith("Freshman Summersville, WV ist")
    assert p.generated_text.endswith("ist Year Member Biology.") and p.source_text.endswith("1st Year Member Biology.")
    assert p.kind == "near_verbatim"
    # a changed word followed by fewer exact words than the bridge needs ends the passage
    (q,) = verbatim_passages(ingest_pasted_text(f"{body} ist Year Member"), ingest_pasted_text(f"{body} 1st Year"), 8)
    assert q.kind == "verbatim" and q.generated_text == body


def test_passage_includes_the_punctuation_both_texts_share_at_its_ends():
    body = "the keeper climbed the spiral stairs every evening at dusk"
    gen = f'He wrote: "{body}." Then he left.'
    src = f'In the book, "{body}." ends the chapter.'
    p = verbatim_passages(ingest_pasted_text(gen), ingest_pasted_text(src), 8)[0]
    assert p.generated_text == f'"{body}."' and p.source_text == f'"{body}."'
    # only what both have: a full stop on one side, a comma on the other, is left out
    p = verbatim_passages(ingest_pasted_text(f"{body}. Later"), ingest_pasted_text(f"{body}, then"), 8)[0]
    assert p.generated_text == body


def test_merging_takes_the_repeated_passage_that_continues_its_neighbour():
    # The source has one paragraph twice (once in a sidebar); the copy takes the second
    # occurrence and goes on from there with a small edit ("Bachelor's" / "Bachelors"). The
    # first part must be placed on the second occurrence and merged with the rest (PAN 2013
    # susp00005), not mapped to the sidebar and split off.
    rng = random.Random(9)
    vocab = [f"w{i}" for i in range(400)]
    para = " ".join(rng.choice(vocab) for _ in range(40))
    rest = " ".join(rng.choice(vocab) for _ in range(60))
    other = " ".join(rng.choice(vocab) for _ in range(50))
    src = f"Sidebar {para} study. {other} Main text {para} study.Bachelors {rest}"
    gen = f"Intro {para} study.Bachelor's {rest} outro"
    passages = verbatim_passages(ingest_pasted_text(gen), ingest_pasted_text(src), 8)
    assert len(passages) == 1, [(p.kind, p.source.start) for p in passages]
    p = passages[0]
    assert p.kind == "near_verbatim" and p.source.start == src.index(f"{para} study.Bachelors")
