"""Public cases of tensorflow/python/framework/sparse_tensor_test.py."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import numpy_dtype, to_numpy


def test_python_construction(api):
    sp = api.SparseTensor(
        indices=[[1, 2], [2, 0], [3, 4]], values=[b"a", b"b", b"c"], dense_shape=[4, 5]
    )
    assert numpy_dtype(sp.dtype) == np.dtype(object)
    assert tuple(sp.shape) == (4, 5)
    assert numpy_dtype(sp.indices.dtype) == np.int64
    assert numpy_dtype(sp.dense_shape.dtype) == np.int64
    assert to_numpy(sp.indices).tolist() == [[1, 2], [2, 0], [3, 4]]
    assert to_numpy(sp.values).tolist() == [b"a", b"b", b"c"]
    assert to_numpy(sp.dense_shape).tolist() == [4, 5]


def test_numeric_values_keep_their_dtype(api):
    sp = api.SparseTensor(
        indices=[[0], [3]], values=np.array([1.5, 2.5]), dense_shape=[5]
    )
    assert numpy_dtype(sp.dtype) == np.float64
    assert to_numpy(api.sparse.to_dense(sp)).tolist() == [1.5, 0, 0, 2.5, 0]


def test_string_to_dense_fills_empty_bytes(api):
    sp = api.SparseTensor(indices=[[0, 1]], values=[b"x"], dense_shape=[1, 3])
    assert to_numpy(api.sparse.to_dense(sp)).tolist() == [[b"", b"x", b""]]


@pytest.mark.parametrize(
    ("indices", "values", "shape"),
    [
        ([[0, 0]], [1, 2], [2, 2]),  # more values than indices
        ([0, 1], [1, 2], [2]),  # indices not a matrix
    ],
)
def test_inconsistent_construction_raises(api, indices, values, shape):
    with pytest.raises((ValueError, api.errors.InvalidArgumentError)):
        sp = api.SparseTensor(indices=indices, values=values, dense_shape=shape)
        api.sparse.to_dense(sp)
