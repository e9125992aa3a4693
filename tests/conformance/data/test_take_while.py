"""Cases of tensorflow/python/data/kernel_tests/take_while_test.py."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import assert_produces, to_numpy


@pytest.mark.parametrize(("num_elements", "window"), [(14, 2), (15, 2), (100, 3)])
def test_take_while_dataset(api, num_elements, window):
    ds = api.data.Dataset.range(num_elements).batch(window)
    ds = ds.take_while(lambda e: api.shape(e)[0] > (window - 1))
    ds = ds.flat_map(api.data.Dataset.from_tensor_slices)
    assert_produces(ds, np.arange(num_elements // window * window))


@pytest.mark.parametrize(
    ("num_elements", "upper_bound"),
    [(10, 2), (16, 7), (100, 99), (100, 101), (0, 1)],
)
def test_take_while_range(api, num_elements, upper_bound):
    ds = api.data.Dataset.range(num_elements).take_while(lambda x: x < upper_bound)
    assert_produces(ds, np.arange(min(num_elements, upper_bound)))


def test_take_while_string(api):
    words = ["this", "is", "the", "test", "for", "strings"]
    ds = api.data.Dataset.from_tensor_slices(words)
    ds = ds.take_while(predicate=lambda x: x != b"test")
    it = iter(ds)
    assert [to_numpy(next(it)) for _ in range(3)] == [b"this", b"is", b"the"]
    with pytest.raises(StopIteration):
        next(it)


@pytest.mark.parametrize(("size", "index"), [(5, 3), (10, 0), (100, 5), (8, 7)])
def test_take_while_short_circuit(api, size, index):
    flags = [True] * size
    flags[index] = False
    ds = api.data.Dataset.from_tensor_slices(flags).take_while(lambda x: x)
    assert_produces(ds, [True] * index)


def test_take_while_with_repeat(api):
    ds = api.data.Dataset.range(10).take_while(lambda x: x < 2).repeat(5)
    assert_produces(ds, np.tile([0, 1], 5))
