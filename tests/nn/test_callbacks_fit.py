"""Callbacks inside a real ``fit`` of a small Sequential model."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from tensorboard.backend.event_processing import event_accumulator as ea

from pipeline import nn
from pipeline.nn import callbacks, layers


def _data():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 3)).astype(np.float32)
    y = (x @ np.array([1.0, -2.0, 0.5], np.float32))[:, None]
    return x, y


def _model(lr=0.05):
    model = nn.Sequential(
        [layers.Input((3,)), layers.Dense(8, activation="relu"), layers.Dense(1)]
    )
    model.compile(optimizer=nn.optimizers.SGD(lr), loss="mse", metrics=["mae"])
    return model


class WeightsPerEpoch(callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        self.weights.append(self.model.get_weights())


def test_early_stopping_restores_the_best_epochs_weights():
    x, y = _data()
    model = _model()
    spy = WeightsPerEpoch()
    # "max" on a falling loss makes epoch 0 the best: stop after patience epochs
    es = callbacks.EarlyStopping(
        monitor="loss", mode="max", patience=2, restore_best_weights=True
    )
    history = model.fit(x, y, epochs=10, batch_size=16, verbose=0, callbacks=[spy, es])
    assert len(history.history["loss"]) == 3 and es.stopped_epoch == 2
    assert history.history["loss"][2] < history.history["loss"][0]
    for got, want in zip(model.get_weights(), spy.weights[0]):
        np.testing.assert_array_equal(got, want)


def test_early_stopping_on_validation_loss_keeps_training_while_improving():
    x, y = _data()
    model = _model()
    es = callbacks.EarlyStopping(monitor="val_loss", patience=1)
    history = model.fit(
        x, y, epochs=4, batch_size=16, validation_data=(x, y), verbose=0, callbacks=[es]
    )
    assert len(history.history["val_loss"]) == 4 and es.stopped_epoch == 0


def test_model_checkpoint_best_only_reloads(tmp_path):
    x, y = _data()
    model = _model()
    path = tmp_path / "best.keras"
    cb = callbacks.ModelCheckpoint(str(path), monitor="loss", save_best_only=True)
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0, callbacks=[cb])
    assert cb.best == pytest.approx(min(history.history["loss"]))
    again = nn.load_model(str(path))
    np.testing.assert_allclose(
        again.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6
    )


def test_csv_logger_rows_match_history(tmp_path):
    x, y = _data()
    path = tmp_path / "train.csv"
    history = _model().fit(
        x, y, epochs=3, batch_size=16, verbose=0, callbacks=[callbacks.CSVLogger(path)]
    )
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["epoch"]) for r in rows] == [0, 1, 2]
    np.testing.assert_allclose(
        [float(r["loss"]) for r in rows], history.history["loss"], rtol=1e-7
    )


def test_learning_rate_scheduler_drives_the_optimizer():
    x, y = _data()
    model = _model(lr=0.1)
    cb = callbacks.LearningRateScheduler(lambda epoch, lr: 0.1 / (epoch + 1))
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0, callbacks=[cb])
    np.testing.assert_allclose(
        history.history["learning_rate"], [0.1, 0.05, 0.1 / 3], rtol=1e-6
    )


def test_tensorboard_on_fit(tmp_path):
    x, y = _data()
    tb = callbacks.TensorBoard(log_dir=tmp_path, histogram_freq=1, activation_sample=x)
    _model().fit(
        x, y, epochs=2, batch_size=16, validation_data=(x, y), verbose=0, callbacks=[tb]
    )
    acc = ea.EventAccumulator(str(tmp_path / "train"))
    acc.Reload()
    scalars = acc.Tags()["scalars"]
    assert {"epoch_loss", "epoch_mae", "epoch_learning_rate"} <= set(scalars)
    relu = [t for t in scalars if t.startswith("relu_zero_fraction/")]
    assert len(relu) == 1
    assert all(0.0 <= e.value <= 1.0 for e in acc.Scalars(relu[0]))
    assert any(t.endswith("kernel/histogram") for t in acc.Tags()["histograms"])
    val = ea.EventAccumulator(str(tmp_path / "validation"))
    val.Reload()
    assert len(val.Scalars("epoch_loss")) == 2
