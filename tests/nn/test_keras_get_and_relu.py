"""Keras 3 behaviours from issue 14's list: relu's threshold, and the ``get``
functions on None, "l1l2" and arrays (values as Keras 3.15 gives them)."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.nn import activations, initializers, optimizers, regularizers


def test_relu_threshold_keeps_only_values_above_it():
    x = np.array([-1.0, 0.5, 1.0, 2.0], np.float32)
    assert activations.relu(x, threshold=1.0).numpy().tolist() == [0, 0, 0, 2]
    got = activations.relu(x, threshold=1.0, negative_slope=0.5).numpy()
    assert got.tolist() == [-1.0, -0.25, 0.0, 2.0]


def test_optimizers_get_none_is_none():
    assert optimizers.get(None) is None


def test_regularizers_get_l1l2():
    reg = regularizers.get("l1l2")
    assert isinstance(reg, regularizers.L1L2)
    assert reg.get_config() == {"l1": 0.0, "l2": 0.0}


def test_initializers_get_of_an_array_gives_that_array():
    init = initializers.get(np.ones((2,)))
    assert init((2,)).numpy().tolist() == [1.0, 1.0]
    assert init(shape=(2,), dtype="float32").numpy().dtype == np.float32
    with pytest.raises(ValueError, match=r"Expected `shape` to be \(2,\)"):
        init((3,))


def test_callback_hooks_get_an_empty_dict_not_none():
    # Keras 3.15 passes logs={} to these hooks (checked with keras.callbacks)
    import pipeline as pl

    seen = []

    class Recorder(pl.nn.callbacks.Callback):
        def on_train_begin(self, logs=None):
            seen.append(("train_begin", logs))

        def on_epoch_begin(self, epoch, logs=None):
            seen.append(("epoch_begin", logs))

        def on_train_batch_begin(self, batch, logs=None):
            seen.append(("train_batch_begin", logs))

        def on_test_begin(self, logs=None):
            seen.append(("test_begin", logs))

        def on_test_batch_begin(self, batch, logs=None):
            seen.append(("test_batch_begin", logs))

        def on_predict_begin(self, logs=None):
            seen.append(("predict_begin", logs))

        def on_predict_batch_begin(self, batch, logs=None):
            seen.append(("predict_batch_begin", logs))

        def on_predict_end(self, logs=None):
            seen.append(("predict_end", logs))

    model = pl.nn.Sequential([pl.nn.layers.Input((2,)), pl.nn.layers.Dense(1)])
    model.compile("sgd", "mse")
    x, y = np.ones((4, 2)), np.ones((4, 1))
    model.fit(x, y, epochs=1, verbose=0, callbacks=[Recorder()])
    model.evaluate(x, y, verbose=0, callbacks=[Recorder()])
    model.predict(x, verbose=0, callbacks=[Recorder()])
    names = [name for name, _ in seen]
    assert names == [
        "train_begin",
        "epoch_begin",
        "train_batch_begin",
        "test_begin",
        "test_batch_begin",
        "predict_begin",
        "predict_batch_begin",
        "predict_end",
    ]
    assert all(logs == {} for _, logs in seen)
