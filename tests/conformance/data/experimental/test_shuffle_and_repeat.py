"""Cases of tensorflow/python/data/experimental/kernel_tests/
shuffle_and_repeat_test.py (``tf.data.experimental.shuffle_and_repeat``)."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_checkpoint import verify_restore
from conformance_support import elements


def _build(api, seed, count=5, num_elements=20):
    return api.data.Dataset.range(num_elements).apply(
        api.data.experimental.shuffle_and_repeat(buffer_size=5, count=count, seed=seed)
    )


def _outputs(ds, n, exhausted=True):
    it = iter(ds)
    out = [int(next(it)) for _ in range(n)]
    if exhausted:
        with pytest.raises(StopIteration):
            next(it)
    return out


def test_correct_output(api):
    out = _outputs(_build(api, 10), 100)
    assert sorted(out) == sorted(list(range(20)) * 5)
    for i in range(5):
        assert sorted(out[i * 20 : (i + 1) * 20]) == list(range(20))


def test_reshuffling(api):
    out = _outputs(_build(api, 10), 100)
    for i in range(4):
        assert out[i * 20 : (i + 1) * 20] != out[(i + 1) * 20 : (i + 2) * 20]


def test_same_order_for_same_seeds(api):
    assert _outputs(_build(api, 10), 100) == _outputs(_build(api, 10), 100)


def test_different_order_for_different_seeds(api):
    a, b = _outputs(_build(api, 10), 100), _outputs(_build(api, 20), 100)
    assert a != b and sorted(a) == sorted(b)


@pytest.mark.parametrize("count", [None, -1])
def test_endless_counts(api, count):
    a = _outputs(_build(api, 10, count=count), 100, exhausted=False)
    b = _outputs(_build(api, 20, count=count), 100, exhausted=False)
    assert a != b and sorted(a) == sorted(b)
    it = iter(_build(api, 10, count=count))
    _ = [next(it) for _ in range(100)]
    assert next(it) is not None  # still going after 100 elements


@pytest.mark.parametrize("count", [None, -1])
def test_endless_repeat_of_nothing_is_empty(api, count):
    assert elements(_build(api, 10, count=count, num_elements=0)) == []


def test_large_buffer_size(api):
    ds = api.data.Dataset.range(20).apply(
        api.data.experimental.shuffle_and_repeat(buffer_size=21)
    )
    assert 0 <= int(elements(ds, limit=1)[0]) < 20


def test_very_large_buffer_size(api):
    epochs = 1000 * 1000
    ds = (
        api.data.Dataset.range(500)
        .batch(100)
        .apply(
            api.data.experimental.shuffle_and_repeat(
                buffer_size=5 * epochs, count=epochs
            )
        )
    )
    out = elements(ds, limit=10)
    for i in range(2):
        epoch = sorted(out[i * 5 : (i + 1) * 5], key=lambda b: b[0])
        assert np.array_equal(np.stack(epoch), np.arange(500).reshape([5, 100]))


def test_rerandomize_on_rebuild(api):
    def make():
        return api.data.Dataset.range(100).apply(
            api.data.experimental.shuffle_and_repeat(buffer_size=100, count=2)
        )

    a, b = [int(x) for x in elements(make())], [int(x) for x in elements(make())]
    assert sorted(a) == sorted(b) and a != b


def test_checkpoint(api, tmp_path):
    verify_restore(api, lambda: _build(api, 10), 100, tmp_path, breaks=(0, 33, 100))
