"""``benchmarks.bench_cli``'s count rows: sidecars really deleted before the
framing count, the method of each count checked, the index build reported
next to the count that leaves it out (tiny files; no TensorFlow)."""

from __future__ import annotations

import json
import os

import pytest

from benchmarks import bench_cli
from pipeline.io.index import index_path_of
from pipeline.io.tfrecord_writer import TFRecordWriter


@pytest.fixture
def shards(tmp_path):
    files = []
    for i in range(2):
        path = str(tmp_path / f"part-{i}.tfrecord")
        with TFRecordWriter(path) as w:
            for j in range(5 + i):
                w.write(b"record %d" % j)
        files.append(path)
    return files


def test_sidecars_are_deleted_where_pipeline_index_writes_them(shards):
    bench_cli._quiet_main(["index", *shards, "-q"])
    assert all(os.path.exists(index_path_of(f)) for f in shards)
    assert bench_cli._count_doc(shards, "index")["total"] == 11
    bench_cli._drop_indexes(shards)
    assert bench_cli._count_doc(shards, "framing")["total"] == 11


def test_a_count_by_another_method_than_expected_fails(shards):
    bench_cli._quiet_main(["index", *shards, "-q"])
    with pytest.raises(AssertionError, match="expected every file counted by framing"):
        bench_cli._ours_count(shards)
    bench_cli._drop_indexes(shards)
    with pytest.raises(AssertionError, match="counted by index, got {'framing'}"):
        bench_cli._indexed_count(shards)


def test_index_then_count_rebuilds_the_sidecars_inside_its_timer(shards):
    seconds, total = bench_cli._index_then_count(shards)
    assert total == 11 and seconds > 0
    assert bench_cli._count_doc(shards, "index")["total"] == 11


def test_the_indexed_count_names_its_untimed_build(capsys):
    results = {
        "count (framing)": [2.0, 2.5],
        "tf reduce count": [4.0, 5.0],
        bench_cli.INDEX_THEN_COUNT: [2.5, 2.5],
        bench_cli.INDEX_BUILD: [2.25, 3.0],
        bench_cli.COUNT_INDEXED: [0.5, 0.25],
    }
    bench_cli._report(results, 1000, 1.0)
    out = capsys.readouterr().out.splitlines()
    docs = {d["what"]: d for d in map(json.loads, (x for x in out if x[:1] == "{"))}
    count = docs["count (index)"]
    assert count["index_built"] == "beforehand, untimed"
    assert count["index_build_seconds"] == 2.25 and count["rows_per_s"] == 4000
    assert count["rows_per_s_passes"] == [2000, 4000]  # every pass, for the summary
    assert "index_build_seconds" not in docs[bench_cli.INDEX_THEN_COUNT]
    table = next(x for x in out if x.startswith("count (index)"))
    assert table.endswith("sidecars built beforehand in 2.250 s, untimed")
