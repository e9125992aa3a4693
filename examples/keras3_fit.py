"""Keras 3 `Model.fit` on a `pl.data` pipeline, with validation and predict.

``to_keras()`` hands a dataset of ``(features, label)`` batches to Keras on
any backend. Keras reads ``KERAS_BACKEND`` when first imported (default
here: jax; torch works the same).

    KERAS_BACKEND=torch .venv/bin/python examples/keras3_fit.py
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402  (KERAS_BACKEND must be set before keras is imported)
import numpy as np  # noqa: E402

import pipeline as pl  # noqa: E402


def main() -> dict:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2048, 4)).astype(np.float32)
    y = (x @ np.array([1.0, -2.0, 0.5, 3.0], np.float32) > 0).astype(np.float32)
    data = pl.data.Dataset.from_tensor_slices((x, y))
    train = data.take(1792).shuffle(1792, seed=0).batch(64)
    val = data.skip(1792).batch(64)

    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(16, "relu"), keras.layers.Dense(1)]
    )
    model.compile(
        keras.optimizers.Adam(0.01),
        keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)],
    )
    history = model.fit(
        train.to_keras(), epochs=5, validation_data=val.to_keras(), verbose=0
    )
    probs = model.predict(val.map(lambda f, t: f).to_keras(), verbose=0)
    accuracy = history.history["val_binary_accuracy"][-1]
    print(f"backend {keras.backend.backend()}: validation accuracy {accuracy:.3f}")
    return {
        "backend": keras.backend.backend(),
        "loss": history.history["loss"],
        "val_accuracy": accuracy,
        "predictions": probs.shape,
    }


if __name__ == "__main__":
    main()
