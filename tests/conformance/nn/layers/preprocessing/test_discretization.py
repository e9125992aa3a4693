"""Keras 3's layers/preprocessing/discretization_test.py cases, ported.

Not ported: the ``sparse=True`` parameterizations of test_correctness (sparse
outputs are out of scope), test_adapt_with_grain_dataset (grain) and the
tf.data halves of test_tf_data_compatibility (its eager half is ported).
test_compute_output_spec_method feeds ``keras.Input`` where Keras builds a
backend ``KerasTensor`` directly.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from conformance_keras import assert_close, run_layer_test, to_array

X9 = np.array([[-1.0, 0.0, 0.1, 0.2, 0.4, 0.5, 1.0, 1.2, 0.98]])
X9_BINS = [[0, 1, 1, 1, 2, 3, 4, 4, 3]]


def test_discretization_basics(keras):
    run_layer_test(
        keras,
        keras.layers.Discretization,
        {"bin_boundaries": [0.0, 0.5, 1.0]},
        input_shape=(2, 3),
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        expected_num_losses=0,
        supports_masking=False,
    )


def test_adapt_flow(keras):
    layer = keras.layers.Discretization(num_bins=4)
    layer.adapt(np.random.random((32, 3)))
    layer(np.array([[0.0, 0.1, 0.3]]))
    assert len(layer.bin_boundaries) == 3


def test_adapt_with_generator(keras):
    def data_gen():
        for _ in range(5):
            yield np.random.uniform(0, 10, size=(20,))

    layer = keras.layers.Discretization(num_bins=4)
    layer.adapt(data_gen())
    assert len(layer.bin_boundaries) == 3
    assert tuple(layer(np.array([[1.0, 5.0, 9.0]])).shape) == (1, 3)


def test_adapt_with_infinite_generator_and_steps(keras):
    def data_gen():
        while True:
            yield np.random.uniform(0, 10, size=(20,))

    layer = keras.layers.Discretization(num_bins=4)
    layer.adapt(data_gen(), steps=5)
    assert len(layer.bin_boundaries) == 3


def test_adapt_with_list_of_arrays(keras):
    layer = keras.layers.Discretization(num_bins=3)
    layer.adapt([np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])])
    assert len(layer.bin_boundaries) == 2


@pytest.mark.parametrize(
    "output_mode, data, expected",
    [
        ("int", [[-1.0, 0.0, 0.1, 0.8, 1.2]], [[0, 1, 1, 2, 3]]),
        ("one_hot", [0.1, 0.8], [[0, 1, 0, 0], [0, 0, 1, 0]]),
        ("multi_hot", [[0.1, 0.8]], [[0, 1, 1, 0]]),
        (
            "one_hot",
            [[[0.15, 0.75], [0.85, 0.45]]],
            [[[[0, 1, 0, 0], [0, 0, 1, 0]], [[0, 0, 1, 0], [0, 1, 0, 0]]]],
        ),
        ("multi_hot", [[[0.15, 0.75], [0.85, 0.45]]], [[[0, 1, 1, 0], [0, 1, 1, 0]]]),
        ("count", [[0.1, 0.8, 0.9]], [[0, 1, 2, 0]]),
    ],
)
def test_correctness(keras, output_mode, data, expected):
    layer = keras.layers.Discretization(
        bin_boundaries=[0.0, 0.5, 1.0], output_mode=output_mode
    )
    assert_close(layer(np.array(data)), expected)


def test_fixed_bins_eager(keras):
    # The eager half of test_tf_data_compatibility.
    layer = keras.layers.Discretization(
        bin_boundaries=[0.0, 0.35, 0.5, 1.0], dtype="float32"
    )
    assert_close(layer(X9), X9_BINS)


def test_serialization(keras):
    cls = keras.layers.Discretization

    def round_trip(layer):
        config = layer.get_config()
        assert cls.from_config(config).get_config() == config

    layer = cls(num_bins=5)
    round_trip(layer)
    layer.adapt(np.array([0.0, 1.0, 5.0]))
    round_trip(layer)
    layer.adapt(np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]))
    round_trip(layer)
    round_trip(cls(bin_boundaries=[0.0, 0.35, 0.5, 1.0]))


def test_saving(keras, tmp_path):
    path = os.path.join(str(tmp_path), "model.keras")
    layer = keras.layers.Discretization(bin_boundaries=[0.0, 0.35, 0.5, 1.0])
    model = keras.Sequential([keras.layers.Input((2,)), layer])
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert_close(layer(X9), X9_BINS)
    assert_close(loaded(np.array([[0.4, 1.2]])), [[2, 4]])
    layer = keras.layers.Discretization(num_bins=4)
    layer.adapt(np.random.random((32, 3)))
    ref_input = np.random.random((1, 2))
    ref_output = to_array(layer(ref_input))
    model = keras.Sequential([keras.layers.Input((2,)), layer])
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert_close(layer(ref_input), ref_output)
    assert_close(loaded(ref_input), ref_output)


def test_init_num_bins_and_bin_boundaries_raises(keras):
    with pytest.raises(ValueError, match="Both `num_bins` and `bin_boundaries`"):
        keras.layers.Discretization(num_bins=3, bin_boundaries=[0.0, 1.0])
    with pytest.raises(ValueError, match="either `num_bins` or `bin_boundaries`"):
        keras.layers.Discretization()


def test_call_before_adapt_raises(keras):
    layer = keras.layers.Discretization(num_bins=3)
    with pytest.raises(ValueError, match="You need .* call .*adapt"):
        layer([[0.1, 0.8, 0.9]])


def test_model_call_vs_predict_consistency(keras):
    layer = keras.layers.Discretization(
        bin_boundaries=[-0.5, 0, 0.1, 0.2, 3], output_mode="int"
    )
    x = np.array([[0.0, 0.15, 0.21, 0.3], [0.0, 0.17, 0.451, 7.8]])
    inputs = keras.layers.Input(shape=(4,), dtype="float32")
    model = keras.Model(inputs=inputs, outputs=layer(inputs))
    called = model(x)
    predicted = model.predict(x, verbose=0)
    assert_close(called, predicted)
    assert to_array(called).dtype == to_array(predicted).dtype
    assert to_array(called).dtype.kind == "i"


@pytest.mark.parametrize(
    "output_mode, expected",
    [
        ("int", (None, 3, 4)),
        ("one_hot", (None, 3, 4, 5)),
        ("multi_hot", (None, 4, 5)),
        ("count", (None, 4, 5)),
    ],
)
def test_symbolic_tensor_output_shape(keras, output_mode, expected):
    layer = keras.layers.Discretization(
        bin_boundaries=[0.0, 1.0, 2.0, 5.0], output_mode=output_mode
    )
    symbolic = layer(keras.layers.Input(shape=(3, 4)))
    assert tuple(symbolic.shape) == expected
    eager = layer(np.random.uniform(0, 3, size=(2, 3, 4)))
    assert eager.shape[0] == 2
    assert symbolic.shape[0] is None
    assert tuple(eager.shape[1:]) == tuple(symbolic.shape[1:])
    assert len(eager.shape) == len(symbolic.shape)


@pytest.mark.parametrize(
    "output_mode, expected",
    [
        ("int", (None, 3, 4)),
        ("one_hot", (None, 3, 4, 3)),
        ("multi_hot", (None, 4, 3)),
        ("count", (None, 4, 3)),
    ],
)
def test_compute_output_shape_modes(keras, output_mode, expected):
    layer = keras.layers.Discretization(
        bin_boundaries=[0.0, 1.0], output_mode=output_mode
    )
    assert tuple(layer.compute_output_shape((None, 3, 4))) == expected


def test_compute_output_shape_edge_cases(keras):
    layer = keras.layers.Discretization(
        bin_boundaries=[0.0, 1.0], output_mode="one_hot"
    )
    assert tuple(layer.compute_output_shape((None, 5, 1))) == (None, 5, 3)
    assert tuple(layer.compute_output_shape(())) == (3,)


def test_compute_output_spec_method(keras):
    layer = keras.layers.Discretization(
        bin_boundaries=[0.0, 1.0, 2.0], output_mode="one_hot"
    )
    spec = layer.compute_output_spec(keras.Input(shape=(3, 4), dtype="float32"))
    assert tuple(spec.shape) == (None, 3, 4, 4)
    assert spec.dtype == layer.output_dtype


@pytest.mark.parametrize("batch_size", [1, 3, 5, 10])
def test_batch_dimension_consistency(keras, batch_size):
    layer = keras.layers.Discretization(
        bin_boundaries=[0.0, 1.0, 2.0], output_mode="one_hot"
    )
    eager = layer(np.random.uniform(0, 3, size=(batch_size, 4, 3)))
    symbolic = layer(keras.layers.Input(shape=(4, 3)))
    assert eager.shape[0] == batch_size
    assert symbolic.shape[0] is None
    assert tuple(eager.shape[1:]) == tuple(symbolic.shape[1:]) == (4, 3, 4)


@pytest.mark.parametrize(
    "num_bins, output_mode, input_shape, expected",
    [
        (3, "int", (None, 5, 4), (None, 5, 4)),
        (4, "one_hot", (None, 3, 2), (None, 3, 2, 4)),
        (5, "multi_hot", (None, 6, 3), (None, 3, 5)),
        (6, "count", (None, 4, 2), (None, 2, 6)),
    ],
)
def test_compute_output_shape_num_bins(
    keras, num_bins, output_mode, input_shape, expected
):
    layer = keras.layers.Discretization(num_bins=num_bins, output_mode=output_mode)
    assert tuple(layer.compute_output_shape(input_shape)) == expected
