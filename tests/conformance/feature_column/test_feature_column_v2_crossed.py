"""Cases of tensorflow/python/feature_column/feature_column_v2_test.py:
CrossedColumnTest and WeightedCategoricalColumnTest.

Crossed ids are read as indicator counts (the ids TF's test lists, counted
per example) and through the linear model; weighted ids through an indicator
(which sums the weights per id) and the linear model.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest


def _counts(rows: list[list[int]], depth: int) -> list[list[float]]:
    out = np.zeros((len(rows), depth))
    for r, ids in enumerate(rows):
        for i in ids:
            out[r, i] += 1.0
    return out.tolist()


def _bucketized_a(fc, api, shape=(1,)):
    return fc.bucketized_column(
        fc.numeric_column("a", shape=shape, dtype=api.int32), boundaries=[0, 1]
    )


def _indicator(api, fcx, column, features):
    return fcx.dense([api.feature_column.indicator_column(column)], features).tolist()


def _sparse3(fcx, values):
    return fcx.sparse([[0, 0], [1, 0], [1, 1]], list(values), [2, 2])


@pytest.mark.parametrize("keys", [[], ["a"]])
def test_crossed_needs_two_keys(api, keys):
    with pytest.raises(ValueError, match="keys must be a list with length > 1"):
        api.feature_column.crossed_column(keys, 10)


def test_crossed_key_type_unsupported(api):
    fc = api.feature_column
    with pytest.raises(ValueError, match="Unsupported key type"):
        fc.crossed_column(["a", fc.numeric_column("c")], 10)
    with pytest.raises(
        ValueError, match="categorical_column_with_hash_bucket is not supported"
    ):
        fc.crossed_column(["a", fc.categorical_column_with_hash_bucket("c", 10)], 10)


@pytest.mark.parametrize("size", [-1, 0, None])
def test_crossed_hash_bucket_size(api, size):
    with pytest.raises(ValueError, match="hash_bucket_size must be > 1"):
        api.feature_column.crossed_column(["a", "c"], size)


@pytest.mark.parametrize(
    "order",
    [
        lambda b, fc: [b, "c", fc.crossed_column(["d1", "d2"], 10)],
        lambda b, fc: [fc.crossed_column(["d1", "d2"], 10), "c", b],
        lambda b, fc: [fc.crossed_column(["d2", "c"], 10), "d1", b],
    ],
)
def test_crossed_name_sorts_the_leaf_keys(api, order):
    fc = api.feature_column
    crossed = fc.crossed_column(order(_bucketized_a(fc, api), fc), 10)
    assert crossed.name == "a_bucketized_X_c_X_d1_X_d2"


def test_crossed_buckets(api):
    fc = api.feature_column
    crossed = fc.crossed_column([_bucketized_a(fc, api, (2,)), "c"], 15)
    assert crossed.num_buckets == 15


def test_crossed_parse_spec(api, fcx):
    fc = api.feature_column
    crossed = fc.crossed_column([_bucketized_a(fc, api, (2,)), "c"], 15)
    assert fcx.spec(crossed.parse_example_spec) == {
        "a": ("FixedLenFeature", (2,), np.dtype(np.int32), None),
        "c": ("VarLenFeature", None, np.dtype(object), None),
    }


def test_crossed_deep_copy(api):
    fc = api.feature_column
    crossed1 = fc.crossed_column(["d1", "d2"], 10)
    crossed2 = fc.crossed_column(
        [_bucketized_a(fc, api), "c", crossed1], 15, hash_key=5
    )
    c = copy.deepcopy(crossed2)
    assert (c.name, c.hash_bucket_size, c.hash_key) == (
        "a_bucketized_X_c_X_d1_X_d2",
        15,
        5,
    )


def test_crossed_parse_example(api, fcx):
    fc = api.feature_column
    price = fc.bucketized_column(fc.numeric_column("price", shape=[2]), [0, 50])
    cross = fc.crossed_column([price, "wire"], 10)
    got = fcx.parse([cross], [{"price": [20.0, 110.0], "wire": [b"omar", b"stringer"]}])
    assert got["price"].tolist() == [[20.0, 110.0]]
    assert got["wire"].indices.tolist() == [[0, 0], [0, 1]]
    assert got["wire"].values.tolist() == [b"omar", b"stringer"]
    assert got["wire"].dense_shape.tolist() == [1, 2]


def test_crossed_transform_counts(api, fcx):
    fc = api.feature_column
    price = fc.bucketized_column(fc.numeric_column("price", shape=[2]), [0, 50])
    cross = fc.crossed_column([price, "wire"], 10)
    feats = {
        "price": [[1.0, 2.0], [5.0, 6.0]],
        "wire": _sparse3(fcx, ["omar", "stringer", "marlo"]),
    }
    out = np.asarray(_indicator(api, fcx, cross, feats))
    # 2 buckets x 1 wire, then 2 x 2: ids at [0, 0..1] and [1, 0..3].
    assert out.sum(axis=1).tolist() == [2.0, 4.0]


def _cd_features(fcx):
    return {
        "a": [[-1.0, 0.5], [0.5, 1.0]],
        "c": _sparse3(fcx, ["cA", "cB", "cC"]),
        "d1": _sparse3(fcx, ["d1A", "d1B", "d1C"]),
        "d2": _sparse3(fcx, ["d2A", "d2B", "d2C"]),
    }


def test_crossed_nested_ids(api, fcx):
    fc = api.feature_column
    crossed1 = fc.crossed_column(["d1", "d2"], 10)
    crossed2 = fc.crossed_column(
        [_bucketized_a(fc, api, (2,)), "c", crossed1], 15, hash_key=5
    )
    ids = [
        [6, 14],
        [0, 13, 8, 8, 10, 12, 2, 0, 1, 9, 8, 12, 2, 0, 10, 11],
    ]  # TF's exact hashed ids
    assert _indicator(api, fcx, crossed2, _cd_features(fcx)) == _counts(ids, 15)


def test_crossed_simple_ids(api, fcx):
    fc = api.feature_column
    crossed = fc.crossed_column([_bucketized_a(fc, api, (2,)), "c"], 5, hash_key=5)
    feats = _cd_features(fcx)
    assert _indicator(api, fcx, crossed, feats) == _counts([[1, 0], [1, 3, 4, 2]], 5)


def test_crossed_linear_model(api, fcx):
    fc = api.feature_column
    crossed = fc.crossed_column([_bucketized_a(fc, api, (2,)), "c"], 5, hash_key=5)

    def feats():
        return {"a": [[-1.0, 0.5], [0.5, 1.0]], "c": _sparse3(fcx, ["cA", "cB", "cC"])}

    assert fcx.linear([crossed], feats).tolist() == [[0.0], [0.0]]
    weights = {crossed.name: [[1.0], [2.0], [3.0], [4.0], [5.0]]}
    assert fcx.linear([crossed], feats, weights).tolist() == [[3.0], [14.0]]
    out = fcx.linear([crossed], feats, weights, bias=[0.1])
    np.testing.assert_allclose(out, [[3.1], [14.1]], rtol=1e-6)


def test_crossed_refuses_weighted_ids(api, fcx):
    fc = api.feature_column
    weighted = fc.weighted_categorical_column(
        fc.categorical_column_with_identity("test_column", 5), "test_column_weights"
    )
    crossed = fc.crossed_column([weighted, "c"], hash_bucket_size=5, hash_key=5)

    def feats():
        return {
            "test_column": _sparse3(fcx, [0, 1, 2]),
            "test_column_weights": _sparse3(fcx, [1.0, 10.0, 2.0]),
            "c": _sparse3(fcx, ["cA", "cB", "cC"]),
        }

    with pytest.raises(
        ValueError, match="crossed_column does not support weight_tensor"
    ):
        fcx.linear([crossed], feats)


def test_crossed_config_round_trip(api):
    fc = api.feature_column
    crossed = fc.crossed_column([_bucketized_a(fc, api, (2,)), "c"], 5, hash_key=5)
    assert type(crossed).from_config(crossed.get_config()) == crossed


def _weighted(fc, key="ids", weights="values", **kwargs):
    ids = fc.categorical_column_with_identity(key=key, num_buckets=3)
    return fc.weighted_categorical_column(ids, weight_feature_key=weights, **kwargs)


def test_weighted_defaults(api, fcx):
    column = _weighted(api.feature_column)
    for c in (column, copy.deepcopy(column)):
        assert (c.name, c.num_buckets) == ("ids_weighted_by_values", 3)
        assert fcx.spec(c.parse_example_spec) == {
            "ids": ("VarLenFeature", None, np.dtype(np.int64), None),
            "values": ("VarLenFeature", None, np.dtype(np.float32), None),
        }


@pytest.mark.parametrize("dtype", [None, "string"])
def test_weighted_dtype_must_convert_to_float(api, dtype):
    dtype = None if dtype is None else api.string
    with pytest.raises(ValueError, match="is not convertible to float"):
        _weighted(api.feature_column, dtype=dtype)


def test_weighted_input_of_strings(api, fcx):
    strings = _sparse3(fcx, ["omar", "stringer", "marlo"])
    column = _weighted(api.feature_column)
    with pytest.raises(ValueError, match="Bad dtype"):
        _indicator(api, fcx, column, {"ids": strings, "values": strings})


def test_weighted_weight_key_collides_with_the_ids(api):
    with pytest.raises(ValueError, match=r"Parse config.*already exists"):
        _weighted(api.feature_column, key="aaa", weights="aaa").parse_example_spec()


def test_weighted_missing_weights(api, fcx):
    column = _weighted(api.feature_column)
    with pytest.raises(ValueError, match="values is not in features dictionary"):
        _indicator(api, fcx, column, {"ids": _sparse3(fcx, [0, 1, 0])})


def test_weighted_parse_example(api, fcx):
    fc = api.feature_column
    a = fc.categorical_column_with_vocabulary_list("aaa", ("omar", "stringer", "marlo"))
    weighted = fc.weighted_categorical_column(a, weight_feature_key="weights")
    got = fcx.parse(
        [weighted], [{"aaa": [b"omar", b"stringer"], "weights": [1.0, 10.0]}]
    )
    assert got["aaa"].values.tolist() == [b"omar", b"stringer"]
    assert got["weights"].indices.tolist() == [[0, 0], [0, 1]]
    assert got["weights"].values.tolist() == [1.0, 10.0]


def test_weighted_sparse_ids_and_weights(api, fcx):
    column = _weighted(api.feature_column)
    weights = _sparse3(fcx, [0.5, 1.0, 0.1])
    sparse = {"ids": _sparse3(fcx, [0, 1, 0]), "values": weights}
    expected = [[0.5, 0.0, 0.0], [0.1, 1.0, 0.0]]
    np.testing.assert_allclose(_indicator(api, fcx, column, sparse), expected)
    dense_ids = {"ids": [[0, -1], [1, 0]], "values": weights}
    np.testing.assert_allclose(_indicator(api, fcx, column, dense_ids), expected)


def test_weighted_sparse_ids_dense_weights(api, fcx):
    column = _weighted(api.feature_column)
    # The dense weights lose their 0.0 cell: (.5, 1., .1) for ids (2, 1, 0).
    feats = {"ids": _sparse3(fcx, [2, 1, 0]), "values": [[0.5, 0.0], [1.0, 0.1]]}
    expected = [[0.0, 0.0, 0.5], [0.1, 1.0, 0.0]]
    np.testing.assert_allclose(_indicator(api, fcx, column, feats), expected)


def test_weighted_linear_model(api, fcx):
    column = _weighted(api.feature_column)
    weights = {column.name: [[1.0], [2.0], [3.0]]}

    def feats():
        return {
            "ids": _sparse3(fcx, [0, 2, 1]),
            "values": _sparse3(fcx, [0.5, 1.0, 0.1]),
        }

    assert fcx.linear([column], feats).tolist() == [[0.0], [0.0]]
    # 1 * .5; 3 * 1 + 2 * .1.
    np.testing.assert_allclose(fcx.linear([column], feats, weights), [[0.5], [3.2]])


def test_weighted_linear_model_dense_weights(api, fcx):
    column = _weighted(api.feature_column)
    weights = {column.name: [[1.0], [2.0], [3.0]]}

    def feats():
        return {"ids": _sparse3(fcx, [0, 2, 1]), "values": [[0.5], [1.0], [0.1]]}

    np.testing.assert_allclose(fcx.linear([column], feats, weights), [[0.5], [3.2]])


def test_weighted_linear_model_more_weights_than_ids(api, fcx):
    column = _weighted(api.feature_column)

    def feats():
        return {
            "ids": _sparse3(fcx, [0, 2, 1]),
            "values": fcx.sparse(
                [[0, 0], [0, 1], [1, 0], [1, 1]], [0.5, 11.0, 1.0, 0.1], [2, 2]
            ),
        }

    with pytest.raises(ValueError, match=r"Dimensions.*are not compatible"):
        fcx.linear([column], feats)


def test_weighted_linear_model_fewer_dense_weights_than_ids(api, fcx):
    column = _weighted(api.feature_column)

    def feats():
        return {"ids": _sparse3(fcx, [0, 2, 1]), "values": [[0.5], [1.0]]}

    with pytest.raises(api.errors.InvalidArgumentError, match="Incompatible shapes"):
        fcx.linear([column], feats, sparse_combiner="mean")


def test_weighted_linear_model_negative_weights(api, fcx):
    fc = api.feature_column
    wire = fc.categorical_column_with_hash_bucket("wire_cast", 4)
    column = fc.weighted_categorical_column(wire, "weights")

    def feats():
        return {
            "wire_cast": _sparse3(fcx, ["omar", "stringer", "marlo"]),  # 2, 0, 3
            "weights": [[1.0, 1.0, -1.0]],
        }

    weights = {column.name: [[10.0], [100.0], [1000.0], [10000.0]]}
    out = fcx.linear([column], feats, weights, bias=[5.0], sparse_combiner="sum")
    assert out.tolist() == [[1005.0], [-9985.0]]


def test_weighted_config_round_trip(api):
    column = _weighted(api.feature_column, weights="weight")
    assert type(column).from_config(column.get_config()) == column
