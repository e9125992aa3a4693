"""Keras 3's ``layers/core/input_layer_test.py`` cases, ported
(run against both libraries).

Out of scope (not ported): the sparse and ragged parametrizations of
test_input_basic (sparse/ragged tensors). ``InputLayer(sparse=True)`` with an
``input_tensor`` is checked only for its error.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest


def test_input_basic(keras):
    layer = keras.layers.InputLayer(
        shape=(2, 3), batch_size=4, dtype="float32", sparse=False, ragged=False
    )
    assert layer.dtype == "float32"
    assert layer.batch_shape[0] == 4
    assert tuple(layer.batch_shape[1:]) == (2, 3)
    assert layer.sparse is False
    assert layer.ragged is False
    assert layer.trainable is True
    assert type(layer.output) is type(keras.Input(shape=(1,)))
    assert layer.output.ndim == 3
    assert layer.output.dtype == "float32"
    assert layer.output.sparse is False
    assert layer.output.ragged is False


def test_input_error_shape_and_batch_shape(keras):
    with pytest.raises(ValueError, match="cannot pass both `shape` and `batch_shape`"):
        keras.layers.InputLayer(shape=(2, 3), batch_shape=(2, 3))


def test_input_error_batch_size_and_batch_shape(keras):
    with pytest.raises(
        ValueError, match="cannot pass both `batch_size` and `batch_shape`"
    ):
        keras.layers.InputLayer(batch_size=4, batch_shape=(2, 3))


def test_input_error_no_shape(keras):
    with pytest.raises(ValueError, match="pass a `shape` argument."):
        keras.layers.InputLayer(shape=None, batch_shape=None)


def test_input_tensor_error(keras):
    with pytest.raises(
        ValueError, match="Argument `input_tensor` must be a KerasTensor"
    ):
        keras.layers.InputLayer(
            shape=(2, 3), batch_size=4, input_tensor=np.zeros((2, 3))
        )


def test_input_tensor(keras):
    input_tensor = keras.Input(batch_shape=(2, 3), dtype="float32")
    layer = keras.layers.InputLayer(input_tensor=input_tensor)
    assert layer.dtype == "float32"
    assert tuple(layer.batch_shape) == (2, 3)
    assert layer.trainable is True
    assert layer.output is input_tensor
    assert layer.output.ndim == input_tensor.ndim
    assert layer.output.dtype == "float32"


def test_input_shape_deprecated(keras):
    with pytest.warns(
        UserWarning, match="Argument `input_shape` is deprecated. Use `shape`"
    ):
        layer = keras.layers.InputLayer(
            input_shape=(2, 3), batch_size=4, dtype="float32"
        )
    assert layer.batch_shape[0] == 4
    assert tuple(layer.batch_shape[1:]) == (2, 3)
    assert layer.dtype == "float32"
    assert type(layer.output) is type(keras.Input(shape=(1,)))


def test_call_method(keras):
    assert keras.layers.InputLayer(shape=(32,)).call() is None


def test_numpy_shape(keras):
    layer = keras.layers.InputLayer(shape=(np.int64(32),))
    assert tuple(layer.batch_shape) == (None, 32)


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"shape": (2, 4)}, "shape"),
        ({"batch_shape": (2, 4)}, "batch_shape"),
        ({"batch_size": 5}, "batch_size"),
        ({"dtype": "float16"}, "dtype"),
        ({"sparse": True}, "sparse"),
    ],
)
def test_invalid_arg_combinations(keras, kwargs, word):
    input_tensor = keras.Input(batch_shape=(2, 3), dtype="float32")
    with pytest.raises(ValueError, match=f"cannot provide an incompatible `{word}`"):
        keras.layers.InputLayer(input_tensor=input_tensor, **kwargs)


def test_compatible_args_with_input_tensor(keras):
    input_tensor = keras.Input(batch_shape=(2, 3), dtype="float32")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        layer = keras.layers.InputLayer(
            shape=(3,), batch_size=2, sparse=False, dtype="float32",
            input_tensor=input_tensor,
        )  # fmt: skip
    assert layer.output is input_tensor
