"""Cases of tensorflow/python/feature_column/feature_column_v2_test.py:
VocabularyFileCategoricalColumnTest and VocabularyTfrecordGzipFileCategoricalColumnTest
(the files are written here with the entries TF's testdata holds: wire and
warriors vocabularies, as text and as GZIP TFRecord files).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

WIRE_SIZE, WARRIORS_SIZE = 3, 5
_INT_INDICES = [[0, 0], [1, 0], [1, 1], [2, 2]]


class Vocabularies:
    """TF's two vocabulary files in one format, and that format's size error."""

    def __init__(self, api, tmp_path, file_format):
        self.api, self.tmp_path, self.file_format = api, tmp_path, file_format
        self.wire = self._write("wire_vocabulary", ["omar", "stringer", "marlo"])
        self.warriors = self._write(
            "warriors_vocabulary", ["30", "35", "11", "23", "22"]
        )
        if file_format is None:
            self.size_error = (api.errors.InvalidArgumentError, "Invalid vocab_size")
        else:
            self.size_error = (
                api.errors.FailedPreconditionError,
                "Input dataset was expected to contain 4 elements",
            )

    def _write(self, stem, entries):
        if self.file_format is None:
            path = self.tmp_path / f"{stem}.txt"
            path.write_text("".join(e + "\n" for e in entries))
            return str(path)
        path = str(self.tmp_path / f"{stem}.tfrecord.gz")
        options = self.api.io.TFRecordOptions(compression_type="GZIP")
        with self.api.io.TFRecordWriter(path, options) as writer:
            for entry in entries:
                writer.write(entry.encode())
        return path


@pytest.fixture(params=[None, "tfrecord_gzip"], ids=["text", "tfrecord_gzip"])
def vocab(request, api, tmp_path):
    """VocabularyFileCategoricalColumnTest, then its TFRecord-GZIP subclass."""
    return Vocabularies(api, tmp_path, request.param)


@pytest.fixture
def wire(vocab):
    return vocab.wire


@pytest.fixture
def warriors(vocab):
    return vocab.warriors


def _rows(rows: list[list[int]], depth: int) -> list[list[float]]:
    out = np.zeros((len(rows), depth))
    for r, ids in enumerate(rows):
        for i in ids:
            if 0 <= i < depth:
                out[r, i] += 1.0
    return out.tolist()


def _indicator(api, fcx, column, features):
    return fcx.dense([api.feature_column.indicator_column(column)], features).tolist()


def _wire_input(fcx, values=("marlo", "skywalker", "omar")):
    indices = [[0, 0], [1, 0], [1, 1], [1, 2]][: len(values)]
    return {"aaa": fcx.sparse(indices, list(values), [2, max(2, len(values) - 1)])}


def _column(api, path, **kwargs):
    return api.feature_column.categorical_column_with_vocabulary_file(
        key="aaa", vocabulary_file=path, **kwargs
    )


def test_defaults(api, fcx):
    column = _column(api, "path_to_file", vocabulary_size=3)
    assert (column.name, column.key, column.num_buckets) == ("aaa", "aaa", 3)
    assert fcx.spec(column.parse_example_spec) == {
        "aaa": ("VarLenFeature", None, np.dtype(object), None)
    }


def test_unicode_vocabulary(api, fcx, vocab):
    # TF's unicode_vocabulary holds 165 non-ASCII entries; ours are CJK ones.
    entries = [chr(0x4E00 + 7 * i) + "\u00e9" for i in range(165)]
    path = vocab._write("unicode_vocabulary", entries)
    column = api.feature_column.categorical_column_with_vocabulary_file(
        key="aaa", vocabulary_file=path
    )
    assert (column.name, column.key, column.num_buckets) == ("aaa", "aaa", 165)
    assert fcx.spec(column.parse_example_spec) == {
        "aaa": ("VarLenFeature", None, np.dtype(object), None)
    }
    feats = {"aaa": [[entries[164], ""], [entries[0], "x"]]}
    assert _indicator(api, fcx, column, feats) == _rows([[164], [0]], 165)


def test_key_must_be_a_string(api):
    with pytest.raises(ValueError, match="key must be a string."):
        api.feature_column.categorical_column_with_vocabulary_file(
            key=("aaa",), vocabulary_file="path_to_file", vocabulary_size=3
        )


def test_all_constructor_args(api, fcx):
    column = _column(
        api, "path_to_file", vocabulary_size=3, num_oov_buckets=4, dtype=api.int32
    )
    for c in (column, copy.deepcopy(column)):
        assert (c.name, c.num_buckets) == ("aaa", 7)


def test_int32_parse_spec(api, fcx):
    column = _column(
        api, "path_to_file", vocabulary_size=3, num_oov_buckets=4, dtype=api.int32
    )
    assert fcx.spec(column.parse_example_spec) == {
        "aaa": ("VarLenFeature", None, np.dtype(np.int32), None)
    }


@pytest.mark.parametrize("path", [None, ""])
def test_vocabulary_file_missing(api, path):
    with pytest.raises(ValueError, match="Missing vocabulary_file"):
        _column(api, path, vocabulary_size=3)


def test_vocabulary_file_not_found(api, fcx):
    column = _column(api, "file_does_not_exist", vocabulary_size=10)
    with pytest.raises(api.errors.NotFoundError, match="file_does_not_exist"):
        _indicator(api, fcx, column, _wire_input(fcx))


@pytest.mark.parametrize("size", [-1, 0])
def test_invalid_vocabulary_size(api, wire, size):
    with pytest.raises(ValueError, match="Invalid vocabulary_size"):
        _column(api, wire, vocabulary_size=size)


def test_vocabulary_size_beyond_the_file(api, fcx, vocab):
    column = _column(api, vocab.wire, vocabulary_size=WIRE_SIZE + 1)
    error, match = vocab.size_error
    with pytest.raises(error, match=match):
        _indicator(api, fcx, column, _wire_input(fcx))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"num_oov_buckets": -1}, "Invalid num_oov_buckets"),
        ({"dtype": "float64"}, "dtype must be string or integer"),
        ({"num_oov_buckets": 100, "default_value": 2}, "both num_oov_buckets and"),
    ],
)
def test_invalid_arguments(api, kwargs, match):
    if "dtype" in kwargs:
        kwargs["dtype"] = api.float64
    with pytest.raises(ValueError, match=match):
        _column(api, "path", vocabulary_size=3, **kwargs)


def test_input_dtype_must_match(api, fcx, wire, warriors):
    column = _column(api, wire, vocabulary_size=WIRE_SIZE)
    ints = {"aaa": fcx.sparse([[0, 0], [1, 0], [1, 1]], [12, 24, 36], [2, 2])}
    with pytest.raises(ValueError, match="dtype must be compatible"):
        _indicator(api, fcx, column, ints)
    column = _column(api, warriors, vocabulary_size=WARRIORS_SIZE, dtype=api.int32)
    with pytest.raises(ValueError, match="dtype must be compatible"):
        _indicator(api, fcx, column, _wire_input(fcx, ("omar", "stringer", "marlo")))


def test_parse_example(api, fcx):
    column = _column(api, "path_to_file", vocabulary_size=3)
    got = fcx.parse([column], [{"aaa": [b"omar", b"stringer"]}])["aaa"]
    assert got.indices.tolist() == [[0, 0], [0, 1]]
    assert got.values.tolist() == [b"omar", b"stringer"]


@pytest.mark.parametrize("size", [WIRE_SIZE, None])
def test_ids(api, fcx, wire, size):
    column = _column(api, wire, vocabulary_size=size)
    # TF: ids (2, -1, 0).
    expected = _rows([[2], [-1, 0]], 3)
    assert _indicator(api, fcx, column, _wire_input(fcx)) == expected
    dense = {"aaa": [["marlo", ""], ["skywalker", "omar"]]}
    assert _indicator(api, fcx, column, dense) == expected


def test_default_value_in_vocabulary(api, fcx, wire):
    column = _column(api, wire, vocabulary_size=WIRE_SIZE, default_value=2)
    # TF: ids (2, 2, 0).
    assert _indicator(api, fcx, column, _wire_input(fcx)) == _rows([[2], [2, 0]], 3)


def test_oov_buckets(api, fcx, wire):
    column = _column(api, wire, vocabulary_size=WIRE_SIZE, num_oov_buckets=100)
    feats = _wire_input(fcx, ("marlo", "skywalker", "omar", "heisenberg"))
    # TF: ids (2, 33, 0, 62).
    assert _indicator(api, fcx, column, feats) == _rows([[2], [33, 0, 62]], 103)


def test_small_vocabulary_size(api, fcx, wire):
    column = _column(api, wire, vocabulary_size=WIRE_SIZE - 1)
    # 'marlo' is the last line: out of the vocabulary. TF: ids (-1, -1, 0).
    assert _indicator(api, fcx, column, _wire_input(fcx)) == _rows([[-1], [-1, 0]], 2)


def test_int32(api, fcx, warriors):
    column = _column(api, warriors, vocabulary_size=WARRIORS_SIZE, dtype=api.int32)
    feats = {"aaa": fcx.sparse(_INT_INDICES, [11, 100, 30, 22], [3, 3])}
    # TF: ids (2, -1, 0, 4).
    assert _indicator(api, fcx, column, feats) == _rows([[2], [-1, 0], [4]], 5)


def test_int32_dense_input(api, fcx, warriors):
    column = _column(
        api,
        warriors,
        vocabulary_size=WARRIORS_SIZE,
        dtype=api.int32,
        default_value=-100,
    )
    dense = {"aaa": [[11, -1, -1], [100, 30, -1], [-1, -1, 22]]}
    # TF: ids (2, -100, 0, 4).
    assert _indicator(api, fcx, column, dense) == _rows([[2], [-100, 0], [4]], 5)


def test_int32_oov_buckets(api, fcx, warriors):
    column = _column(
        api,
        warriors,
        vocabulary_size=WARRIORS_SIZE,
        dtype=api.int32,
        num_oov_buckets=100,
    )
    feats = {"aaa": fcx.sparse(_INT_INDICES, [11, 100, 30, 22], [3, 3])}
    # TF: ids (2, 60, 0, 4).
    assert _indicator(api, fcx, column, feats) == _rows([[2], [60, 0], [4]], 105)


def test_linear_model(api, fcx, wire):
    column = api.feature_column.categorical_column_with_vocabulary_file(
        key="wire", vocabulary_file=wire, vocabulary_size=WIRE_SIZE, num_oov_buckets=1
    )
    assert column.num_buckets == 4

    def feats():
        return {
            "wire": fcx.sparse(
                [[0, 0], [1, 0], [1, 1]], ["marlo", "skywalker", "omar"], [2, 2]
            )
        }

    assert fcx.linear([column], feats).tolist() == [[0.0], [0.0]]
    # 'marlo' -> 2; 'skywalker' -> 3 (OOV), 'omar' -> 0.
    out = fcx.linear([column], feats, {"wire": [[1.0], [2.0], [3.0], [4.0]]})
    assert out.tolist() == [[3.0], [5.0]]


def test_config(api, vocab):
    column = api.feature_column.categorical_column_with_vocabulary_file(
        key="wire",
        vocabulary_file=vocab.wire,
        vocabulary_size=WIRE_SIZE,
        num_oov_buckets=1,
    )
    assert column.parents == ["wire"]
    assert column.get_config() == {
        "default_value": -1,
        "dtype": "string",
        "key": "wire",
        "num_oov_buckets": 1,
        "vocabulary_file": vocab.wire,
        "vocabulary_size": 3,
        "file_format": vocab.file_format,
    }
    assert type(column).from_config(column.get_config()) == column
