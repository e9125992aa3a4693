"""The Sampling methods of Dataset through the executor: determinism under a
seed, get_state/set_state at every step, and no thread left behind."""

from __future__ import annotations

import numpy as np
import pytest
from testing_state import check_state

import pipeline as pl

D = pl.data.Dataset


def _ints(ds):
    return [int(x) for x in ds]


def _sampler(seed=None):
    return D.sample_from_datasets(
        [D.range(0, 20), D.range(100, 120).map(lambda x: x, num_parallel_calls=2)],
        weights=[0.3, 0.7],
        seed=seed,
    )


def test_sample_from_datasets_seeded_runs_agree_and_keep_every_element():
    first, second = _ints(_sampler(seed=3)), _ints(_sampler(seed=3))
    assert first == second
    assert sorted(first) == list(range(20)) + list(range(100, 120))
    assert _ints(_sampler(seed=4)) != first


def test_unseeded_sampling_repeats_per_dataset_and_differs_between_builds():
    ds = _sampler()
    assert _ints(ds) == _ints(ds)
    assert _ints(_sampler()) != _ints(_sampler())
    rand = D.random().take(8)
    assert _ints(rand) == _ints(rand)
    assert _ints(D.random().take(8)) != _ints(D.random().take(8))


def test_unseeded_sampling_follows_the_options_seed():
    opts = pl.data.Options(seed=11)
    a = _ints(_sampler().with_options(opts))
    b = _ints(_sampler().with_options(opts))
    assert a == b


@pytest.mark.usefixtures("no_thread_leak")
def test_sample_from_datasets_state_at_every_step():
    check_state(lambda: _sampler(seed=5))


@pytest.mark.usefixtures("no_thread_leak")
def test_weights_dataset_state_and_values():
    weights = D.from_tensor_slices(np.array([[1.0, 0.0], [0.0, 1.0]] * 5))
    ds = D.sample_from_datasets([D.range(10), D.range(50, 60)], weights, seed=1)
    assert _ints(ds) == [0, 50, 1, 51, 2, 52, 3, 53, 4, 54]
    check_state(
        lambda: D.sample_from_datasets([D.range(10), D.range(50, 60)], weights, seed=1)
    )


def test_choose_from_datasets_state_and_spec():
    def make():
        choice = D.from_tensor_slices(np.array([0, 1, 1, 0, 1], np.int64))
        return D.choose_from_datasets(
            [D.from_tensors([1, 2]).repeat(), D.from_tensors([3, 4, 5]).repeat()],
            choice,
        )

    assert make().element_spec.shape == (None,)
    assert [x.tolist() for x in make()] == [
        [1, 2],
        [3, 4, 5],
        [3, 4, 5],
        [1, 2],
        [3, 4, 5],
    ]
    check_state(make)


def test_random_and_counter_state():
    check_state(lambda: D.random(seed=7).take(12))
    check_state(lambda: D.random(seed=7, rerandomize_each_iteration=True).take(12))
    check_state(lambda: D.counter(4, 3).take(6))


def test_scan_through_dataset_state_and_errors():
    def make():
        return D.range(8).scan(
            (np.int64(0), np.int64(1)), lambda s, x: ((s[0] + x, s[1] * 2), s[0] * s[1])
        )

    assert _ints(make()) == [0, 0, 4, 24, 96, 320, 960, 2688]
    check_state(make)
    with pytest.raises(TypeError, match="`scan_func` must be callable"):
        D.range(2).scan(0, None)


def test_scan_error_in_function_reaches_the_consumer():
    def fn(state, x):
        if x == 2:
            raise KeyError("boom")
        return state, x

    with pytest.raises(KeyError, match="boom"):
        _ints(D.range(4).scan(np.int64(0), fn))


def test_rejection_resample_is_deterministic_under_a_seed_and_resumable():
    def make():
        return D.range(400).rejection_resample(
            lambda x: x % 4, [0.1, 0.2, 0.3, 0.4], seed=8
        )

    first = [(int(c), int(x)) for c, x in make()]
    assert first == [(int(c), int(x)) for c, x in make()]
    assert all(c == x % 4 for c, x in first)
    check_state(make, steps=[0, 5, len(first) // 2, len(first)])


def test_rejection_resample_argument_checks():
    with pytest.raises(ValueError, match="same length"):
        D.range(4).rejection_resample(lambda x: x % 2, [0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(TypeError, match="`class_func` must be callable"):
        D.range(4).rejection_resample(None, [0.5, 0.5])


def test_seed_must_be_an_integer():
    with pytest.raises(TypeError, match="`seed` must be an integer"):
        D.random(seed=1.5)


def test_out_of_range_choice_is_skipped_by_ignore_errors():
    choice = D.from_tensor_slices(np.array([0, 5, 1], np.int64))
    ds = D.choose_from_datasets([D.range(3), D.range(10, 13)], choice)
    assert _ints(ds.ignore_errors()) == [0, 10]


def test_weights_dataset_checks():
    pair = [D.range(3), D.range(10, 13)]
    with pytest.raises(TypeError, match="`tf.float32` or `tf.float64`"):
        D.sample_from_datasets(pair, D.from_tensors(np.array([1, 1])).repeat())
    with pytest.raises(ValueError, match="must be a vector"):
        D.sample_from_datasets(pair, D.from_tensors(np.array([[0.5, 0.5]])).repeat())
