"""Cases of tensorflow/python/data/kernel_tests/rebatch_test.py."""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import assert_produces, elements, spec_shapes


def _flat_shapes(ds):
    shapes = spec_shapes(ds.element_spec)
    if isinstance(shapes, dict):
        return [shapes["a"], shapes["b"]["c"]]
    return [shapes]


# Static output shapes -----------------------------------------------------


def test_shape_inference_not_all_batch_sizes_equal(api):
    ds = api.data.Dataset.range(8).batch(4, drop_remainder=True)
    assert _flat_shapes(ds.rebatch(batch_size=[2, 1, 1])) == [(None,)]


@pytest.mark.parametrize("drop_remainder", [True, False])
def test_shape_inference_input_batch_dim_divisible(api, drop_remainder):
    ds = api.data.Dataset.range(8).batch(4, drop_remainder=True)
    ds = ds.rebatch(batch_size=[2, 2], drop_remainder=drop_remainder)
    assert _flat_shapes(ds) == [(2,)]


def test_shape_inference_input_batch_dim_unknown(api):
    ds = api.data.Dataset.range(8).batch(4, drop_remainder=False)
    ds = ds.rebatch(batch_size=[2, 2], drop_remainder=False)
    assert _flat_shapes(ds) == [(None,)]


def test_shape_inference_input_batch_dim_unknown_with_drop_remainder(api):
    ds = api.data.Dataset.range(8).batch(4, drop_remainder=False)
    ds = ds.rebatch(batch_size=[2, 2], drop_remainder=True)
    assert _flat_shapes(ds) == [(2,)]


def test_shape_inference_input_batch_dim_indivisible(api):
    ds = api.data.Dataset.range(10).batch(5, drop_remainder=True)
    ds = ds.rebatch(batch_size=[2, 2], drop_remainder=False)
    assert _flat_shapes(ds) == [(None,)]


def test_shape_inference_input_batch_dim_indivisible_with_drop_remainder(api):
    ds = api.data.Dataset.range(10).batch(5, drop_remainder=True)
    ds = ds.rebatch(batch_size=[2, 2], drop_remainder=True)
    assert _flat_shapes(ds) == [(2,)]


# Output values --------------------------------------------------------------


@pytest.mark.parametrize("drop_remainder", [True, False])
def test_basic(api, drop_remainder):
    ds = api.data.Dataset.range(8).batch(4, drop_remainder=True)
    ds = ds.rebatch(batch_size=[2, 2], drop_remainder=drop_remainder)
    assert _flat_shapes(ds) == [(2,)]
    assert_produces(ds, [[0, 1], [2, 3], [4, 5], [6, 7]])


def test_partial_batch(api):
    ds = api.data.Dataset.range(5).batch(4, drop_remainder=False)
    ds = ds.rebatch(batch_size=[2, 2], drop_remainder=False)
    assert _flat_shapes(ds) == [(None,)]
    assert_produces(ds, [[0, 1], [2, 3], [4]])


def test_partial_batch_with_drop_remainder(api):
    ds = api.data.Dataset.range(5).batch(4, drop_remainder=False)
    ds = ds.rebatch(batch_size=[2, 2], drop_remainder=True)
    assert _flat_shapes(ds) == [(2,)]
    assert_produces(ds, [[0, 1], [2, 3]])


@pytest.mark.parametrize("drop_remainder", [True, False])
def test_batch_size_greater_than_original(api, drop_remainder):
    ds = api.data.Dataset.range(12).batch(4, drop_remainder=False)
    ds = ds.rebatch(batch_size=[6], drop_remainder=drop_remainder)
    assert_produces(ds, [list(range(6)), list(range(6, 12))])


@pytest.mark.parametrize("drop_remainder", [True, False])
@pytest.mark.parametrize("batch_size", [2, 3, 4])
def test_batch_size_equal_to_original(api, batch_size, drop_remainder):
    ds = api.data.Dataset.range(11).batch(batch_size, drop_remainder=drop_remainder)
    full = 11 // batch_size
    expected = [list(range(i * batch_size, (i + 1) * batch_size)) for i in range(full)]
    if not drop_remainder and 11 % batch_size:
        expected.append(list(range(full * batch_size, 11)))
    assert_produces(ds, expected)
    assert_produces(ds.rebatch(batch_size=batch_size, drop_remainder=False), expected)


@pytest.mark.parametrize("drop_remainder", [True, False])
def test_empty_splits(api, drop_remainder):
    ds = api.data.Dataset.range(8).batch(4, drop_remainder=True)
    ds = ds.rebatch(batch_size=[1, 1, 1, 1, 0], drop_remainder=drop_remainder)
    assert _flat_shapes(ds) == [(None,)]
    assert_produces(ds, [[0], [1], [2], [3], [], [4], [5], [6], [7], []])


@pytest.mark.parametrize("drop_remainder", [True, False])
def test_empty_first_splits(api, drop_remainder):
    ds = api.data.Dataset.range(8).batch(4, drop_remainder=True)
    ds = ds.rebatch(batch_size=[0, 1], drop_remainder=drop_remainder)
    assert _flat_shapes(ds) == [(None,)]
    expected = []
    for i in range(8):
        expected += [[], [i]]
    assert_produces(ds, [*expected, []])


@pytest.mark.parametrize("drop_remainder", [True, False])
def test_empty_last_splits(api, drop_remainder):
    ds = api.data.Dataset.range(8).batch(4, drop_remainder=True)
    ds = ds.rebatch(batch_size=[1, 0], drop_remainder=drop_remainder)
    assert _flat_shapes(ds) == [(None,)]
    expected = []
    for i in range(8):
        expected += [[i], []]
    assert_produces(ds, expected)


@pytest.mark.parametrize("drop_remainder", [True, False])
def test_empty_tensors(api, drop_remainder):
    ds = api.data.Dataset.from_tensors(np.zeros((5, 0), np.float32)).repeat(8)
    ds = ds.batch(2).rebatch(batch_size=4, drop_remainder=drop_remainder)
    got = elements(ds)
    assert len(got) == 2
    for batch in got:
        assert batch.shape == (4, 5, 0)
        assert batch.dtype == np.float32


@pytest.mark.parametrize("drop_remainder", [True, False])
def test_scalar_batch_size_input(api, drop_remainder):
    ds = api.data.Dataset.range(8).batch(4, drop_remainder=True)
    ds = ds.rebatch(batch_size=2, drop_remainder=drop_remainder)
    assert _flat_shapes(ds) == [(2,)]
    assert_produces(ds, [[0, 1], [2, 3], [4, 5], [6, 7]])


def test_multiple_batches(api):
    ds = (
        api.data.Dataset.range(16)
        .batch(2, drop_remainder=True)
        .batch(4, drop_remainder=True)
    )
    assert _flat_shapes(ds) == [(4, 2)]
    ds = ds.rebatch([2, 2])
    assert _flat_shapes(ds) == [(2, 2)]
    assert_produces(
        ds,
        [
            [[0, 1], [2, 3]],
            [[4, 5], [6, 7]],
            [[8, 9], [10, 11]],
            [[12, 13], [14, 15]],
        ],
    )


def test_nested_dictionary_output(api):
    ds = api.data.Dataset.range(8).map(lambda x: {"a": x, "b": {"c": x + 1}})
    ds = ds.batch(4, drop_remainder=True).rebatch([2, 2])
    assert _flat_shapes(ds) == [(2,), (2,)]
    assert_produces(
        ds,
        [
            {"a": [2 * i, 2 * i + 1], "b": {"c": [2 * i + 1, 2 * i + 2]}}
            for i in range(4)
        ],
    )


def test_none_dataset(api):
    ds = api.data.Dataset.range(4).map(lambda x: (x, None))
    ds = ds.batch(4, drop_remainder=True)
    ds.rebatch(batch_size=[2, 2])


def test_checkpoint_pipeline_values(api):
    # RebatchDatasetCheckpointTest's pipeline: range(64).batch(16).rebatch([8, 8]).
    ds = api.data.Dataset.range(64).batch(16, drop_remainder=True)
    ds = ds.rebatch(batch_size=[8, 8])
    assert_produces(ds, [list(range(8 * i, 8 * i + 8)) for i in range(8)])


@pytest.mark.parametrize("with_map", [False, True])
def test_rebatch_ragged_tensor_dataset(api, with_map):
    # TF's case: 128 ragged rows, batches of 32, a no-op map, rebatched to 4.
    rng = np.random.default_rng(7)
    row_lengths = rng.integers(0, 8, size=128)
    values = rng.normal(size=int(row_lengths.sum())).astype(np.float32)
    rows = api.RaggedTensor.from_row_lengths(values, row_lengths)
    ds = api.data.Dataset.from_tensor_slices(rows).batch(32, drop_remainder=True)
    if with_map:
        ds = ds.map(lambda x: x)
    ds = ds.rebatch(4)
    got = [x.to_list() for x in ds]
    starts = np.concatenate([[0], np.cumsum(row_lengths)])
    want = [
        [values[starts[i] : starts[i + 1]].tolist() for i in range(j, j + 4)]
        for j in range(0, 128, 4)
    ]
    assert len(got) == 32
    for g, w in zip(got, want):
        assert len(g) == len(w)
        for a, b in zip(g, w):
            np.testing.assert_allclose(a, b, rtol=1e-6)
