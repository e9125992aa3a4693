"""Keras 3's trainers/trainer_test cases in scope, ported.

Keras's test models mix its backend ``Trainer`` into a layer; here they are
``keras.Model`` subclasses with the same layers and initial weights. The
run_eagerly/jit_compile/steps_per_execution variants collapse to one case
(nothing is compiled); sparse, ragged, distribution, JAX-state and
backend-specific cases are listed in the report as out of scope.
"""

from __future__ import annotations

import contextlib
import warnings

import numpy as np
import pytest

from tests.conformance_keras import assert_close, to_array


def _dense(keras, units):
    return keras.layers.Dense(units, use_bias=False, kernel_initializer="ones")


def example_model(keras, units, extra_logs=None):
    """Keras's ``ExampleModel``: a bias-free Dense of ones; ``extra_logs`` are
    Keras's ``CustomTrainTestStepModel`` additions (train, test)."""

    class ExampleModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = _dense(keras, units)

        def call(self, x):
            return self.dense(x)

        if extra_logs is not None:

            def train_step(self, data):
                logs = super().train_step(data)
                logs["my_custom_metric"] = extra_logs[0]
                return logs

            def test_step(self, data):
                logs = super().test_step(data)
                logs["my_custom_metric"] = extra_logs[1]
                return logs

    return ExampleModel()


def struct_model(keras, units):
    class StructModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense_1, self.dense_2 = _dense(keras, units), _dense(keras, units)

        def call(self, x):
            return {
                "y_one": self.dense_1(x["x_one"]),
                "y_two": self.dense_2(x["x_two"]),
            }

    return StructModel()


def list_output_model(keras, units):
    class ListOutputModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense_1, self.dense_2 = _dense(keras, units), _dense(keras, units)

        def call(self, x):
            return [self.dense_1(x), self.dense_2(x)]

    return ListOutputModel()


def list_input_model(keras, units):
    class ListInputModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense_1, self.dense_2 = _dense(keras, units), _dense(keras, units)

        def call(self, x):
            if not isinstance(x, list | tuple):
                raise ValueError("x must be a list or tuple")
            return self.dense_1(x[0]) + self.dense_2(x[1])

    return ListInputModel()


def _ran_out(expected: bool):
    """Keras warns when ``steps_per_epoch`` asks for more batches than the
    data holds (its epoch iterator's "ran out of data")."""
    if expected:
        return pytest.warns(UserWarning, match="ran out of data")
    return contextlib.nullcontext()


def _compile_mse(keras, model, **kwargs):
    model.compile(
        optimizer=keras.optimizers.SGD(),
        loss=keras.losses.MeanSquaredError(),
        metrics=[keras.metrics.MeanSquaredError()],
        **kwargs,
    )


@pytest.mark.parametrize("use_steps_per_epoch", [False, True])
def test_fit_flow(keras, use_steps_per_epoch):
    model = example_model(keras, 3)
    x, y = np.ones((100, 4)), np.zeros((100, 3))
    _compile_mse(keras, model)
    with _ran_out(use_steps_per_epoch):
        history = model.fit(
            x,
            y,
            batch_size=20,
            steps_per_epoch=7 if use_steps_per_epoch else None,
            epochs=3,
            verbose=0,
        ).history
    assert "loss" in history and "mean_squared_error" in history
    assert_close(history["mean_squared_error"], [14.5, 11.5, 8.5], atol=1.0)


@pytest.mark.parametrize("use_steps_per_epoch", [False, True])
def test_fit_with_val_split(keras, use_steps_per_epoch):
    model = example_model(keras, 3)
    _compile_mse(keras, model)
    with _ran_out(use_steps_per_epoch):
        history = model.fit(
            np.ones((100, 4)),
            np.zeros((100, 3)),
            batch_size=20,
            steps_per_epoch=7 if use_steps_per_epoch else None,
            epochs=3,
            validation_split=0.2,
            verbose=0,
        ).history
    assert "loss" in history and "val_loss" in history


def test_fit_with_custom_train_step(keras):
    model = example_model(keras, 3, extra_logs=(10.0, 5.0))
    _compile_mse(keras, model)
    history = model.fit(
        np.ones((100, 4)), np.zeros((100, 3)), batch_size=16, verbose=0
    ).history
    assert "loss" in history and "mean_squared_error" in history
    assert_close(history["my_custom_metric"], [10.0])


def test_evaluate_flow(keras):
    model = example_model(keras, 3)
    x, y = np.ones((100, 4)), np.zeros((100, 3))
    _compile_mse(keras, model)
    assert_close(model.evaluate(x, y, batch_size=16, verbose=0), [16.0, 16.0])
    output = model.evaluate(x, y, batch_size=16, return_dict=True, verbose=0)
    assert isinstance(output, dict)
    assert "loss" in output
    assert_close(output["mean_squared_error"], 16.0)


@pytest.mark.parametrize("return_dict", [False, True])
def test_evaluate_with_custom_test_step(keras, return_dict):
    model = example_model(keras, 3, extra_logs=(10.0, 5.0))
    _compile_mse(keras, model)
    output = model.evaluate(
        np.ones((100, 4)),
        np.zeros((100, 3)),
        batch_size=16,
        return_dict=return_dict,
        verbose=0,
    )
    assert len(output) == 3
    assert_close(output["my_custom_metric"] if return_dict else output[-1], 5.0)


def test_predict_flow(keras):
    outputs = example_model(keras, 3).predict(
        np.ones((100, 4)), batch_size=16, verbose=0
    )
    assert_close(outputs, 4 * np.ones((100, 3)))


def test_predict_flow_struct(keras):
    x = {"x_one": np.ones((100, 4)), "x_two": np.ones((100, 4))}
    outputs = struct_model(keras, 3).predict(x, batch_size=16, verbose=0)
    assert isinstance(outputs, dict) and len(outputs) == 2
    assert_close(outputs["y_one"], 4 * np.ones((100, 3)))
    assert_close(outputs["y_two"], 4 * np.ones((100, 3)))


def _uneven_batches():
    values, sizes, j = iter(range(100)), [2, 3, 4], 0
    while True:
        batch = [v for _, v in zip(range(sizes[j % 3]), values)]
        if len(batch) < sizes[j % 3]:
            return
        j += 1
        yield batch


def test_predict_preserve_order(keras):
    # Keras feeds a tf.data.Dataset of these batches; a generator here.
    x = keras.Input(shape=())
    model = keras.Model(x, keras.layers.Identity()(x))
    model.compile(loss="mse", optimizer="sgd")
    batches = ((np.array(b, dtype="int32"),) for b in _uneven_batches())
    preds = model.predict(x=batches, verbose=0)
    np.testing.assert_array_equal(
        to_array(preds), np.arange(len(preds), dtype=np.float32)
    )


def _pairs():
    values = iter(range(10))
    while True:
        batch = [v for _, v in zip(range(2), values)]
        if len(batch) < 2:
            return
        yield (np.array(batch),)


def test_predict_generator(keras):
    model = keras.Sequential(
        [keras.layers.InputLayer(shape=()), keras.layers.Identity()]
    )
    model.compile(loss="mse", optimizer="sgd")
    preds = model.predict(x=_pairs(), verbose=0)
    np.testing.assert_array_equal(
        to_array(preds), np.concatenate(list(_pairs()), axis=1)[0]
    )


def _epoch_agnostic_mse(keras):
    class EpochAgnosticMeanSquaredError(keras.metrics.MeanSquaredError):
        def __init__(self):
            super().__init__(name="mse")
            super().reset_state()

        def reset_state(self):
            pass  # no reset at each epoch

    return EpochAgnosticMeanSquaredError()


def _step_observer(keras):
    class StepObserver(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.begin_count = self.end_count = 0
            self.epoch_begin_count = self.epoch_end_count = 0
            self.batch_loss_history = []

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch_begin_count += 1

        def on_epoch_end(self, epoch, logs=None):
            self.epoch_end_count += 1

        def on_batch_begin(self, batch, logs=None):
            self.begin_count += 1

        def on_batch_end(self, batch, logs=None):
            self.end_count += 1
            self.batch_loss_history.append(logs["mse"])

    return StepObserver()


def _observed_fit(keras, epochs, steps_per_epoch=None):
    x, y = np.ones((80, 4)), np.ones((80, 1))
    model = example_model(keras, 1)
    model.compile(loss="mse", optimizer="sgd", metrics=[_epoch_agnostic_mse(keras)])
    observer = _step_observer(keras)
    with _ran_out(steps_per_epoch in (9, 11)):
        model.fit(
            x=x,
            y=y,
            batch_size=8,
            epochs=epochs,
            steps_per_epoch=steps_per_epoch,
            callbacks=[observer],
            verbose=0,
        )
    return model, observer


@pytest.mark.parametrize(
    ("steps_per_epoch", "expected_batches", "plain_epochs"),
    [(10, 40, 4), (5, 20, 2), (9, 20, None), (11, 40, 4)],
    ids=[
        "match_one_epoch",
        "match_multi_epoch",
        "not_match_too_low",
        "not_match_high_enough",
    ],
)
def test_steps_per_epoch(keras, steps_per_epoch, expected_batches, plain_epochs):
    model, observer = _observed_fit(keras, 4, steps_per_epoch)
    assert observer.begin_count == expected_batches
    assert observer.end_count == observer.begin_count
    assert observer.epoch_begin_count == 4 and observer.epoch_end_count == 4
    if plain_epochs is None:
        return
    model_2, observer_2 = _observed_fit(keras, plain_epochs)
    x, y = np.ones((80, 4)), np.ones((80, 1))
    assert_close(observer.batch_loss_history, observer_2.batch_loss_history, atol=1e-6)
    for a, b in zip(model.get_weights(), model_2.get_weights(), strict=True):
        assert_close(a, b)
    assert_close(
        model.predict(x, batch_size=8, verbose=0),
        model_2.predict(x, batch_size=8, verbose=0),
    )
    assert_close(model.evaluate(x, y, verbose=0), model_2.evaluate(x, y, verbose=0))


def test_max_epochs_and_steps_without_limits(keras):
    _, observer = _observed_fit(keras, 4)
    assert observer.epoch_begin_count == 4
    assert observer.begin_count == 40


def test_fit_with_different_batch_size_same_loss(keras):
    x, y = np.random.default_rng(0).random((100, 4)), np.ones((100, 1))
    model = example_model(keras, 1)
    model.trainable = False
    model.compile(loss="mse")
    loss1 = model.fit(x, y, batch_size=80, verbose=0).history["loss"]
    loss2 = model.fit(x, y, batch_size=100, verbose=0).history["loss"]
    assert_close(loss1, loss2)


def test_evaluate_with_different_batch_size_same_loss(keras):
    x, y = np.random.default_rng(0).random((100, 4)), np.ones((100, 1))
    model = example_model(keras, 1)
    model.compile(loss="mse")
    assert_close(
        model.evaluate(x, y, batch_size=80, verbose=0),
        model.evaluate(x, y, batch_size=100, verbose=0),
    )


def test_training_arg(keras):
    class TrainingTesting(keras.Model):
        def call(self, x, training=False):
            return x if training else x * 0

    model = TrainingTesting()
    model.compile(optimizer="rmsprop", loss="mse")
    x, y = np.ones((128, 1)), np.zeros((128, 1))
    assert_close(model.fit(x, y, batch_size=32, verbose=0).history["loss"], [1.0])
    assert_close(model.evaluate(x, y, batch_size=32, verbose=0), 0.0)
    assert_close(model.predict(x, verbose=0), np.zeros((128, 1)))


def _generator(infinite):
    count = 0
    while infinite or count < 20:
        count += 1
        yield np.ones((5, 4), "float32"), np.zeros((5, 3), "float32")


@pytest.mark.parametrize(
    ("kind", "fit_kwargs"),
    [
        ("np_array", {"batch_size": 5}),
        ("generator", {}),
        ("generator_infinite", {"steps_per_epoch": 20}),
    ],
)
def test_fit_with_data_adapter(keras, kind, fit_kwargs):
    # Keras's PyDataset, tf.data, torch and grain inputs are out of scope
    model = example_model(keras, 3)
    model.compile(
        optimizer=keras.optimizers.Adagrad(),
        loss=keras.losses.MeanSquaredError(),
        metrics=[keras.metrics.MeanSquaredError()],
    )
    if kind == "np_array":
        x, y = np.ones((100, 4)), np.zeros((100, 3))
    else:
        x, y = _generator(kind == "generator_infinite"), None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # Keras: "ran out of data"
        history = model.fit(x, y, epochs=3, verbose=0, **fit_kwargs)
    assert np.isfinite(history.history["loss"][0])
