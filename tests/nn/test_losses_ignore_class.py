"""``SparseCategoricalCrossentropy(ignore_class=...)`` with Keras 3's semantics.

Expected values are derived by hand: with two classes and uniform predictions
every kept entry costs ln 2; ignored entries cost 0, get no gradient, and the
``"sum_over_batch_size"`` mean runs over the kept entries only. (The same
numbers were cross-checked against Keras 3.15 / TF 2.21 when writing this.)
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from pipeline import nn
from pipeline.nn import layers, losses

LN2 = math.log(2.0)
LABELS = np.array([1, 0, -1, -1])
UNIFORM = np.full((4, 2), 0.5, np.float32)
WEIGHTS = np.array([1.0, 3.0, 5.0, 7.0], np.float32)


def _loss(**kwargs):
    return losses.SparseCategoricalCrossentropy(ignore_class=-1, **kwargs)


def test_ignored_entries_cost_nothing_per_sample():
    values = _loss().call(LABELS, UNIFORM).numpy()
    np.testing.assert_allclose(values, [LN2, LN2, 0.0, 0.0], rtol=1e-6)


@pytest.mark.parametrize(
    "reduction, sample_weight, expected",
    [
        ("sum_over_batch_size", None, LN2),  # 2·ln2 / 2 kept, not / 4
        ("sum", None, 2 * LN2),
        ("mean_with_sample_weight", None, LN2),
        ("sum_over_batch_size", WEIGHTS, (1 + 3) * LN2 / 2),
        ("sum", WEIGHTS, (1 + 3) * LN2),
        ("mean_with_sample_weight", WEIGHTS, LN2),  # weights of kept entries
    ],
)
def test_reductions_count_kept_entries(reduction, sample_weight, expected):
    value = _loss(reduction=reduction)(LABELS, UNIFORM, sample_weight=sample_weight)
    assert float(value) == pytest.approx(expected, rel=1e-6)


def test_reduction_none_is_masked_per_sample():
    value = _loss(reduction="none")(LABELS, UNIFORM, sample_weight=WEIGHTS)
    np.testing.assert_allclose(value.numpy(), [LN2, 3 * LN2, 0, 0], rtol=1e-6)


def test_all_ignored_gives_zero_loss_and_gradient():
    x = nn.Variable(np.zeros((3, 2), np.float32))
    with nn.GradientTape() as tape:
        value = _loss(from_logits=True)([-1, -1, -1], x)
    assert float(value) == 0.0
    assert not np.asarray(tape.gradient(value, x)).any()


def test_gradient_flows_to_kept_rows_only():
    # d/dz of -log_softmax(z)[y] is softmax(z) - onehot(y); zero logits give
    # [0.5, 0.5]; the mean over 2 kept rows halves it.
    x = nn.Variable(np.zeros((4, 2), np.float32))
    with nn.GradientTape() as tape:
        value = _loss(from_logits=True)(LABELS, x)
    grad = np.asarray(tape.gradient(value, x))
    expected = [[0.25, -0.25], [-0.25, 0.25], [0.0, 0.0], [0.0, 0.0]]
    np.testing.assert_allclose(grad, expected, rtol=1e-6)


def test_softmax_output_is_read_as_clipped_probabilities():
    # Keras 3 zeroes the ignored predictions first, which hides the softmax's
    # logits: p = [1, ~4e-18] is clipped to [1 - 1e-7, 1e-7], so the loss of
    # label 1 is -log(1e-7) = 7·ln 10 instead of the logits' 40.
    probs = layers.Activation("softmax")(np.array([[20.0, -20.0]], np.float32))
    value = losses.SparseCategoricalCrossentropy(ignore_class=0)([1], probs)
    assert float(value) == pytest.approx(7 * math.log(10.0), rel=1e-5)
    plain = losses.SparseCategoricalCrossentropy()([1], probs)
    assert float(plain) == pytest.approx(40.0, rel=1e-5)


def test_labels_with_a_trailing_axis_and_sequences():
    per_row = _loss()(LABELS[:, None], UNIFORM)
    assert float(per_row) == pytest.approx(LN2, rel=1e-6)
    seq = np.full((2, 3, 2), 0.5, np.float32)
    value = _loss()([[1, -1, -1], [0, 1, -1]], seq)
    assert float(value) == pytest.approx(LN2, rel=1e-6)


def test_config_round_trip():
    config = _loss(from_logits=True).get_config()
    assert config["ignore_class"] == -1 and config["from_logits"] is True
    rebuilt = losses.SparseCategoricalCrossentropy.from_config(config)
    assert rebuilt.ignore_class == -1
    assert float(rebuilt(LABELS, np.zeros((4, 2), np.float32))) == pytest.approx(LN2)


def test_fit_on_ignored_labels_leaves_weights_alone():
    model = nn.Sequential([layers.Input((3,)), layers.Dense(2)])
    model.compile(
        optimizer="sgd",
        loss=losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=9),
    )
    before = [w.copy() for w in model.get_weights()]
    x = np.ones((4, 3), np.float32)
    history = model.fit(x, np.full(4, 9), batch_size=4, epochs=1, verbose=0)
    assert history.history["loss"] == [0.0]
    for old, new in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)
