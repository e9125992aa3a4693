"""Cases of tensorflow/python/feature_column/feature_column_v2_test.py:
HashedCategoricalColumnTest, IdentityCategoricalColumnTest and
VocabularyListCategoricalColumnTest.

Ids are read through an indicator column in DenseFeatures (ids outside
``[0, num_buckets)`` count nowhere there) and through the linear model, whose
per-id weights show each id.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from conformance_support import numpy_dtype

WIRE = ("omar", "stringer", "marlo")


def _ids_to_rows(rows: list[list[int]], depth: int) -> list[list[float]]:
    """Indicator rows of the ids TF's test states (ids outside the range drop)."""
    out = np.zeros((len(rows), depth))
    for r, ids in enumerate(rows):
        for i in ids:
            if 0 <= i < depth:
                out[r, i] += 1.0
    return out.tolist()


def _indicator(api, fcx, column, features):
    return fcx.dense([api.feature_column.indicator_column(column)], features).tolist()


def test_hash_defaults(api):
    a = api.feature_column.categorical_column_with_hash_bucket("aaa", 10)
    assert (a.name, a.key, a.hash_bucket_size, a.num_buckets) == ("aaa", "aaa", 10, 10)
    assert numpy_dtype(a.dtype) == np.dtype(object)


def test_hash_key_must_be_a_string(api):
    with pytest.raises(ValueError, match="key must be a string."):
        api.feature_column.categorical_column_with_hash_bucket(("key",), 10)


def test_hash_bucket_size_must_be_given(api):
    with pytest.raises(ValueError, match="hash_bucket_size must be set."):
        api.feature_column.categorical_column_with_hash_bucket("aaa", None)


def test_hash_bucket_size_must_be_positive(api):
    with pytest.raises(ValueError, match="hash_bucket_size must be at least 1"):
        api.feature_column.categorical_column_with_hash_bucket("aaa", 0)


def test_hash_dtype_must_be_string_or_integer(api):
    fc = api.feature_column
    a = fc.categorical_column_with_hash_bucket("aaa", 10, dtype=api.string)
    assert numpy_dtype(a.dtype) == np.dtype(object)
    fc.categorical_column_with_hash_bucket("aaa", 10, dtype=api.int32)
    with pytest.raises(ValueError, match="dtype must be string or integer"):
        fc.categorical_column_with_hash_bucket("aaa", 10, dtype=api.float32)


def test_hash_deep_copy(api):
    a = api.feature_column.categorical_column_with_hash_bucket("aaa", 10)
    for column in (a, copy.deepcopy(a)):
        assert (column.name, column.hash_bucket_size, column.num_buckets) == (
            "aaa",
            10,
            10,
        )


def test_hash_parse_spec(api, fcx):
    fc = api.feature_column
    a = fc.categorical_column_with_hash_bucket("aaa", 10)
    assert fcx.spec(a.parse_example_spec) == {
        "aaa": ("VarLenFeature", None, np.dtype(object), None)
    }


def test_hash_parse_spec_int32(api, fcx):
    b = api.feature_column.categorical_column_with_hash_bucket(
        "aaa", 10, dtype=api.int32
    )
    assert numpy_dtype(b.dtype) == np.int32
    assert fcx.spec(b.parse_example_spec) == {
        "aaa": ("VarLenFeature", None, np.dtype(np.int32), None)
    }


def test_hash_parse_example(api, fcx):
    a = api.feature_column.categorical_column_with_hash_bucket("aaa", 10)
    got = fcx.parse([a], [{"aaa": [b"omar", b"stringer"]}])["aaa"]
    assert got.indices.tolist() == [[0, 0], [0, 1]]
    assert got.values.tolist() == [b"omar", b"stringer"]
    assert got.dense_shape.tolist() == [1, 2]


def test_strings_are_hashed(api, fcx):
    wire = api.feature_column.categorical_column_with_hash_bucket("wire", 10)
    feats = {"wire": fcx.sparse([[0, 0], [1, 0], [1, 1]], list(WIRE), [2, 2])}
    # TF: ids [6, 4, 1].
    assert _indicator(api, fcx, wire, feats) == _ids_to_rows([[6], [4, 1]], 10)


@pytest.mark.parametrize("dtype", [np.int64, np.int32])
def test_ints_are_hashed(api, fcx, dtype):
    wire = api.feature_column.categorical_column_with_hash_bucket(
        "wire", 10, dtype=api.int64
    )
    feats = {
        "wire": fcx.sparse([[0, 0], [1, 0], [1, 1]], [101, 201, 301], [2, 2], dtype)
    }
    # TF: ids [3, 7, 5].
    assert _indicator(api, fcx, wire, feats) == _ids_to_rows([[3], [7, 5]], 10)


def test_hash_input_dtype_must_be_string_or_integer(api, fcx):
    fc = api.feature_column
    string_fc = fc.categorical_column_with_hash_bucket("a_string", 10)
    int_fc = fc.categorical_column_with_hash_bucket("a_int", 10, dtype=api.int32)
    float_fc = fc.categorical_column_with_hash_bucket("a_float", 10)
    feats = {
        "a_int": fcx.sparse([[0, 0]], [101], [1, 1]),
        "a_string": fcx.sparse([[0, 0]], ["101"], [1, 1]),
        "a_float": fcx.sparse([[0, 0]], [101.0], [1, 1], np.float32),
    }
    fcx.dense([fc.indicator_column(string_fc), fc.indicator_column(int_fc)], feats)
    with pytest.raises(ValueError, match="dtype must be string or integer"):
        _indicator(api, fcx, float_fc, feats)


def test_hash_dtype_must_match_the_input(api, fcx):
    col = api.feature_column.categorical_column_with_hash_bucket(
        "wire", 10, dtype=api.int64
    )
    with pytest.raises(ValueError, match="dtype must be compatible"):
        _indicator(api, fcx, col, {"wire": fcx.sparse([[0, 0]], ["omar"], [1, 1])})


def test_hash_dense_input(api, fcx):
    wire = api.feature_column.categorical_column_with_hash_bucket("wire", 10)
    feats = {"wire": [["omar", ""], ["stringer", "marlo"]]}
    assert _indicator(api, fcx, wire, feats) == _ids_to_rows([[6], [4, 1]], 10)


def test_hash_linear_model(api, fcx):
    wire = api.feature_column.categorical_column_with_hash_bucket("wire", 4)
    assert wire.num_buckets == 4
    feats = lambda: {  # noqa: E731
        "wire": fcx.sparse(
            [[0, 0], [1, 0], [1, 1]], ["marlo", "skywalker", "omar"], [2, 2]
        )
    }
    assert fcx.linear([wire], feats).tolist() == [[0.0], [0.0]]
    # 'marlo' -> 3; 'skywalker' -> 2, 'omar' -> 2.
    out = fcx.linear([wire], feats, {"wire": [[1.0], [2.0], [3.0], [4.0]]})
    assert out.tolist() == [[4.0], [6.0]]


@pytest.mark.parametrize(
    "make",
    [
        lambda fc: fc.categorical_column_with_hash_bucket("wire", 4),
        lambda fc: fc.categorical_column_with_identity("aaa", 3),
        lambda fc: fc.categorical_column_with_vocabulary_list(
            "aaa", WIRE, num_oov_buckets=1
        ),
    ],
)
def test_config_round_trip(api, make):
    column = make(api.feature_column)
    assert type(column).from_config(column.get_config()) == column


def test_identity_constructor(api, fcx):
    column = api.feature_column.categorical_column_with_identity("aaa", 3)
    assert (column.name, column.key, column.num_buckets) == ("aaa", "aaa", 3)
    assert fcx.spec(column.parse_example_spec) == {
        "aaa": ("VarLenFeature", None, np.dtype(np.int64), None)
    }
    copied = copy.deepcopy(column)
    assert (copied.name, copied.num_buckets) == ("aaa", 3)


def test_identity_key_must_be_a_string(api):
    with pytest.raises(ValueError, match="key must be a string."):
        api.feature_column.categorical_column_with_identity(key=("aaa",), num_buckets=3)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"num_buckets": 0}, "num_buckets 0 < 1"),
        ({"num_buckets": -1}, "num_buckets -1 < 1"),
        ({"num_buckets": 3, "default_value": -1}, "default_value -1 not in range"),
        ({"num_buckets": 3, "default_value": 3}, "default_value 3 not in range"),
    ],
)
def test_identity_invalid_arguments(api, kwargs, match):
    with pytest.raises(ValueError, match=match):
        api.feature_column.categorical_column_with_identity(key="aaa", **kwargs)


def test_identity_input_must_be_integer(api, fcx):
    column = api.feature_column.categorical_column_with_identity("aaa", 3)
    feats = {"aaa": fcx.sparse([[0, 0], [1, 0], [1, 1]], list(WIRE), [2, 2])}
    with pytest.raises(ValueError, match="Invalid input, not integer"):
        _indicator(api, fcx, column, feats)


def test_identity_parse_example(api, fcx):
    a = api.feature_column.categorical_column_with_identity("aaa", 30)
    got = fcx.parse([a], [{"aaa": [11, 21]}])["aaa"]
    assert got.indices.tolist() == [[0, 0], [0, 1]]
    assert got.values.tolist() == [11, 21]
    assert got.dense_shape.tolist() == [1, 2]


def test_identity_sparse_and_dense_inputs(api, fcx):
    column = api.feature_column.categorical_column_with_identity("aaa", 3)
    sparse = {"aaa": fcx.sparse([[0, 0], [1, 0], [1, 1]], [0, 1, 0], [2, 2])}
    expected = _ids_to_rows([[0], [1, 0]], 3)
    assert _indicator(api, fcx, column, sparse) == expected
    assert _indicator(api, fcx, column, {"aaa": [[0, -1], [1, 0]]}) == expected


def test_identity_with_default_value(api, fcx):
    column = api.feature_column.categorical_column_with_identity(
        "aaa", 4, default_value=3
    )
    feats = {"aaa": fcx.sparse([[0, 0], [1, 0], [1, 1]], [1, -1, 99], [2, 2])}
    # TF: ids (1, 3, 3).
    assert _indicator(api, fcx, column, feats) == _ids_to_rows([[1], [3, 3]], 4)


def test_identity_linear_model(api, fcx):
    column = api.feature_column.categorical_column_with_identity("aaa", 3)
    feats = lambda: {"aaa": fcx.sparse([[0, 0], [1, 0], [1, 1]], [0, 2, 1], [2, 2])}  # noqa: E731
    assert fcx.linear([column], feats).tolist() == [[0.0], [0.0]]
    out = fcx.linear([column], feats, {"aaa": [[1.0], [2.0], [3.0]]})
    assert out.tolist() == [[1.0], [5.0]]


def test_vocabulary_list_defaults(api, fcx):
    fc = api.feature_column
    column = fc.categorical_column_with_vocabulary_list("aaa", WIRE)
    assert (column.name, column.key, column.num_buckets) == ("aaa", "aaa", 3)
    assert fcx.spec(column.parse_example_spec) == {
        "aaa": ("VarLenFeature", None, np.dtype(object), None)
    }
    ints = fc.categorical_column_with_vocabulary_list("aaa", (12, 24, 36))
    assert ints.num_buckets == 3
    assert fcx.spec(ints.parse_example_spec) == {
        "aaa": ("VarLenFeature", None, np.dtype(np.int64), None)
    }


def test_vocabulary_list_key_must_be_a_string(api):
    with pytest.raises(ValueError, match="key must be a string."):
        api.feature_column.categorical_column_with_vocabulary_list(("aaa",), WIRE)


def test_vocabulary_list_all_arguments(api, fcx):
    column = api.feature_column.categorical_column_with_vocabulary_list(
        "aaa", (12, 24, 36), dtype=api.int32, default_value=-99
    )
    for c in (column, copy.deepcopy(column)):
        assert (c.name, c.num_buckets) == ("aaa", 3)


def test_vocabulary_list_int32_parse_spec(api, fcx):
    column = api.feature_column.categorical_column_with_vocabulary_list(
        "aaa", (12, 24, 36), dtype=api.int32, default_value=-99
    )
    assert numpy_dtype(column.dtype) == np.int32
    assert fcx.spec(column.parse_example_spec) == {
        "aaa": ("VarLenFeature", None, np.dtype(np.int32), None)
    }


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"vocabulary_list": WIRE, "dtype": "float32"},
            "dtype must be string or integer",
        ),
        (
            {"vocabulary_list": (12.0, 24.0, 36.0)},
            "vocabulary dtype must be string or integer",
        ),
        (
            {"vocabulary_list": WIRE, "dtype": "int32"},
            "dtype.*and vocabulary dtype.*do not match",
        ),
        (
            {"vocabulary_list": (12, 24, 36), "dtype": "string"},
            "dtype.*and vocabulary dtype.*do not match",
        ),
        ({"vocabulary_list": None}, "vocabulary_list.*must be non-empty"),
        ({"vocabulary_list": ()}, "vocabulary_list.*must be non-empty"),
        ({"vocabulary_list": (12, 24, 12)}, "Duplicate keys"),
        (
            {"vocabulary_list": (12, 24, 36), "num_oov_buckets": -1},
            "Invalid num_oov_buckets",
        ),
        (
            {
                "vocabulary_list": (12, 24, 36),
                "num_oov_buckets": 100,
                "default_value": 2,
            },
            "both num_oov_buckets and default_value",
        ),
    ],
)
def test_vocabulary_list_invalid_arguments(api, kwargs, match):
    if "dtype" in kwargs:
        kwargs["dtype"] = getattr(api, kwargs["dtype"])
    with pytest.raises(ValueError, match=match):
        api.feature_column.categorical_column_with_vocabulary_list("aaa", **kwargs)


@pytest.mark.parametrize(
    ("vocabulary", "values"), [(WIRE, (12, 24, 36)), ((12, 24, 36), WIRE)]
)
def test_vocabulary_list_input_dtype_must_match(api, fcx, vocabulary, values):
    column = api.feature_column.categorical_column_with_vocabulary_list(
        "aaa", vocabulary
    )
    feats = {"aaa": fcx.sparse([[0, 0], [1, 0], [1, 1]], list(values), [2, 2])}
    with pytest.raises(ValueError, match="dtype must be compatible"):
        _indicator(api, fcx, column, feats)


def test_vocabulary_list_parse_example(api, fcx):
    fc = api.feature_column
    a = fc.categorical_column_with_vocabulary_list("aaa", WIRE)
    got = fcx.parse([a], [{"aaa": [b"omar", b"stringer"]}])["aaa"]
    assert got.values.tolist() == [b"omar", b"stringer"]
    b = fc.categorical_column_with_vocabulary_list("aaa", (11, 21, 31))
    got = fcx.parse([b], [{"aaa": [11, 21]}])["aaa"]
    assert (got.indices.tolist(), got.values.tolist()) == ([[0, 0], [0, 1]], [11, 21])


def _wire_input(fcx, values=("marlo", "skywalker", "omar")):
    indices = [[0, 0], [1, 0], [1, 1], [1, 2]][: len(values)]
    return {"aaa": fcx.sparse(indices, list(values), [2, max(2, len(values) - 1)])}


def test_vocabulary_list_ids(api, fcx):
    column = api.feature_column.categorical_column_with_vocabulary_list("aaa", WIRE)
    # TF: ids (2, -1, 0).
    expected = _ids_to_rows([[2], [-1, 0]], 3)
    assert _indicator(api, fcx, column, _wire_input(fcx)) == expected
    dense = {"aaa": [["marlo", ""], ["skywalker", "omar"]]}
    assert _indicator(api, fcx, column, dense) == expected


def test_vocabulary_list_default_value_in_vocabulary(api, fcx):
    column = api.feature_column.categorical_column_with_vocabulary_list(
        "aaa", WIRE, default_value=2
    )
    # TF: ids (2, 2, 0).
    assert _indicator(api, fcx, column, _wire_input(fcx)) == _ids_to_rows(
        [[2], [2, 0]], 3
    )


def test_vocabulary_list_oov_buckets(api, fcx):
    column = api.feature_column.categorical_column_with_vocabulary_list(
        "aaa", WIRE, num_oov_buckets=100
    )
    feats = _wire_input(fcx, ("marlo", "skywalker", "omar", "heisenberg"))
    # TF: ids (2, 33, 0, 62).
    assert _indicator(api, fcx, column, feats) == _ids_to_rows([[2], [33, 0, 62]], 103)


WARRIORS = (30, 35, 11, 23, 22)
_INT_INDICES = [[0, 0], [1, 0], [1, 1], [2, 2]]


def test_vocabulary_list_int32(api, fcx):
    column = api.feature_column.categorical_column_with_vocabulary_list(
        "aaa", np.array(WARRIORS, np.int32), dtype=api.int32
    )
    feats = {"aaa": fcx.sparse(_INT_INDICES, [11, 100, 30, 22], [3, 3], np.int32)}
    # TF: ids (2, -1, 0, 4).
    assert _indicator(api, fcx, column, feats) == _ids_to_rows([[2], [-1, 0], [4]], 5)


def test_vocabulary_list_int32_dense_input(api, fcx):
    column = api.feature_column.categorical_column_with_vocabulary_list(
        "aaa", np.array(WARRIORS, np.int32), dtype=api.int32, default_value=-100
    )
    dense = np.array([[11, -1, -1], [100, 30, -1], [-1, -1, 22]], np.int32)
    # TF: ids (2, -100, 0, 4).
    assert _indicator(api, fcx, column, {"aaa": dense}) == _ids_to_rows(
        [[2], [-100, 0], [4]], 5
    )


def test_vocabulary_list_int32_oov_buckets(api, fcx):
    column = api.feature_column.categorical_column_with_vocabulary_list(
        "aaa", np.array(WARRIORS, np.int32), dtype=api.int32, num_oov_buckets=100
    )
    feats = {"aaa": fcx.sparse(_INT_INDICES, [11, 100, 30, 22], [3, 3])}
    # TF: ids (2, 60, 0, 4).
    assert _indicator(api, fcx, column, feats) == _ids_to_rows([[2], [60, 0], [4]], 105)


def test_vocabulary_list_linear_model(api, fcx):
    column = api.feature_column.categorical_column_with_vocabulary_list(
        "aaa", WIRE, num_oov_buckets=1
    )
    assert column.num_buckets == 4
    feats = lambda: _wire_input(fcx)  # noqa: E731
    # 'marlo' -> 2; 'skywalker' -> 3 (the OOV bucket), 'omar' -> 0.
    out = fcx.linear([column], feats, {"aaa": [[1.0], [2.0], [3.0], [4.0]]})
    assert out.tolist() == [[3.0], [5.0]]
