"""``assert_cardinality``: declared count, checked at both ends, resumable."""

from __future__ import annotations

import pytest

from pipeline.errors import FailedPreconditionError
from pipeline.graph.base import INFINITE, IterContext
from pipeline.graph.checks import AssertCardinalityNode
from pipeline.graph.failures import ElementFailure
from pipeline.graph.sources import RangeNode


def test_exact_count_passes_and_sets_cardinality():
    node = AssertCardinalityNode((RangeNode((), 0, 4, 1),), 4)
    assert node.cardinality() == 4
    assert [int(v) for v in IterContext().build(node)] == [0, 1, 2, 3]


def test_too_few_raises_at_the_end():
    it = IterContext().build(AssertCardinalityNode((RangeNode((), 0, 2, 1),), INFINITE))
    assert [int(next(it)) for _ in range(2)] == [0, 1]
    with pytest.raises(FailedPreconditionError, match="infinite number of elements"):
        next(it)


def test_too_many_is_a_failure_after_the_declared_count():
    it = IterContext().build(AssertCardinalityNode((RangeNode((), 0, 5, 1),), 2))
    _ = [next(it) for _ in range(2)]
    failure = next(it)
    assert isinstance(failure, ElementFailure)
    assert "at least 3 elements" in str(failure.exception)


def test_state_keeps_the_count():
    node = AssertCardinalityNode((RangeNode((), 0, 3, 1),), 4)
    it = IterContext().build(node)
    _ = [next(it) for _ in range(3)]
    again = IterContext().build(node)
    again.set_state(it.get_state())
    with pytest.raises(FailedPreconditionError, match="contained only 3 elements"):
        next(again)
