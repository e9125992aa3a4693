"""Cases of tensorflow/python/data/kernel_tests/cache_test.py."""

from __future__ import annotations

import functools
import os

import numpy as np
import pytest
from conformance_support import assert_produces, elements, spec_shapes

_COMPONENTS = (
    np.array([1, 2, 3, 4]),
    np.array([5, 6, 7, 8]),
    np.array([9.0, 10.0, 11.0, 12.0]),
)


def _plain(values):
    return [tuple(np.asarray(v).item() for v in e) for e in values]


@pytest.fixture
def cache_prefix(tmp_path):
    return str(tmp_path / "cache")


def test_file_cache_passthrough(api, cache_prefix):
    def dataset(count=5, filename=None):
        ds = api.data.Dataset.from_tensor_slices(_COMPONENTS).repeat(count)
        return ds.cache(filename) if filename else ds

    assert spec_shapes(dataset().element_spec) == ((), (), ())
    truth = _plain(elements(dataset()))
    assert len(truth) == 20
    assert _plain(elements(dataset(filename=cache_prefix))) == truth
    # an empty upstream: the elements come from the cache
    assert _plain(elements(dataset(count=0, filename=cache_prefix))) == truth
    assert elements(dataset(count=0, filename=cache_prefix + "nonsense")) == []


def test_file_cache_concurrent_writers(api, cache_prefix):
    ds1 = api.data.Dataset.from_tensor_slices(_COMPONENTS).cache(cache_prefix)
    ds2 = api.data.Dataset.from_tensor_slices(_COMPONENTS).cache(cache_prefix)
    it1, it2 = iter(ds1), iter(ds2)
    next(it1)
    with pytest.raises(api.errors.AlreadyExistsError):
        next(it2)
    next(it1)


def test_file_cache_concurrent_readers(api, cache_prefix):
    ds1 = api.data.Dataset.from_tensor_slices(_COMPONENTS).cache(cache_prefix)
    ds2 = api.data.Dataset.from_tensor_slices(_COMPONENTS).cache(cache_prefix)
    truth = _plain(elements(ds1))
    assert len(truth) == 4
    it1, it2 = iter(ds1), iter(ds2)
    got1, got2 = [], []
    for order in ((it2, got2), (it1, got1)) * 2 + ((it1, got1), (it2, got2)) * 2:
        order[1].append(next(order[0]))
    for it in (it2, it1):
        with pytest.raises(StopIteration):
            next(it)
    assert _plain(got1) == truth and _plain(got2) == truth


def test_file_cache_reading_past_end(api, cache_prefix):
    ds = api.data.Dataset.range(10).cache(cache_prefix)
    ds = ds.map(lambda a: a).batch(4).repeat(2)
    assert_produces(ds, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]] * 2)


def test_file_cache_partial_reads_then_full(api, cache_prefix):
    for i in [0, 3, 10, 12, 15]:
        it = iter(api.data.Dataset.range(10).cache(cache_prefix))
        for _ in range(i):
            try:
                next(it)
            except StopIteration:
                break
        del it
    assert_produces(api.data.Dataset.range(10).cache(cache_prefix), list(range(10)))


def test_memory_cache_of_empty_dataset(api):
    ds = api.data.Dataset.from_tensor_slices(_COMPONENTS).repeat(0).cache()
    assert_produces(ds, [])


def test_memory_cache_concurrent_readers(api):
    d1 = api.data.Dataset.range(5).cache().map(lambda x: x + 1)
    d2 = api.data.Dataset.range(5).cache().map(lambda x: x + 6)
    it1 = iter(d1)
    assert [int(next(it1)) for _ in range(3)] == [1, 2, 3]
    it2 = iter(d2)
    assert [int(next(it2)), int(next(it2))] == [6, 7]
    assert int(next(it1)) == 4
    assert [int(next(it2)), int(next(it1))] == [8, 5]
    assert [int(next(it2)), int(next(it2))] == [9, 10]
    for it in (it2, it1):
        with pytest.raises(StopIteration):
            next(it)


def test_memory_cache_take_repeat(api):
    ds = api.data.Dataset.range(10).cache().take(5).repeat(2)
    assert_produces(ds, [0, 1, 2, 3, 4] * 2)


def test_memory_cache_captured_by_interleave(api):
    ids = api.data.Dataset.range(10).cache()
    ds = api.data.Dataset.range(1).interleave(functools.partial(lambda d, _: d, ids))
    assert [int(x) for x in ds] == list(range(10))


def test_memory_cache_concurrent_iterators(api):
    ds = api.data.Dataset.range(10).cache()
    it1, it2 = iter(ds), iter(ds)
    for i in range(10):
        assert int(next(it1)) == i
        assert int(next(it2)) == i


def test_memory_cache_known_cardinality_completes_without_eof(api):
    ds = api.data.Dataset.range(10).shuffle(10, reshuffle_each_iteration=True).cache()
    it = iter(ds)
    first = [int(next(it)) for _ in range(10)]
    it = iter(ds)
    assert [int(next(it)) for _ in range(10)] == first


@pytest.mark.parametrize("memory", [True, False])
def test_cache_repeat_checkpoint_case_values(api, tmp_path, memory):
    filename = "" if memory else os.path.join(str(tmp_path), "test")
    ds = api.data.Dataset.range(10).cache(filename).repeat(3)
    assert_produces(ds, list(range(10)) * 3)
    assert_produces(ds, list(range(10)) * 3)


@pytest.mark.parametrize("epochs", ["repeat", "iterators"])
def test_cache_runs_the_map_once(api, epochs):
    counter = api.Variable(0)

    def count(x):
        counter.assign_add(1)
        return x

    ds = api.data.Dataset.range(10).map(count).cache()
    if epochs == "repeat":
        assert_produces(ds.repeat(2), list(range(10)) * 2)
    else:
        assert_produces(ds, list(range(10)))
        assert int(counter.numpy()) == 10
        assert_produces(ds, list(range(10)))
    assert int(counter.numpy()) == 10
