"""Helpers of the ported parsing cases: wire bytes written by hand, checks.

The cases build their inputs as serialized tf.train.Example / SequenceExample
bytes with these, so one input works for both libraries with no protobuf
class from either. Features are given as ``("int64" | "float" | "bytes",
values)`` pairs or ``None`` (a Feature with no list set). `check` compares a
parse result with expected values, dtypes and shapes.

Example:
    >>> example({"a": int64_feature([1])}).hex()
    '0a0c0a0a0a016112051a030a0101'
"""

from __future__ import annotations

import struct
from typing import Any

import numpy as np
from conformance_support import SparseValue, assert_same, to_numpy

Feature = tuple[str, list] | None


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def int64_feature(values: list[int]) -> Feature:
    """A Feature holding an Int64List."""
    return ("int64", list(values))


def float_feature(values: list[float]) -> Feature:
    """A Feature holding a FloatList."""
    return ("float", list(values))


def bytes_feature(values: list[Any]) -> Feature:
    """A Feature holding a BytesList (str values are UTF-8 encoded)."""
    return ("bytes", [v.encode() if isinstance(v, str) else bytes(v) for v in values])


def empty_feature() -> Feature:
    """A Feature with no list set."""
    return None


def feature_bytes(feature: Feature) -> bytes:
    """The wire bytes of one Feature message."""
    if feature is None:
        return b""
    kind, values = feature
    if kind == "bytes":
        return _field(1, b"".join(_field(1, v) for v in values))
    if kind == "float":
        packed = struct.pack(f"<{len(values)}f", *values)
        return _field(2, _field(1, packed) if values else b"")
    packed = b"".join(_varint(int(v)) for v in values)
    return _field(3, _field(1, packed) if values else b"")


def features_bytes(features: dict[str, Feature]) -> bytes:
    """The wire bytes of a Features message (a map of key to Feature)."""
    return b"".join(
        _field(1, _field(1, key.encode()) + _field(2, feature_bytes(f)))
        for key, f in features.items()
    )


def example(features: dict[str, Feature] | None = None) -> bytes:
    """A serialized Example."""
    return _field(1, features_bytes(features or {}))


def sequence_example(
    context: dict[str, Feature] | None = None,
    feature_lists: dict[str, list[Feature]] | None = None,
) -> bytes:
    """A serialized SequenceExample with ``context`` and ``feature_lists``."""
    out = b""
    if context is not None:
        out += _field(1, features_bytes(context))
    if feature_lists is not None:
        entries = b""
        for key, steps in feature_lists.items():
            body = b"".join(_field(1, feature_bytes(f)) for f in steps)
            entries += _field(1, _field(1, key.encode()) + _field(2, body))
        out += _field(2, entries)
    return out


def sparse(indices, values, shape) -> SparseValue:
    """An expected sparse value (indices, values, dense_shape)."""
    rank = len(shape)
    return SparseValue(
        np.array(indices, np.int64).reshape(-1, rank),
        np.asarray(values),
        np.array(shape, np.int64),
    )


def random_bytes(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """An object array of random byte strings (TF's ``rand().astype(bytes)``)."""
    size = int(np.prod(shape))
    return np.array([str(v).encode() for v in rng.random(size)], dtype=object).reshape(
        shape
    )


def check(out: dict, expected: dict) -> None:
    """``out`` (a parse result dict) equals ``expected``: values, dtypes, shapes.

    Expected sparse values are `SparseValue`; ragged ones nested lists; dense
    ones numpy arrays, whose shape and dtype must match too.
    """
    assert sorted(out) == sorted(expected)
    for key, want in expected.items():
        got = to_numpy(out[key])
        if isinstance(want, SparseValue):
            assert isinstance(got, SparseValue), key
            assert got.indices.shape[1:] == want.indices.shape[1:], key
            if want.values.dtype != object:
                assert got.values.dtype == want.values.dtype, key
        elif isinstance(want, np.ndarray):
            got = np.asarray(got)
            assert got.shape == want.shape, (key, got.shape, want.shape)
            kind = "O" if want.dtype.kind in "SO" else want.dtype.kind
            assert (got.dtype.kind if kind == "O" else got.dtype) == (
                kind if kind == "O" else want.dtype
            ), (key, got.dtype)
        assert_same(got, want)


def train_module(api: Any) -> Any:
    """Where the Example message classes live: ``tf.train`` or ``pl.io``."""
    return api.train if getattr(api, "__name__", "") == "tensorflow" else api.io
