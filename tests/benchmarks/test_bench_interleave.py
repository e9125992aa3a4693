"""``benchmarks.bench_interleave``: the pipelines read every row of the shards,
the check names a differing batch, and the JSON lines carry what the summary
rows need (our own pipelines; no TensorFlow)."""

from __future__ import annotations

import json

import pytest

from benchmarks import bench_interleave as bi
from benchmarks.summary_specs import SCRIPTS

ROWS = 3000


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return bi.shard_files(str(tmp_path_factory.mktemp("shards")), ROWS)


@pytest.mark.parametrize("fmt", bi.FORMATS)
def test_parallel_interleave_yields_the_sequential_interleave_batches(files, fmt):
    ours = bi._libs(False)["ours"]
    parallel = bi.pipeline(ours, fmt, "interleave", files[fmt])
    assert "num_parallel_calls=-1" in parallel.explain()
    sequential = bi.pipeline(ours, fmt, "interleave", files[fmt], calls=None)
    assert bi.check_same(parallel, sequential) == ROWS
    flat = bi.pipeline(ours, fmt, "flat_map", files[fmt])
    assert bi.timed(flat)[1] == ROWS
    with pytest.raises(AssertionError, match="batch 0 differs"):
        bi.check_same(parallel, flat)  # the same rows, in another order


def test_a_missing_batch_is_named(files):
    ours = bi._libs(False)["ours"]
    full = bi.pipeline(ours, "csv", "flat_map", files["csv"])
    with pytest.raises(AssertionError, match="batch counts differ at batch 3"):
        bi.check_same(full, full.take(3))


def test_lines_give_the_summary_its_rows(files, capsys, tmp_path):
    data = str(tmp_path)
    bi.main(["--rows", "600", "--passes", "2", "--no-tf", "--data", data])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if "{" in x]
    assert len(lines) == 4 and all(len(r["rows_per_s_passes"]) == 2 for r in lines)
    rates, specs = SCRIPTS["interleave"]
    got = rates(lines)
    goals = [s for s in specs(lines) if s.goal is not None]
    assert {(s.theirs, s.ours, s.goal) for s in goals} == {
        ("ours:csv:flat_map", "ours:csv:interleave", 0.9),
        ("ours:tfrecord:flat_map", "ours:tfrecord:interleave", 0.9),
    }
    assert all(got[s.ours] and got[s.theirs] for s in goals)
