"""Issue 14's training-loop items, checked against Keras 3 as well: dict labels
follow the model's output names, a model without trainable weights fits, fit's
validation pass calls the ``on_test_*`` hooks, and every hook gets a dict."""

from __future__ import annotations

import numpy as np

from tests.conformance_keras import assert_close


def _two_outputs(keras):
    inputs = keras.Input((4,), name="x")
    # "b_head" comes first in output_names but sorts after "a_head"
    b = keras.layers.Dense(3, activation="softmax", name="b_head")(inputs)
    a = keras.layers.Dense(1, name="a_head")(inputs)
    return keras.Model(inputs, [b, a])


def test_dict_labels_follow_output_names(keras):
    model = _two_outputs(keras)
    model.compile(
        optimizer="sgd",
        loss={"b_head": "sparse_categorical_crossentropy", "a_head": "mse"},
    )
    x = np.ones((6, 4), "float32")
    # 7.0 is out of range as a class id: paired with the wrong loss it fails
    y = {
        "a_head": np.full((6, 1), 7.0, "float32"),
        "b_head": np.array([0, 1, 2, 0, 1, 2]),
    }
    history = model.fit(x, y, epochs=1, batch_size=6, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    b_pred, a_pred = model.predict(x, verbose=0)
    scce = -np.mean(np.log(b_pred[np.arange(6), y["b_head"]]))
    mse = np.mean((a_pred - 7.0) ** 2)
    assert_close(logs["loss"], scce + mse, rtol=1e-4, atol=1e-4)


def test_model_without_trainable_weights_fits(keras):
    model = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(1, kernel_initializer="ones")]
    )
    model.trainable = False
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((4, 2), "float32"), np.zeros((4, 1), "float32")
    history = model.fit(x, y, epochs=2, batch_size=2, verbose=0)
    assert_close(history.history["loss"], [4.0, 4.0])


def test_fit_validation_calls_the_test_hooks(keras):
    calls = []

    class Record(keras.callbacks.Callback):
        def on_test_begin(self, logs=None):
            calls.append(("test_begin", logs))

        def on_test_batch_begin(self, batch, logs=None):
            calls.append(("batch_begin", logs))

        def on_test_batch_end(self, batch, logs=None):
            calls.append(("batch_end", sorted(logs)))

        def on_test_end(self, logs=None):
            calls.append(("test_end", sorted(logs)))

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((4, 2), "float32"), np.zeros((4, 1), "float32")
    model.fit(
        x,
        y,
        validation_data=(x, y),
        batch_size=2,
        epochs=2,
        callbacks=[Record()],
        verbose=0,
    )
    one_pass = [
        ("test_begin", {}),
        ("batch_begin", {}),
        ("batch_end", ["loss"]),
        ("batch_begin", {}),
        ("batch_end", ["loss"]),
        ("test_end", ["loss"]),
    ]
    assert calls == one_pass * 2


def test_epoch_and_predict_hooks_get_dicts(keras):
    got = []

    class Record(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            got.append(logs)

        def on_predict_begin(self, logs=None):
            got.append(logs)

        def on_predict_end(self, logs=None):
            got.append(logs)

        def on_test_batch_begin(self, batch, logs=None):
            got.append(logs)

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.ones((2, 2), "float32"), np.zeros((2, 1), "float32")
    model.fit(x, y, epochs=1, callbacks=[Record()], verbose=0)
    model.evaluate(x, y, callbacks=[Record()], verbose=0)
    model.predict(x, callbacks=[Record()], verbose=0)
    assert got == [{}, {}, {}, {}]
