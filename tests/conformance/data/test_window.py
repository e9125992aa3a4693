"""Cases of tensorflow/python/data/kernel_tests/window_test.py."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from conformance_support import (
    SparseValue,
    assert_produces,
    elements,
    numpy_dtype,
    spec_shapes,
)

COMPONENTS = (
    np.arange(7),
    np.array([[1, 2, 3]]) * np.arange(7)[:, np.newaxis],
    np.array(37.0) * np.arange(7),
)


def _square(x, y, z):
    return x * x, y * y, z * z


def _expected_windows(n, size, shift, stride, drop_remainder):
    """The input positions of each window over ``n`` elements."""
    out = []
    for start in range(0, n, shift):
        rows = [start + j * stride for j in range(size) if start + j * stride < n]
        if drop_remainder and len(rows) < size:
            continue
        out.append(rows)
    return out


WINDOW_CASES = [
    (20, size, shift, stride, drop)
    for size in (10, 14, 17)
    for shift in (7, 14)
    for stride in (1, 2, 6)
    for drop in (True, False)
] + [(count, 10, 4, 1, drop) for count in (0, 1) for drop in (True, False)]


@pytest.mark.parametrize(("count", "size", "shift", "stride", "drop"), WINDOW_CASES)
def test_window_dataset(api, count, size, shift, stride, drop):
    def batched(x, y, z):
        return api.data.Dataset.zip(
            (
                x.batch(batch_size=size),
                y.batch(batch_size=size),
                z.batch(batch_size=size),
            )
        )

    ds = (
        api.data.Dataset.from_tensor_slices(COMPONENTS)
        .map(_square)
        .repeat(count)
        .window(size=size, shift=shift, stride=stride, drop_remainder=drop)
        .flat_map(batched)
    )
    assert spec_shapes(ds.element_spec) == ((None,), (None, 3), (None,))
    windows = _expected_windows(count * 7, size, shift, stride, drop)
    got = elements(ds)
    assert len(got) == len(windows)
    for result, rows in zip(got, windows):
        positions = [r % 7 for r in rows]
        for component, column in zip(COMPONENTS, result):
            np.testing.assert_array_equal(column, component[positions] ** 2)


@pytest.mark.parametrize(("size", "shift", "stride"), [(0, 3, 1), (3, 0, 1), (3, 3, 0)])
def test_window_dataset_invalid(api, size, shift, stride):
    with pytest.raises(api.errors.InvalidArgumentError):
        ds = (
            api.data.Dataset.range(10)
            .map(lambda x: x)
            .repeat(20)
            .window(size=size, shift=shift, stride=stride)
            .flat_map(lambda x: x.batch(batch_size=size))
        )
        list(ds.take(1))


def test_window_different_nested_structures(api):
    ds = api.data.Dataset.from_tensor_slices(([1, 2], [3, 4])).window(2)
    first, second = next(iter(ds))
    assert_produces(first, [1, 2])
    assert_produces(second, [3, 4])
    ds = api.data.Dataset.from_tensor_slices({"a": [1, 2]}).window(2)
    window = next(iter(ds))
    assert_produces(window["a"], [1, 2])


def _one_sparse(api, x):
    return api.SparseTensor(indices=[[0]], values=[x], dense_shape=[1])


def test_window_sparse(api):
    ds = (
        api.data.Dataset.range(10)
        .map(functools.partial(_one_sparse, api))
        .window(size=5, shift=3, drop_remainder=True)
        .flat_map(lambda x: x.batch(batch_size=5))
    )
    expected = [
        SparseValue(
            np.array([[j, 0] for j in range(5)]),
            np.array([i * 3 + j for j in range(5)]),
            np.array([5, 1]),
        )
        for i in range((10 - 5) // 3 + 1)
    ]
    assert_produces(ds, expected)


def _growing_sparse_dataset(api, n):
    parts = [
        api.data.Dataset.from_tensors(
            api.SparseTensor(
                indices=np.arange(i, dtype=np.int64).reshape(i, 1),
                values=np.full([i], i, dtype=np.int64),
                dense_shape=[i],
            )
        )
        for i in range(n)
    ]
    return functools.reduce(lambda a, b: a.concatenate(b), parts)


def test_window_sparse_with_different_dense_shapes(api):
    ds = (
        _growing_sparse_dataset(api, 10)
        .window(size=5, shift=3, drop_remainder=True)
        .flat_map(lambda x: x.batch(batch_size=5))
    )
    expected = []
    for i in range((10 - 5) // 3 + 1):
        indices, values = [], []
        for j in range(5):
            for k in range(i * 3 + j):
                indices.append([j, k])
                values.append(i * 3 + j)
        expected.append(
            SparseValue(
                np.array(indices).reshape(-1, 2),
                np.array(values),
                np.array([5, i * 3 + 5 - 1]),
            )
        )
    assert_produces(ds, expected)


def test_nested_window_sparse(api):
    ds = (
        api.data.Dataset.range(10)
        .map(functools.partial(_one_sparse, api))
        .window(size=4, shift=2, drop_remainder=True)
        .flat_map(lambda x: x.batch(batch_size=4))
        .window(size=3, shift=1, drop_remainder=True)
        .flat_map(lambda x: x.batch(batch_size=3))
    )
    indices = np.array([[i, j, 0] for i in range(3) for j in range(4)])
    expected = [
        SparseValue(
            indices, np.array([0, 1, 2, 3, 2, 3, 4, 5, 4, 5, 6, 7]), np.array([3, 4, 1])
        ),
        SparseValue(
            indices, np.array([2, 3, 4, 5, 4, 5, 6, 7, 6, 7, 8, 9]), np.array([3, 4, 1])
        ),
    ]
    assert_produces(ds, expected)


def _uneven_rows():
    yield [1.0, 2.0, 3.0]
    yield [4.0, 5.0, 6.0]
    yield [7.0, 8.0, 9.0, 10.0]


def test_window_shape_error(api):
    ds = (
        api.data.Dataset.from_generator(_uneven_rows, np.float32, output_shapes=[None])
        .window(size=3, shift=1)
        .flat_map(lambda x: x.batch(batch_size=3))
    )
    with pytest.raises(
        api.errors.InvalidArgumentError,
        match=r"Cannot batch tensors with different shapes in component 0. "
        r"First element had shape \[3\] and element 2 had shape \[4\].",
    ):
        list(ds)


def test_window_ignore_errors(api):
    # TF maps check_numerics over [1, nan, 2, nan, 3]; here decode_csv fails on
    # the same two elements. The stride skips both failures.
    ds = (
        api.data.Dataset.from_tensor_slices(["1", "x", "2", "x", "3"])
        .map(lambda s: api.io.decode_csv(s, [[0.0]])[0])
        .window(size=2, shift=2, stride=2, drop_remainder=True)
        .flat_map(lambda x: x.batch(batch_size=2))
    )
    assert_produces(ds, [np.float32([1.0, 2.0]), np.float32([2.0, 3.0])])


def test_nested_output(api):
    ds = api.data.Dataset.range(100)
    ds = api.data.Dataset.zip((ds, ds)).window(10)
    count = 0
    for i, (x, y) in enumerate(ds):
        assert_produces(x, range(i * 10, (i + 1) * 10))
        assert_produces(y, range(i * 10, (i + 1) * 10))
        count += 1
    assert count == 10


def test_drop_remainder_output(api):
    ds = api.data.Dataset.range(100).window(30, drop_remainder=True)
    ds = ds.flat_map(lambda x: x.batch(30)).batch(4)
    assert_produces(ds, [[[y + 30 * x for y in range(30)] for x in range(3)]])


def test_name(api):
    ds = api.data.Dataset.from_tensors(42).window(1, name="window")
    assert_produces(ds.flat_map(lambda x: x), [42])


def test_checkpoint_pipeline_values(api):
    # WindowCheckpointTest._build_dataset, read straight through (sorted: the
    # parallel interleave's order is deterministic but not the point here).
    ds = (
        api.data.Dataset.range(42)
        .window(6)
        .interleave(lambda x: x, cycle_length=2, num_parallel_calls=2)
    )
    assert sorted(int(x) for x in elements(ds)) == list(range(42))


def test_element_spec_when_flat_map_yields_nothing(api):
    ds = api.data.Dataset.range(0).window(3).flat_map(lambda w: w.batch(3))
    assert spec_shapes(ds.element_spec) == (None,)
    assert_produces(ds, [])


def test_window_element_spec_is_a_dataset_spec(api):
    # From issue 13: a window is a dataset, and the spec says so.
    spec = api.data.Dataset.range(3).window(2).element_spec
    assert spec.element_spec.shape == ()
    assert numpy_dtype(spec.element_spec.dtype) == np.dtype(np.int64)
    pair = api.data.Dataset.zip((api.data.Dataset.range(3), api.data.Dataset.range(3)))
    first, second = pair.window(2).element_spec
    assert numpy_dtype(second.element_spec.dtype) == np.dtype(np.int64)
