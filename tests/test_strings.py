"""pl.strings against TensorFlow's golden hashes, in every input form."""

from __future__ import annotations

import base64

import numpy as np
import pyarrow as pa
import pytest
from support import load_fixture_json

import pipeline as pl
from pipeline.errors import InvalidArgumentError


@pytest.fixture(scope="module")
def hashes():
    data = load_fixture_json("hashing", "string_hashes.json")
    data["bytes"] = [base64.b64decode(i["b64"]) for i in data["inputs"]]
    return data


def test_fingerprint64_object_array(hashes):
    arr = np.array(hashes["bytes"], dtype=object)
    got = pl.strings.fingerprint64(arr)
    assert got.dtype == np.uint64
    assert got.tolist() == hashes["fingerprint64"]["values"]


def test_fingerprint64_keeps_shape_and_accepts_str(hashes):
    texts = [i["utf8"] for i in hashes["inputs"] if i["utf8"] is not None][:12]
    expected = [
        v
        for i, v in zip(hashes["inputs"], hashes["fingerprint64"]["values"])
        if i["utf8"] is not None
    ][:12]
    got = pl.strings.fingerprint64(np.array(texts, dtype=object).reshape(3, 4))
    assert got.shape == (3, 4)
    assert got.ravel().tolist() == expected
    assert pl.strings.fingerprint64(texts).tolist() == expected  # a plain list
    assert int(pl.strings.fingerprint64(texts[3])) == expected[3]  # a scalar


def test_fingerprint_bytes_are_little_endian(hashes):
    got = pl.strings.fingerprint(np.array(hashes["bytes"], dtype=object))
    assert [row.tobytes().hex() for row in got] == hashes["fingerprint64"]["bytes_hex"]


@pytest.mark.parametrize("arrow_type", [pa.binary(), pa.large_binary()])
def test_arrow_binary_arrays(hashes, arrow_type):
    arr = pa.array(hashes["bytes"], type=arrow_type)
    assert pl.strings.fingerprint64(arr).tolist() == hashes["fingerprint64"]["values"]
    sliced = arr.slice(5, 20)
    expected = hashes["fingerprint64"]["values"][5:25]
    assert pl.strings.fingerprint64(sliced).tolist() == expected


def test_arrow_string_and_chunked_arrays(hashes):
    pairs = [
        (i["utf8"], v)
        for i, v in zip(hashes["inputs"], hashes["fingerprint64"]["values"])
        if i["utf8"] is not None
    ]
    texts, expected = [p[0] for p in pairs], [p[1] for p in pairs]
    chunked = pa.chunked_array([texts[:10], texts[10:]], type=pa.string())
    assert pl.strings.fingerprint64(chunked).tolist() == expected
    large = pa.array(texts, type=pa.large_string())
    assert pl.strings.fingerprint64(large).tolist() == expected


def test_arrow_nulls_are_rejected():
    with pytest.raises(InvalidArgumentError, match="null"):
        pl.strings.fingerprint64(pa.array(["a", None]))


def test_to_hash_bucket_fast(hashes):
    arr = np.array(hashes["bytes"], dtype=object)
    for res in hashes["to_hash_bucket_fast"]["results"]:
        got = pl.strings.to_hash_bucket_fast(arr, res["num_buckets"])
        assert got.dtype == np.int64
        assert got.tolist() == res["values"], res["num_buckets"]


def test_to_hash_bucket_strong(hashes):
    arr = np.array(hashes["bytes"], dtype=object)
    for res in hashes["to_hash_bucket_strong"]["results"]:
        got = pl.strings.to_hash_bucket_strong(arr, res["num_buckets"], res["key"])
        assert got.tolist() == res["values"]
        arrow = pa.array(hashes["bytes"], type=pa.binary())
        got = pl.strings.to_hash_bucket_strong(arrow, res["num_buckets"], res["key"])
        assert got.tolist() == res["values"]


def test_to_hash_bucket_legacy(hashes):
    for res in hashes["to_hash_bucket_legacy"]["results"]:
        got = pl.strings.to_hash_bucket(hashes["bytes"], res["num_buckets"])
        assert got.tolist() == res["values"]


def test_bad_arguments():
    with pytest.raises(InvalidArgumentError, match="num_buckets"):
        pl.strings.to_hash_bucket_fast(["a"], 0)
    with pytest.raises(InvalidArgumentError, match="key"):
        pl.strings.to_hash_bucket_strong(["a"], 10, key=[1])
    with pytest.raises(TypeError, match="float64"):
        pl.strings.fingerprint64(np.array([1.0]))
    with pytest.raises(TypeError, match="index 1"):
        pl.strings.fingerprint64(np.array([b"a", 3], dtype=object))


def test_numpy_unicode_and_bytes_dtypes(hashes):
    expected = pl.strings.fingerprint64([b"abc", "\u00e9".encode()]).tolist()
    assert pl.strings.fingerprint64(np.array(["abc", "\u00e9"])).tolist() == expected
    assert pl.strings.fingerprint64(np.array([b"abc"])).tolist() == expected[:1]
