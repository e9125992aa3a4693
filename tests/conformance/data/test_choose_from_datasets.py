"""Cases of tensorflow/python/data/kernel_tests/choose_from_datasets_test.py."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_checkpoint import verify_restore
from conformance_support import assert_produces

WORDS = [b"foo", b"bar", b"baz"]


def test_choose_from_datasets(api):
    datasets = [api.data.Dataset.from_tensors(w).repeat() for w in WORDS]
    choices = np.random.RandomState(7).randint(3, size=(15,)).astype(np.int64)
    ds = api.data.Dataset.choose_from_datasets(
        datasets, api.data.Dataset.from_tensor_slices(choices)
    )
    assert_produces(ds, [WORDS[i] for i in choices])


def _limited(api):
    return [
        api.data.Dataset.from_tensors(b"foo").repeat(2),
        api.data.Dataset.from_tensors(b"bar").repeat(),
        api.data.Dataset.from_tensors(b"baz").repeat(),
    ]


CHOICES = np.asarray([0, 0, 0, 1, 1, 1, 2, 2, 2], dtype=np.int64)


def test_stopping_on_empty_dataset(api):
    ds = api.data.Dataset.choose_from_datasets(
        _limited(api),
        api.data.Dataset.from_tensor_slices(CHOICES),
        stop_on_empty_dataset=True,
    )
    assert_produces(ds, [b"foo", b"foo"])


def test_skipping_empty_datasets(api):
    ds = api.data.Dataset.choose_from_datasets(
        _limited(api),
        api.data.Dataset.from_tensor_slices(CHOICES),
        stop_on_empty_dataset=False,
    )
    assert_produces(
        ds, [b"foo", b"foo", b"bar", b"bar", b"bar", b"baz", b"baz", b"baz"]
    )


def test_choice_dataset_is_empty(api):
    datasets = [api.data.Dataset.from_tensors(w).repeat() for w in WORDS]
    ds = api.data.Dataset.choose_from_datasets(
        datasets, choice_dataset=api.data.Dataset.range(0), stop_on_empty_dataset=False
    )
    assert_produces(ds, [])


def test_nested_windows(api):
    ds1 = api.data.Dataset.range(10).window(2)
    ds2 = api.data.Dataset.range(10, 20).window(2)
    choice = api.data.Dataset.range(2).repeat(5)
    ds = api.data.Dataset.choose_from_datasets([ds1, ds2], choice)
    ds = ds.flat_map(lambda x: x)
    expected = []
    for i in range(5):
        for j in range(2):
            expected.extend([10 * j + 2 * i, 10 * j + 2 * i + 1])
    assert_produces(ds, expected)


def _two(api):
    return [api.data.Dataset.from_tensors(0), api.data.Dataset.from_tensors(1)]


def test_error_float_choices(api):
    with pytest.raises(TypeError, match="tf.int64"):
        api.data.Dataset.choose_from_datasets(
            _two(api), choice_dataset=api.data.Dataset.from_tensors(1.0)
        )


def test_error_vector_choices(api):
    with pytest.raises(TypeError, match="scalar"):
        api.data.Dataset.choose_from_datasets(
            _two(api), choice_dataset=api.data.Dataset.from_tensors([1.0])
        )


def test_error_choice_out_of_range(api):
    ds = api.data.Dataset.choose_from_datasets(
        [api.data.Dataset.from_tensors(0)],
        choice_dataset=api.data.Dataset.from_tensors(np.int64(1)),
    )
    with pytest.raises(api.errors.InvalidArgumentError, match="out of range"):
        next(iter(ds))


def test_error_no_datasets(api):
    with pytest.raises(
        ValueError, match=r"Invalid `datasets`. `datasets` should not be empty."
    ):
        api.data.Dataset.choose_from_datasets(
            datasets=[], choice_dataset=api.data.Dataset.from_tensors(1.0)
        )


def test_error_choice_not_a_dataset(api):
    with pytest.raises(
        TypeError, match=r"`choice_dataset` should be a `tf.data.Dataset`"
    ):
        api.data.Dataset.choose_from_datasets(
            [api.data.Dataset.range(42)], choice_dataset=None
        )


def test_checkpoint(api, tmp_path):
    indices = np.repeat(np.arange(5, dtype=np.int64), 20)
    np.random.RandomState(12).shuffle(indices)

    def make():
        datasets = [api.data.Dataset.range(20) for _ in range(5)]
        choice = api.data.Dataset.from_tensor_slices(indices)
        return api.data.Dataset.choose_from_datasets(datasets, choice)

    verify_restore(api, make, 100, tmp_path, breaks=(0, 41, 100))
