"""Keras 3's trainers/epoch_iterator_test cases, ported through ``fit``.

Keras's test drives its internal ``EpochIterator``; the same steps are seen
here by a callback of ``fit``. The tf.data and torch DataLoader cases are out
of scope (listed in the report).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest


def _steps_recorder(keras, steps):
    class Steps(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            steps.append(batch)

    return Steps()


def _model(keras, in_dim, out_dim):
    model = keras.Sequential([keras.Input((in_dim,)), keras.layers.Dense(out_dim)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_basic_flow(keras):
    rng = np.random.default_rng(0)
    steps = []
    _model(keras, 16, 4).fit(
        rng.random((100, 16)),
        rng.random((100, 4)),
        sample_weight=rng.random((100,)),
        batch_size=16,
        shuffle=True,
        callbacks=[_steps_recorder(keras, steps)],
        verbose=0,
    )
    assert steps == [0, 1, 2, 3, 4, 5, 6]


def test_insufficient_data(keras):
    x = np.arange(32, dtype="float32").reshape((32, 1))
    steps = []
    with pytest.warns(UserWarning, match="Your input ran out of data"):
        _model(keras, 1, 1).fit(
            x,
            x * 2,
            batch_size=8,
            steps_per_epoch=6,
            callbacks=[_steps_recorder(keras, steps)],
            verbose=0,
        )
    assert len(steps) == 4


def test_python_generator_input(keras):
    def generator_example():
        for i in range(100):
            yield (np.array([[i / 100]]), np.array([[i / 50]]))

    steps = []
    with warnings.catch_warnings():
        # Keras also warns "ran out of data" at a finite generator's end
        warnings.simplefilter("ignore", UserWarning)
        _model(keras, 1, 1).fit(
            generator_example(),
            shuffle=False,
            callbacks=[_steps_recorder(keras, steps)],
            verbose=0,
        )
    assert len(steps) == 100


def test_unrecognized_data_type(keras):
    with pytest.raises(ValueError, match="Unrecognized data type"):
        _model(keras, 1, 1).fit(x="unsupported_data", verbose=0)
