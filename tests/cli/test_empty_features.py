"""Empty ``Feature{}`` values (TFX's missing value) in schema, stats, verify, bench.

An empty Feature counts as missing, the kind comes from the records that
have values, and the spec ``schema --json`` infers parses the very shards it
came from.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pipeline as pl
from pipeline.cli import _examples, main
from pipeline.cli._examples import ExampleColumns, decode_block
from pipeline.cli._sequence_columns import SequenceColumns
from pipeline.errors import InvalidArgumentError
from pipeline.io.tfrecord import iter_records
from tests.cli.conftest import _field, encode_feature
from tests.cli.samples_b import (
    COMPANY_EMPTY,
    TFX_RECORDS,
    TRACT_EMPTY,
    encode_tfx_example,
    tfx_row,
    write_tfx_shards,
)


def _json(capsys, *argv):
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _records(paths) -> list[bytes]:
    return [r for p in paths for r in iter_records(p, "GZIP")]


@pytest.fixture
def shards(tmp_path):
    return write_tfx_shards(tmp_path)


def test_schema_takes_the_kind_from_the_records_with_values(shards, capsys):
    doc = _json(capsys, "schema", *shards)
    f = doc["features"]
    assert doc["records"] == TFX_RECORDS
    tract = f["pickup_census_tract"]
    assert tract["kind"] == "int64"  # not "string", though the first shards lack it
    assert tract["present"] == TFX_RECORDS - TRACT_EMPTY
    assert tract["examples"] == [17031000000 + TRACT_EMPTY + i for i in range(3)]
    assert f["company"]["kind"] == "string"
    assert f["company"]["present"] == TFX_RECORDS - len(COMPANY_EMPTY)
    assert f["trip_miles"]["kind"] == "float" and f["trip_miles"]["shape"] == []
    assert "untyped" not in tract and "note" not in tract


def test_schema_says_when_a_feature_never_has_a_value(shards, capsys):
    doc = _json(capsys, "schema", *shards)
    never = doc["features"]["dropoff_census_tract"]
    assert never["untyped"] is True and never["present"] == 0
    assert never["kind"] == "string"
    assert "empty Feature{}" in never["note"] and "VarLenFeature" in never["note"]
    assert main(["schema", *shards]) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if "dropoff_census_tract" in ln)
    assert "none" in line and "0.0%" in line
    assert "no value in any record" in out


def test_inferred_spec_parses_the_shards_it_came_from(shards, tmp_path, capsys):
    spec_path = str(tmp_path / "spec.json")
    assert main(["schema", *shards, "--json", spec_path, "-q"]) == 0
    spec = pl.io.load_spec(spec_path)
    assert isinstance(spec["trip_miles"], pl.io.FixedLenFeature)
    for name in ("company", "pickup_census_tract", "dropoff_census_tract"):
        assert isinstance(spec[name], pl.io.VarLenFeature), name
    parsed = pl.io.parse_example(_records(shards), spec)
    tract = parsed["pickup_census_tract"]
    assert tract.values.dtype == np.int64
    assert tract.indices[:, 0].tolist() == list(range(TRACT_EMPTY, TFX_RECORDS))
    assert tract.values.tolist() == [
        17031000000 + i for i in range(TRACT_EMPTY, TFX_RECORDS)
    ]
    company = parsed["company"]
    assert sorted(set(range(TFX_RECORDS)) - set(company.indices[:, 0].tolist())) == (
        COMPANY_EMPTY
    )
    assert parsed["dropoff_census_tract"].values.size == 0
    np.testing.assert_allclose(parsed["trip_miles"], np.arange(TFX_RECORDS) * 0.25)


def test_bench_runs_on_the_shards(shards, capsys):
    doc = _json(capsys, "bench", *shards)
    assert doc["records"] == TFX_RECORDS


def test_stats_count_empty_features_as_missing(shards, capsys):
    doc = _json(capsys, "stats", *shards)
    feats = doc["features"]
    company = feats["company"]
    assert company["missing"] == 18
    assert company["missing_pct"] == pytest.approx(34.615, abs=1e-3)
    tract = feats["pickup_census_tract"]
    assert tract["kind"] == "int64" and tract["missing"] == TRACT_EMPTY
    assert tract["numbers"]["min"] == 17031000000 + TRACT_EMPTY
    never = feats["dropoff_census_tract"]
    assert never["missing_pct"] == 100.0 and never["untyped"] is True
    assert never["strings"] is None and never["numbers"] is None
    assert "untyped" not in company


def test_verify_passes_the_shards(shards, capsys):
    assert main(["verify", *shards]) == 0
    assert f"{TFX_RECORDS} records, 0 problems" in capsys.readouterr().out


def test_empty_features_stay_on_the_kernel_path(monkeypatch):
    records = [encode_tfx_example(tfx_row(i)) for i in range(TFX_RECORDS)]
    dec = ExampleColumns()
    dec.decode(records[:1], "f", 0)  # learns the keys

    def slow(*args):
        raise AssertionError("fell back to the per-record codec")

    monkeypatch.setattr(_examples, "decode_block", slow)
    monkeypatch.setattr(_examples, "_python_features", slow)
    out = dec.decode(records, "f", 0)
    dec.validate(records, "f", 0)
    assert out["company"].lengths.tolist() == [
        -1 if i in COMPANY_EMPTY else 1 for i in range(TFX_RECORDS)
    ]
    assert out["dropoff_census_tract"].untyped
    assert out["dropoff_census_tract"].lengths.tolist() == [-1] * TFX_RECORDS
    assert not out["pickup_census_tract"].untyped


def test_codec_path_reads_an_empty_feature_as_missing():
    out = decode_block([encode_tfx_example(tfx_row(i)) for i in range(3)], "f", 0)
    assert out["company"].lengths.tolist() == [-1, 1, 1]
    assert out["pickup_census_tract"].untyped
    assert out["pickup_census_tract"].lengths.tolist() == [-1, -1, -1]
    assert out["pickup_census_tract"].values.size == 0


_values = st.one_of(
    st.none(),
    st.lists(st.integers(-(2**63), 2**63 - 1), min_size=0, max_size=3),
    st.lists(st.floats(width=32, allow_nan=False), min_size=1, max_size=3),
    st.lists(st.binary(max_size=4), min_size=1, max_size=3),
)
_rows = st.dictionaries(st.sampled_from(["a", "b", "c" * 130]), _values, max_size=3)


@given(st.lists(st.lists(_rows, max_size=8), min_size=1, max_size=3))
def test_kernel_path_equals_codec_path_with_empty_features(blocks):
    dec = ExampleColumns()
    for records in ([encode_tfx_example(r) for r in rows] for rows in blocks):
        fast, exact = dec.decode(records, "f", 0), decode_block(records, "f", 0)
        dec.validate(records, "f", 0)
        assert sorted(fast) == sorted(exact)
        for name, x in fast.items():
            y = exact[name]
            assert (x.kind, x.untyped) == (y.kind, y.untyped), name
            assert x.lengths.tolist() == y.lengths.tolist(), name
            np.testing.assert_array_equal(x.values, y.values)


def test_validate_names_the_record_that_is_not_an_example():
    good = encode_tfx_example(tfx_row(0))
    with pytest.raises(InvalidArgumentError, match=r"record 4 of 'x.tfrecord'"):
        ExampleColumns().validate([good, b"\x0a\x05\x0a"], "x.tfrecord", 3)


# SequenceExample: {1: context Features, 2: FeatureLists{1: {1: key, 2: FeatureList}}}
def _sequence(context: dict, lists: dict) -> bytes:
    def feature(values):
        return b"" if values is None else encode_feature(values)

    ctx = encode_tfx_example(context)[2:] if context else b""  # the Features body
    body = b"".join(
        _field(1, _field(1, k.encode()) + _field(2, b"".join(
            _field(1, feature(step)) for step in steps
        )))
        for k, steps in lists.items()
    )  # fmt: skip
    return _field(1, ctx) + _field(2, body)


def test_sequence_examples_with_empty_features(tmp_path, capsys):
    recs = [
        _sequence({"c": None}, {"t": [[1], None, [2]], "u": [None, None]}),
        _sequence({"c": [7]}, {"t": [[3]], "u": [None]}),
    ]
    out = SequenceColumns().decode(recs, "f", 0)
    assert out["c"].lengths.tolist() == [-1, 1] and out["c"].kind == "int64"
    t = out["t"]
    assert (t.kind, t.steps.tolist(), t.lengths.tolist()) == (
        "int64",
        [3, 1],
        [1, 0, 1, 1],
    )
    assert out["u"].untyped and out["u"].lengths.tolist() == [0, 0, 0]
    exact = SequenceColumns()._exact(recs, "f", 0)
    for name in out:
        assert exact[name].lengths.tolist() == out[name].lengths.tolist(), name
        assert exact[name].untyped == out[name].untyped, name
    path = str(tmp_path / "seq.tfrecord")
    with pl.io.TFRecordWriter(path) as w:
        for r in recs:
            w.write(r)
    spec_path = str(tmp_path / "spec.json")
    assert main(["schema", path, "--json", spec_path, "-q"]) == 0
    spec = pl.io.load_spec(spec_path)
    assert spec.schema.features["t"].kind == "int64"
    assert spec.schema.features["u"].untyped
    for r in recs:  # the spec parses every record
        ctx, lists = pl.io.parse_single_sequence_example(
            r, spec.context_features, spec.sequence_features
        )
        assert set(lists) == {"t", "u"} and "c" in ctx


def test_stats_table_says_which_feature_never_has_a_value(shards, capsys):
    assert main(["stats", *shards, "-q"]) == 0
    notes = [line for line in capsys.readouterr().out.splitlines() if "note:" in line]
    assert len(notes) == 1
    assert "'dropoff_census_tract' has no value in any record" in notes[0]
