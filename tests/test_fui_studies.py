"""The fifth round's studies of the Fair Use Index (benchmarks/fui/PROTOCOL.md): blind readers'
own verdicts, the third blind pass, and the engine fitted on several readings at once."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from analysis.assess.corpus import load_fui
from analysis.assess.fit import Design, Row, _folds, _grouped_folds, design, fit
from benchmarks.fui_third_pass import FIELDS, reader_agreement, third_pass
from benchmarks.fui_verdicts import READINGS, VERDICTS, factor_code, load_verdicts, score

ROOT = Path(__file__).resolve().parent.parent


def _toy_design(keys: list[str], outcomes: list[str]) -> Design:
    rows = [Row(key=k, outcome=o, court={}, x={}) for k, o in zip(keys, outcomes)]
    return Design(ids={}, priors={}, rows=rows)


def test_grouped_folds_are_the_plain_folds_when_every_decision_has_one_row():
    outcomes = ["fair_use", "not_fair_use"] * 15
    d = _toy_design([f"fui-{i:03d}" for i in range(30)], outcomes)
    rows = list(range(30))
    for (tr_a, te_a), (tr_b, te_b) in zip(_grouped_folds(d, rows, 5, 7), _folds(outcomes, 5, 7)):
        assert list(tr_a) == list(tr_b) and list(te_a) == list(te_b)


def test_grouped_folds_keep_every_reading_of_a_decision_on_one_side():
    outcomes = ["fair_use", "not_fair_use"] * 10
    keys = [f"fui-{i:03d}" for i in range(20)]
    d = _toy_design(keys * 3, outcomes * 3)  # three readings of twenty decisions
    rows = list(range(60))
    seen: Counter[int] = Counter()
    for tr, te in _grouped_folds(d, rows, 5, 3):
        held = {d.rows[rows[p]].key for p in te}
        assert not held & {d.rows[rows[p]].key for p in tr}
        assert all(sum(d.rows[rows[p]].key == k for p in te) == 3 for k in held)
        seen.update(int(p) for p in te)
    assert sorted(seen) == rows and set(seen.values()) == {1}


def test_a_fit_on_two_readings_of_the_same_decisions_gives_usable_weights():
    corpus = [r for r in load_fui() if not r.encoding.thin][:80]
    items: list[tuple[str, Any, str, dict[int, str]]] = [
        (f"fui-{r.row:03d}", r.scenario, r.outcome, r.court_codes()) for r in corpus
    ]
    d = design(items + items)  # the same answers twice: a pooled fit must not split a decision
    w = fit(d, list(range(len(items) * 2)), seed=1).weights()
    single = fit(design(items), list(range(len(items))), seed=1).weights()
    assert w.fitted and set(w.considerations) == set(single.considerations)
    assert all(v >= 0 for v in w.considerations.values())
    assert w.factor_weights[4] >= w.factor_weights[1] >= w.factor_weights[3] >= w.factor_weights[2] >= 0


def test_every_decision_has_a_verdict_from_each_verdict_reading():
    rows = {r.row for r in load_fui()}
    for name in READINGS:
        v = load_verdicts(name)
        assert set(v) == rows, name
        for e in v.values():
            assert e["verdict"] in ("fair_use", "not_fair_use")
            assert 0.0 <= float(e["p_fair_use"]) <= 1.0
            assert all(factor_code(e, n) in ("F", "A", "N") for n in (1, 2, 3, 4))
    facts = [
        json.loads(line)
        for f in sorted((VERDICTS / "anonymised" / "facts").glob("batch_*.jsonl"))
        for line in f.read_text(encoding="utf-8").splitlines()
    ]
    assert sorted(e["row"] for e in facts) == sorted(rows)


def test_the_committed_verdict_figures_are_what_the_verdicts_give():
    stored = json.loads((ROOT / "benchmarks" / "fui" / "verdicts-results.json").read_text(encoding="utf-8"))
    rows = [r for r in load_fui() if not r.encoding.thin]
    for name in READINGS:
        fresh = score(load_verdicts(name), rows, range(len(rows)))
        assert fresh == stored["verdicts"][name]["all"]["reader"], name
    # a reader who says fair use for every clear outcome scores the fair-use share, and misses
    # only the other side: the scorer counts what it is given
    always = {r.row: {"verdict": "fair_use", "p_fair_use": 1.0, "factors": {}} for r in rows}
    s = score(always, rows, range(len(rows)))
    clear = [r for r in rows if r.clear]
    assert s["agreement"] == round(sum(r.outcome == "fair_use" for r in clear) / len(clear), 4)
    assert s["misses_by_outcome"]["fair_use"] == 0


def test_the_third_pass_answers_are_complete_and_in_the_sheet_s_terms():
    rows = {r.row for r in load_fui()}
    allowed: dict[str, set[Any]] = {
        "purpose_balance": {"source_purpose", "balanced", "further_purpose", None},
        "would_replace": {True, "partly", False, None},
    }
    readers = {name: third_pass(name) for name in ("C", "D")}
    for name, entries in readers.items():
        assert set(entries) == rows, name
        for e in entries.values():
            for k in FIELDS:
                assert e.get(k) in allowed[k], (name, e["row"], k)
    agree = reader_agreement(readers["C"], readers["D"])
    assert set(agree) == set(FIELDS)
    assert all(0.0 < a <= 1.0 and n > 200 for a, n in agree.values())
    assert np.isclose(agree["purpose_balance"][0], 0.923, atol=5e-4)  # the figure PROTOCOL.md reports
