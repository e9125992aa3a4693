"""Cases of tensorflow/python/data/kernel_tests/sparse_batch_test.py."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_checkpoint import verify_restore
from conformance_support import elements, fill


def test_basic(api):
    components = np.random.default_rng(1).integers(12, size=100).astype(np.int32)
    ds = (
        api.data.Dataset.from_tensor_slices(components)
        .map(lambda x: fill(api, [x], x))
        .sparse_batch(4, [12])
    )
    got = elements(ds)
    assert len(got) == 25
    for start, st in zip(range(0, len(components), 4), got):
        rows = components[start : start + 4]
        expected = [[i, j] for i, c in enumerate(rows) for j in range(c)]
        assert st.indices.reshape(-1, 2).tolist() == expected
        assert st.values.tolist() == [c for c in rows for _ in range(c)]
        assert st.dense_shape.tolist() == [min(4, len(components) - start), 12]


def test_with_unknown_shape(api):
    components = np.random.default_rng(2).integers(5, size=40).astype(np.int32)
    ds = (
        api.data.Dataset.from_tensor_slices(components)
        .map(lambda x: fill(api, [x, x], x))
        .sparse_batch(4, [5, None])
    )
    got = elements(ds)
    assert len(got) == 10
    for start, st in zip(range(0, len(components), 4), got):
        rows = components[start : start + 4]
        expected = [
            [i, j, z] for i, c in enumerate(rows) for j in range(c) for z in range(c)
        ]
        assert st.indices.reshape(-1, 3).tolist() == expected
        assert st.values.tolist() == [c for c in rows for _ in range(c * c)]
        assert st.dense_shape.tolist() == [
            min(4, len(components) - start),
            5,
            int(np.max(rows)),
        ]


def test_with_invalid_shape(api):
    with pytest.raises(ValueError, match="Dimension -2 must be >= 0"):
        api.data.Dataset.from_tensors(np.array([[1]], np.int32)).sparse_batch(4, [-2])


def test_incompatible_rank(api):
    ds = api.data.Dataset.from_tensors(np.array([[1]], np.int32)).sparse_batch(4, [12])
    with pytest.raises(
        api.errors.InvalidArgumentError, match="incompatible with the row shape"
    ):
        elements(ds)


def test_larger_than_row_shape(api):
    ds = api.data.Dataset.from_tensors(np.arange(13, dtype=np.int32))
    with pytest.raises(api.errors.DataLossError, match="larger than the row shape"):
        elements(ds.sparse_batch(4, [12]))


def test_cardinality(api):
    ds = api.data.Dataset.range(10).map(lambda x: fill(api, [2], x))
    assert int(ds.sparse_batch(4, [2]).cardinality()) == 3


def test_checkpoint_pattern_outputs(api):
    """The dataset of the checkpoint cases: 40 rows give 10 batches."""
    components = np.random.default_rng(4).integers(5, size=40).astype(np.int32)
    ds = (
        api.data.Dataset.from_tensor_slices(components)
        .map(lambda x: fill(api, [x], x))
        .sparse_batch(4, [12])
    )
    got = elements(ds)
    assert len(got) == 10
    assert sum(len(st.values) for st in got) == int(components.sum())


def test_checkpoint_restore(api, tmp_path):
    components = np.random.default_rng(4).integers(5, size=40).astype(np.int32)

    def make():
        ds = api.data.Dataset.from_tensor_slices(components)
        return ds.map(lambda x: fill(api, [x], x)).sparse_batch(4, [12])

    verify_restore(api, make, 10, str(tmp_path), breaks=(0, 4, 10))
