"""`SequenceColumns`: the kernel path equals the record-by-record decoding."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline as pl
from pipeline.cli._sequence_columns import SequenceColumns
from pipeline.errors import InvalidArgumentError

_MAKERS = {
    "int64": lambda rng, n: pl.io.Feature(
        int64_list=pl.io.Int64List(rng.integers(-(2**40), 2**40, n).tolist())
    ),
    "float": lambda rng, n: pl.io.Feature(
        float_list=pl.io.FloatList(rng.normal(size=n).astype(np.float32).tolist())
    ),
    "string": lambda rng, n: pl.io.Feature(
        bytes_list=pl.io.BytesList([bytes(rng.integers(0, 256, 3)) for _ in range(n)])
    ),
}


def _random_record(rng, kinds: dict[str, str]) -> tuple[bytes, dict]:
    lists, want = {}, {}
    for name, kind in kinds.items():
        if rng.random() < 0.3:
            continue  # this record lacks the list
        steps = []
        for _ in range(int(rng.integers(0, 5))):
            empty = rng.random() < 0.1
            steps.append(
                pl.io.Feature() if empty else _MAKERS[kind](rng, rng.integers(0, 4))
            )
        lists[name] = pl.io.FeatureList(steps)
        want[name] = len(steps)
    context = (
        pl.io.Features({"c": _MAKERS["int64"](rng, 1)}) if rng.random() < 0.7 else None
    )
    record = pl.io.SequenceExample(context, pl.io.FeatureLists(lists))
    return record.SerializeToString(), want


def _assert_same(a: dict, b: dict) -> None:
    assert list(a) == list(b)
    for name in a:
        x, y = a[name], b[name]
        assert (x.kind, x.sequence) == (y.kind, y.sequence), name
        np.testing.assert_array_equal(x.lengths, y.lengths)
        np.testing.assert_array_equal(x.values, y.values)
        if x.sequence:
            np.testing.assert_array_equal(x.steps, y.steps)


@pytest.mark.parametrize("seed", range(8))
def test_kernel_path_equals_exact_decoding(seed):
    rng = np.random.default_rng(seed)
    kinds = {"a": "int64", "b": "float", "s": "string"}
    made = [_random_record(rng, kinds) for _ in range(40)]
    records = [r for r, _ in made]
    dec = SequenceColumns()
    fast = dec._located(records, "f", 0)
    _assert_same(fast, dec._exact(records, "f", 0))
    for name in kinds:
        if name in fast:
            steps = [w.get(name, -1) for _, w in made]
            assert fast[name].steps.tolist() == steps


def test_a_bad_record_is_named_by_the_exact_path():
    good = pl.io.SequenceExample(
        feature_lists=pl.io.FeatureLists({"a": pl.io.FeatureList([pl.io.Feature()])})
    ).SerializeToString()
    with pytest.raises(InvalidArgumentError, match=r"record 12 of 'f\.tfrecord'"):
        SequenceColumns().decode([good, b"\x12\x02\x0a\x05"], "f.tfrecord", 11)


def test_a_name_both_context_and_feature_list_is_refused():
    seq = pl.io.SequenceExample(
        pl.io.Features({"x": pl.io.Feature(int64_list=pl.io.Int64List([1]))}),
        pl.io.FeatureLists({"x": pl.io.FeatureList([])}),
    ).SerializeToString()
    with pytest.raises(InvalidArgumentError, match="both a context feature and a"):
        SequenceColumns().decode([seq], "f", 0)
