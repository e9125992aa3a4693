"""Keras 3's ``layers/core/embedding_test.py`` cases, ported
(run against both libraries).

Out of scope (not ported): sparse and ragged inputs (test_sparse, test_ragged,
test_correctness_sparse), LoRA (test_enable_lora*, test_lora_rank_argument),
quantization (test_quantize_*, int4/int8 cases, test_embedding_quantize_config,
test_legacy_load_own_variables).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.conformance_keras import assert_close, run_layer_test, to_array

_BAD_DIMS = [3.7, 4.0, "3", None, True, False, -1, 0]


def test_embedding_basics(keras):
    run_layer_test(
        keras,
        keras.layers.Embedding,
        {"input_dim": 4, "output_dim": 3},
        input_shape=(2,),
        input_dtype="int32",
        expected_output_shape=(2, 3),
        expected_num_trainable_weights=1,
        expected_num_non_trainable_weights=0,
        expected_num_losses=0,
        supports_masking=False,
    )


def test_embedding_basics_mask_zero(keras):
    run_layer_test(
        keras,
        keras.layers.Embedding,
        {"input_dim": 5, "output_dim": 4, "mask_zero": True},
        input_shape=(2, 3),
        input_dtype="int64",
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=1,
        expected_num_non_trainable_weights=0,
        expected_num_losses=0,
        supports_masking=True,
    )


def test_correctness(keras):
    layer = keras.layers.Embedding(input_dim=3, output_dim=2)
    layer.build()
    layer.embeddings.assign(np.array([[0.0, 0.0], [2.0, 2.0], [3.0, 3.0]]))
    out = layer(np.array([2, 1, 0]))
    assert_close(out, np.array([[3.0, 3.0], [2.0, 2.0], [0.0, 0.0]]))


def test_masking(keras):
    layer = keras.layers.Embedding(input_dim=3, output_dim=2, mask_zero=True)
    layer.build()
    out = layer.compute_mask(np.array([2, 1, 0]))
    assert to_array(out).tolist() == [True, True, False]


def test_mask_zero_output_carries_mask(keras):
    layer = keras.layers.Embedding(input_dim=3, output_dim=2, mask_zero=True)
    out = layer(np.array([[2, 0, 1]]))
    assert to_array(out._keras_mask).tolist() == [[True, False, True]]


def test_compute_mask_no_masking(keras):
    layer = keras.layers.Embedding(input_dim=3, output_dim=2, mask_zero=False)
    assert layer.compute_mask(np.array([2, 1, 0])) is None


def test_embedding_constraints(keras):
    layer = keras.layers.Embedding(3, 2, embeddings_constraint="non_neg")
    layer.build((None, 2))
    assert isinstance(layer.embeddings.constraint, keras.constraints.NonNeg)


@pytest.mark.parametrize("bad_value", _BAD_DIMS)
def test_invalid_input_dim(keras, bad_value):
    with pytest.raises(ValueError, match="`input_dim` must be a positive integer"):
        keras.layers.Embedding(input_dim=bad_value, output_dim=8)


def test_invalid_input_dim_from_config(keras):
    with pytest.raises(TypeError, match="`input_dim` must be a positive integer"):
        keras.layers.Embedding.from_config({"input_dim": 3.7, "output_dim": 8})


@pytest.mark.parametrize("bad_value", _BAD_DIMS)
def test_invalid_output_dim(keras, bad_value):
    with pytest.raises(ValueError, match="`output_dim` must be a positive integer"):
        keras.layers.Embedding(input_dim=10, output_dim=bad_value)


def test_invalid_output_dim_from_config(keras):
    with pytest.raises(TypeError, match="`output_dim` must be a positive integer"):
        keras.layers.Embedding.from_config({"input_dim": 10, "output_dim": 3.7})


def test_weights_constructor_arg(keras):
    layer = keras.layers.Embedding(3, 4, weights=np.ones((3, 4)))
    assert_close(layer.embeddings.numpy(), np.ones((3, 4)))
    layer = keras.layers.Embedding(3, 4, weights=[np.ones((3, 4))])
    assert_close(layer.embeddings.numpy(), np.ones((3, 4)))
