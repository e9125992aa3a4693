"""Where CSV records end: the compiled kernel vs its reference twin."""

from __future__ import annotations

import importlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import _kernels

ref = _kernels.reference("csv_record_ends")
nat = importlib.import_module("pipeline._native.csv_record_ends")
pytestmark = pytest.mark.native


@given(st.binary(max_size=300).map(lambda b: b.replace(b"\x00", b"\n")), st.data())
def test_count_lines_agrees(buf, data):
    start = data.draw(st.integers(0, len(buf)))
    assert nat.count_lines(buf, start) == ref.count_lines(buf, start)
    assert nat.count_lines(buf, start) == buf.count(b"\n", start)
    with pytest.raises(ValueError):
        nat.count_lines(buf, len(buf) + 1)


@given(
    st.lists(st.sampled_from([b'"', b",", b";", b"a", b"\n", b'""']), max_size=12),
    st.sampled_from([44, 59]),
    st.booleans(),
)
def test_open_at_end_matches_reference(parts, delim, quoted):
    line = b"".join(parts)
    assert nat.open_at_end(line, delim, quoted) == ref.open_at_end(line, delim, quoted)


@pytest.mark.parametrize(
    ("line", "quoted", "expected"),
    [
        (b'1,2"3,4', False, False),  # a quote inside an unquoted field
        (b'a,b,"c', False, True),
        (b'"a""b",c', False, False),
        (b'x"', True, False),  # the end of a field opened on an earlier line
        (b'x"",y', True, True),
        (b'"a"b,"c', False, True),  # closed at the 2nd quote, opened again
    ],
)
def test_open_at_end_rules(line, quoted, expected):
    for kernel in (nat, ref):
        assert kernel.open_at_end(line, 44, quoted) is expected
    with pytest.raises(ValueError, match="not a byte"):
        kernel.open_at_end(line, 256, quoted)


@given(
    st.lists(st.sampled_from([b'"', b",", b"a", b"\n", b'""', b";"]), max_size=14),
    st.sampled_from([44, 59]),
    st.data(),
)
def test_lines_are_records_agrees_with_reference(parts, delim, data):
    buf = b"".join(parts)
    start = data.draw(st.integers(0, len(buf)))
    end = data.draw(st.integers(start, len(buf)))
    got = nat.lines_are_records(buf, start, end, delim)
    assert got == ref.lines_are_records(buf, start, end, delim)
    lines = buf[start:end].split(b"\n")
    assert got == (not any(nat.open_at_end(x, delim, False) for x in lines))


def test_lines_are_records_checks_its_arguments():
    for module in (nat, ref):
        assert module.lines_are_records(b'1,"a\nb"\n', 5, 8, 44)  # from line 2
        assert not module.lines_are_records(b'1,"a\nb"\n', 0, 8, 44)
        with pytest.raises(ValueError, match="outside the buffer"):
            module.lines_are_records(b"ab", 1, 3, 44)
        with pytest.raises(ValueError, match="not a byte"):
            module.lines_are_records(b"ab", 0, 1, 300)
