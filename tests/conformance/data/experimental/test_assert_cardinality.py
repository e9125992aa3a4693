"""Cases of tensorflow/python/data/experimental/kernel_tests/
assert_cardinality_test.py."""

from __future__ import annotations

import pytest
from conformance_checkpoint import verify_restore
from conformance_support import assert_produces, elements


def test_correct_cardinality(api):
    exp = api.data.experimental
    ds = api.data.Dataset.range(10).filter(lambda x: True)
    assert int(exp.cardinality(ds)) == exp.UNKNOWN_CARDINALITY
    assert_produces(ds, range(10))
    ds = ds.apply(exp.assert_cardinality(10))
    assert int(exp.cardinality(ds)) == 10
    assert_produces(ds, range(10))


@pytest.mark.parametrize(
    ("num_elements", "asserted", "message"),
    [
        (
            10,
            20,
            "Input dataset was expected to contain 20 elements but contained "
            "only 10 elements.",
        ),
        (
            1,
            20,
            "Input dataset was expected to contain 20 elements but contained "
            "only 1 element.",
        ),
        (
            10,
            -1,
            "Input dataset was expected to contain an infinite number of "
            "elements but contained only 10 elements.",
        ),
        (
            1,
            -1,
            "Input dataset was expected to contain an infinite number of "
            "elements but contained only 1 element.",
        ),
        (
            10,
            5,
            "Input dataset was expected to contain 5 elements but contained "
            "at least 6 elements.",
        ),
        (
            10,
            1,
            "Input dataset was expected to contain 1 element but contained "
            "at least 2 elements.",
        ),
    ],
)
def test_incorrect_cardinality(api, num_elements, asserted, message):
    ds = api.data.Dataset.range(num_elements).apply(
        api.data.experimental.assert_cardinality(asserted)
    )
    with pytest.raises(api.errors.FailedPreconditionError, match=message):
        elements(ds)


def test_checkpoint(api, tmp_path):
    def make():
        return api.data.Dataset.range(200).apply(
            api.data.experimental.assert_cardinality(200)
        )

    verify_restore(api, make, 200, tmp_path, breaks=(0, 99, 200))
