"""`pl.data.experimental.at`: stages that cannot address an element are refused."""

from __future__ import annotations

import pytest

import pipeline as pl
from pipeline.errors import (
    FailedPreconditionError,
    OutOfRangeError,
    UnimplementedError,
)

D = pl.data.Dataset
at = pl.data.experimental.at


def test_map_batch_and_zip_are_addressed_by_index():
    ds = D.zip((D.range(5).map(lambda x: x * 2), D.range(5, 10))).batch(2)
    first, second = at(ds, 1)
    assert first.tolist() == [4, 6]
    assert second.tolist() == [7, 8]


@pytest.mark.parametrize(
    "make",
    [
        lambda: D.range(5).filter(lambda x: True),
        lambda: D.range(5).flat_map(D.from_tensors),
        lambda: D.range(5).unique(),
        lambda: D.range(8).batch(4, drop_remainder=True).rebatch(2),
    ],
    ids=["filter", "flat_map", "unique", "rebatch"],
)
def test_other_stages_are_unimplemented(make):
    with pytest.raises(UnimplementedError, match="does not support"):
        at(make(), 0)


def test_infinite_and_dynamic_unbatch_are_failed_preconditions():
    with pytest.raises(FailedPreconditionError, match="infinite"):
        at(D.range(3).repeat(), 4)
    with pytest.raises(FailedPreconditionError, match="known batch size"):
        at(D.range(10).batch(4).unbatch(), 0)


def test_index_past_the_end_names_the_size():
    with pytest.raises(OutOfRangeError, match="Index 3 is out of range .* 3 elements"):
        at(D.range(3), 3)
