"""Cases of tensorflow/python/data/kernel_tests/dataset_test.py (public API)."""

from __future__ import annotations

import collections

import numpy as np
import pytest
from conformance_support import (
    assert_produces,
    elements,
    numpy_dtype,
    spec_dtypes,
    spec_shapes,
)


def test_eager_iteration(api):
    assert [int(x) for x in api.data.Dataset.range(10)] == list(range(10))


def test_legacy_structure_api(api):
    i64, f64 = np.dtype(np.int64), np.dtype(np.float64)
    ds = api.data.Dataset.from_tensors(
        (
            np.array([1, 2, 3], dtype=np.int64),
            (np.array([4.0, 5.0]), np.array([6.0, 7.0])),
            np.array([8, 9, 10], dtype=np.int64),
        )
    )
    want = (i64, (f64, f64), i64), ((3,), ((2,), (2,)), (3,))
    for step in (
        lambda d: d,
        lambda d: d.shuffle(10, 10),
        lambda d: d.repeat(-1),
        lambda d: d.filter(lambda x, y, z: True),
        lambda d: d.take(5),
    ):
        ds = step(ds)
        assert (spec_dtypes(ds.element_spec), spec_shapes(ds.element_spec)) == want


def test_none_component(api):
    ds = api.data.Dataset.from_tensors((42, None))
    assert_produces(ds, [(42, None)])


def test_none_component_from_map(api):
    ds = api.data.Dataset.range(10).map(lambda x: (x, None))
    total = 0
    for x, nothing in ds:
        assert nothing is None
        total += int(x)
    assert total == 45


def test_dataset_returned_by_map_is_a_component(api):
    ds = api.data.Dataset.from_tensors(0).map(
        lambda _: api.data.Dataset.from_tensor_slices([1, 2, 3])
    )
    inner = ds.element_spec.element_spec
    assert spec_shapes(inner) == ()
    assert numpy_dtype(inner.dtype) == np.int32
    assert_produces(ds.flat_map(lambda x: x), [1, 2, 3])


def test_named_tuple_inside_a_dataset_of_datasets(api):
    foo = collections.namedtuple("Foo", ["a", "b"])
    inner = api.data.Dataset.from_tensors(foo(a=3, b="test"))
    ds = api.data.Dataset.from_tensor_slices([inner, inner])
    spec = ds.element_spec.element_spec
    assert type(spec).__name__ == "Foo"
    got = elements(ds.flat_map(lambda d: d))
    assert [(int(e.a), e.b) for e in got] == [(3, b"test"), (3, b"test")]


def test_interleave_map_batch_prefetch_take_pipeline(api):
    ds = api.data.Dataset.range(10)
    ds = ds.interleave(
        lambda x: api.data.Dataset.from_tensors(x),
        cycle_length=10,
        num_parallel_calls=10,
    )
    ds = ds.map(lambda x: x * x, num_parallel_calls=10)
    ds = ds.batch(batch_size=5, num_parallel_calls=2)
    ds = ds.prefetch(buffer_size=2)
    ds = ds.take(2)
    assert_produces(ds, [[0, 1, 4, 9, 16], [25, 36, 49, 64, 81]])


def test_map_returning_a_list_gives_a_tuple_and_nested_lists_tensors(api):
    ds = api.data.Dataset.range(2).map(lambda x: [x, x])
    assert spec_shapes(ds.element_spec) == ((), ())
    ds = api.data.Dataset.range(2).map(lambda x: ([x, x], x))
    assert spec_shapes(ds.element_spec) == ((2,), ())
    assert_produces(ds, [([0, 0], 0), ([1, 1], 1)])
    ds = api.data.Dataset.range(2).map(lambda x: [[x, x]])
    assert spec_shapes(ds.element_spec) == ((2,),)
    ds = api.data.Dataset.range(2).map(lambda x: {"a": [x, x]})
    assert spec_shapes(ds.element_spec) == {"a": (2,)}
    assert_produces(ds, [{"a": [0, 0]}, {"a": [1, 1]}])


def test_from_tensors_of_only_none_is_invalid(api):
    with pytest.raises(api.errors.InvalidArgumentError):
        list(api.data.Dataset.from_tensors(None))


@pytest.mark.parametrize("buffer_size", [None, -1, 0, 1, 5])
def test_prefetch_buffer_sizes(api, buffer_size):
    assert_produces(api.data.Dataset.range(3).prefetch(buffer_size), [0, 1, 2])


def test_prefetch_below_autotune_is_invalid(api):
    with pytest.raises(api.errors.InvalidArgumentError):
        list(api.data.Dataset.range(3).prefetch(-2))


def test_map_to_a_sparse_value(api):
    def value(_):
        return api.SparseTensor(
            indices=[[0]], values=np.array([0], np.int32), dense_shape=[1]
        )

    ds = api.data.Dataset.from_tensors(0).map(value)
    # TF's case asserts the spec is compatible with SparseTensorSpec([1], int32)
    (dim,) = spec_shapes(ds.element_spec)
    assert dim in (1, None)
    assert numpy_dtype(ds.element_spec.dtype) == np.int32
    (got,) = elements(ds)
    assert (got.indices.tolist(), got.values.tolist()) == ([[0]], [0])
    assert got.dense_shape.tolist() == [1]


def test_map_to_a_nested_value(api):
    ds = api.data.Dataset.from_tensors(0).map(
        lambda _: {"a": 37.0, "b": (["Foo"], "Bar")}
    )
    assert spec_shapes(ds.element_spec) == {"a": (), "b": ((1,), ())}
    assert spec_dtypes(ds.element_spec) == {
        "a": np.dtype(np.float32),
        "b": (np.dtype(object), np.dtype(object)),
    }
    assert_produces(ds, [{"a": 37.0, "b": ([b"Foo"], b"Bar")}])


def test_dataset_of_datasets_spec_and_cardinality(api):
    D = api.data.Dataset
    ds = D.from_tensor_slices([D.range(3)] * 4)
    assert int(ds.cardinality()) == 4
    assert spec_shapes(ds.element_spec.element_spec) == ()
    assert_produces(ds.flat_map(lambda d: d), [0, 1, 2] * 4)
    pair = D.from_tensors((D.range(2), np.int64(1)))
    assert spec_shapes(pair.element_spec[1]) == ()
    assert_produces(pair.flat_map(lambda d, x: d.map(lambda v: v + x)), [1, 2])
