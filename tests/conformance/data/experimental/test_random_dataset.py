"""Cases of tensorflow/python/data/experimental/kernel_tests/random_dataset_test.py
(``tf.data.experimental.RandomDataset``).

Ported: the local-seed cases; TF's graph round trip rebuilds the dataset, so
the second output comes from a dataset built again. Not ported: the
global-seed cases (``tf.random.set_seed``; ours is ``Options(seed=...)``).
Added: iterating one dataset twice repeats its draws, seeded or not (TF 2.21
draws an unseeded dataset's seed when it is built).
"""

from __future__ import annotations

import pytest
from conformance_support import elements


def _draws(api, seed):
    return [
        int(x) for x in elements(api.data.experimental.RandomDataset(seed).take(10))
    ]


@pytest.mark.parametrize("local_seed", [None, 20])
def test_determinism(api, local_seed):
    first, second = _draws(api, local_seed), _draws(api, local_seed)
    assert len(first) == 10
    assert (first == second) == (local_seed is not None)


@pytest.mark.parametrize("local_seed", [None, 20])
def test_same_dataset_twice(api, local_seed):
    ds = api.data.experimental.RandomDataset(seed=local_seed).take(10)
    assert [int(x) for x in elements(ds)] == [int(x) for x in elements(ds)]
