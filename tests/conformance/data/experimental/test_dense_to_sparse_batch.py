"""Cases of tensorflow/python/data/experimental/kernel_tests/
dense_to_sparse_batch_test.py (``tf.data.experimental.dense_to_sparse_batch``).

Not ported: the placeholder-fed shape-error cases (graph mode).
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import elements, fill


def test_dense_to_sparse_batch(api):
    components = np.random.RandomState(1).randint(12, size=(100,)).astype(np.int32)
    ds = (
        api.data.Dataset.from_tensor_slices(components)
        .map(lambda x: fill(api, [x], x))
        .apply(api.data.experimental.dense_to_sparse_batch(4, [12]))
    )
    got = elements(ds)
    assert len(got) == 25
    for n, start in enumerate(range(0, len(components), 4)):
        chunk = components[start : start + 4]
        assert got[n].indices.tolist() == [
            [i, j] for i, c in enumerate(chunk) for j in range(c)
        ]
        assert got[n].values.tolist() == [c for c in chunk for _ in range(c)]
        assert got[n].dense_shape.tolist() == [min(4, len(components) - start), 12]


def test_dense_to_sparse_batch_unknown_shape(api):
    components = np.random.RandomState(2).randint(5, size=(40,)).astype(np.int32)
    ds = (
        api.data.Dataset.from_tensor_slices(components)
        .map(lambda x: fill(api, [x, x], x))
        .apply(api.data.experimental.dense_to_sparse_batch(4, [5, None]))
    )
    got = elements(ds)
    assert len(got) == 10
    for n, start in enumerate(range(0, len(components), 4)):
        chunk = components[start : start + 4]
        assert got[n].indices.tolist() == [
            [i, j, z] for i, c in enumerate(chunk) for j in range(c) for z in range(c)
        ]
        assert got[n].values.tolist() == [
            c for c in chunk for _ in range(c) for _ in range(c)
        ]
        assert got[n].dense_shape.tolist() == [
            min(4, len(components) - start),
            5,
            int(np.max(chunk)),
        ]


def test_dense_to_sparse_batch_invalid_shape(api):
    ds = api.data.Dataset.from_tensors(np.array([[1]], np.int32))
    with pytest.raises(ValueError, match="Dimension -2 must be >= 0"):
        ds.apply(api.data.experimental.dense_to_sparse_batch(4, [-2]))
