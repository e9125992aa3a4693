"""Acceptance: the seed MNIST-style classifier on digits, and wide-and-deep."""

from __future__ import annotations

import numpy as np
from sklearn import datasets

from pipeline import nn
from pipeline.nn import layers


def test_seed_classifier_reaches_95_percent_on_digits():
    digits = datasets.load_digits()
    images = (digits.images / 16.0).astype(np.float32)
    labels = digits.target.astype(np.int64)
    order = np.random.default_rng(0).permutation(len(images))
    images, labels = images[order], labels[order]
    split = int(0.8 * len(images))
    model = nn.Sequential([
        layers.Input((8, 8)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])  # fmt: skip
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    model.fit(images[:split], labels[:split], epochs=30, batch_size=32, verbose=0)
    _, accuracy = model.evaluate(images[split:], labels[split:], verbose=0)
    assert accuracy > 0.95


def _interaction_task(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(n, 4)).astype(np.float32)
    y = (x[:, :1] * x[:, 1:2] * 3.0 + 0.5 * x[:, 2:3]).astype(np.float32)
    return x, y


def test_wide_and_deep_beats_its_linear_part():
    x, y = _interaction_task(2000, 0)
    x_test, y_test = _interaction_task(500, 1)
    inputs = layers.Input((4,))
    wide = layers.Dense(1, name="wide")(inputs)
    deep = layers.Dense(32, activation="relu")(inputs)
    deep = layers.Dense(32, activation="relu")(deep)
    deep = layers.Dense(1, name="deep")(deep)
    wide_and_deep = nn.Model(inputs, layers.Add()([wide, deep]))
    linear_in = layers.Input((4,))
    linear = nn.Model(linear_in, layers.Dense(1)(linear_in))
    scores = []
    for model in (linear, wide_and_deep):
        model.compile(optimizer=nn.optimizers.Adam(0.01), loss="mse")
        model.fit(x, y, epochs=30, batch_size=64, verbose=0)
        scores.append(model.evaluate(x_test, y_test, verbose=0))
    assert scores[1] < 0.5 * scores[0]
