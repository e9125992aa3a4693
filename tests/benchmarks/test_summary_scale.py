"""The summary rows of ``bench_scale``: TF on the smallest set, the largest set's
rate against the base (paired round by round) and its peak RSS against the
1.5 GB budget, a lower-is-better row."""

from __future__ import annotations

from benchmarks.results_file import rows_table
from benchmarks.summary import Row, summary_rows

_LINES = [
    {"bench": "scale", "workload": "ours 100 MB", "side": "ours", "size": "100 MB",
     "rows_per_s": 300, "rows_per_s_passes": [300, 310, 290]},
    {"bench": "scale", "workload": "tf 100 MB", "side": "tf", "size": "100 MB",
     "rows_per_s": 100, "rows_per_s_passes": [100, 100, 100]},
    {"bench": "scale", "workload": "ours 1 GB", "side": "ours", "size": "1 GB",
     "rows_per_s": 280, "rows_per_s_passes": [280, 270, 300]},
    {"bench": "scale", "workload": "ours 10 GB", "side": "ours", "size": "10 GB",
     "rows_per_s": 240, "rows_per_s_passes": [240]},
    {"bench": "scale", "workload": "peak RSS, largest set", "size": "10 GB",
     "ours_rss_mib": 1600.0, "budget_rss_mib": 1430.5},
    {"bench": "scale", "workload": "rate, largest set vs base", "base": "1 GB",
     "size": "10 GB", "base_rows_per_s": 280, "base_rows_per_s_passes": [280],
     "ours_rows_per_s": 240, "ours_rows_per_s_passes": [240], "ratio": 0.857},
]  # fmt: skip


def test_scale_rows_compare_with_tf_the_base_and_the_budget():
    tf, rate, rss = summary_rows({"scale": _LINES})
    assert tf.workload.endswith("100 MB set") and tf.baseline.startswith("TF")
    assert tf.pair_ratios == (3.0, 3.1, 2.9) and tf.goal is None
    assert rate.baseline == "ours on 1 GB" and "10 GB set against 1 GB" in rate.workload
    assert rate.pair_ratios == (240 / 280,) and rate.goal == 0.9
    assert rate.met is False and rate.source == "#16"
    assert (rss.theirs, rss.ours, rss.unit) == (1430.5, 1600.0, "MiB")
    assert rss.lower_is_better and rss.met is False  # over the budget


def test_a_lower_is_better_row_is_met_at_or_under_its_goal():
    def row(ours: float) -> Row:
        return Row("rss", "budget", 1000.0, ours, "MiB", 1.0, lower_is_better=True)

    assert row(999.0).met and row(1000.0).met and not row(1001.0).met
    assert Row("rate", "TF", 1000.0, 999.0, "rows/s", 1.0).met is False
    table = rows_table([row(500.0), Row("rate", "TF", 10.0, 20.0, "rows/s", 1.5)])
    assert "| 0.50x |  | ≤ 1x | yes |" in table
    assert "| 2.00x |  | ≥ 1.5x | yes |" in table


def test_without_tf_or_a_base_only_the_rows_that_ran_are_kept():
    lines = [x for x in _LINES if x.get("side") != "tf" and "base" not in x]
    (rss,) = summary_rows({"scale": lines})
    assert rss.workload.startswith("scale: peak RSS of the 10 GB run")
