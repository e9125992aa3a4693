"""Sparse (IndexedSlices) gradients: only the given rows move where Keras 3 on
TensorFlow 2.21 moves only them, and every result equals TensorFlow's.

The expected arrays were recorded once from TensorFlow 2.21 / Keras 3.15.1 by
applying two IndexedSlices gradients (rows [0, 2, 0] then [1, 1, 3], values
[[1, 2], [3, -4], [0.5, 0.5]]) to a (4, 2) variable ``arange(8) / 4``.
"""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.nn import optimizers
from pipeline.nn.tensor import IndexedSlices, Variable

_VALUES = np.array([[1.0, 2.0], [3.0, -4.0], [0.5, 0.5]], np.float32)
_ROWS = ([0, 2, 0], [1, 1, 3])

_TF = {
    "SGD": [
        [-0.15000000596046448, -3.725290298461914e-09],
        [0.09999999403953552, 0.9500000476837158],
        [0.699999988079071, 1.649999976158142],
        [1.4500000476837158, 1.7000000476837158],
    ],  # noqa: E501
    "SGD_m": [
        [-0.2850000262260437, -0.22499999403953552],
        [0.09999999403953552, 0.949999988079071],
        [0.429999977350235, 2.009999990463257],
        [1.4500000476837158, 1.7000000476837158],
    ],  # noqa: E501
    "Adam": [
        [-0.22405938804149628, 0.04747762531042099],
        [0.4058743417263031, 0.7832784652709961],
        [0.8329956531524658, 1.4170043468475342],
        [1.42558753490448, 1.67558753490448],
    ],  # noqa: E501
    "Adagrad": [
        [-0.12909944355487823, 0.13013416528701782],
        [0.37413665652275085, 0.7946099638938904],
        [0.9005509614944458, 1.34968900680542],
        [1.4154845476150513, 1.6654845476150513],
    ],  # noqa: E501
    "Adadelta": [
        [-0.0018973650876432657, 0.24828501045703888],
        [0.498211145401001, 0.7506324648857117],
        [0.9985857605934143, 1.251414179801941],
        [1.498585820198059, 1.748585820198059],
    ],  # noqa: E501
    "RMSprop": [
        [-0.7027815580368042, -0.3728410303592682],
        [0.0635642409324646, 0.8928571343421936],
        [0.5, 1.7499998807907104],
        [1.1666674613952637, 1.4166674613952637],
    ],  # noqa: E501
    "Ftrl": [
        [-0.12823878228664398, 0.09174979478120804],
        [-0.12554869055747986, 0.04438692703843117],
        [0.7953909635543823, 1.2509260177612305],
        [-0.08282511681318283, -0.08282511681318283],
    ],  # noqa: E501
    "SGD_cv": [
        [-0.15000000596046448, 0.04999999329447746],
        [0.25, 0.75],
        [0.8500000238418579, 1.399999976158142],
        [1.4500000476837158, 1.7000000476837158],
    ],  # noqa: E501
    "SGD_cn": [
        [-0.013580363243818283, 0.22736606001853943],
        [0.46378567814826965, 0.7681071162223816],
        [0.9728392958641052, 1.2862143516540527],
        [1.4954732656478882, 1.7454732656478882],
    ],  # noqa: E501
}
_KWARGS = {
    "SGD": {"learning_rate": 0.1},
    "SGD_m": {"learning_rate": 0.1, "momentum": 0.9},
    "Adam": {"learning_rate": 0.1},
    "Adagrad": {"learning_rate": 0.1},
    "Adadelta": {"learning_rate": 1.0},
    "RMSprop": {"learning_rate": 0.1, "momentum": 0.5, "centered": True},
    "Ftrl": {"learning_rate": 0.1, "l1_regularization_strength": 0.01},
    "SGD_cv": {"learning_rate": 0.1, "clipvalue": 1.5},
    "SGD_cn": {"learning_rate": 0.1, "clipnorm": 0.5},
}


def _start() -> Variable:
    return Variable(np.arange(8, dtype=np.float32).reshape(4, 2) / 4, name="emb")


@pytest.mark.parametrize("case", sorted(_TF))
def test_indexed_slices_match_tensorflow(case):
    opt = getattr(optimizers, case.split("_")[0])(**_KWARGS[case])
    var = _start()
    for rows in _ROWS:
        grad = IndexedSlices(_VALUES, np.array(rows), (4, 2))
        opt.apply_gradients([(grad, var)])
    np.testing.assert_allclose(var.numpy(), _TF[case], rtol=1e-5, atol=1e-6)


def test_plain_sgd_touches_only_given_rows():
    var = _start()
    before = var.numpy()
    optimizers.SGD(0.1).apply(
        [IndexedSlices(_VALUES[:1], np.array([2]), (4, 2))], [var]
    )
    after = var.numpy()
    np.testing.assert_array_equal(after[[0, 1, 3]], before[[0, 1, 3]])
    np.testing.assert_allclose(after[2], before[2] - 0.1 * _VALUES[0])


def test_adagrad_leaves_untouched_rows_and_their_slots():
    var = _start()
    opt = optimizers.Adagrad(0.1)
    opt.apply([IndexedSlices(_VALUES[:1], np.array([1]), (4, 2))], [var])
    accumulator = opt.variables[-1].numpy()
    np.testing.assert_allclose(accumulator[[0, 2, 3]], 0.1)
    np.testing.assert_array_equal(var.numpy()[0], _start().numpy()[0])


@pytest.mark.parametrize("name", ["sgd", "adam", "adagrad", "rmsprop", "adadelta"])
def test_embedding_fit_moves_only_the_looked_up_rows(name):
    from pipeline import nn
    from pipeline.nn import layers

    rng = np.random.default_rng(0)
    x = rng.integers(0, 5, (64, 2))
    y = rng.normal(size=(64, 1)).astype(np.float32)
    model = nn.Sequential(
        [
            layers.Input((2,), dtype="int64"),
            layers.Embedding(10, 3),
            layers.Flatten(),
            layers.Dense(1),
        ]
    )
    model.compile(optimizer=name, loss="mse")
    before = model.layers[0].get_weights()[0].copy()
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    after = model.layers[0].get_weights()[0]
    np.testing.assert_array_equal(after[5:], before[5:])
    assert not np.array_equal(after[:5], before[:5])
