"""numeric_column and bucketized_column: arguments, errors, outputs, configs."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import pipeline as pl
from pipeline.errors import InvalidArgumentError

fc = pl.feature_column


def test_numeric_defaults_and_name():
    col = fc.numeric_column("price")
    assert (col.name, col.shape, col.default_value, col.dtype) == (
        "price",
        (1,),
        None,
        np.dtype(np.float32),
    )
    assert (
        fc.numeric_column("v", shape=(2, 3), default_value=1).default_value
        == ((1.0,) * 3,) * 2  # nested as the shape, as TF keeps it
    )


@pytest.mark.parametrize(
    ("kwargs", "err", "match"),
    [
        ({"key": 3}, ValueError, "key must be a string"),
        ({"key": "a", "shape": (0,)}, ValueError, "greater than 0"),
        ({"key": "a", "shape": (1.5,)}, TypeError, "must be integer"),
        (
            {"key": "a", "shape": (2,), "default_value": [1.0]},
            ValueError,
            "shape of default",
        ),
        ({"key": "a", "default_value": "x"}, TypeError, "default_value"),
        ({"key": "a", "dtype": "string"}, ValueError, "convertible to float"),
        ({"key": "a", "normalizer_fn": 3}, TypeError, "callable"),
    ],
)
def test_numeric_argument_errors(kwargs, err, match):
    with pytest.raises(err, match=match):
        fc.numeric_column(**kwargs)


def test_numeric_output_reshape_cast_and_normalizer():
    col = fc.numeric_column("v", shape=(2,), normalizer_fn=lambda x: x * 2)
    out = fc.transform_dense(col, {"v": np.array([[1, 2], [3, 4]], np.int64)})
    assert out.dtype == np.float32 and out.tolist() == [[2.0, 4.0], [6.0, 8.0]]
    with pytest.raises(InvalidArgumentError, match="cannot reshape"):
        fc.transform_dense(col, {"v": np.array([[1, 2, 3]])})
    sparse = pl.SparseTensor([[0, 0]], np.array([1.0]), [1, 1])
    with pytest.raises(ValueError, match="SparseTensor is not supported"):
        fc.transform_dense(fc.numeric_column("v"), {"v": sparse})


@pytest.mark.parametrize(
    ("boundaries", "match"),
    [
        ([], "must not be empty"),
        ([1.0, 1.0], "sorted list"),
        ([2.0, 1.0], "sorted list"),
    ],
)
def test_bucketized_boundary_errors(boundaries, match):
    with pytest.raises(ValueError, match=match):
        fc.bucketized_column(fc.numeric_column("x"), boundaries)


def test_bucketized_source_must_be_numeric():
    with pytest.raises(ValueError, match="numeric_column"):
        fc.bucketized_column(fc.categorical_column_with_identity("x", 3), [1.0])
    with pytest.raises(ValueError, match="one-dimensional"):
        fc.bucketized_column(fc.numeric_column("x", shape=(2, 2)), [1.0])


def test_bucketized_float32_boundaries_and_vector_source():
    # 0.1 as float32 is 0.10000000149; a float32 0.1 input equals it -> upper bucket
    col = fc.bucketized_column(fc.numeric_column("x"), [0.1])
    out = fc.transform_dense(col, {"x": np.array([0.1], np.float32)})
    assert out.tolist() == [[0.0, 1.0]]
    vec = fc.bucketized_column(fc.numeric_column("v", shape=(2,)), [0.0, 1.0])
    assert vec.num_buckets == 6 and vec.variable_shape == (2, 3)
    feats = {"v": np.array([[-1.0, 5.0], [0.5, 0.0]])}
    assert fc.transform_dense(vec, feats).tolist() == [
        [1, 0, 0, 0, 0, 1],
        [0, 1, 0, 0, 1, 0],
    ]
    assert fc.transform_ids(vec, feats).values.tolist() == [0, 5, 1, 4]


def test_normalization_saved_in_config():
    col = fc.numeric_column("x", normalizer_fn=fc.Normalization(2.0, 4.0))
    config = json.loads(json.dumps(col.get_config()))
    again = fc.NumericColumn.from_config(config)
    assert again == col
    assert fc.transform_dense(again, {"x": [4.0]}).tolist() == [[1.0]]


def test_module_function_normalizer_round_trips_and_lambda_is_refused():
    col = fc.numeric_column("x", normalizer_fn=np.log1p)
    assert (
        fc.deserialize_feature_column(fc.serialize_feature_column(col)).normalizer_fn
        is np.log1p
    )
    with pytest.raises(ValueError, match="lambda"):
        fc.numeric_column("x", normalizer_fn=lambda x: x).get_config()
    bucket = fc.bucketized_column(fc.numeric_column("x", default_value=0.5), [1.0, 2.0])
    config = json.loads(json.dumps(fc.serialize_feature_column(bucket)))
    assert fc.deserialize_feature_column(config) == bucket


def test_columns_are_immutable_and_hashable():
    col = fc.numeric_column("x")
    with pytest.raises(AttributeError):
        col.key = "y"
    assert len({col, fc.numeric_column("x")}) == 1
    assert math.isclose(fc.embedding_dimension(81), 3)
