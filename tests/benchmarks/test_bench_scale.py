"""``benchmarks.bench_scale`` and its data (``benchmarks.scale_data``): the sets
it writes and reuses, the disk check, the pipeline reading every row once per
epoch, the goal lines, and one tiny end-to-end run (ours only; no TensorFlow)."""

from __future__ import annotations

import doctest
import json
import os
import shutil
from collections import namedtuple

import numpy as np
import pytest

from benchmarks import bench_scale as bs
from benchmarks import scale_data as sd
from benchmarks.taxi_data import taxi_columns


@pytest.fixture(scope="module")
def small_set(tmp_path_factory):
    root = str(tmp_path_factory.mktemp("scale"))
    paths = sd.write_set(root, 400_000, 3, shard_bytes=150_000)
    return root, paths


def test_sizes_parse_and_print_as_the_issue_writes_them():
    assert sd.parse_size("10G") == 10**10 and sd.parse_size("256mb") == 256 * 10**6
    assert sd.parse_size("1.5G") == 1_500_000_000 and sd.parse_size("77") == 77
    assert sd.size_label(10**10) == "10 GB" and sd.size_label(1_500) == "1.5 KB"
    with pytest.raises(ValueError, match="could not convert"):
        sd.parse_size("lots")


def test_a_set_has_about_its_size_in_shards_and_the_seeds_rows(small_set):
    root, paths = small_set
    assert len(paths) == 4  # at least 4 shards, even when smaller than one
    total = sum(os.path.getsize(p) for p in paths)
    assert abs(total - 400_000) < 4_000  # the mean record size is a sample's
    from benchmarks.bench_tfrecord import example_spec
    from pipeline.io import parse_example
    from pipeline.io.tfrecord import iter_records

    records = [r for p in paths for r in iter_records(p)]
    parsed = parse_example(np.array(records, dtype=object), example_spec())
    values, missing = taxi_columns(len(records), seed=3)
    fare, hour = parsed["fare_amount"], parsed["hour_of_day"]
    assert np.array_equal(fare, values["fare_amount"])  # the label is never missing
    want = np.where(missing["hour_of_day"], 0, values["hour_of_day"])
    assert np.array_equal(hour, want)


def test_a_finished_set_is_reused_and_an_unfinished_one_rewritten(small_set):
    root, paths = small_set
    before = {p: os.stat(p).st_mtime_ns for p in paths}
    assert sd.write_set(root, 400_000, 3, shard_bytes=150_000) == paths
    assert {p: os.stat(p).st_mtime_ns for p in paths} == before
    folder = sd.set_dir(root, 400_000, 3)
    other = sd.set_dir(root, 200_000, 3)
    shutil.copytree(folder, other)  # shards without the marker of their size
    for name in os.listdir(other):
        if name.startswith(".complete"):
            os.remove(os.path.join(other, name))
    rewritten = sd.write_set(root, 200_000, 3, shard_bytes=150_000)
    assert sum(os.path.getsize(p) for p in rewritten) < 250_000
    assert sorted(os.listdir(other)) == sorted(
        [os.path.basename(p) for p in rewritten]
        + [n for n in os.listdir(other) if n.startswith(".complete")]
    )


def test_a_short_disk_stops_before_writing(tmp_path, monkeypatch):
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(sd.shutil, "disk_usage", lambda _: usage(10, 5, 5 * 10**8))
    with pytest.raises(SystemExit, match=r"0\.5 GB free; the set needs 10\.0 GB"):
        sd.write_set(str(tmp_path), 10**10, 0, shard_bytes=256 * 10**6)
    assert not os.path.exists(sd.set_dir(str(tmp_path), 10**10, 0))


@pytest.mark.parametrize("read", ["flat_map", "interleave"])
def test_the_pipeline_reads_every_row_once_per_epoch_shuffled(small_set, read):
    root, paths = small_set
    folder = sd.set_dir(root, 400_000, 3)
    ds = bs.our_pipeline(folder, 300, 64, 0, read)
    epochs = [np.concatenate([b["fare_amount"] for b in ds]) for _ in range(2)]
    values, _ = taxi_columns(len(epochs[0]), seed=3)
    for got in epochs:
        assert np.array_equal(np.sort(got), np.sort(values["fare_amount"]))
        assert not np.array_equal(got, values["fare_amount"])  # shuffled
    assert not np.array_equal(epochs[0], epochs[1])  # reshuffled each epoch
    figures = bs.read_epochs(ds, 2, tf_side=False)
    assert figures["rows"] == 2 * len(epochs[0])
    assert len(figures["epoch_seconds"]) == 2 and figures["hwm_after_epoch_mib"][1] > 1


def _line(size: str, passes: list[int], rss: float, side: str = "ours") -> dict:
    return {"size": size, "side": side, "rows_per_s": int(np.median(passes)),
            "rows_per_s_passes": passes, "peak_rss_mib": rss, "bytes": 1,
            "mb_per_s": 1.0}  # fmt: skip


def test_goal_lines_pair_the_largest_set_with_the_base_round_by_round():
    lines = [
        _line("100 MB", [100, 120, 90], 150.0),
        _line("100 MB", [50, 60, 40], 700.0, side="tf"),
        _line("1 GB", [200, 100, 300], 160.0),
        _line("10 GB", [190], 170.0),
    ]
    rss, rate = bs.summary_lines(lines, "1 GB", 2)
    assert rss["ours_rss_mib"] == 170.0 and rss["size"] == "10 GB"
    assert rss["budget_rss_mib"] == pytest.approx(1430.5, abs=0.1)
    assert rate["base_rows_per_s_passes"] == [200]  # the round the largest ran
    assert rate["ours_rows_per_s_passes"] == [190] and rate["ratio"] == 0.95
    only = bs.summary_lines(lines[:2], "1 GB", 2)
    assert [x["workload"] for x in only] == ["peak RSS, largest set"]


def test_a_tiny_run_prints_each_size_and_the_goal_lines(tmp_path, capsys):
    data = str(tmp_path / "sets")
    argv = ["--sizes", "200K,400K", "--base", "200K", "--passes", "2",
            "--largest-passes", "1", "--buffer", "500", "--no-tf", "--data", data,
            "--clean"]  # fmt: skip
    assert bs.main(argv) == 0
    out = capsys.readouterr().out
    lines = [json.loads(x) for x in out.splitlines() if x.startswith("{")]
    sizes = {x["size"]: x for x in lines if x.get("side") == "ours"}
    assert sizes["200 KB"]["passes"] == 2 and sizes["400 KB"]["passes"] == 1
    assert sizes["400 KB"]["rows"] == 2 * round(400_000 / sd.record_bytes(0))
    assert 20 < sizes["400 KB"]["peak_rss_mib"] < 1000
    rate = next(x for x in lines if x.get("workload") == "rate, largest set vs base")
    assert rate["base"] == "200 KB" and rate["size"] == "400 KB"
    assert "rate vs first" in out  # the growth table
    assert os.listdir(data) == []  # --clean


@pytest.mark.parametrize("module", [bs, sd])
def test_docstring_examples(module):
    failures, tried = doctest.testmod(module)
    assert tried and not failures
