"""Cases of tensorflow/python/feature_column/feature_column_v2_test.py:
NumericColumnTest and BucketizedColumnTest.

Transform outputs are read through DenseFeatures (dense values, one-hot
buckets) and the linear model (bucket ids, by weighting each bucket).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from conformance_support import numpy_dtype


def _plus_two(x):
    return x + 2.0


def test_numeric_defaults(api):
    a = api.feature_column.numeric_column("aaa")
    assert (a.key, a.name, tuple(a.shape), a.default_value) == (
        "aaa",
        "aaa",
        (1,),
        None,
    )
    assert numpy_dtype(a.dtype) == np.float32
    assert a.normalizer_fn is None


def test_numeric_key_must_be_a_string(api):
    with pytest.raises(ValueError, match="key must be a string."):
        api.feature_column.numeric_column(key=("aaa",))


def test_numeric_shape_and_default_are_kept_as_tuples(api):
    fc = api.feature_column
    a = fc.numeric_column("aaa", shape=[1, 2], default_value=[[3, 2.0]])
    assert a.shape == (1, 2)
    assert a.default_value == ((3.0, 2.0),)
    assert fc.numeric_column("aaa", default_value=4.0).default_value == (4.0,)
    assert fc.numeric_column(
        "aaa", shape=[2], default_value=[1, 2.0]
    ).default_value == (
        1,
        2.0,
    )


@pytest.mark.parametrize(
    ("shape", "default"),
    [
        ([2], [1, 2, 3.0]),
        ([3, 1], [[2, 3], [1, 2], [2, 3.0]]),
        ([3, 3], [[2, 3], [1, 2], [2, 3.0]]),
    ],
)
def test_numeric_default_of_another_shape(api, shape, default):
    with pytest.raises(ValueError, match="The shape of default_value"):
        api.feature_column.numeric_column("aaa", shape=shape, default_value=default)


def test_numeric_nested_default_of_the_shape(api):
    a = api.feature_column.numeric_column(
        "aaa", shape=[3, 2], default_value=[[2, 3], [1, 2], [2, 3.0]]
    )
    assert a.default_value == ((2, 3), (1, 2), (2, 3.0))


def test_numeric_default_type_check(api):
    fc = api.feature_column
    fc.numeric_column("aaa", shape=[2], default_value=[1, 2.0], dtype=api.float32)
    a = fc.numeric_column("aaa", shape=[2], default_value=[1, 2], dtype=api.int32)
    assert a.default_value == (1, 2)
    with pytest.raises(TypeError, match="must be compatible with dtype"):
        fc.numeric_column("aaa", shape=[2], default_value=[1, 2.0], dtype=api.int32)
    with pytest.raises(TypeError, match="default_value must be compatible with dtype"):
        fc.numeric_column("aaa", default_value=["string"])


def test_numeric_shape_must_be_positive_integer(api):
    with pytest.raises(TypeError, match="shape dimensions must be integer"):
        api.feature_column.numeric_column("aaa", shape=[1.0])
    with pytest.raises(ValueError, match="shape dimensions must be greater than 0"):
        api.feature_column.numeric_column("aaa", shape=[0])


def test_numeric_dtype_must_convert_to_float(api):
    with pytest.raises(ValueError, match="dtype must be convertible to float"):
        api.feature_column.numeric_column("aaa", dtype=api.string)


def test_numeric_scalar_default_fills_the_shape(api):
    a = api.feature_column.numeric_column("aaa", shape=[2, 3], default_value=2.0)
    assert a.default_value == ((2.0, 2.0, 2.0), (2.0, 2.0, 2.0))


def test_numeric_parse_spec(api, fcx):
    a = api.feature_column.numeric_column("aaa", shape=[2, 3], dtype=api.int32)
    assert numpy_dtype(a.dtype) == np.int32
    assert fcx.spec(a.parse_example_spec) == {
        "aaa": ("FixedLenFeature", (2, 3), np.dtype(np.int32), None)
    }


def test_numeric_parse_example_without_default(api, fcx):
    price = api.feature_column.numeric_column("price", shape=[2])
    got = fcx.parse([price], [{"price": [20.0, 110.0]}])
    assert got["price"].tolist() == [[20.0, 110.0]]


def test_numeric_parse_example_with_default(api, fcx):
    price = api.feature_column.numeric_column("price", shape=[2], default_value=11.0)
    got = fcx.parse(
        [price], [{"price": [20.0, 110.0]}, {"something_else": [20.0, 110.0]}]
    )
    assert got["price"].tolist() == [[20.0, 110.0], [11.0, 11.0]]


def test_numeric_normalizer_must_be_callable(api):
    with pytest.raises(TypeError, match="must be a callable"):
        api.feature_column.numeric_column("price", normalizer_fn="NotACallable")


def test_numeric_normalizer_is_applied(api, fcx):
    price = api.feature_column.numeric_column(
        "price", shape=[2], normalizer_fn=_plus_two
    )
    out = fcx.dense([price], {"price": [[1.0, 2.0], [5.0, 6.0]]})
    assert out.tolist() == [[3.0, 4.0], [7.0, 8.0]]


def test_numeric_rejects_a_sparse_input(api, fcx):
    price = api.feature_column.numeric_column("price")
    with pytest.raises(ValueError, match="must be a Tensor"):
        fcx.dense([price], {"price": fcx.sparse([[0, 0]], [0.3], [1, 1])})


def test_numeric_deep_copy(api):
    a = api.feature_column.numeric_column(
        "aaa", shape=[1, 2], default_value=[[3.0, 2.0]]
    )
    a_copy = copy.deepcopy(a)
    assert (a_copy.name, a_copy.shape, a_copy.default_value) == (
        "aaa",
        (1, 2),
        ((3.0, 2.0),),
    )


def test_numeric_numpy_default(api):
    a = api.feature_column.numeric_column(
        "aaa", shape=[1, 2], default_value=np.array([[3.0, 2.0]])
    )
    assert a.default_value == ((3.0, 2.0),)


def test_numeric_linear_model(api, fcx):
    price = api.feature_column.numeric_column("price")
    feats = lambda: {"price": [[1.0], [5.0]]}  # noqa: E731
    assert fcx.linear([price], feats).tolist() == [[0.0], [0.0]]
    assert fcx.linear([price], feats, {"price": [[10.0]]}).tolist() == [[10.0], [50.0]]


@pytest.mark.parametrize(
    "make",
    [
        lambda fc: fc.numeric_column("price", shape=[2], default_value=[1.0, 3.0]),
        lambda fc: fc.bucketized_column(
            fc.numeric_column("price", shape=[2]), boundaries=[0, 2, 4, 6]
        ),
    ],
)
def test_config_round_trip(api, make):
    column = make(api.feature_column)
    assert type(column).from_config(column.get_config()) == column


def test_bucketized_source_must_be_numeric(api):
    fc = api.feature_column
    a = fc.categorical_column_with_hash_bucket("aaa", hash_bucket_size=10)
    with pytest.raises(
        ValueError, match="source_column must be a column generated with numeric_column"
    ):
        fc.bucketized_column(a, boundaries=[0, 1])


def test_bucketized_source_must_be_one_dimensional(api):
    fc = api.feature_column
    with pytest.raises(
        ValueError, match="source_column must be one-dimensional column"
    ):
        fc.bucketized_column(fc.numeric_column("aaa", shape=[2, 3]), boundaries=[0, 1])


@pytest.mark.parametrize(
    ("boundaries", "match"),
    [
        (None, "boundaries must not be empty"),
        (1.0, "boundaries must be a sorted list"),
        ([1, 0], "boundaries must be a sorted list"),
        ([1, 1], "boundaries must be a sorted list"),
    ],
)
def test_bucketized_invalid_boundaries(api, boundaries, match):
    fc = api.feature_column
    with pytest.raises(ValueError, match=match):
        fc.bucketized_column(fc.numeric_column("aaa"), boundaries=boundaries)


def test_bucketized_name_spec_shape_and_buckets(api, fcx):
    fc = api.feature_column
    b = fc.bucketized_column(
        fc.numeric_column("aaa", shape=[2], dtype=api.int32), boundaries=[0, 1]
    )
    assert b.name == "aaa_bucketized"
    assert tuple(b.variable_shape) == (2, 3)
    assert b.num_buckets == 6


def test_bucketized_parse_spec(api, fcx):
    fc = api.feature_column
    b = fc.bucketized_column(
        fc.numeric_column("aaa", shape=[2], dtype=api.int32), boundaries=[0, 1]
    )
    assert fcx.spec(b.parse_example_spec) == {
        "aaa": ("FixedLenFeature", (2,), np.dtype(np.int32), None)
    }


def test_bucketized_parse_example(api, fcx):
    fc = api.feature_column
    b = fc.bucketized_column(fc.numeric_column("price", shape=[2]), boundaries=[0, 50])
    got = fcx.parse([b], [{"price": [20.0, 110.0]}])
    assert got["price"].tolist() == [[20.0, 110.0]]


def test_bucketized_dense_one_input_value(api, fcx):
    fc = api.feature_column
    b = fc.bucketized_column(fc.numeric_column("price"), boundaries=[0, 2, 4, 6])
    out = fcx.dense([b], {"price": [[-1.0], [1.0], [5.0], [6.0]]})
    assert out.tolist() == [
        [1.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 1.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 1.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 1.0],
    ]


def test_bucketized_dense_two_input_values(api, fcx):
    fc = api.feature_column
    b = fc.bucketized_column(
        fc.numeric_column("price", shape=[2]), boundaries=[0, 2, 4, 6]
    )
    out = fcx.dense([b], {"price": [[-1.0, 1.0], [5.0, 6.0]]})
    assert out.tolist() == [
        [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
    ]


def test_bucketized_rejects_a_sparse_input(api, fcx):
    fc = api.feature_column
    b = fc.bucketized_column(fc.numeric_column("price"), boundaries=[0, 1])
    with pytest.raises(ValueError, match="must be a Tensor"):
        fcx.dense([b], {"price": fcx.sparse([[0, 0]], [0.3], [1, 1])})


def test_bucketized_deep_copy(api):
    fc = api.feature_column
    b = copy.deepcopy(
        fc.bucketized_column(fc.numeric_column("aaa", shape=[2]), boundaries=[0, 1])
    )
    assert (b.name, tuple(b.variable_shape), b.boundaries) == (
        "aaa_bucketized",
        (2, 3),
        (0, 1),
    )


def test_bucketized_linear_model_one_input_value(api, fcx):
    fc = api.feature_column
    b = fc.bucketized_column(fc.numeric_column("price"), boundaries=[0, 2, 4, 6])
    feats = lambda: {"price": [[-1.0], [1.0], [5.0], [6.0]]}  # noqa: E731
    assert fcx.linear([b], feats).tolist() == [[0.0]] * 4
    weights = {b.name: [[10.0], [20.0], [30.0], [40.0], [50.0]]}
    # Buckets 0, 1, 3, 4.
    assert fcx.linear([b], feats, weights).tolist() == [[10.0], [20.0], [40.0], [50.0]]
    out = fcx.linear([b], feats, weights, bias=[1.0])
    assert out.tolist() == [[11.0], [21.0], [41.0], [51.0]]


def test_bucketized_linear_model_two_input_values(api, fcx):
    fc = api.feature_column
    b = fc.bucketized_column(
        fc.numeric_column("price", shape=[2]), boundaries=[0, 2, 4, 6]
    )
    feats = lambda: {"price": [[-1.0, 1.0], [5.0, 6.0]]}  # noqa: E731
    weights = {b.name: [[10.0 * (i + 1)] for i in range(10)]}
    # Ids 0 and 6 in the first example, 3 and 9 in the second.
    assert fcx.linear([b], feats, weights).tolist() == [[80.0], [140.0]]
    assert fcx.linear([b], feats, weights, bias=[1.0]).tolist() == [[81.0], [141.0]]
