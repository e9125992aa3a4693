"""Cases of tensorflow/python/data/kernel_tests/repeat_test.py."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import assert_produces, spec_shapes

_COMPONENTS = (np.array(1), np.array([1, 2, 3]), np.array(37.0))


@pytest.mark.parametrize("count", [0, 3, 7])
def test_finite_repeat(api, count):
    ds = api.data.Dataset.from_tensors(_COMPONENTS).repeat(count)
    assert spec_shapes(ds.element_spec) == ((), (3,), ())
    assert_produces(ds, [_COMPONENTS] * count)


def test_infinite_repeat(api):
    ds = api.data.Dataset.from_tensors(_COMPONENTS).repeat(-1)
    assert spec_shapes(ds.element_spec) == ((), (3,), ())
    it = iter(ds)
    for _ in range(17):
        got = next(it)
        assert [np.asarray(v).tolist() for v in got] == [1, [1, 2, 3], 37.0]
    assert int(ds.cardinality()) == -1


def test_repeat_repeat(api):
    ds = api.data.Dataset.from_tensors(_COMPONENTS).repeat(7).repeat(14)
    assert_produces(ds, [_COMPONENTS] * 98)


def test_repeat_name(api):
    assert_produces(api.data.Dataset.from_tensors(42).repeat(1, name="repeat"), [42])


def test_checkpoint_cases_values(api):
    assert_produces(api.data.Dataset.range(10).repeat(10), list(range(10)) * 10)
    assert_produces(api.data.Dataset.range(10).repeat(0), [])
    zipped = api.data.Dataset.zip(
        (api.data.Dataset.range(10).repeat(-1), api.data.Dataset.range(100))
    )
    assert_produces(zipped, [(i % 10, i) for i in range(100)])
    assert_produces(api.data.Dataset.range(0).repeat(-1).take(5), [])


@pytest.mark.parametrize("elements", [0, 5, 10])
@pytest.mark.parametrize("count", [0, 3, 8])
def test_finite_repeat_values(api, elements, count):
    ds = api.data.Dataset.range(elements).repeat(count)
    assert_produces(ds, list(range(elements)) * count)
    assert int(ds.cardinality()) == elements * count


@pytest.mark.parametrize("elements", [0, 3, 5])
@pytest.mark.parametrize(("count_1", "count_2"), [(0, 3), (1, 4), (2, 5)])
def test_repeat_repeat_values(api, elements, count_1, count_2):
    ds = api.data.Dataset.range(elements).repeat(count_1).repeat(count_2)
    assert_produces(ds, list(range(elements)) * (count_1 * count_2))


@pytest.mark.parametrize("count", [None, -1, -2])
def test_infinite_repeat_counts(api, count):
    ds = api.data.Dataset.range(3).repeat(count=count)
    assert int(ds.cardinality()) == -1
    assert_produces(ds.take(7), [0, 1, 2, 0, 1, 2, 0])
