"""pipeline.io.example_json.decode_json_example: JSON Examples to wire bytes."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_parsing import example, int64_feature

from pipeline.errors import InvalidArgumentError
from pipeline.io import decode_json_example


def test_round_trip_bytes_match_the_wire_encoder():
    text = '{"features": {"feature": {"a": {"int64List": {"value": ["1", 2]}}}}}'
    assert decode_json_example(text) == example({"a": int64_feature([1, 2])})
    text = '{"features": {"feature": {"f": {"float_list": {"value": ["NaN", 1]}}}}}'
    out = decode_json_example([text])
    assert out.shape == (1,) and out.dtype == object
    assert out[0][-4:] == np.float32(1).tobytes()
    assert decode_json_example(np.array([["{}"], ["{}"]])).tolist() == [[b""], [b""]]


@pytest.mark.parametrize(
    "text, match",
    [
        ("{]", "Error while parsing JSON"),
        ('{"foo": 1}', "no such field: 'foo'"),
        ('{"features": {"feature": {"a": {"int64List": {"value": ["x"]}}}}}', "int64"),
        ('{"features": {"feature": {"a": {"bytesList": {"value": [1]}}}}}', "base64"),
    ],
)
def test_errors(text, match):
    with pytest.raises(InvalidArgumentError, match=match):
        decode_json_example([text])
