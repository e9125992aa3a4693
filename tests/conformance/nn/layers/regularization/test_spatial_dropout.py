"""Keras 3's ``layers/regularization/spatial_dropout_test.py`` cases, ported
(run against both libraries)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import assert_close, run_layer_test, to_array


@pytest.mark.parametrize(
    ("name", "init_kwargs", "training", "shape"),
    [
        ("SpatialDropout1D", {"rate": 0.5}, True, (2, 3, 4)),
        ("SpatialDropout1D", {"rate": 0.5}, False, (2, 3, 4)),
        ("SpatialDropout2D", {"rate": 0.5}, True, (2, 3, 4, 5)),
        ("SpatialDropout2D", {"rate": 0.5, "data_format": "channels_first"}, True,
         (2, 3, 4, 5)),
        ("SpatialDropout3D", {"rate": 0.5}, True, (2, 3, 4, 4, 5)),
        ("SpatialDropout3D", {"rate": 0.5, "data_format": "channels_first"}, True,
         (2, 3, 4, 4, 5)),
    ],
)  # fmt: skip
def test_spatial_dropout(keras, name, init_kwargs, training, shape):
    cls = getattr(keras.layers, name)
    run_layer_test(
        keras, cls, init_kwargs, call_kwargs={"training": training}, input_shape=shape
    )
    assert cls(**init_kwargs).built


@pytest.mark.parametrize(
    ("name", "shape"),
    [("SpatialDropout1D", (3, 2)), ("SpatialDropout2D", (3, 2, 4)),
     ("SpatialDropout3D", (3, 2, 4, 2))],
)  # fmt: skip
def test_spatial_dropout_dynamic(keras, name, shape):
    out = getattr(keras.layers, name)(0.5)(keras.layers.Input(shape), training=True)
    assert tuple(out.shape) == (None, *shape)


def test_spatial_dropout_1d_correctness(keras):
    outputs = to_array(
        keras.layers.SpatialDropout1D(0.5)(np.ones((10, 3, 10)), training=True)
    )
    assert_close(outputs[:, 0, :], outputs[:, 1, :])


def test_spatial_dropout_2d_correctness(keras):
    layer = keras.layers.SpatialDropout2D(0.5)
    outputs = to_array(layer(np.ones((10, 3, 3, 10)), training=True))
    assert_close(outputs[:, 0, 0, :], outputs[:, 1, 1, :])


def test_spatial_dropout_3d_correctness(keras):
    layer = keras.layers.SpatialDropout3D(0.5)
    outputs = to_array(layer(np.ones((10, 3, 3, 3, 10)), training=True))
    assert_close(outputs[:, 0, 0, 0, :], outputs[:, 1, 1, 1, :])


def test_spatial_dropout_channels_first_correctness(keras):
    layer = keras.layers.SpatialDropout2D(0.5, data_format="channels_first")
    outputs = to_array(layer(np.ones((10, 10, 3, 3)), training=True))
    assert_close(outputs[:, :, 0, 0], outputs[:, :, 1, 1])
