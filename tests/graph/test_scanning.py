"""``scan``: state threading, the spec fixed point, errors and state."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.errors import InvalidArgumentError
from pipeline.graph.base import IterContext
from pipeline.graph.failures import ElementFailure
from pipeline.graph.scanning import ScanNode, as_value, scan_specs
from pipeline.graph.sources import RangeNode
from pipeline.types import TensorSpec

ELEM = TensorSpec((), np.int64)


def test_as_value_lists_are_tensors_and_tuples_structures():
    value = as_value(([1, 2], {"a": [np.int64(3)]}))
    assert value[0].dtype == np.int32 and value[0].tolist() == [1, 2]
    assert value[1]["a"].dtype == np.int64


def test_spec_relaxes_growing_and_rank_changing_state():
    def fn(state, x):
        return (np.concatenate([state[0], state[0]]), np.expand_dims(state[1], 0)), x

    state_spec, out = scan_specs(
        fn,
        (TensorSpec((1,), np.int32), TensorSpec((), np.int32)),
        TensorSpec((), "int64"),
    )
    assert state_spec[0].shape == (None,) and state_spec[1].shape is None
    assert out == TensorSpec((), np.int64)


def test_spec_of_output_that_is_the_state():
    def fn(state, x):
        return np.concatenate([state, state]), state

    _, out = scan_specs(fn, TensorSpec((1,), np.int32), TensorSpec((), np.int64))
    assert out.shape == (None,)


def test_dtype_change_and_non_pair_raise_type_error():
    with pytest.raises(TypeError, match="new state must match the initial state"):
        scan_specs(lambda s, x: (np.float32(1), x), TensorSpec((), "int32"), ELEM)
    with pytest.raises(TypeError, match="should return a pair"):
        scan_specs(lambda s, x: s, TensorSpec((), "int32"), ELEM)


def test_user_error_becomes_a_failure_and_stop_iteration_invalid_argument():
    def fn(state, x):
        if x == 1:
            raise StopIteration
        return state, x

    node = ScanNode((RangeNode((), 0, 3, 1),), np.int64(0), fn)
    it = IterContext().build(node)
    assert int(next(it)) == 0
    failure = next(it)
    assert isinstance(failure, ElementFailure)
    assert isinstance(failure.exception, InvalidArgumentError)


def test_state_resumes_the_running_state():
    node = ScanNode((RangeNode((), 0, 6, 1),), np.int64(0), lambda s, x: (s + x, s))
    full = [int(v) for v in IterContext().build(node)]
    assert full == [0, 0, 1, 3, 6, 10]
    for k in range(7):
        it = IterContext().build(node)
        _ = [next(it) for _ in range(k)]
        again = IterContext().build(node)
        again.set_state(it.get_state())
        assert [int(v) for v in again] == full[k:]


def test_function_needing_real_values_sees_each_element_once():
    import pipeline as pl

    calls = []

    def fn(state, x):
        calls.append(int(x))
        total = state.values[0] + x  # a SparseTensor: stand-ins (dense) fail
        return pl.SparseTensor([[0]], np.array([total]), [1]), total

    start = pl.SparseTensor([[0]], np.array([0], np.int64), [1])
    ds = pl.data.Dataset.range(5).map(lambda x: x).scan(start, fn)
    assert ds.element_spec == TensorSpec((), np.int64)
    assert [int(v) for v in ds] == [0, 1, 3, 6, 10]
    # one call on the stand-in (a zero, it fails), then each element once
    assert calls == [0, 0, 1, 2, 3, 4]
