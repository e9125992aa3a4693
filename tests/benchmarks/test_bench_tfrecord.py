"""``benchmarks.bench_tfrecord``: the check that both sides yield the same
batches, and which of our idioms goes through the map->batch rewrite (our own
pipelines on both sides of the check; no TensorFlow)."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import bench_tfrecord as bt


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return bt.write_shards(str(tmp_path_factory.mktemp("taxi")), 600)


def test_equal_pipelines_pass_with_their_row_count(files):
    ours = bt.our_pipelines(files)
    again = bt.our_pipelines(files)
    assert bt.check_same(ours["batch_then_parse"], again["per_record"]) == 600
    assert bt.check_same(ours["per_record_no_rewrite"], again["per_record"]) == 600


def test_a_changed_column_dtype_or_batch_count_is_named(files):
    ours = bt.our_pipelines(files)["batch_then_parse"]

    def nudge(batch):
        return dict(batch, fare_amount=batch["fare_amount"] + 1)

    with pytest.raises(AssertionError, match="batch 0, column fare_amount differs"):
        bt.check_same(ours, ours.map(nudge))

    def as_int32(batch):
        return dict(batch, hour_of_day=batch["hour_of_day"].astype("int32"))

    with pytest.raises(AssertionError, match="column hour_of_day differs"):
        bt.check_same(ours, ours.map(as_int32))
    with pytest.raises(AssertionError, match="batch counts differ at batch 2"):
        bt.check_same(ours, ours.take(2))


def test_only_per_record_goes_through_the_rewrite(files):
    plans = {k: v.explain() for k, v in bt.our_pipelines(files).items()}
    optimized = {k: p.split("optimized:")[-1] for k, p in plans.items()}
    assert "vectorized_map" in optimized["per_record"]
    assert "vectorized_map" not in optimized["per_record_no_rewrite"]
    assert "vectorized_map" not in optimized["batch_then_parse_2threads"]
    assert bt.TF_IDIOM == {
        "per_record_no_rewrite": "per_record",
        "batch_then_parse_2threads": "batch_then_parse",
        "cached_parse_2threads": "cached_parse",
    }


def test_two_threads_yield_the_one_thread_batches(files):
    ours = bt.our_pipelines(files)
    assert "num_parallel_calls=2" in ours["batch_then_parse_2threads"].explain()
    two, one = ours["batch_then_parse_2threads"], ours["batch_then_parse"]
    assert bt.check_same(two, one) == 600


def test_a_line_carries_every_pass(capsys):
    bt._report({("ours", "x"): [2.0, 1.0, 4.0], ("tf", "x"): [4.0] * 3}, 100, 1.0)
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("{")]
    assert '"rows_per_s_passes": [50, 100, 25]' in lines[0]
    assert '"rows_per_s": 50' in lines[0] and '"ratio_vs_tf": 2.0' in lines[0]


def test_the_cached_parser_rows_drop_the_partial_batch_and_match(files):
    ours = bt.our_pipelines(files)
    assert "cache" in ours["cached_parse"].explain()
    assert "num_parallel_calls=2" in ours["cached_parse_2threads"].explain()
    one, two = ours["cached_parse"], ours["cached_parse_2threads"]
    rows = bt.check_same(two, one)
    assert rows == bt.expected_rows("cached_parse", 600) == 512
    again = bt.our_pipelines(files)["batch_then_parse"]  # the first 512 rows alike
    first = [b for _, b in zip(range(2), iter(again), strict=False)]
    cached = list(one)
    for a, b in zip(first, cached, strict=True):
        assert all(np.array_equal(a[k], b[k]) for k in a)
