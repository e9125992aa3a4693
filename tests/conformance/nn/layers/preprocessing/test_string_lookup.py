"""Keras 3's layers/preprocessing/string_lookup_test.py cases, ported.

Not ported: test_adapt_with_grain_dataset (grain), test_sparse_inputs and
test_sparse_output_in_multi_hot (sparse and ragged tensors),
test_tf_data_compatibility (tf.data inside Keras), test_tensor_as_vocab
(TensorFlow string tensors) and test_torch_backend_compatibility (torch).
test_invert_lookup_basic (TensorFlow-only in Keras: string outputs) is ported;
inverted outputs are UTF-8 bytes in both libraries.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from conformance_keras import assert_close, to_array


def _texts(values):
    return [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in values]


def test_config(keras):
    layer = keras.layers.StringLookup(
        output_mode="int",
        vocabulary=["a", "b", "c"],
        oov_token="[OOV]",
        mask_token="[MASK]",
    )
    config = layer.get_config()
    assert keras.layers.StringLookup.from_config(config).get_config() == config
    assert config["vocabulary"] == ["a", "b", "c"]


def test_vocabulary_file(keras, tmp_path):
    vocab_path = os.path.join(str(tmp_path), "vocab.txt")
    with open(vocab_path, "w") as f:
        f.write("a\nb\nc\n")
    layer = keras.layers.StringLookup(
        output_mode="int",
        vocabulary=vocab_path,
        oov_token="[OOV]",
        mask_token="[MASK]",
        name="index",
    )
    expected = ["[MASK]", "[OOV]", "a", "b", "c"]
    assert [str(v) for v in layer.get_vocabulary()] == expected
    assert layer.get_config().get("vocabulary", None) is None
    os.remove(vocab_path)  # the vocabulary must come from the archive
    model = keras.Sequential([layer])
    model_path = os.path.join(str(tmp_path), "test_model.keras")
    model.save(model_path)
    reloaded = keras.saving.load_model(model_path).get_layer("index")
    assert [str(v) for v in reloaded.get_vocabulary()] == expected


def test_adapt_flow(keras):
    layer = keras.layers.StringLookup(output_mode="int")
    layer.adapt(["a", "a", "a", "b", "b", "c"])
    assert_close(layer(["b", "c", "d"]), [2, 3, 0])
    assert "a" in [str(v) for v in layer.get_vocabulary()]


def test_adapt_with_generator(keras):
    def vocab_gen():
        yield ["cat", "dog"]
        yield ["bird", "cat"]

    layer = keras.layers.StringLookup()
    layer.adapt(vocab_gen())
    vocab = [str(v) for v in layer.get_vocabulary()]
    assert "cat" in vocab and "dog" in vocab and "bird" in vocab


def test_adapt_with_infinite_generator_and_steps(keras):
    def vocab_gen():
        while True:
            yield ["cat", "dog", "bird"]

    layer = keras.layers.StringLookup()
    layer.adapt(vocab_gen(), steps=3)
    assert "cat" in [str(v) for v in layer.get_vocabulary()]


def test_fixed_vocabulary(keras):
    layer = keras.layers.StringLookup(output_mode="int", vocabulary=["a", "b", "c"])
    assert_close(layer(["b", "c", "d"]), [2, 3, 0])


def test_set_vocabulary(keras):
    layer = keras.layers.StringLookup(output_mode="int")
    layer.set_vocabulary(["a", "b", "c"])
    assert_close(layer(["b", "c", "d"]), [2, 3, 0])


def test_invert_lookup_basic(keras):
    layer = keras.layers.StringLookup(vocabulary=["a", "b", "c"], invert=True)
    assert _texts(to_array(layer([1, 2, 0])).tolist()) == ["a", "b", "[UNK]"]


def test_output_mode_count_shape(keras):
    layer = keras.layers.StringLookup(vocabulary=["a", "b"], output_mode="count")
    out = layer(["a", "a", "a", "b", "b"])
    assert out.shape[-1] == len(layer.get_vocabulary())


def test_output_mode_multi_hot_binary(keras):
    layer = keras.layers.StringLookup(vocabulary=["a", "b"], output_mode="multi_hot")
    assert_close(layer(["a", "b"]), [0, 1, 1])


def test_mask_token_basic(keras):
    layer = keras.layers.StringLookup(vocabulary=["a"], mask_token="[MASK]")
    assert int(to_array(layer(["[MASK]", "a"]))[0]) == 0


def test_get_vocabulary_include_special_tokens_false(keras):
    layer = keras.layers.StringLookup(vocabulary=["a", "b", "c"])
    assert layer.get_vocabulary(include_special_tokens=False) == ["a", "b", "c"]


def test_one_hot_symbolic_output_shape_nested_input(keras):
    layer = keras.layers.StringLookup(
        max_tokens=20,
        num_oov_indices=4,
        oov_token="[UNK]",
        vocabulary=["a", "b", "c", "d", "e", "f", "g", "h", "i"],
        output_mode="one_hot",
        pad_to_max_tokens=True,
        sparse=False,
    )
    symbolic = layer(keras.layers.Input(shape=(2, 2), dtype="string"))
    assert tuple(symbolic.shape) == (None, 2, 2, 20)
    eager = layer(np.array([[["a", "b"], ["c", "d"]], [["a", "b"], ["c", "d"]]]))
    assert tuple(eager.shape) == (2, 2, 2, 20)
    assert tuple(symbolic.shape)[1:] == tuple(eager.shape)[1:]


def test_salt_siphash(keras):
    vocab = ["a", "b", "c"]
    plain = keras.layers.StringLookup(vocabulary=vocab, num_oov_indices=4)
    salted = keras.layers.StringLookup(
        vocabulary=vocab, num_oov_indices=4, salt=[137, 42]
    )
    oov = ["x", "y", "z", "w", "v", "u"]
    assert not np.array_equal(to_array(plain(oov)), to_array(salted(oov)))


def test_unknown_output_mode_raises(keras):
    with pytest.raises(ValueError, match="output_mode"):
        keras.layers.StringLookup(output_mode="bad")
