"""Cases of tensorflow/python/data/experimental/kernel_tests/
get_single_element_test.py (``tf.data.experimental.get_single_element``).

Not ported: the tf.function side-effect and control-dependency cases.
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import assert_produces, is_tensorflow, to_numpy


def _make_sparse(api, x):
    if is_tensorflow(api):
        return api.SparseTensor(
            api.reshape(x, [1, 1]), api.reshape(x, [1]), api.reshape(x, [1])
        )
    return api.SparseTensor(
        np.reshape(x, [1, 1]), np.reshape(x, [1]), np.reshape(x, [1])
    )


@pytest.mark.parametrize("skip", [0, 5, 10])
def test_get_single_element(api, skip):
    ds = (
        api.data.Dataset.range(100)
        .skip(skip)
        .map(lambda x: (x * x, _make_sparse(api, x)))
        .take(1)
    )
    dense, sparse = to_numpy(api.data.experimental.get_single_element(ds))
    assert int(dense) == skip * skip
    assert sparse.indices.tolist() == [[skip]]
    assert sparse.values.tolist() == [skip]
    assert sparse.dense_shape.tolist() == [skip]


@pytest.mark.parametrize(
    ("skip", "take", "message"),
    [(100, 1, "Dataset was empty."), (0, 2, "Dataset had more than one element.")],
)
def test_get_single_element_errors(api, skip, take, message):
    ds = api.data.Dataset.range(100).skip(skip).take(take)
    with pytest.raises(api.errors.InvalidArgumentError, match=message):
        api.data.experimental.get_single_element(ds)


def test_window(api):
    def flat_map_func(ds):
        element = api.data.experimental.get_single_element(ds.batch(2))
        return api.data.Dataset.from_tensors(element)

    ds = api.data.Dataset.range(10).window(2).flat_map(flat_map_func)
    assert_produces(ds, [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]])
