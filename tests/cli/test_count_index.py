"""``pipeline count`` and ``pipeline index``."""

from __future__ import annotations

import json

from pipeline.cli import main


def _count(capsys, *argv):
    assert main(["count", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_counts_every_format(data, capsys):
    names = ["a.csv", "b.csv.gz", "c.tsv", "lines.txt", "ex.tfrecord",
             "ex.tfrecord.gz", "raw.tfrecord", "t.parquet"]  # fmt: skip
    doc = _count(capsys, *(str(data / n) for n in names))
    got = {r["path"].rsplit("/", 1)[1]: r["records"] for r in doc["files"]}
    assert got == {"a.csv": 12, "b.csv.gz": 12, "c.tsv": 12, "lines.txt": 3,
                   "ex.tfrecord": 10, "ex.tfrecord.gz": 10, "raw.tfrecord": 7,
                   "t.parquet": 4}  # fmt: skip
    assert doc["total"] == 70


def test_glob_and_text_output(data, capsys):
    assert main(["count", str(data / "*.csv*")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "total: 24"  # a.csv, b.csv.gz, empty.csv
    assert any(line.endswith("empty.csv: 0") for line in out)


def test_quoted_newlines_are_one_record(tmp_path, capsys):
    (tmp_path / "q.csv").write_bytes(b'a,b\n"x\ny",1\n2,3\n')
    assert _count(capsys, str(tmp_path / "q.csv"))["total"] == 2


def test_index_then_count_uses_the_sidecar(data, capsys):
    shard = str(data / "ex.tfrecord")
    assert main(["index", shard, str(data / "ex.tfrecord.gz")]) == 0
    assert (data / ".pipeline-index" / "ex.tfrecord.index").exists()
    assert (data / ".pipeline-index" / "ex.tfrecord.gz.index").exists()
    assert not (data / "ex.tfrecord.index").exists()  # nothing beside the shard
    capsys.readouterr()
    doc = _count(capsys, str(data / "ex.tfrecord*"))
    assert [(r["records"], r["how"]) for r in doc["files"]] == [(10, "index")] * 2


def test_stale_index_falls_back_to_framing(data, capsys):
    shard = data / "raw.tfrecord"
    assert main(["index", str(shard)]) == 0
    shard.write_bytes(shard.read_bytes()[: -len(b"\xff\x00raw" * 7) - 16])
    capsys.readouterr()
    doc = _count(capsys, str(shard))
    assert doc["files"][0] == {"path": str(shard), "format": "tfrecord-raw",
                               "records": 6, "how": "framing"}  # fmt: skip


def test_index_refuses_other_formats(data, capsys):
    assert main(["index", str(data / "t.parquet")]) == 1
    assert "only TFRecord, text and CSV files" in capsys.readouterr().err
    assert main(["index", str(data / "b.csv.gz")]) == 1  # no seeking in a stream
    assert "compressed" in capsys.readouterr().err


def test_index_csv_and_text_for_global_shuffle(tmp_path, capsys):
    import pipeline as pl

    (tmp_path / "q.csv").write_bytes(b'a,b\n"x\ny",1\n2,3\n')
    (tmp_path / "l.txt").write_bytes(b"one\ntwo\n")
    assert main(["index", str(tmp_path / "q.csv"), str(tmp_path / "l.txt")]) == 0
    out = capsys.readouterr().out
    assert f"{tmp_path}/.pipeline-index/q.csv.index: 2 records\n" in out
    assert f"{tmp_path}/.pipeline-index/l.txt.index: 2 records\n" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [".pipeline-index",
                                                         "l.txt", "q.csv"]  # fmt: skip
    rows = pl.data.global_shuffle(str(tmp_path / "q.csv"), seed=0, format="csv")
    assert sorted(rows) == [b'"x\ny",1', b"2,3"]
    lines = pl.data.global_shuffle(str(tmp_path / "l.txt"), seed=0, format="text")
    assert sorted(lines) == [b"one", b"two"]


def test_corrupt_tfrecord_count_is_an_error(data, capsys):
    assert main(["count", str(data / "corrupt.tfrecord")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "corrupt.tfrecord" in err and "byte" in err


# --- issue 15: sidecars out of reach of shard patterns -------------------------


def _shards(root: str, names=("train-00000-of-00002", "train-00001-of-00002")):
    from pipeline.io.tfrecord_writer import TFRecordWriter

    for i, name in enumerate(names):
        with TFRecordWriter(f"{root}/{name}") as w:
            for k in range(i + 2):
                w.write(b"r%d" % k)
    return [f"{root}/{n}" for n in names]


def test_index_help_names_the_layout(capsys):
    assert main(["index", "--help"]) == 0
    out = capsys.readouterr().out
    assert "data/train.tfrecord-00000 -> data/.pipeline-index/" in out
    assert "TensorFlow's '*' also matches hidden names" in out
    assert "old-style sidecar <file>.index" in out


def test_index_replaces_an_old_style_sidecar_and_says_so(tmp_path, capsys):
    from pipeline.io.index import write_index

    files = _shards(str(tmp_path))
    old = write_index(files[0], index_path=files[0] + ".index")  # earlier layout
    (tmp_path / "train-00001-of-00002.index").write_bytes(b"someone else's")
    assert main(["index", str(tmp_path / "train-*")]) == 0
    out = capsys.readouterr().out.splitlines()
    new = f"{tmp_path}/.pipeline-index/train-00000-of-00002.index"
    assert out == [
        f"{new}: 2 records",
        f"removed {old} (old-style sidecar, replaced by {new})",
        f"{tmp_path}/.pipeline-index/train-00001-of-00002.index: 3 records",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".pipeline-index",
        "train-00000-of-00002",
        "train-00001-of-00002",
        "train-00001-of-00002.index",  # not ours: left alone, and not data
    ]
    doc = _count(capsys, str(tmp_path / "train-*"))
    assert [(r["records"], r["how"]) for r in doc["files"]] == [
        (2, "index"),
        (3, "index"),
    ]


def test_memory_urls_index_and_count_through_the_hidden_folder(capsys):
    import uuid

    from pipeline.io import fs

    root = f"memory://count-index-layout-{uuid.uuid4().hex[:8]}"
    _shards(root)
    assert main(["index", f"{root}/train-*"]) == 0
    out = capsys.readouterr().out
    assert f"{root}/.pipeline-index/train-00001-of-00002.index: 3 records" in out
    assert fs.expand(f"{root}/train-*") == [
        f"{root}/train-00000-of-00002",
        f"{root}/train-00001-of-00002",
    ]
    doc = _count(capsys, f"{root}/**")  # fsspec's ** reaches the hidden folder
    assert [(r["path"], r["how"]) for r in doc["files"]] == [
        (f"{root}/train-00000-of-00002", "index"),
        (f"{root}/train-00001-of-00002", "index"),
    ]
    assert doc["total"] == 5
