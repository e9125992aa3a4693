"""Cases of tensorflow/python/data/experimental/kernel_tests/
group_by_window_test.py, through ``tf.data.experimental.group_by_window``.

The padded-bucket and reduce-error cases are ported from the core
group_by_window_test.py (tests/conformance/data/test_group_by_window.py).
The window-size function is written as arithmetic on the key
(``5 + 5 * key``: 5 for even, 10 for odd, as TF's constant lookup).
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import assert_produces, elements


def _grouped(api, ds, key_func, reduce_func, window_size=None, window_size_func=None):
    return ds.apply(
        api.data.experimental.group_by_window(
            key_func, reduce_func, window_size, window_size_func
        )
    )


def test_dynamic_window_size(api):
    ds = _grouped(
        api,
        api.data.Dataset.from_tensor_slices(np.arange(100).astype(np.int64)),
        lambda x: x % 2,
        lambda _, xs: xs.batch(20),
        None,
        lambda key: 5 + 5 * key,
    )
    batches = [b.tolist() for b in elements(ds)]
    assert len(batches) == 15
    for batch in batches:
        parities = {x % 2 for x in batch}
        assert len(parities) == 1
        assert len(batch) == (5 if parities == {0} else 10)


def test_simple(api):
    components = np.random.RandomState(3).randint(100, size=(200,)).astype(np.int64)
    ds = _grouped(
        api,
        api.data.Dataset.from_tensor_slices(components).map(lambda x: x * x),
        lambda x: x % 2,
        lambda _, xs: xs.batch(4),
        4,
    )
    counts = []
    for batch in elements(ds):
        assert len({int(x) % 2 for x in batch}) == 1
        counts.append(batch.shape[0])
    assert sum(counts) == len(components)
    full = len([c for c in counts if c == 4])
    assert full >= 24
    assert all(c == 4 for c in counts[:full])


def test_immediate_output(api):
    components = np.array(
        [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 0, 0, 2, 2, 0, 0], dtype=np.int64
    )
    ds = _grouped(
        api,
        api.data.Dataset.from_tensor_slices(components).repeat(-1),
        lambda x: x % 3,
        lambda _, xs: xs.batch(4),
        4,
    )
    got = [b.tolist() for b in elements(ds, limit=12)]
    assert got == [[0] * 4, [1] * 4, [2] * 4, [0] * 4] * 3


def test_small_groups(api):
    components = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0], dtype=np.int64)
    ds = _grouped(
        api,
        api.data.Dataset.from_tensor_slices(components),
        lambda x: x % 2,
        lambda _, xs: xs.batch(4),
        4,
    )
    assert_produces(ds, [[0, 0, 0, 0], [1, 1, 1, 1], [0, 0, 0], [1]])


def test_empty_window_size(api):
    ds = _grouped(api, api.data.Dataset.range(4), lambda _: 0, lambda _, xs: xs, 0)
    with pytest.raises(
        api.errors.InvalidArgumentError,
        match="Window size must be greater than zero, but got 0.",
    ):
        elements(ds)


def test_short_circuit(api):
    ds = _grouped(
        api, api.data.Dataset.range(10), lambda x: x, lambda _, w: w.batch(1), 1
    )
    assert_produces(ds, [[i] for i in range(10)])


def test_with_autotune(api):
    ds = _grouped(
        api,
        api.data.Dataset.range(1000),
        lambda x: x // 10,
        lambda key, window: api.data.Dataset.from_tensors(key),
        4,
    )
    ds = ds.map(lambda x: x + 1, num_parallel_calls=-1)
    assert int(elements(ds, limit=1)[0]) == 1
