"""Keras 3's callback_test case, ported."""

from __future__ import annotations

import numpy as np


def test_model_state_is_current_on_epoch_end(keras):
    class CountingModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.iterations = self.add_weight(
                shape=(), initializer="zeros", trainable=False
            )

        def call(self, inputs):
            self.iterations.assign(self.iterations + 1)
            return inputs

    seen = []

    class Check(keras.callbacks.Callback):
        def on_batch_end(self, batch, logs):
            seen.append((int(np.asarray(self.model.iterations)), batch + 1))

    model = CountingModel()
    model.compile(optimizer="sgd", loss="mse")
    rng = np.random.default_rng(0)
    model.fit(
        rng.random((8, 1)),
        rng.random((8, 1)),
        callbacks=[Check()],
        batch_size=2,
        verbose=0,
    )
    assert seen and all(count == expected for count, expected in seen)
