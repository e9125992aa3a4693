"""Cases of tensorflow/python/data/experimental/kernel_tests/map_and_batch_test.py
(``tf.data.experimental.map_and_batch``).

Not ported: the NUMA option variants (an option we do not have), the dtype
and control-flow cases past the part of the file read here.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from conformance_support import elements, is_tensorflow, spec_shapes

COMPONENTS = (
    np.arange(7),
    np.array([[1, 2, 3]]) * np.arange(7)[:, np.newaxis],
    np.array(37.0) * np.arange(7),
)


def _squares(api, calls, batches, count, batch_size):
    return (
        api.data.Dataset.from_tensor_slices(COMPONENTS)
        .repeat(count)
        .apply(
            api.data.experimental.map_and_batch(
                lambda x, y, z: (x * x, y * y, z * z),
                batch_size=batch_size,
                num_parallel_calls=calls,
                num_parallel_batches=batches,
            )
        )
    )


def _check_batch(result, start, size):
    for component, got in zip(COMPONENTS, result):
        for j in range(size):
            assert np.array_equal(got[j], component[(start + j) % 7] ** 2)


PARALLELISM = [(None, None), (1, None), (2, None), (None, 10)]


@pytest.mark.parametrize(("calls", "batches"), PARALLELISM)
def test_map_and_batch_even(api, calls, batches):
    got = elements(_squares(api, calls, batches, 28, 14))
    assert len(got) == 14
    for i, result in enumerate(got):
        _check_batch(result, i * 14, 14)


@pytest.mark.parametrize(("calls", "batches"), PARALLELISM)
def test_map_and_batch_uneven(api, calls, batches):
    got = elements(_squares(api, calls, batches, 14, 8))
    num_batches = math.ceil(14 * 7 / 8)
    assert len(got) == num_batches
    for i, result in enumerate(got[:-1]):
        _check_batch(result, i * 8, 8)
    _check_batch(got[-1], (num_batches - 1) * 8, (14 * 7) % 8)
    assert len(got[-1][0]) == (14 * 7) % 8


@pytest.mark.parametrize(("calls", "batches"), PARALLELISM)
def test_map_and_batch_empty_input(api, calls, batches):
    assert elements(_squares(api, calls, batches, 0, 8)) == []


@pytest.mark.parametrize(("calls", "batches"), PARALLELISM)
def test_map_and_batch_zero_batch_size(api, calls, batches):
    with pytest.raises(api.errors.InvalidArgumentError):
        elements(_squares(api, calls, batches, 14, 0))


def _reshaped_square(api):
    if is_tensorflow(api):
        return lambda x: api.reshape(x * x, [1])
    return lambda x: np.reshape(x * x, [1])


@pytest.mark.parametrize("drop_remainder", [False, True])
def test_partial_batch(api, drop_remainder):
    ds = api.data.Dataset.range(10).apply(
        api.data.experimental.map_and_batch(
            _reshaped_square(api), batch_size=4, drop_remainder=drop_remainder
        )
    )
    assert spec_shapes(ds.element_spec) == ((4, 1) if drop_remainder else (None, 1))
    expected = [[[0], [1], [4], [9]], [[16], [25], [36], [49]]]
    if not drop_remainder:
        expected.append([[64], [81]])
    assert [b.tolist() for b in elements(ds)] == expected


@pytest.mark.parametrize("drop_remainder", [False, True])
def test_parallel_get_next(api, drop_remainder):
    n = 40099 if drop_remainder else 50000
    ds = api.data.Dataset.range(n).apply(
        api.data.experimental.map_and_batch(
            lambda x: x, batch_size=100, drop_remainder=drop_remainder
        )
    )
    got = [b.tolist() for b in elements(ds)]
    assert len(got) == n // 100
    assert got == [list(range(i * 100, (i + 1) * 100)) for i in range(n // 100)]


def test_sparse(api):
    def to_sparse(i):
        return api.SparseTensor(
            indices=[[0]], values=i * np.array([1]), dense_shape=[1]
        )

    ds = api.data.Dataset.range(10).apply(
        api.data.experimental.map_and_batch(to_sparse, 5)
    )
    got = elements(ds)
    assert len(got) == 2
    for i, sparse in enumerate(got):
        assert sparse.indices.tolist() == [[0, 0], [1, 0], [2, 0], [3, 0], [4, 0]]
        assert sparse.values.tolist() == [i * 5 + k for k in range(5)]
        assert sparse.dense_shape.tolist() == [5, 1]


def test_shape_mismatch(api):
    def gen():
        yield [1]
        yield [2]
        yield [3]
        yield [[4, 5, 6]]

    ds = api.data.Dataset.from_generator(gen, output_types=np.int32).apply(
        api.data.experimental.map_and_batch(lambda x: x, 4)
    )
    with pytest.raises(api.errors.InvalidArgumentError):
        elements(ds)
