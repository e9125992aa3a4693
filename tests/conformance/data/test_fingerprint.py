"""Cases of tensorflow/python/data/kernel_tests/fingerprint_test.py."""

from __future__ import annotations

import pytest


def _cases(api):
    ds = api.data.Dataset
    return {
        "range": lambda: ds.range(10),
        "flat_map": lambda: ds.range(10).flat_map(ds.range),
        "tfrecord": lambda: api.data.TFRecordDataset(["f1.txt", "f2.txt"]),
        "tfrecord_repeat": lambda: api.data.TFRecordDataset(
            ["f1.txt", "f2.txt"]
        ).repeat(2),
    }


def _pairs(api):
    ds = api.data.Dataset
    return {
        "range": lambda: (ds.range(10), ds.range(11)),
        "flat_map": lambda: (
            ds.range(10).flat_map(ds.range),
            ds.range(10).flat_map(lambda x: ds.range(x + 1)),
        ),
        "tfrecord": lambda: (
            api.data.TFRecordDataset(["f1.txt", "f2.txt"]),
            api.data.TFRecordDataset(["f1.txt", "f3.txt"]),
        ),
        "tfrecord_repeat": lambda: (
            api.data.TFRecordDataset(["f1.txt", "f2.txt"]).repeat(2),
            api.data.TFRecordDataset(["f1.txt", "f3.txt"]).repeat(2),
        ),
    }


NAMES = ["range", "flat_map", "tfrecord", "tfrecord_repeat"]


def _value(fingerprint):
    return int(fingerprint.numpy() if hasattr(fingerprint, "numpy") else fingerprint)


@pytest.mark.parametrize("name", NAMES)
def test_same_dataset_same_fingerprint(api, name):
    make = _cases(api)[name]
    assert _value(make().fingerprint()) == _value(make().fingerprint())


@pytest.mark.parametrize("name", NAMES)
def test_different_dataset_different_fingerprint(api, name):
    lhs, rhs = _pairs(api)[name]()
    assert _value(lhs.fingerprint()) != _value(rhs.fingerprint())
