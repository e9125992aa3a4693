"""Cases of tensorflow/python/data/experimental/kernel_tests/take_while_test.py
(``tf.data.experimental.take_while``)."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import assert_produces, elements, length


@pytest.mark.parametrize(("num_elements", "window_size"), [(14, 2), (15, 2), (100, 3)])
def test_take_while_dataset(api, num_elements, window_size):
    ds = (
        api.data.Dataset.range(num_elements)
        .batch(window_size)
        .apply(
            api.data.experimental.take_while(
                lambda elem: length(api, elem) > window_size - 1
            )
        )
        .flat_map(lambda x: api.data.Dataset.from_tensor_slices(x))
    )
    expected = (num_elements // window_size) * window_size
    assert_produces(ds, list(range(expected)))


@pytest.mark.parametrize(
    ("num_elements", "upper_bound", "out_of_bounds"),
    [(10, 2, False), (16, 7, False), (100, 99, False), (100, 101, True), (0, 1, True)],
)
def test_take_while_range(api, num_elements, upper_bound, out_of_bounds):
    ds = api.data.Dataset.range(num_elements).apply(
        api.data.experimental.take_while(lambda x: x < upper_bound)
    )
    got = [int(x) for x in elements(ds)]
    if out_of_bounds:
        assert got == list(range(num_elements)) and got != list(range(upper_bound))
    else:
        assert got == list(range(upper_bound))


def test_take_while_string(api):
    words = ["this", "is", "the", "test", "for", "strings"]
    ds = api.data.Dataset.from_tensor_slices(words).apply(
        api.data.experimental.take_while(lambda x: x != b"test")
    )
    assert_produces(ds, [b"this", b"is", b"the"])


@pytest.mark.parametrize(("size", "index"), [(5, 3), (10, 0), (100, 5), (8, 7)])
def test_take_while_short_circuit(api, size, index):
    flags = [True] * size
    flags[index] = False
    ds = api.data.Dataset.from_tensor_slices(flags).apply(
        api.data.experimental.take_while(lambda x: x)
    )
    got = elements(ds)
    assert len(got) == index and all(bool(v) for v in got)
    assert np.asarray(got, bool).all()
