"""Cases of tensorflow/python/data/kernel_tests/sample_from_datasets_test.py.

Weights come as a list, a numpy array (TF's "tensor" case) or a dataset of
weight vectors. Not ported: the tf.function case (graph mode). The chi-square
case sets no global seed here (ours has none); the draws are seeded instead.
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_checkpoint import verify_restore
from conformance_support import assert_produces, elements

WEIGHT_KINDS = ["list", "array", "dataset"]


def _weights(api, values, kind):
    if kind == "list":
        return list(values)
    if kind == "array":
        return np.asarray(values)
    return api.data.Dataset.from_tensors(np.asarray(values)).repeat()


def _chi2(expected, actual):
    expected, actual = np.asarray(expected), np.asarray(actual)
    diff = actual - expected
    return np.sum(diff * diff / expected, axis=0)


@pytest.mark.parametrize("kind", WEIGHT_KINDS)
@pytest.mark.parametrize(
    "probs", [[0.85, 0.05, 0.1], [0.1, 0.3, 0.2, 0.25, 0.15], [1.0]], ids=str
)
def test_sample_from_datasets_distribution(api, kind, probs):
    n = 5000
    datasets = [api.data.Dataset.from_tensors(i).repeat() for i in range(len(probs))]
    ds = api.data.Dataset.sample_from_datasets(
        datasets, _weights(api, probs, kind), seed=1619
    ).take(n)
    freqs = np.zeros(len(probs))
    for value in elements(ds):
        freqs[int(value)] += 1
    assert freqs.sum() == n
    assert _chi2(probs, freqs / n) < 1e-2


def _three(api):
    return [
        api.data.Dataset.from_tensors(np.int64(-1)),
        api.data.Dataset.from_tensors(np.int64(1)).repeat(),
        api.data.Dataset.range(10).repeat(),
    ]


@pytest.mark.parametrize("kind", WEIGHT_KINDS)
def test_stopping_on_empty_dataset(api, kind):
    ds = api.data.Dataset.sample_from_datasets(
        _three(api),
        weights=_weights(api, [0.5, 0.1, 0.4], kind),
        stop_on_empty_dataset=True,
    )
    assert [int(x) for x in elements(ds)].count(-1) == 1


@pytest.mark.parametrize("kind", WEIGHT_KINDS)
def test_skipping_empty_dataset(api, kind):
    ds = api.data.Dataset.sample_from_datasets(
        _three(api),
        weights=_weights(api, [0.5, 0.1, 0.4], kind),
        stop_on_empty_dataset=False,
    ).take(100)
    got = [int(x) for x in elements(ds)]
    assert len(got) == 100
    assert got.count(-1) == 1


@pytest.mark.parametrize("kind", WEIGHT_KINDS)
def test_zero_weight(api, kind):
    datasets = [
        api.data.Dataset.from_tensors(-1).repeat(2),
        api.data.Dataset.from_tensors(1).repeat(2),
    ]
    ds = api.data.Dataset.sample_from_datasets(
        datasets, weights=_weights(api, [0.0, 1.0], kind), stop_on_empty_dataset=True
    )
    assert_produces(ds, [1, 1])


@pytest.mark.parametrize("kind", WEIGHT_KINDS)
def test_sample_from_empty_dataset(api, kind):
    datasets = [api.data.Dataset.range(0), api.data.Dataset.range(1).repeat()]
    ds = api.data.Dataset.sample_from_datasets(
        datasets, weights=_weights(api, [1.0, 0.0], kind), stop_on_empty_dataset=True
    )
    assert_produces(ds, [])


def test_skipping_datasets_with_zero_weight(api):
    datasets = [
        api.data.Dataset.from_tensors(-1).repeat(),
        api.data.Dataset.from_tensors(1),
    ]
    ds = api.data.Dataset.sample_from_datasets(
        datasets, weights=np.asarray([0.0, 1.0]), stop_on_empty_dataset=False
    )
    assert_produces(ds, [1])


def test_all_weights_are_zero(api):
    datasets = [
        api.data.Dataset.from_tensors(-1).repeat(),
        api.data.Dataset.from_tensors(1).repeat(),
    ]
    ds = api.data.Dataset.sample_from_datasets(
        datasets, weights=np.asarray([0.0, 0.0]), stop_on_empty_dataset=False
    )
    assert_produces(ds, [])


def test_cardinality(api):
    ds1 = api.data.Dataset.from_tensors([1.0]).repeat()
    ds2 = api.data.Dataset.from_tensors([2.0]).repeat()
    ds = api.data.Dataset.sample_from_datasets([ds1, ds2])
    assert int(ds.cardinality()) == api.data.INFINITE_CARDINALITY


def test_nested_windows(api):
    ds1 = api.data.Dataset.range(10).window(2)
    ds2 = api.data.Dataset.range(10, 20).window(2)
    ds = api.data.Dataset.sample_from_datasets([ds1, ds2], weights=[0.3, 0.7])
    first = elements(ds.flat_map(lambda x: x), limit=1)
    assert int(first[0]) in (0, 10)


def _epochs_sampler(api, rerandomize):
    return api.data.Dataset.sample_from_datasets(
        [api.data.Dataset.range(0, 10), api.data.Dataset.range(100, 110)],
        seed=42,
        weights=[0.5, 0.5],
        stop_on_empty_dataset=True,
        rerandomize_each_iteration=rerandomize,
    )


@pytest.mark.parametrize("rerandomize", [None, True, False])
def test_rerandomize_each_iteration_epochs(api, rerandomize):
    ds = _epochs_sampler(api, rerandomize)
    first = [int(x) for x in elements(ds)]
    second = [int(x) for x in elements(ds)]
    assert (first != second) == bool(rerandomize)


@pytest.mark.parametrize("rerandomize", [None, True, False])
def test_rerandomize_repeat_epochs(api, rerandomize):
    got = [int(x) for x in elements(_epochs_sampler(api, rerandomize).repeat(2))]
    first, second = got[: len(got) // 2], got[len(got) // 2 :]
    assert (first != second) == bool(rerandomize)


def test_errors_weights_length(api):
    with pytest.raises(ValueError, match="should have the same length"):
        api.data.Dataset.sample_from_datasets(
            [api.data.Dataset.range(10), api.data.Dataset.range(20)],
            weights=[0.25, 0.25, 0.25, 0.25],
        )


def test_errors_int_weights(api):
    with pytest.raises(TypeError, match="`tf.float32` or `tf.float64`"):
        api.data.Dataset.sample_from_datasets(
            [api.data.Dataset.range(10), api.data.Dataset.range(20)], weights=[1, 1]
        )


def test_errors_incompatible_datasets(api):
    with pytest.raises(TypeError, match="must have compatible"):
        api.data.Dataset.sample_from_datasets(
            [api.data.Dataset.from_tensors(0), api.data.Dataset.from_tensors(0.0)]
        )


def test_errors_no_datasets(api):
    with pytest.raises(
        ValueError, match=r"Invalid `datasets`. `datasets` should not be empty."
    ):
        api.data.Dataset.sample_from_datasets(datasets=[], weights=[])


def test_checkpoint(api, tmp_path):
    def make():
        datasets = [api.data.Dataset.from_tensors(i).repeat(None) for i in range(2)]
        ds = api.data.Dataset.sample_from_datasets(datasets, [0.5, 0.5], seed=1813)
        return ds.take(100)

    verify_restore(api, make, 100, tmp_path, breaks=(0, 37, 100))
