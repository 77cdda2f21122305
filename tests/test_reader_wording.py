"""Words a reader sees: counts in the right number, no "0 %" for a paraphrase that exists,
and the best counter-argument printed once."""

from __future__ import annotations

import pytest

from analysis import figures
from analysis.evidence import TextMetrics
from analysis.measure.text.compare import _facts_and_summary


def test_counts_take_the_right_number() -> None:
    assert figures.count(1, "passage") == "1 passage"
    assert figures.count(0, "passage") == "0 passages"
    assert figures.count(2, "passage") == "2 passages"
    assert figures.count(1204, "word") == "1,204 words"
    assert figures.count(3, "analysis", "analyses") == "3 analyses"


def _metrics(**kw) -> TextMetrics:
    base = dict(
        generated_words=300,
        source_words=400,
        generated_share_verbatim=0.2,
        generated_share_near_verbatim=0.0,
        generated_share_paraphrase=0.034,
        source_share_reproduced=0.15,
        source_share_paraphrased=0.0,
        source_share_verbatim=0.15,
        source_share_taken=0.15,
        longest_passage_words=60,
        verbatim_count=1,
        near_verbatim_count=0,
        paraphrase_count=1,
    )
    base.update(kw)
    return TextMetrics(**base)


def test_a_paraphrase_of_text_already_counted_is_not_worded_as_zero_percent_of_the_source() -> None:
    _facts, lines = _facts_and_summary(_metrics(), 8)
    text = " ".join(lines)
    assert "(s)" not in text
    assert "paraphrase 0%" not in text and "paraphrases 0%" not in text
    assert "1 passage (3.4% of the generated text) restates source text whose words are already counted" in text
    assert "1 verbatim and 0 near-verbatim passage shared with the source" in text


@pytest.mark.parametrize("n, verb", [(1, "paraphrases"), (3, "paraphrase")])
def test_a_paraphrase_share_is_worded_in_the_right_number(n: int, verb: str) -> None:
    _facts, lines = _facts_and_summary(_metrics(paraphrase_count=n, source_share_paraphrased=0.12), 8)
    text = " ".join(lines)
    assert f"{figures.count(n, 'passage')} (3.4% of the generated text) {verb} 12% of the source" in text
    assert "(s)" not in text


def _scenarios():
    from pathlib import Path

    from analysis import load_scenario
    from analysis.samples import list_samples

    root = Path(__file__).resolve().parents[1] / "samples" / "scenarios"
    out = [(p.stem, load_scenario(p)) for p in sorted(root.glob("*.yaml"))]
    out += [(c.id, c.scenario) for c in list_samples()]
    return out


def test_the_best_counter_argument_is_listed_once() -> None:
    """The counter-argument is the strongest reason the other way, so it is usually one of the
    reasons too: the app's factor page and the CLI print it under its own heading only."""
    from analysis import assess
    from analysis.assess.cli import format_assessment

    checked = 0
    for name, sc in _scenarios():
        a = assess(sc)
        flat = " ".join(format_assessment(a).split())
        for f in a.findings:
            if f.counter_argument is None:
                continue
            ca = " ".join(f.counter_argument.text.split())
            besides = f.reasons_besides_counter()
            assert ca not in [" ".join(r.text.split()) for r in besides], name
            assert flat.count(ca) == 1, (name, f.factor, ca)
            checked += any(" ".join(r.text.split()) == ca for r in f.reasons)
    assert checked, "no sample's counter-argument is also a reason: the test would test nothing"


@pytest.mark.parametrize("audience", ["creator", "counsel", "student"])
def test_the_memo_prints_the_best_counter_argument_once_under_its_label(audience: str) -> None:
    from pathlib import Path

    from analysis.matter import Matter

    root = Path(__file__).resolve().parents[1] / "samples" / "scenarios"
    checked = 0
    for path in sorted(root.glob("*.yaml")):
        m = Matter.open(path)
        bundle = m.build_memo(audience=audience)
        flat = " ".join(bundle.markdown.replace("\\", "").split())
        a = m.assessment
        assert a is not None
        for f in a.findings:
            if f.counter_argument is None:
                continue
            ca = " ".join(f.counter_argument.text.split())
            if ca not in flat:
                continue  # this audience's memo does not reach that factor's reasons
            assert flat.count(ca) == 1, (path.stem, audience, f.factor, ca)
            assert "The other side:" in flat
            checked += 1
    assert checked, "no counter-argument reached a memo: the test would test nothing"


def test_the_memo_facts_read_as_the_questions_were_asked() -> None:
    """The facts appendix names each answer as the questionnaire asks it, with the option's
    label ("Distribution | Mass distribution"), never the field and its stored value
    ("scale | mass"), and every other field by a label that starts like a heading."""
    import re
    from pathlib import Path

    from analysis.assess.questionnaire import get_answer, load_questionnaire
    from analysis.matter import Matter

    qn = load_questionnaire()
    root = Path(__file__).resolve().parents[1] / "samples" / "scenarios"
    checked = 0
    for path in sorted(root.glob("*.yaml")):
        m = Matter.open(path)
        md = m.build_memo(audience="student").markdown
        facts = md[md.index("## Facts") : md.index("## Evidence")]
        rows = [
            [c.strip() for c in line.strip("|").split("|")]
            for line in facts.splitlines()
            if line.startswith("| ") and not line.startswith("| Question") and not line.startswith("| ---")
        ]
        assert rows, path.stem
        for question, _answer in rows:
            plain = question.replace("\\", "")
            assert re.match(r"[A-Z]", plain), (path.stem, question)  # a label, not a field name
        for q in qn.questions:
            value = get_answer(m.scenario, q.id)
            if value in (None, []) or not q.options or q.factor == 0:
                continue
            chosen = value if isinstance(value, list) else [value]
            want = ", ".join(o.label for v in chosen if (o := q.option(v)) is not None)
            flat = " ".join(facts.replace("\\", "").split())
            assert f"| {q.short} | {want} |" in flat, (path.stem, q.id, q.short, want)
            checked += 1
    assert checked > 20
