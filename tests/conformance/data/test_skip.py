"""Cases of tensorflow/python/data/kernel_tests/skip_test.py."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import assert_produces, spec_shapes


@pytest.mark.parametrize("count", [-1, 0, 4, 10, 25])
def test_skip_basic(api, count):
    components = (np.arange(10),)
    ds = api.data.Dataset.from_tensor_slices(components).skip(count)
    assert spec_shapes(ds.element_spec) == ((),)
    start = min(count, 10) if count != -1 else 10
    assert_produces(ds, [(i,) for i in range(start, 10)])
    assert int(ds.cardinality()) == 10 - start


def test_skip_name(api):
    assert_produces(api.data.Dataset.from_tensors(42).skip(0, name="skip"), [42])


@pytest.mark.parametrize(
    ("count", "n"), [(50, 50), (200, 0), (100, 0), (-1, 0), (0, 100)]
)
def test_skip_checkpoint_case_values(api, count, n):
    assert_produces(api.data.Dataset.range(100).skip(count), list(range(100 - n, 100)))


@pytest.mark.parametrize("skip", [-2, -1, 5, 8])
def test_skip_everything(api, skip):
    assert_produces(api.data.Dataset.range(4).skip(skip), [])


def test_skip_basic_random_access_values(api):
    assert_produces(api.data.Dataset.range(11).skip(3), list(range(3, 11)))
