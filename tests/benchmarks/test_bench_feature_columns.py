"""``benchmarks.bench_feature_columns``: its checks, its anchor and its rows.

TensorFlow is not in the test environment, so TF's forms are stood in for by
plain callables; the figures are made up.
"""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import bench_feature_columns as bench
from benchmarks import summary
from benchmarks.taxi_features import BATCH, parsed_batches, table_initializer


def _const(rows: int, total: float):
    return lambda: (rows, total)


def test_measure_keeps_the_best_pass_of_each_form_and_names_them():
    result = bench.measure(
        "feature_layer", _const(512, 3.0), {"a": _const(512, 3.0)}, passes=2
    )
    assert result["bench"] == "feature_layer" and result["rows"] == 512
    assert set(result["tf_forms"]) == {"a"}
    assert result["ours_rows_per_s"] > 0 and result["tf_forms"]["a"] > 0


def test_a_form_with_other_rows_or_another_output_sum_is_refused():
    with pytest.raises(AssertionError, match=r"end_to_end: b gave 511 rows"):
        bench.measure("end_to_end", _const(512, 3.0), {"b": _const(511, 3.0)}, 1)
    with pytest.raises(AssertionError, match=r"b gave 512 rows summing to 3\.1"):
        bench.measure("end_to_end", _const(512, 3.0), {"b": _const(512, 3.1)}, 1)


def test_every_timed_pass_is_checked_not_only_the_first():
    calls = iter([(512, 3.0), (512, 3.0), (256, 1.5)])  # the second timed pass
    with pytest.raises(AssertionError, match=r"late gave 256 rows"):
        bench.measure("x", _const(512, 3.0), {"late": lambda: next(calls)}, 2)


def test_the_anchor_is_the_fastest_of_the_named_forms():
    result = {"bench": "feature_layer", "ours_rows_per_s": 600.0,
              "tf_forms": {"graph_reduce": 100.0, "graph_loop": 200.0,
                           "per_call": 300.0}}  # fmt: skip
    graph = bench.with_anchor(result, ["graph_reduce", "graph_loop"])
    assert (graph["tf_form"], graph["tf_rows_per_s"], graph["ratio"]) == (
        "graph_loop",
        200.0,
        3.0,
    )
    assert bench.with_anchor(result)["tf_form"] == "per_call"
    assert "tf_rows_per_s" not in bench.with_anchor({**result, "tf_forms": {}})


def test_ours_runs_every_full_batch_through_the_layer():
    batches = parsed_batches(3 * BATCH + 10)
    assert len(batches) == 3 and batches[0]["hour_of_day"].dtype == np.int64
    rows, total = bench.ours_runner(batches)()
    assert rows == 3 * BATCH and np.isfinite(total) and total != 0.0


def test_both_sides_get_the_same_tables_and_each_shape_its_own():
    a, b = table_initializer((256, 8)), table_initializer([256, 8], dtype="float32")
    assert a.dtype == np.float32 and a.shape == (256, 8)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(table_initializer((1000, 8))[:256], a)


def test_summary_anchors_on_the_in_graph_form_and_keeps_the_per_call_row():
    lines = [
        {"bench": "feature_layer", "ours_rows_per_s": 900, "tf_rows_per_s": 300},
        {"bench": "feature_layer_per_call", "ours_rows_per_s": 900,
         "tf_rows_per_s": 150},
        {"bench": "end_to_end", "ours_rows_per_s": 400, "tf_rows_per_s": 100},
    ]  # fmt: skip
    rows = {r.workload: r for r in summary.summary_rows({"feature_columns": lines})}
    anchor = rows["DenseFeatures, taxi feature set, parsed batches of 256"]
    assert "one tf.function" in anchor.baseline
    assert (anchor.ratio, anchor.goal, anchor.source, anchor.met) == (
        3.0,
        3.0,
        "#16",
        True,
    )
    per_call = rows["DenseFeatures, parsed batches of 256 (TF called per batch)"]
    assert (per_call.ratio, per_call.goal) == (6.0, None)
    e2e = rows["CSV shards -> parse -> DenseFeatures"]
    assert (e2e.ratio, e2e.goal, e2e.met) == (4.0, 5.0, False)


def test_the_anchor_pairs_each_pass_with_tfs_fastest_form_in_that_pass():
    passes = {"ours": [600.0, 300.0, 450.0], "a": [200.0, 100.0, 90.0],
              "b": [100.0, 150.0, 150.0], "per_call": [500.0] * 3}  # fmt: skip
    result = {"bench": "feature_layer", "ours_rows_per_s": 600.0, "passes": passes,
              "tf_forms": {"a": 200.0, "b": 150.0, "per_call": 500.0}}  # fmt: skip
    graph = bench.with_anchor(result, ["a", "b"])
    assert graph["tf_rows_per_s_passes"] == [200.0, 150.0, 150.0]
    assert graph["ours_rows_per_s_passes"] == [600.0, 300.0, 450.0]
    assert graph["median_ratio"] == 3.0 and graph["ratio_spread"] == [2.0, 3.0]
    rows = summary.summary_rows({"feature_columns": [graph]})
    anchor = next(r for r in rows if r.source == "#16" and r.goal == 3.0)
    assert anchor.ratio == 3.0 and anchor.spread == (2.0, 3.0)
