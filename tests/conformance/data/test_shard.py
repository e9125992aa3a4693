"""Cases of tensorflow/python/data/kernel_tests/shard_test.py."""

from __future__ import annotations

import pytest
from conformance_support import assert_produces


@pytest.mark.parametrize(
    ("n", "num_shards", "index", "expected"),
    [
        (10, 5, 2, [2, 7]),
        (10, 5, 0, [0, 5]),
        (1, 5, 2, []),
        (10, 7, 5, [5]),
        (10, 5, 4, [4, 9]),
        (10, 4, 3, [3, 7]),
        (10, 20, 5, [5]),
    ],
)
def test_shard_values(api, n, num_shards, index, expected):
    ds = api.data.Dataset.range(n).shard(num_shards, index)
    assert_produces(ds, expected)
    assert int(ds.cardinality()) == len(expected)


def test_shard_nested_data(api):
    ds = api.data.Dataset.zip(
        (api.data.Dataset.range(10), api.data.Dataset.range(10, 0, -1))
    ).shard(5, 2)
    assert_produces(ds, [(2, 8), (7, 3)])


@pytest.mark.parametrize(("num_shards", "index"), [(5, 7), (5, -3), (-3, 1), (0, 1)])
def test_shard_invalid_arguments(api, num_shards, index):
    with pytest.raises(api.errors.InvalidArgumentError):
        list(api.data.Dataset.range(10).shard(num_shards, index))


def test_shard_name(api):
    assert_produces(api.data.Dataset.from_tensors(42).shard(1, 0, name="shard"), [42])


@pytest.mark.parametrize("elements", [0, 10, 50])
@pytest.mark.parametrize("num_shards", [5, 7, 10])
@pytest.mark.parametrize("index", [0, 1, 2, 3, 4])
def test_shard_random_access_combinations(api, elements, num_shards, index):
    ds = api.data.Dataset.range(elements).shard(num_shards=num_shards, index=index)
    expected = list(range(index, elements, num_shards))
    assert int(ds.cardinality()) == len(expected)
    assert_produces(ds, expected)


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda D: D.range(10).filter(lambda x: True).shard(3, 1), -2),
        (lambda D: D.range(10).repeat().shard(3, 1), -1),
    ],
)
def test_shard_cardinality_of_unknown_and_infinite_inputs(api, build, expected):
    assert int(build(api.data.Dataset).cardinality()) == expected
