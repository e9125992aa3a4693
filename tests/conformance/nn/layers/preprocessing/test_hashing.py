"""Keras 3's layers/preprocessing/hashing_test.py cases, ported.

Not ported: the tf.SparseTensor cases (test_hash_sparse_*: sparse inputs are
out of scope), test_tf_data_compatibility (tf.data inside Keras) and the
commented-out ragged cases.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from conformance_keras import assert_close, to_array

WORDS = [["omar"], ["stringer"], ["marlo"], ["wire"], ["skywalker"]]


class ArrayLike:
    def __init__(self, values):
        self.values = values

    def __array__(self, dtype=None, copy=None):
        return np.array(self.values)


def test_config_round_trip(keras):
    layer = keras.layers.Hashing(num_bins=8, output_mode="int")
    config = layer.get_config()
    clone = keras.layers.Hashing.from_config(config)
    assert clone.get_config() == config


def test_correctness(keras):
    letters = [["A"], ["B"], ["C"], ["D"], ["E"]]
    assert_close(keras.layers.Hashing(num_bins=3)(letters), [[1], [0], [1], [1], [2]])
    masked = keras.layers.Hashing(num_bins=3, mask_value="")
    assert_close(masked([["A"], ["B"], [""], ["C"], ["D"]]), [[1], [1], [0], [2], [2]])
    salted = keras.layers.Hashing(num_bins=3, salt=[133, 137])
    assert_close(salted(letters), [[1], [2], [1], [0], [2]])
    one_salt = keras.layers.Hashing(num_bins=3, salt=133)
    assert_close(one_salt(letters), [[0], [0], [2], [1], [0]])


@pytest.mark.parametrize("make", [list, tuple, np.array, ArrayLike])
def test_tensor_like_inputs(keras, make):
    layer = keras.layers.Hashing(num_bins=3)
    assert_close(layer(make([0, 1, 2, 3, 4])), [1, 0, 1, 0, 2])


def test_hash_single_bin(keras):
    layer = keras.layers.Hashing(num_bins=1)
    assert_close(layer(np.asarray([["A"], ["B"], ["C"], ["D"], ["E"]])), [[0]] * 5)


def test_hash_dense_input_farmhash(keras):
    layer = keras.layers.Hashing(num_bins=2)
    assert_close(layer(np.asarray(WORDS)), [[0], [0], [1], [0], [0]])


def test_hash_dense_input_mask_value_farmhash(keras):
    empty = keras.layers.Hashing(num_bins=3, mask_value="")
    omar = keras.layers.Hashing(num_bins=3, mask_value="omar")
    inputs = np.asarray(WORDS)
    assert_close(empty(inputs), [[1], [1], [2], [1], [1]])
    assert_close(omar(inputs), [[0], [1], [2], [1], [1]])


def test_hash_dense_list_input_farmhash(keras):
    layer = keras.layers.Hashing(num_bins=2)
    assert_close(layer(WORDS), [[0], [0], [1], [0], [0]])
    flat = ["omar", "stringer", "marlo", "wire", "skywalker"]
    assert_close(layer(flat), [0, 0, 1, 0, 0])


def test_hash_dense_int_input_farmhash(keras):
    layer = keras.layers.Hashing(num_bins=3)
    assert_close(
        layer(np.asarray([[0], [1], [2], [3], [4]])), [[1], [0], [1], [0], [2]]
    )


def test_hash_dense_input_siphash(keras):
    inputs = np.asarray(WORDS)
    layer = keras.layers.Hashing(num_bins=2, salt=[133, 137])
    assert_close(layer(inputs), [[0], [1], [0], [1], [0]])
    other = keras.layers.Hashing(num_bins=2, salt=[211, 137])
    assert_close(other(inputs), [[1], [0], [1], [0], [1]])


def test_hash_dense_int_input_siphash(keras):
    layer = keras.layers.Hashing(num_bins=3, salt=[133, 137])
    assert_close(
        layer(np.asarray([[0], [1], [2], [3], [4]])), [[1], [1], [2], [0], [1]]
    )


def test_invalid_inputs(keras):
    with pytest.raises(ValueError, match="cannot be `None`"):
        keras.layers.Hashing(num_bins=None)
    with pytest.raises(ValueError, match="cannot be `None`"):
        keras.layers.Hashing(num_bins=-1)
    for salt in ("string", [1], [133, 137, 177]):
        with pytest.raises(ValueError, match="can only be a tuple of size 2"):
            keras.layers.Hashing(num_bins=2, salt=salt)


@pytest.mark.parametrize("mode", ["int", "one_hot", "multi_hot", "count"])
@pytest.mark.parametrize("input_shape", [(4,), (4, 1), (3, 4)])
def test_compute_output_shape(keras, mode, input_shape):
    layer = keras.layers.Hashing(num_bins=5, output_mode=mode)
    expected = tuple(layer.compute_output_shape((None,) + input_shape))
    actual = tuple(layer(keras.layers.Input(shape=input_shape)).shape)
    assert expected == actual


def test_one_hot_output(keras):
    inputs = keras.layers.Input(shape=(1,), dtype="int32")
    outputs = keras.layers.Hashing(num_bins=3, output_mode="one_hot")(inputs)
    assert tuple(outputs.shape) == (None, 3)
    model = keras.Model(inputs, outputs)
    expected = [[0, 1, 0], [1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1]]
    assert_close(model(np.array([0, 1, 2, 3, 4])), expected)


def test_multi_hot_output(keras):
    inputs = keras.layers.Input(shape=(None,), dtype="int32")
    outputs = keras.layers.Hashing(num_bins=3, output_mode="multi_hot")(inputs)
    assert tuple(outputs.shape) == (None, 3)
    model = keras.Model(inputs, outputs)
    assert_close(model(np.array([[0, 1, 2, 3, 4]])), [[1.0, 1.0, 1.0]])


@pytest.mark.parametrize(
    "value, expected, shape, sample_shape",
    [
        ([0, 1, 2, 3, 4], [2.0, 2.0, 1.0], (3,), ()),
        ([[0, 1, 2, 3, 4]], [[2.0, 2.0, 1.0]], (None, 3), (None,)),
    ],
)
def test_count_output(keras, value, expected, shape, sample_shape):
    inputs = keras.layers.Input(shape=sample_shape, dtype="int32")
    layer = keras.layers.Hashing(num_bins=3, output_mode="count")
    assert tuple(layer(inputs).shape) == shape
    assert_close(layer(np.array(value)), expected)


@pytest.mark.parametrize("dtype", ["int32", "int64"])
def test_int_output_dtype(keras, dtype):
    inputs = keras.layers.Input(batch_size=16, shape=(4,), dtype="string")
    layer = keras.layers.Hashing(num_bins=3, output_mode="int", dtype=dtype)
    assert layer(inputs).dtype == dtype


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_one_hot_output_dtype(keras, dtype):
    inputs = keras.layers.Input(batch_size=16, shape=(1,), dtype="string")
    layer = keras.layers.Hashing(num_bins=3, output_mode="one_hot", dtype=dtype)
    assert layer(inputs).dtype == dtype


def test_config_with_custom_name(keras):
    layer = keras.layers.Hashing(num_bins=2, name="hashing")
    clone = keras.layers.Hashing.from_config(layer.get_config())
    assert clone.name == layer.name


def test_saving(keras, tmp_path):
    data = np.array(["omar", "stringer", "marlo", "wire", "skywalker"])
    inputs = keras.layers.Input(shape=(), dtype="string")
    outputs = keras.layers.Hashing(num_bins=100)(inputs)
    model = keras.Model(inputs=inputs, outputs=outputs)
    before = to_array(model(data))
    path = os.path.join(str(tmp_path), "keras_model.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded is not model
    assert_close(loaded(data), before)


@pytest.mark.parametrize(
    "data, expected",
    [
        ([1, 2, 3], [1, 1, 1]),
        ([[1], [2], [3]], [[1], [1], [1]]),
        ([[1, 2], [2, 3], [3, 4]], [[1, 1], [1, 1], [1, 1]]),
        ([[[1], [2]], [[2], [3]], [[3], [4]]], [[[1], [1]], [[1], [1]], [[1], [1]]]),
    ],
)
def test_hash_list_input(keras, data, expected):
    assert_close(keras.layers.Hashing(num_bins=2)(data), expected)


def test_hashing_invalid_num_bins(keras):
    message = "The `num_bins` for `Hashing` cannot be `None` or non-positive"
    for bins in (None, 0):
        with pytest.raises(ValueError, match=message):
            keras.layers.Hashing(num_bins=bins)


def test_hashing_invalid_output_mode(keras):
    with pytest.raises(ValueError, match="Invalid value for argument `output_mode`"):
        keras.layers.Hashing(num_bins=3, output_mode="unsupported_mode")


def test_hashing_invalid_dtype_for_int_mode(keras):
    with pytest.raises(ValueError, match='When `output_mode="int"`, `dtype` should be'):
        keras.layers.Hashing(num_bins=3, output_mode="int", dtype="float32")


def test_hashing_sparse_with_int_mode(keras):
    with pytest.raises(
        ValueError, match="`sparse` may only be true if `output_mode` is"
    ):
        keras.layers.Hashing(num_bins=3, output_mode="int", sparse=True)
