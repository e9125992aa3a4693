"""None and datasets as element components; lists returned by functions."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline as pl
from pipeline.errors import InvalidArgumentError
from pipeline.graph.element_specs import DatasetSpec, NoneTensorSpec, is_dataset
from pipeline.graph.structure import leaf_spec, spec_of, to_element, to_input_structure
from pipeline.types import SparseTensor, TensorSpec

D = pl.data.Dataset


def test_a_top_level_list_is_a_tuple_and_inner_lists_are_arrays():
    out = to_element([np.int64(1), [np.int64(2), np.int64(3)], {"k": [1.0, 2.0]}])
    assert type(out) is tuple and len(out) == 3
    assert out[1].dtype == np.int64 and out[1].tolist() == [2, 3]
    assert out[2]["k"].dtype == np.float32 and out[2]["k"].tolist() == [1.0, 2.0]


def test_none_and_datasets_stay_as_they_are():
    ds = D.range(2)
    out = to_element((None, ds, [ds, ds]))
    assert out[0] is None and out[1] is ds
    assert out[2].dtype == object and out[2].shape == (2,) and out[2][0] is ds
    assert is_dataset(ds) and not is_dataset(ds._node) and not is_dataset(None)


def test_specs_of_none_datasets_and_sparse_values():
    ds = D.range(2)
    assert leaf_spec(None) == NoneTensorSpec()
    assert leaf_spec(ds) == DatasetSpec(TensorSpec((), np.int64))
    arr = to_input_structure([ds, ds, ds])
    assert leaf_spec(arr) == DatasetSpec(TensorSpec((), np.int64), (3,))
    st = SparseTensor([[0, 1]], np.array([1.5], np.float32), [2, 3])
    assert leaf_spec(st, static_sparse=True).shape == (2, 3)
    assert leaf_spec(st).shape == (None, None)  # a function's output: data
    assert leaf_spec(st).dtype == np.float32
    assert spec_of((None, st))[0] == NoneTensorSpec()


def test_ragged_lists_are_still_refused():
    with pytest.raises(InvalidArgumentError, match="non-rectangular"):
        to_input_structure([[1, 2], [3]])


def test_a_dataset_of_datasets_runs_on_threads(no_thread_leak):
    inner = [D.range(i, i + 3) for i in range(4)]
    ds = D.from_tensor_slices(inner).interleave(
        lambda d: d, cycle_length=2, num_parallel_calls=2
    )
    assert sorted(int(x) for x in ds) == sorted(
        v for i in range(4) for v in range(i, i + 3)
    )


def test_from_tensor_slices_of_sparse_rows_drop_the_first_dimension():
    st = SparseTensor([[0, 1], [2, 0], [2, 2]], np.array([5, 6, 7]), [3, 4])
    ds = D.from_tensor_slices(st)
    assert ds.element_spec.shape == (4,)
    rows = list(ds)
    assert [r.dense_shape.tolist() for r in rows] == [[4], [4], [4]]
    assert [r.to_dense().tolist() for r in rows] == [
        [0, 5, 0, 0],
        [0, 0, 0, 0],
        [6, 0, 7, 0],
    ]


def test_from_tensor_slices_of_datasets_with_unequal_sizes_is_refused():
    with pytest.raises(InvalidArgumentError, match="do not match"):
        D.from_tensor_slices(([D.range(1)] * 2, [D.range(1)] * 3))


def test_ragged_values_are_leaves_with_a_ragged_spec():
    rt = pl.RaggedTensor.from_row_splits(np.array([1, 2, 3]), [0, 2, 3])
    assert to_element((rt,))[0] is rt
    spec = leaf_spec(rt)
    assert isinstance(spec, pl.RaggedTensorSpec) and spec.ragged_rank == 1
    rows = list(D.from_tensor_slices(rt))
    assert [r.tolist() for r in rows] == [[1, 2], [3]]
