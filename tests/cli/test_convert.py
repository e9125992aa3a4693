"""``pipeline convert``: shards that ``verify`` passes and that read back equal."""

from __future__ import annotations

import json

import pytest

from pipeline.cli import main


def _rows(capsys, *paths):
    assert main(["head", *map(str, paths), "-n", "1000", "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def _verify(capsys, *paths):
    code = main(["verify", *map(str, paths)])
    return code, capsys.readouterr().out


def test_csv_to_gzip_tfrecord_shards(data, tmp_path, capsys):
    out = tmp_path / "out"
    argv = [
        "convert",
        str(data / "b.csv.gz"),
        "--to",
        "tfrecord",
        "--out",
        str(out),
        "--shards",
        "3",
        "--compression",
        "GZIP",
        "--name",
        "train",
    ]
    assert main(argv) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"train-0000{k}-of-00003.tfrecord.gz" for k in range(3)]
    code, report = _verify(capsys, out / "*")
    assert code == 0, report
    assert report.splitlines()[-1] == "3 files, 12 records, 0 problems"
    original = _rows(capsys, data / "a.csv")
    converted = _rows(capsys, *sorted(out.iterdir()))
    # Examples hold lists: one value per CSV field, float32 for floats
    assert [{k: v[0] for k, v in r.items()} for r in converted] == original


def test_examples_to_parquet_and_back(data, tmp_path, capsys):
    pq_dir, tf_dir = tmp_path / "pq", tmp_path / "tf"
    assert (
        main(
            [
                "convert",
                str(data / "ex.tfrecord"),
                "--to",
                "parquet",
                "--out",
                str(pq_dir),
            ]
        )
        == 0
    )
    assert (
        main(["convert", str(pq_dir / "*"), "--to", "tfrecord", "--out", str(tf_dir)])
        == 0
    )
    capsys.readouterr()
    assert _verify(capsys, pq_dir / "*", tf_dir / "*")[0] == 0
    assert _rows(capsys, tf_dir / "*") == _rows(capsys, data / "ex.tfrecord")


def test_parquet_to_gzip_csv(data, tmp_path, capsys):
    out = tmp_path / "csv"
    (data / "s.parquet").write_bytes((data / "t.parquet").read_bytes())
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pq.read_table(data / "t.parquet").drop(["v"]), data / "s.parquet")
    assert (
        main(
            [
                "convert",
                str(data / "s.parquet"),
                "--to",
                "csv",
                "--out",
                str(out),
                "--compression",
                "gzip",
            ]
        )
        == 0
    )
    shard = out / "s-00000-of-00001.csv.gz"
    assert _verify(capsys, shard)[0] == 0
    rows = _rows(capsys, shard)
    assert rows[0] == {"x": 1, "y": 0.5, "s": "u"}
    assert rows[2] == {"y": 2.5, "s": "u"} and rows[3]["x"] == 4
    assert pa  # pyarrow wrote the input


def test_list_features_cannot_become_csv(data, tmp_path, capsys):
    tmp_path = tmp_path / "o"
    argv = ["convert", str(data / "ex.tfrecord"), "--to", "csv", "--out", str(tmp_path)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "cannot write CSV" in err and "tags" in err
    assert not tmp_path.exists() or list(tmp_path.iterdir()) == []


def test_convert_with_a_given_schema(data, tmp_path, capsys):
    spec = tmp_path / "spec.json"
    assert main(["schema", str(data / "a.csv"), "--json", str(spec)]) == 0
    doc = json.loads(spec.read_text())
    doc["features"]["id"]["kind"] = "float"  # override: ids as floats
    spec.write_text(json.dumps(doc))
    out = tmp_path / "o"
    assert (
        main(
            [
                "convert",
                str(data / "a.csv"),
                "--to",
                "tfrecord",
                "--out",
                str(out),
                "--schema",
                str(spec),
            ]
        )
        == 0
    )
    capsys.readouterr()
    rows = _rows(capsys, out / "*")
    assert rows[3]["id"] == [3.0] and isinstance(rows[3]["id"][0], float)


def test_more_shards_than_records(data, tmp_path, capsys):
    tmp_path = tmp_path / "o"
    argv = [
        "convert",
        str(data / "lines.txt"),
        "--to",
        "parquet",
        "--out",
        str(tmp_path),
        "--shards",
        "5",
    ]
    assert main(argv) == 0
    assert len(list(tmp_path.iterdir())) == 5
    assert main(["count", str(tmp_path / "*"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert doc["total"] == 3


@pytest.mark.parametrize("bad", [["--shards", "0"], ["--to", "xml"]])
def test_bad_arguments(data, tmp_path, capsys, bad):
    argv = ["convert", str(data / "a.csv"), "--to", "csv", "--out", str(tmp_path)]
    code = main(argv + bad)
    assert code in (1, 2) and capsys.readouterr().err
