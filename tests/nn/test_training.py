"""fit/evaluate/predict against the TF 2.21 golden training traces."""

from __future__ import annotations

import numpy as np
import pytest
from support import fixture_path, load_fixture_json

from pipeline import nn
from pipeline.nn import callbacks, layers, optimizers

TRACE = {"rtol": 1e-4, "atol": 1e-5}


@pytest.fixture(scope="module")
def golden():
    return np.load(fixture_path("nn", "training.npz"))


def _runs():
    return load_fixture_json("nn", "training.json")["runs"]


class StepRecorder(callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.batch_logs, self.steps = [], []

    def on_train_batch_end(self, batch, logs=None):
        self.batch_logs.append(dict(logs))
        self.steps.append(self.model.get_weights())


def _model(run, golden):
    units = 1 if run["task"] == "regression" else 3
    last = layers.Dense(units, activation=None if units == 1 else "softmax")
    model = nn.Sequential(
        [layers.Input((3,)), layers.Dense(4, activation="relu"), last]
    )
    model.set_weights([golden[f"init.{run['task']}.{i}"] for i in range(4)])
    name, kwargs = run["optimizer"]
    model.compile(
        optimizer=getattr(optimizers, name)(**kwargs),
        loss=run["loss"],
        metrics=run["metrics"] or None,
    )
    return model


def _labels(run, golden):
    return golden["y_regression" if run["task"] == "regression" else "y_classification"]


@pytest.mark.parametrize("run", _runs(), ids=lambda r: r["name"])
def test_fit_matches_golden_trace(golden, run):
    model = _model(run, golden)
    recorder = StepRecorder()
    x, y = golden["X"], _labels(run, golden)
    history = model.fit(x, y, epochs=run["epochs"], batch_size=run["batch_size"],
                        shuffle=False, verbose=0, callbacks=[recorder])  # fmt: skip
    assert sorted(history.history) == sorted(run["history"])
    for key, values in run["history"].items():
        np.testing.assert_allclose(history.history[key], values, **TRACE, err_msg=key)
    assert len(recorder.batch_logs) == len(run["batch_logs"])
    for got, want in zip(recorder.batch_logs, run["batch_logs"], strict=True):
        for key, value in want.items():
            np.testing.assert_allclose(got[key], value, **TRACE, err_msg=key)
    for i in range(4):
        steps = np.stack([w[i] for w in recorder.steps])
        np.testing.assert_allclose(steps, golden[f"{run['name']}.steps.{i}"], **TRACE)
        np.testing.assert_allclose(
            model.get_weights()[i], golden[f"{run['name']}.final.{i}"], **TRACE
        )
    evaluated = model.evaluate(x, y, batch_size=run["batch_size"], verbose=0,
                               return_dict=True)  # fmt: skip
    for key, value in run["evaluate_after"].items():
        np.testing.assert_allclose(evaluated[key], value, **TRACE, err_msg=key)
    predicted = model.predict(x, batch_size=run["batch_size"], verbose=0)
    np.testing.assert_allclose(
        predicted, golden[f"{run['name']}.predict_after"], **TRACE
    )


def test_fit_from_iterable_equals_fit_from_arrays(golden):
    run = next(r for r in _runs() if r["name"] == "classifier_adam")
    x, y = golden["X"], _labels(run, golden)
    a, b = _model(run, golden), _model(run, golden)
    a.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    batches = [(x[i : i + 8], y[i : i + 8]) for i in range(0, len(x), 8)]
    b.fit(batches, epochs=2, verbose=0)
    for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_array_equal(wa, wb)


def test_evaluate_forms_and_on_batch(golden):
    run = next(r for r in _runs() if r["name"] == "classifier_sgd")
    model = _model(run, golden)
    x, y = golden["X"], _labels(run, golden)
    loss, acc = model.evaluate(x, y, verbose=0)
    assert isinstance(loss, float) and 0 <= acc <= 1
    before = model.test_on_batch(x[:8], y[:8], return_dict=True)
    model.train_on_batch(x[:8], y[:8])
    after = model.test_on_batch(x[:8], y[:8], return_dict=True)
    assert after["loss"] < before["loss"]


def test_fit_requires_compile():
    model = nn.Sequential([layers.Input((2,)), layers.Dense(1)])
    with pytest.raises(ValueError, match="compile"):
        model.fit(np.zeros((4, 2)), np.zeros((4, 1)), verbose=0)


def test_validation_split_and_data_logged():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(40, 2)).astype(np.float32), rng.normal(size=(40, 1))
    model = nn.Sequential([layers.Input((2,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    h = model.fit(x, y, epochs=2, validation_split=0.25, verbose=0)
    assert sorted(h.history) == ["loss", "mae", "val_loss", "val_mae"]
    h = model.fit(x, y, epochs=1, validation_data=(x[:5], y[:5]), verbose=0)
    assert "val_loss" in h.history
