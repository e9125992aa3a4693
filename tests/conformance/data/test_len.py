"""Cases of tensorflow/python/data/kernel_tests/len_test.py."""

from __future__ import annotations

import pytest


def test_known(api):
    assert len(api.data.Dataset.range(10)) == 10


def test_infinite(api):
    ds = api.data.Dataset.range(10).repeat()
    with pytest.raises(TypeError, match="infinite"):
        len(ds)


def test_unknown(api):
    ds = api.data.Dataset.range(10).filter(lambda x: True)
    with pytest.raises(TypeError, match="unknown"):
        len(ds)
