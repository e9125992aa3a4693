"""CSV sources decode blocks ahead in threads: same rows, errors in place,
and no thread left behind when an iterator is dropped, closed or fails."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from support import wait_no_pipeline_threads

import pipeline as pl
from pipeline.errors import InvalidArgumentError
from pipeline.io import csv_file

ROWS = 3000


@pytest.fixture
def shards(tmp_path, monkeypatch):
    # Small read blocks, so that each file is many blocks decoded ahead.
    monkeypatch.setattr(csv_file, "_DEFAULT_BUFFER_BYTES", 4096)
    paths = []
    for k in range(3):
        path = tmp_path / f"part-{k}.csv"
        lines = ["a,b,c"] + [
            f"{k * ROWS + i},{(i % 7) / 4},v{i % 13}" for i in range(ROWS)
        ]
        path.write_text("\n".join(lines) + "\n")
        paths.append(str(path))
    return paths


def _make(paths, **kw):
    return pl.data.make_csv_dataset(
        paths, 128, column_defaults=[[0], [0.0], [""]], shuffle=False,
        num_epochs=1, **kw,
    )  # fmt: skip


def test_rows_come_in_file_order(shards, no_thread_leak):
    got = np.concatenate([b["a"] for b in _make(shards)])
    assert got.tolist() == list(range(3 * ROWS))
    rows = list(pl.data.CsvDataset(shards, [[0], [0.0], [""]], header=True))
    assert [int(r[0]) for r in rows] == list(range(3 * ROWS))


def test_dropped_and_closed_iterators_leave_no_thread(shards):
    for _ in range(10):
        it = iter(_make(shards))
        next(it)
        del it
        rows = iter(pl.data.CsvDataset(shards, [[0], [0.0], [""]], header=True))
        next(rows)
        rows.close()
    assert not wait_no_pipeline_threads()


def test_a_bad_row_in_a_later_block_fails_in_place(shards, no_thread_leak):
    path = Path(shards[1])
    lines = path.read_text().splitlines()
    lines[2000] = "x,1.0,v"
    path.write_text("\n".join(lines) + "\n")
    seen = []
    with pytest.raises(InvalidArgumentError, match="line 2001"):
        for batch in _make(shards):
            seen.extend(batch["a"].tolist())
    assert seen[: ROWS + 1900] == list(range(ROWS + 1900))
    rows = _make(shards, ignore_errors=True)
    assert sum(len(b["a"]) for b in rows) == 3 * ROWS - 1
