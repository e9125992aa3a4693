"""Cases of tensorflow/python/data/experimental/kernel_tests/scan_test.py,
through ``tf.data.experimental.scan`` (the other cases are ported from the
core scan_test.py in tests/conformance/data/test_scan.py)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conformance_support import assert_produces, elements


@pytest.mark.parametrize(
    ("start", "step", "take"),
    [(0, 1, 10), (0, 1, 0), (10, 1, 10), (10, 2, 10), (10, -1, 10), (10, -2, 10)],
)
def test_count(api, start, step, take):
    ds = (
        api.data.Dataset.from_tensors(0)
        .repeat()
        .apply(
            api.data.experimental.scan(start, lambda state, _: (state + step, state))
        )
        .take(take)
    )
    assert_produces(ds, [v for v, _ in zip(itertools.count(start, step), range(take))])


def test_fibonacci(api):
    ds = (
        api.data.Dataset.from_tensors(1)
        .repeat(None)
        .apply(
            api.data.experimental.scan([0, 1], lambda a, _: ([a[1], a[0] + a[1]], a[1]))
        )
    )
    assert [int(x) for x in elements(ds, limit=6)] == [1, 1, 2, 3, 5, 8]


def test_incorrect_state_type(api):
    ds = api.data.Dataset.range(10)
    with pytest.raises(TypeError, match="The element types for the new state must"):
        ds.apply(api.data.experimental.scan(np.int32(1), lambda s, _: (np.int64(1), s)))
