"""Cases of tensorflow/python/data/kernel_tests/unbatch_test.py."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import (
    SparseValue,
    assert_produces,
    elements,
    spec_dtypes,
)


def test_unbatch_with_unknown_rank_input(api):
    assert_produces(api.data.Dataset.from_tensors([0, 1, 2, 3]).unbatch(), range(4))


def test_unbatch_scalar_dataset(api):
    data = tuple(np.arange(10, dtype=np.int32) for _ in range(3))
    ds = api.data.Dataset.from_tensor_slices(data).batch(2)
    int32 = np.dtype(np.int32)
    assert spec_dtypes(ds.element_spec) == (int32,) * 3
    ds = ds.unbatch()
    assert spec_dtypes(ds.element_spec) == (int32,) * 3
    assert_produces(ds, [(i,) * 3 for i in range(10)])


def test_unbatch_nested_dataset(api):
    ds = api.data.Dataset.from_tensors([api.data.Dataset.range(10) for _ in range(10)])
    ds = ds.unbatch().flat_map(lambda x: x)
    assert_produces(ds, list(range(10)) * 10)


def test_unbatch_dataset_with_strings(api):
    numbers = np.arange(10, dtype=np.int32)
    text = np.array([str(i).encode() for i in range(10)], dtype=object)
    ds = api.data.Dataset.from_tensor_slices((numbers, text, numbers)).batch(2)
    types = (np.dtype(np.int32), np.dtype(object), np.dtype(np.int32))
    assert spec_dtypes(ds.element_spec) == types
    ds = ds.unbatch()
    assert spec_dtypes(ds.element_spec) == types
    assert_produces(ds, [(i, str(i).encode(), i) for i in range(10)])


def _diagonal(api):
    return api.SparseTensor(
        indices=[[i, i] for i in range(10)],
        values=list(range(10)),
        dense_shape=[10, 10],
    )


def _row(i):
    return SparseValue(np.array([[i]]), np.array([i]), np.array([10]))


def test_unbatch_dataset_with_sparse_tensor(api):
    ds = api.data.Dataset.from_tensors(_diagonal(api)).unbatch().batch(5).unbatch()
    assert_produces(ds, [_row(i) for i in range(10)])


def test_unbatch_single_element_tuple_dataset(api):
    data = tuple((np.arange(10, dtype=np.int32),) for _ in range(3))
    ds = api.data.Dataset.from_tensor_slices(data).batch(2)
    int32 = np.dtype(np.int32)
    assert spec_dtypes(ds.element_spec) == ((int32,),) * 3
    ds = ds.unbatch()
    assert spec_dtypes(ds.element_spec) == ((int32,),) * 3
    assert_produces(ds, [((i,),) * 3 for i in range(10)])


def test_unbatch_multi_element_tuple_dataset(api):
    hi = np.array([b"hi"] * 10, dtype=object)
    data = tuple((np.arange(10 * i, 10 * i + 10, dtype=np.int32), hi) for i in range(3))
    ds = api.data.Dataset.from_tensor_slices(data).batch(2)
    types = ((np.dtype(np.int32), np.dtype(object)),) * 3
    assert spec_dtypes(ds.element_spec) == types
    ds = ds.unbatch()
    assert spec_dtypes(ds.element_spec) == types
    assert_produces(
        ds, [((i, b"hi"), (10 + i, b"hi"), (20 + i, b"hi")) for i in range(10)]
    )


def test_unbatch_empty(api):
    ds = api.data.Dataset.from_tensors(
        (
            np.zeros([0], np.float32),
            np.zeros([0, 4], np.float32),
            np.zeros([0, 4, 0], np.float32),
        )
    )
    assert_produces(ds.unbatch(), [])


def test_unbatch_static_shape_mismatch(api):
    ds = api.data.Dataset.from_tensors((np.arange(7), np.arange(8), np.arange(9)))
    with pytest.raises(ValueError):
        ds.unbatch()


def _unknown_pair(api, first, second):
    def rows():
        yield first, second

    spec = (
        api.TensorSpec(shape=[None], dtype=np.int32),
        api.TensorSpec(shape=None, dtype=np.int32),
    )
    return api.data.Dataset.from_generator(rows, output_signature=spec)


def test_unbatch_dynamic_shape_mismatch(api):
    a, b = np.arange(7).astype(np.int32), np.arange(8).astype(np.int32)
    with pytest.raises(api.errors.InvalidArgumentError):
        list(_unknown_pair(api, a, b).unbatch())


def test_unbatch_dynamic_scalar_component(api):
    a = np.arange(7).astype(np.int32)
    with pytest.raises(api.errors.InvalidArgumentError):
        list(_unknown_pair(api, a, np.int32(7)).unbatch())


def test_unbatch_dataset_with_uint_dtypes(api):
    components = (
        np.tile(np.array([[0], [1], [2], [3]], dtype=np.uint8), 2),
        np.tile(np.array([[1], [2], [3], [256]], dtype=np.uint16), 2),
        np.tile(np.array([[2], [3], [4], [65536]], dtype=np.uint32), 2),
        np.tile(np.array([[3], [4], [5], [4294967296]], dtype=np.uint64), 2),
    )
    types = tuple(np.dtype(t) for t in (np.uint8, np.uint16, np.uint32, np.uint64))
    ds = api.data.Dataset.from_tensor_slices(components).batch(2)
    assert spec_dtypes(ds.element_spec) == types
    ds = ds.unbatch()
    assert spec_dtypes(ds.element_spec) == types
    got = elements(ds)
    assert len(got) == 4
    for i, element in enumerate(got):
        for value, component in zip(element, components):
            assert value.dtype == component.dtype
            assert value.tolist() == component[i].tolist()


def test_none_component(api):
    ds = api.data.Dataset.from_tensors((list(range(10)), None)).unbatch()
    assert_produces(ds.map(lambda x, y: x), range(10))


def test_name(api):
    ds = api.data.Dataset.from_tensors([42]).unbatch(name="unbatch")
    assert_produces(ds, [42])


def test_checkpoint_pipeline_values(api):
    # UnbatchCheckpointTest.build_dataset's pipeline, read straight through.
    components = (
        np.arange(8),
        np.array([[1, 2, 3]]) * np.arange(8)[:, np.newaxis],
        np.array(15.0) * np.arange(8),
    )
    ds = api.data.Dataset.from_tensor_slices(components).batch(2).unbatch()
    got = elements(ds)
    assert len(got) == 8
    for i, element in enumerate(got):
        for value, component in zip(element, components):
            assert value.tolist() == component[i].tolist()


def _ragged_rows(api):
    return api.RaggedTensor.from_nested_row_splits(
        np.arange(10, dtype=np.int64),
        [np.arange(11, dtype=np.int64), np.arange(11, dtype=np.int64)],
    )


def test_unbatch_dataset_with_ragged_tensor(api):
    ds = api.data.Dataset.from_tensors(_ragged_rows(api))
    ds = ds.unbatch().batch(5).batch(2).unbatch()
    assert_produces(ds, [[[[i]] for i in range(5)], [[[i]] for i in range(5, 10)]])


def test_unbatch_dataset_with_dense_sparse_and_ragged_tensor(api):
    st = api.SparseTensor(
        indices=[[i, i] for i in range(10)],
        values=list(range(10)),
        dense_shape=[10, 10],
    )
    ds = api.data.Dataset.from_tensors((list(range(10)), st, _ragged_rows(api)))
    ds = ds.unbatch().batch(5).unbatch()
    assert_produces(ds, [(i, _row(i), [[i]]) for i in range(10)])


# UnbatchRandomAccessTest (tf.data.experimental.at) ---------------------------


def test_random_access(api):
    ds = api.data.Dataset.range(10).batch(4, drop_remainder=True).unbatch()
    assert [int(api.data.experimental.at(ds, i)) for i in range(8)] == list(range(8))


def test_random_access_not_drop_remainder(api):
    ds = api.data.Dataset.range(10).batch(4, drop_remainder=False).unbatch()
    with pytest.raises(api.errors.FailedPreconditionError):
        api.data.experimental.at(ds, 0)


@pytest.mark.parametrize("index", [-1, 100])
def test_random_access_invalid_index(api, index):
    ds = api.data.Dataset.range(10).batch(4, drop_remainder=True).unbatch()
    with pytest.raises(api.errors.OutOfRangeError):
        api.data.experimental.at(ds, index=index)


def _ragged_2d(api):
    values = np.array([1, 2, 3, 4, 5, 6], np.int32)
    return api.RaggedTensor.from_row_splits(values, np.array([0, 2, 2, 5, 6]))


def test_unbatch_of_a_2d_ragged_types_dense_rows_ragged(api):
    ds = api.data.Dataset.from_tensors(_ragged_2d(api)).unbatch()
    spec = ds.element_spec
    assert type(spec).__name__ == "RaggedTensorSpec"
    assert (tuple(spec.shape), spec.ragged_rank) == ((None,), 0)
    assert [np.asarray(r).tolist() for r in ds.as_numpy_iterator()] == [
        [1, 2],
        [],
        [3, 4, 5],
        [6],
    ]


def test_batch_after_unbatch_of_ragged_is_ragged(api):
    ds = api.data.Dataset.from_tensors(_ragged_2d(api)).unbatch().batch(3)
    assert (tuple(ds.element_spec.shape), ds.element_spec.ragged_rank) == (
        (None, None),
        1,
    )
    assert [b.to_list() for b in ds] == [[[1, 2], [], [3, 4, 5]], [[6]]]
    rows = api.data.Dataset.from_tensor_slices(_ragged_2d(api))
    ds = rows.batch(2).unbatch().prefetch(1).batch(4)
    assert [b.to_list() for b in ds] == [[[1, 2], [], [3, 4, 5], [6]]]
