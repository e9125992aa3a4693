"""``pipeline schema``: the table, and a spec that drives parse_example/decode_csv."""

from __future__ import annotations

import json

import numpy as np
import pytest

import pipeline as pl
from pipeline.cli import main
from pipeline.io.example_message import serialize_example
from pipeline.io.tfrecord import iter_records


def test_example_schema_table(data, capsys):
    assert main(["schema", str(data / "ex.tfrecord.gz")]) == 0
    out = capsys.readouterr().out
    assert "10 records, 4 features" in out
    for name, kind, valency, presence in [
        ("id", "int64", "fixed 1", "100.0%"),
        ("score", "float", "fixed 1", "100.0%"),
        ("tags", "string", "variable 0..2", "100.0%"),
        ("name", "string", "fixed 1", "80.0%"),
    ]:
        line = next(ln for ln in out.splitlines() if f" {name} " in ln)
        assert kind in line and valency in line and presence in line, line


def test_sample_limits_records(data, capsys):
    assert main(["schema", str(data / "a.csv"), "--sample", "2", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["records"] == 2
    assert doc["features"]["city"]["presence"] == 1.0  # row 2 has no city


def test_spec_drives_parse_example(data, tmp_path, capsys):
    spec_path = tmp_path / "spec.json"
    assert main(["schema", str(data / "ex.tfrecord"), "--json", str(spec_path)]) == 0
    spec = pl.io.load_spec(str(spec_path))
    assert isinstance(spec["id"], pl.io.FixedLenFeature)
    assert isinstance(spec["tags"], pl.io.VarLenFeature)
    assert isinstance(spec["name"], pl.io.VarLenFeature)  # missing in 20 %
    records = list(iter_records(str(data / "ex.tfrecord")))
    parsed = pl.io.parse_example(records, spec)
    assert parsed["id"].tolist() == list(range(10))
    np.testing.assert_allclose(parsed["score"], np.arange(10) / 4)
    assert parsed["tags"].dense_shape.tolist() == [10, 2]


def test_spec_record_defaults_drive_decode_csv(data, tmp_path, capsys):
    spec_path = tmp_path / "spec.json"
    assert main(["schema", str(data / "a.csv"), "--json", str(spec_path)]) == 0
    spec = pl.io.load_spec(str(spec_path))
    assert spec.column_names == ["id", "score", "city"]
    lines = (data / "a.csv").read_text().splitlines()[1:]
    ids, scores, cities = pl.io.decode_csv(lines, spec.record_defaults)
    assert ids.dtype == np.int64 and ids.tolist() == list(range(12))
    assert scores.dtype == np.float32 and scores[3] == 1.5
    assert cities.tolist()[:3] == [b"paris", b"rome", b""]


def test_json_to_stdout_is_a_spec_document(data, capsys):
    assert main(["schema", str(data / "t.parquet"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["features"]["v"]["shape"] is None
    assert doc["features"]["y"] == {
        "kind": "float",
        "shape": [],
        "min_length": 1,
        "max_length": 1,
        "presence": 1.0,
        "present": 4,
        "examples": [0.5, 1.5, 2.5],
    }


@pytest.mark.parametrize("value", ["0", "-2", "ten"])
def test_bad_sample_is_a_usage_error(data, capsys, value):
    assert main(["schema", str(data / "a.csv"), "--sample", value]) == 2
    assert "--sample: must be a whole number > 0" in capsys.readouterr().err


def test_float32_examples_show_as_written(tmp_path, capsys):
    path = str(tmp_path / "f.tfrecord")
    with pl.io.TFRecordWriter(path) as w:
        for x in (6.45, 0.1, 1e-7):
            w.write(serialize_example({"x": np.array([x], dtype=np.float32)}))
    assert main(["schema", path, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["features"]["x"]["examples"] == [6.45, 0.1, 1e-07]
    assert main(["schema", path]) == 0
    assert "6.45, 0.1, 1e-07" in capsys.readouterr().out
