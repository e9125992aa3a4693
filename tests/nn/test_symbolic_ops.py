"""Operators on symbolic tensors: values against numpy, and tampered saved configs."""

from __future__ import annotations

import json
import operator
import zipfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import nn
from pipeline.errors import ModelFormatError
from pipeline.nn import layers
from pipeline.nn.layers._symbolic_ops import TensorOp, decode_key, encode_key

_OPS = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}


@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(sorted(_OPS)),
            st.booleans(),
            st.floats(0.5, 4.0, allow_nan=False),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_chained_operators_match_numpy(steps):
    x = layers.Input((3,))
    symbolic = x
    value = np.array([[0.5, 1.0, 2.0], [3.0, -1.5, 4.0]], np.float32)
    expected = value.copy()
    for op, reflected, constant in steps:
        fn = _OPS[op]
        if reflected:
            symbolic = fn(np.float32(constant), symbolic)
            expected = fn(np.float32(constant), expected)
        else:
            symbolic = fn(symbolic, np.float32(constant))
            expected = fn(expected, np.float32(constant))
    model = nn.Model(x, symbolic)
    got = np.asarray(model(value))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    clone = nn.Model.from_config(model.get_config())
    np.testing.assert_allclose(np.asarray(clone(value)), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "key",
    [
        (slice(None), slice(1, None)),
        (Ellipsis, 0),
        (slice(None), None, slice(None, None, -1)),
        1,
    ],
)
def test_indexing_keys_round_trip_through_json(key):
    assert decode_key(json.loads(json.dumps(encode_key(key)))) == key


def test_unknown_operation_is_refused():
    with pytest.raises(ValueError, match="Unknown tensor operation: 'eval'"):
        TensorOp("eval")


def _saved_with_ops(path):
    x = layers.Input((3,), name="x")
    nn.Model(x, (x * 2.0)[:, 1:], name="ops").save(path)


def _tamper(path, change):
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    config = json.loads(members["config.json"])
    change(config["config"]["layers"])
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _entry(entries, op):
    return next(
        e for e in entries if e["class_name"] == "TensorOp" and e["config"]["op"] == op
    )


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda ls: _entry(ls, "multiply")["config"].update(op="system"), "system"),
        (
            lambda ls: _entry(ls, "getitem")["config"].update(
                key=[{"slice": ["1", 2, 3]}]
            ),
            "indexing key",
        ),
        (
            lambda ls: _entry(ls, "multiply")["config"].update(constant="x"),
            "Unsupported",
        ),
    ],
)
def test_tampered_operator_configs_raise_model_format_errors(tmp_path, change, match):
    path = tmp_path / "ops.keras"
    _saved_with_ops(path)
    assert np.asarray(nn.load_model(path)(np.ones((2, 3), np.float32))).shape == (2, 2)
    _tamper(path, change)
    with pytest.raises(ModelFormatError, match=match) as info:
        nn.load_model(path)
    assert info.value.member == "config.json"
