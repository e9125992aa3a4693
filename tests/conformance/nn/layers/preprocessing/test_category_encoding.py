"""Keras 3's layers/preprocessing/category_encoding_test.py cases, ported.

Not ported: the ``sparse=True`` parameterizations (sparse outputs are out of
scope) and test_tf_data_compatibility (tf.data inside Keras).
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_keras import assert_close

ONE_HOT_3201 = [
    [0, 0, 0, 1, 0, 0],
    [0, 0, 1, 0, 0, 0],
    [1, 0, 0, 0, 0, 0],
    [0, 1, 0, 0, 0, 0],
]


def _symbolic(keras, layer, shape, **kwargs):
    return layer(keras.layers.Input(batch_shape=shape, dtype="int32"), **kwargs)


def test_count_output(keras):
    data = np.array([1, 2, 3, 1])
    layer = keras.layers.CategoryEncoding(num_tokens=6, output_mode="count")
    out = layer(data)
    assert tuple(out.shape) == (6,)
    assert_close(out, [0, 2, 1, 1, 0, 0])
    symbolic = _symbolic(keras, layer, data.shape)
    assert tuple(symbolic.shape) == (6,)
    assert symbolic.dtype == "float32"


def test_count_weighted_output(keras):
    data = np.array([[0, 1], [0, 0], [1, 2], [3, 1]])
    weights = np.array([[0.1, 0.2], [0.1, 0.1], [0.2, 0.3], [0.4, 0.2]])
    expected = [
        [0.1, 0.2, 0.0, 0.0, 0.0, 0.0],
        [0.2, 0.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.2, 0.3, 0.0, 0.0, 0.0],
        [0.0, 0.2, 0.0, 0.4, 0.0, 0.0],
    ]
    layer = keras.layers.CategoryEncoding(num_tokens=6, output_mode="count")
    out = layer(data, count_weights=weights)
    assert tuple(out.shape) == (4, 6)
    assert_close(out, expected)
    symbolic = layer(
        keras.layers.Input(batch_shape=data.shape, dtype="int32"),
        count_weights=keras.layers.Input(batch_shape=data.shape, dtype="float32"),
    )
    assert tuple(symbolic.shape) == (4, 6)
    assert symbolic.dtype == "float32"


def test_batched_count_output(keras):
    data = np.array([[1, 2, 3, 1], [0, 3, 1, 0]])
    layer = keras.layers.CategoryEncoding(num_tokens=6, output_mode="count")
    out = layer(data)
    assert tuple(out.shape) == (2, 6)
    assert_close(out, [[0, 2, 1, 1, 0, 0], [2, 1, 0, 1, 0, 0]])
    symbolic = _symbolic(keras, layer, data.shape)
    assert tuple(symbolic.shape) == (2, 6)
    assert symbolic.dtype == "float32"


def test_multi_hot(keras):
    data = np.array([3, 2, 0, 1])
    layer = keras.layers.CategoryEncoding(num_tokens=6, output_mode="multi_hot")
    out = layer(data)
    assert_close(out, [1, 1, 1, 1, 0, 0])
    assert tuple(out.shape) == (6,)
    symbolic = _symbolic(keras, layer, data.shape)
    assert tuple(symbolic.shape) == (6,)
    assert symbolic.dtype == "float32"


def test_batched_multi_hot(keras):
    data = np.array([[3, 2, 0, 1], [3, 2, 0, 1]])
    layer = keras.layers.CategoryEncoding(num_tokens=6, output_mode="multi_hot")
    out = layer(data)
    assert_close(out, [[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 0, 0]])
    assert tuple(out.shape) == (2, 6)
    symbolic = _symbolic(keras, layer, data.shape)
    assert tuple(symbolic.shape) == (2, 6)
    assert symbolic.dtype == "float32"
    scalar = np.array(4)
    layer = keras.layers.CategoryEncoding(num_tokens=6, output_mode="multi_hot")
    assert tuple(layer(scalar).shape) == tuple(layer.compute_output_shape(scalar.shape))


def test_one_hot(keras):
    data = np.array([3, 2, 0, 1])
    layer = keras.layers.CategoryEncoding(num_tokens=6, output_mode="one_hot")
    out = layer(data)
    assert_close(out, ONE_HOT_3201)
    assert tuple(out.shape) == (4, 6)
    symbolic = _symbolic(keras, layer, data.shape)
    assert tuple(symbolic.shape) == (4, 6)
    assert symbolic.dtype == "float32"
    for sample in (data, np.array([[3], [2], [0], [1]]), np.array((4,))):
        layer = keras.layers.CategoryEncoding(num_tokens=6, output_mode="one_hot")
        assert tuple(layer(sample).shape) == tuple(
            layer.compute_output_shape(sample.shape)
        )


def test_batched_one_hot(keras):
    data = np.array([[3, 2, 0, 1], [3, 2, 0, 1]])
    layer = keras.layers.CategoryEncoding(num_tokens=6, output_mode="one_hot")
    out = layer(data)
    assert_close(out, [ONE_HOT_3201, ONE_HOT_3201])
    assert tuple(out.shape) == (2, 4, 6)
    symbolic = _symbolic(keras, layer, data.shape)
    assert tuple(symbolic.shape) == (2, 4, 6)
    assert symbolic.dtype == "float32"


def test_category_encoding_without_num_tokens(keras):
    with pytest.raises(ValueError, match=r"num_tokens must be set to use this layer"):
        keras.layers.CategoryEncoding(output_mode="multi_hot")


@pytest.mark.parametrize("tokens", [0, -1])
def test_category_encoding_with_invalid_num_tokens(keras, tokens):
    with pytest.raises(ValueError, match=r"`num_tokens` must be >= 1"):
        keras.layers.CategoryEncoding(num_tokens=tokens, output_mode="multi_hot")


def test_category_encoding_with_unnecessary_count_weights(keras):
    layer = keras.layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")
    with pytest.raises(
        ValueError, match=r"`count_weights` is not used when `output_mode`"
    ):
        layer(np.array([0, 1, 2, 3]), count_weights=np.array([0.1, 0.2, 0.3, 0.4]))


def test_invalid_output_mode_raises_error(keras):
    with pytest.raises(ValueError, match=r"Unknown arg for output_mode: invalid_mode"):
        keras.layers.CategoryEncoding(num_tokens=4, output_mode="invalid_mode")


def test_encode_one_hot_single_sample(keras):
    layer = keras.layers.CategoryEncoding(num_tokens=4, output_mode="one_hot")
    expected = [[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 1, 0, 0]]
    assert_close(layer._encode(np.array([1, 2, 3, 1])), expected)


def test_encode_one_hot_batched_samples(keras):
    layer = keras.layers.CategoryEncoding(num_tokens=4, output_mode="one_hot")
    row = [[0, 0, 0, 1], [0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]
    assert_close(layer._encode(np.array([[3, 2, 0, 1], [3, 2, 0, 1]])), [row, row])


def test_count_single_sample(keras):
    layer = keras.layers.CategoryEncoding(num_tokens=4, output_mode="count")
    assert_close(layer(np.array([1, 2, 3, 1])), [0, 2, 1, 1])


def test_count_batched_samples(keras):
    layer = keras.layers.CategoryEncoding(num_tokens=4, output_mode="count")
    assert_close(
        layer(np.array([[1, 2, 3, 1], [0, 3, 1, 0]])), [[0, 2, 1, 1], [2, 1, 0, 1]]
    )
