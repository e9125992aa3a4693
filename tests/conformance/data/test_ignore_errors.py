"""Cases of tensorflow/python/data/kernel_tests/ignore_errors_test.py.

TF's ``check_numerics`` failing on a NaN is here ``io.decode_csv`` failing on
a record that is not a number (``InvalidArgumentError`` in both libraries).
"""

from __future__ import annotations

import pytest
from conformance_support import assert_produces

RECORDS = [b"1", b"2", b"3", b"nan?", b"5"]


def _parse(api):
    return lambda record: api.io.decode_csv(record, [[0.0]])[0]


@pytest.mark.parametrize("log_warning", [False, True])
def test_map_ignore_error(api, log_warning):
    ds = api.data.Dataset.from_tensor_slices(RECORDS).map(_parse(api))
    assert_produces(ds.ignore_errors(log_warning=log_warning), [1.0, 2.0, 3.0, 5.0])


def test_parallel_map_ignore_error(api):
    ds = api.data.Dataset.from_tensor_slices(RECORDS)
    ds = ds.map(_parse(api), num_parallel_calls=2).prefetch(2).ignore_errors()
    assert_produces(ds, [1.0, 2.0, 3.0, 5.0])


def test_tfrecord_dataset_ignore_error(api, tmp_path):
    names = []
    for i in range(5):
        name = str(tmp_path / f"tf_record.{i}.txt")
        names.append(name)
        with api.io.TFRecordWriter(name) as writer:
            for _ in range(10):
                writer.write(b"record")
        with open(name, "a") as f:
            f.write("corrupted data")
    ds = api.data.TFRecordDataset(names).ignore_errors()
    assert_produces(ds, [b"record"] * 50)


def test_zip_ignore_error(api):
    a = api.data.Dataset.from_tensor_slices([1.0, 2.0, 0.0, 4.0])
    b = api.data.Dataset.from_tensor_slices([b"1", b"0.5", b"inf?", b"0.25"])
    b = b.map(_parse(api))
    ds = api.data.Dataset.zip((b, a)).ignore_errors()
    assert_produces(ds, [(1.0, 1.0), (0.5, 2.0), (0.25, 4.0)])


def test_ignore_errors_after_the_error_goes_on_with_repeat(api):
    ds = api.data.Dataset.from_tensor_slices(RECORDS).map(_parse(api)).repeat(2)
    assert_produces(ds.ignore_errors(), [1.0, 2.0, 3.0, 5.0] * 2)


def test_cardinality(api):
    ds = api.data.Dataset.range(10).ignore_errors()
    assert int(ds.cardinality()) == -2
