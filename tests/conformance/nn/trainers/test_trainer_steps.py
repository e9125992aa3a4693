"""Keras 3's trainers/trainer_test cases, ported (second part): on-batch
methods, callback logs, recompiling, nested inputs, stopping loops, loss
weights and partial losses."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance.nn.trainers.test_trainer import (
    example_model,
    list_input_model,
    list_output_model,
    struct_model,
)
from tests.conformance_keras import assert_close, to_array


def _compile_mse(keras, model, **kwargs):
    model.compile(
        optimizer=keras.optimizers.SGD(),
        loss=keras.losses.MeanSquaredError(),
        metrics=[keras.metrics.MeanSquaredError()],
        **kwargs,
    )


def test_on_batch_methods(keras):
    model = example_model(keras, 3)
    x, y = np.ones((100, 4)), np.zeros((100, 3))
    sw = np.arange(100).reshape((100,)).astype("float32") / 50.0
    _compile_mse(keras, model)
    logs = model.train_on_batch(x, y)
    assert isinstance(logs, list) and len(logs) == 2
    assert logs[0] == pytest.approx(16.0, abs=1e-6)
    logs = model.train_on_batch(x, y, return_dict=True)
    assert isinstance(logs, dict) and len(logs) == 2
    assert logs["loss"] == pytest.approx(15.158, abs=1e-3)
    logs = model.test_on_batch(x, y)
    assert isinstance(logs, list) and len(logs) == 2
    assert logs[0] == pytest.approx(14.360, abs=1e-3)
    logs = model.test_on_batch(x, y, return_dict=True)
    assert isinstance(logs, dict) and len(logs) == 2
    assert logs["loss"] == pytest.approx(14.360, abs=1e-3)
    output = model.predict_on_batch(x)
    assert isinstance(output, np.ndarray)
    assert_close(output[0], [3.789511] * 3, atol=1e-5)
    assert model.train_on_batch(x, y, sw)[0] == pytest.approx(14.217, abs=1e-3)
    assert model.test_on_batch(x, y, sw)[0] == pytest.approx(13.476, abs=1e-3)
    assert_close(model.predict_on_batch(x)[0], [3.689468] * 3, atol=1e-5)
    logs = model.train_on_batch(x, y, class_weight={1: 0.3, 0: 0.2})
    assert logs[0] == pytest.approx(2.722, abs=1e-3)


def test_on_batch_methods_without_training(keras):
    model = example_model(keras, 3)
    x, y = np.ones((100, 4)), np.zeros((100, 3))
    model.compile(
        loss=keras.losses.MeanSquaredError(), metrics=[keras.metrics.MeanSquaredError()]
    )
    output = model.predict_on_batch(x)
    assert isinstance(output, np.ndarray)
    assert_close(output[0], [4.0, 4.0, 4.0])
    logs = model.test_on_batch(x, y)
    assert isinstance(logs, list) and len(logs) == 2
    assert logs[0] == pytest.approx(16.0)
    logs = model.test_on_batch(x, y, return_dict=True)
    assert isinstance(logs, dict) and len(logs) == 2
    assert logs["loss"] == pytest.approx(16.0)


def test_nested_input_predict(keras):
    class TupleInputModel(keras.Model):
        def call(self, inputs):
            a, b = inputs
            return a + b

    class DictInputModel(keras.Model):
        def call(self, inputs):
            return inputs["a"] + inputs["b"]

    x1, x2 = np.random.default_rng(0).random((2, 3, 4))
    assert TupleInputModel().predict((x1, x2), verbose=0).shape == (3, 4)
    assert DictInputModel().predict({"a": x1, "b": x2}, verbose=0).shape == (3, 4)


_METRIC_KEYS = ["loss", "mean_absolute_error"]
_EXPECTED_KEYS = {
    "on_train_begin": [],
    "on_train_end": [*_METRIC_KEYS, "val_loss", "val_mean_absolute_error"],
    "on_epoch_begin": [],
    "on_epoch_end": [*_METRIC_KEYS, "val_loss", "val_mean_absolute_error"],
    "on_test_begin": [],
    "on_test_end": _METRIC_KEYS,
    "on_predict_begin": [],
    "on_predict_end": [],
    "on_train_batch_begin": [],
    "on_train_batch_end": _METRIC_KEYS,
    "on_test_batch_begin": [],
    "on_test_batch_end": _METRIC_KEYS,
    "on_predict_batch_begin": [],
    "on_predict_batch_end": ["outputs"],
}


def test_callback_methods_keys(keras):
    seen = {}

    def recorder(name):
        def hook(self, *args, logs=None):
            if logs is None and args and isinstance(args[-1], dict):
                logs = args[-1]
            seen.setdefault(name, []).append(sorted(logs.keys()))

        return hook

    Recording = type(
        "Recording",
        (keras.callbacks.Callback,),
        {n: recorder(n) for n in _EXPECTED_KEYS},
    )
    model = example_model(keras, 3)
    model.compile(optimizer="adam", loss="mse", metrics=["mean_absolute_error"])
    x, y = np.ones((16, 4)), np.zeros((16, 3))
    model.fit(
        x, y, callbacks=[Recording()], batch_size=4, validation_data=(x, y), verbose=0
    )
    model.evaluate(x, y, batch_size=4, callbacks=[Recording()], verbose=0)
    model.predict(x, batch_size=4, callbacks=[Recording()], verbose=0)
    assert sorted(seen) == sorted(_EXPECTED_KEYS)
    for name, expected in _EXPECTED_KEYS.items():
        assert all(keys == sorted(expected) for keys in seen[name]), name


def test_predict_dropout(keras):
    inputs = keras.layers.Input((20,))
    outputs = keras.layers.Dropout(0.5, seed=1337)(inputs, training=True)
    model = keras.Model(inputs, outputs)
    out1 = model.predict(np.ones((4, 20)), batch_size=2, verbose=0)
    assert np.sum(np.abs(out1[:2, :] - out1[2:4, :])) < 5
    out2 = model.predict_on_batch(np.ones((2, 20)))
    out3 = model.predict_on_batch(np.ones((2, 20)))
    assert np.sum(np.abs(out2 - out3)) < 5


def test_recompile(keras):
    model = example_model(keras, 3)
    x, y = np.ones((3, 2)), np.ones((3, 3))
    model.compile(optimizer="sgd", loss="mse", metrics=["mean_squared_error"])
    history_1 = model.fit(x, y, verbose=0).history
    eval_1 = model.evaluate(x, y, return_dict=True, verbose=0)
    model.compile(optimizer="sgd", loss="mse", metrics=["mean_absolute_error"])
    history_2 = model.fit(x, y, verbose=0).history
    eval_2 = model.evaluate(x, y, return_dict=True, verbose=0)
    assert sorted(history_1) == ["loss", "mean_squared_error"]
    assert sorted(eval_1) == ["loss", "mean_squared_error"]
    assert sorted(history_2) == ["loss", "mean_absolute_error"]
    assert sorted(eval_2) == ["loss", "mean_absolute_error"]


def test_evaluate_return_list_respect_metrics_order(keras):
    def metrics_zero(y_true, y_pred):
        return 0.0

    def metrics_one(y_true, y_pred):
        return 1.0

    x, y = np.ones((3, 2)), np.ones((3, 3))
    model = example_model(keras, 3)
    model.compile(optimizer="sgd", loss="mse", metrics=[metrics_zero, metrics_one])
    out = model.evaluate(x, y, verbose=0)
    assert len(out) == 3 and out[1] == 0.0 and out[2] == 1.0
    model.compile(optimizer="sgd", loss="mse", metrics=[metrics_one, metrics_zero])
    out = model.evaluate(x, y, verbose=0)
    assert len(out) == 3 and out[1] == 1.0 and out[2] == 0.0


def test_nested_inputs(keras):
    model = list_input_model(keras, 2)
    xs, y = [np.ones((3, 2)), np.ones((3, 3))], np.ones((3, 2))
    assert tuple(model(xs).shape) == (3, 2)
    model.compile(optimizer="sgd", loss="mse", metrics=["mse"])
    assert_close(model.fit(xs, y, verbose=0).history["loss"], [16.0])
    assert_close(model.train_on_batch(xs, y)[0], 14.44, atol=1e-6, rtol=1e-6)
    assert_close(model.evaluate(xs, y, verbose=0)[0], 13.0321, atol=1e-4, rtol=1e-4)
    assert_close(model.test_on_batch(xs, y)[0], 13.0321, atol=1e-4, rtol=1e-4)
    assert model.predict(xs, verbose=0).shape == (3, 2)
    assert model.predict_on_batch(xs).shape == (3, 2)


def test_validation_data_infinite_generator(keras):
    model = example_model(keras, 3)
    model.compile(optimizer="sgd", loss="mse", metrics=["mse"])

    class Recorder(keras.callbacks.Callback):
        def __init__(self):
            self.train_counter = 0
            self.val_counter = 0

        def on_train_batch_end(self, *args, **kwargs):
            self.train_counter += 1

        def on_test_batch_end(self, *args, **kwargs):
            self.val_counter += 1

    def infinite_gen():
        while True:
            yield np.ones((2, 2)), np.ones((2, 3))

    recorder = Recorder()
    model.fit(
        infinite_gen(),
        validation_data=infinite_gen(),
        steps_per_epoch=3,
        validation_steps=4,
        epochs=1,
        shuffle=False,
        callbacks=[recorder],
        verbose=0,
    )
    assert (recorder.train_counter, recorder.val_counter) == (3, 4)


@pytest.mark.parametrize(
    ("method", "gerund", "hook"),
    [
        ("fit", "training", "train"),
        ("evaluate", "evaluating", "test"),
        ("predict", "predicting", "predict"),
    ],
)
def test_stop_loop(keras, method, gerund, hook):
    model = example_model(keras, 3)
    model.compile(optimizer="sgd", loss="mse", metrics=["mse"])

    class Stopper(keras.callbacks.Callback):
        def __init__(self, stop_count):
            self.stop_count = stop_count
            self.counter = 0
            setattr(self, f"on_{hook}_batch_end", self.batch_end)

        def batch_end(self, *args, **kwargs):
            self.counter += 1
            if self.counter == self.stop_count:
                setattr(self.model, f"stop_{gerund}", True)

    def infinite_gen():
        while True:
            x, y = np.ones((2, 2)), np.ones((2, 3))
            yield (x,) if method == "predict" else (x, y)

    stopper = Stopper(5)
    getattr(model, method)(infinite_gen(), callbacks=[stopper], verbose=0)
    assert stopper.counter == 5


def test_constraints_are_applied(keras):
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(2, kernel_constraint="non_neg")]
    )
    model.compile(optimizer="rmsprop", loss="mse")
    model.fit(np.ones((2, 3)), np.ones((2, 2)), verbose=0)
    assert np.min(to_array(model.layers[0].kernel)) >= 0.0


def test_loss_weights_single_output(keras):
    model = example_model(keras, 3)
    _compile_mse(keras, model, loss_weights=0.2)
    history = model.fit(
        np.ones((40, 4)), np.zeros((40, 3)), batch_size=20, epochs=3, verbose=0
    )
    assert_close(history.history["loss"], [3.182979, 3.115617, 3.049681], atol=1e-3)


def test_loss_weights_dict_outputs(keras):
    mse = keras.losses.MeanSquaredError
    model = struct_model(keras, 3)
    model.compile(
        optimizer=keras.optimizers.SGD(),
        loss={"y_one": mse(), "y_two": mse()},
        metrics={
            "y_one": keras.metrics.MeanSquaredError(),
            "y_two": keras.metrics.MeanSquaredError(),
        },
        loss_weights={"y_one": 0.1, "y_two": 0.2},
    )
    x = {"x_one": np.ones((40, 4)), "x_two": np.ones((40, 4))}
    y = {"y_one": np.zeros((40, 3)), "y_two": np.zeros((40, 3))}
    history = model.fit(x, y, batch_size=20, epochs=3, verbose=0)
    assert_close(history.history["loss"], [4.778718, 4.694403, 4.611693], atol=1e-3)


def test_loss_weights_list_outputs(keras):
    mse = keras.losses.MeanSquaredError
    model = list_output_model(keras, 3)
    model.compile(
        optimizer=keras.optimizers.SGD(),
        loss=[mse(), mse()],
        metrics=[keras.metrics.MeanSquaredError(), keras.metrics.MeanSquaredError()],
        loss_weights=[0.1, 0.2],
    )
    y = [np.zeros((40, 3)), np.zeros((40, 3))]
    history = model.fit(np.ones((40, 4)), y, batch_size=20, epochs=3, verbose=0)
    assert_close(history.history["loss"], [4.778718, 4.694403, 4.611693], atol=1e-3)


def test_partial_loss_partial_label(keras):
    inputs = keras.Input((2,))
    x = keras.layers.Dense(3, kernel_initializer="ones")(inputs)
    partial_model = keras.Model(inputs, [x, x, x])
    partial_model.compile(loss=["mse", None, None])
    full_model = keras.Model(inputs, [x, x, x])
    full_model.compile(loss=["mse", "mse", "mse"])
    eval_x, eval_y = np.ones((32, 2)), np.ones((32, 3))
    partial_logs = partial_model.evaluate(eval_x, eval_y, return_dict=True, verbose=0)
    logs = full_model.evaluate(eval_x, [eval_y] * 3, return_dict=True, verbose=0)
    assert partial_logs["loss"] * 3 == pytest.approx(logs["loss"])


def test_internal_only_loss(keras):
    class LossLayer(keras.layers.Layer):
        def call(self, x):
            self.add_loss(keras.ops.sum(x))
            return x

    model = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(2), LossLayer(), keras.layers.Dense(1)]
    )
    model.compile(optimizer="adam")
    history = model.fit(np.ones((16, 2)), np.zeros((16, 1)), batch_size=4, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_callbacks_can_update_state_at_batch_boundary(keras):
    class CounterModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.train_counter = self.add_weight(shape=(), initializer="zeros")
            self.test_counter = self.add_weight(shape=(), initializer="zeros")
            self.predict_counter = self.add_weight(shape=(), initializer="zeros")
            self.dense = keras.layers.Dense(3)

        def call(self, x):
            return self.dense(x)

    class CounterCallback(keras.callbacks.Callback):
        def __init__(self):
            self.train = self.test = self.predict = 0

        def on_train_batch_end(self, *args, **kwargs):
            self.model.train_counter.assign_add(1)
            self.train += 1

        def on_test_batch_end(self, *args, **kwargs):
            self.model.test_counter.assign_add(1)
            self.test += 1

        def on_predict_batch_end(self, *args, **kwargs):
            self.model.predict_counter.assign_add(1)
            self.predict += 1

    model = CounterModel()
    model.compile(optimizer="sgd", loss="mse", metrics=["mse"], run_eagerly=True)
    cbk = CounterCallback()
    model.fit(
        np.ones((4, 3)),
        np.ones((4, 3)),
        callbacks=[cbk],
        epochs=3,
        batch_size=1,
        verbose=0,
        validation_data=(np.ones((2, 3)), np.ones((2, 3))),
    )
    assert cbk.train == 12 and float(to_array(model.train_counter)) == 12
    assert cbk.test == 6 and float(to_array(model.test_counter)) == 6
    model.predict(np.ones((4, 3)), callbacks=[cbk], batch_size=1, verbose=0)
    assert cbk.predict == 4 and float(to_array(model.predict_counter)) == 4


def _custom_loss_model(keras, expect_training, regularized=False, with_training=True):
    seen = []

    class MyModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.custom_metric = keras.metrics.Mean(name="custom")
            reg = "l2" if regularized else None
            self.dense = keras.layers.Dense(2, activity_regularizer=reg)

        def call(self, x):
            return self.dense(x)

        if with_training:

            def compute_loss(
                self, x=None, y=None, y_pred=None, sample_weight=None, training=True
            ):
                seen.append(training)
                loss = super().compute_loss(x, y, y_pred, sample_weight, training)
                value = sum(self.losses) if regularized else loss * 4
                self.custom_metric.update_state(value)
                return loss

        else:

            def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None):
                loss = super().compute_loss(x, y, y_pred, sample_weight)
                self.custom_metric.update_state(loss * 4)
                return loss

    model = MyModel()
    model.compile(optimizer="sgd", loss="mse")
    return model, seen


def test_metric_update_in_compute_loss(keras):
    model, seen = _custom_loss_model(keras, True)
    history = model.fit(np.ones((32, 4)), np.ones((32, 2)) * 2, verbose=0).history
    assert history["custom"][0] == pytest.approx(history["loss"][0] * 4, rel=1e-6)
    assert seen and all(seen)


def test_fwd_pass_loss_presence_in_compute_loss(keras):
    model, seen = _custom_loss_model(keras, True, regularized=True)
    history = model.fit(np.ones((32, 4)), np.ones((32, 2)) * 2, verbose=0).history
    assert history["custom"][0] > 0.0
    assert seen and all(seen)


def test_evaluate_with_custom_compute_loss(keras):
    model, seen = _custom_loss_model(keras, False)
    logs = model.evaluate(
        np.ones((32, 4)), np.ones((32, 2)) * 2, return_dict=True, verbose=0
    )
    assert logs["custom"] == pytest.approx(logs["loss"] * 4, rel=1e-6)
    assert seen and not any(seen)


def test_compute_loss_no_training_backwards_compatibility(keras):
    model, _ = _custom_loss_model(keras, None, with_training=False)
    x, y = np.ones((32, 4)), np.ones((32, 2)) * 2
    logs = model.evaluate(x, y, return_dict=True, verbose=0)
    assert logs["custom"] == pytest.approx(logs["loss"] * 4, rel=1e-6)
    history = model.fit(x, y, verbose=0).history
    assert history["custom"][0] == pytest.approx(history["loss"][0] * 4, rel=1e-6)
