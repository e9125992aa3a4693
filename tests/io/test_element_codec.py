"""Elements as bytes and specs as JSON: round trips, and damaged input rejected."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from testing_state import leaves_equal

from pipeline.errors import DataLossError
from pipeline.io.element_codec import (
    decode_element,
    encode_element,
    spec_from_json,
    spec_of,
    spec_to_json,
)
from pipeline.ragged import RaggedTensor, RaggedTensorSpec
from pipeline.types import SparseTensor, SparseTensorSpec, TensorSpec

_DTYPES = st.sampled_from(
    [np.bool_, np.int8, np.int32, np.int64, np.uint16, np.float32, np.float64]
)


def _strings(shape):
    out = np.empty(shape, dtype=object)
    for i, idx in enumerate(np.ndindex(*shape)):
        out[idx] = b"x\x00" * (i % 3)
    return out


@given(hnp.arrays(_DTYPES, hnp.array_shapes(min_dims=0, max_dims=4, min_side=0)))
def test_numeric_arrays_round_trip(arr):
    elem = arr[()] if arr.ndim == 0 else arr
    back = decode_element(encode_element(elem), spec_of(elem))
    assert leaves_equal(back, elem)


def test_structures_strings_sparse_and_ragged_round_trip():
    elem = (
        np.int64(3),
        {
            "s": b"a\x00",
            "m": _strings((2, 3)),
            "sp": SparseTensor([[0, 1]], np.array([7.5], np.float32), [2, 3]),
            "rt": RaggedTensor.from_row_splits(np.arange(4), [0, 3, 3, 4]),
        },
    )
    back = decode_element(encode_element(elem), spec_of(elem))
    assert back[0] == 3 and back[1]["s"] == b"a\x00"
    assert back[1]["m"].tolist() == elem[1]["m"].tolist()
    assert back[1]["sp"] == elem[1]["sp"]
    assert back[1]["rt"].to_list() == [[0, 1, 2], [], [3]]


def test_specs_round_trip_through_json():
    spec = (
        TensorSpec((None, 3), np.float32),
        {"s": TensorSpec((), object), 1: TensorSpec(None, np.int64)},
        RaggedTensorSpec([None, None], np.int32, 1, np.int32),
    )
    text = json.dumps(spec_to_json(spec))
    back = spec_from_json(json.loads(text))
    assert back[0] == spec[0] and back[1] == spec[1]
    assert (back[2].shape, back[2].dtype, back[2].row_splits_dtype) == (
        (None, None),
        np.dtype(np.int32),
        np.dtype(np.int32),
    )


@pytest.mark.parametrize(
    "bad",
    [
        [1, 2],
        {"shape": [2], "dtype": "object"},
        {"shape": [-1], "dtype": "int64"},
        {"shape": "2", "dtype": "int64"},
        {"dict": [["k"]]},
        {"dict": [[[1], {"shape": [], "dtype": "int64"}]]},
        {"shape": [], "dtype": "int64", "ragged_rank": "1"},
        {"shape": [], "dtype": "builtins.eval"},
    ],
)
def test_malformed_specs_are_data_loss(bad):
    with pytest.raises(DataLossError, match="bad"):
        spec_from_json(bad)


def test_values_that_are_not_data_cannot_be_saved():
    with pytest.raises(TypeError, match="Can't save"):
        encode_element(object())
    with pytest.raises(TypeError, match="Can't save"):
        encode_element(len)
    with pytest.raises(TypeError, match="Can't save a string tensor holding int"):
        encode_element(np.array([b"a", 1], dtype=object))


def test_truncated_records_raise_at_every_cut():
    elem = (np.arange(6, dtype=np.int32).reshape(2, 3), _strings((3,)), b"tail")
    data, spec = encode_element(elem), spec_of(elem)
    for cut in range(len(data)):
        with pytest.raises(DataLossError, match="record ends early|bad leaf"):
            decode_element(data[:cut], spec)


def test_extra_bytes_bad_tags_and_bad_dtype_codes_raise():
    spec = TensorSpec((), np.int64)
    data = encode_element(np.int64(5))
    with pytest.raises(DataLossError, match="bytes after its 1 leaves"):
        decode_element(data + b"\x00", spec)
    with pytest.raises(DataLossError, match="bad leaf tag"):
        decode_element(b"P" + data[1:], spec)
    with pytest.raises(DataLossError, match="bad leaf header: dtype code 200"):
        decode_element(b"D" + bytes([200]) + data[2:], spec)


@given(st.binary(max_size=64))
def test_arbitrary_bytes_decode_or_raise_data_loss(blob):
    spec = (TensorSpec(None, np.int64), TensorSpec(None, object))
    try:
        decode_element(blob, spec)
    except DataLossError:
        pass


def test_a_sparse_spec_stays_sparse_through_json():
    spec = {"s": SparseTensorSpec((None, 4), np.float32)}
    back = spec_from_json(json.loads(json.dumps(spec_to_json(spec))))
    assert isinstance(back["s"], SparseTensorSpec) and back == spec
