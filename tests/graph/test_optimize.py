"""Rewrites: noop elimination, map fusion, map->batch vectorization, final prefetch,
and what explain() shows."""

from __future__ import annotations

import numpy as np

import pipeline as pl
from pipeline.graph.optimize import optimize, plan_text
from pipeline.io.vectorized import in_batch_mode, note_vectorizable_call

D = pl.data.Dataset


def fake_parse(x):
    """A parser that marks itself vectorizable and handles batches in batch mode."""
    note_vectorizable_call("fake_parse")
    calls.append(in_batch_mode())
    return np.asarray(x) * 10


calls: list[bool] = []


def test_noops_dropped_and_prefetch_added():
    ds = D.range(5).take(-1).skip(0).repeat(1).shard(1, 0).map(lambda x: x)
    text = plan_text(optimize(ds._node))
    assert text.splitlines() == [
        "prefetch(buffer_size=-1)",
        "  range(start=0, stop=5, step=1)",
    ]
    assert [int(x) for x in ds] == [0, 1, 2, 3, 4]


def test_adjacent_maps_fused_with_tuple_convention():
    ds = D.range(4).map(lambda x: (x, x + 1)).map(lambda a, b: a * b)
    text = plan_text(optimize(ds._node, final_prefetch=False))
    assert text.count("map(") == 1 and " -> " in text
    assert [int(x) for x in ds] == [0, 2, 6, 12]


def test_explain_shows_plan_before_and_after(capsys):
    ds = D.range(3).map(lambda x: x + 1).map(lambda x: x * 2)
    text = ds.explain()
    assert capsys.readouterr().out.strip() == text.strip()
    before, after = text.split("optimized:")
    assert before.count("map(") == 2 and after.count("map(") == 1
    assert "test_optimize.py:" in text


def test_options_turn_optimizations_off():
    ds = D.range(3).map(lambda x: x + 1).map(lambda x: x * 2)
    off = ds.with_options(pl.data.Options(optimize=False))
    text = off.explain(print_plan=False)  # nothing rewritten: the plan once
    assert "optimized:" not in text and "the optimizer changes nothing" in text
    assert text.count("map(") == 2 and "prefetch" not in text
    nofuse = ds.with_options(pl.data.Options(map_fusion=False))
    assert nofuse.explain(print_plan=False).split("optimized:")[1].count("map(") == 2


def test_map_batch_rewritten_when_parser_is_vectorizable():
    calls.clear()
    ds = D.from_tensor_slices(np.arange(10)).shuffle(4, seed=1).map(fake_parse).batch(4)
    after = ds.explain(print_plan=False).split("optimized:")[1]
    lines = [line.strip() for line in after.strip().splitlines()]
    assert lines[1].startswith("vectorized_map(fn=fake_parse") and lines[2].startswith(
        "batch("
    )
    calls.clear()
    out = list(ds)
    # no probe, no per-element check: each batch once, in batch mode
    assert calls == [True, True, True]
    ref = D.from_tensor_slices(np.arange(10)).shuffle(4, seed=1).map(fake_parse)
    want = list(ref.batch(4).with_options(pl.data.Options(optimize=False)))
    assert [b.tolist() for b in out] == [b.tolist() for b in want]


def not_elementwise(x):
    note_vectorizable_call("fake")
    return np.sum(x)  # sums a whole batch in batch mode: not the same result


def test_vectorized_result_checked_and_falls_back():
    ds = D.range(6).map(not_elementwise).batch(3)
    assert "vectorized_map" in ds.explain(print_plan=False)
    assert [b.tolist() for b in ds] == [[0, 1, 2], [3, 4, 5]]


def test_plain_functions_are_not_rewritten():
    ds = D.range(6).map(lambda x: x * 2).batch(3)
    assert "vectorized_map" not in ds.explain(print_plan=False)


def test_node_str_shows_arguments_and_function_location():
    text = str(
        D.range(3).map(fake_parse, num_parallel_calls=2).shuffle(2, seed=1)._node
    )
    assert text == "shuffle(buffer_size=2, seed=1, reshuffle_each_iteration=True)"
    inner = str(D.range(3).map(fake_parse, num_parallel_calls=2)._node)
    assert inner.startswith("map(fn=fake_parse @ test_optimize.py:")
    assert inner.endswith("num_parallel_calls=2)")


def test_explain_shows_autotune_choice():
    ds = D.range(5).map(lambda x: x + 1, num_parallel_calls=pl.data.AUTOTUNE)
    text = ds.with_options(pl.data.Options(num_threads=3)).explain(print_plan=False)
    assert "map: AUTOTUNE -> 3 threads" in text
    assert "prefetch(" not in text  # a parallel map buffers: no final prefetch


def test_map_spec_from_a_cheap_sample():
    seen = []

    def f(x):
        seen.append(int(x))
        return x, "s"

    spec = D.range(5, 10).shuffle(1000, seed=1).map(f).element_spec
    assert spec == (pl.TensorSpec((), np.int64), pl.TensorSpec((), pl.string))
    assert seen == [5]


def test_real_parsers_are_vectorized_and_match_per_element():
    io = pl.io
    lines = [b"a,1,0.5", b"bb,2,1.5", b"ccc,3,2.5", b",4,", b"e,5,4.5"]
    defaults = [np.array([b"?"], dtype=object), np.array([0], np.int64), [0.0]]
    ds = D.from_tensor_slices(np.array(lines, dtype=object))
    ds = ds.map(lambda line: io.decode_csv(line, defaults)).batch(2)
    assert "vectorized_map" in ds.explain(print_plan=False)
    from testing_state import assert_elements_equal

    got = list(ds)
    want = list(ds.with_options(pl.data.Options(optimize=False)))
    assert_elements_equal(got, want)
    assert got[1][0].tolist() == [b"ccc", b"?"] and got[1][1].dtype == np.int64


def test_parse_single_example_vectorized_matches_per_element():
    io = pl.io
    records = [
        io.serialize_example(
            {"id": np.array([i], np.int64), "w": np.array([i / 2], np.float32)}
        )
        for i in range(7)
    ]
    spec = {
        "id": io.FixedLenFeature([], np.int64),
        "w": io.FixedLenFeature([], np.float32),
    }
    ds = D.from_tensor_slices(np.array(records, dtype=object))
    ds = ds.map(lambda r: io.parse_single_example(r, spec)).batch(3)
    assert "vectorized_map" in ds.explain(print_plan=False)
    from testing_state import assert_elements_equal

    got = list(ds)
    assert_elements_equal(got, list(ds.with_options(pl.data.Options(optimize=False))))
    assert got[0]["id"].tolist() == [0, 1, 2]


def test_generators_are_not_consumed_by_specs_or_probes():
    calls = []

    def gen():
        calls.append(1)
        yield from (b"1", b"2", b"3")

    src = D.from_generator(gen, output_signature=pl.TensorSpec((), pl.string))
    ds = src.map(byte_length).batch(2)
    assert ds.element_spec == pl.TensorSpec((None,), np.int64)
    assert "vectorized_map" in ds.explain(print_plan=False)
    assert calls == []
    assert [b.tolist() for b in ds] == [[1, 1], [1]] and calls == [1]
    # a function failing on the stand-in (b"") gets the real first element
    spec = src.map(lambda s: np.int64(int(s))).element_spec
    assert spec == pl.TensorSpec((), np.int64) and calls == [1, 1]


def byte_length(s):
    note_vectorizable_call("byte_length")
    lengths = np.array([len(v) for v in np.asarray(s, dtype=object).ravel()])
    return lengths.reshape(np.shape(s)).astype(np.int64)
