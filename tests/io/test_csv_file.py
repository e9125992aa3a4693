"""CSV file records: quoted newlines, CRLF, chunk boundaries, positions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import InvalidArgumentError
from pipeline.io import csv_file
from pipeline.io.csv_spec import ColumnSpec, CsvOptions

_FIELD = st.one_of(
    st.text(alphabet="ab1 ,", max_size=4).map(lambda t: t.replace(",", "")),
    st.text(alphabet='ab,"\n', max_size=5).map(
        lambda t: '"' + t.replace('"', '""') + '"'
    ),
)


def _records(path, **kw):
    return [
        (r, int(line))
        for block in csv_file.read_records(path, **kw)
        for r, line in zip(block.get_records(), block.lines)
    ]


@given(
    st.lists(st.lists(_FIELD, min_size=1, max_size=3), min_size=1, max_size=8),
    st.sampled_from(["\n", "\r\n"]),
    st.integers(3, 40),
    st.booleans(),
)
def test_records_survive_any_chunking(tmp_path_factory, rows, eol, chunk, trailing):
    texts = [",".join(r) for r in rows]
    texts[-1] = texts[-1] or "z"  # an empty last line is no record (as in TF)
    data = eol.join(texts) + (eol if trailing else "")
    path = tmp_path_factory.mktemp("c") / "f.csv"
    path.write_bytes(data.encode())
    saved = csv_file._DEFAULT_BUFFER_BYTES, csv_file._BLOCK_RECORDS
    csv_file._DEFAULT_BUFFER_BYTES, csv_file._BLOCK_RECORDS = chunk, 2
    try:
        got = _records(str(path))
        # Resuming from every block's position gives the rest.
        blocks = list(csv_file.read_records(str(path)))
        done = 0
        for block in blocks:
            done += len(block)
            rest = [r for b in csv_file.read_records(str(path), position=block.position)
                    for r in b.get_records()]  # fmt: skip
            assert rest == [r for r, _ in got][done:]
    finally:
        csv_file._DEFAULT_BUFFER_BYTES, csv_file._BLOCK_RECORDS = saved
    want = [
        t.replace("\r\n", "\n").encode() if eol == "\n" else t.encode() for t in texts
    ]
    assert [r for r, _ in got] == want
    lines = [1 + sum(t.count("\n") + 1 for t in texts[:i]) for i in range(len(texts))]
    assert [ln for _, ln in got] == lines


def test_header_skipped_and_record_index(tmp_path):
    path = tmp_path / "h.csv"
    path.write_bytes(b'"a","b"\n1,2\n3,4\n')
    blocks = list(csv_file.read_records(str(path), header=True))
    assert [r for b in blocks for r in b.get_records()] == [b"1,2", b"3,4"]
    assert blocks[0].first_record == 0 and blocks[0].lines.tolist() == [2, 3]


def test_decode_file_block_isolates_bad_rows(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(b"1,a\nx,b\n3,c\n4\n")
    specs = [ColumnSpec(np.dtype(np.int32)), ColumnSpec(np.dtype(object))]
    (records,) = csv_file.read_records(str(path))
    block = csv_file.decode_file_block(records, specs, CsvOptions(), str(path))
    assert block.rows.tolist() == [0, 2]
    assert block.columns[0].tolist() == [1, 3]
    assert [(row, e.line, e.column) for row, e in block.errors] == [
        (1, 2, 0),
        (3, 4, None),
    ]
    assert "record 1" in str(block.errors[0][1]) and "d.csv" in str(block.errors[0][1])


def test_a_quote_inside_an_unquoted_field_does_not_join_lines(tmp_path):
    path = tmp_path / "q.csv"
    path.write_bytes(b'1,2"3,4\na,b,c"d\n9,8"7,6,5\ne,f,g\n')
    assert [r for r, _ in _records(str(path))] == [
        b'1,2"3,4',
        b'a,b,c"d',
        b'9,8"7,6,5',
        b"e,f,g",
    ]


def test_a_quote_opening_a_field_joins_lines_with_another_delimiter(tmp_path):
    path = tmp_path / "q.csv"
    path.write_bytes(b'1;"a\nb";2\n3;x"y\n')
    records = _records(str(path), delim=b";")
    assert records == [(b'1;"a\nb";2', 1), (b'3;x"y', 3)]


def test_header_of_an_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(InvalidArgumentError, match="Can't read header of file") as e:
        _records(str(path), header=True)
    assert e.value.path == str(path)
    assert _records(str(path)) == []


def test_a_record_cut_off_by_the_end_of_file_says_so(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_bytes(b'1,a\n2,"b\n')
    blocks = list(csv_file.read_records(str(path)))
    assert [b.cut_off_at for b in blocks] == [-1] * (len(blocks) - 1) + [
        len(blocks[-1]) - 1
    ]
    specs = [ColumnSpec(np.dtype(np.int32)), ColumnSpec(np.dtype(object))]
    out = csv_file.decode_file_block(blocks[-1], specs, CsvOptions(), str(path))
    ((row, err),) = out.errors
    assert row == len(blocks[-1]) - 1 and err.line == 2
    assert str(err).startswith(
        "Reached end of file without closing quoted field in record (file "
    )


@given(
    st.lists(
        st.sampled_from([b"1,2.5,a", b"7,,b", b"x,1,c", b"1,2", b"1,2,3,4", b"3,y,"]),
        min_size=65,  # past csv_split._ISOLATE_ROWS: spans are cut and halved
        max_size=160,
    )
)
def test_bad_rows_are_found_as_record_by_record_decoding_finds_them(records):
    from pipeline.io.csv_records import decode_records
    from pipeline.io.csv_spec import column_specs

    specs = column_specs([[0], [0.0], [""]])
    opts = CsvOptions(empty_is_field=True, scan_all=True)
    lines = np.arange(1, len(records) + 1)
    block = csv_file.RecordBlock(list(records), lines, 10, (0, 0, 1, 10))
    out = csv_file.decode_file_block(block, specs, opts, "f.csv")
    want_rows, want_values, want_errors = [], [], []
    for i, record in enumerate(records):
        try:
            cols = decode_records([record], specs, opts, first_record=10 + i)
            want_rows.append(i)
            want_values.append(tuple(c[0] for c in cols))
        except InvalidArgumentError as e:
            want_errors.append((i, e.message.split(" in record")[0]))
    assert out.rows.tolist() == want_rows
    assert list(zip(*[c.tolist() for c in out.columns])) == want_values
    got_errors = [(i, e.message.split(" in record")[0]) for i, e in out.errors]
    assert got_errors == [(i, m.replace("have 4", "have more")) for i, m in want_errors]
    assert all(e.record_index == 10 + i for i, e in out.errors)


@pytest.mark.parametrize("spanning", [False, True])
def test_quoted_files_are_decoded_by_the_kernel_not_record_by_record(
    tmp_path, monkeypatch, spanning
):
    from pipeline.io import csv_fast, csv_split

    def refuse(*args, **kwargs):
        raise AssertionError("the per-record decoder was called")

    monkeypatch.setattr(csv_fast, "decode_records", refuse)
    monkeypatch.setattr(csv_split, "decode_records", refuse)
    inside = b"x\ny" if spanning else b"x,y"
    rows = [b'%d,"%s","say ""hi"""' % (i, inside) for i in range(200)]
    path = tmp_path / "quoted.csv"
    path.write_bytes(b'"n","a","b"\n' + b"\n".join(rows) + b"\n")
    specs = [ColumnSpec(np.dtype(np.int64)), ColumnSpec(np.dtype(object)),
             ColumnSpec(np.dtype(object))]  # fmt: skip
    (records,) = csv_file.read_records(str(path), header=True)
    assert (records.text is None) is spanning  # one line, one record: no split
    block = csv_file.decode_file_block(records, specs, CsvOptions(), str(path))
    assert block.columns[0].tolist() == list(range(200)) and not block.errors
    assert set(block.columns[1].tolist()) == {inside}
    assert set(block.columns[2].tolist()) == {b'say "hi"'}
