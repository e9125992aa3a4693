"""Cases of tensorflow/python/data/kernel_tests/interleave_test.py."""

from __future__ import annotations

import os

import numpy as np
import pytest
from conformance_support import assert_produces


def _interleave_order(lists, cycle_length, block_length):
    """The order TF's test states: slots filled from a queue of inputs; each
    slot gives up to ``block_length`` items, an exhausted slot refills."""
    pending = [iter(x) for x in lists]
    slots = [pending.pop(0) if pending else None for _ in range(cycle_length)]
    out = []
    while any(s is not None for s in slots) or pending:
        for i in range(cycle_length):
            if slots[i] is None:
                if not pending:
                    continue
                slots[i] = pending.pop(0)
            for _ in range(block_length):
                try:
                    out.append(next(slots[i]))
                except StopIteration:
                    slots[i] = None
                    break
    return out


def _repeat(values, count):
    return [[v] * v for v in np.tile(values, count)]


@pytest.mark.parametrize(
    ("values", "cycle", "block", "expected"),
    [
        ([4, 5, 6], 1, 1, [4] * 4 + [5] * 5 + [6] * 6 + [4] * 4 + [5] * 5 + [6] * 6),
        (
            [4, 5, 6],
            2,
            1,
            [4, 5, 4, 5, 4, 5, 4, 5, 5, 6, 6, 4, 6, 4, 6, 4, 6, 4, 6, 5, 6, 5, 6]
            + [5, 6, 5, 6, 5, 6, 6],
        ),
        (
            [4, 5, 6],
            2,
            3,
            [4, 4, 4, 5, 5, 5, 4, 5, 5, 6, 6, 6, 4, 4, 4, 6, 6, 6, 4, 5, 5, 5, 6]
            + [6, 6, 5, 5, 6, 6, 6],
        ),
        (
            [4, 5, 6],
            7,
            2,
            [4, 4, 5, 5, 6, 6, 4, 4, 5, 5, 6, 6, 4, 4, 5, 5, 6, 6, 4, 4, 5, 5, 6]
            + [6, 5, 6, 6, 5, 6, 6],
        ),
        ([4, 0, 6], 2, 1, [4, 4, 6, 4, 6, 4, 6, 6, 4, 6, 4, 6, 4, 4, 6, 6, 6, 6, 6, 6]),
    ],
)
def test_reference_order_matches_the_stated_sequences(values, cycle, block, expected):
    assert _interleave_order(_repeat(values, 2), cycle, block) == expected


@pytest.mark.parametrize(
    ("values", "cycle", "block", "calls"),
    [
        ([4, 5, 6], 1, 3, None),
        ([4, 5, 6], 1, 3, 1),
        ([4, 5, 6], 2, 1, None),
        ([4, 5, 6], 2, 1, 1),
        ([4, 5, 6], 2, 1, 2),
        ([4, 5, 6], 2, 3, None),
        ([4, 5, 6], 2, 3, 1),
        ([4, 5, 6], 2, 3, 2),
        ([4, 5, 6], 7, 2, None),
        ([4, 5, 6], 7, 2, 1),
        ([4, 5, 6], 7, 2, 3),
        ([4, 5, 6], 7, 2, 5),
        ([4, 5, 6], 7, 2, 7),
        ([], 2, 3, None),
        ([0, 0, 0], 2, 3, None),
        ([4, 0, 6], 2, 3, None),
        ([4, 0, 6], 2, 3, 1),
        ([4, 0, 6], 2, 3, 2),
    ],
)
def test_interleave_dataset(api, values, cycle, block, calls):
    D = api.data.Dataset
    ds = (
        D.from_tensor_slices(np.array(values, np.int64))
        .repeat(2)
        .interleave(lambda x: D.from_tensors(x).repeat(x), cycle, block, calls)
    )
    assert_produces(ds, _interleave_order(_repeat(values, 2), cycle, block))


def test_interleave_of_mapped_datasets(api):
    D = api.data.Dataset
    ds = D.range(10).interleave(lambda x: D.from_tensor_slices([x, -x]), cycle_length=1)
    assert_produces(ds, [v for i in range(10) for v in (i, -i)])


def _expected_cycle(calls):
    # TF counts the CPUs this process may run on (sched_getaffinity)
    getaffinity = getattr(os, "sched_getaffinity", None)
    cpus = len(getaffinity(0)) if getaffinity else os.cpu_count() or 1
    return cpus if calls is None else min(calls, cpus)


@pytest.mark.parametrize("calls", [None, 1, 2])
def test_default_cycle_length(api, calls):
    D = api.data.Dataset
    ds = D.range(8).interleave(
        lambda x: D.from_tensors(x).repeat(3), num_parallel_calls=calls
    )
    cycle = _expected_cycle(calls)
    lists = [[i] * 3 for i in range(8)]
    assert_produces(ds, _interleave_order(lists, cycle, 1))


def _check_numerics(api):
    """TF's ``check_numerics`` (``pl.debugging`` has the same)."""
    return lambda x: api.debugging.check_numerics(x, "message")


@pytest.mark.parametrize(
    ("cycle", "block", "calls"),
    [
        (1, 3, None),
        (1, 3, 1),
        (2, 1, None),
        (2, 1, 1),
        (2, 1, 2),
        (2, 3, None),
        (2, 3, 1),
        (2, 3, 2),
        (7, 2, None),
        (7, 2, 1),
        (7, 2, 3),
        (7, 2, 5),
        (7, 2, 7),
    ],
)
def test_interleave_error_then_next_elements(api, cycle, block, calls):
    values = np.float32([1.0, np.nan, 2.0, np.nan, 3.0])
    D = api.data.Dataset
    ds = (
        D.from_tensor_slices(values)
        .map(_check_numerics(api))
        .interleave(D.from_tensors, cycle, block, calls)
    )
    it = iter(ds)
    for value in values:
        if np.isnan(value):
            with pytest.raises(api.errors.InvalidArgumentError):
                next(it)
        else:
            assert float(next(it)) == value
    with pytest.raises(StopIteration):
        next(it)


def _to_dense(api, st):
    return api.sparse.to_dense(st)


def test_interleave_of_sparse_elements(api):
    def make(i):
        return api.SparseTensor(
            indices=[[0, 0], [1, 1]], values=i * np.array([1, -1]), dense_shape=[2, 2]
        )

    ds = api.data.Dataset.range(10).map(make)
    ds = ds.interleave(
        lambda x: api.data.Dataset.from_tensor_slices(_to_dense(api, x)),
        cycle_length=1,
    )
    it = iter(ds)
    for i in range(10):
        assert np.asarray(next(it)).tolist() == [i, 0]
        assert np.asarray(next(it)).tolist() == [0, -i]
    for _ in range(2):
        with pytest.raises(StopIteration):
            next(it)


@pytest.mark.parametrize(
    ("kwargs"),
    [
        {"cycle_length": 0},
        {"cycle_length": -2},
        {"cycle_length": 1, "block_length": 0},
        {"cycle_length": 1, "num_parallel_calls": 0},
        {"cycle_length": 1, "num_parallel_calls": -2},
        {"cycle_length": 1, "num_parallel_calls": 4},
    ],
)
def test_interleave_invalid_arguments(api, kwargs):
    D = api.data.Dataset
    with pytest.raises(api.errors.InvalidArgumentError):
        list(D.range(3).interleave(D.from_tensors, **kwargs))


def test_interleave_cardinality_is_unknown(api):
    D = api.data.Dataset
    assert (
        int(D.range(3).interleave(D.from_tensors, cycle_length=1).cardinality()) == -2
    )
    assert int(D.range(3).flat_map(D.from_tensors).cardinality()) == -2
