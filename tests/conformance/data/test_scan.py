"""Cases of tensorflow/python/data/kernel_tests/scan_test.py.

Not ported: the TensorArray cases (graph-mode TensorArray state), the v1-only
external-capture case, the device-placement case (GPU).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conformance_checkpoint import verify_restore
from conformance_support import assert_produces, elements, is_tensorflow, spec_shapes


def _counting(api, start, step):
    return (
        api.data.Dataset.from_tensors(0)
        .repeat()
        .scan(initial_state=start, scan_func=lambda state, _: (state + step, state))
    )


@pytest.mark.parametrize(
    ("start", "step", "take"),
    [(0, 1, 10), (0, 1, 0), (10, 1, 10), (10, 2, 10), (10, -1, 10), (10, -2, 10)],
)
def test_count(api, start, step, take):
    ds = _counting(api, start, step).take(take)
    expected = [v for v, _ in zip(itertools.count(start, step), range(take))]
    assert_produces(ds, expected)


def test_fibonacci(api):
    ds = (
        api.data.Dataset.from_tensors(1)
        .repeat(None)
        .scan(initial_state=[0, 1], scan_func=lambda a, _: ([a[1], a[0] + a[1]], a[1]))
    )
    assert [int(x) for x in elements(ds, limit=6)] == [1, 1, 2, 3, 5, 8]


def test_changing_state_shape(api):
    def scan_fn(state, value):
        longer = np.concatenate([state[0], state[0]], 0)
        higher_rank = np.expand_dims(state[1], 0)
        return (longer, higher_rank), (state, value)

    if is_tensorflow(api):

        def scan_fn(state, value):  # noqa: F811 (the same function in TF ops)
            longer = api.concat([state[0], state[0]], 0)
            higher_rank = api.expand_dims(state[1], 0)
            return (longer, higher_rank), (state, value)

    ds = api.data.Dataset.from_tensors(0).repeat(5).scan(([0], 1), scan_fn)
    shapes = spec_shapes(ds.element_spec)
    assert shapes[0][0] == (None,)
    assert shapes[0][1] is None
    assert shapes[1] == ()
    got = elements(ds)
    assert len(got) == 5
    for i, ((longer, higher), _) in enumerate(got):
        assert longer.tolist() == [0] * 2**i
        assert np.array_equal(higher, np.array(1, ndmin=i))


def test_incorrect_state_type(api):
    ds = api.data.Dataset.range(10)
    with pytest.raises(
        TypeError, match="The element types for the new state must match the initial"
    ):
        ds.scan(initial_state=np.int32(1), scan_func=lambda s, _: (np.int64(1), s))


def test_incorrect_return_type(api):
    ds = api.data.Dataset.range(10)
    with pytest.raises(
        TypeError,
        match="`scan_func` should return a pair consisting of new state and the "
        "output value",
    ):
        ds.scan(initial_state=np.int32(1), scan_func=lambda s, _: np.int64(1))


def test_stop_iteration_in_function_is_an_error(api):
    def raise_stop(_):
        raise StopIteration()

    if is_tensorflow(api):

        def scan_fn(state, value):
            return state, api.numpy_function(raise_stop, [value], api.int64)

    else:

        def scan_fn(state, value):
            return state, raise_stop(value)

    ds = api.data.Dataset.from_tensors(0).scan(np.int32(1), scan_fn)
    with pytest.raises(api.errors.InvalidArgumentError):
        elements(ds)


def test_name(api):
    ds = api.data.Dataset.from_tensors(42).scan(0, lambda x, y: (y, y), name="scan")
    assert_produces(ds, [42])


def test_checkpoint(api, tmp_path):
    def make():
        return (
            api.data.Dataset.from_tensors(1)
            .repeat(10)
            .scan(
                initial_state=[0, 1], scan_func=lambda a, _: ([a[1], a[0] + a[1]], a[1])
            )
        )

    verify_restore(api, make, 10, tmp_path, breaks=(0, 3, 7, 10))


def _sparse(api, i):
    return api.SparseTensor(
        indices=np.array([[0, 0]]),
        values=i * np.array([1]),
        dense_shape=np.array([1, 1]),
    )


@pytest.mark.parametrize(
    ("start", "step", "take"),
    [(0, 1, 10), (0, 1, 0), (10, 1, 10), (10, 2, 10), (10, -1, 10), (10, -2, 10)],
)
def test_sparse_count(api, start, step, take):
    def scan_fn(state, _):
        return _sparse(api, state.values[0] + step), state

    ds = (
        api.data.Dataset.from_tensors(0)
        .repeat()
        .scan(initial_state=_sparse(api, start), scan_func=scan_fn)
        .take(take)
    )
    got = [int(s.values[0]) for s in elements(ds)]
    assert got == [v for v, _ in zip(itertools.count(start, step), range(take))]
