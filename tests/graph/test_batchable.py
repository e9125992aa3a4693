"""graph.batchable: which map functions may run once over a whole batch,
decided from their code without calling them."""

from __future__ import annotations

import functools

import numpy as np
import pytest

import pipeline as pl
from pipeline.graph.batchable import batchable, is_parser
from pipeline.graph.vectorize import BatchMapper

COLUMNS = ["a", "b", "c"]
LABEL = "c"
DEFAULTS = [[0], [0.0], [0]]
SPEC = {"x": pl.io.FixedLenFeature([], np.int64)}
lib = pl.io


def seed_course_parse_line(line):
    columns = lib.decode_csv(line, DEFAULTS)
    features = dict(zip(COLUMNS, columns))
    label = features.pop(LABEL)
    return features, label


def normalizing(line):
    image = lib.decode_csv(line, DEFAULTS)[1]
    return image / image.max()  # a batch's max is not an element's


@pytest.mark.parametrize(
    "fn",
    [
        pl.io.decode_csv,
        functools.partial(pl.io.parse_single_example, features=SPEC),
        seed_course_parse_line,
        lambda r: pl.io.parse_single_example(r, SPEC),
        lambda r: pl.io.parse_single_example(r, SPEC)["x"],
        lambda line, y: ({"cols": lib.decode_csv(line, DEFAULTS)}, y),
    ],
)
def test_parsers_and_arrangements_of_their_results_are_batchable(fn):
    assert batchable(fn)


@pytest.mark.parametrize(
    "fn",
    [
        normalizing,
        lambda r: pl.io.parse_single_example(r, SPEC)["x"] * 2,
        lambda r: np.sum(lib.decode_csv(r, DEFAULTS)),
        lambda r: lib.decode_csv(r, DEFAULTS)[0].T,
        lambda r: len(lib.decode_csv(r, DEFAULTS)),
        lambda r: {k: v for k, v in zip(COLUMNS, lib.decode_csv(r, DEFAULTS))},
        lambda r: r,  # nothing to vectorize
        abs,
    ],
)
def test_computations_on_results_are_not_batchable(fn):
    assert not batchable(fn)


def test_a_user_function_named_like_a_parser_is_not_one():
    def decode_csv(x, defaults):
        return x

    assert not is_parser(decode_csv)
    assert not batchable(lambda r: decode_csv(r, DEFAULTS))


def test_seed_course_pipeline_is_vectorized_and_matches_per_element():
    lines = np.array([b"1,2.5,3", b"4,5.5,6", b"7,8.5,9"], dtype=object)
    ds = pl.data.Dataset.from_tensor_slices(lines).map(seed_course_parse_line)
    batched = ds.batch(2)
    assert "vectorized_map" in batched.explain(print_plan=False)
    from testing_state import assert_elements_equal

    plain = batched.with_options(pl.data.Options(optimize=False))
    assert_elements_equal(list(batched), list(plain))


def test_batch_mapper_falls_back_when_the_result_is_not_a_batch():
    mapper = BatchMapper(lambda x: np.asarray(x)[0])
    assert mapper(np.array([[1, 2], [3, 4], [5, 6]]), 0).tolist() == [1, 3, 5]
    assert mapper.vectorized is False
    ok = BatchMapper(lambda x: np.asarray(x) + 1)
    assert ok(np.array([1, 2]), 0).tolist() == [2, 3] and ok.vectorized


def test_parsers_held_by_objects_are_found_without_running_code():
    import types

    touched = []

    class Lib:
        decode_csv = staticmethod(pl.io.decode_csv)

        @property
        def parse(self):  # reading it would run code: never read
            touched.append(1)
            return pl.io.decode_csv

    ns = types.SimpleNamespace(decode_csv=pl.io.decode_csv)
    lib = Lib()

    def bench_style(line):  # benchmarks/bench_csv.py's seed-course idiom
        columns = ns.decode_csv(line, DEFAULTS)
        features = dict(zip(COLUMNS, columns))
        return features, features.pop(LABEL)

    assert batchable(bench_style)
    assert batchable(lambda line: lib.decode_csv(line, DEFAULTS))
    assert not batchable(lambda line: lib.parse(line, DEFAULTS))
    assert touched == []


def test_tf_s_map_and_batch_fusion_option_turns_the_rewrite_off():
    lines = np.array([b"1,2.5,3", b"4,5.5,6"], dtype=object)
    ds = pl.data.Dataset.from_tensor_slices(lines).map(seed_course_parse_line).batch(2)
    tf_style = pl.data.Options()
    tf_style.experimental_optimization.map_and_batch_fusion = False
    assert tf_style.map_vectorization is False  # one switch, two names
    ours = pl.data.Options(map_vectorization=False)
    assert ours.experimental_optimization.map_and_batch_fusion is False
    for options in (tf_style, ours):
        plan = ds.with_options(options).explain(print_plan=False)
        assert "vectorized_map" not in plan
