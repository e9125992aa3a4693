"""Cases of tensorflow/python/data/kernel_tests/take_test.py."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import assert_produces, spec_shapes


@pytest.mark.parametrize("count", [-1, 0, 4, 10, 25])
def test_take_basic(api, count):
    components = (np.arange(10),)
    ds = api.data.Dataset.from_tensor_slices(components).take(count)
    assert spec_shapes(ds.element_spec) == ((),)
    n = min(count, 10) if count != -1 else 10
    assert_produces(ds, [(i,) for i in range(n)])
    assert int(ds.cardinality()) == n


def test_take_name(api):
    assert_produces(api.data.Dataset.from_tensors(42).take(1, name="take"), [42])


@pytest.mark.parametrize(
    ("count", "n"), [(50, 50), (200, 100), (100, 100), (-1, 100), (0, 0)]
)
def test_take_checkpoint_case_values(api, count, n):
    assert_produces(api.data.Dataset.range(100).take(count), list(range(n)))


def test_take_negative_below_minus_one_takes_all(api):
    assert_produces(api.data.Dataset.range(3).take(-2), [0, 1, 2])


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda D: D.range(10).repeat().take(3), 3),
        (lambda D: D.range(10).filter(lambda x: True).take(3), -2),
    ],
)
def test_take_cardinality(api, build, expected):
    assert int(build(api.data.Dataset).cardinality()) == expected
