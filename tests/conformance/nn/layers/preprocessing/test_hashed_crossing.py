"""Keras 3's layers/preprocessing/hashed_crossing_test.py cases, ported.

Not ported: the ``sparse=True`` parameterization and test_sparse_input_fails
(sparse tensors are out of scope), test_tf_data_compatibility and
test_static_shape_preserved (tf.data inside Keras), test_tf_string (TF
tensors; its dense cases are ported with numpy in test_scalar_inputs and
test_column_inputs_and_config_clone), and
test_cross_output_dtype (an expected failure, xfail, in Keras itself).
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_keras import assert_close, run_layer_test

FEAT1 = np.array(["A", "B", "A", "B", "A"])
FEAT2 = np.array([101, 101, 101, 102, 102])


def test_basics(keras):
    data = (np.array([1, 2]), np.array([4, 5]))
    run_layer_test(
        keras,
        keras.layers.HashedCrossing,
        {"num_bins": 3, "output_mode": "int"},
        input_data=data,
        expected_output_shape=(2,),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        expected_num_losses=0,
        supports_masking=False,
    )
    run_layer_test(
        keras,
        keras.layers.HashedCrossing,
        {"num_bins": 4, "output_mode": "one_hot"},
        input_data=data,
        expected_output_shape=(2, 4),
        expected_num_trainable_weights=0,
        expected_num_non_trainable_weights=0,
        expected_num_losses=0,
        supports_masking=False,
    )


def test_correctness(keras):
    layer = keras.layers.HashedCrossing(num_bins=5)
    assert_close(layer((FEAT1, FEAT2)), [1, 4, 1, 1, 3])
    layer = keras.layers.HashedCrossing(num_bins=5, output_mode="one_hot")
    expected = [
        [0.0, 1.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 1.0],
        [0.0, 1.0, 0.0, 0.0, 0.0],
        [0.0, 1.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 1.0, 0.0],
    ]
    assert_close(layer((FEAT1, FEAT2)), expected)


def test_column_inputs_and_config_clone(keras):
    # test_tf_string's last case with numpy columns of shape (5, 1), dense.
    layer = keras.layers.HashedCrossing(num_bins=5, output_mode="one_hot")
    clone = keras.layers.HashedCrossing.from_config(layer.get_config())
    inputs = (FEAT1[:, None], FEAT2[:, None])
    assert_close(clone(inputs), layer(inputs))


def test_scalar_inputs(keras):
    # test_tf_string's first case, with numpy scalars.
    layer = keras.layers.HashedCrossing(num_bins=10)
    assert_close(layer((np.array("A"), np.array(101))), 1)


def test_unsupported_shape_input_fails(keras):
    with pytest.raises(ValueError, match="inputs should have shape"):
        keras.layers.HashedCrossing(num_bins=10)(
            (np.array([[[1.0]]]), np.array([[[1.0]]]))
        )


def test_non_list_input_fails(keras):
    with pytest.raises(ValueError, match="should be called on a list"):
        keras.layers.HashedCrossing(num_bins=10)(np.array(1))


def test_single_input_fails(keras):
    with pytest.raises(ValueError, match="at least two inputs"):
        keras.layers.HashedCrossing(num_bins=10)([np.array(1)])


def test_float_input_fails(keras):
    with pytest.raises(ValueError, match="should have an integer or string"):
        keras.layers.HashedCrossing(num_bins=10)((np.array([1.0]), np.array([1.0])))
