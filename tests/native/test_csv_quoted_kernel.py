"""The CSV kernel's quoted fields (RFC 4180 as TF reads them): compiled vs its
reference twin, and what it accepts vs the exact per-record rules."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import assert_columns_equal

from pipeline import _kernels
from pipeline.errors import InvalidArgumentError
from pipeline.io.csv_records import convert_field, decode_records
from pipeline.io.csv_spec import CsvOptions, column_specs

ref = _kernels.reference("csv_plain")
nat = importlib.import_module("pipeline._native.csv_plain")
pytestmark = pytest.mark.native

KINDS = [ref.KIND_INT32, ref.KIND_INT64, ref.KIND_FLOAT32, ref.KIND_FLOAT64,
         ref.KIND_STRING]  # fmt: skip
DEFAULTS = {0: 7, 1: -9, 2: 1.5, 3: -2.25, 4: b"dflt"}
DTYPES = {0: np.int32, 1: np.int64, 2: np.float32, 3: np.float64, 4: object}
RECORD_DEFAULTS = {0: [np.int32(7)], 1: [np.int64(-9)], 2: [np.float32(1.5)],
                   3: [np.float64(-2.25)], 4: [b"dflt"]}  # fmt: skip

inner = st.lists(
    st.sampled_from([b"a", b"7", b"-1.5", b",", b";", b"\n", b'""', b" ", b"NA", b"e"]),
    max_size=4,
).map(b"".join)
field = st.one_of(
    inner.map(lambda t: b'"' + t + b'"'),  # well quoted
    st.sampled_from([b"12", b"-3.25", b"x", b"", b"NA", b"0x1f", b" 4"]),
    st.lists(st.sampled_from([b'"', b"a", b"1", b",", b"\n"]), max_size=4).map(
        b"".join
    ),  # stray quotes and separators
)


@st.composite
def batches(draw):
    ncols = draw(st.integers(1, 4))
    n = draw(st.integers(0, 5))
    rows = [[draw(field) for _ in range(ncols)] for _ in range(n)]
    records = [b",".join(r) for r in rows]
    select = sorted(draw(st.sets(st.integers(0, ncols - 1), min_size=1)))
    kinds = [draw(st.sampled_from(KINDS)) for _ in select]
    required = [draw(st.booleans()) and draw(st.booleans()) for _ in select]
    return records, ncols, select, kinds, required


def _run(module, buf, n, ncols, select, kinds, required, na, ends=None, delim=44):
    defaults = [DEFAULTS[k] for k in kinds]
    return module.decode(
        buf, n, ncols, select, kinds, defaults, required, delim, na, 1000, True,
        ends,
    )  # fmt: skip


def _same(*args, **kw):
    a, b = _run(nat, *args, **kw), _run(ref, *args, **kw)
    assert (a is None) == (b is None)
    if a is not None:
        assert_columns_equal(a[0], b[0])
        assert a[1].tolist() == b[1].tolist()
    return a


def _ends(records):
    return np.cumsum([len(r) + 1 for r in records], dtype=np.int64) - 1


@settings(max_examples=400)
@given(batches(), st.sampled_from([b"", b"NA", b'a"']), st.booleans())
def test_quoted_kernel_agrees_with_reference(batch, na, with_ends):
    records, ncols, select, kinds, required = batch
    buf = b"".join(r + b"\n" for r in records)
    ends = _ends(records) if with_ends else None
    _same(buf, len(records), ncols, select, kinds, required, na, ends=ends)


@settings(max_examples=400)
@given(batches(), st.sampled_from([b"", b"NA"]))
def test_what_the_kernel_takes_is_what_the_exact_rules_give(batch, na):
    """Records ending where the caller says: each accepted batch holds the
    exact per-record decoder's values, fix-ups applied by the exact rules."""
    records, ncols, select, kinds, required = batch
    buf = b"".join(r + b"\n" for r in records)
    out = _same(buf, len(records), ncols, select, kinds, required, na,
                ends=_ends(records))  # fmt: skip
    if out is None:
        return
    columns, fixups = out
    specs = column_specs(
        [np.array([], DTYPES[k]) if req else RECORD_DEFAULTS[k]
         for k, req in zip(kinds, required)]
    )  # fmt: skip
    opts = CsvOptions(b",", True, na, tuple(select) if len(select) < ncols else None)
    values = [
        convert_field(buf[start : start + length], specs[col])
        for _, col, start, length in fixups.tolist()
    ]
    if any(v is None for v in values):  # a fix-up TF refuses: the exact error
        with pytest.raises(InvalidArgumentError, match="not a valid"):
            decode_records(records, specs, opts)
        return
    for (row, col, _, _), value in zip(fixups.tolist(), values):
        columns[col][row] = value
    assert_columns_equal(columns, decode_records(records, specs, opts))


@pytest.mark.parametrize(
    ("buf", "n", "expected"),
    [
        (b'1,"a,b"\n', 1, [[1], [b"a,b"]]),  # an embedded delimiter
        (b'1,"a\nb"\n2,c\n', 2, [[1, 2], [b"a\nb", b"c"]]),  # an embedded newline
        (b'"3","say ""hi"""\n', 1, [[3], [b'say "hi"']]),  # escaped quotes
        (b'"",""\n', 1, [[7], [b"dflt"]]),  # empty quoted fields are missing
    ],
)
def test_quoted_fields(buf, n, expected):
    for module in (nat, ref):
        columns, fixups = module.decode(
            buf, n, 2, [0, 1], [0, 4], [7, b"dflt"], [0, 0], 44, b"", 9, True
        )
        assert [c.tolist() for c in columns] == expected
        assert len(fixups) == 0


@pytest.mark.parametrize(
    "buf",
    [
        b'1,a"b\n',  # a quote inside an unquoted field
        b'1,"ab"c\n',  # bytes after the closing quote
        b'1,"ab\n',  # never closed
        b'"1,2",x\n',  # a delimiter inside a quoted number
        b'"1""",x\n',  # a quote inside a quoted number
    ],
)
def test_quoting_errors_refuse_the_batch(buf):
    for module in (nat, ref):
        assert (
            module.decode(buf, 1, 2, [0, 1], [0, 4], [7, b""], [0, 0], 44, b"", 9, True)
            is None
        )


def test_without_quotes_a_quote_is_data_and_ends_are_checked():
    for module in (nat, ref):
        columns, _ = module.decode(
            b'x,"y\n', 1, 2, [0, 1], [4, 4], [b"", b""], [0, 0], 44, b"", 9
        )
        assert columns[1].tolist() == [b'"y']
        args = (b"1\n2\n", 2, 1, [0], [0], [0], [0], 44, b"", 9, True)
        assert module.decode(*args, np.array([1, 3])) is not None
        assert module.decode(*args, np.array([3, 3])) is None
        with pytest.raises(ValueError, match="ends holds 1 offsets for 2"):
            module.decode(*args, np.array([1]))
