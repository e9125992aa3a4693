"""Cases of tensorflow/python/data/kernel_tests/shuffle_test.py."""

from __future__ import annotations

import collections
import functools

import numpy as np
import pytest
from conformance_support import elements, is_tensorflow, spec_shapes

_COMPONENTS = (
    np.array([1, 2, 3, 4]),
    np.array([5, 6, 7, 8]),
    np.array([9.0, 10.0, 11.0, 12.0]),
)


def _plain(values):
    return [tuple(np.asarray(v).item() for v in e) for e in values]


def _dataset(api, count=5, buffer_size=None, seed=0):
    ds = api.data.Dataset.from_tensor_slices(_COMPONENTS).repeat(count)
    if buffer_size:
        ds = ds.shuffle(buffer_size, seed)
        assert spec_shapes(ds.element_spec) == ((), (), ())
    return ds


def test_shuffle_basic(api):
    truth = _plain(elements(_dataset(api)))
    assert len(truth) == 20
    shuffled = _plain(elements(_dataset(api, buffer_size=100, seed=37)))
    assert sorted(shuffled) == sorted(truth)
    again = _plain(elements(_dataset(api, buffer_size=100, seed=37)))
    assert again == shuffled
    other = _plain(elements(_dataset(api, buffer_size=100, seed=137)))
    assert other != shuffled and sorted(other) == sorted(truth)
    small = _plain(elements(_dataset(api, buffer_size=2, seed=37)))
    assert sorted(small) == sorted(truth)
    assert elements(_dataset(api, count=0, buffer_size=100, seed=37)) == []


def test_shuffle_ended_iterator_stays_ended(api):
    it = iter(_dataset(api, buffer_size=100, seed=37))
    assert len([next(it) for _ in range(20)]) == 20
    for _ in range(2):
        with pytest.raises(StopIteration):
            next(it)


def test_shuffle_default_arguments_visit_each_element_once_per_epoch(api):
    ds = api.data.Dataset.from_tensor_slices([0, 1, 2, 3, 4]).shuffle(5).repeat()
    it = iter(ds)
    counts = collections.Counter(int(next(it)) for _ in range(50))
    assert counts == {i: 10 for i in range(5)}


@pytest.mark.parametrize("reshuffle", [True, False])
@pytest.mark.parametrize("seed", [None, 42])
def test_reshuffle_repeat_epochs(api, reshuffle, seed):
    ds = api.data.Dataset.range(10).shuffle(
        10, seed=seed, reshuffle_each_iteration=reshuffle
    )
    got = [int(x) for x in ds.repeat(2)]
    assert (got[:10] == got[10:]) == (not reshuffle)


@pytest.mark.parametrize("reshuffle", [True, False])
@pytest.mark.parametrize("seed", [None, 42])
def test_reshuffle_iteration_epochs(api, reshuffle, seed):
    if hasattr(api, "random"):
        api.random.set_seed(None)
    ds = api.data.Dataset.range(10).shuffle(
        10, seed=seed, reshuffle_each_iteration=reshuffle
    )
    first = [int(x) for x in ds]
    second = [int(x) for x in ds]
    assert (first == second) == (not reshuffle)


@pytest.mark.parametrize("reshuffle", [True, False])
@pytest.mark.parametrize("seed", [None, 42])
def test_reshuffle_separate_transformations(api, reshuffle, seed):
    ds = api.data.Dataset.range(10)
    first = [
        int(x) for x in ds.shuffle(10, seed=seed, reshuffle_each_iteration=reshuffle)
    ]
    second = [
        int(x) for x in ds.shuffle(10, seed=seed, reshuffle_each_iteration=reshuffle)
    ]
    assert (first != second) == (seed is None)


def test_shuffle_captured_by_interleave(api):
    ids = api.data.Dataset.range(10).shuffle(1)
    ds = api.data.Dataset.range(1).interleave(functools.partial(lambda d, _: d, ids))
    assert [int(x) for x in ds] == list(range(10))


@pytest.mark.parametrize("buffer_size", [1, 3, 5, 8, 10])
@pytest.mark.parametrize("reshuffle", [True, False])
def test_shuffle_checkpoint_case_counts(api, buffer_size, reshuffle):
    ds = api.data.Dataset.range(5).shuffle(
        buffer_size, seed=55, reshuffle_each_iteration=reshuffle
    )
    got = [int(x) for x in ds.repeat(2)]
    assert sorted(got[:5]) == sorted(got[5:]) == list(range(5))
    if not reshuffle:
        assert got[:5] == got[5:]
        assert [int(x) for x in ds.repeat(2)] == got


@pytest.mark.parametrize("buffer_size", [0, -1])
def test_shuffle_buffer_size_must_be_positive(api, buffer_size):
    with pytest.raises(api.errors.InvalidArgumentError):
        list(api.data.Dataset.range(3).shuffle(buffer_size))


def _must_be_zero(api):
    if is_tensorflow(api):

        def check(x):
            with api.control_dependencies([api.debugging.assert_equal(x, 0)]):
                return api.identity(x)

        return check

    def fail_unless_zero(x):
        if x != 0:
            raise api.errors.InvalidArgumentError(f"assertion failed: {x} != 0")
        return x

    return fail_unless_zero


def test_shuffle_of_a_failed_then_empty_cache(api):
    ds = api.data.Dataset.from_tensors(1).map(_must_be_zero(api)).cache()
    it = iter(ds.shuffle(buffer_size=10).repeat())
    with pytest.raises(api.errors.InvalidArgumentError):
        next(it)
    with pytest.raises(StopIteration):
        next(it)
