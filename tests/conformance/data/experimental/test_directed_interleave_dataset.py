"""Cases of tensorflow/python/data/experimental/kernel_tests/
directed_interleave_dataset_test.py, through the ``tf.data.experimental``
endpoints (the cases shared with sample_from_datasets_test.py and
choose_from_datasets_test.py are ported there). Error messages are TF 2.21's.
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_checkpoint import verify_restore
from conformance_support import assert_produces, elements


def test_basic(api):
    selector = api.data.Dataset.range(10).repeat(100)
    inputs = [api.data.Dataset.from_tensors(i).repeat(100) for i in range(10)]
    ds = api.data.experimental.choose_from_datasets(inputs, selector)
    assert_produces(ds, list(range(10)) * 100)


@pytest.mark.parametrize("probs", [[0.85, 0.05, 0.1], [1.0]], ids=str)
def test_sample_from_datasets(api, probs):
    datasets = [api.data.Dataset.from_tensors(i).repeat() for i in range(len(probs))]
    ds = api.data.experimental.sample_from_datasets(
        datasets, np.asarray(probs), seed=1619
    ).take(5000)
    freqs = np.bincount([int(x) for x in elements(ds)], minlength=len(probs)) / 5000
    diff = freqs - np.asarray(probs)
    assert np.sum(diff * diff / np.asarray(probs)) < 1e-2


def test_sample_skips_an_exhausted_dataset_by_default(api):
    datasets = [
        api.data.Dataset.from_tensors(np.int64(-1)),
        api.data.Dataset.from_tensors(np.int64(1)).repeat(),
        api.data.Dataset.range(10).repeat(),
    ]
    ds = api.data.experimental.sample_from_datasets(
        datasets, weights=[0.5, 0.1, 0.4]
    ).take(100)
    got = [int(x) for x in elements(ds)]
    assert len(got) == 100 and got.count(-1) == 1


def _limited(api):
    return [
        api.data.Dataset.from_tensors(b"foo").repeat(2),
        api.data.Dataset.from_tensors(b"bar").repeat(),
        api.data.Dataset.from_tensors(b"baz").repeat(),
    ]


CHOICES = np.asarray([0, 0, 0, 1, 1, 1, 2, 2, 2], dtype=np.int64)


def test_choose_skips_an_exhausted_dataset_by_default(api):
    choice = api.data.Dataset.from_tensor_slices(CHOICES)
    ds = api.data.experimental.choose_from_datasets(_limited(api), choice)
    assert_produces(
        ds, [b"foo", b"foo", b"bar", b"bar", b"bar", b"baz", b"baz", b"baz"]
    )


def test_choose_stopping_on_empty_dataset(api):
    choice = api.data.Dataset.from_tensor_slices(CHOICES)
    ds = api.data.experimental.choose_from_datasets(
        _limited(api), choice, stop_on_empty_dataset=True
    )
    assert_produces(ds, [b"foo", b"foo"])


def test_errors(api):
    exp, ds = api.data.experimental, api.data.Dataset
    with pytest.raises(ValueError, match="should have the same length"):
        exp.sample_from_datasets([ds.range(10), ds.range(20)], weights=[0.25] * 4)
    with pytest.raises(TypeError, match="`tf.float32` or `tf.float64`"):
        exp.sample_from_datasets([ds.range(10), ds.range(20)], weights=[1, 1])
    with pytest.raises(TypeError, match="must have compatible"):
        exp.sample_from_datasets([ds.from_tensors(0), ds.from_tensors(0.0)])
    with pytest.raises(ValueError, match="`datasets` should not be empty"):
        exp.sample_from_datasets(datasets=[], weights=[])
    with pytest.raises(TypeError, match="tf.int64"):
        exp.choose_from_datasets(
            [ds.from_tensors(0), ds.from_tensors(1)], ds.from_tensors(1.0)
        )
    with pytest.raises(TypeError, match="scalar"):
        exp.choose_from_datasets(
            [ds.from_tensors(0), ds.from_tensors(1)], ds.from_tensors([1.0])
        )
    with pytest.raises(ValueError, match="`datasets` should not be empty"):
        exp.choose_from_datasets(datasets=[], choice_dataset=ds.from_tensors(1.0))
    with pytest.raises(
        TypeError, match="`choice_dataset` should be a `tf.data.Dataset`"
    ):
        exp.choose_from_datasets([ds.range(3)], choice_dataset=None)


def test_out_of_range_choice(api):
    ds = api.data.experimental.choose_from_datasets(
        [api.data.Dataset.from_tensors(0)],
        choice_dataset=api.data.Dataset.from_tensors(np.int64(1)),
    )
    with pytest.raises(api.errors.InvalidArgumentError, match="out of range"):
        elements(ds)


def test_checkpoint(api, tmp_path):
    def make():
        datasets = [api.data.Dataset.from_tensors(i).repeat(None) for i in range(2)]
        ds = api.data.experimental.sample_from_datasets(datasets, [0.5, 0.5], seed=1813)
        return ds.take(100)

    verify_restore(api, make, 100, tmp_path, breaks=(0, 50, 100))
