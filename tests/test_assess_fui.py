"""The Fair Use Index corpus and its honest validation: the encodings load, the fit reads only
the folds it is given, the shipped weights are what the procedure gives on the current data,
and `fairuse validate --corpus fui --json` writes the figures the issue names."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from analysis.assess.corpus import library_matches, load_fui
from analysis.assess.fit import _folds, design, fit, fit_all
from analysis.assess.weights import shipped_weights
from analysis.cli import main


def test_the_corpus_has_every_decision_encoded_and_the_thin_ones_marked():
    rows = load_fui()
    assert len(rows) == 251
    assert len({r.row for r in rows}) == 251
    encoded = [r for r in rows if not r.encoding.thin]
    assert len(encoded) >= 200
    assert all(r.encoding.thin_reason for r in rows if r.encoding.thin)
    assert {r.outcome for r in rows} == {"fair_use", "not_fair_use", "preliminary", "mixed"}
    assert sum(r.clear for r in encoded) >= 190
    assert 0 < sum(not r.encoding.recognised for r in encoded) < len(encoded)


def test_library_overlap_is_matched_by_citation_or_name():
    matches = library_matches()
    ids = {cid for _, cid, _ in matches}
    assert {"campbell", "harper_row", "sony", "authors_guild_google", "bond_blum"} <= ids
    assert all(how in ("citation", "name") for _, _, how in matches)
    assert len(ids) == len(matches), "one library case per FUI decision"


@pytest.fixture(scope="module")
def small_design():
    rows = [r for r in load_fui() if not r.encoding.thin][:120]
    return rows, design([(str(r.row), r.scenario, r.outcome, r.court_codes()) for r in rows])


def test_the_fit_reads_only_the_decisions_it_is_given(small_design):
    """Never tune on the held-out fold: scrambling the held-out rows' outcomes and findings
    leaves the weights fitted on the other rows unchanged."""
    rows, d = small_design
    tr, te = _folds([r.outcome for r in rows], 4, 7)[0]
    a = fit(d, list(tr), seed=3).weights()
    for i in te:
        d.rows[i].outcome = "fair_use" if d.rows[i].outcome != "fair_use" else "not_fair_use"
        d.rows[i].court = {n: "F" if c != "F" else "A" for n, c in d.rows[i].court.items()}
    b = fit(d, list(tr), seed=3).weights()
    assert a.considerations == b.considerations and a.factor_weights == b.factor_weights
    assert a.lean_bands == b.lean_bands and a.close_call_band == b.close_call_band


def test_fitted_weights_keep_the_authorities_directions_and_the_records_order(small_design):
    rows, d = small_design
    w = fit(d, list(range(len(rows))), seed=1).weights()
    assert all(v >= 0 for v in w.considerations.values())
    fw = w.factor_weights
    assert fw[4] >= fw[1] >= fw[3] >= fw[2] >= 0
    assert all(0 < lean <= strong for lean, strong in w.lean_bands.values())


def test_the_shipped_weights_are_what_the_procedure_gives_on_the_current_data():
    shipped = shipped_weights()
    assert shipped.fitted, "data/weights.yaml has no fitted block: run python -m analysis.assess.fit --write"
    fresh = fit_all().weights()
    for cid, v in fresh.considerations.items():
        assert shipped.considerations[cid] == pytest.approx(v, abs=2e-3), cid
    for n in (1, 2, 3, 4):
        assert shipped.factor_weights[n] == pytest.approx(fresh.factor_weights[n], abs=2e-3)
        assert shipped.lean_bands[n] == pytest.approx(fresh.lean_bands[n], abs=2e-3)
    assert shipped.close_call_band == pytest.approx(fresh.close_call_band, abs=2e-3)
    from analysis.assess.fit import corpus_fingerprint

    assert shipped.provenance["corpus_sha256"] == corpus_fingerprint(), "weights.yaml is stale: refit"


def test_validate_fui_writes_the_figures_the_issue_names(tmp_path: Path, capsys):
    out = tmp_path / "fui.json"
    rc = main(["validate", "--corpus", "fui", "--json", str(out), "--folds", "3", "--repeats", "1"])
    assert rc in (0, 1)
    text = capsys.readouterr().out
    assert "OUT-OF-FOLD" in text and "Baselines" in text and "IN-SAMPLE" in text
    v = json.loads(out.read_text(encoding="utf-8"))
    for key in (
        "corpus",
        "decisions",
        "agreement",
        "close_calls",
        "per_factor",
        "misses_by_outcome",
        "baselines",
        "folds",
    ):
        assert key in v, key
    assert v["corpus"] == "fui" and v["decisions"] >= 190 and v["encoded"] >= 200
    assert set(v["per_factor"]) == {"1", "2", "3", "4"}
    assert set(v["misses_by_outcome"]) == {"fair_use", "not_fair_use"}
    assert {
        "majority class",
        "fair use unless same purpose or a substitute",
        "a substitute is not fair use",
        "logistic regression on the answers",
    } <= set(v["baselines"])
    assert v["folds"]["k"] == 3 and v["folds"]["repeats"] == 1 and v["folds"]["seeds"]
    for part in ("recognised", "unrecognised"):
        assert v[part]["decisions"] > 0 and 0 <= v[part]["agreement"] <= 1
    assert v["recognised"]["decisions"] + v["unrecognised"]["decisions"] == v["decisions"]
    assert v["preliminary"]["decisions"] > 0 and v["mixed"]["decisions"] > 0
    assert v["in_sample"]["label"].startswith("IN-SAMPLE")
    assert v["library_overlap"] and all("answers_differ" in o for o in v["library_overlap"])
    assert len(v["skipped"]) == 251 - v["encoded"]
    conf = v["confusion"]
    assert round(sum(conf["fair_use"].values()) + sum(conf["not_fair_use"].values())) == v["decisions"]
    assert 0.0 <= v["agreement"] <= 1.0 and np.isfinite(v["close_calls"])


def test_validate_rejects_nonsense_folds_with_exit_2(capsys):
    assert main(["validate", "--corpus", "fui", "--folds", "1"]) == 2
    assert "folds" in capsys.readouterr().err


def test_the_close_call_band_is_chosen_from_its_grid_inside_the_fit(small_design):
    """The close-call band is fitted like the other bands (inner CV on the training rows), and
    the shipped band is the chosen odds on the factor weights' scale."""
    import math

    from analysis.assess.fit import CLOSE_CALL_GRID

    rows, d = small_design
    fitted = fit(d, list(range(len(rows))), seed=1)
    p = fitted.info["close_call_p"]
    assert p in CLOSE_CALL_GRID
    expected = math.log(p / (1 - p)) / fitted.k if p > 0.5 else 0.0
    assert fitted.weights().close_call_band == pytest.approx(expected, abs=1e-4)
