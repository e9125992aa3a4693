"""Cases of tensorflow/python/data/kernel_tests/from_tensor_slices_test.py."""

from __future__ import annotations

import collections

import numpy as np
import pytest
from conformance_support import (
    SparseValue,
    assert_produces,
    elements,
    numpy_dtype,
    spec_shapes,
    to_numpy,
)


def test_empty_component_is_a_value_error(api):
    with pytest.raises(ValueError):
        api.data.Dataset.from_tensor_slices(())


def test_from_tensor_slices_tuple(api):
    components = (
        np.tile(np.array([[1], [2], [3], [4]]), 20),
        np.tile(np.array([[12], [13], [14], [15]]), 22),
        np.array([37.0, 38.0, 39.0, 40.0]),
    )
    ds = api.data.Dataset.from_tensor_slices(components)
    assert spec_shapes(ds.element_spec) == ((20,), (22,), ())
    assert_produces(ds, [tuple(c[i] for c in components) for i in range(4)])


def test_slices_of_a_list_of_datasets(api):
    dss = [api.data.Dataset.range(10) for _ in range(10)]
    ds = api.data.Dataset.from_tensor_slices(dss).flat_map(lambda x: x)
    assert_produces(ds, list(range(10)) * 10)


def test_slices_of_datasets_of_ordered_dicts(api):
    dss = [
        api.data.Dataset.range(10).map(lambda x: collections.OrderedDict([("x", x)]))
        for _ in range(10)
    ]
    ds = api.data.Dataset.from_tensor_slices(dss).flat_map(lambda x: x)
    got = elements(ds)
    assert all(isinstance(e, dict) and list(e) == ["x"] for e in got)
    assert [int(e["x"]) for e in got] == list(range(10)) * 10


def test_slices_of_datasets_inside_from_tensors(api):
    dss = [api.data.Dataset.range(10) for _ in range(10)]
    ds = api.data.Dataset.from_tensors(dss)
    ds = ds.flat_map(api.data.Dataset.from_tensor_slices)
    ds = ds.flat_map(lambda x: x)
    assert_produces(ds, list(range(10)) * 10)


def _sparse(api, indices, values, dense_shape):
    return api.SparseTensor(
        indices=np.array(indices, np.int64),
        values=np.array(values),
        dense_shape=np.array(dense_shape, np.int64),
    )


def _check_sparse_rows(got):
    for i, (first, second) in enumerate(got):
        assert isinstance(first, SparseValue) and isinstance(second, SparseValue)
        assert (first.indices.tolist(), first.values.tolist()) == ([[0]], [0])
        assert first.dense_shape.tolist() == [1]
        assert (second.indices.tolist(), second.values.tolist()) == ([[i]], [i + 1])
        assert second.dense_shape.tolist() == [3]


def test_from_tensor_slices_sparse(api):
    components = (
        _sparse(api, [[0, 0], [1, 0], [2, 0]], [0, 0, 0], [3, 1]),
        _sparse(api, [[0, 0], [1, 1], [2, 2]], [1, 2, 3], [3, 3]),
    )
    ds = api.data.Dataset.from_tensor_slices(components)
    assert spec_shapes(ds.element_spec) == ((1,), (3,))
    got = elements(ds)
    assert len(got) == 3
    _check_sparse_rows(got)


def test_from_tensor_slices_mixed(api):
    dense = (
        np.tile(np.array([[1], [2], [3]]), 20),
        np.tile(np.array([[12], [13], [14]]), 22),
        np.array([37.0, 38.0, 39.0]),
    )
    sparse = (
        _sparse(api, [[0, 0], [1, 0], [2, 0]], [0, 0, 0], [3, 1]),
        _sparse(api, [[0, 0], [1, 1], [2, 2]], [1, 2, 3], [3, 3]),
    )
    ds = api.data.Dataset.from_tensor_slices(dense + sparse)
    assert spec_shapes(ds.element_spec) == ((20,), (22,), (), (1,), (3,))
    got = elements(ds)
    assert len(got) == 3
    for i, e in enumerate(got):
        assert [np.asarray(v).tolist() for v in e[:3]] == [c[i].tolist() for c in dense]
    _check_sparse_rows([e[3:] for e in got])


def test_from_tensor_slices_dict(api):
    components = {"foo": [1, 2, 3], "bar": [[4.0], [5.0], [6.0]]}
    ds = api.data.Dataset.from_tensor_slices(components)
    assert numpy_dtype(ds.element_spec["foo"].dtype) == np.int32
    assert numpy_dtype(ds.element_spec["bar"].dtype) == np.float32
    assert spec_shapes(ds.element_spec) == {"foo": (), "bar": (1,)}
    assert_produces(
        ds,
        [{"foo": 1, "bar": [4.0]}, {"foo": 2, "bar": [5.0]}, {"foo": 3, "bar": [6.0]}],
    )


def test_from_tensor_slices_uint_dtypes(api):
    components = (
        np.tile(np.array([[0], [1]], dtype=np.uint8), 2),
        np.tile(np.array([[2], [256]], dtype=np.uint16), 2),
        np.tile(np.array([[4], [65536]], dtype=np.uint32), 2),
        np.tile(np.array([[8], [4294967296]], dtype=np.uint64), 2),
    )
    ds = api.data.Dataset.from_tensor_slices(components)
    assert tuple(numpy_dtype(s.dtype) for s in ds.element_spec) == (
        np.dtype(np.uint8),
        np.dtype(np.uint16),
        np.dtype(np.uint32),
        np.dtype(np.uint64),
    )
    assert_produces(ds, [tuple(c[i] for c in components) for i in range(2)])


def test_from_tensor_slices_name(api):
    assert_produces(api.data.Dataset.from_tensor_slices([42], name="slices"), [42])


@pytest.mark.parametrize(
    ("tensor", "expected"),
    [
        ([1, 2, 3], [1, 2, 3]),
        ([[1, 2], [3, 4]], [[1, 2], [3, 4]]),
        (([1, 2], [3, 4], [5, 6]), [(1, 3, 5), (2, 4, 6)]),
        ({"a": [1, 2], "b": [3, 4]}, [{"a": 1, "b": 3}, {"a": 2, "b": 4}]),
    ],
)
def test_from_tensor_slices_random_access_values(api, tensor, expected):
    assert_produces(api.data.Dataset.from_tensor_slices(tensor), expected)


def _ragged(api, values):
    """TF's ``ragged_factory_ops.constant_value([[[v]] for v in values])``."""
    splits = np.arange(len(values) + 1)
    return api.RaggedTensor.from_nested_row_splits(
        np.array(values, np.int64), [splits, splits]
    )


def _lists(value):
    return value.to_list() if hasattr(value, "to_list") else np.asarray(value).tolist()


def test_from_tensor_slices_ragged(api):
    ds = api.data.Dataset.from_tensor_slices(
        (_ragged(api, [0, 1, 2]), _ragged(api, [3, 4, 5]))
    )
    assert [s.ragged_rank for s in ds.element_spec] == [1, 1]
    got = [tuple(_lists(v) for v in e) for e in ds]
    assert got == [([[0]], [[3]]), ([[1]], [[4]]), ([[2]], [[5]])]


def test_from_tensor_slices_mixed_ragged(api):
    dense = (
        np.tile(np.array([[1], [2], [3]]), 20),
        np.tile(np.array([[12], [13], [14]]), 22),
        np.array([37.0, 38.0, 39.0]),
    )
    sparse = (
        _sparse(api, [[0, 0], [1, 0], [2, 0]], [0, 0, 0], [3, 1]),
        _sparse(api, [[0, 0], [1, 1], [2, 2]], [1, 2, 3], [3, 3]),
    )
    ds = api.data.Dataset.from_tensor_slices(
        dense + sparse + (_ragged(api, [0, 1, 2]),)
    )
    got = list(ds)
    assert len(got) == 3
    for i, e in enumerate(got):
        assert [np.asarray(v).tolist() for v in e[:3]] == [c[i].tolist() for c in dense]
        assert _lists(e[5]) == [[i]]
    _check_sparse_rows([tuple(to_numpy(v) for v in e[3:5]) for e in got])


def _ragged_2d(api):
    values = np.array([1, 2, 3, 4, 5, 6], np.int32)
    return api.RaggedTensor.from_row_splits(values, np.array([0, 2, 2, 5, 6]))


def test_slices_of_a_2d_ragged_are_dense_rows_typed_ragged(api):
    ds = api.data.Dataset.from_tensor_slices(_ragged_2d(api))
    spec = ds.element_spec
    assert type(spec).__name__ == "RaggedTensorSpec"
    assert (tuple(spec.shape), spec.ragged_rank) == ((None,), 0)
    assert np.dtype(numpy_dtype(spec.dtype)) == np.int32
    rows = list(ds)
    assert all(type(r).__name__ != "RaggedTensor" for r in rows)
    assert [np.asarray(to_numpy(r)).tolist() for r in rows] == [
        [1, 2],
        [],
        [3, 4, 5],
        [6],
    ]


def test_slices_of_a_3d_ragged_are_ragged(api):
    rt = api.RaggedTensor.from_row_splits(_ragged_2d(api), np.array([0, 1, 4]))
    ds = api.data.Dataset.from_tensor_slices(rt)
    spec = ds.element_spec
    assert (tuple(spec.shape), spec.ragged_rank) == ((None, None), 1)
    assert [r.to_list() for r in ds] == [[[1, 2]], [[], [3, 4, 5], [6]]]


def test_batch_of_ragged_rows_is_ragged_again(api):
    ds = api.data.Dataset.from_tensor_slices(_ragged_2d(api)).batch(3)
    spec = ds.element_spec
    assert (tuple(spec.shape), spec.ragged_rank) == ((None, None), 1)
    assert [b.to_list() for b in ds] == [[[1, 2], [], [3, 4, 5]], [[6]]]
    ds = api.data.Dataset.from_tensor_slices(_ragged_2d(api)).batch(2, True)
    assert tuple(ds.element_spec.shape) == (2, None)
    assert [b.to_list() for b in ds] == [[[1, 2], []], [[3, 4, 5], [6]]]


def test_ragged_rows_in_a_dict_batch_with_dense_parts(api):
    value = {"a": _ragged_2d(api), "b": np.arange(4, dtype=np.int64)}
    ds = api.data.Dataset.from_tensor_slices(value)
    assert ds.element_spec["a"].ragged_rank == 0
    assert tuple(ds.element_spec["b"].shape) == ()
    got = [(b["a"].to_list(), to_numpy(b["b"]).tolist()) for b in ds.skip(1).batch(2)]
    assert got == [([[], [3, 4, 5]], [1, 2]), ([[6]], [3])]


def test_padded_batch_of_ragged_rows_is_a_type_error(api):
    ds = api.data.Dataset.from_tensor_slices(_ragged_2d(api))
    with pytest.raises(TypeError, match="padded_batch"):
        ds.padded_batch(2)


def test_map_over_ragged_rows_gets_dense_rows(api):
    ds = api.data.Dataset.from_tensor_slices(_ragged_2d(api)).map(lambda x: x * 2)
    assert [np.asarray(to_numpy(r)).tolist() for r in ds] == [
        [2, 4],
        [],
        [6, 8, 10],
        [12],
    ]


def test_ragged_rows_batch_after_zip_concatenate_and_filter(api):
    ds = api.data.Dataset.from_tensor_slices(_ragged_2d(api))
    zipped = api.data.Dataset.zip((ds, api.data.Dataset.range(4))).batch(3)
    got = [(a.to_list(), to_numpy(b).tolist()) for a, b in zipped]
    assert got == [([[1, 2], [], [3, 4, 5]], [0, 1, 2]), ([[6]], [3])]
    both = ds.concatenate(ds).batch(5)
    assert [a.to_list() for a in both] == [
        [[1, 2], [], [3, 4, 5], [6], [1, 2]],
        [[], [3, 4, 5], [6]],
    ]
    kept = ds.enumerate().filter(lambda i, x: i > 0).batch(2)
    got = [(to_numpy(i).tolist(), x.to_list()) for i, x in kept]
    assert got == [([1, 2], [[], [3, 4, 5]]), ([3], [[6]])]
