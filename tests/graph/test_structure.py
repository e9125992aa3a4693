"""Nested-structure utilities and stacking."""

from __future__ import annotations

import collections

import numpy as np
import pytest

from pipeline.errors import InvalidArgumentError
from pipeline.graph.stacking import pad_leaves, stack_elements, unstack_element
from pipeline.graph.structure import (
    flatten,
    map_structure,
    pack,
    same_structure,
    spec_of,
    to_array,
    to_element,
)
from pipeline.types import SparseTensor, TensorSpec


def test_flatten_pack_roundtrip_keeps_dict_order_and_namedtuples():
    P = collections.namedtuple("P", "a b")
    value = {"z": 1, "a": (2, P(3, {"k": 4}))}
    leaves = flatten(value)
    assert leaves == [1, 2, 3, 4]
    back = pack(value, leaves)
    assert back == value and list(back) == ["z", "a"] and isinstance(back["a"][1], P)
    assert map_structure(lambda v: v * 2, value)["a"][1].b == {"k": 8}


def test_same_structure():
    assert same_structure({"a": (1, 2)}, {"a": (3, 4)})
    assert not same_structure({"a": 1}, {"b": 1})
    assert not same_structure((1, 2), (1,))


def test_to_array_types_like_tf():
    assert to_array(3).dtype == np.int32
    assert to_array(2**31).dtype == np.int64
    assert to_array([1.0]).dtype == np.float32
    assert to_array(np.float64(1)).dtype == np.float64
    arr = to_array([["a", "b"]])
    assert arr.dtype == object and arr.tolist() == [[b"a", b"b"]]
    with pytest.raises(InvalidArgumentError):
        to_array(np.array([b"x", 3], dtype=object))


def test_to_element_scalars_and_lists():
    elem = to_element([np.array(5), "s", {"f": 1.5}])
    assert elem == (np.int64(5), b"s", {"f": np.float32(1.5)})
    assert type(elem[0]) is np.int64


def test_spec_of():
    spec = spec_of((np.zeros((2, 3), np.float32), b"x"))
    assert spec == (TensorSpec((2, 3), np.float32), TensorSpec((), object))


def test_stack_and_unstack():
    batch = stack_elements(
        [{"a": np.int32(1), "s": b"x"}, {"a": np.int32(2), "s": b"yy"}]
    )
    assert batch["a"].dtype == np.int32 and batch["s"].tolist() == [b"x", b"yy"]
    assert unstack_element(batch) == [{"a": 1, "s": b"x"}, {"a": 2, "s": b"yy"}]
    with pytest.raises(InvalidArgumentError, match="non-scalar"):
        unstack_element(np.int64(3))


def test_stack_sparse_like_tf_batch():
    a = SparseTensor([[1]], np.array([5]), [3])
    b = SparseTensor([[0], [3]], np.array([6, 7]), [4])
    out = stack_elements([a, b])
    assert out.indices.tolist() == [[0, 1], [1, 0], [1, 3]]
    assert out.dense_shape.tolist() == [2, 4] and out.values.tolist() == [5, 6, 7]


def test_pad_leaves_two_dims():
    out = pad_leaves([np.ones((1, 2)), np.ones((2, 1))], None, 0)
    assert out.shape == (2, 2, 2) and out.sum() == 4
