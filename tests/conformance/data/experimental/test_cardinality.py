"""Cases of tensorflow/python/data/experimental/kernel_tests/cardinality_test.py
(``tf.data.experimental.cardinality``)."""

from __future__ import annotations

import pytest

INF, UNK = -1, -2


def _true(_):
    return True


CASES = {
    "Batch1": (lambda D: D.range(5).batch(2, drop_remainder=True), 2),
    "Batch2": (lambda D: D.range(5).batch(2, drop_remainder=False), 3),
    "Batch3": (lambda D: D.range(5).filter(_true).batch(2), UNK),
    "Batch4": (lambda D: D.range(5).repeat().batch(2), INF),
    "Cache1": (lambda D: D.range(5).cache(), 5),
    "Cache2": (lambda D: D.range(5).cache("foo"), 5),
    "Concatenate1": (lambda D: D.range(5).concatenate(D.range(5)), 10),
    "Concatenate2": (lambda D: D.range(5).filter(_true).concatenate(D.range(5)), UNK),
    "Concatenate3": (lambda D: D.range(5).repeat().concatenate(D.range(5)), INF),
    "Concatenate4": (lambda D: D.range(5).concatenate(D.range(5).filter(_true)), UNK),
    "Concatenate5": (
        lambda D: D.range(5).filter(_true).concatenate(D.range(5).filter(_true)),
        UNK,
    ),
    "Concatenate6": (
        lambda D: D.range(5).repeat().concatenate(D.range(5).filter(_true)),
        INF,
    ),
    "Concatenate7": (lambda D: D.range(5).concatenate(D.range(5).repeat()), INF),
    "Concatenate8": (
        lambda D: D.range(5).filter(_true).concatenate(D.range(5).repeat()),
        INF,
    ),
    "Concatenate9": (
        lambda D: D.range(5).repeat().concatenate(D.range(5).repeat()),
        INF,
    ),
    "FlatMap": (lambda D: D.range(5).flat_map(lambda _: D.from_tensors(0)), UNK),
    "Filter": (lambda D: D.range(5).filter(_true), UNK),
    "FromTensors1": (lambda D: D.from_tensors(0), 1),
    "FromTensors2": (lambda D: D.from_tensors((0, 1)), 1),
    "FromTensorSlices1": (lambda D: D.from_tensor_slices([0, 0, 0]), 3),
    "FromTensorSlices2": (lambda D: D.from_tensor_slices(([0, 0, 0], [1, 1, 1])), 3),
    "Interleave1": (
        lambda D: D.range(5).interleave(lambda _: D.from_tensors(0), cycle_length=1),
        UNK,
    ),
    "Interleave2": (
        lambda D: D.range(5).interleave(
            lambda _: D.from_tensors(0), cycle_length=1, num_parallel_calls=1
        ),
        UNK,
    ),
    "Map1": (lambda D: D.range(5).map(lambda x: x), 5),
    "Map2": (lambda D: D.range(5).map(lambda x: x, num_parallel_calls=1), 5),
    "PaddedBatch1": (lambda D: D.range(5).padded_batch(2, [], drop_remainder=True), 2),
    "PaddedBatch2": (lambda D: D.range(5).padded_batch(2, [], drop_remainder=False), 3),
    "PaddedBatch3": (lambda D: D.range(5).filter(_true).padded_batch(2, []), UNK),
    "PaddedBatch4": (lambda D: D.range(5).repeat().padded_batch(2, []), INF),
    "Prefetch": (lambda D: D.range(5).prefetch(buffer_size=1), 5),
    "Range1": (lambda D: D.range(0), 0),
    "Range2": (lambda D: D.range(5), 5),
    "Range3": (lambda D: D.range(5, 10), 5),
    "Range4": (lambda D: D.range(10, 5), 0),
    "Range5": (lambda D: D.range(5, 10, 2), 3),
    "Range6": (lambda D: D.range(10, 5, -2), 3),
    "Repeat1": (lambda D: D.range(0).repeat(0), 0),
    "Repeat2": (lambda D: D.range(1).repeat(0), 0),
    "Repeat3": (lambda D: D.range(0).repeat(5), 0),
    "Repeat4": (lambda D: D.range(1).repeat(5), 5),
    "Repeat5": (lambda D: D.range(0).repeat(), 0),
    "Repeat6": (lambda D: D.range(1).repeat(), INF),
    "Shuffle": (lambda D: D.range(5).shuffle(buffer_size=1), 5),
    "Skip1": (lambda D: D.range(5).skip(2), 3),
    "Skip2": (lambda D: D.range(5).skip(8), 0),
    "Skip3": (lambda D: D.range(5).filter(_true).skip(2), UNK),
    "Skip4": (lambda D: D.range(5).repeat().skip(2), INF),
    "Take1": (lambda D: D.range(5).take(2), 2),
    "Take2": (lambda D: D.range(5).take(8), 5),
    "Take3": (lambda D: D.range(5).filter(_true).take(2), UNK),
    "Take4": (lambda D: D.range(5).repeat().take(2), 2),
    "Window1": (lambda D: D.range(5).window(size=2, shift=2, drop_remainder=True), 2),
    "Window2": (lambda D: D.range(5).window(size=2, shift=2, drop_remainder=False), 3),
    "Zip1": (lambda D: D.zip(D.range(5)), 5),
    "Zip2": (lambda D: D.zip((D.range(5), D.range(3))), 3),
    "Zip3": (lambda D: D.zip((D.range(5), D.range(3).repeat())), 5),
    "Zip4": (lambda D: D.zip((D.range(5).repeat(), D.range(3).repeat())), INF),
    "Zip5": (lambda D: D.zip((D.range(5), D.range(3).filter(_true))), UNK),
}


@pytest.mark.parametrize("name", list(CASES))
def test_num_elements(api, name):
    make, expected = CASES[name]
    got = api.data.experimental.cardinality(make(api.data.Dataset))
    assert int(got) == expected
