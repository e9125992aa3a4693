"""Compiled hashing kernels vs their reference twin, fixtures, and pyfarmhash."""

from __future__ import annotations

import base64
import importlib

import farmhash
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import load_fixture_json

from pipeline import _kernels

ref = _kernels.reference("farmhash")
nat = importlib.import_module("pipeline._native.farmhash")
IMPLS = [ref] + [nat]
U64 = st.integers(0, 2**64 - 1)


def _fixture():
    data = load_fixture_json("hashing", "string_hashes.json")
    inputs = [base64.b64decode(i["b64"]) for i in data["inputs"]]
    return data, inputs


def _packed(strings):
    data = np.frombuffer(b"".join(strings), dtype=np.uint8)
    offsets = np.concatenate([[0], np.cumsum([len(s) for s in strings])])
    return data, offsets.astype(np.int64)


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__)
def test_fingerprint64_matches_tensorflow(impl):
    data, inputs = _fixture()
    expected = data["fingerprint64"]["values"]
    assert impl.fingerprint64_objects(inputs).tolist() == expected
    assert impl.fingerprint64_packed(*_packed(inputs)).tolist() == expected
    assert [impl.fingerprint64(s) for s in inputs] == expected
    # bytes_hex is the little-endian encoding of the same values
    hexes = [v.to_bytes(8, "little").hex() for v in expected]
    assert hexes == data["fingerprint64"]["bytes_hex"]


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__)
def test_siphash_and_legacy_match_tensorflow(impl):
    data, inputs = _fixture()
    for res in data["to_hash_bucket_strong"]["results"]:
        k0, k1 = res["key"]
        got = impl.siphash24_objects(k0, k1, inputs) % np.uint64(res["num_buckets"])
        assert got.tolist() == res["values"]
        got = impl.siphash24_packed(k0, k1, *_packed(inputs))
        assert (got % np.uint64(res["num_buckets"])).tolist() == res["values"]
    for res in data["to_hash_bucket_legacy"]["results"]:
        got = impl.legacy_hash64_objects(inputs) % np.uint64(res["num_buckets"])
        assert got.tolist() == res["values"]


def test_siphash_reference_vector():
    # The SipHash paper's test vector: key 00..0f, message 00..0e.
    k0 = int.from_bytes(bytes(range(8)), "little")
    k1 = int.from_bytes(bytes(range(8, 16)), "little")
    assert ref.siphash24(k0, k1, bytes(range(15))) == 0xA129CA6149BE45E5


def test_reference_matches_pyfarmhash_oracle():
    for n in list(range(0, 130)) + [255, 256, 257, 1000]:
        s = bytes((i * 37 + n) % 256 for i in range(n))
        assert ref.fingerprint64(s) == farmhash.fingerprint64(s), n


@pytest.mark.native
@given(st.lists(st.binary(max_size=300), max_size=20))
def test_native_matches_reference_on_random_bytes(strings):
    assert nat.fingerprint64_objects(strings).tolist() == [
        ref.fingerprint64(s) for s in strings
    ]
    assert nat.legacy_hash64_objects(strings).tolist() == [
        ref.legacy_hash64(s) for s in strings
    ]
    packed = _packed(strings)
    assert (
        nat.fingerprint64_packed(*packed).tolist()
        == ref.fingerprint64_packed(*packed).tolist()
    )


@pytest.mark.native
@given(st.lists(st.text(max_size=40), max_size=10), U64, U64)
def test_native_str_hashes_as_utf8(texts, k0, k1):
    raw = [t.encode("utf-8") for t in texts]
    assert nat.fingerprint64_objects(texts).tolist() == [
        ref.fingerprint64(b) for b in raw
    ]
    assert nat.siphash24_objects(k0, k1, texts).tolist() == [
        ref.siphash24(k0, k1, b) for b in raw
    ]


@pytest.mark.native
@given(U64, U64)
def test_native_cat64_matches_reference(a, b):
    assert nat.fingerprint_cat64(a, b) == ref.fingerprint_cat64(a, b)


@pytest.mark.native
@given(st.lists(st.integers(-(2**63), 2**63 - 1), max_size=20))
def test_native_int64_decimal_fingerprints(ints):
    expected = [ref.fingerprint64(str(v).encode()) for v in ints]
    assert nat.fingerprint64_int64(np.array(ints, np.int64)).tolist() == expected
    assert ref.fingerprint64_int64(np.array(ints, np.int64)).tolist() == expected


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("bad", [1, None, 2.5, ["x"]])
def test_non_string_element_is_type_error_naming_index(impl, bad):
    with pytest.raises(TypeError, match="index 1"):
        impl.fingerprint64_objects([b"a", bad])


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__)
@given(st.binary(min_size=1, max_size=50), st.data())
def test_corrupt_offsets_raise_same_error(impl, data, draw):
    n = len(data)
    offsets = draw.draw(st.lists(st.integers(-2, n + 3), min_size=2, max_size=6))
    ok = all(0 <= a <= b <= n for a, b in zip(offsets, offsets[1:]))
    buf = np.frombuffer(data, np.uint8)
    if ok:
        assert impl.fingerprint64_packed(buf, offsets).tolist() == [
            ref.fingerprint64(data[a:b]) for a, b in zip(offsets, offsets[1:])
        ]
    else:
        with pytest.raises(ValueError, match="bad offsets at index"):
            impl.fingerprint64_packed(buf, offsets)


@pytest.mark.native
@given(
    st.lists(st.binary(max_size=40), max_size=20), st.integers(1, 2**63 - 1), U64, U64
)
def test_native_buckets_match_reference(strings, buckets, k0, k1):
    arr = np.array(strings + [b""], dtype=object)
    for fn in ("fingerprint64_objects", "legacy_hash64_objects"):
        got = getattr(nat, fn)(arr, buckets)
        assert got.dtype == np.int64
        assert got.tolist() == getattr(ref, fn)(arr, buckets).tolist()
    assert (
        nat.siphash24_objects(k0, k1, arr, buckets).tolist()
        == ref.siphash24_objects(k0, k1, arr, buckets).tolist()
    )
    packed = _packed(list(arr))
    assert (
        nat.fingerprint64_packed(*packed, buckets).tolist()
        == ref.fingerprint64_packed(*packed, buckets).tolist()
    )


@pytest.mark.native
def test_native_reads_strided_and_2d_object_arrays():
    arr = np.array([b"a", b"bb", b"ccc", b"dddd"], dtype=object)
    assert nat.fingerprint64_objects(arr[::2]).tolist() == [
        ref.fingerprint64(b"a"),
        ref.fingerprint64(b"ccc"),
    ]
    for impl in (nat, ref):  # a 2-D array is a sequence of rows, not of strings
        with pytest.raises(TypeError, match="index 0, got ndarray"):
            impl.fingerprint64_objects(arr.reshape(2, 2))
