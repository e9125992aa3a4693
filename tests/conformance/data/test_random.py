"""Cases of tensorflow/python/data/kernel_tests/random_test.py and
data/experimental/kernel_tests/random_dataset_test.py.

Exact values are not compared (another generator); determinism is. Not
ported: the global-seed cases (``tf.random.set_seed``; ours is
``Options(seed=...)``), the v1-only and tf.function cases.
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_checkpoint import verify_restore
from conformance_support import assert_produces, elements, numpy_dtype


def _values(ds):
    return [int(x) for x in elements(ds)]


@pytest.mark.parametrize("local_seed", [None, 20])
def test_determinism(api, local_seed):
    first = _values(api.data.Dataset.random(seed=local_seed).take(10))
    second = _values(api.data.Dataset.random(seed=local_seed).take(10))
    assert (first == second) == (local_seed is not None)


def test_values_are_int64(api):
    ds = api.data.Dataset.random(seed=1)
    assert numpy_dtype(ds.element_spec.dtype) == np.int64
    assert int(ds.cardinality()) == api.data.INFINITE_CARDINALITY
    values = elements(ds.take(100))
    assert all(v.dtype == np.int64 for v in values)
    assert len(set(int(v) for v in values)) > 90


@pytest.mark.parametrize("rerandomize", [None, True, False])
def test_rerandomize_each_iteration_epochs(api, rerandomize):
    ds = api.data.Dataset.random(
        seed=42, rerandomize_each_iteration=rerandomize, name="random"
    ).take(10)
    assert (_values(ds) == _values(ds)) == (not rerandomize)


@pytest.mark.parametrize("rerandomize", [None, True, False])
def test_rerandomize_repeat_epochs(api, rerandomize):
    ds = api.data.Dataset.random(
        seed=42, rerandomize_each_iteration=rerandomize, name="random"
    ).take(10)
    got = _values(ds.repeat(2))
    assert (got[:10] == got[10:]) == (not rerandomize)


def test_name(api):
    ds = api.data.Dataset.random(seed=42, name="random").take(1).map(lambda _: 42)
    assert_produces(ds, [42])


def test_experimental_random_dataset(api):
    first = _values(api.data.experimental.RandomDataset(seed=5).take(5))
    second = _values(api.data.experimental.RandomDataset(seed=5).take(5))
    assert first == second and len(set(first)) == 5


@pytest.mark.parametrize("rerandomize", [True, False])
def test_checkpoint(api, tmp_path, rerandomize):
    def make():
        ds = api.data.Dataset.random(seed=55, rerandomize_each_iteration=rerandomize)
        return ds.take(10)

    verify_restore(api, make, 10, tmp_path, breaks=(0, 4, 10))
