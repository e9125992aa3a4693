"""Callbacks driven by hand, on a tiny fake model with the attributes they use."""

from __future__ import annotations

import csv
import io
import os
from contextlib import redirect_stdout

import numpy as np
import pytest

from pipeline.nn import callbacks, optimizers
from pipeline.nn.metrics import AUC


class FakeModel:
    """What callbacks need from a model: weights, saving, an optimizer, metrics."""

    def __init__(self, lr: float = 0.1) -> None:
        self.stop_training = False
        self.weights = [np.zeros(2, np.float32)]
        self.optimizer = optimizers.SGD(lr)
        self.metrics: list = []
        self.saved: list[tuple[str, str]] = []

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [np.array(w) for w in weights]

    def save(self, path):
        self.saved.append(("model", path))
        with open(path, "w") as f:
            f.write("model")

    def save_weights(self, path):
        self.saved.append(("weights", path))
        with open(path, "w") as f:
            f.write("weights")


def _fit(cbs, model, epoch_logs, batches=2, batch_logs=None, verbose=0):
    """Drive the hooks like a training loop; stop when a callback asks."""
    cl = callbacks.CallbackList(
        cbs,
        add_history=True,
        model=model,
        epochs=len(epoch_logs),
        steps=batches,
        verbose=verbose,
    )
    cl.on_train_begin()
    epoch = 0
    for epoch, logs in enumerate(epoch_logs):
        cl.on_epoch_begin(epoch)
        for b in range(batches):
            cl.on_train_batch_begin(b)
            cl.on_train_batch_end(b, dict(batch_logs or {"loss": float(b)}))
            if model.stop_training:
                break
        model.weights = [np.full(2, epoch, np.float32)]  # "training" changes weights
        logs = dict(logs)
        cl.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
    cl.on_train_end()
    return cl.callbacks[-1], epoch


def test_history_records_epoch_logs_and_sets_model_history():
    model = FakeModel()
    history, _ = _fit([], model, [{"loss": 3.0}, {"loss": 2.0, "val_loss": 2.5}])
    assert history.history == {"loss": [3.0, 2.0], "val_loss": [2.5]}
    assert history.epoch == [0, 1] and model.history is history


def test_callback_list_forwards_train_batch_hooks_to_the_legacy_aliases():
    seen = []

    class Legacy(callbacks.Callback):
        def on_batch_end(self, batch, logs=None):
            seen.append((batch, logs["loss"]))

    _fit([Legacy()], FakeModel(), [{"loss": 1.0}])
    assert seen == [(0, 0.0), (1, 1.0)]


def test_early_stopping_patience_and_restore_best_weights():
    model = FakeModel()
    es = callbacks.EarlyStopping(
        monitor="val_loss", patience=2, restore_best_weights=True
    )
    losses = [1.0, 0.5, 0.6, 0.7, 0.4]
    _, last = _fit([es], model, [{"val_loss": v} for v in losses])
    assert last == 3 and es.stopped_epoch == 3 and es.best == 0.5 and es.best_epoch == 1
    np.testing.assert_array_equal(model.weights[0], [1.0, 1.0])  # weights after epoch 1


def test_early_stopping_min_delta_mode_max_and_baseline():
    es = callbacks.EarlyStopping(monitor="acc", min_delta=0.1, patience=1, mode="max")
    _, last = _fit([es], FakeModel(), [{"acc": 0.5}, {"acc": 0.55}, {"acc": 0.9}])
    assert last == 1  # +0.05 is not an improvement of more than 0.1
    logs = [{"loss": v} for v in (1.0, 0.9, 0.95, 0.97)]
    _, last = _fit(
        [callbacks.EarlyStopping(monitor="loss", patience=2)], FakeModel(), logs
    )
    assert last == 3
    es = callbacks.EarlyStopping(monitor="loss", patience=2, baseline=0.1)
    _, last = _fit([es], FakeModel(), logs)
    assert last == 2  # improvements that miss the baseline do not reset the wait


def test_early_stopping_auto_mode_follows_the_metric_direction():
    model = FakeModel()
    model.metrics = [AUC(name="auc")]
    es = callbacks.EarlyStopping(monitor="val_auc", patience=1)
    _, last = _fit([es], model, [{"val_auc": v} for v in (0.6, 0.7, 0.65, 0.9)])
    assert last == 2 and es.best == 0.7
    with pytest.raises(ValueError, match="maximized or minimized"):
        _fit(
            [callbacks.EarlyStopping(monitor="weird")],
            FakeModel(),
            [{"weird": 1.0}, {"weird": 2.0}],
        )


def test_early_stopping_warns_when_the_monitor_is_missing():
    with pytest.warns(UserWarning, match="val_loss` which is not available"):
        _fit([callbacks.EarlyStopping()], FakeModel(), [{"loss": 1.0}])


def test_early_stopping_start_from_epoch():
    es = callbacks.EarlyStopping(monitor="loss", patience=0, start_from_epoch=2)
    _, last = _fit([es], FakeModel(), [{"loss": v} for v in (1.0, 2.0, 3.0, 4.0, 5.0)])
    assert last == 3


def test_model_checkpoint_every_epoch_with_formatted_names(tmp_path):
    model = FakeModel()
    path = str(tmp_path / "sub" / "m-{epoch:02d}-{loss:.1f}.keras")
    _fit([callbacks.ModelCheckpoint(path)], model, [{"loss": 1.0}, {"loss": 0.5}])
    assert [p for _, p in model.saved] == [
        str(tmp_path / "sub" / "m-01-1.0.keras"),
        str(tmp_path / "sub" / "m-02-0.5.keras"),
    ]
    assert all(kind == "model" for kind, _ in model.saved)


def test_model_checkpoint_save_best_only_weights(tmp_path):
    model = FakeModel()
    cb = callbacks.ModelCheckpoint(
        str(tmp_path / "best.weights.h5"),
        monitor="val_loss",
        save_best_only=True,
        save_weights_only=True,
    )
    _fit([cb], model, [{"val_loss": v} for v in (1.0, 1.2, 0.8, 0.9)])
    assert [k for k, _ in model.saved] == ["weights", "weights"] and cb.best == 0.8


def test_model_checkpoint_batch_frequency(tmp_path):
    model = FakeModel()
    cb = callbacks.ModelCheckpoint(str(tmp_path / "m{epoch}.keras"), save_freq=3)
    _fit([cb], model, [{"loss": 1.0}] * 3, batches=2)
    assert [os.path.basename(p) for _, p in model.saved] == ["m2.keras", "m3.keras"]


def test_csv_logger_writes_and_appends(tmp_path):
    path = tmp_path / "log.csv"
    _fit([callbacks.CSVLogger(path)], FakeModel(), [{"loss": 0.5, "acc": 0.25}])
    _fit(
        [callbacks.CSVLogger(path, append=True)],
        FakeModel(),
        [{"loss": 0.125, "acc": 1.0}],
    )
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [  # Keras adds val_ columns when the first epoch has none
        ["epoch", "acc", "loss", "val_acc", "val_loss"],
        ["0", "0.25", "0.5", "NA", "NA"],
        ["0", "1.0", "0.125", "NA", "NA"],
    ]


def test_terminate_on_nan_stops_at_the_bad_batch():
    model = FakeModel()
    out = io.StringIO()
    with redirect_stdout(out):
        _fit(
            [callbacks.TerminateOnNaN()],
            model,
            [{"loss": 1.0}] * 3,
            batch_logs={"loss": float("inf")},
        )
    assert model.stop_training and "Batch 0: Invalid loss" in out.getvalue()
    with pytest.raises(RuntimeError, match="NaN or Inf"):
        _fit(
            [callbacks.TerminateOnNaN(raise_error=True)],
            FakeModel(),
            [{}],
            batch_logs={"loss": float("nan")},
        )


def test_learning_rate_scheduler_sets_rate_and_logs_it():
    model = FakeModel(lr=1.0)
    history, _ = _fit(
        [callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5)],
        model,
        [{"loss": 1.0}] * 3,
    )
    assert history.history["learning_rate"] == [0.5, 0.25, 0.125]
    model = FakeModel()
    _fit(
        [callbacks.LearningRateScheduler(lambda epoch: 0.01 * (epoch + 1))],
        model,
        [{}] * 2,
    )
    assert float(model.optimizer.learning_rate) == pytest.approx(0.02)
    with pytest.raises(ValueError, match="should be a float"):
        _fit([callbacks.LearningRateScheduler(lambda epoch: "x")], FakeModel(), [{}])


def test_reduce_lr_on_plateau_with_cooldown_and_floor():
    model = FakeModel(lr=1.0)
    cb = callbacks.ReduceLROnPlateau(
        monitor="loss", factor=0.5, patience=1, cooldown=1, min_lr=0.2
    )
    losses = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    history, _ = _fit([cb], model, [{"loss": v} for v in losses])
    # The rate logged at each epoch end is the one used during that epoch. Keras
    # counts the cooldown down before testing, so cooldown=1 does not delay the
    # next reduction; the floor min_lr stops further ones.
    want = [1.0, 1.0, 0.5, 0.25, 0.2, 0.2, 0.2]
    assert history.history["learning_rate"] == pytest.approx(want)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.2)


def test_progbar_prints_epochs_and_metrics():
    out = io.StringIO()
    bar = callbacks.ProgbarLogger()
    with redirect_stdout(out):
        _fit([bar], FakeModel(), [{"loss": 0.5}, {"loss": 0.25}], batches=2, verbose=1)
    text = out.getvalue()
    assert "Epoch 1/2" in text and "Epoch 2/2" in text and "2/2 [" in text
    assert "loss: 0.2500" in text
