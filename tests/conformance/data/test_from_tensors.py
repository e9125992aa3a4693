"""Cases of tensorflow/python/data/kernel_tests/from_tensors_test.py."""

from __future__ import annotations

import numpy as np
from conformance_support import (
    SparseValue,
    assert_produces,
    elements,
    numpy_dtype,
    spec_dtypes,
    spec_shapes,
    to_numpy,
)


def _sparse(api, indices, values, dense_shape):
    return api.SparseTensor(
        indices=np.array(indices, np.int64),
        values=np.array(values),
        dense_shape=np.array(dense_shape, np.int64),
    )


def _same_sparse(got, indices, values, dense_shape):
    assert isinstance(got, SparseValue)
    assert got.indices.tolist() == indices
    assert got.values.tolist() == values
    assert got.dense_shape.tolist() == dense_shape


def test_from_tensors_tuple(api):
    components = (np.array(1), np.array([1, 2, 3]), np.array(37.0))
    ds = api.data.Dataset.from_tensors(components)
    assert spec_shapes(ds.element_spec) == ((), (3,), ())
    assert_produces(ds, [components])


def test_from_tensors_sparse(api):
    ds = api.data.Dataset.from_tensors(
        (
            _sparse(api, [[0]], [0], [1]),
            _sparse(api, [[0, 0], [1, 1]], [-1, 1], [2, 2]),
        )
    )
    assert spec_shapes(ds.element_spec) == ((1,), (2, 2))
    (got,) = elements(ds)
    _same_sparse(got[0], [[0]], [0], [1])
    _same_sparse(got[1], [[0, 0], [1, 1]], [-1, 1], [2, 2])


def test_from_tensors_mixed(api):
    ds = api.data.Dataset.from_tensors(
        (
            np.array(1),
            np.array([1, 2, 3]),
            np.array(37.0),
            _sparse(api, [[0]], [0], [1]),
            _sparse(api, [[0, 0], [1, 1]], [-1, 1], [2, 2]),
        )
    )
    assert spec_shapes(ds.element_spec) == ((), (3,), (), (1,), (2, 2))
    (got,) = elements(ds)
    assert [np.asarray(v).tolist() for v in got[:3]] == [1, [1, 2, 3], 37.0]
    _same_sparse(got[3], [[0]], [0], [1])
    _same_sparse(got[4], [[0, 0], [1, 1]], [-1, 1], [2, 2])


def _spec(ds):
    return spec_dtypes(ds.element_spec), spec_shapes(ds.element_spec)


def test_nested_structure_specs_through_transformations(api):
    i64, f64 = np.dtype(np.int64), np.dtype(np.float64)
    components = (
        np.array([1, 2, 3], dtype=np.int64),
        (np.array([4.0, 5.0]), np.array([6.0, 7.0])),
        np.array([8, 9, 10], dtype=np.int64),
    )
    want = ((i64, (f64, f64), i64), ((3,), ((2,), (2,)), (3,)))
    ds = api.data.Dataset.from_tensors(components)
    assert _spec(ds) == want
    ds = ds.shuffle(10, 10)
    assert _spec(ds) == want
    ds = ds.repeat(-1)
    assert _spec(ds) == want
    ds = ds.filter(lambda x, y, z: True)
    assert _spec(ds) == want
    ds = ds.take(5)
    assert _spec(ds) == want
    ds = ds.map(lambda x, y, z: ((x, z), (y[0], y[1])))
    want = (((i64, i64), (f64, f64)), (((3,), (3,)), ((2,), (2,))))
    assert _spec(ds) == want
    ds = ds.flat_map(
        lambda x, y: api.data.Dataset.from_tensors(((x[0], x[1]), (y[0], y[1])))
    )
    assert _spec(ds) == want
    ds = ds.batch(32)
    want = (((i64, i64), (f64, f64)), (((None, 3), (None, 3)), ((None, 2), (None, 2))))
    assert _spec(ds) == want
    (w, x), (y, z) = next(iter(ds))
    assert [np.asarray(v).shape for v in (w, x, y, z)] == [
        (5, 3),
        (5, 3),
        (5, 2),
        (5, 2),
    ]


def test_from_tensor_slices_nested_specs(api):
    components = (
        np.array([1, 2, 3], dtype=np.int64),
        (np.array([4.0, 5.0, 6.0]), np.array([7.0, 8.0, 9.0])),
        np.array([10, 11, 12], dtype=np.int64),
    )
    ds = api.data.Dataset.from_tensor_slices(components)
    i64, f64 = np.dtype(np.int64), np.dtype(np.float64)
    assert _spec(ds) == ((i64, (f64, f64), i64), ((), ((), ()), ()))


def test_nested_dict_types_python_values(api):
    ds = api.data.Dataset.from_tensors(
        {"a": {"aa": 1, "ab": [2.0, 2.0]}, "b": [3, 3, 3]}
    )
    spec = ds.element_spec
    assert numpy_dtype(spec["a"]["aa"].dtype) == np.int32
    assert numpy_dtype(spec["a"]["ab"].dtype) == np.float32
    assert numpy_dtype(spec["b"].dtype) == np.int32
    assert spec_shapes(spec) == {"a": {"aa": (), "ab": (2,)}, "b": (3,)}


def test_non_sequence_structure(api):
    components = np.array([1, 2, 3], dtype=np.int64)
    ds = api.data.Dataset.from_tensors(components)
    assert _spec(ds) == (np.dtype(np.int64), (3,))
    ds = ds.filter(lambda x: True)
    assert _spec(ds) == (np.dtype(np.int64), (3,))
    ds = ds.flat_map(lambda x: api.data.Dataset.from_tensor_slices(x))
    assert _spec(ds) == (np.dtype(np.int64), ())
    assert_produces(ds, [1, 2, 3])


def test_from_tensors_none_component(api):
    ds = api.data.Dataset.from_tensors((42, None))
    assert_produces(ds, [(42, None)])
    got = next(iter(ds))
    assert got[1] is None


def test_from_tensors_list_is_one_tensor(api):
    ds = api.data.Dataset.from_tensors([1, 2.0])
    assert numpy_dtype(ds.element_spec.dtype) == np.float32
    assert spec_shapes(ds.element_spec) == (2,)
    assert to_numpy(next(iter(ds))).tolist() == [1.0, 2.0]
