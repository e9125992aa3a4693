"""Cases of tensorflow/python/data/kernel_tests/iterator_test.py and
optional_test.py that use the public iterator API (eager)."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import assert_same, numpy_dtype, spec_shapes, to_numpy


def test_get_next_then_out_of_range(api):
    it = iter(api.data.Dataset.range(3))
    assert [int(to_numpy(it.get_next())) for _ in range(3)] == [0, 1, 2]
    with pytest.raises(api.errors.OutOfRangeError):
        it.get_next()


def test_next_raises_stop_iteration_at_the_end(api):
    it = iter(api.data.Dataset.from_tensors(7))
    assert int(to_numpy(next(it))) == 7
    with pytest.raises(StopIteration):
        next(it)


def test_iterator_element_spec_is_the_dataset_spec(api):
    ds = api.data.Dataset.from_tensor_slices(
        {"a": np.zeros((4, 2), np.float32), "b": np.arange(4)}
    )
    it = iter(ds)
    assert spec_shapes(it.element_spec) == {"a": (2,), "b": ()}
    assert numpy_dtype(it.element_spec["a"].dtype) == np.float32


def test_get_next_as_optional(api):
    it = iter(api.data.Dataset.range(2).map(lambda x: (x, x * 10)))
    for expected in [(0, 0), (1, 10)]:
        opt = it.get_next_as_optional()
        assert bool(to_numpy(opt.has_value()))
        assert_same(opt.get_value(), expected)
    opt = it.get_next_as_optional()
    assert not bool(to_numpy(opt.has_value()))
    with pytest.raises(api.errors.InvalidArgumentError):
        opt.get_value()


def test_optional_from_value_and_empty(api):
    Optional = api.data.experimental.Optional
    opt = Optional.from_value({"a": np.int32(1), "b": (np.float32(2.0), b"x")})
    assert bool(to_numpy(opt.has_value()))
    assert_same(opt.get_value(), {"a": 1, "b": (2.0, b"x")})
    assert spec_shapes(opt.element_spec) == {"a": (), "b": ((), ())}
    empty = Optional.empty(opt.element_spec)
    assert not bool(to_numpy(empty.has_value()))
    with pytest.raises(api.errors.InvalidArgumentError):
        empty.get_value()


def test_experimental_get_next_as_optional(api):
    it = iter(api.data.Dataset.range(1))
    assert bool(to_numpy(api.data.experimental.get_next_as_optional(it).has_value()))
    assert not bool(
        to_numpy(api.data.experimental.get_next_as_optional(it).has_value())
    )


def test_iterators_over_one_dataset_are_independent(api):
    ds = api.data.Dataset.range(3)
    a, b = iter(ds), iter(ds)
    assert int(to_numpy(next(a))) == 0
    assert int(to_numpy(next(a))) == 1
    assert int(to_numpy(next(b))) == 0


def test_as_numpy_iterator_of_nested_structure(api):
    ds = api.data.Dataset.from_tensor_slices(([1, 2], {"k": [b"a", b"b"]}))
    got = list(ds.as_numpy_iterator())
    assert_same(got, [(1, {"k": b"a"}), (2, {"k": b"b"})])
