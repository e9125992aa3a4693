"""Cases of tensorflow/python/feature_column/feature_column_v2_test.py:
FunctionalInputLayerTest and InputLayerTest (TF's input layer is DenseFeatures
in TF 2), LazyColumnTest's missing feature, and MakeParseExampleSpecTest; and
the cases of dense_features_v2_test.py that those do not already hold.
"""

from __future__ import annotations

import numpy as np
import pytest
from conformance_support import to_numpy


def test_dense_features_needs_columns(api, fcx):
    with pytest.raises(ValueError, match="feature_columns must not be empty"):
        fcx.dense_layer([])


def test_dense_features_needs_dense_columns(api, fcx):
    wire = api.feature_column.categorical_column_with_hash_bucket("wire_cast", 4)
    with pytest.raises(ValueError, match="must be a .*DenseColumn"):
        fcx.dense([wire], {"a": [[0]]})


def test_dense_features_refuses_a_dict_of_columns(api, fcx):
    with pytest.raises(
        ValueError, match="Expected feature_columns to be iterable, found dict."
    ):
        fcx.dense_layer({"a": api.feature_column.numeric_column("a")})


def test_dense_features_takes_a_bare_column(api, fcx):
    column = api.feature_column.numeric_column("a")
    assert fcx.dense(column, {"a": [0.0]}).tolist() == [[0.0]]


def test_dense_features_takes_a_generator(api, fcx):
    fc = api.feature_column
    features = {"a": [0.0], "b": [1.0]}
    columns = (fc.numeric_column(key) for key in features)
    assert fcx.dense(columns, features).tolist() == [[0.0, 1.0]]


def test_dense_features_refuses_duplicate_names(api, fcx):
    fc = api.feature_column
    with pytest.raises(
        ValueError, match="Duplicate feature column name found for columns"
    ):
        fcx.dense_layer([fc.numeric_column("a"), fc.numeric_column("a")])


def test_dense_features_one_column(api, fcx):
    price = api.feature_column.numeric_column("price")
    assert fcx.dense([price], {"price": [[1.0], [5.0]]}).tolist() == [[1.0], [5.0]]


def test_dense_features_multi_dimension(api, fcx):
    price = api.feature_column.numeric_column("price", shape=2)
    out = fcx.dense([price], {"price": [[1.0, 2.0], [5.0, 6.0]]})
    assert out.tolist() == [[1.0, 2.0], [5.0, 6.0]]


def test_dense_features_compute_output_shape(api, fcx):
    # dense_features_v2_test.py's case.
    fc = api.feature_column
    columns = [
        fc.numeric_column("price1", shape=2),
        fc.numeric_column("price2", shape=4),
    ]
    layer = fcx.dense_layer(columns)
    assert tuple(layer.compute_output_shape((None,))) == (None, 6)
    features = {
        "price1": [[1.0, 2.0], [5.0, 6.0]],
        "price2": [[3.0, 4.0, 5.0, 6.0], [7.0, 8.0, 9.0, 10.0]],
    }
    out = np.asarray(to_numpy(layer(features)))
    assert out.tolist() == [
        [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        [5.0, 6.0, 7.0, 8.0, 9.0, 10.0],
    ]


def test_dense_features_cols_to_output_tensors_positional(api, fcx):
    # dense_features_v2_test.py's case: the dict as the second argument.
    fc = api.feature_column
    price1, price2 = fc.numeric_column("price1", shape=2), fc.numeric_column("price2")
    outputs = {}
    features = {"price1": [[1.0, 2.0], [5.0, 6.0]], "price2": [[3.0], [4.0]]}
    net = fcx.dense_layer([price1, price2])(features, outputs)
    assert np.asarray(to_numpy(outputs[price1])).tolist() == [[1.0, 2.0], [5.0, 6.0]]
    assert np.asarray(to_numpy(outputs[price2])).tolist() == [[3.0], [4.0]]
    assert np.asarray(to_numpy(net)).tolist() == [[1.0, 2.0, 3.0], [5.0, 6.0, 4.0]]


def test_dense_features_shape_mismatch(api, fcx):
    price = api.feature_column.numeric_column("price", shape=2)
    with pytest.raises(
        api.errors.InvalidArgumentError,
        match="tensor with 2 values, but the requested shape has 4",  # eager TF
    ):
        fcx.dense([price], {"price": [[1.0], [5.0]]})


def test_dense_features_reshaping(api, fcx):
    price = api.feature_column.numeric_column("price", shape=[1, 2])
    out = fcx.dense([price], {"price": [[[1.0, 2.0]], [[5.0, 6.0]]]})
    assert out.tolist() == [[1.0, 2.0], [5.0, 6.0]]


def test_dense_features_multi_column(api, fcx):
    fc = api.feature_column
    columns = [fc.numeric_column("price1", shape=2), fc.numeric_column("price2")]
    features = {"price1": [[1.0, 2.0], [5.0, 6.0]], "price2": [[3.0], [4.0]]}
    assert fcx.dense(columns, features).tolist() == [[1.0, 2.0, 3.0], [5.0, 6.0, 4.0]]


def test_dense_features_column_order(api, fcx):
    fc = api.feature_column
    price_a, price_b = fc.numeric_column("price_a"), fc.numeric_column("price_b")
    features = {"price_a": [[1.0]], "price_b": [[3.0]]}
    assert fcx.dense([price_a, price_b], features).tolist() == [[1.0, 3.0]]
    assert fcx.dense([price_b, price_a], features).tolist() == [[1.0, 3.0]]


def test_dense_features_order_follows_nested_cross_names(api, fcx):
    fc = api.feature_column
    # Named c_X_d1_X_d2 (leaf keys sorted), so it sorts before "cz".
    crossed = fc.crossed_column([fc.crossed_column(["d2", "c"], 3), "d1"], 3)
    columns = [fc.numeric_column("cz"), fc.indicator_column(crossed)]
    features = {"cz": [[9.0]], "c": [["x"]], "d1": [["y"]], "d2": [["z"]]}
    out = fcx.dense(columns, features)
    assert out[0, -1] == 9.0 and out[0, :3].sum() == 1.0


def test_dense_features_static_batch_size_mismatch(api, fcx):
    fc = api.feature_column
    columns = [fc.numeric_column("price1"), fc.numeric_column("price2")]
    features = {"price1": [[1.0], [5.0], [7.0]], "price2": [[3.0], [4.0]]}
    with pytest.raises(
        ValueError,
        match=r"Batch size \(first dimension\) of each feature must be same.",
    ):
        fcx.dense(columns, features)


def test_dense_features_one_dimensional_inputs(api, fcx):
    fc = api.feature_column
    price = fc.numeric_column("price")
    body_style = fc.indicator_column(
        fc.categorical_column_with_vocabulary_list(
            "body-style", ["hardtop", "wagon", "sedan"]
        )
    )
    table = [[1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7, 8, 9, 10], [11.0, 12, 13, 14, 15]]

    def init(shape, dtype=None, partition_info=None):
        return np.asarray(table, np.float32)

    country = fc.embedding_column(
        fc.categorical_column_with_vocabulary_list("country", ["US", "JP", "CA"]),
        dimension=5,
        initializer=init,
    )
    features = {
        "price": np.array([11.0, 12.0], np.float32),
        "body-style": fcx.sparse([[0], [1]], ["sedan", "hardtop"], [2]),
        "country": np.array([b"CA", b"US"], dtype=object),
    }
    out = fcx.dense([price, body_style, country], features)
    # body-style_indicator, country_embedding, price.
    assert out.tolist() == [
        [0.0, 0.0, 1.0, 11.0, 12.0, 13.0, 14.0, 15.0, 11.0],
        [1.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 12.0],
    ]


def test_dense_features_rank_0_feature(api, fcx):
    price = api.feature_column.numeric_column("price")
    with pytest.raises(ValueError, match="Feature .* cannot have rank 0"):
        fcx.dense([price], {"price": np.array(0.0, np.float32)})


def test_missing_feature(api, fcx):
    column = api.feature_column.numeric_column("bbb")
    with pytest.raises(ValueError, match="bbb is not in features dictionary"):
        fcx.dense([column], {"a": [[2.0], [3.0]]})


def test_parse_spec_of_no_columns(api, fcx):
    assert api.feature_column.make_parse_example_spec([]) == {}


def test_parse_spec_refuses_what_is_not_a_column(api):
    column = api.feature_column.numeric_column("key1", shape=(2,), default_value=0.0)
    with pytest.raises(
        ValueError,
        match="All feature_columns must be FeatureColumn instances.*invalid_column",
    ):
        api.feature_column.make_parse_example_spec((column, "invalid_column"))


def test_parse_spec_merges_the_columns(api, fcx):
    fc = api.feature_column
    key1 = fc.numeric_column("key1", shape=(2,), default_value=0.0)
    key2 = fc.categorical_column_with_hash_bucket("key2", 10)
    key3 = fc.weighted_categorical_column(
        fc.categorical_column_with_identity("key3", 4), "key4"
    )
    spec = fc.make_parse_example_spec((key1, key2, key3, key1))
    assert fcx.spec(spec) == {
        "key1": ("FixedLenFeature", (2,), np.dtype(np.float32), (0.0, 0.0)),
        "key2": ("VarLenFeature", None, np.dtype(object), None),
        "key3": ("VarLenFeature", None, np.dtype(np.int64), None),
        "key4": ("VarLenFeature", None, np.dtype(np.float32), None),
    }


def test_parse_spec_refuses_two_specs_for_a_key(api):
    fc = api.feature_column
    key1 = fc.numeric_column("key1", shape=(2,), default_value=0.0)
    other = fc.categorical_column_with_hash_bucket("key1", 10)
    with pytest.raises(
        ValueError, match="feature_columns contain different parse_spec for key key1"
    ):
        fc.make_parse_example_spec((key1, other))


def test_columns_sort_by_their_text(api):
    fc = api.feature_column
    a, b = fc.numeric_column("first"), fc.numeric_column("second")
    assert sorted(["d", b, a, "0"], key=lambda x: x) == ["0", a, b, "d"]
    assert a < b and not b < a
    assert "0" < a and a < "d"


def test_dense_features_fills_cols_to_output_tensors(api, fcx):
    fc = api.feature_column
    apple = fc.numeric_column("apple_numeric_column")
    banana = fc.bucketized_column(fc.numeric_column("banana_dense_feature"), [0.0])
    cherry = fc.embedding_column(
        fc.categorical_column_with_hash_bucket("cherry_sparse_feature", 5), dimension=10
    )
    features = {
        "apple_numeric_column": [[3.0], [4.0]],
        "banana_dense_feature": [[-1.0], [4.0]],
        "cherry_sparse_feature": [["a"], ["x"]],
    }
    outputs = {}
    layer = fcx.dense_layer([apple, banana, cherry])
    net = np.asarray(to_numpy(layer(features, cols_to_output_tensors=outputs)))
    assert sorted(c.name for c in outputs) == sorted(
        c.name for c in (apple, banana, cherry)
    )
    parts = {c.name: np.asarray(to_numpy(v)) for c, v in outputs.items()}
    assert parts[apple.name].tolist() == [[3.0], [4.0]]
    assert parts[banana.name].tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert parts[cherry.name].shape == (2, 10)
    # DenseFeatures concatenates them in name order.
    order = sorted(parts)
    np.testing.assert_array_equal(net, np.concatenate([parts[n] for n in order], 1))


def test_two_dense_features_layers_have_their_own_tables(api, fcx):
    fc = api.feature_column
    column = fc.embedding_column(
        fc.categorical_column_with_hash_bucket("sparse_feature", 5), dimension=10
    )
    features = {"sparse_feature": [["a"], ["x"]]}
    first, second = fcx.dense_layer([column]), fcx.dense_layer([column])
    first(features), second(features)
    assert len(first.weights) == len(second.weights) == 1
    assert first.weights[0] is not second.weights[0]
    assert tuple(first.weights[0].shape) == (5, 10)
