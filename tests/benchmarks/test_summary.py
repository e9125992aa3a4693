"""The benchmark summary's formatting logic, fed canned JSON lines.

The lines have the shapes the ``benchmarks/bench_*.py`` scripts print; the
figures in them are made up and mean nothing: these tests check how rows,
ratios, goals and the RESULTS.md block are put together, not performance.
"""

from __future__ import annotations

import doctest
import json

import pytest

from benchmarks import machine, results_file, run_all, summary, summary_specs
from benchmarks.results_file import END, START, ImportTime, Memory, Report
from benchmarks.summary import Row

CANNED = {
    "overhead": [
        {"workload": "range_map_batch", "elements": 10, "ours_per_s": 300,
         "tf_per_s": 100, "ratio": 3.0},
        {"workload": "parallel_sort_map_t1", "elements": 10, "ours_per_s": 100,
         "tf_per_s": 10, "ratio": 10.0},
        {"workload": "parallel_sort_map_t2", "elements": 10, "ours_per_s": 150,
         "tf_per_s": 20, "ratio": 7.5},
        {"workload": "parallel_sort_map", "scaling_1_to_2": {"ours": 1.5, "tf": 2}},
    ],
    "csv": [
        {"bench": "csv", "case": "pyarrow:read_csv:typed", "rows_per_s": 1000},
        {"bench": "csv", "case": "pipeline:fast:typed", "rows_per_s": 300},
        {"bench": "csv", "case": "pipeline:per_line:typed@tf_rows", "rows_per_s": 250},
        {"bench": "csv", "case": "pipeline:make_csv_dataset:typed", "rows_per_s": 600},
        {"bench": "csv", "case": "tensorflow:fast:typed", "rows_per_s": 200},
        {"bench": "csv", "case": "tensorflow:per_line:typed@tf_rows", "rows_per_s": 10},
    ],
    "nn": [
        {"bench": "nn", "workload": "mlp", "rows": 10,
         "examples_per_s": {"ours": 120, "keras3": 50, "tf_keras": 100},
         "ratio_vs_fastest_tf": {"ours": 1.2}},
        {"bench": "nn", "blas": "openblas 0.3, 1 thread"},
    ],
    "optimizers": [
        {"bench": "optimizer_step", "optimizer": "Adam", "params": 5,
         "ours_steps_per_s": 40.0, "keras_steps_per_s": 10.0, "ratio": 4.0},
    ],
    "cli": [
        {"bench": "cli", "what": "count (framing)", "rows_per_s": 100},
        {"bench": "cli", "what": "tf reduce count", "rows_per_s": 50},
        {"bench": "cli", "what": "count (index)", "rows_per_s": 1000},
        {"bench": "cli", "what": "stats 2 shards", "rows_per_s": 9,
         "peak_rss_mib": 87},
    ],
}  # fmt: skip


def _by_workload(rows: list[Row]) -> dict[str, Row]:
    return {r.workload: r for r in rows}


def test_rows_follow_the_scripts_order_and_skip_scripts_without_lines():
    rows = summary.summary_rows(CANNED)
    firsts = [r.workload for r in rows]
    assert firsts[0] == "range(N).map(x * 2).batch(256), f in each side's own form"
    assert firsts[-1].startswith("`pipeline count` with the index against")
    assert not any(w.startswith(("TFRecord:", "DenseFeatures")) for w in firsts)


def test_ratios_goals_and_whether_met():
    rows = _by_workload(summary.summary_rows(CANNED))
    made = rows[
        "CSV to typed batches of 256: make_csv_dataset(batch_size=256), "
        "column_defaults given"
    ]
    assert (made.theirs, made.ours, made.goal, made.source) == (1000, 600, 1.0, "#16")
    assert made.ratio == pytest.approx(0.6) and made.met is False
    per_line = rows[
        "CSV: seed-course per-line map(decode_csv) -> batch(256), ours "
        "through our map->batch rewrite"
    ]
    assert per_line.ratio == 25 and per_line.met is True
    fast = rows[
        "CSV: flat_map(TextLineDataset) -> batch(256) -> map(decode_csv) (TF's fastest)"
    ]
    assert fast.ratio == 1.5 and fast.goal == 5.0 and fast.met is False
    scaling = rows["map(np.sort) scaling, 1 -> 2 threads (near-linear)"]
    assert (scaling.theirs, scaling.ours, scaling.met) == (100, 150, False)


def test_nn_compares_with_the_faster_keras_and_drops_absent_sides():
    rows = _by_workload(summary.summary_rows(CANNED))
    mlp = rows["fit: seed MLP 784-128-10, adam, batch 256"]
    assert (mlp.theirs, mlp.ours, mlp.met) == (100, 120, False)
    assert "fit: seed MLP, ours with 1 BLAS thread" not in rows  # no ours_blas1 side
    assert "predict(batch_size=1024), seed MLP" not in rows  # no line at all
    assert summary.blas_of(CANNED["nn"]) == "openblas 0.3, 1 thread"


def test_a_missing_side_leaves_the_row_with_no_ratio():
    rows = summary.summary_rows({"tfrecord": [
        {"bench": "tfrecord", "idiom": "batch_then_parse", "side": "ours",
         "rows_per_s": 500, "ratio_vs_tf": float("nan")}]})  # fmt: skip
    assert len(rows) == 2  # ours vs TF, and our 1 -> 2 threads (no 2-thread line)
    assert (rows[0].theirs, rows[0].ratio, rows[0].met) == (None, None, None)
    assert (rows[1].theirs, rows[1].ours, rows[1].ratio) == (500, None, None)
    table = results_file.rows_table(rows[:1])
    assert "| n/a | 500 | rows/s | n/a |  | ≥ 5x (#16) | n/a |" in table


def test_optimizer_rows_come_from_the_lines():
    rows = _by_workload(summary.summary_rows(CANNED))
    adam = rows["optimizer step: Adam (seed MLP's variables)"]
    assert (adam.unit, adam.ratio, adam.goal) == ("steps/s", 4.0, None)


def test_reported_memory_is_collected_with_labels():
    assert summary.reported_memory(CANNED) == [("cli: stats 2 shards", 87)]


def _report() -> Report:
    return Report(
        title="Summary (test)",
        machine={"cores": "2", "CPU": "Some CPU @ 2.0GHz"},
        rows=summary.summary_rows(CANNED),
        imports=[
            ImportTime("import pipeline", 0.0523, 30.2),
            ImportTime("import tensorflow", None),
        ],
        memory=[
            Memory("benchmarks.bench_csv", 812.4, 61.0, 140.6),
            Memory("benchmarks.bench_nn", 900.0, 30.0, None, returncode=1),
        ],
        reported_memory=[("cli: stats 2 shards", 87)],
        failed=["benchmarks.bench_nn"],
    )


def test_block_has_the_machine_the_tables_and_the_failures():
    block = results_file.render_block(_report())
    lines = block.splitlines()
    assert lines[0] == START and lines[-1] == END and lines[1] == "## Summary (test)"
    assert "- CPU: Some CPU @ 2.0GHz" in lines
    assert "| range(N).map(x * 2).batch(256), f in each side's own form | tf.data, " \
           "f traced into its graph | 100 | 300 | elements/s | 3.00x |  " \
           "| ≥ 1x (#2) | yes |" in lines  # fmt: skip
    assert "| `import pipeline` | 0.052 s | 30 MiB |" in lines
    assert "| `import tensorflow` | not installed |  |" in lines
    assert "| `benchmarks.bench_csv` | 61 | 812 MiB | 141 MiB |" in lines
    assert "| `benchmarks.bench_nn` (exit 1) | 30 | 900 MiB |  |" in lines
    assert "Failed (no figures or partial ones): `benchmarks.bench_nn`" in lines
    assert "- cli: stats 2 shards: peak RSS 87 MiB (reported by the script)" in lines
    assert "**no**" in block  # the CSV goal is not met in the canned figures


RESULTS_TEXT = """# Benchmark results

Each section: the command, the machine, the figures.

## CSV

| old | table |
"""


def test_first_block_goes_before_the_first_section_and_keeps_the_rest():
    block = f"{START}\nfirst\n{END}\n"
    new = results_file.replace_block(RESULTS_TEXT, block)
    head, rest = new.split(block)
    assert head == "# Benchmark results\n\nEach section: the command, the machine, " \
                   "the figures.\n\n"  # fmt: skip
    assert rest == "\n## CSV\n\n| old | table |\n"


def test_a_new_block_replaces_the_old_one_only():
    first = results_file.replace_block(RESULTS_TEXT, f"{START}\nfirst\n{END}\n")
    second = results_file.replace_block(first, f"{START}\nsecond\n{END}\n")
    assert "first" not in second and second.count(START) == 1
    assert second == first.replace("first", "second")
    again = results_file.replace_block(second, f"{START}\nsecond\n{END}\n")
    assert again == second


def test_a_file_without_sections_gets_the_block_at_the_end():
    new = results_file.replace_block("# Results\n", f"{START}\nx\n{END}\n")
    assert new == f"# Results\n\n{START}\nx\n{END}\n"


@pytest.mark.parametrize(
    "module", [summary, summary_specs, results_file, run_all, machine]
)
def test_docstring_examples(module):
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried and not failures


def test_global_shuffle_lines_as_the_script_prints_them_make_a_row(tmp_path, capsys):
    from benchmarks import bench_global_shuffle

    argv = ["--rows", "400", "--passes", "1", "--out", str(tmp_path)]
    assert bench_global_shuffle.main(argv) == 0
    lines = [
        json.loads(s) for s in capsys.readouterr().out.splitlines() if s[:1] == "{"
    ]
    rows = _by_workload(summary.summary_rows({"global_shuffle": lines}))
    row = rows["global_shuffle over indexed TFRecord shards"]
    assert row.ours == lines[0]["ours_rows_per_s"] > 0
    assert row.theirs == lines[0]["theirs_rows_per_s"] > 0
    assert "global_shuffle over row-indexed CSV shards" not in rows  # not run


def test_per_pass_rates_pair_pass_by_pass_into_a_median_ratio_and_its_spread():
    records = {"tfrecord": [
        {"idiom": "batch_then_parse", "side": "ours", "rows_per_s": 400,
         "rows_per_s_passes": [300, 400, 330, 360, 390]},
        {"idiom": "batch_then_parse", "side": "tf", "rows_per_s": 120,
         "rows_per_s_passes": [100, 100, 110, 120, 100]}]}  # fmt: skip
    row = summary.summary_rows(records)[0]
    assert row.pair_ratios == (3.0, 4.0, 3.0, 3.0, 3.9)
    assert row.ratio == 3.0  # the median pair, not best / best (400 / 120)
    assert (row.theirs, row.ours) == (100, 360)  # each side's median
    assert row.spread == (3.0, 4.0)
    assert "| 3.00x | 5: 3.00-4.00x |" in results_file.rows_table([row])


def test_pass_lists_of_different_lengths_fall_back_to_the_medians():
    records = {
        "tfrecord": [
            {
                "idiom": "batch_then_parse",
                "side": "ours",
                "rows_per_s_passes": [300, 500],
            },
            {"idiom": "batch_then_parse", "side": "tf", "rows_per_s_passes": [100]},
        ]
    }
    row = summary.summary_rows(records)[0]
    assert row.pair_ratios == () and row.spread is None
    assert row.ratio == 4.0


def test_the_faster_keras_is_taken_pass_by_pass():
    records = {"nn": [{"workload": "mlp", "examples_per_s": {},
                       "examples_per_s_passes": {"ours": [30, 30],
                                                 "keras3": [10, 5],
                                                 "tf_keras": [6, 15]}}]}  # fmt: skip
    row = summary.summary_rows(records)[0]
    assert row.pair_ratios == (3.0, 2.0)
