"""The MRPC learned-scorer measurement (benchmarks/mrpc_learned_scorers.py): no model or data needed."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.mrpc_learned_scorers import _head_model, main, stacked_accuracy


def test_stacked_accuracy_is_out_of_fold_and_sees_a_real_signal():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 600)
    signal = y + rng.normal(scale=0.3, size=600)
    noise = rng.normal(size=(600, 3))
    assert stacked_accuracy(np.column_stack([signal, noise]), y) > 0.9
    # pure noise cannot be learned out of fold, however many columns it has
    assert 0.4 < stacked_accuracy(rng.normal(size=(600, 20)), y) < 0.6
    # a column built inside each fold from its training rows is used as a column of its own
    seen: list[int] = []

    def column(train: np.ndarray) -> np.ndarray:
        seen.append(len(train))
        return signal

    assert stacked_accuracy(noise, y, fold_column=column) > 0.9
    assert seen == [480] * 5


def test_the_attention_head_scores_a_pair_the_same_whichever_side_comes_first():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    head = _head_model(hidden=16, dropout=0.2).eval()
    a, b = torch.randn(3, 7, 384), torch.randn(3, 5, 384)
    ma, mb = torch.ones(3, 7, dtype=torch.bool), torch.ones(3, 5, dtype=torch.bool)
    ma[0, 4:] = False  # padding is ignored
    with torch.no_grad():
        ab, ba = head(a, b, ma, mb), head(b, a, mb, ma)
        a_changed_padding = a.clone()
        a_changed_padding[0, 4:] = 99.0
        padded = head(a_changed_padding, b, ma, mb)
    assert ab.shape == (3,)
    assert torch.allclose(ab, ba, atol=1e-5)
    assert torch.allclose(ab, padded, atol=1e-5)


def test_without_the_data_it_says_so_and_exits_2(tmp_path, capsys):
    assert main(["head", "--data", str(tmp_path / "absent.jsonl")]) == 2
    assert "MRPC data not found" in capsys.readouterr().err
