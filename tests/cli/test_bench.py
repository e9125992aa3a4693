"""``pipeline bench``: runs the real pipeline and reports figures."""

from __future__ import annotations

import json

import pytest

from pipeline.cli import main


@pytest.mark.parametrize(
    "name, records, stages",
    [("ex.tfrecord.gz", 10, ["map", "prefetch"]), ("raw.tfrecord", 7, ["prefetch"]),
     ("b.csv.gz", 12, ["prefetch"]), ("c.tsv", 12, ["prefetch"]),
     ("t.parquet", 4, ["prefetch"]), ("lines.txt", 3, ["prefetch"])],
)  # fmt: skip
def test_bench_reads_every_record(data, capsys, no_thread_leak, name, records, stages):
    argv = ["bench", str(data / name), "--batch-size", "4", "--json"]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["records"] == records
    assert doc["records_per_s"] > 0 and doc["mb_per_s"] > 0
    assert doc["bytes"] == (data / name).stat().st_size
    assert doc["batch_size"] == 4 and doc["epochs"] == 1
    # the threaded stages of the pipeline built for the format, each having
    # produced every batch of 4 records
    assert [s["stage"].split("(", 1)[0] for s in doc["stages"]] == stages
    assert [s["produced"] for s in doc["stages"]] == [-(-records // 4)] * len(stages)


def test_bench_epochs_and_parallelism_and_table(data, capsys, no_thread_leak):
    argv = ["bench", str(data / "ex.tfrecord"), "--epochs", "3", "--parallelism", "2"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("30 records in") and "records/s" in out and "MB/s" in out


def test_bench_refuses_mixed_formats(data, capsys):
    assert main(["bench", str(data / "a.csv"), str(data / "t.parquet")]) == 1
    assert "one format" in capsys.readouterr().err


def test_bench_bad_parallelism(data, capsys):
    assert main(["bench", str(data / "a.csv"), "--parallelism", "0"]) == 2
