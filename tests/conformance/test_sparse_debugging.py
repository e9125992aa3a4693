"""``tf.sparse`` and ``tf.debugging`` names that ported map functions call."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import to_numpy


def test_sparse_to_dense_and_from_dense(api):
    st = api.SparseTensor(indices=[[0, 1], [2, 0]], values=[5, 7], dense_shape=[3, 2])
    assert to_numpy(api.sparse.to_dense(st)).tolist() == [[0, 5], [0, 0], [7, 0]]
    assert to_numpy(api.sparse.to_dense(st, default_value=-1)).tolist() == [
        [-1, 5],
        [-1, -1],
        [7, -1],
    ]
    back = api.sparse.from_dense(np.array([[0, 3], [4, 0]], np.int64))
    assert to_numpy(back.indices).tolist() == [[0, 1], [1, 0]]
    assert to_numpy(back.values).tolist() == [3, 4]
    assert to_numpy(back.dense_shape).tolist() == [2, 2]


def test_check_numerics_in_map_fails_the_element_and_goes_on(api):
    ds = api.data.Dataset.from_tensor_slices([1.0, np.nan, 3.0, np.inf, 5.0])
    ds = ds.map(lambda x: api.debugging.check_numerics(x, "bad"))
    it = iter(ds)
    assert float(to_numpy(next(it))) == 1.0
    with pytest.raises(api.errors.InvalidArgumentError, match="NaN"):
        next(it)
    assert float(to_numpy(next(it))) == 3.0
    with pytest.raises(api.errors.InvalidArgumentError, match="Inf"):
        next(it)
    assert float(to_numpy(next(it))) == 5.0


def test_assert_equal(api):
    api.debugging.assert_equal([1, 2], [1, 2])
    with pytest.raises(api.errors.InvalidArgumentError):
        api.debugging.assert_equal([1, 2], [1, 3])
