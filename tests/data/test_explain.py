"""Dataset.explain(): the optimized plan only when optimizing changed the plan."""

from __future__ import annotations

import pipeline as pl
from pipeline.data.explain import UNCHANGED

D = pl.data.Dataset


def test_plans_that_differ_are_both_shown(capsys):
    ds = D.range(4).map(lambda x: x + 1).map(lambda x: x * 2)
    text = ds.explain()
    assert capsys.readouterr().out == text + "\n"
    lines = text.splitlines()
    assert lines[0] == "plan:" and lines.count("optimized:") == 1
    before, after = text.split("optimized:\n")
    assert before.count("map(") == 2 and after.count("map(") == 1  # fused
    assert "prefetch(buffer_size=-1)" in after and "prefetch" not in before
    assert UNCHANGED not in text


def test_a_plan_the_optimizer_leaves_alone_is_shown_once(capsys):
    ds = D.range(5).batch(2).prefetch(3)
    text = ds.explain()
    assert capsys.readouterr().out == text + "\n"
    assert text.splitlines() == [
        "plan (run as it is: the optimizer changes nothing):",
        "  prefetch(buffer_size=3)",
        "    batch(batch_size=2, drop_remainder=False)",
        "      range(start=0, stop=5, step=1)",
    ]


def test_optimizations_turned_off_show_the_plan_once():
    ds = D.range(3).map(lambda x: x + 1).map(lambda x: x * 2)
    text = ds.with_options(pl.data.Options(optimize=False)).explain(print_plan=False)
    assert text.startswith(UNCHANGED + "\n") and "optimized:" not in text
    assert text.count("map(") == 2


def test_autotune_lines_follow_either_layout():
    ds = D.range(3).map(lambda x: x, num_parallel_calls=pl.data.AUTOTUNE)
    opts = pl.data.Options(num_threads=2, optimize=False)
    text = ds.with_options(opts).explain(print_plan=False)
    assert text.startswith(UNCHANGED)
    assert text.splitlines()[-2:] == ["autotune:", "  map: AUTOTUNE -> 2 threads"]
    prefetched = D.range(3).prefetch(pl.data.AUTOTUNE).explain(print_plan=False)
    assert "  prefetch: AUTOTUNE -> buffer sized from element bytes" in prefetched
