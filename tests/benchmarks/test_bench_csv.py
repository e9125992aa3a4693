"""bench_csv on tiny files, ours and pyarrow only (TensorFlow is not in .venv).

The rates mean nothing here: these tests check that every row reads the files
it says, that the sides of a row give the same batches (``--check``), that
the control row really runs without our map->batch rewrite, and that the
JSON lines make the summary rows.
"""

from __future__ import annotations

import doctest
import json
import statistics

import numpy as np
import pyarrow as pa
import pytest

from benchmarks import bench_csv, csv_same_output, summary
from benchmarks.csv_same_output import differs, differs_from_arrow
from benchmarks.taxi_data import COLUMNS, RECORD_DEFAULTS

ROWS, TF_ROWS = 1200, 500


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench_csv")
    argv = ["--rows", str(ROWS), "--shards", "2", "--tf-rows", str(TF_ROWS),
            "--passes", "2", "--no-tf", "--check", "--data", str(out)]  # fmt: skip
    return out, argv


def _lines(text: str) -> list[dict]:
    return [json.loads(s) for s in text.splitlines() if s.startswith("{")]


def test_every_case_reads_its_own_set_and_the_checks_pass(run, capsys):
    _out, argv = run
    assert bench_csv.main(argv) == 0
    text = capsys.readouterr().out
    assert "!=" not in text
    assert "check: pipeline:make_csv_dataset:typed == pyarrow:read_csv:typed" in text
    assert "check: pipeline:fast:typed == pipeline:fast:inferred" in text
    lines = {line["case"]: line for line in _lines(text)}
    assert set(lines) == {
        *(f"pipeline:{i}:{t}" for i in bench_csv.IDIOMS for t in bench_csv.TYPES),
        "pyarrow:read_csv:typed", "pyarrow:read_csv:inferred",
        "pipeline:per_line:typed@tf_rows", "pipeline:per_line_no_rewrite:typed@tf_rows",
        "pipeline:make_csv_dataset:typed@tf_rows", "pipeline:fast_no_rewrite:typed",
    }  # fmt: skip
    for key, line in lines.items():
        assert line["rows"] == (TF_ROWS if key.endswith("@tf_rows") else ROWS), key
        assert line["files"] == ("tf_rows" if key.endswith("@tf_rows") else "full")
        assert len(line["rows_per_s_passes"]) == 2
        assert line["rows_per_s"] == max(line["rows_per_s_passes"])
    assert "our map->batch rewrite OFF (map_vectorization=False)" in text
    assert "block rewrite OFF (csv_blocks=False)" in text
    assert "batch->map(decode_csv) block rewrite ON" in text

    rows = {r.workload: r for r in summary.summary_rows({"csv": list(lines.values())})}
    inferred = rows["CSV to typed batches of 256: make_csv_dataset(batch_size=256), "
                    "ours inferring types"]  # fmt: skip
    theirs = lines["pyarrow:read_csv:inferred"]["rows_per_s_passes"]
    ours = lines["pipeline:make_csv_dataset:inferred"]["rows_per_s_passes"]
    assert inferred.theirs == statistics.median(theirs)  # each side's median pass
    assert inferred.ours == statistics.median(ours)
    assert inferred.pair_ratios == tuple(o / t for o, t in zip(ours, theirs))
    assert inferred.goal == 1.0
    control = rows["CSV: the same per-line code, ours with map_vectorization=False "
                   "(control)"]  # fmt: skip
    assert control.theirs is None  # no TF here; the row keeps its place
    assert control.ours == statistics.median(
        lines["pipeline:per_line_no_rewrite:typed@tf_rows"]["rows_per_s_passes"]
    )
    assert sum(w.startswith("CSV to typed batches of 256") for w in rows) == 6


def test_the_control_row_runs_without_the_rewrite(run):
    out, _argv = run
    files = bench_csv.write_csv_shards(str(out / "x"), 300, 1)
    lib = bench_csv._libs(False)["pipeline"]
    ds = bench_csv.per_line_idiom(lib, files, RECORD_DEFAULTS)
    assert "vectorized_map" in ds.explain(print_plan=False)
    assert "vectorized_map" not in ds.with_options(lib.no_rewrite).explain(
        print_plan=False
    )
    fast = bench_csv.fast_idiom(lib, files, RECORD_DEFAULTS)
    assert "csv_block_map" in fast.explain(print_plan=False)
    assert "csv_block_map" not in fast.with_options(lib.no_rewrite).explain(
        print_plan=False
    )


def test_our_inference_gives_the_types_the_typed_rows_are_given(run):
    out, _argv = run
    files = bench_csv.write_csv_shards(str(out / "y"), 300, 1)
    dtypes = [d.dtype for d in bench_csv.inferred_defaults(files)]
    f32, i32 = np.dtype(np.float32), np.dtype(np.int32)
    assert dtypes == [f32] * 4 + [i32] * 2 + [np.dtype(object)] * 3 + [f32] * 2


def test_a_changed_value_or_dtype_is_reported():
    a = [(
        {"x": np.array([1.5, 2.0], np.float32)}, np.array([b"a", b"b"], object)
    )]  # fmt: skip
    b = [({"x": np.array([1.5, 2.5], np.float32)}, np.array([b"a", b"b"], object))]
    assert differs(a, b) == "batch 0, 0/x: row 1: 2.0 against 2.5"
    c = [({"x": np.array([1.5, 2.0], np.float64)}, np.array([b"a", b"b"], object))]
    assert differs(a, c) == "batch 0, 0/x: dtype float32 against float64"
    assert differs(a, a + a) == "batch 1: only one side has it"
    neg = [({"x": np.array([1.5, -0.0], np.float32)}, np.array([b"a", b"b"], object))]
    zero = [({"x": np.array([1.5, 0.0], np.float32)}, np.array([b"a", b"b"], object))]
    assert differs(neg, zero) is not None  # the sign of zero counts


def test_ours_against_arrow_fills_empty_cells_with_the_default():
    values = {n: [1.5, None] for n in COLUMNS}
    table = pa.table({n: pa.array(v, pa.float32()) for n, v in values.items()})
    ours = [[np.array([1.5, 0.0], np.float32) for _ in COLUMNS]]
    assert differs_from_arrow(ours, [table]) is None
    wrong = [[np.array([1.5, 1.0], np.float32) for _ in COLUMNS]]
    assert differs_from_arrow(wrong, [table]) == (
        f"batch 0, {min(COLUMNS)}: row 1: 1.0 against 0.0"
    )
    short = [[np.array([1.5], np.float32) for _ in COLUMNS]]
    assert "only one side" in differs_from_arrow(short, [table])


def test_docstring_examples():
    failures, tried = doctest.testmod(csv_same_output)
    assert tried and not failures
