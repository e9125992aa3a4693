"""Cases of tensorflow/python/feature_column/feature_column_v2_test.py: each
column test's ``test_serialization`` (``parents``, ``get_config`` and
``from_config``), for the columns whose config holds no function.
"""

from __future__ import annotations

_IDENTITY = {
    "class_name": "IdentityCategoricalColumn",
    "config": {"key": "animal", "default_value": None, "number_buckets": 4},
}


def test_numeric(api):
    price = api.feature_column.numeric_column("price")
    assert price.parents == ["price"]
    assert price.get_config() == {
        "key": "price",
        "shape": (1,),
        "default_value": None,
        "dtype": "float32",
        "normalizer_fn": None,
    }
    assert type(price).from_config(price.get_config()) == price


def test_bucketized(api):
    fc = api.feature_column
    price = fc.numeric_column("price", shape=[2])
    bucketized = fc.bucketized_column(price, boundaries=[0, 2, 4, 6])
    assert bucketized.parents == [price]
    assert bucketized.get_config() == {
        "source_column": {
            "class_name": "NumericColumn",
            "config": {
                "key": "price",
                "shape": (2,),
                "default_value": None,
                "dtype": "float32",
                "normalizer_fn": None,
            },
        },
        "boundaries": (0, 2, 4, 6),
    }
    again = type(bucketized).from_config(bucketized.get_config())
    assert again == bucketized and again.source_column is not price


def test_hashed(api):
    wire = api.feature_column.categorical_column_with_hash_bucket("wire", 4)
    assert wire.parents == ["wire"]
    assert wire.get_config() == {
        "key": "wire",
        "hash_bucket_size": 4,
        "dtype": "string",
    }
    assert type(wire).from_config(wire.get_config()) == wire


def test_crossed(api):
    fc = api.feature_column
    a = fc.numeric_column("a", dtype=api.int32, shape=(2,))
    b = fc.bucketized_column(a, boundaries=(0, 1))
    crossed = fc.crossed_column([b, "c"], hash_bucket_size=5, hash_key=5)
    assert crossed.parents == [b, "c"]
    assert crossed.get_config() == {
        "hash_bucket_size": 5,
        "hash_key": 5,
        "keys": (
            {
                "config": {
                    "boundaries": (0, 1),
                    "source_column": {
                        "config": {
                            "dtype": "int32",
                            "default_value": None,
                            "key": "a",
                            "normalizer_fn": None,
                            "shape": (2,),
                        },
                        "class_name": "NumericColumn",
                    },
                },
                "class_name": "BucketizedColumn",
            },
            "c",
        ),
    }
    again = type(crossed).from_config(crossed.get_config())
    assert again == crossed and again.keys[0] is not b


def test_vocabulary_list(api):
    column = api.feature_column.categorical_column_with_vocabulary_list(
        "aaa", ("omar", "stringer", "marlo"), num_oov_buckets=1
    )
    assert column.parents == ["aaa"]
    assert column.get_config() == {
        "default_value": -1,
        "dtype": "string",
        "key": "aaa",
        "num_oov_buckets": 1,
        "vocabulary_list": ("omar", "stringer", "marlo"),
    }
    assert type(column).from_config(column.get_config()) == column


def test_identity(api):
    column = api.feature_column.categorical_column_with_identity("aaa", 3)
    assert column.parents == ["aaa"]
    assert column.get_config() == {
        "default_value": None,
        "key": "aaa",
        "number_buckets": 3,
    }
    assert type(column).from_config(column.get_config()) == column


def test_indicator(api):
    fc = api.feature_column
    parent = fc.categorical_column_with_identity("animal", num_buckets=4)
    animal = fc.indicator_column(parent)
    assert animal.parents == [parent]
    assert animal.get_config() == {"categorical_column": _IDENTITY}
    again = type(animal).from_config(animal.get_config())
    assert again == animal and again.categorical_column is not parent


def test_embedding_parents(api):
    fc = api.feature_column
    parent = fc.categorical_column_with_identity("aaa", num_buckets=3)
    assert fc.embedding_column(parent, dimension=2).parents == [parent]


def test_weighted(api):
    fc = api.feature_column
    ids = fc.categorical_column_with_identity(key="ids", num_buckets=3)
    column = fc.weighted_categorical_column(ids, weight_feature_key="weight")
    assert column.parents == [ids, "weight"]
    assert column.get_config() == {
        "categorical_column": {
            "config": {"key": "ids", "number_buckets": 3, "default_value": None},
            "class_name": "IdentityCategoricalColumn",
        },
        "dtype": "float32",
        "weight_feature_key": "weight",
    }
    again = type(column).from_config(column.get_config())
    assert again == column and again.categorical_column is not ids
