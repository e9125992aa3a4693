"""Element-wise and slicing transformations vs tf.data's documented semantics."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline as pl

Dataset = pl.data.Dataset
INF, UNK = pl.data.INFINITE_CARDINALITY, pl.data.UNKNOWN_CARDINALITY


def ints(ds):
    return [int(x) for x in ds]


def test_map_unpacks_tuples_passes_dicts_whole():
    ds = Dataset.from_tensor_slices(([1, 2], [10, 20]))
    assert ints(ds.map(lambda a, b: a + b)) == [11, 22]
    d = Dataset.from_tensor_slices({"a": [1, 2]})
    assert ints(d.map(lambda e: e["a"] * 3)) == [3, 6]


def test_map_returned_list_becomes_tuple_and_python_values_are_typed():
    out = list(Dataset.range(2).map(lambda x: [x, 1.0, "s"]))
    assert out[1] == (np.int64(1), np.float32(1.0), b"s")
    assert isinstance(out[1], tuple)
    assert type(out[1][1]) is np.float32


def test_map_parallel_equals_sequential_order():
    f = lambda x: x * x  # noqa: E731
    seq = ints(Dataset.range(200).map(f))
    par = ints(Dataset.range(200).map(f, num_parallel_calls=4))
    assert par == seq == [i * i for i in range(200)]


def test_filter_and_take_while_and_unique():
    assert ints(Dataset.range(10).filter(lambda x: x % 3 == 0)) == [0, 3, 6, 9]
    assert Dataset.range(10).filter(lambda x: True).cardinality() == UNK
    assert ints(Dataset.range(10).take_while(lambda x: x < 4)) == [0, 1, 2, 3]
    ds = Dataset.from_tensor_slices([1, 1, 2, 3, 2, 1]).unique()
    assert ints(ds) == [1, 2, 3]
    words = Dataset.from_tensor_slices(["b", "a", "b"]).unique()
    assert list(words) == [b"b", b"a"]


def test_filter_predicate_must_be_scalar_bool():
    ds = Dataset.range(3).filter(lambda x: x)  # int, not bool
    with pytest.raises(ValueError, match="scalar boolean"):
        list(ds)


def test_enumerate_start():
    out = list(Dataset.from_tensor_slices(["a", "b"]).enumerate(start=3))
    assert out == [(np.int64(3), b"a"), (np.int64(4), b"b")]


def test_take_skip_cardinality_rules():
    ds = Dataset.range(10)
    assert ints(ds.take(3)) == [0, 1, 2] and ds.take(3).cardinality() == 3
    assert ints(ds.skip(8)) == [8, 9] and ds.skip(8).cardinality() == 2
    assert ds.skip(20).cardinality() == 0 and ints(ds.skip(-1)) == []
    assert ds.take(-1).cardinality() == 10
    assert ds.repeat().take(4).cardinality() == 4
    assert ds.repeat().cardinality() == INF
    assert ds.repeat(3).cardinality() == 30
    assert ds.filter(lambda x: True).repeat().cardinality() == INF  # as TF
    assert ds.filter(lambda x: True).repeat(2).cardinality() == UNK


def test_shard_takes_every_nth_from_index():
    assert ints(Dataset.range(10).shard(3, 0)) == [0, 3, 6, 9]
    assert ints(Dataset.range(10).shard(3, 2)) == [2, 5, 8]
    assert Dataset.range(10).shard(3, 1).cardinality() == 3
    with pytest.raises(ValueError, match="index"):
        Dataset.range(3).shard(2, 2)


def test_repeat_and_concatenate():
    assert ints(Dataset.range(2).repeat(3)) == [0, 1, 0, 1, 0, 1]
    assert ints(Dataset.range(2).repeat(0)) == []
    assert ints(Dataset.range(0).repeat()) == []  # empty input ends repeat()
    assert ints(Dataset.range(2).concatenate(Dataset.range(5, 7))) == [0, 1, 5, 6]
    assert Dataset.range(2).concatenate(Dataset.range(3)).cardinality() == 5


def test_flat_map_and_interleave_order():
    ds = Dataset.range(1, 4).flat_map(lambda x: Dataset.from_tensors(x).repeat(x))
    assert ints(ds) == [1, 2, 2, 3, 3, 3]
    # tf.data docs: range(1, 6).interleave(lambda x: from_tensors(x).repeat(6),
    # cycle_length=2, block_length=4)
    ds = Dataset.range(1, 6).interleave(
        lambda x: Dataset.from_tensors(x).repeat(6), cycle_length=2, block_length=4
    )
    expected = [1] * 4 + [2] * 4 + [1] * 2 + [2] * 2 + [3] * 4 + [4] * 4
    expected += [3] * 2 + [4] * 2 + [5] * 6
    assert ints(ds) == expected


def test_parallel_interleave_same_order_as_sequential():
    make = lambda x: Dataset.range(x * 10, x * 10 + int(x) + 1)  # noqa: E731
    seq = ints(Dataset.range(8).interleave(make, cycle_length=3, block_length=2))
    par = Dataset.range(8).interleave(
        make, cycle_length=3, block_length=2, num_parallel_calls=3
    )
    assert ints(par) == seq


def test_shuffle_is_a_seeded_permutation_and_reshuffles_each_epoch():
    ds = Dataset.range(50).shuffle(50, seed=7)
    first = ints(ds)
    assert sorted(first) == list(range(50)) and first != list(range(50))
    assert ints(ds) != first  # as tf.data: a new iterator reshuffles
    assert ints(Dataset.range(50).shuffle(50, seed=7)) == first  # same program
    two = ints(Dataset.range(50).shuffle(50, seed=7).repeat(2))
    assert sorted(two[:50]) == sorted(two[50:]) == list(range(50))
    assert two[:50] != two[50:]
    fixed = ints(
        Dataset.range(50).shuffle(50, seed=7, reshuffle_each_iteration=False).repeat(2)
    )
    assert fixed[:50] == fixed[50:]


def test_shuffle_buffer_one_is_identity_and_small_buffer_is_local():
    assert ints(Dataset.range(20).shuffle(1, seed=3)) == list(range(20))
    out = ints(Dataset.range(100).shuffle(4, seed=3))
    # the i-th output is drawn from a buffer holding inputs < i + 4
    assert all(v < i + 4 for i, v in enumerate(out))
    assert sorted(out) == list(range(100))


def test_shuffle_draws_uniformly_from_its_buffer():
    counts = np.zeros(4)
    for seed in range(400):
        counts[int(next(iter(Dataset.range(4).shuffle(4, seed=seed))))] += 1
    assert counts.min() > 60  # 100 expected per value


def test_random_map_is_reproducible_and_varies_per_element_and_epoch():
    def noise(x, rng):
        return rng.integers(1 << 30)

    ds = Dataset.range(20).random_map(noise, seed=5).repeat(2)
    a = ints(ds)
    par = Dataset.range(20).random_map(noise, seed=5, num_parallel_calls=4).repeat(2)
    assert ints(par) == a
    assert len(set(a[:20])) == 20 and a[:20] != a[20:]


def test_cache_then_repeat_reads_source_once(tmp_path):
    calls = []

    def gen():
        calls.append(1)
        yield from range(3)

    src = Dataset.from_generator(gen, output_signature=pl.TensorSpec((), np.int64))
    assert ints(src.cache().repeat(3)) == [0, 1, 2] * 3
    assert len(calls) == 1
    path = str(tmp_path / "c.cache")
    calls.clear()
    assert ints(src.cache(path).repeat(2)) == [0, 1, 2] * 2
    assert ints(src.cache(path)) == [0, 1, 2]
    assert len(calls) == 1


def test_apply_and_prefetch():
    assert ints(Dataset.range(5).apply(lambda d: d.skip(3)).prefetch(1)) == [3, 4]
    with pytest.raises(TypeError):
        Dataset.range(1).apply(lambda d: 3)


def test_argument_errors_are_keras_style():
    with pytest.raises(ValueError, match="`batch_size` must be a positive integer"):
        Dataset.range(3).batch(0)
    with pytest.raises(ValueError, match="buffer_size"):
        Dataset.range(3).shuffle(0)
    with pytest.raises(TypeError, match="callable"):
        Dataset.range(3).map(3)


def test_len_infinite_raises_type_error():
    with pytest.raises(TypeError, match="infinite"):
        len(Dataset.range(3).repeat())


def test_dataset_is_truthy_even_when_infinite():
    assert bool(Dataset.range(3).repeat()) and bool(Dataset.range(0))


def test_reduce_and_get_single_element():
    total = Dataset.range(5).reduce(np.int64(0), lambda s, x: s + x)
    assert total == 10 and type(total) is np.int64
    pair = Dataset.range(3).reduce((0, 1), lambda s, x: (s[0] + 1, s[1] * 2))
    assert pair == (3, 8)
    assert int(Dataset.range(3).skip(2).get_single_element()) == 2
    with pytest.raises(pl.errors.InvalidArgumentError, match="more than one"):
        Dataset.range(3).get_single_element()
    with pytest.raises(pl.errors.InvalidArgumentError, match="Dataset was empty"):
        Dataset.range(0).get_single_element()
