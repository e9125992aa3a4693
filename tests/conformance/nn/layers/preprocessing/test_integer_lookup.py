"""Keras 3's layers/preprocessing/integer_lookup_test.py cases, ported.

Not ported: test_tf_data_compatibility (tf.data inside Keras) and
test_sparse_output (sparse outputs). test_adapt_with_steps feeds a
``pl.data.Dataset`` of batches, which both libraries iterate.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from conformance_keras import assert_close, to_array

import pipeline as pl

ADAPT = [1, 1, 1, 2, 2, 3]


def test_config(keras):
    layer = keras.layers.IntegerLookup(
        output_mode="int", vocabulary=[1, 2, 3], oov_token=1, mask_token=0
    )
    config = layer.get_config()
    assert keras.layers.IntegerLookup.from_config(config).get_config() == config


def test_adapt_flow(keras):
    def adapted(mode):
        layer = keras.layers.IntegerLookup(output_mode=mode)
        layer.adapt(ADAPT)
        return layer

    layer = adapted("int")
    assert_close(layer([1, 2, 4]), [1, 2, 0])
    assert_close(layer([[1, 2, 4], [2, 3, 5]]), [[1, 2, 0], [2, 3, 0]])
    assert_close(
        adapted("one_hot")([1, 2, 4]), [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 0]]
    )
    assert_close(adapted("multi_hot")([1, 2, 4]), [1, 1, 1, 0])
    assert_close(
        adapted("tf_idf")([1, 2, 4]), [1.133732, 0.916291, 1.098612, 0.0], atol=1e-5
    )
    assert_close(adapted("count")([1, 2, 3, 4, 1, 2, 1]), [1, 3, 2, 1])


def test_fixed_vocabulary(keras):
    layer = keras.layers.IntegerLookup(output_mode="int", vocabulary=[1, 2, 3, 4])
    assert_close(layer([2, 3, 4, 5]), [2, 3, 4, 0])


def test_set_vocabulary(keras):
    layer = keras.layers.IntegerLookup(output_mode="int")
    layer.set_vocabulary([1, 2, 3, 4])
    assert_close(layer([2, 3, 4, 5]), [2, 3, 4, 0])


def test_one_hot_output_with_higher_rank_input(keras):
    data = np.array([[1, 2], [3, 0]])
    layer = keras.layers.IntegerLookup(vocabulary=[1, 2, 3], output_mode="one_hot")
    out = layer(data)
    assert tuple(out.shape) == (2, 2, 4)
    expected = np.array([[[0, 1, 0, 0], [0, 0, 1, 0]], [[0, 0, 0, 1], [1, 0, 0, 0]]])
    assert_close(out, expected)
    out3 = layer(np.expand_dims(data, axis=0))
    assert tuple(out3.shape) == (1, 2, 2, 4)
    assert_close(out3, np.expand_dims(expected, axis=0))


@pytest.mark.parametrize("mode", ["multi_hot", "count"])
def test_multi_hot_and_count_output_shape(keras, mode):
    layer = keras.layers.IntegerLookup(vocabulary=[1, 2, 3], output_mode=mode)
    assert tuple(layer(np.array([[1, 2], [3, 0]])).shape) == (2, 4)


def test_tf_idf_output_shape(keras):
    layer = keras.layers.IntegerLookup(
        vocabulary=[1, 2, 3], idf_weights=[1.0, 1.0, 1.0], output_mode="tf_idf"
    )
    assert tuple(layer(np.array([[1, 2], [3, 0]])).shape) == (2, 4)


def test_max_tokens(keras):
    layer = keras.layers.IntegerLookup(output_mode="int", max_tokens=4)
    layer.adapt([1, 2, 3, 4, 5, 6, 1, 1, 2, 2])
    assert len(layer.get_vocabulary()) == 4


def test_mask_token(keras):
    layer = keras.layers.IntegerLookup(
        output_mode="int", vocabulary=[1, 2, 3], mask_token=0
    )
    assert_close(layer([0, 1, 2, 3]), [0, 2, 3, 4])


def test_invert(keras):
    layer = keras.layers.IntegerLookup(vocabulary=[10, 20, 30], invert=True)
    assert_close(layer([1, 2, 3, 0]), [10, 20, 30, -1])


def test_pad_to_max_tokens(keras):
    layer = keras.layers.IntegerLookup(
        vocabulary=[1, 2], output_mode="multi_hot", max_tokens=5, pad_to_max_tokens=True
    )
    assert layer([1, 2]).shape[-1] == 5


def test_num_oov_indices(keras):
    layer = keras.layers.IntegerLookup(
        vocabulary=[1, 2, 3], num_oov_indices=2, output_mode="int"
    )
    out = to_array(layer([1, 2, 3, 999, 1000]))
    assert_close(out[:3], [2, 3, 4])
    assert all(o in (0, 1) for o in out[3:])


def test_get_vocabulary(keras):
    layer = keras.layers.IntegerLookup(output_mode="int")
    layer.adapt([5, 5, 5, 10, 10, 15])
    vocab = layer.get_vocabulary()
    assert vocab[0] == -1
    assert vocab[1] == 5


def test_invalid_max_tokens(keras):
    with pytest.raises(ValueError):
        keras.layers.IntegerLookup(max_tokens=1)


def test_invalid_num_oov_indices(keras):
    with pytest.raises(ValueError):
        keras.layers.IntegerLookup(num_oov_indices=-1)


def test_invalid_vocabulary_dtype(keras):
    with pytest.raises(ValueError, match="vocabulary_dtype"):
        keras.layers.IntegerLookup(vocabulary_dtype="int32")


def test_num_oov_indices_zero(keras):
    layer = keras.layers.IntegerLookup(
        vocabulary=[1, 2, 3], num_oov_indices=0, output_mode="int"
    )
    assert_close(layer([1, 2, 3]), [0, 1, 2])


def test_adapt_with_steps(keras):
    layer = keras.layers.IntegerLookup(output_mode="int")
    dataset = pl.data.Dataset.from_tensor_slices(np.array([1, 2, 3, 1, 1])).batch(2)
    layer.adapt(dataset, steps=2)
    assert 1 in layer.get_vocabulary()


def test_vocabulary_from_file(keras, tmp_path):
    path = os.path.join(str(tmp_path), "vocab.txt")
    with open(path, "w") as f:
        f.write("10\n20\n30\n")
    layer = keras.layers.IntegerLookup(vocabulary=path, output_mode="int")
    assert_close(layer([10, 20, 30, 999]), [1, 2, 3, 0])


def test_oov_method_farmhash(keras):
    layer = keras.layers.IntegerLookup(
        vocabulary=[12, 36, 1138, 42], num_oov_indices=2, oov_method="farmhash"
    )
    out = to_array(layer(np.array([12, 36, 1138, 42, 100, 200])))
    assert_close(out[:4], [2, 3, 4, 5])
    assert all(o in (0, 1) for o in out[4:])


def test_oov_method_invalid_value(keras):
    with pytest.raises(ValueError):
        keras.layers.IntegerLookup(
            vocabulary=[1, 2, 3], num_oov_indices=2, oov_method="invalid_method"
        )


def test_oov_method_ignored_when_single_oov_index(keras):
    floormod = keras.layers.IntegerLookup(
        vocabulary=[1, 2, 3], num_oov_indices=1, oov_method="floormod"
    )
    farmhash = keras.layers.IntegerLookup(
        vocabulary=[1, 2, 3], num_oov_indices=1, oov_method="farmhash"
    )
    assert_close(floormod([99, 100, 101]), to_array(farmhash([99, 100, 101])))


def test_oov_method_farmhash_output_is_correct(keras):
    layer = keras.layers.IntegerLookup(
        vocabulary=[10, 20, 30], num_oov_indices=4, oov_method="farmhash"
    )
    assert_close(layer([100, 200, 300, 400]), [3, 1, 3, 1])


def test_salt_siphash(keras):
    kwargs = {
        "vocabulary": [10, 20, 30],
        "num_oov_indices": 4,
        "oov_method": "farmhash",
    }
    plain = keras.layers.IntegerLookup(**kwargs)
    salted = keras.layers.IntegerLookup(salt=[137, 42], **kwargs)
    oov = np.array([100, 300, 700, 1100, 1700, 2000])
    assert not np.array_equal(to_array(plain(oov)), to_array(salted(oov)))
