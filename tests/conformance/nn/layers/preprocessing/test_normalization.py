"""Keras 3's layers/preprocessing/normalization_test.py cases, ported.

Cases that adapt on a ``tf.data.Dataset`` adapt on a ``pl.data.Dataset`` of
the same batches, which both libraries iterate (the ``"tf.data"``
parameterization of test_normalization_adapt, and
test_adapt_tf_dataset_with_labels as test_adapt_dataset_with_labels). The
``"tensor"`` parameterization uses ``keras.ops.convert_to_tensor``. Not
ported: test_call_on_meta_device_after_built (torch only),
test_tf_data_compatibility (tf.data inside Keras),
test_adapt_pydataset_compat (``keras.utils.PyDataset``, not in pl.nn) and
test_adapt_grain_dataset (grain).
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_keras import assert_close, run_layer_test, to_array

import pipeline as pl


def _check_standardized(keras, layer, x, axis):
    out = to_array(layer(x))
    assert_close(np.var(out, axis=axis), 1.0, atol=1e-5, rtol=1e-5)
    assert_close(np.mean(out, axis=axis), 0.0, atol=1e-5, rtol=1e-5)


def test_normalization_basics(keras):
    common = {
        "input_shape": (2, 3),
        "expected_output_shape": (2, 3),
        "expected_num_trainable_weights": 0,
        "expected_num_losses": 0,
        "supports_masking": True,
    }
    cls = keras.layers.Normalization
    run_layer_test(
        keras, cls, {"axis": -1}, expected_num_non_trainable_weights=3, **common
    )
    stats = {"mean": np.array([0.5, 0.2, -0.1]), "variance": np.array([0.1, 0.2, 0.3])}
    run_layer_test(
        keras,
        cls,
        {"axis": -1, **stats},
        expected_num_non_trainable_weights=0,
        **common,
    )
    run_layer_test(
        keras,
        cls,
        {"axis": -1, "invert": True, **stats},
        expected_num_non_trainable_weights=0,
        **common,
    )


@pytest.mark.parametrize("input_type", ["np", "tensor", "dataset"])
def test_normalization_adapt(keras, input_type):
    def convert(x):
        if input_type == "np":
            return x
        if input_type == "dataset":
            return pl.data.Dataset.from_tensor_slices(x).batch(8)
        return keras.ops.convert_to_tensor(x)

    x = np.random.random((32, 4))
    layer = keras.layers.Normalization()
    layer.adapt(convert(x))
    assert layer.built
    _check_standardized(keras, layer, x, 0)
    x = np.random.random((32, 4, 3, 5))
    layer = keras.layers.Normalization(axis=(1, 2))
    layer.adapt(convert(x))
    assert layer.built
    _check_standardized(keras, layer, x, (0, 3))


def test_normalization_with_mean_only_raises_error(keras):
    with pytest.raises(ValueError, match="both `mean` and `variance` must be set"):
        keras.layers.Normalization(mean=0.5)


def test_normalization_with_variance_only_raises_error(keras):
    with pytest.raises(ValueError, match="both `mean` and `variance` must be set"):
        keras.layers.Normalization(variance=0.1)


def test_normalization_axis_too_high(keras):
    with pytest.raises(ValueError, match="All `axis` values must be in the range"):
        keras.layers.Normalization(axis=3).build((2, 2))


def test_normalization_axis_too_low(keras):
    with pytest.raises(ValueError, match="All `axis` values must be in the range"):
        keras.layers.Normalization(axis=-4).build((2, 3, 4))


def test_normalization_unknown_axis_shape(keras):
    with pytest.raises(ValueError, match="All `axis` values to be kept"):
        keras.layers.Normalization(axis=1).build((None, None))


def test_normalization_adapt_with_incompatible_shape(keras):
    layer = keras.layers.Normalization(axis=-1)
    layer.build((10, 5))
    with pytest.raises(ValueError, match="an incompatible shape"):
        layer.adapt(np.random.random((10, 3)))


def test_normalization_with_scalar_mean_var(keras):
    layer = keras.layers.Normalization(mean=3.0, variance=2.0)
    out = layer(np.array([[1, 2, 3]], dtype="float32"))
    assert_close(out, (np.array([[1, 2, 3]]) - 3.0) / np.sqrt(2.0), atol=1e-6)


def test_broadcast_non_scalar_middle_axis(keras):
    mean = np.arange(1, 6, dtype="float32")
    layer = keras.layers.Normalization(
        axis=2, mean=mean, variance=np.ones((5,), "float32")
    )
    layer.build((2, 4, 5, 3))
    assert tuple(layer.mean.shape) == (1, 1, 5, 1)
    assert_close(to_array(layer.mean)[0, 0, :, 0], mean)


def test_broadcast_multiple_axes(keras):
    layer = keras.layers.Normalization(
        axis=(1, 2),
        mean=np.zeros((10, 13), "float32"),
        variance=np.ones((10, 13), "float32"),
    )
    layer.build((None, 10, 13, 3))
    assert tuple(layer.mean.shape) == (1, 10, 13, 1)


def test_broadcast_partial_keep_axis(keras):
    mean = np.array([1.0, 2.0, 3.0, 4.0, 5.0], dtype="float32")
    layer = keras.layers.Normalization(
        axis=(1, 2), mean=mean, variance=np.ones((5,), "float32")
    )
    layer.build((2, 7, 5, 3))
    assert tuple(layer.mean.shape) == (1, 7, 5, 1)
    expected = np.reshape(mean, (1, 1, 5, 1))
    assert_close(to_array(layer.mean)[:, 0:1, :, :], expected)
    assert_close(to_array(layer.mean)[:, 6:7, :, :], expected)


def test_scalar_broadcast(keras):
    layer = keras.layers.Normalization(axis=-1, mean=5.0, variance=1.0)
    layer.build((3, 7))
    assert tuple(layer.mean.shape) == (1, 7)
    assert_close(layer.mean, [[5.0] * 7])


def test_adapt_list_of_batches(keras):
    x = np.random.random((32, 4)).astype("float32")
    layer = keras.layers.Normalization(axis=-1)
    layer.adapt([x[:8], x[8:16], x[16:24], x[24:32]])
    assert layer.built
    _check_standardized(keras, layer, x, 0)


def test_adapt_generator(keras):
    x = np.random.random((32, 4)).astype("float32")
    layer = keras.layers.Normalization(axis=-1)
    layer.adapt(x[i : i + 8] for i in range(0, 32, 8))
    assert layer.built
    _check_standardized(keras, layer, x, 0)


def test_adapt_iterable_same_result_as_ndarray(keras):
    x = np.random.random((64, 5)).astype("float32")
    by_list = keras.layers.Normalization(axis=-1)
    by_list.adapt([x[i : i + 16] for i in range(0, 64, 16)])
    by_array = keras.layers.Normalization(axis=-1)
    by_array.adapt(x)
    assert_close(by_list(x[:10]), to_array(by_array(x[:10])), atol=1e-5)


def test_adapt_iterable_with_tuples(keras):
    x = np.random.random((24, 3)).astype("float32")
    layer = keras.layers.Normalization(axis=-1)
    layer.adapt([(x[i : i + 8], np.zeros(8)) for i in range(0, 24, 8)])
    assert layer.built
    _check_standardized(keras, layer, x, 0)


def test_adapt_iterable_axis_none(keras):
    x = np.random.random((20, 2, 3)).astype("float32")
    layer = keras.layers.Normalization(axis=None)
    layer.adapt([x[i : i + 5] for i in range(0, 20, 5)])
    assert layer.built
    _check_standardized(keras, layer, x, None)


def test_adapt_empty_iterable_raises(keras):
    with pytest.raises(ValueError, match="empty iterable"):
        keras.layers.Normalization(axis=-1).adapt([])


def test_adapt_empty_generator_raises(keras):
    with pytest.raises(ValueError, match="empty iterable"):
        keras.layers.Normalization(axis=-1).adapt(x for x in ())


def test_adapt_iterable_incompatible_shape_raises(keras):
    batches = iter([np.random.random((8, 4)), np.random.random((8, 6))])
    with pytest.raises(ValueError, match="incompatible shape"):
        keras.layers.Normalization(axis=-1).adapt(batches)


def test_adapt_iterable_batch_without_shape_raises(keras):
    with pytest.raises(TypeError, match="`.shape`"):
        keras.layers.Normalization(axis=-1).adapt(iter([42]))


def test_adapt_iterable_single_batch(keras):
    x = np.random.random((16, 4)).astype("float32")
    layer = keras.layers.Normalization(axis=-1)
    layer.adapt([x])
    assert layer.built
    _check_standardized(keras, layer, x, 0)


def test_adapt_iterable_high_dim_axis_tuple(keras):
    x = np.random.random((32, 4, 3, 5)).astype("float32")
    layer = keras.layers.Normalization(axis=(1, 2))
    layer.adapt([x[i : i + 8] for i in range(0, 32, 8)])
    assert layer.built
    _check_standardized(keras, layer, x, (0, 3))


def test_adapt_iterator_of_batches(keras):
    x = np.random.random((24, 3)).astype("float32")
    layer = keras.layers.Normalization(axis=-1)
    layer.adapt(iter([x[i : i + 6] for i in range(0, 24, 6)]))
    assert layer.built
    _check_standardized(keras, layer, x, 0)


def test_adapt_dataset_with_labels(keras):
    # test_adapt_tf_dataset_with_labels, with a pl.data.Dataset of (x, y).
    x = np.ones((32, 3), dtype="float32")
    y = np.ones((32,), dtype="int32")
    layer = keras.layers.Normalization()
    layer.adapt(pl.data.Dataset.from_tensor_slices((x, y)).batch(8))
    assert_close(to_array(layer.mean).squeeze(), np.ones(3))
    assert_close(to_array(layer.variance).squeeze(), np.zeros(3))
