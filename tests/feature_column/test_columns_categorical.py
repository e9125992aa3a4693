"""Vocabulary, identity and hash columns: arguments, errors, inputs, configs."""

from __future__ import annotations

import json

import numpy as np
import pytest

import pipeline as pl
from pipeline.errors import FailedPreconditionError, InvalidArgumentError

fc = pl.feature_column


def ids_of(column, value):
    r = fc.transform_ids(column, {column.key: value})
    return [r.values[a:b].tolist() for a, b in zip(r.splits, r.splits[1:])]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"vocabulary_list": []}, "non-empty"),
        ({"vocabulary_list": ["a", "a"]}, "Duplicate keys"),
        ({"vocabulary_list": ["a"], "dtype": np.int64}, "do not match"),  # TF's
        ({"vocabulary_list": [1], "dtype": "string"}, "do not match"),
        ({"vocabulary_list": ["a"], "num_oov_buckets": -1}, "num_oov_buckets"),
        ({"vocabulary_list": ["a"], "num_oov_buckets": 2, "default_value": 0}, "both"),
        ({"vocabulary_list": ["a"], "dtype": np.float32}, "string or integer"),
    ],
)
def test_vocabulary_list_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        fc.categorical_column_with_vocabulary_list("k", **kwargs)


def test_vocabulary_list_inputs_dense_sparse_ragged_str():
    col = fc.categorical_column_with_vocabulary_list("k", ["a", "b", "c"])
    assert ids_of(col, np.array([[b"a", b""], [b"z", b"c"]], dtype=object)) == [
        [0],
        [-1, 2],
    ]
    assert ids_of(col, [["a", "b", "c"], [], ["b"]]) == [[0, 1, 2], [], [1]]  # ragged
    assert ids_of(col, np.array(["b", "a"])) == [[1], [0]]  # numpy unicode, 1-D
    sparse = pl.SparseTensor(
        [[0, 1], [2, 0]], np.array([b"c", b""], dtype=object), [3, 2]
    )
    assert ids_of(col, sparse) == [[2], [], [-1]]  # sparse "" is a value, not missing


def test_vocabulary_int_and_int32_input():
    col = fc.categorical_column_with_vocabulary_list("k", [10, 20], default_value=0)
    assert col.dtype == np.int64
    assert ids_of(col, np.array([[20], [-1], [7]], np.int32)) == [[1], [], [0]]
    with pytest.raises(ValueError, match="compatible"):
        ids_of(col, np.array([[b"x"]], dtype=object))
    strings = fc.categorical_column_with_vocabulary_list("k", ["x"])
    with pytest.raises(ValueError, match="compatible"):
        ids_of(strings, np.array([[1]]))


def test_vocabulary_file_reading(tmp_path):
    path = tmp_path / "v.txt"
    path.write_bytes(b"a\r\n b\nc")
    col = fc.categorical_column_with_vocabulary_file("k", str(path))
    assert col.vocabulary_size == 3 and col.num_buckets == 3
    assert ids_of(col, [[b"a", b" b", b"c", b"b"]]) == [[0, 1, 2, -1]]
    first = fc.categorical_column_with_vocabulary_file(
        "k", str(path), 1, default_value=0
    )
    assert ids_of(first, [[b"c", b"a"]]) == [[0, 0]]
    oov = fc.categorical_column_with_vocabulary_file("k", str(path), num_oov_buckets=2)
    assert oov.num_buckets == 5 and ids_of(oov, [[b"zz"]])[0][0] in (3, 4)


def test_vocabulary_file_errors(tmp_path):
    with pytest.raises(ValueError, match="Missing vocabulary_file"):
        fc.categorical_column_with_vocabulary_file("k", "")
    with pytest.raises(ValueError, match="does not exist"):
        fc.categorical_column_with_vocabulary_file("k", str(tmp_path / "none.txt"))
    dup = tmp_path / "dup.txt"
    dup.write_text("a\nb\na\n")
    col = fc.categorical_column_with_vocabulary_file("k", str(dup))
    with pytest.raises(
        FailedPreconditionError, match="duplicate entry b'a' on lines 1 and 3"
    ):
        ids_of(col, [[b"a"]])
    empty = tmp_path / "empty_line.txt"
    empty.write_text("a\n\nb\n")
    col = fc.categorical_column_with_vocabulary_file("k", str(empty))
    with pytest.raises(InvalidArgumentError, match="empty line 2"):
        ids_of(col, [[b"a"]])
    short = fc.categorical_column_with_vocabulary_file("k", str(dup), vocabulary_size=9)
    with pytest.raises(InvalidArgumentError, match="vocab_size"):
        ids_of(short, [[b"a"]])


def test_vocabulary_file_of_integers(tmp_path):
    path = tmp_path / "ints.txt"
    path.write_text("5\n-3\n")
    col = fc.categorical_column_with_vocabulary_file("k", str(path), dtype=np.int64)
    assert ids_of(col, np.array([[-3], [5], [4]])) == [[1], [0], [-1]]


def test_identity():
    with pytest.raises(ValueError, match="num_buckets"):
        fc.categorical_column_with_identity("k", 0)
    with pytest.raises(ValueError, match="default_value"):
        fc.categorical_column_with_identity("k", 3, default_value=3)
    col = fc.categorical_column_with_identity("k", 3, default_value=2)
    assert ids_of(col, np.array([[0], [-1], [-2], [5]])) == [[0], [], [2], [2]]
    raw = fc.categorical_column_with_identity("k", 3)
    assert ids_of(raw, np.array([[5]])) == [[5]]
    with pytest.raises(ValueError, match="not integer|compatible"):
        ids_of(raw, np.array([[1.5]]))


def test_hash_bucket_matches_strings_module():
    with pytest.raises(ValueError, match="at least 1"):
        fc.categorical_column_with_hash_bucket("k", 0)
    with pytest.raises(ValueError, match="string or integer"):
        fc.categorical_column_with_hash_bucket("k", 5, dtype=np.float32)
    col = fc.categorical_column_with_hash_bucket("k", 100)
    words = [b"x", b"hello", "\u00e9".encode()]
    got = ids_of(col, np.array([[w] for w in words], dtype=object))
    assert [g[0] for g in got] == pl.strings.to_hash_bucket_fast(words, 100).tolist()
    ints = fc.categorical_column_with_hash_bucket("k", 100, dtype=np.int64)
    assert ids_of(ints, np.array([[42]])) == [
        pl.strings.to_hash_bucket_fast(["42"], 100).tolist()
    ]


@pytest.mark.parametrize(
    "column",
    [
        fc.categorical_column_with_vocabulary_list("k", ["a", "b"], num_oov_buckets=2),
        fc.categorical_column_with_vocabulary_list("k", [3, 1], default_value=1),
        fc.categorical_column_with_identity("k", 4, 1),
        fc.categorical_column_with_hash_bucket("k", 7, np.int64),
    ],
)
def test_config_round_trip_through_json(column):
    config = json.loads(json.dumps(fc.serialize_feature_column(column)))
    again = fc.deserialize_feature_column(config)
    assert again == column and again.name == column.name
    assert again.num_buckets == column.num_buckets


def test_vocabulary_file_config_round_trip(tmp_path):
    path = tmp_path / "v.txt"
    path.write_text("a\nb\n")
    col = fc.categorical_column_with_vocabulary_file("k", str(path), num_oov_buckets=1)
    config = json.loads(json.dumps(fc.serialize_feature_column(col)))
    assert fc.deserialize_feature_column(config) == col
