"""Cases of tensorflow/python/data/experimental/kernel_tests/
parallel_interleave_test.py (``tf.data.experimental.parallel_interleave``).

Ported: the cases TF runs (its thread-coordination cases are skipped in TF
itself). ``py_func`` becomes ``tf.numpy_function`` against TF and a plain
Python function here; its error surfaces as InvalidArgumentError in TF and
as the function's own ValueError here, so both are accepted.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conformance_support import assert_produces, elements, is_tensorflow

REPEAT = 2


def _interleave(lists, cycle_length, block_length):
    """TF's own reference order of interleave (written anew)."""
    pending = [iter(x) for x in lists]
    slots = [pending.pop(0) if pending else None for _ in range(cycle_length)]
    while any(s is not None for s in slots) or pending:
        for i in range(cycle_length):
            if slots[i] is None:
                if not pending:
                    continue
                slots[i] = pending.pop(0)
            for _ in range(block_length):
                try:
                    yield next(slots[i])
                except StopIteration:
                    slots[i] = None
                    break


def _py_func(api, fn, x):
    if is_tensorflow(api):
        return api.numpy_function(fn, [x], x.dtype)
    return fn(x)


def _squares(api, values, cycle_length, block_length, sloppy):
    def interleave_fn(x):
        ds = api.data.Dataset.from_tensors(x).repeat(x)
        return ds.map(lambda v: v * v)

    return (
        api.data.Dataset.from_tensor_slices(np.int64(values))
        .repeat(REPEAT)
        .apply(
            api.data.experimental.parallel_interleave(
                interleave_fn, cycle_length, block_length, sloppy, 1, 0
            )
        )
    )


def test_reference_order():
    lists = [[4] * 4, [5] * 5, [6] * 6] * 2
    assert list(_interleave(lists, 1, 1)) == list(itertools.chain(*lists))
    assert list(_interleave(lists, 2, 1)) == [
        4, 5, 4, 5, 4, 5, 4, 5, 5, 6, 6, 4, 6, 4, 6, 4, 6, 4, 6, 5, 6, 5, 6, 5,
        6, 5, 6, 5, 6, 6,
    ]  # fmt: skip
    assert list(_interleave(lists, 2, 2)) == [
        4, 4, 5, 5, 4, 4, 5, 5, 5, 6, 6, 4, 4, 6, 6, 4, 4, 6, 6, 5, 5, 6, 6, 5,
        5, 6, 6, 5, 6, 6,
    ]  # fmt: skip
    with_empty = [[4] * 4, [], [6] * 6, [4] * 4, [], [6] * 6]
    assert list(_interleave(with_empty, 2, 1)) == [
        4, 4, 6, 4, 6, 4, 6, 6, 4, 6, 4, 6, 4, 4, 6, 6, 6, 6, 6, 6,
    ]  # fmt: skip


@pytest.mark.parametrize("sloppy", [False, True])
def test_empty_input(api, sloppy):
    assert_produces(_squares(api, [], 2, 3, sloppy), [])


@pytest.mark.parametrize("sloppy", [False, True])
def test_non_empty_input_into_empty_outputs(api, sloppy):
    assert_produces(_squares(api, [0, 0, 0], 2, 3, sloppy), [])


@pytest.mark.parametrize("sloppy", [False, True])
def test_too_many_readers(api, sloppy):
    def interleave_fn(x):
        return api.data.Dataset.from_tensors(x).repeat(x)

    ds = (
        api.data.Dataset.from_tensor_slices(np.int64([4, 5, 6]))
        .repeat(REPEAT)
        .apply(
            api.data.experimental.parallel_interleave(
                interleave_fn, cycle_length=16, block_length=2, sloppy=sloppy
            )
        )
    )
    got = sorted(int(x) for x in elements(ds))
    assert got == sorted(_interleave([[4] * 4, [5] * 5, [6] * 6] * REPEAT, 1, 2))


def test_sparse(api):
    def map_fn(i):
        return api.SparseTensor(
            indices=[[0, 0], [1, 1]], values=i * np.array([1, -1]), dense_shape=[2, 2]
        )

    def interleave_fn(x):
        if is_tensorflow(api):
            dense = api.sparse.to_dense(x)
        else:
            dense = np.zeros(x.dense_shape, x.values.dtype)
            dense[tuple(np.asarray(x.indices).T)] = x.values
        return api.data.Dataset.from_tensor_slices(dense)

    ds = (
        api.data.Dataset.range(10)
        .map(map_fn)
        .apply(api.data.experimental.parallel_interleave(interleave_fn, cycle_length=1))
    )
    expected = [[i, 0] if j == 0 else [0, -i] for i in range(10) for j in range(2)]
    assert_produces(ds, expected)


def _raise_on_five(x):
    if x == 5:
        raise ValueError("five")
    return x


def _check_errors(api, ds):
    it = iter(ds)
    for expected in _interleave([[4] * 4, [5], [6] * 6] * REPEAT, 2, 1):
        if expected == 5:
            with pytest.raises((api.errors.InvalidArgumentError, ValueError)):
                next(it)
        else:
            assert int(next(it)) == expected
    with pytest.raises(StopIteration):
        next(it)


def test_errors_in_input_fn(api):
    def interleave_fn(x):
        return api.data.Dataset.from_tensors(x).repeat(x)

    ds = (
        api.data.Dataset.from_tensor_slices(np.int64([4, 5, 6]))
        .map(lambda x: _py_func(api, _raise_on_five, x))
        .repeat(REPEAT)
        .apply(
            api.data.experimental.parallel_interleave(interleave_fn, 2, 1, False, 1, 0)
        )
    )
    _check_errors(api, ds)


def test_errors_in_interleave_fn(api):
    def interleave_fn(x):
        count = _py_func(api, _raise_on_five, x)
        return api.data.Dataset.from_tensors(x).repeat(count)

    ds = (
        api.data.Dataset.from_tensor_slices(np.int64([4, 5, 6]))
        .repeat(REPEAT)
        .apply(
            api.data.experimental.parallel_interleave(interleave_fn, 2, 1, False, 1, 0)
        )
    )
    _check_errors(api, ds)


def test_shutdown_race(api):
    ds = api.data.Dataset.range(20).apply(
        api.data.experimental.parallel_interleave(
            lambda x: api.data.Dataset.range(20 * x, 20 * (x + 1)),
            cycle_length=3,
            sloppy=False,
            buffer_output_elements=1,
            prefetch_input_elements=0,
        )
    )
    ds = ds.batch(32)
    runs = [[int(v) for b in elements(ds) for v in b] for _ in range(2)]
    assert runs[0] == runs[1]
    assert sorted(runs[0]) == list(range(400))
