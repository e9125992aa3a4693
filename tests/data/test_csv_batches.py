"""make_csv_dataset's batches cut from decoded blocks (`CsvBatchSource`): the
rows, the batch sizes and failures of TF's ``repeat().batch()`` rule whatever
the block and batch sizes, and resuming from every state gives the rest."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline as pl
from pipeline.data.csv_batches import CsvBatchSource
from pipeline.graph.failures import ElementFailure
from pipeline.io import csv_file


def _source(ds) -> CsvBatchSource:
    node = ds._node
    while not hasattr(node, "source"):
        node = node.parents[0]
    return node.source


def _expected(files: list[list[int | None]], size: int, epochs: int) -> list:
    """TF's rule, written out: a bad row (None) replaces the batch being built."""
    out, pending = [], []
    for _ in range(epochs):
        for rows in files:
            for row in rows:
                if row is None:
                    out.append("failure")
                    pending = []
                    continue
                pending.append(row)
                if len(pending) == size:
                    out.append(pending)
                    pending = []
    return out + ([pending] if pending else [])


def _outputs(items) -> list:
    return [
        "failure" if isinstance(x, ElementFailure) else x["id"].tolist() for x in items
    ]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(0, 30), max_size=40).map(
            lambda r: [None if v == 0 else v for v in r]
        ),
        min_size=1,
        max_size=3,
    ),
    st.integers(1, 9),
    st.integers(1, 12),
    st.integers(1, 2),
)
def test_batches_follow_the_batch_rule_and_resume(
    tmp_path_factory, files, size, block, epochs
):
    folder = tmp_path_factory.mktemp("batches")
    ids = []
    for k, rows in enumerate(files):
        numbered = [None if v is None else k * 1000 + i for i, v in enumerate(rows)]
        ids.append(numbered)
        text = "".join("x,1\n" if v is None else f"{v},{v % 7}\n" for v in numbered)
        (folder / f"f{k}.csv").write_text("id,v\n" + text)
    saved = csv_file._BLOCK_RECORDS, csv_file._DEFAULT_BUFFER_BYTES
    csv_file._BLOCK_RECORDS, csv_file._DEFAULT_BUFFER_BYTES = block, 8 * block
    try:
        ds = pl.data.make_csv_dataset(
            str(folder / "f*.csv"), size, column_defaults=[[0], [0]],
            shuffle=False, num_epochs=epochs,
        )  # fmt: skip
        src = _source(ds)
        blocks = list(src.blocks(None))
        got = [o for items, _ in blocks for o in _outputs(items)]
        assert got == _expected(ids, size, epochs)
        done = 0
        for items, state in blocks:
            done += len(items)
            rest = [o for it, _ in src.blocks(state) for o in _outputs(it)]
            assert rest == got[done:]
    finally:
        csv_file._BLOCK_RECORDS, csv_file._DEFAULT_BUFFER_BYTES = saved


def test_batches_inside_a_block_are_views_of_its_columns(tmp_path):
    rows = "".join(f"{i},{i % 5},s{i % 3}\n" for i in range(1000))
    (tmp_path / "a.csv").write_text("id,v,s\n" + rows)
    ds = pl.data.make_csv_dataset(
        str(tmp_path / "a.csv"), 64, column_defaults=[[0], [0], [""]],
        shuffle=False, num_epochs=1, label_name="v",
    )  # fmt: skip
    batches = list(ds.as_numpy_iterator())
    ids = np.concatenate([f["id"] for f, _ in batches])
    assert ids.tolist() == list(range(1000))
    assert [len(v) for _, v in batches] == [64] * 15 + [40]
    assert batches[3][1].tolist() == [i % 5 for i in range(192, 256)]
    assert batches[3][0]["s"].tolist() == [
        f"s{i % 3}".encode() for i in range(192, 256)
    ]
