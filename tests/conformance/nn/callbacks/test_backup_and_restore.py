"""Keras 3's backup_and_restore_test cases (and terminate_on_nan_test's backup
case), ported."""

from __future__ import annotations

import os

import numpy as np
import pytest

from tests.conformance_keras import to_array


def _interrupting(keras, steps_int, epoch_int):
    class Interrupting(keras.callbacks.Callback):
        def __init__(self):
            self.batch_count = 0
            self.epoch_count = 0

        def on_epoch_end(self, epoch, logs=None):
            self.epoch_count += 1
            if epoch_int is not None and self.epoch_count == epoch_int:
                raise RuntimeError("EpochInterruption")

        def on_batch_end(self, batch, logs=None):
            self.batch_count += 1
            if steps_int is not None and self.batch_count == steps_int:
                raise RuntimeError("StepsInterruption")

    return Interrupting()


def _make_model(keras):
    class CanaryLayer(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.counter = self.add_weight(
                shape=(), initializer="zeros", dtype="float32", trainable=False
            )

        def call(self, x):
            self.counter.assign_add(1)
            return x

    model = keras.Sequential([keras.Input((3,)), CanaryLayer(), keras.layers.Dense(1)])
    model.compile(loss="mse", optimizer="sgd", metrics=["mse"])
    return model


def _counter(model) -> int:
    return int(to_array(model.layers[0].counter))


def _data():
    rng = np.random.default_rng(0)
    return rng.random((10, 3)), rng.random((10, 1))


def test_save_freq_unknown_error(keras):
    with pytest.raises(ValueError, match="Invalid value"):
        keras.callbacks.BackupAndRestore(backup_dir="backup_dir", save_freq="batch")
    with pytest.raises(ValueError, match="Invalid value"):
        keras.callbacks.BackupAndRestore(backup_dir="backup_dir", save_freq=0.15)


def test_best_case_step(keras, tmp_path):
    backup_dir = str(tmp_path / "subdir")
    model = _make_model(keras)
    cbk = keras.callbacks.BackupAndRestore(backup_dir, save_freq=1)
    x, y = _data()
    with pytest.raises(RuntimeError):
        model.fit(
            x,
            y,
            batch_size=4,
            callbacks=[cbk, _interrupting(keras, 2, None)],
            epochs=2,
            verbose=0,
        )
    assert os.path.exists(backup_dir)
    assert cbk._current_epoch == 0 and cbk._last_batch_seen == 1
    assert _counter(model) == 2
    hist = model.fit(x, y, batch_size=4, callbacks=[cbk], epochs=5, verbose=0)
    assert cbk._current_epoch == 5 and hist.epoch[-1] == 4
    assert _counter(model) == 17


def test_best_case_epoch(keras, tmp_path):
    backup_dir = str(tmp_path / "subdir")
    model = _make_model(keras)
    assert _counter(model) == 0
    cbk = keras.callbacks.BackupAndRestore(backup_dir=backup_dir, save_freq="epoch")
    x, y = _data()
    with pytest.raises(RuntimeError):
        model.fit(
            x,
            y,
            batch_size=4,
            callbacks=[cbk, _interrupting(keras, None, 2)],
            epochs=6,
            verbose=0,
        )
    assert cbk._current_epoch == 2 and os.path.exists(backup_dir)
    assert _counter(model) == 6
    hist = model.fit(x, y, batch_size=4, callbacks=[cbk], epochs=5, verbose=0)
    assert cbk._current_epoch == 5 and hist.epoch[-1] == 4
    assert _counter(model) == 5 * 3


def test_backup_corrupted(keras, tmp_path):
    backup_dir = str(tmp_path / "subdir")
    model = _make_model(keras)
    cbk = keras.callbacks.BackupAndRestore(
        backup_dir=backup_dir, save_freq="epoch", double_checkpoint=True
    )
    x, y = _data()
    with pytest.raises(RuntimeError):
        model.fit(
            x,
            y,
            batch_size=4,
            callbacks=[cbk, _interrupting(keras, None, 2)],
            epochs=6,
            verbose=0,
        )
    assert cbk._current_epoch == 2
    for path in (
        cbk._weights_path,
        cbk._training_metadata_path,
        cbk._prev_weights_path,
        cbk._prev_training_metadata_path,
    ):
        assert os.path.exists(path)
    assert _counter(model) == 6
    with open(cbk._weights_path, "w") as f:
        f.write("0")
    hist = model.fit(x, y, batch_size=4, callbacks=[cbk], epochs=5, verbose=0)
    assert cbk._current_epoch == 5 and hist.epoch[-1] == 4
    assert _counter(model) == 5 * 3


def test_model_deleted_case_epoch(keras, tmp_path):
    backup_dir = str(tmp_path / "subdir")
    x, y = _data()
    cbk = keras.callbacks.BackupAndRestore(backup_dir, save_freq="epoch")
    _make_model(keras).fit(x, y, batch_size=4, callbacks=[cbk], epochs=2, verbose=0)
    assert not os.path.exists(backup_dir)


@pytest.mark.parametrize("backup_dir", ["", None])
def test_backup_dir_empty_error(keras, backup_dir):
    with pytest.raises(ValueError, match="Empty `backup_dir` argument passed"):
        keras.callbacks.BackupAndRestore(backup_dir=backup_dir, save_freq="epoch")


def test_raise_error_terminate_preserves_backup(keras, tmp_path):
    backup_dir = tmp_path / "backups"
    backup_dir.mkdir()
    fake_file = backup_dir / "checkpoint.txt"
    fake_file.write_text("dummy checkpoint")
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    backup = keras.callbacks.BackupAndRestore(backup_dir=str(backup_dir))
    backup.on_train_end = lambda logs=None: None
    with pytest.raises(RuntimeError):
        model.fit(
            np.array([[1.0]]),
            np.array([[np.inf]]),
            epochs=1,
            callbacks=[backup, keras.callbacks.TerminateOnNaN(raise_error=True)],
            verbose=0,
        )
    assert backup_dir.exists() and fake_file.exists()
