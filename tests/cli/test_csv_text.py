"""CSV text of typed columns: floats at their own precision, strings quoted."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from pipeline.cli._csv_text import csv_lines, field_text


def _looks_float(text: str) -> bool:
    return any(c in text for c in ".en") or text in ("inf", "-inf")


def _digits(text: str) -> str:
    """The significant digits of a float's text (no sign, point or exponent)."""
    return text.lower().split("e")[0].lstrip("-").replace(".", "").strip("0")


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=30))
def test_float64_text_reads_back_exactly_and_as_a_float(values):
    texts = field_text(pa.array(values, pa.float64())).to_pylist()
    for t, v in zip(texts, values):
        assert _looks_float(t), t
        if math.isnan(v):
            assert t == "nan"
            continue
        assert float(t) == v
        assert math.copysign(1, float(t)) == math.copysign(1, v)
        if math.isfinite(v):  # as few digits as Python's repr, the shortest
            assert _digits(t) == _digits(repr(v))


@given(st.lists(st.floats(width=32), max_size=30))
def test_float32_text_is_the_float32_shortest(values):
    arr = np.array(values, np.float32)
    texts = field_text(pa.array(arr)).to_pylist()
    for t, v in zip(texts, arr):
        assert _looks_float(t), t
        if np.isnan(v):
            assert t == "nan"
            continue
        assert np.float32(t) == v
        if np.isfinite(v):  # numpy's str of a float32 is its shortest text
            assert _digits(t) == _digits(str(v))


def test_known_texts():
    f64 = pa.array([0.23, 2.0, -0.0, 1e20, None, 0.1 + 0.2])
    assert field_text(f64).to_pylist() == [
        "0.23", "2.0", "-0.0", "1e+20", "", "0.30000000000000004"
    ]  # fmt: skip
    f32 = pa.array(np.array([6.45, 0.1, 16777216.0], np.float32))
    assert field_text(f32).to_pylist() == ["6.45", "0.1", "16777216.0"]
    assert field_text(pa.array([1, None, -(2**63)])).to_pylist() == [
        "1", "", str(-(2**63))
    ]  # fmt: skip


@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.text()),
            st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1)),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_lines_parse_back_with_the_csv_module(rows):
    strings = [s.replace("\r", "").replace("\x00", "") if s else s for s, _ in rows]
    batch = pa.record_batch(
        {
            "s": pa.array(strings, pa.string()),
            "i": pa.array([i for _, i in rows], pa.int64()),
        }
    )
    text = csv_lines(batch).decode("utf-8")
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed == [
        [s or "", "" if i is None else str(i)] for s, (_, i) in zip(strings, rows)
    ]


def test_no_columns_and_no_rows():
    assert csv_lines(pa.record_batch({"a": pa.array([], pa.int64())})) == b""
