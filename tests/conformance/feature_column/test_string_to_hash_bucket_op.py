"""Cases of tensorflow/python/kernel_tests/strings_ops/string_to_hash_bucket_op_test.py
(``tf.strings.to_hash_bucket*``, which feature columns hash with).
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import to_numpy


def _ids(value):
    return np.asarray(to_numpy(value)).tolist()


def test_one_bucket_fast(api):
    assert _ids(api.strings.to_hash_bucket_fast(["a", "b", "c"], 1)) == [0, 0, 0]


def test_buckets_fast(api):
    # Fingerprint64 of a, b, c, d mod 10.
    got = _ids(api.strings.to_hash_bucket_fast(["a", "b", "c", "d"], 10))
    assert got == [9, 2, 2, 5]


def test_one_bucket_legacy(api):
    assert _ids(api.strings.to_hash_bucket(["a", "b", "c"], 1)) == [0, 0, 0]


def test_buckets_legacy(api):
    # The deprecated Hash64 of a, b, c mod 10.
    assert _ids(api.strings.to_hash_bucket(["a", "b", "c"], 10)) == [8, 0, 7]


def test_one_bucket_strong(api):
    got = api.strings.to_hash_bucket_strong(["a", "b", "c"], 1, key=[123, 345])
    assert _ids(got) == [0, 0, 0]


def test_buckets_strong(api):
    got = api.strings.to_hash_bucket_strong(["a", "b", "c"], 10, key=[98765, 132])
    assert _ids(got) == [4, 2, 8]


def test_strong_key_needs_two_elements(api):
    with pytest.raises(
        api.errors.InvalidArgumentError, match="Key must have 2 elements"
    ):
        api.strings.to_hash_bucket_strong(["a", "b", "c"], 10, key=[98765])
