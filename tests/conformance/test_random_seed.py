"""``tf.random.set_seed``: unseeded random stages follow the global seed.

From the global-seed cases of tensorflow/python/data/kernel_tests/random_test.py
and shuffle_test.py: after the same ``set_seed``, the same program draws the
same values; another seed draws others.
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import elements


@pytest.fixture
def global_seed(api):
    yield api.random.set_seed
    api.random.set_seed(None)


def _draws(api, seed, set_seed):
    set_seed(seed)
    shuffled = [int(x) for x in elements(api.data.Dataset.range(20).shuffle(20))]
    randoms = [int(x) for x in elements(api.data.Dataset.random().take(5))]
    return shuffled, randoms


def test_same_global_seed_same_draws(api, global_seed):
    first = _draws(api, 42, global_seed)
    assert sorted(first[0]) == list(range(20))
    assert _draws(api, 42, global_seed) == first


def test_other_global_seed_other_draws(api, global_seed):
    assert _draws(api, 42, global_seed) != _draws(api, 7, global_seed)


def test_op_seed_is_combined_with_the_global_seed(api, global_seed):
    def run(seed):
        global_seed(seed)
        ds = api.data.Dataset.range(20).shuffle(20, seed=5)
        return [int(x) for x in elements(ds)]

    assert run(1) == run(1)
    assert run(1) != run(2)


def test_random_tensors_follow_the_global_seed(api, global_seed):
    global_seed(3)
    a = np.asarray(api.random.uniform([4]))
    b = np.asarray(api.random.normal([4]))
    global_seed(3)
    assert np.array_equal(a, np.asarray(api.random.uniform([4])))
    assert np.array_equal(b, np.asarray(api.random.normal([4])))
    assert ((a >= 0) & (a < 1)).all()
