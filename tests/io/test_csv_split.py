"""Tier 4 of CSV decoding (`io.csv_split`): bad rows split out, few records alone."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.errors import InvalidArgumentError
from pipeline.io import csv_fast, csv_split
from pipeline.io.csv_spec import CsvOptions, column_specs

SPECS = column_specs([[0], [0.0], [""]])


def _records(n: int, bad: dict[int, bytes]) -> list[bytes]:
    return [bad.get(i, b"%d,%d.5,x%d" % (i, i, i)) for i in range(n)]


def _counting(monkeypatch) -> list[int]:
    """Count the records the per-record tier decodes (from either module)."""
    seen: list[int] = []
    real = csv_split.decode_records

    def counted(records, *a, **k):
        seen.append(len(records))
        return real(records, *a, **k)

    monkeypatch.setattr(csv_split, "decode_records", counted)
    monkeypatch.setattr(csv_fast, "decode_records", counted)
    return seen


def test_exact_false_leaves_the_per_record_tier_to_the_caller():
    records = _records(40, {30: b"1,2,3,4"})  # a field count only tier 3 places
    assert csv_fast.decode_batch(records, SPECS, CsvOptions(), exact=False) is None
    with pytest.raises(InvalidArgumentError, match="Expect 3 fields but have 4"):
        csv_fast.decode_batch(records, SPECS, CsvOptions())


@pytest.mark.parametrize("bad", [b"1,2,3,4", b"zz,2,x", b"5,"])
def test_one_bad_row_in_a_big_block_is_isolated_not_decoded_row_by_row(
    monkeypatch, bad
):
    n, where = 20_000, 13_337
    seen = _counting(monkeypatch)
    records = _records(n, {where: bad})
    columns, rows, errors = csv_split.split_decode(
        records, SPECS, CsvOptions(), path="big.csv", lines=np.arange(2, n + 2)
    )
    assert [(i, e.line) for i, e in errors] == [(where, where + 2)]
    assert "big.csv" in str(errors[0][1])
    assert rows.tolist() == [i for i in range(n) if i != where]
    assert columns[0].tolist() == [i for i in range(n) if i != where]
    assert columns[2][-1] == b"x%d" % (n - 1)
    # per-record work: the bad record and at most a few short spans
    assert sum(seen) <= 4 * csv_split._ISOLATE_ROWS


def test_rows_only_the_per_record_tier_takes_are_kept_in_order():
    # a quoted newline in a record: tiers 1-2 refuse every span holding one
    bad = {i: b'%d,1,"a\nb"' % i for i in range(0, 500, 37)}
    records = _records(500, {**bad, 250: b"oops"})
    columns, rows, errors = csv_split.split_decode(
        records, SPECS, CsvOptions(), path="q.csv"
    )
    assert [i for i, _ in errors] == [250]
    assert rows.tolist() == [i for i in range(500) if i != 250]
    assert columns[0].tolist() == rows.tolist()
    assert columns[2][0] == b"a\nb" and columns[2][1] == b"x1"


def test_first_record_numbers_the_errors():
    _, _, errors = csv_split.split_decode(
        [b"1,1,a", b"q,1,b"], SPECS, CsvOptions(), path="f.csv", first_record=40
    )
    ((row, err),) = errors
    assert row == 1 and err.record_index == 41
