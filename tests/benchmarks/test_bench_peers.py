"""``benchmarks.bench_peers``: the checks that make its sides comparable, the
sides that the dev environment has (ours, torch), and its summary rows."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import bench_peers, peer_sides, summary
from benchmarks.taxi_data import COLUMNS, DTYPES, taxi_columns

ROWS = 700


def _expected_sums(fmt: str) -> dict:
    """Column sums straight from the generator: an empty cell counts as 0."""
    values, missing = taxi_columns(ROWS)
    sums = {}
    for name in COLUMNS:
        kept = values[name][~missing[name]]
        if DTYPES[name] is object:
            sums[name] = sum(len(v) for v in kept)
        elif np.dtype(DTYPES[name]).kind == "f":
            sums[name] = float(kept.astype(np.float64).sum())
        else:
            sums[name] = int(kept.astype(np.int64).sum())
    return {"rows": ROWS, "sums": sums}


@pytest.mark.parametrize("fmt", ["csv", "tfrecord"])
@pytest.mark.parametrize("side", ["ours", "torch0"])
def test_a_side_yields_the_generators_rows_and_sums(tmp_path, fmt, side):
    files = bench_peers.files_of(fmt, ROWS, str(tmp_path))
    got = bench_peers.child(fmt, side, files, ROWS, check=True, min_seconds=0.0)
    assert got["rows"] == got["timed_rows"] == ROWS and got["repeats"] == 1
    assert bench_peers.same_results(_expected_sums(fmt), got)
    assert got["seconds"] > 0


def test_timed_passes_repeat_until_min_seconds_and_want_every_row(tmp_path):
    files = bench_peers.files_of("tfrecord", ROWS, str(tmp_path))
    got = bench_peers.child("tfrecord", "ours", files, ROWS, False, 0.05)
    assert got["seconds"] >= 0.05 and got["timed_rows"] == ROWS * got["repeats"]
    assert "sums" not in got  # not checked
    with pytest.raises(ValueError, match=f"tfrecord:ours gave {ROWS} rows, not 701"):
        bench_peers.child("tfrecord", "ours", files, ROWS + 1, False, 0.0)


def test_peak_rss_is_this_processes_and_its_largest_childs():
    import subprocess
    import sys

    code = "b = bytearray(64 << 20); b[::4096] = b'x' * len(b[::4096])"
    subprocess.run([sys.executable, "-c", code], check=True)
    got = bench_peers.with_peak_rss({"rows": 1})
    assert got["rows"] == 1 and got["rss_mib"] > 1
    assert got["children_rss_mib"] >= 64  # the child touched 64 MiB


def _batch(n: int = 3, **changes) -> dict:
    batch = {
        name: np.array([b"ab"] * n, dtype=object)
        if DTYPES[name] is object
        else np.ones(n, DTYPES[name])
        for name in COLUMNS
    }
    return {**batch, **changes}


def test_checksums_sum_numbers_and_string_bytes():
    got = bench_peers.checksums([_batch(3), _batch(2)], "csv")
    assert got["rows"] == 5
    assert got["sums"]["vendor_id"] == 10 and got["sums"]["fare_amount"] == 5.0
    assert got["sums"]["passenger_count"] == 5


def test_checksums_refuse_another_dtype_or_a_batch_over_256():
    wrong = _batch(3, hour_of_day=np.ones(3, np.int64))
    with pytest.raises(ValueError, match="hour_of_day: int64.*want int32"):
        bench_peers.checksums([wrong], "csv")
    with pytest.raises(ValueError, match="passenger_count: int32.*want int64"):
        bench_peers.checksums([_batch(3)], "tfrecord")  # an Example's ints: int64
    with pytest.raises(ValueError, match="a batch of 257 rows"):
        bench_peers.checksums([_batch(257)], "csv")


def test_touched_rows_refuses_columns_of_different_lengths():
    assert bench_peers.touched_rows([_batch(4), _batch(1)]) == 5
    with pytest.raises(ValueError, match="different lengths"):
        bench_peers.touched_rows([_batch(4, vendor_id=np.array([b"x"], object))])


def test_same_results_wants_the_same_rows_and_sums():
    a = {"rows": 5, "sums": {"f": 1.5, "i": 3, "s": 10}}
    assert bench_peers.same_results(
        a, {**a, "sums": {"f": 1.5 + 1e-13, "i": 3, "s": 10}}
    )
    assert not bench_peers.same_results(
        a, {**a, "sums": {"f": 1.5001, "i": 3, "s": 10}}
    )
    assert not bench_peers.same_results(a, {**a, "sums": {"f": 1.5, "i": 3, "s": 11}})
    assert not bench_peers.same_results(a, {**a, "rows": 4})
    assert not bench_peers.same_results(a, {"rows": 5})  # not checked


def _run(rate: float, sums: dict | None = None, rss: float = 100.0) -> dict:
    return {"rows": 5, "timed_rows": 5, "sums": sums or {"x": 1}, "rows_per_s": rate,
            "rss_mib": rss, "children_rss_mib": 0.0}  # fmt: skip


def test_peer_line_takes_medians_over_the_pairs_and_their_spread():
    runs = {
        "ours": [_run(100), _run(300), _run(200)],
        "polars": [_run(50), _run(100), _run(25)],
    }
    line = bench_peers.peer_line("csv", "polars", runs, 5)
    assert line["ours_rows_per_s"] == 200 and line["theirs_rows_per_s"] == 50
    assert (line["ratio"], line["ratio_min"], line["ratio_max"]) == (3.0, 2.0, 8.0)
    assert line["same_results"] and line["pairs"] == 3


def test_a_peer_with_other_sums_or_a_failed_pass_gets_no_rate():
    runs = {"ours": [_run(100), None], "grain": [_run(50, {"x": 2}), _run(40)]}
    line = bench_peers.peer_line("csv", "grain", runs, 5)
    assert line["pairs"] == 1 and line["same_results"] is False
    assert line["theirs_rows_per_s"] is None and line["ratio"] is None
    runs = {"ours": [_run(100), _run(90)], "grain": [None, _run(40)]}
    line = bench_peers.peer_line("csv", "grain", runs, 5)  # its checked pass failed
    assert line["same_results"] is False and line["ratio"] is None


def test_memory_lines_name_each_side_with_its_largest_peak():
    runs = {"ours": [_run(1, rss=80), _run(1, rss=90)], "torch2": [None]}
    lines = bench_peers.memory_lines("tfrecord", runs)
    assert lines == [{"bench": "peers", "what": "tfrecord, ours",
                      "peak_rss_mib": 90, "children_peak_rss_mib": 0.0}]  # fmt: skip
    runs = {"torch2": [{**_run(1, rss=80), "children_rss_mib": 55.4}]}
    (line,) = bench_peers.memory_lines("csv", runs)
    assert (
        line["what"]
        == "csv, torch DataLoader, 2 workers (largest child process: 55 MiB)"
    )
    assert line["children_peak_rss_mib"] == 55.4


def test_every_side_is_registered_and_every_peer_has_a_summary_row():
    for fmt, sides in (("csv", peer_sides.CSV_SIDES),
                       ("tfrecord", peer_sides.TFRECORD_SIDES)):  # fmt: skip
        assert {s for f, s in peer_sides.SIDES if f == fmt} == set(sides)
    lines = [
        {"workload": f"{fmt}:{side}", "ours_rows_per_s": 30, "theirs_rows_per_s": 10}
        for fmt, side in peer_sides.SIDES
        if side != "ours"
    ]
    rows = summary.summary_rows({"peers": lines})
    assert len(rows) == len(lines) and all(r.ratio == 3.0 for r in rows)
    goals = {r.workload.split("vs ")[1]: r.goal for r in rows if "CSV" in r.workload}
    assert goals == {"Ray Data": 2.0, "torch, 0 workers": 3.0,
                     "torch, 2 workers": 3.0, "Grain": 2.0, "polars": 2.0}  # fmt: skip


def test_docstring_examples():
    import doctest

    for module in (bench_peers, peer_sides):
        result = doctest.testmod(module)
        assert result.attempted >= 1 and result.failed == 0, module
