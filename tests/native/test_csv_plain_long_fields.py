"""Fields of thousands of digits: the CSV kernel, its twin and decode_csv agree.

Python's ``int()`` refuses text of over 4300 digits; neither the reference
twin nor the exact rules may let that ``ValueError`` out. Every such field
gets TF's error (``not a valid int32``) or its correctly rounded value, the
same with the compiled kernel and the twin.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import _kernels
from pipeline.errors import InvalidArgumentError
from pipeline.io import decode_csv

ref = _kernels.reference("csv_plain")
nat = importlib.import_module("pipeline._native.csv_plain")
pytestmark = pytest.mark.native

DEFAULTS = {ref.KIND_INT32: 0, ref.KIND_INT64: 0, ref.KIND_FLOAT32: 0.0,
            ref.KIND_FLOAT64: 0.0}  # fmt: skip
RECORD_DEFAULTS = {
    ref.KIND_INT32: [np.array([0], np.int32)],
    ref.KIND_INT64: [np.array([0], np.int64)],
    ref.KIND_FLOAT32: [np.array([0], np.float32)],
    ref.KIND_FLOAT64: [np.array([0], np.float64)],
}


@st.composite
def long_numbers(draw) -> bytes:
    """Digit runs of up to 6000 digits with long runs of zeros where they count."""
    sign = draw(st.sampled_from([b"", b"-", b"+"]))
    zeros = b"0" * draw(st.sampled_from([0, 1, 30, 4400, 6000]))
    digits = draw(st.sampled_from([b"", b"1", b"7", b"9" * 19, b"123456789" * 500]))
    text = sign + zeros + digits
    if draw(st.booleans()):
        text += (
            b"."
            + b"0" * draw(st.sampled_from([0, 5000]))
            + draw(st.sampled_from([b"", b"1", b"5" * 4500]))
        )
    if draw(st.booleans()):
        text += (
            draw(st.sampled_from([b"e", b"E-", b"e+"]))
            + b"0" * draw(st.sampled_from([0, 4500]))
            + draw(st.sampled_from([b"1", b"38", b"99999", b"123456"]))
        )
    return text if text.strip(b"+-") else text + b"0"


kinds_st = st.sampled_from(sorted(DEFAULTS))


@given(st.lists(long_numbers(), min_size=1, max_size=4), kinds_st)
def test_kernel_and_twin_agree_on_long_fields(fields, kind):
    buf = b"".join(f + b"\n" for f in fields)
    args = (buf, len(fields), 1, [0], [kind], [DEFAULTS[kind]], [False], 44, b"", 10)
    a, b = nat.decode(*args), ref.decode(*args)
    assert (a is None) == (b is None)
    if a is not None:
        np.testing.assert_array_equal(a[0][0], b[0][0])
        assert a[0][0].dtype == b[0][0].dtype
        assert a[1].tolist() == b[1].tolist()


def _decode(monkeypatch, module, records, kind):
    monkeypatch.setitem(_kernels._cache, "csv_plain", module)
    try:
        return decode_csv(records, RECORD_DEFAULTS[kind])[0]
    except InvalidArgumentError as e:
        return ("error", str(e))


@given(st.lists(long_numbers(), min_size=1, max_size=3), kinds_st)
def test_decode_csv_same_with_kernel_and_twin(fields, kind):
    with pytest.MonkeyPatch.context() as mp:
        a = _decode(mp, nat, fields, kind)
        b = _decode(mp, ref, fields, kind)
    if isinstance(a, tuple) or isinstance(b, tuple):
        assert a == b
    else:
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "kind, name", [(ref.KIND_INT32, "int32"), (ref.KIND_INT64, "int64")]
)
@pytest.mark.parametrize("module", [nat, ref], ids=["native", "reference"])
def test_long_integer_field_is_tf_error(monkeypatch, module, kind, name):
    field = b"1" * 5000
    got = _decode(monkeypatch, module, [b"5", field], kind)
    assert isinstance(got, tuple), got
    assert got[1].startswith(f"Field 0 in record 1 is not a valid {name}: 1111")


@pytest.mark.parametrize("module", [nat, ref], ids=["native", "reference"])
def test_long_fields_that_are_valid(monkeypatch, module):
    ints = [b"0" * 5000 + b"42", b"-" + b"0" * 5000 + b"9223372036854775808"]
    got = _decode(monkeypatch, module, ints, ref.KIND_INT64)
    assert got.tolist() == [42, -(2**63)]
    floats = [
        b"1" + b"0" * 5000,
        b"0." + b"0" * 5000 + b"1",
        b"1e" + b"0" * 5000 + b"2",
    ]
    got = _decode(monkeypatch, module, floats, ref.KIND_FLOAT32)
    assert got.tolist() == [np.inf, 0.0, 100.0]
