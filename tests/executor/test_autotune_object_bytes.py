"""AUTOTUNE sizes blocks of object arrays by their values, not their pointers."""

from __future__ import annotations

import numpy as np

import pipeline as pl
from pipeline.executor import autotune
from pipeline.io.tfrecord_writer import TFRecordWriter


def test_an_object_array_counts_its_bytes_values():
    batch = np.array([b"x" * 300] * 256, dtype=object)
    assert autotune.element_bytes(batch) == 256 * 8 + 256 * 300
    assert autotune.element_bytes(np.array(["ab", "c"], dtype=object)) == 16 + 3


def test_the_estimate_scales_from_the_first_values():
    batch = np.array([b"ab"] * 16 + [b"abcdef"] * 16, dtype=object)
    assert autotune.element_bytes(batch) == 32 * 8 + 32 * 2


def test_other_objects_and_empty_arrays_count_their_pointers_only():
    assert autotune.element_bytes(np.array([1, None], dtype=object)) == 16
    assert autotune.element_bytes(np.array([], dtype=object)) == 0
    assert autotune.element_bytes(np.zeros((2, 3), np.int64)) == 48


def test_a_prefetch_of_record_batches_moves_small_blocks(tmp_path, no_thread_leak):
    path = str(tmp_path / "a.tfrecord")
    with TFRecordWriter(path) as w:
        for i in range(12_000):
            w.write(b"%05d" % i + b"y" * 295)
    ds = pl.data.TFRecordDataset(path).batch(256).prefetch(pl.data.AUTOTUNE)
    with iter(ds) as it:
        n = sum(len(b) for b in it)
        (stage,) = [s for s in it.stats() if s["stage"].startswith("prefetch")]
    assert n == 12_000
    # a batch is ~79 KB: 6 fit the 512 KiB block bound (counting pointers
    # only, 2 KB a batch, blocks of 256 batches held ~20 MB)
    assert 1 <= stage["block_size"] <= 6, stage
