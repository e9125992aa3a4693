"""The seed course's MNIST-style classifier on scikit-learn's bundled digits.

Flatten -> Dense(128, relu) -> Dense(10, softmax), adam, sparse categorical
crossentropy, with EarlyStopping and a TensorBoard log directory.

    python examples/mnist_digits.py [LOGDIR]
"""

from __future__ import annotations

import sys
import tempfile

import numpy as np
from sklearn.datasets import load_digits

import pipeline as pl


def main(logdir: str | None = None) -> float:
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)
    labels = digits.target.astype(np.int64)
    order = np.random.default_rng(0).permutation(len(images))
    train, test = order[:1400], order[1400:]
    model = pl.nn.Sequential(
        [
            pl.nn.layers.Input((8, 8)),
            pl.nn.layers.Flatten(),
            pl.nn.layers.Dense(128, activation="relu"),
            pl.nn.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    logdir = logdir or tempfile.mkdtemp(prefix="digits-logs-")
    callbacks = [
        pl.nn.callbacks.EarlyStopping(
            monitor="val_loss", patience=3, restore_best_weights=True
        ),
        pl.nn.callbacks.TensorBoard(log_dir=logdir),
    ]
    model.fit(
        images[train],
        labels[train],
        epochs=30,
        batch_size=32,
        validation_split=0.1,
        callbacks=callbacks,
        verbose=0,
    )
    _, accuracy = model.evaluate(images[test], labels[test], verbose=0)
    print(f"test accuracy {accuracy:.3f}; TensorBoard logs in {logdir}")
    return float(accuracy)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
