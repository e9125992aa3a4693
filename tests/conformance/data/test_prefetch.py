"""Cases of tensorflow/python/data/kernel_tests/prefetch_test.py."""

from __future__ import annotations

import pytest
from conformance_support import assert_produces, to_numpy


@pytest.mark.parametrize("buffer_size", [-1, None, 0, 42])
def test_buffer_size(api, buffer_size):
    ds = api.data.Dataset.range(10).prefetch(buffer_size=buffer_size)
    assert_produces(ds, range(10))


@pytest.mark.parametrize("buffer_size", [-2, -42])
def test_invalid_buffer_size(api, buffer_size):
    with pytest.raises(api.errors.InvalidArgumentError):
        list(api.data.Dataset.range(10).prefetch(buffer_size=buffer_size))


def test_name(api):
    ds = api.data.Dataset.from_tensors(42).prefetch(1, name="prefetch")
    assert_produces(ds, [42])


def test_prefetch_goes_on_after_an_error(api):
    records = [b"1", b"x", b"3"]
    ds = api.data.Dataset.from_tensor_slices(records)
    ds = ds.map(lambda r: api.io.decode_csv(r, [[0]])[0]).prefetch(1)
    it = iter(ds)
    assert int(to_numpy(next(it))) == 1
    with pytest.raises(api.errors.InvalidArgumentError):
        next(it)
    assert int(to_numpy(next(it))) == 3
    with pytest.raises(StopIteration):
        next(it)
