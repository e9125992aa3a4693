"""Sequential and functional models: topologies, configs, summary, multi-output fit."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import data, nn
from pipeline.nn import callbacks, layers

RNG = np.random.default_rng(0)


def _x(n=6, d=3):
    return RNG.normal(size=(n, d)).astype(np.float32)


def test_sequential_input_shape_forms_and_weights_order():
    a = nn.Sequential([layers.Input((3,)), layers.Dense(4), layers.Dense(1)])
    b = nn.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(1)])
    c = nn.Sequential([layers.Dense(4), layers.Dense(1)])
    assert a.built and b.built and not c.built
    c(_x())
    for m in (a, b, c):
        assert [w.shape for w in m.get_weights()] == [(3, 4), (4,), (4, 1), (1,)]
        assert m.output_shape == (None, 1)


def test_residual_shared_and_multi_output_functional():
    x = layers.Input((3,), name="x")
    shared = layers.Dense(3, name="shared")
    h = layers.Add()([x, shared(x)])
    h2 = shared(h)
    out_a = layers.Dense(1, name="a")(h2)
    out_b = layers.Dense(2, activation="softmax", name="b")(h)
    model = nn.Model(x, [out_a, out_b])
    assert len(shared._inbound_nodes) == 2
    ya, yb = model.predict(_x(), verbose=0)
    assert ya.shape == (6, 1) and yb.shape == (6, 2)
    w = model.get_layer("shared").get_weights()
    xs = _x()
    kernel, bias = w
    h = xs + xs @ kernel + bias
    h2 = h @ kernel + bias
    ka, ba = model.get_layer("a").get_weights()
    np.testing.assert_allclose(
        model.predict(xs, verbose=0)[0], h2 @ ka + ba, rtol=1e-5, atol=1e-6
    )


def test_dict_inputs_and_model_as_layer():
    a, b = layers.Input((2,), name="a"), layers.Input((1,), name="b")
    inner_in = layers.Input((3,))
    inner = nn.Model(inner_in, layers.Dense(1)(inner_in), name="inner")
    out = inner(layers.Concatenate()([a, b]))
    model = nn.Model({"a": a, "b": b}, out)
    feed = {"a": np.ones((4, 2), np.float32), "b": np.zeros((4, 1), np.float32)}
    assert model.predict(feed, verbose=0).shape == (4, 1)
    assert len(model.trainable_weights) == 2


def test_disconnected_graph_is_rejected():
    a, b = layers.Input((2,)), layers.Input((2,))
    out = layers.Add()([a, b])
    with pytest.raises(ValueError, match="is not connected to `inputs`"):
        nn.Model(a, out)


def test_config_round_trip_functional_and_sequential():
    x = layers.Input((3,), name="in")
    shared = layers.Dense(3, name="s")
    y = layers.Dense(1, name="o")(layers.Add()([shared(x), shared(shared(x))]))
    model = nn.Model(x, y, name="m")
    clone = nn.Model.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    xs = _x()
    np.testing.assert_allclose(
        clone.predict(xs, verbose=0), model.predict(xs, verbose=0), rtol=1e-6
    )
    seq = nn.Sequential(
        [layers.Input((3,)), layers.Dense(2, activation="tanh"), layers.Dropout(0.2)]
    )
    seq_clone = nn.Sequential.from_config(seq.get_config())
    assert [type(layer).__name__ for layer in seq_clone.layers] == ["Dense", "Dropout"]
    assert seq_clone.layers[0].get_config()["activation"] == "tanh"


def test_summary_lists_layers_and_counts(capsys):
    model = nn.Sequential(
        [
            layers.Input((4,)),
            layers.Dense(3, name="hidden"),
            layers.BatchNormalization(name="bn"),
        ]
    )
    model.summary()
    out = capsys.readouterr().out
    assert "hidden (Dense)" in out and "(None, 3)" in out
    assert "Total params: 27" in out
    assert "Trainable params: 21" in out and "Non-trainable params: 6" in out


def test_multi_output_fit_with_loss_weights_logs_per_output():
    x = layers.Input((3,))
    h = layers.Dense(4, activation="relu")(x)
    model = nn.Model(
        x,
        [
            layers.Dense(1, name="reg")(h),
            layers.Dense(2, activation="softmax", name="cls")(h),
        ],
    )
    model.compile(
        optimizer="adam",
        loss=["mse", "sparse_categorical_crossentropy"],
        loss_weights=[1.0, 0.5],
        metrics=[[], ["accuracy"]],
    )
    xs = _x(16)
    ys = [RNG.normal(size=(16, 1)), RNG.integers(0, 2, 16)]
    hist = model.fit(xs, ys, epochs=2, batch_size=8, verbose=0)
    # Keras 3 logs each output's loss too (checked against keras 3.15)
    assert sorted(hist.history) == ["cls_accuracy", "cls_loss", "loss", "reg_loss"]
    evaluated = model.evaluate(xs, ys, verbose=0, return_dict=True)
    assert set(evaluated) == {"loss", "cls_accuracy", "cls_loss", "reg_loss"}


def test_sample_weight_zero_rows_do_not_train():
    model = nn.Sequential(
        [layers.Input((2,)), layers.Dense(1, kernel_initializer="zeros")]
    )
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((4, 2), np.float32)
    model.fit(x, np.ones((4, 1)), sample_weight=np.zeros(4), epochs=1, verbose=0)
    assert not np.any(model.get_weights()[0])


def test_class_weight_scales_the_loss():
    x, y = np.ones((4, 2), np.float32), np.array([0, 0, 1, 1])
    model = nn.Sequential([layers.Input((2,)), layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    plain = model.evaluate(x, y, verbose=0)
    loss = model.train_on_batch(x, y, class_weight={0: 0.0, 1: 0.0})
    assert loss == 0.0 and plain > 0


def test_fit_accepts_a_pipeline_dataset_or_generator():
    x, y = _x(12), RNG.normal(size=(12, 1)).astype(np.float32)
    model = nn.Sequential([layers.Input((3,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")

    def gen():
        for i in range(0, 12, 4):
            yield x[i : i + 4], y[i : i + 4]

    hist = model.fit(gen(), epochs=1, verbose=0)
    assert len(hist.history["loss"]) == 1
    ds = data.Dataset.from_tensor_slices((x, y)).batch(4)
    hist = model.fit(ds, epochs=2, verbose=0)
    assert len(hist.history["loss"]) == 2
    assert model.predict(ds.map(lambda a, b: a), verbose=0).shape == (12, 1)


def test_verbose_fit_prints_a_progress_bar(capsys):
    model = nn.Sequential([layers.Input((3,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(_x(8), np.zeros((8, 1)), epochs=1, batch_size=4, verbose=1)
    out = capsys.readouterr().out
    assert "2/2" in out and "loss" in out


def test_subclassed_model_trains():
    class TwoLayer(nn.Model):
        def __init__(self):
            super().__init__(name="two")
            self.hidden = layers.Dense(4, activation="relu")
            self.out = layers.Dense(1)

        def call(self, inputs, training=None):
            return self.out(self.hidden(inputs))

    model = TwoLayer()
    model.compile(optimizer="adam", loss="mse")
    hist = model.fit(_x(16), np.ones((16, 1)), epochs=3, batch_size=4, verbose=0)
    assert len(model.trainable_weights) == 4
    assert hist.history["loss"][-1] < hist.history["loss"][0]


def test_steps_per_epoch_limits_array_batches():
    seen = []

    class Count(callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)

    model = nn.Sequential([layers.Input((3,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(
        _x(40),
        np.zeros((40, 1)),
        batch_size=4,
        steps_per_epoch=3,
        epochs=2,
        verbose=0,
        callbacks=[Count()],
    )
    assert seen == [0, 1, 2, 0, 1, 2]


def test_public_names_are_exported_and_sorted():
    for module in (nn, nn.layers, nn.ops):
        assert module.__all__ == sorted(module.__all__)
        for name in module.__all__:
            assert hasattr(module, name), name


def test_embedding_model_updates_only_touched_rows():
    model = nn.Sequential(
        [
            layers.Input((2,), dtype="int64"),
            layers.Embedding(10, 3),
            layers.Flatten(),
            layers.Dense(1),
        ]
    )
    model.compile(optimizer="sgd", loss="mse")
    before = model.get_weights()[0].copy()
    ids = np.array([[1, 2], [2, 5]])
    model.fit(ids, np.ones((2, 1)), epochs=1, verbose=0)
    after = model.get_weights()[0]
    changed = np.flatnonzero(np.any(after != before, axis=1))
    assert changed.tolist() == [1, 2, 5]


def test_sigmoid_output_binary_crossentropy_uses_logits():
    model = nn.Sequential(
        [
            layers.Input((1,)),
            layers.Dense(
                1,
                activation="sigmoid",
                kernel_initializer=nn.initializers.Constant(40.0),
            ),
        ]
    )
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    loss = model.evaluate(np.ones((1, 1), np.float32), np.zeros((1, 1)), verbose=0)
    assert loss == pytest.approx(40.0, rel=1e-5)  # clipping would cap it at ~16.1


def test_summary_shows_real_shapes_and_keras_columns():
    lines = []
    model = nn.Sequential([layers.Dense(4, name="h"), layers.Dense(1, name="o")])
    model.summary(print_fn=lines.append)
    assert any(
        "h (Dense)" in line and "?" in line and "0 (unbuilt)" in line for line in lines
    )
    model(np.ones((2, 3), np.float32))
    lines.clear()
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "Layer (type)" in text and "Output Shape" in text and "Param #" in text
    assert "(None, 4)" in text and "(None, 1)" in text and "?" not in text
    assert " Total params: 21 (84.00 B)" in lines
    a, b = layers.Input((3,), name="a"), layers.Input((3,), name="b")
    functional = nn.Model([a, b], layers.Dense(2, name="d")(a + b))
    lines.clear()
    functional.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "Connected to" in text and "a[0][0], b[0][0]" in text
    op_name = functional.operations[2].name
    assert f"{op_name} (Add)" in text and f"{op_name}[0][0]" in text


def test_symbolic_operators_compute_like_numpy_and_reload(tmp_path):
    x = layers.Input((3,), name="x")
    y = layers.Input((3,), name="y")
    outputs = {
        "arith": ((x + y) * 2 - 1) / 4,
        "reflected": 1 - x + 2 * y,
        "power": x**2,
        "neg": -x,
        "abs": abs(x - 0.5),
        "slice": x[:, 1:],
        "newaxis": y[:, None, :2],
        "matmul": x @ np.arange(6, dtype=np.float32).reshape(3, 2),
        "greater": x > y,
    }
    model = nn.Model({"x": x, "y": y}, outputs)
    assert model.layers == [model.get_layer("x"), model.get_layer("y")]
    xv = np.array([[0.0, 1.0, 2.0], [3.0, -4.0, 5.0]], np.float32)
    yv = np.array([[1.0, 1.0, 1.0], [2.0, 2.0, -2.0]], np.float32)
    want = {
        "arith": ((xv + yv) * 2 - 1) / 4,
        "reflected": 1 - xv + 2 * yv,
        "power": xv**2,
        "neg": -xv,
        "abs": np.abs(xv - 0.5),
        "slice": xv[:, 1:],
        "newaxis": yv[:, None, :2],
        "matmul": xv @ np.arange(6, dtype=np.float32).reshape(3, 2),
        "greater": xv > yv,
    }
    path = tmp_path / "ops.keras"
    model.save(path)
    reloaded = nn.load_model(path)
    for got in (model({"x": xv, "y": yv}), reloaded({"x": xv, "y": yv})):
        assert set(got) == set(want)
        for key, value in want.items():
            np.testing.assert_allclose(np.asarray(got[key]), value, rtol=1e-6)
    assert model.to_json() == reloaded.to_json()


def test_symbolic_operator_gradients_flow_through_fit():
    x = layers.Input((2,))
    h = layers.Dense(2, kernel_initializer="ones", name="h")(x)
    model = nn.Model(x, (h * 0.5 + h[:, :1]) - 1.0)
    model.compile(optimizer="sgd", loss="mse")
    before = model.get_layer("h").get_weights()[0].copy()
    model.fit(np.ones((4, 2), np.float32), np.zeros((4, 2), np.float32), verbose=0)
    assert not np.allclose(model.get_layer("h").get_weights()[0], before)


def test_symbolic_operator_rejects_unsupported_keys():
    x = layers.Input((3,))
    with pytest.raises(TypeError, match="indexed with ints, slices, None and Ellipsis"):
        x[[0, 1]]
    with pytest.raises(TypeError, match="Unsupported operand"):
        x + "a"


def test_get_layer_errors_as_keras():
    x = layers.Input((2,), name="x")
    model = nn.Model(x, layers.Dense(1, name="d")(x))
    with pytest.raises(ValueError, match="Provide only a layer name or a layer index"):
        model.get_layer(name="d", index=1)
    with pytest.raises(ValueError, match="Was asked to retrieve layer at index 5"):
        model.get_layer(index=5)
    with pytest.raises(ValueError, match="No such layer: e. Existing layers are"):
        model.get_layer("e")
    with pytest.raises(ValueError, match="Provide either a layer name or layer index"):
        model.get_layer()


def test_layer_input_output_attributes():
    x = layers.Input((2,), name="x")
    dense = layers.Dense(3)
    y = dense(x)
    assert dense.input is x and dense.output is y
    with pytest.raises(AttributeError, match="has never been called"):
        _ = layers.Dense(1).output
    model = nn.Model([x], [y])
    assert model.input == [x] and model.output == [y]


def test_summary_of_a_subclassed_model_shows_built_shapes():
    class TwoDense(nn.Model):
        def __init__(self):
            super().__init__()
            self.d1 = layers.Dense(4, name="first")
            self.d2 = layers.Dense(2, name="second")

        def call(self, x):
            return self.d2(self.d1(x))

    model = TwoDense()
    lines = []
    model.summary(print_fn=lines.append)
    assert any("first (Dense)" in line and "?" in line for line in lines)
    model(np.ones((3, 5), np.float32))
    lines.clear()
    model.summary(print_fn=lines.append)
    assert any("first (Dense)" in line and "(3, 4)" in line for line in lines)
    assert any("second (Dense)" in line and "(3, 2)" in line for line in lines)


def test_functional_inputs_keep_their_mask_through_cast_and_rank_fix():
    seen = []

    class MaskReader(layers.Layer):
        supports_masking = True

        def call(self, x, mask=None):
            seen.append(None if mask is None else np.asarray(mask).tolist())
            return x

    x = layers.Input((3,), dtype="float32")
    model = nn.Model(x, MaskReader()(x))
    value = nn.Tensor(np.ones((2, 3, 1), np.float64))
    value._keras_mask = np.array([[True, False, True], [True, True, False]])
    seen.clear()
    out = model(value)
    assert np.asarray(out).shape == (2, 3) and np.asarray(out).dtype == np.float32
    assert seen == [[[True, False, True], [True, True, False]]]


def test_building_a_graph_leaves_layer_state_untouched():
    class Counter(layers.Layer):
        def build(self, input_shape):
            self.count = self.add_weight(shape=(), initializer="zeros", trainable=False)

        def call(self, x):
            self.count.assign_add(1.0)
            return x

    counter = Counter()
    model = nn.Sequential([layers.Input((3,)), counter, layers.Dense(1)])
    x = layers.Input((3,))
    nn.Model(x, counter(x))  # a second symbolic call
    assert float(counter.count.numpy()) == 0.0
    model(np.ones((2, 3), np.float32))
    assert float(counter.count.numpy()) == 1.0


def test_node_training_flag_yields_to_the_model_call_mode():
    x = layers.Input((200,))
    model = nn.Model(x, layers.Dropout(0.5, seed=3)(x, training=True))
    ones = np.ones((2, 200), np.float32)
    # No mode given: the node's training=True stands (dropout on).
    assert (np.asarray(model(ones)) == 0).any()
    # An explicit mode wins over the node's (Keras 3's functional replay).
    np.testing.assert_array_equal(np.asarray(model(ones, training=False)), ones)
    np.testing.assert_array_equal(model.predict(ones, verbose=0), ones)
