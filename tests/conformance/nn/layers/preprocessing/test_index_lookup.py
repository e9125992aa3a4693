"""Keras 3's layers/preprocessing/index_lookup_test.py cases, ported.

``IndexLookup`` is not public in Keras (``keras.layers`` has no such name), so
each case runs through the public subclass its ``vocabulary_dtype`` selects:
``StringLookup`` for ``"string"``, ``IntegerLookup`` for ``"int64"``.
test_adapt_with_tf_data feeds a ``pl.data.Dataset`` of batches, which both
libraries iterate. Not ported: test_sparse_outputs (empty in Keras).
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from conformance_keras import assert_close, to_array

import pipeline as pl

STRING_KW = {
    "max_tokens": 7,
    "num_oov_indices": 1,
    "mask_token": "",
    "oov_token": "[OOV]",
}
INT_KW = {"max_tokens": 7, "num_oov_indices": 1, "mask_token": 0, "oov_token": -1}


def _lookup(keras, vocabulary_dtype="string", **kwargs):
    if vocabulary_dtype == "string":
        return keras.layers.StringLookup(**kwargs)
    return keras.layers.IntegerLookup(vocabulary_dtype=vocabulary_dtype, **kwargs)


def _round_trip(layer):
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config


def _ints(output):
    return [int(v) for v in to_array(output).tolist()]


def _check_string_layer(layer, expected_vocab):
    assert layer.get_vocabulary() == ["", "[OOV]"] + expected_vocab
    assert layer.get_vocabulary(include_special_tokens=False) == expected_vocab
    assert _ints(layer(["one", "two", "four"])) == [2, 3, 1]
    _round_trip(layer)


def test_basics_string_vocab(keras):
    vocab = ["one", "two", "three"]
    with_special = ["", "[OOV]", "one", "two", "three"]
    layer = _lookup(keras, **STRING_KW)
    layer.adapt(["one", "one", "one", "two", "two", "three"])
    _check_string_layer(layer, vocab)
    assert _ints(layer(np.array(["one", "two", "four"]))) == [2, 3, 1]
    _check_string_layer(_lookup(keras, vocabulary=vocab, **STRING_KW), vocab)
    _check_string_layer(_lookup(keras, vocabulary=with_special, **STRING_KW), vocab)
    for given in (vocab, with_special):
        layer = _lookup(keras, **STRING_KW)
        layer.set_vocabulary(given)
        _check_string_layer(layer, vocab)


def _check_int_layer(layer):
    assert layer.get_vocabulary() == [0, -1, 1, 2, 3]
    assert layer.get_vocabulary(include_special_tokens=False) == [1, 2, 3]
    assert _ints(layer([1, 2, 4])) == [2, 3, 1]
    _round_trip(layer)


def test_basics_integer_vocab(keras):
    layer = _lookup(keras, "int64", **INT_KW)
    layer.adapt([1, 1, 1, 2, 2, 3])
    _check_int_layer(layer)
    assert _ints(layer(np.array([1, 2, 4]))) == [2, 3, 1]
    _check_int_layer(_lookup(keras, "int64", vocabulary=[1, 2, 3], **INT_KW))
    _check_int_layer(_lookup(keras, "int64", vocabulary=[0, -1, 1, 2, 3], **INT_KW))
    for given in ([1, 2, 3], [0, -1, 1, 2, 3]):
        layer = _lookup(keras, "int64", **INT_KW)
        layer.set_vocabulary(given)
        _check_int_layer(layer)


def test_max_tokens_adapt(keras):
    layer = _lookup(keras, "int64", **{**INT_KW, "max_tokens": 4})
    layer.adapt([1, 1, 1, 2, 2, 3])
    assert layer.get_vocabulary() == [0, -1, 1, 2]
    assert layer.get_vocabulary(include_special_tokens=False) == [1, 2]
    assert _ints(layer([1, 2, 3, 4])) == [2, 3, 1, 1]
    _round_trip(layer)


def test_pad_to_max_tokens(keras):
    layer = _lookup(
        keras,
        "int64",
        **{**INT_KW, "max_tokens": 5},
        vocabulary=[1, 2],
        pad_to_max_tokens=True,
        output_mode="multi_hot",
    )
    assert_close(layer([1, 2]), [0, 1, 1, 0, 0])
    _round_trip(layer)


def test_output_modes(keras):
    kwargs = {**STRING_KW, "vocabulary": ["one", "two", "three"]}
    single = ["one", "two", "four"]
    batch = [["one", "two", "four", "two"]]
    layer = _lookup(keras, output_mode="int", **kwargs)
    assert_close(layer(single), [2, 3, 1])
    assert_close(layer(batch), [[2, 3, 1, 3]])
    layer = _lookup(keras, output_mode="multi_hot", **kwargs)
    assert_close(layer(single), [1, 1, 1, 0])
    assert_close(layer(batch), [[1, 1, 1, 0]])
    layer = _lookup(keras, output_mode="one_hot", **kwargs)
    assert_close(layer(single), [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 0]])
    layer = _lookup(keras, output_mode="count", **kwargs)
    assert_close(layer(single), [1, 1, 1, 0])
    assert_close(layer(batch), [[1, 1, 2, 0]])
    layer = _lookup(
        keras, output_mode="tf_idf", idf_weights=np.array([0.1, 0.2, 0.3]), **kwargs
    )
    assert_close(layer(single), [0.2, 0.1, 0.2, 0.0])
    assert_close(layer(batch), [[0.2, 0.1, 0.4, 0.0]])


def test_one_hot_symbolic_output_shape_with_higher_rank_input(keras):
    layer = keras.layers.IntegerLookup(vocabulary=[1, 2, 3], output_mode="one_hot")
    symbolic = layer(keras.layers.Input(shape=(2, 2), dtype="int32"))
    assert tuple(symbolic.shape) == (None, 2, 2, 4)
    eager = layer(np.array([[[1, 2], [3, 0]], [[1, 2], [3, 0]]]))
    assert tuple(eager.shape) == (2, 2, 2, 4)
    assert tuple(symbolic.shape)[1:] == tuple(eager.shape)[1:]


def test_one_hot_compute_output_spec_preserves_input_dims(keras):
    layer = keras.layers.IntegerLookup(vocabulary=[1, 2, 3], output_mode="one_hot")
    spec = layer.compute_output_spec(keras.layers.Input(shape=(3, 4), dtype="int32"))
    assert tuple(spec.shape) == (None, 3, 4, 4)
    assert spec.dtype == "float32"


def test_one_hot_compute_output_shape_multi_hot_consistency(keras):
    kwargs = {
        "max_tokens": 10,
        "num_oov_indices": 1,
        "mask_token": None,
        "oov_token": "[OOV]",
        "vocabulary": ["a", "b", "c"],
    }
    multi = _lookup(keras, output_mode="multi_hot", **kwargs)
    assert tuple(multi.compute_output_shape((None, 5))) == (None, 4)
    one = _lookup(keras, output_mode="one_hot", **kwargs)
    assert tuple(one.compute_output_shape((None, 2, 2))) == (None, 2, 2, 4)


def test_adapt_tf_idf(keras):
    data = ["one", "one", "one", "two", "two", "three"]
    layer = _lookup(keras, output_mode="tf_idf", **STRING_KW)
    layer.adapt(data)
    idf = np.log(1 + len(data) / (1 + np.array([3, 2, 1])))
    assert_close(to_array(layer.idf_weights)[1:], idf, atol=1e-6)
    assert_close(layer(["one", "two", "four"]), [1.1337324, 0.91629076, 1.0986123, 0.0])
    docs = [["one", "one"], ["one", "two"], ["two", "three"]]
    layer = _lookup(keras, output_mode="tf_idf", **STRING_KW)
    layer.adapt(docs)
    idf = np.log(1 + len(docs) / (1 + np.array([2, 2, 1])))
    assert_close(to_array(layer.idf_weights)[1:], idf, atol=1e-6)
    expected = [[0.0, 0.6931472, 0.6931472, 0.0], [0.76752836, 0.0, 0.6931472, 0.0]]
    assert_close(layer([["one", "two"], ["two", "four"]]), expected)


def test_invert(keras):
    layer = _lookup(
        keras,
        vocabulary=["one", "two", "three"],
        invert=True,
        output_mode="int",
        **STRING_KW,
    )
    out = to_array(layer([2, 3, 1]))
    assert [w.decode("utf-8") for w in out] == ["one", "two", "[OOV]"]
    out = to_array(layer([[2, 3, 1, 3]]))
    assert [w.decode("utf-8") for w in out[0]] == ["one", "two", "[OOV]", "two"]


def test_saving(keras, tmp_path):
    path = os.path.join(str(tmp_path), "model.keras")
    batch = np.array([["one", "two", "four"]])
    for extra in ({}, {"vocabulary": ["one", "two", "three"]}):
        layer = _lookup(keras, output_mode="int", **STRING_KW, **extra)
        if not extra:
            layer.adapt(["one", "one", "one", "two", "two", "three"])
        model = keras.Sequential(
            [keras.layers.Input(shape=(None,), dtype="string"), layer]
        )
        before = to_array(model(batch))
        model.save(path)
        loaded = keras.saving.load_model(path)
        assert_close(loaded(batch), before)


def test_adapt_with_tf_data(keras):
    words = np.array(["one", "one", "one", "two", "two", "three"])
    layer = _lookup(keras, **STRING_KW)
    layer.adapt(pl.data.Dataset.from_tensor_slices(words).batch(2))
    assert layer.get_vocabulary() == ["", "[OOV]", "one", "two", "three"]
    assert layer.get_vocabulary(include_special_tokens=False) == ["one", "two", "three"]
    assert _ints(layer(["one", "two", "four"])) == [2, 3, 1]
    _round_trip(layer)


NONE_KW = {
    "num_oov_indices": 1,
    "max_tokens": None,
    "mask_token": None,
    "oov_token": None,
}


def test_max_tokens_less_than_two(keras):
    with pytest.raises(
        ValueError, match="If set, `max_tokens` must be greater than 1."
    ):
        _lookup(keras, **{**NONE_KW, "max_tokens": 1})


def test_max_tokens_none_with_pad_to_max_tokens(keras):
    with pytest.raises(
        ValueError, match="If pad_to_max_tokens is True, must set `max_tokens`."
    ):
        _lookup(keras, pad_to_max_tokens=True, **NONE_KW)


def test_negative_num_oov_indices(keras):
    with pytest.raises(
        ValueError, match="`num_oov_indices` must be greater than or equal to 0."
    ):
        _lookup(keras, **{**NONE_KW, "max_tokens": 10, "num_oov_indices": -1})


def test_invert_with_non_int_output_mode(keras):
    with pytest.raises(
        ValueError, match=r"`output_mode` must be `'int'` when `invert` is true."
    ):
        _lookup(keras, invert=True, output_mode="one_hot", **NONE_KW)


def test_sparse_true_with_int_output_mode(keras):
    with pytest.raises(
        ValueError, match=r"`sparse` may only be true if `output_mode` is `'one_hot'`"
    ):
        _lookup(keras, sparse=True, output_mode="int", **NONE_KW)


@pytest.mark.parametrize("mode", ["int", "multi_hot"])
def test_idf_weights_set_with_non_tfidf_output_mode(keras, mode):
    with pytest.raises(
        ValueError,
        match=r"`idf_weights` should only be set if `output_mode` is `'tf_idf'`",
    ):
        _lookup(keras, idf_weights=[0.5, 0.1, 0.3], output_mode=mode, **NONE_KW)


def test_unrecognized_kwargs(keras):
    with pytest.raises(ValueError, match="Unrecognized keyword argument"):
        _lookup(keras, output_mode="int", extra_arg=True, **NONE_KW)


def test_vocabulary_file_does_not_exist(keras):
    with pytest.raises(
        ValueError, match="Vocabulary file path/to/missing_vocab.txt does not exist"
    ):
        _lookup(
            keras, output_mode="int", vocabulary="path/to/missing_vocab.txt", **NONE_KW
        )


def test_repeated_tokens_in_vocabulary(keras):
    with pytest.raises(
        ValueError, match="The passed vocabulary has at least one repeated term."
    ):
        _lookup(keras, vocabulary=["token", "token", "unique"], **NONE_KW)


def test_mask_token_in_wrong_position(keras):
    with pytest.raises(
        ValueError,
        match="Found reserved mask token at unexpected location in `vocabulary`.",
    ):
        _lookup(
            keras,
            vocabulary=["token", "mask", "unique"],
            **{**NONE_KW, "mask_token": "mask"},
        )


def test_ensure_known_vocab_size_without_vocabulary(keras):
    layer = _lookup(keras, output_mode="multi_hot", **{**STRING_KW, "max_tokens": None})
    with pytest.raises(RuntimeError, match="When using `output_mode=multi_hot` and"):
        layer(["sample", "data"])


ASSET_KW = {
    "max_tokens": 10,
    "num_oov_indices": 1,
    "mask_token": "<mask>",
    "oov_token": "[OOV]",
}


def test_save_and_load_assets_string_vocab(keras, tmp_path):
    layer = _lookup(keras, **ASSET_KW)
    layer.set_vocabulary(["apple", "banana", "cherry"])
    sample = ["apple", "banana", "unknown"]
    before = to_array(layer(sample))
    layer.save_assets(str(tmp_path))
    other = _lookup(keras, **ASSET_KW)
    other.load_assets(str(tmp_path))
    assert other.get_vocabulary() == layer.get_vocabulary()
    assert other.get_vocabulary(include_special_tokens=False) == layer.get_vocabulary(
        include_special_tokens=False
    )
    np.testing.assert_array_equal(to_array(other(sample)), before)


def test_save_and_load_assets_with_multiple_oov_indices(keras, tmp_path):
    kwargs = {**ASSET_KW, "num_oov_indices": 2}
    layer = _lookup(keras, **kwargs)
    layer.set_vocabulary(["apple", "banana"])
    vocab = layer.get_vocabulary(include_special_tokens=True)
    assert len(vocab) == 5
    assert vocab[:3] == ["<mask>", "[OOV]", "[OOV]"]
    layer.save_assets(str(tmp_path))
    other = _lookup(keras, **kwargs)
    other.load_assets(str(tmp_path))
    assert other.get_vocabulary(include_special_tokens=True) == vocab


def test_load_assets_handles_trailing_newlines(keras, tmp_path):
    layer = _lookup(keras, **ASSET_KW)
    layer.set_vocabulary(["apple", "banana", "cherry"])
    with open(os.path.join(str(tmp_path), "vocabulary.txt"), "w") as f:
        f.write("<mask>\n[OOV]\napple\nbanana\ncherry\n")
    other = _lookup(keras, **ASSET_KW)
    other.load_assets(str(tmp_path))
    assert other.get_vocabulary(include_special_tokens=True) == layer.get_vocabulary(
        include_special_tokens=True
    )


def test_oov_method_ignored_for_string_dtype(keras):
    kwargs = {
        "max_tokens": 10,
        "num_oov_indices": 4,
        "mask_token": "",
        "oov_token": "[OOV]",
        "vocabulary": ["cat", "dog", "fish"],
    }
    data = ["aaa", "bbb", "ccc", "ddd", "eee", "fff"]
    floormod = to_array(_lookup(keras, oov_method="floormod", **kwargs)(data))
    farmhash = to_array(_lookup(keras, oov_method="farmhash", **kwargs)(data))
    assert_close(floormod, farmhash)


SALT_KW = {"max_tokens": 10, "num_oov_indices": 2, "mask_token": None, "oov_token": -1}


def test_salt_config_serialization(keras):
    layer = _lookup(
        keras,
        "int64",
        vocabulary=[1, 2, 3],
        oov_method="farmhash",
        salt=[137, 42],
        **SALT_KW,
    )
    _round_trip(layer)


def test_salt_valid_and_invalid_formats(keras):
    kwargs = {**SALT_KW, "oov_method": "farmhash"}
    assert _lookup(keras, "int64", salt=[137, 42], **kwargs).salt == [137, 42]
    assert _lookup(keras, "int64", salt=99, **kwargs).salt == [99, 99]
    for salt in ("bad", [1, 2, 3]):
        with pytest.raises(ValueError):
            _lookup(keras, "int64", salt=salt, **kwargs)


def test_salt_requires_farmhash(keras):
    with pytest.raises(ValueError):
        _lookup(keras, "int64", oov_method="floormod", salt=[137, 42], **SALT_KW)


@pytest.mark.parametrize(
    "dtype, vocab, oov, oov_token",
    [
        ("int64", [1, 2, 3], [100, 200, 300, 400, 500, 600], -1),
        ("string", ["a", "b", "c"], ["x", "y", "z", "w", "v", "u"], "[OOV]"),
    ],
)
def test_salt_produces_different_output_than_farmhash(
    keras, dtype, vocab, oov, oov_token
):
    kwargs = {
        "max_tokens": 10,
        "num_oov_indices": 4,
        "mask_token": None,
        "oov_token": oov_token,
        "vocabulary": vocab,
        "oov_method": "farmhash",
    }
    plain = to_array(_lookup(keras, dtype, **kwargs)(oov))
    salted = to_array(_lookup(keras, dtype, salt=[137, 42], **kwargs)(oov))
    assert not np.array_equal(plain, salted)
