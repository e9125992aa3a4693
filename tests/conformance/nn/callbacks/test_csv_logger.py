"""Keras 3's csv_logger_test cases, ported."""

from __future__ import annotations

import csv
import re

import numpy as np
import pytest


def _data(rng, out_dim):
    return (
        rng.random((10, 3)),
        rng.random((10, out_dim)),
        rng.random((10, 3)),
        rng.random((10, out_dim)),
    )


def _model(keras):
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(2, activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    model.compile(loss="mse", optimizer="sgd", metrics=["mse"])
    return model


def test_csv_logger(keras, tmp_path):
    path = str(tmp_path / "log.tsv")
    sep = "\t"
    x, y, xv, yv = _data(np.random.default_rng(1337), 1)
    fit = {"batch_size": 4, "validation_data": (xv, yv), "verbose": 0}
    _model(keras).fit(
        x,
        y,
        callbacks=[keras.callbacks.CSVLogger(path, separator=sep)],
        epochs=1,
        **fit,
    )
    with open(path) as f:
        assert csv.Sniffer().sniff(f.read()).delimiter == sep
    # append to the existing file (no second header), then reuse the logger
    model = _model(keras)
    cbks = [keras.callbacks.CSVLogger(path, separator=sep, append=True)]
    model.fit(x, y, callbacks=cbks, epochs=1, **fit)
    model.fit(x, y, callbacks=cbks, epochs=2, **fit)
    with open(path) as f:
        lines = f.readlines()
    assert all(line.count(sep) == 4 for line in lines)
    assert len(lines) == 5
    assert len(re.findall("epoch", " ".join(lines))) == 1


def test_csv_logger_validation_freq(keras, tmp_path):
    path = str(tmp_path / "log.tsv")
    x, y, xv, yv = _data(np.random.default_rng(1337), 1)
    hist = _model(keras).fit(
        x,
        y,
        batch_size=4,
        validation_data=(xv, yv),
        validation_freq=3,
        callbacks=[keras.callbacks.CSVLogger(path, separator="\t")],
        epochs=5,
        verbose=0,
    )
    with open(path) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert len(rows) == 5
    for idx, row in enumerate(rows, 1):
        assert "val_loss" in row
        if idx == 3:
            assert row["val_loss"] == str(hist.history["val_loss"][0])
        else:
            assert row["val_loss"] == "NA"


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy reports the overflow
def test_stop_training_csv(keras, tmp_path):
    path = str(tmp_path / "csv_logger.csv")
    rng = np.random.default_rng(1337)
    x, xv = rng.random((10, 3)), rng.random((10, 3))
    eye = np.eye(2, dtype="float32")
    y, yv = eye[rng.integers(0, 2, 10)], eye[rng.integers(0, 2, 10)]
    model = keras.Sequential([keras.Input((3,))])
    for _ in range(5):
        model.add(
            keras.layers.Dense(
                2,
                activation="relu",
                kernel_initializer=keras.initializers.Constant(value=1e5),
            )
        )
    model.add(keras.layers.Dense(2))
    model.compile(loss="mean_squared_error", optimizer="sgd")
    history = model.fit(
        x,
        y,
        batch_size=4,
        validation_data=(xv, yv),
        callbacks=[keras.callbacks.TerminateOnNaN(), keras.callbacks.CSVLogger(path)],
        epochs=20,
        verbose=0,
    )
    loss = history.history["loss"]
    assert len(loss) == 1 and (np.isnan(loss[0]) or np.isinf(loss[0]))
    with open(path) as f:
        values = [row for row in csv.reader(f) if row]
    assert "nan" in values[-1]
