"""Issue 15's absolute goals for verify and stats as rows of the summary.

The canned lines have the shape ``bench_cli._rates`` prints; the figures are
made up.
"""

from __future__ import annotations

from benchmarks import summary


def _rows(lines):
    return {r.workload: r for r in summary.summary_rows({"cli": lines})}


def test_a_rate_against_its_goal_is_a_row_with_ratio_goal_one():
    rows = _rows([
        {"bench": "cli", "what": "verify (taxi, 8 shards)", "rows_per_s": 1_500_000,
         "goal_rows_per_s": 1_000_000},
        {"bench": "cli", "what": "stats (TFX-style gzip, 12)", "rows_per_s": 200_000,
         "goal_rows_per_s": 300_000},
    ])  # fmt: skip
    verify = rows["`pipeline verify`, taxi, 8 shards"]
    assert (verify.theirs, verify.ours, verify.ratio) == (1_000_000, 1_500_000, 1.5)
    assert (verify.goal, verify.source, verify.met) == (1.0, "#15", True)
    assert rows["`pipeline stats`, TFX-style gzip, 12"].met is False


def test_without_its_lines_the_goal_rows_are_left_out():
    rows = _rows([{"bench": "cli", "what": "count (framing)", "rows_per_s": 10}])
    assert not [w for w in rows if "verify" in w or "stats" in w]
