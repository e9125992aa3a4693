"""``benchmarks.bench_overhead``: its workloads and the check that both sides
yield the same elements (fed our own datasets on both sides; no TensorFlow)."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline as pl
from benchmarks import bench_overhead as bo

D = pl.data.Dataset


def test_every_workload_of_ours_is_described_and_sized():
    arrays = np.zeros((3, 4), np.float32)
    mine = bo.ours({"rows": 10, "py": 5, "arrays": 3}, arrays)
    assert list(mine) == list(bo.WORKLOADS)
    kinds = {name: w.kind for name, w in bo.WORKLOADS.items()}
    assert kinds["py_work_t2"] == "engine" and kinds["numpy_sort_t1"] == "engine"
    assert kinds["parallel_sort_map_t1"] == "kernel"
    assert {w.size for w in bo.WORKLOADS.values()} == {"rows", "py", "arrays"}


def test_equal_datasets_give_the_element_count_batched_or_not():
    same = bo.check_same(
        "py_add_one_t1", D.range(600).batch(256), D.range(600).batch(256)
    )
    assert same == 600
    arrays = np.arange(12, dtype=np.float32).reshape(3, 4)
    slices = D.from_tensor_slices(arrays)
    assert bo.check_same("numpy_sort_t2", slices, slices) == 3


def test_a_different_value_count_or_dtype_is_named():
    ours = D.range(600).batch(256)
    other = D.range(600).map(lambda x: x + (x == 300)).batch(256)
    with pytest.raises(AssertionError, match="py_work_t1: element 1 differs"):
        bo.check_same("py_work_t1", ours, other)
    with pytest.raises(AssertionError, match="py_work_t1: counts differ at 2"):
        bo.check_same("py_work_t1", ours, D.range(512).batch(256))
    as_int32 = D.range(600).map(lambda x: np.int32(x)).batch(256)
    with pytest.raises(AssertionError, match="element 0 differs"):
        bo.check_same("py_work_t1", ours, as_int32)


def test_close_allows_float32_rounding_only():
    x = np.ones((2, 4), np.float32)
    nudged = x.copy()
    nudged[1, 2] = np.nextafter(np.float32(1), np.float32(2))
    key = "parallel_math_map_t1"
    assert bo.check_same(key, D.from_tensor_slices(x), D.from_tensor_slices(nudged))
    nudged[1, 2] = np.float32(1.001)
    with pytest.raises(AssertionError, match="element 1 differs"):
        bo.check_same(key, D.from_tensor_slices(x), D.from_tensor_slices(nudged))


def test_shuffled_rows_are_compared_as_a_set_of_rows():
    cols = {"f0": np.arange(700, dtype=np.float32), "id": np.arange(700)}
    plain = D.from_tensor_slices(cols).batch(256)
    shuffled = D.from_tensor_slices(cols).shuffle(100, seed=3).batch(256)
    assert bo.check_same("slices_shuffle_batch", plain, shuffled) == 700
    changed = dict(cols, f0=np.where(cols["id"] == 5, 0.5, cols["f0"]).astype("f4"))
    with pytest.raises(AssertionError, match="column f0 differs"):
        bo.check_same(
            "slices_shuffle_batch", plain, D.from_tensor_slices(changed).batch(256)
        )


def test_the_python_functions_treat_scalars_and_0d_arrays_alike():
    # TF's numpy_function may hand a 0-d array where ours hands a scalar
    for fn in (bo.add_one, bo.py_work):
        a, b = fn(np.int64(41)), fn(np.array(41, dtype=np.int64))
        assert a == b and np.asarray(a).dtype == np.asarray(b).dtype == np.int64
    assert bo.py_work(np.int64(1)) != bo.py_work(np.int64(2))
