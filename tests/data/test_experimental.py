"""``pl.data.experimental``: the tf.data.experimental names over Dataset."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline as pl

D = pl.data.Dataset
X = pl.data.experimental


def _ints(ds):
    return [int(x) for x in ds]


def test_all_names_resolve_and_are_sorted():
    assert X.__all__ == sorted(X.__all__)
    for name in X.__all__:
        assert getattr(X, name) is not None, name
    assert (X.AUTOTUNE, X.INFINITE_CARDINALITY, X.UNKNOWN_CARDINALITY) == (-1, -1, -2)


def test_transformations_apply_the_dataset_methods():
    assert _ints(D.from_tensor_slices([3, 3, 1]).apply(X.unique())) == [3, 1]
    assert [b.tolist() for b in D.range(4).batch(2).apply(X.unbatch()).batch(3)] == [
        [0, 1, 2],
        [3],
    ]
    assert _ints(D.range(9).apply(X.take_while(lambda x: x < 3))) == [0, 1, 2]
    assert _ints(D.range(4).apply(X.scan(np.int64(0), lambda s, x: (s + x, s)))) == [
        0,
        0,
        1,
        3,
    ]


def test_sources_and_functions():
    assert _ints(X.Counter(2).take(2)) == [2, 3]
    assert _ints(X.RandomDataset(seed=1).take(3)) == _ints(D.random(seed=1).take(3))
    choice = D.from_tensor_slices(np.array([1, 0], np.int64))
    assert _ints(X.choose_from_datasets([D.range(3), D.range(7, 9)], choice)) == [7, 0]
    assert sorted(
        _ints(X.sample_from_datasets([D.range(2), D.range(5, 6)], seed=2))
    ) == [0, 1, 5]
    assert X.cardinality(D.range(3).repeat()) == X.INFINITE_CARDINALITY
    assert int(X.get_single_element(D.from_tensors(np.int64(4)))) == 4
    assert X.get_structure(D.range(1)) == D.range(1).element_spec


def test_parallel_interleave_keeps_order_unless_sloppy():
    f = X.parallel_interleave(lambda x: D.range(x * 10, x * 10 + 2), cycle_length=2)
    assert _ints(D.range(3).apply(f)) == [0, 10, 1, 11, 20, 21]


def test_shuffle_and_repeat_and_map_and_batch():
    out = _ints(D.range(4).apply(X.shuffle_and_repeat(4, count=2, seed=3)))
    assert sorted(out) == [0, 0, 1, 1, 2, 2, 3, 3]
    batches = D.range(5).apply(X.map_and_batch(lambda x: x * 2, 2, drop_remainder=True))
    assert [b.tolist() for b in batches] == [[0, 2], [4, 6]]


def test_ignore_errors_drops_failing_elements():
    ds = D.from_tensor_slices([1.0, 0.0, 2.0]).map(
        lambda x: (
            np.float32(1.0) / x if x else (_ for _ in ()).throw(ValueError("zero"))
        )
    )
    assert [float(v) for v in ds.apply(X.ignore_errors())] == [1.0, 0.5]


def test_missing_method_is_reported_when_applied():
    transform = X._method("no_such_method")
    with pytest.raises(NotImplementedError, match="Dataset.no_such_method"):
        D.range(1).apply(transform)


def test_grouping_and_batching_wrappers():
    grouped = D.range(6).apply(
        X.group_by_window(lambda x: x % 2, lambda k, w: w.batch(3), window_size=3)
    )
    assert [b.tolist() for b in grouped] == [[0, 2, 4], [1, 3, 5]]
    bucketed = D.from_tensor_slices(np.array([[1, 0], [2, 2]])).apply(
        X.bucket_by_sequence_length(lambda x: 2, [5], [2, 2])
    )
    assert [b.tolist() for b in bucketed] == [[[1, 0], [2, 2]]]
    sparse = next(
        iter(
            D.range(1, 3)
            .map(lambda x: np.full([x], x))
            .apply(X.dense_to_sparse_batch(2, [3]))
        )
    )
    assert sparse.values.tolist() == [1, 2, 2]
    ragged = next(
        iter(
            D.range(1, 3)
            .map(lambda x: np.full([x], x))
            .apply(X.dense_to_ragged_batch(2))
        )
    )
    assert ragged.to_list() == [[1], [2, 2]]


def test_save_load_and_snapshot_wrappers(tmp_path):
    X.save(D.range(4), str(tmp_path / "saved"))
    assert _ints(X.load(str(tmp_path / "saved"))) == [0, 1, 2, 3]
    snap = D.range(3).apply(X.snapshot(str(tmp_path / "snap")))
    assert _ints(snap) == [0, 1, 2]
    assert _ints(snap) == [0, 1, 2]
