"""io.parquet: row groups and batches as numpy columns."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import errors
from pipeline.io import parquet


@pytest.fixture
def pq_file(tmp_path):
    table = pa.table(
        {
            "i": pa.array(range(10), pa.int32()),
            "f": pa.array([0.5 * k for k in range(10)], pa.float32()),
            "s": [f"r{k}" for k in range(10)],
            "l": [[k, k + 1] for k in range(10)],
        }
    )
    path = tmp_path / "t.parquet"
    pq.write_table(table, path, row_group_size=4)
    return str(path)


def test_row_groups_and_types(pq_file):
    groups = list(parquet.read_row_groups(pq_file))
    assert [g for g, _ in groups] == [0, 1, 2]
    cols = groups[1][1]
    assert cols["i"].dtype == np.int32 and cols["i"].tolist() == [4, 5, 6, 7]
    assert cols["f"].dtype == np.float32
    assert cols["s"].tolist() == [b"r4", b"r5", b"r6", b"r7"]
    assert cols["l"][0].tolist() == [4, 5]


def test_projection_and_resume(pq_file):
    groups = list(parquet.read_row_groups(pq_file, ["s", "i"], first=2))
    assert [list(c) for _, c in groups] == [["s", "i"]]
    assert groups[0][1]["i"].tolist() == [8, 9]


def test_dtypes(pq_file):
    assert parquet.column_dtypes(pq_file, ["f", "s"]) == {
        "f": np.dtype(np.float32),
        "s": np.dtype(object),
    }


def test_batches_cross_row_groups(pq_file):
    sizes = [len(b["i"]) for b in parquet.iter_batches(pq_file, 3)]
    assert sum(sizes) == 10
    firsts = [b["i"][0] for b in parquet.iter_batches(pq_file, 5)]
    assert firsts == [0, 5]
    assert [b["i"][0] for b in parquet.iter_batches(pq_file, 5, skip=1)] == [5]


def test_missing_column_and_bad_file(pq_file, tmp_path):
    with pytest.raises(errors.InvalidArgumentError, match="nope"):
        list(parquet.read_row_groups(pq_file, ["nope"]))
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet at all")
    with pytest.raises(errors.DataLossError):
        list(parquet.read_row_groups(str(bad)))
    with pytest.raises(errors.NotFoundError):
        list(parquet.read_row_groups(str(tmp_path / "none.parquet")))
