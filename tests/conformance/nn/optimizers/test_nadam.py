"""Keras 3's Nadam cases (optimizers/nadam_test.py), ported."""

from __future__ import annotations

import numpy as np


def test_config(keras, cases):
    optimizer = keras.optimizers.Nadam(
        learning_rate=0.5, beta_1=0.5, beta_2=0.67, epsilon=1e-5
    )
    o = keras.optimizers
    cases.round_trip(optimizer, o.serialize, o.deserialize)


def test_build_with_empty_var_list(keras):
    optimizer = keras.optimizers.Nadam()
    optimizer.build([])
    assert np.dtype(optimizer._u_product.dtype) == np.float32


def test_single_step(keras, cases):
    optimizer = keras.optimizers.Nadam(learning_rate=0.5)
    cases.single_step(keras, optimizer, [0.4686, 1.4686, 2.4686, 3.4686])


def test_weight_decay(keras, cases):
    cases.weight_decay(keras, keras.optimizers.Nadam)


def test_correctness_with_golden(keras, cases):
    golden = [
        [0.4281] * 10,
        [
            -0.1738, -0.1731, -0.1726, -0.1723, -0.1721,
            -0.172, -0.1719, -0.1718, -0.1718, -0.1717,
        ],
        [
            -0.7115, -0.7103, -0.7096, -0.7092, -0.709,
            -0.7088, -0.7086, -0.7085, -0.7085, -0.7084,
        ],
        [
            -1.2335, -1.2322, -1.2313, -1.2309, -1.2306,
            -1.2304, -1.2302, -1.2301, -1.23, -1.2299,
        ],
        [
            -1.7492, -1.7478, -1.7469, -1.7464, -1.7461,
            -1.7459, -1.7457, -1.7456, -1.7455, -1.7454,
        ],
    ]  # fmt: skip
    optimizer = keras.optimizers.Nadam(
        learning_rate=0.5, beta_1=0.5, beta_2=0.67, epsilon=1e-5
    )
    cases.golden(keras, optimizer, golden, "float32")


def test_clip_norm_and_value(keras, cases):
    cases.clip(keras.optimizers.Nadam)


def test_state_variables_and_their_order(keras):
    # not a Keras case: the product of the momentum schedule is saved with the
    # optimizer, after every slot, as Keras keeps it
    optimizer = keras.optimizers.Nadam()
    optimizer.build([keras.Variable(np.ones(2, "float32"))])
    assert len(optimizer.variables) == 5
    assert tuple(optimizer.variables[-1].shape) == ()
    assert float(np.asarray(optimizer.variables[-1])) == 1.0
