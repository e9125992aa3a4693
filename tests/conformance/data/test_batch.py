"""Cases of tensorflow/python/data/kernel_tests/batch_test.py."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from conformance_support import (
    SparseValue,
    assert_produces,
    elements,
    spec_shapes,
)

COMPONENTS = (
    np.arange(7),
    np.array([[1, 2, 3]]) * np.arange(7)[:, np.newaxis],
    np.array(37.0) * np.arange(7),
)


def _square(x, y, z):
    return x * x, y * y, z * z


@pytest.mark.parametrize("num_parallel_calls", [None, 1, 2, 4])
@pytest.mark.parametrize("drop_remainder", [True, False])
@pytest.mark.parametrize("batch_size", [14, 15])
@pytest.mark.parametrize("count", [0, 28])
def test_basic(api, count, batch_size, drop_remainder, num_parallel_calls):
    ds = (
        api.data.Dataset.from_tensor_slices(COMPONENTS)
        .map(_square)
        .repeat(count)
        .batch(batch_size, drop_remainder, num_parallel_calls)
    )
    dim0 = batch_size if drop_remainder else None
    assert spec_shapes(ds.element_spec) == ((dim0,), (dim0, 3), (dim0,))
    total = count * 7
    sizes = [batch_size] * (total // batch_size)
    if not drop_remainder and total % batch_size:
        sizes.append(total % batch_size)
    got = elements(ds)
    assert len(got) == len(sizes)
    start = 0
    for batch, size in zip(got, sizes):
        rows = [(start + j) % 7 for j in range(size)]
        for component, column in zip(COMPONENTS, batch):
            np.testing.assert_array_equal(column, component[rows] ** 2)
        start += size


def test_invalid_batch_size(api):
    with pytest.raises(api.errors.InvalidArgumentError):
        list(api.data.Dataset.range(10).batch(0))


def test_dataset_of_datasets(api):
    ds = api.data.Dataset.range(10).map(api.data.Dataset.from_tensors).batch(5)
    ds = ds.map(lambda x: x).unbatch().flat_map(lambda x: x)
    assert_produces(ds, range(10))


def _one_hot_sparse(api, x):
    return api.SparseTensor(indices=[[0]], values=[x], dense_shape=[1])


def test_sparse(api):
    ds = api.data.Dataset.range(10).map(functools.partial(_one_hot_sparse, api))
    expected = [
        SparseValue(
            np.array([[0, 0], [1, 0], [2, 0], [3, 0], [4, 0]]),
            np.array([i * 5 + j for j in range(5)]),
            np.array([5, 1]),
        )
        for i in range(2)
    ]
    assert_produces(ds.batch(5), expected)


def _growing_sparse(api, i):
    """The i-th element of testSparseWithDifferentDenseShapes: i values i."""
    return api.SparseTensor(
        indices=np.arange(i, dtype=np.int64).reshape(i, 1),
        values=np.full([i], i, dtype=np.int64),
        dense_shape=[i],
    )


def _growing_sparse_dataset(api, n):
    parts = [api.data.Dataset.from_tensors(_growing_sparse(api, i)) for i in range(n)]
    return functools.reduce(lambda a, b: a.concatenate(b), parts)


def test_sparse_with_different_dense_shapes(api):
    ds = _growing_sparse_dataset(api, 10).batch(5)
    expected = []
    for i in range(2):
        indices, values = [], []
        for j in range(5):
            for k in range(i * 5 + j):
                indices.append([j, k])
                values.append(i * 5 + j)
        expected.append(
            SparseValue(
                np.array(indices).reshape(-1, 2),
                np.array(values),
                np.array([5, (i + 1) * 5 - 1]),
            )
        )
    assert_produces(ds, expected)


def test_sparse_nested(api):
    ds = api.data.Dataset.range(10).map(functools.partial(_one_hot_sparse, api))
    ds = ds.batch(5).batch(2)
    expected = SparseValue(
        np.array([[i, j, 0] for i in range(2) for j in range(5)]),
        np.arange(10),
        np.array([2, 5, 1]),
    )
    assert_produces(ds, [expected])


def _uneven_rows():
    yield [1.0, 2.0, 3.0]
    yield [4.0, 5.0, 6.0]
    yield [7.0, 8.0, 9.0, 10.0]


def test_shape_error(api):
    ds = api.data.Dataset.from_generator(
        _uneven_rows, np.float32, output_shapes=[None]
    ).batch(3)
    with pytest.raises(
        api.errors.InvalidArgumentError,
        match=r"Cannot batch tensors with different shapes in component 0. First "
        r"element had shape \[3\] and element 2 had shape \[4\].",
    ):
        list(ds)


def test_none_component(api):
    ds = api.data.Dataset.range(10).map(lambda x: (x, None)).batch(10)
    ds = ds.map(lambda x, y: x)
    assert_produces(ds, [list(range(10))])


@pytest.mark.parametrize("num_parallel_calls", [None, 1])
def test_name(api, num_parallel_calls):
    ds = api.data.Dataset.range(5).batch(
        5, num_parallel_calls=num_parallel_calls, name="batch"
    )
    assert_produces(ds, [list(range(5))])


@pytest.mark.parametrize("tensor_slice_len", [8])
def test_checkpoint_dataset_values(api, tensor_slice_len):
    # BatchCheckpointTest.build_dataset's pipeline, read straight through.
    n = tensor_slice_len
    components = (
        np.arange(n),
        np.array([[1, 2, 3]]) * np.arange(n)[:, np.newaxis],
        np.array(15.0) * np.arange(n),
    )
    ds = api.data.Dataset.from_tensor_slices(components).batch(2)
    got = elements(ds)
    assert len(got) == n // 2
    for i, batch in enumerate(got):
        for component, column in zip(components, batch):
            np.testing.assert_array_equal(column, component[2 * i : 2 * i + 2])


def _ragged_scalar_matrix(api, i):
    return api.RaggedTensor.from_tensor([[i]])


def test_batch_ragged(api):
    ds = api.data.Dataset.range(10).map(lambda i: _ragged_scalar_matrix(api, i))
    assert_produces(
        ds.batch(5),
        [[[[i]] for i in range(5)], [[[i]] for i in range(5, 10)]],
    )


def test_batch_ragged_with_different_shapes(api):
    parts = [
        api.data.Dataset.from_tensors(
            api.RaggedTensor.from_row_lengths(np.arange(i, dtype=np.int64), [i])
        )
        for i in range(10)
    ]
    ds = parts[0]
    for p in parts[1:]:
        ds = ds.concatenate(p)
    assert_produces(
        ds.batch(5),
        [
            [[list(range(i))] for i in range(5)],
            [[list(range(i))] for i in range(5, 10)],
        ],
    )


def test_batch_ragged_nested(api):
    ds = api.data.Dataset.range(10).map(lambda i: _ragged_scalar_matrix(api, i))
    assert_produces(
        ds.batch(5).batch(2),
        [[[[[i]] for i in range(5)], [[[i]] for i in range(5, 10)]]],
    )


# BatchRandomAccessTest (tf.data.experimental.at) -----------------------------


@pytest.mark.parametrize("index", [-1, 2, 3, 4])
def test_random_access_invalid_index(api, index):
    ds = api.data.Dataset.from_tensor_slices([1, 2, 3, 4]).batch(2)
    with pytest.raises(api.errors.OutOfRangeError):
        api.data.experimental.at(ds, index=index)


def test_random_access_empty_dataset(api):
    ds = api.data.Dataset.from_tensor_slices([]).batch(2)
    with pytest.raises(api.errors.OutOfRangeError):
        api.data.experimental.at(ds, 0)


@pytest.mark.parametrize("drop_remainder", [True, False])
@pytest.mark.parametrize("batch_size", [1, 3, 5, 7, 10, 20])
@pytest.mark.parametrize("count", [0, 10, 20, 30, 40, 50])
def test_random_access_basic(api, count, batch_size, drop_remainder):
    at = api.data.experimental.at
    ds = api.data.Dataset.from_tensor_slices(list(range(count))).batch(
        batch_size=batch_size, drop_remainder=drop_remainder
    )
    full = count // batch_size
    for i in range(full):
        got = np.asarray(at(ds, i))
        assert got.dtype == np.int32
        assert got.tolist() == list(range(i * batch_size, (i + 1) * batch_size))
    remainder = not drop_remainder and count % batch_size != 0
    if remainder:
        assert np.asarray(at(ds, full)).tolist() == list(
            range(full * batch_size, count)
        )
    with pytest.raises(api.errors.OutOfRangeError):
        at(ds, index=full + (1 if remainder else 0))
