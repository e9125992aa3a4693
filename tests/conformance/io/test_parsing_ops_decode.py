"""TF's parsing_ops_test.py, DecodeRawTest and DecodeJSONExampleTest cases.

Ported from tensorflow/python/kernel_tests/io_ops/parsing_ops_test.py. The
decode_raw_v1 cases (tf.compat.v1) and ParseTensorOpTest (graph-mode
placeholders and TensorProto internals) are left out. The JSON inputs are
written by hand in protobuf's JSON form (TF makes them with
``json_format.MessageToJson``); each decoded Example is checked by parsing it
back, as TF compares the protos.
"""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from conformance_support import to_numpy


def _ordinalize(words, fixed_length=None):
    fixed_length = len(words[0]) if fixed_length is None else fixed_length
    return np.array(
        [[ord(w[i]) if i < len(w) else 0 for i in range(fixed_length)] for w in words]
    )


def test_decode_raw_v2_fallback_equal_length(api):
    words = ["string1", "string2"]
    observed = to_numpy(api.io.decode_raw(np.array(words), api.uint8))
    expected = _ordinalize(words)
    assert observed.shape == expected.shape
    np.testing.assert_array_equal(observed, expected)


def test_decode_raw_v2_fallback_variable_length(api):
    with pytest.raises(api.errors.InvalidArgumentError):
        api.io.decode_raw(np.array(["string", "longer_string"]), api.uint8)


def test_decode_raw_v2_variable_length(api):
    words = ["string", "longer_string"]
    observed = to_numpy(api.io.decode_raw(np.array(words), api.uint8, fixed_length=8))
    expected = _ordinalize(words, fixed_length=8)
    assert observed.shape == expected.shape
    np.testing.assert_array_equal(observed, expected)


# -- DecodeJSONExampleTest -----------------------------------------------------


def _float(values):
    return {"floatList": {"value": [float(v) for v in values]}}


def _bytes(values):
    return {"bytesList": {"value": [base64.b64encode(v).decode() for v in values]}}


def _json(features):
    """An Example's JSON text, and its features for the check."""
    if features is None:
        return "{}", {}
    body = {"features": {"feature": {k: v for k, (v, _) in features.items()}}}
    return json.dumps(body), {k: want for k, (_, want) in features.items()}


def _round_trip(api, examples):
    """decode_json_example of ``examples`` (nested lists) parses back to them."""
    texts = np.empty(np.shape(examples)[:-1] or (), dtype=object)
    wants = np.empty(texts.shape, dtype=object)
    for index in np.ndindex(texts.shape):
        item = examples
        for i in index:
            item = item[i]
        texts[index], wants[index] = _json(item[0])
    out = np.asarray(to_numpy(api.io.decode_json_example(texts)), dtype=object)
    assert out.shape == texts.shape
    for index in np.ndindex(texts.shape):
        want = wants[index]
        specs = {k: api.io.VarLenFeature(dtype) for k, (dtype, _) in want.items()}
        if not specs:
            assert to_numpy(out[index]).tolist() == b""
            continue
        parsed = api.io.parse_single_example(out[index], specs)
        for key, (_, values) in want.items():
            got = to_numpy(parsed[key]).values.tolist()
            assert got == values, (key, got, values)


def test_empty_tensor(api):
    out = to_numpy(api.io.decode_json_example(np.empty((0,), dtype=object)))
    assert np.shape(out) == (0,)
    out = to_numpy(api.io.decode_json_example(np.empty((3, 0), dtype=object)))
    assert np.shape(out) == (3, 0)


def test_empty_examples(api):
    _round_trip(api, [[None], [None], [None]])


def _float_feature(api, values):
    return (_float(values), (api.float32, [float(v) for v in values]))


def test_dense_features_scalar(api):
    examples = [{"a": _float_feature(api, [1, 1, 3])}]
    text, want = _json(examples[0])
    out = api.io.decode_json_example(text)
    parsed = api.io.parse_single_example(out, {"a": api.io.VarLenFeature(api.float32)})
    assert to_numpy(parsed["a"]).values.tolist() == want["a"][1]


def test_dense_features_vector(api):
    _round_trip(
        api,
        [
            [{"a": _float_feature(api, [1, 1, 3])}],
            [{"a": _float_feature(api, [-1, -1, 2])}],
        ],
    )


def test_dense_features_matrix(api):
    _round_trip(
        api,
        [
            [[{"a": _float_feature(api, [1, 1, 3])}]],
            [[{"a": _float_feature(api, [-1, -1, 2])}]],
        ],
    )


def test_sparse_features(api):
    _round_trip(
        api,
        [
            [{"st_c": _float_feature(api, [3, 4])}],
            [{"st_c": _float_feature(api, [])}],
            [{"st_d": ({}, (api.string, []))}],
            [
                {
                    "st_c": _float_feature(api, [1, 2, -1]),
                    "st_d": (_bytes([b"hi"]), (api.string, [b"hi"])),
                }
            ],
        ],
    )


def test_serialized_containing_bytes(api):
    name = "b*has+a:tricky_name"
    _round_trip(
        api,
        [
            [
                {
                    "a": _float_feature(api, [1, 1]),
                    name: (_bytes([b"b0_str"]), (api.string, [b"b0_str"])),
                }
            ],
            [
                {
                    "a": _float_feature(api, [-1, -1]),
                    name: (_bytes([b"b1"]), (api.string, [b"b1"])),
                }
            ],
        ],
    )


def test_invalid_syntax(api):
    with pytest.raises(
        api.errors.InvalidArgumentError, match="Error while parsing JSON"
    ):
        api.io.decode_json_example(np.array(["{]"], dtype=object))
