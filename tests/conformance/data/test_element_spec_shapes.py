"""``element_spec`` leaves as TF tests read them: ``TensorShape`` and ``TensorSpec``
methods (``as_list``, ``rank``, list equality, ``is_compatible_with``)."""

from __future__ import annotations

import numpy as np


def test_batched_spec_shape_reads_as_tf(api):
    spec = api.data.Dataset.range(10).batch(4).element_spec
    assert spec.shape == [None]
    assert spec.shape.as_list() == [None]
    assert spec.shape.rank == 1
    assert not spec.shape.is_fully_defined()
    assert spec == api.TensorSpec(shape=[None], dtype=api.int64)


def test_fixed_spec_shape(api):
    ds = api.data.Dataset.from_tensors(np.zeros((2, 3), np.float32))
    spec = ds.element_spec
    assert spec.shape == [2, 3]
    assert spec.shape.num_elements() == 6
    assert spec.shape.is_compatible_with([2, None])
    assert not spec.shape.is_compatible_with([3, 3])
    assert spec.is_compatible_with(api.TensorSpec([2, 3], api.float32))
    assert not spec.is_compatible_with(api.TensorSpec([2, 3], api.int32))


def test_drop_remainder_keeps_the_batch_dimension(api):
    spec = api.data.Dataset.range(10).batch(4, drop_remainder=True).element_spec
    assert spec.shape == [4]
    assert spec.shape.is_fully_defined()


def test_tensor_shape_class(api):
    shape = api.TensorShape([None, 3])
    assert shape.as_list() == [None, 3]
    assert shape.rank == 2
    assert shape.is_compatible_with(api.TensorShape([5, 3]))
