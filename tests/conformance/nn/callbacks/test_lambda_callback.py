"""Keras 3's lambda_callback_test cases, ported (hook calls recorded in a list,
where Keras's test reads them back from absl logging)."""

from __future__ import annotations

import numpy as np


def _model(keras):
    model = keras.Sequential(
        [keras.Input(shape=(2,), batch_size=4), keras.layers.Dense(1)]
    )
    model.compile(
        optimizer=keras.optimizers.SGD(), loss=keras.losses.MeanSquaredError()
    )
    return model


def _xy():
    rng = np.random.default_rng(0)
    return rng.standard_normal((16, 2)), rng.standard_normal((16, 1))


def test_lambda_callback(keras):
    seen = []
    cb = keras.callbacks.LambdaCallback(
        on_train_begin=lambda logs: seen.append("on_train_begin"),
        on_epoch_begin=lambda epoch, logs: seen.append("on_epoch_begin"),
        on_epoch_end=lambda epoch, logs: seen.append("on_epoch_end"),
        on_train_end=lambda logs: seen.append("on_train_end"),
    )
    x, y = _xy()
    _model(keras).fit(
        x, y, batch_size=4, validation_split=0.2, callbacks=[cb], epochs=5, verbose=0
    )
    for name in ("on_train_begin", "on_epoch_begin", "on_epoch_end", "on_train_end"):
        assert name in seen


def test_lambda_callback_with_batches(keras):
    seen = []
    cb = keras.callbacks.LambdaCallback(
        on_train_batch_begin=lambda batch, logs: seen.append("on_train_batch_begin"),
        on_train_batch_end=lambda batch, logs: seen.append("on_train_batch_end"),
    )
    x, y = _xy()
    _model(keras).fit(
        x, y, batch_size=4, validation_split=0.2, callbacks=[cb], epochs=5, verbose=0
    )
    assert "on_train_batch_begin" in seen and "on_train_batch_end" in seen


def test_lambda_callback_with_kwargs(keras):
    model = _model(keras)
    x, y = _xy()
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    seen = []
    cb = keras.callbacks.LambdaCallback(
        on_test_begin=lambda logs: seen.append("custom_on_test_begin_executed")
    )
    model.evaluate(x, y, batch_size=4, callbacks=[cb], verbose=0)
    assert "custom_on_test_begin_executed" in seen


def test_lambda_callback_no_args(keras):
    assert isinstance(keras.callbacks.LambdaCallback(), keras.callbacks.LambdaCallback)


def test_lambda_callback_with_additional_kwargs(keras):
    def custom_callback(logs):
        pass

    assert hasattr(
        keras.callbacks.LambdaCallback(custom_method=custom_callback), "custom_method"
    )


def test_lambda_callback_during_prediction(keras):
    seen = []
    cb = keras.callbacks.LambdaCallback(
        on_predict_begin=lambda logs: seen.append("on_predict_begin_executed")
    )
    x, _ = _xy()
    _model(keras).predict(x, batch_size=4, callbacks=[cb], verbose=0)
    assert "on_predict_begin_executed" in seen
