"""ParquetDataset through the engine: rows, batches, projection, state."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pipeline as pl
from pipeline import errors


@pytest.fixture
def files(tmp_path):
    paths = []
    for n, start in ((5, 0), (3, 100)):
        table = pa.table(
            {"id": np.arange(start, start + n), "name": [f"n{k}" for k in range(n)]}
        )
        path = tmp_path / f"p{start}.parquet"
        pq.write_table(table, path, row_group_size=2)
        paths.append(str(path))
    return paths


def test_rows_are_dicts_in_file_order(files):
    rows = list(pl.data.ParquetDataset(files))
    assert [int(r["id"]) for r in rows] == [0, 1, 2, 3, 4, 100, 101, 102]
    assert rows[0]["name"] == b"n0" and list(rows[0]) == ["id", "name"]
    spec = pl.data.ParquetDataset(files).element_spec
    assert spec["id"].dtype == np.int64 and spec["id"].shape == ()


def test_batches_and_columns(files):
    ds = pl.data.ParquetDataset(files, columns=["id"], batch_size=4)
    assert [b["id"].tolist() for b in ds] == [[0, 1, 2, 3], [4], [100, 101, 102]]
    assert list(ds.element_spec) == ["id"]


def test_works_with_dataset_transforms(files, no_thread_leak):
    ds = pl.data.ParquetDataset(files).map(lambda r: r["id"] * 2).batch(3)
    assert [b.tolist() for b in ds] == [[0, 2, 4], [6, 8, 200], [202, 204]]


def test_errors(files, tmp_path):
    with pytest.raises(errors.InvalidArgumentError):
        pl.data.ParquetDataset(files, batch_size=0)
    with pytest.raises(errors.InvalidArgumentError):
        pl.data.ParquetDataset(files, columns=["missing"])
    with pytest.raises(errors.NotFoundError):
        pl.data.ParquetDataset(str(tmp_path / "none.parquet"))
