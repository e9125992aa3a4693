"""Cases of tensorflow/python/data/kernel_tests/cardinality_test.py.

Each case names a pipeline and the cardinality TF 2 reports for it (-1:
infinite, -2: unknown). The last cases (unbatch, zip of an infinite and an
unknown input) come from issue 13's findings and are checked against TF too.
"""

from __future__ import annotations

import pytest

INFINITE, UNKNOWN = -1, -2


def _true(_):
    return True


CASES = {
    "Map1": (lambda D: D.range(5).map(lambda x: x), 5),
    "Map2": (lambda D: D.range(5).map(lambda x: x, num_parallel_calls=1), 5),
    "Batch1": (lambda D: D.range(5).batch(2, drop_remainder=True), 2),
    "Batch2": (lambda D: D.range(5).batch(2, drop_remainder=False), 3),
    "Batch3": (lambda D: D.range(5).filter(_true).batch(2), UNKNOWN),
    "Batch4": (lambda D: D.range(5).repeat().batch(2), INFINITE),
    "Cache1": (lambda D: D.range(5).cache(), 5),
    "Cache2": (lambda D: D.range(5).cache("foo"), 5),
    "Concatenate1": (lambda D: D.range(5).concatenate(D.range(5)), 10),
    "Concatenate2": (
        lambda D: D.range(5).filter(_true).concatenate(D.range(5)),
        UNKNOWN,
    ),
    "Concatenate3": (lambda D: D.range(5).repeat().concatenate(D.range(5)), INFINITE),
    "Concatenate4": (
        lambda D: D.range(5).concatenate(D.range(5).filter(_true)),
        UNKNOWN,
    ),
    "Concatenate5": (
        lambda D: D.range(5).filter(_true).concatenate(D.range(5).filter(_true)),
        UNKNOWN,
    ),
    "Concatenate6": (
        lambda D: D.range(5).repeat().concatenate(D.range(5).filter(_true)),
        INFINITE,
    ),
    "Concatenate7": (lambda D: D.range(5).concatenate(D.range(5).repeat()), INFINITE),
    "Concatenate8": (
        lambda D: D.range(5).filter(_true).concatenate(D.range(5).repeat()),
        INFINITE,
    ),
    "Concatenate9": (
        lambda D: D.range(5).repeat().concatenate(D.range(5).repeat()),
        INFINITE,
    ),
    "FlatMap": (lambda D: D.range(5).flat_map(lambda _: D.from_tensors(0)), UNKNOWN),
    "Filter": (lambda D: D.range(5).filter(_true), UNKNOWN),
    "FromTensors1": (lambda D: D.from_tensors(0), 1),
    "FromTensors2": (lambda D: D.from_tensors((0, 1)), 1),
    "FromTensorSlices1": (lambda D: D.from_tensor_slices([0, 0, 0]), 3),
    "FromTensorSlices2": (lambda D: D.from_tensor_slices(([0, 0, 0], [1, 1, 1])), 3),
    "Interleave1": (
        lambda D: D.range(5).interleave(lambda _: D.from_tensors(0), cycle_length=1),
        UNKNOWN,
    ),
    "Interleave2": (
        lambda D: D.range(5).interleave(
            lambda _: D.from_tensors(0), cycle_length=1, num_parallel_calls=1
        ),
        UNKNOWN,
    ),
    "Interleave3": (
        lambda D: (
            D.range(5)
            .repeat()
            .interleave(
                lambda _: D.from_tensors(0), cycle_length=1, num_parallel_calls=1
            )
        ),
        INFINITE,
    ),
    "PaddedBatch1": (lambda D: D.range(5).padded_batch(2, [], drop_remainder=True), 2),
    "PaddedBatch2": (lambda D: D.range(5).padded_batch(2, [], drop_remainder=False), 3),
    "PaddedBatch3": (lambda D: D.range(5).filter(_true).padded_batch(2, []), UNKNOWN),
    "PaddedBatch4": (lambda D: D.range(5).repeat().padded_batch(2, []), INFINITE),
    "Prefetch": (lambda D: D.range(5).prefetch(buffer_size=1), 5),
    "Range1": (lambda D: D.range(0), 0),
    "Range2": (lambda D: D.range(5), 5),
    "Range3": (lambda D: D.range(5, 10), 5),
    "Range4": (lambda D: D.range(10, 5), 0),
    "Range5": (lambda D: D.range(5, 10, 2), 3),
    "Range6": (lambda D: D.range(10, 5, -2), 3),
    "Range7": (lambda D: D.range(0, 0, -2), 0),
    "Range8": (lambda D: D.range(3, 3, 1), 0),
    "Range9": (lambda D: D.range(-4, -4, 2), 0),
    "Range10": (lambda D: D.range(1, 0, 3), 0),
    "Range11": (lambda D: D.range(0, 1, -3), 0),
    "Repeat1": (lambda D: D.range(0).repeat(0), 0),
    "Repeat2": (lambda D: D.range(1).repeat(0), 0),
    "Repeat3": (lambda D: D.range(0).repeat(5), 0),
    "Repeat4": (lambda D: D.range(1).repeat(5), 5),
    "Repeat5": (lambda D: D.range(0).repeat(), 0),
    "Repeat6": (lambda D: D.range(1).repeat(), INFINITE),
    "Shuffle": (lambda D: D.range(5).shuffle(buffer_size=1), 5),
    "Shard1": (lambda D: D.range(5).shard(2, 0), 3),
    "Shard2": (lambda D: D.range(5).shard(8, 7), 0),
    "Shard3": (lambda D: D.range(5).filter(_true).shard(2, 0), UNKNOWN),
    "Shard4": (lambda D: D.range(5).repeat().shard(2, 0), INFINITE),
    "Skip1": (lambda D: D.range(5).skip(2), 3),
    "Skip2": (lambda D: D.range(5).skip(8), 0),
    "Skip3": (lambda D: D.range(5).filter(_true).skip(2), UNKNOWN),
    "Skip4": (lambda D: D.range(5).repeat().skip(2), INFINITE),
    "Take1": (lambda D: D.range(5).take(2), 2),
    "Take2": (lambda D: D.range(5).take(8), 5),
    "Take3": (lambda D: D.range(5).filter(_true).take(2), UNKNOWN),
    "Take4": (lambda D: D.range(5).repeat().take(2), 2),
    "Window1": (lambda D: D.range(5).window(size=2, shift=2, drop_remainder=True), 2),
    "Window2": (lambda D: D.range(5).window(size=2, shift=2, drop_remainder=False), 3),
    "Zip1": (lambda D: D.zip(D.range(5)), 5),
    "Zip2": (lambda D: D.zip((D.range(5), D.range(3))), 3),
    "Zip3": (lambda D: D.zip((D.range(5), D.range(3).repeat())), 5),
    "Zip4": (lambda D: D.zip((D.range(5).repeat(), D.range(3).repeat())), INFINITE),
    "Zip5": (lambda D: D.zip((D.range(5), D.range(3).filter(_true))), UNKNOWN),
    # From issue 13 (checked against TF like the rest).
    "Zip6": (
        lambda D: D.zip((D.range(3).repeat(), D.range(3).filter(_true))),
        UNKNOWN,
    ),
    "Unbatch1": (lambda D: D.range(10).batch(4, drop_remainder=True).unbatch(), 8),
    "Unbatch2": (lambda D: D.range(10).batch(4).unbatch(), UNKNOWN),
    "Unbatch3": (lambda D: D.from_tensors([0, 1, 2, 3]).unbatch(), 4),
    "Unbatch4": (
        lambda D: D.range(10).repeat().batch(4, drop_remainder=True).unbatch(),
        INFINITE,
    ),
    "Unbatch5": (lambda D: D.range(0).batch(4, drop_remainder=True).unbatch(), 0),
    "Rebatch1": (
        lambda D: D.range(8).batch(4, drop_remainder=True).rebatch(2),
        UNKNOWN,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_cardinality(api, name):
    build, expected = CASES[name]
    assert int(build(api.data.Dataset).cardinality()) == expected
