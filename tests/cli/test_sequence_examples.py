"""The CLI on TFRecord files of ``tf.train.SequenceExample`` records.

Records are built with ``pl.io.SequenceExample`` from the Python values in
``RECORDS`` (the oracle); the CLI's output is compared with those values and
with what ``pl.io.parse_single_sequence_example`` returns for the same bytes.
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow.parquet as pq
import pytest

import pipeline as pl
from pipeline.cli import main
from pipeline.io.detect import detect
from pipeline.io.tfrecord_writer import TFRecordWriter

# context: {name: values}; lists: {name: [values of step 0, of step 1, ...]}
RECORDS = [
    {
        "context": {"id": [i], **({"label": [b"l\x1b%d" % i]} if i % 2 else {})},
        "lists": {
            "tok": [list(range(10 * i, 10 * i + t % 3)) for t in range(i % 4)],
            **({"emb": [[i + 0.5, -1.25]] * (i % 3 + 1)} if i != 2 else {}),
            **({"word": [[b"w\x07", b"x"], [b"y"]]} if i == 3 else {}),
        },
    }
    for i in range(6)
]
CONTEXT_KINDS = {"id": "int64", "label": "string"}
LIST_KINDS = {"tok": "int64", "emb": "float", "word": "string"}


def _feature(kind: str, values) -> pl.io.Feature:
    if kind == "int64":
        return pl.io.Feature(int64_list=pl.io.Int64List(values))
    if kind == "float":
        return pl.io.Feature(float_list=pl.io.FloatList(values))
    return pl.io.Feature(bytes_list=pl.io.BytesList(values))


def serialize(record: dict) -> bytes:
    context = pl.io.Features(
        {k: _feature(CONTEXT_KINDS[k], v) for k, v in record["context"].items()}
    )
    lists = pl.io.FeatureLists(
        {
            k: pl.io.FeatureList([_feature(LIST_KINDS[k], step) for step in steps])
            for k, steps in record["lists"].items()
        }
    )
    return pl.io.SequenceExample(context, lists).SerializeToString()


def _write(path, records: list[bytes]) -> str:
    with TFRecordWriter(str(path)) as w:
        for r in records:
            w.write(r)
    return str(path)


@pytest.fixture
def seq_file(tmp_path) -> str:
    return _write(tmp_path / "seq.tfrecord", [serialize(r) for r in RECORDS])


def _json_value(v):
    return v.decode("utf-8", "backslashreplace") if isinstance(v, bytes) else v


def _parsed_steps(sparse) -> list[list]:
    """Per-step value lists of a sequence VarLenFeature's SparseTensor."""
    steps: list[list] = [[] for _ in range(int(sparse.dense_shape[0]))]
    for (t, _), v in zip(np.asarray(sparse.indices).tolist(), sparse.values.tolist()):
        steps[t].append(v)
    return steps


def _head_json(path: str, capsys, n: int = 100) -> list[dict]:
    assert main(["head", path, "-n", str(n), "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_head_json_matches_parse_single_sequence_example(seq_file, capsys):
    rows = _head_json(seq_file, capsys)
    assert len(rows) == len(RECORDS)
    context_spec = {"id": pl.io.VarLenFeature(pl.int64)}
    sequence_spec = {"tok": pl.io.VarLenFeature(pl.int64)}
    for row, record in zip(rows, RECORDS):
        context, lists = pl.io.parse_single_sequence_example(
            serialize(record), context_spec, sequence_spec
        )
        assert row["id"] == context["id"].values.tolist() == record["context"]["id"]
        assert row["tok"] == _parsed_steps(lists["tok"]) == record["lists"]["tok"]
        assert ("emb" in row) == ("emb" in record["lists"])
        if "emb" in row:
            assert row["emb"] == record["lists"]["emb"]


def test_head_json_keeps_empty_steps_and_bytes(seq_file, capsys):
    rows = _head_json(seq_file, capsys)
    assert rows[0]["tok"] == []  # the list is there, with no steps
    assert rows[3]["tok"] == [[], [30], [30, 31]]
    assert rows[3]["word"] == [["w\u0007", "x"], ["y"]]
    assert rows[1]["label"] == ["l\u001b1"] and "label" not in rows[0]


def test_head_text_shows_feature_lists_as_data(seq_file, capsys):
    assert main(["head", seq_file, "-n", "4"]) == 0
    out = capsys.readouterr().out
    assert "  tok: int64 feature list, 3 steps [[], [30], [30, 31]]" in out
    assert "  emb: float feature list, 1 step [[3.5, -1.25]]" in out
    assert "  word: string feature list, 2 steps [[w\\x07, x], [y]]" in out
    assert "  label: string [l\\x1b1]" in out
    assert "\x1b" not in out and "\x07" not in out


def _schema_doc(path: str, capsys) -> dict:
    assert main(["schema", path, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_schema_json_reports_feature_lists(seq_file, capsys):
    feats = _schema_doc(seq_file, capsys)["features"]
    tok = feats["tok"]
    assert tok["sequence"] is True and tok["kind"] == "int64"
    assert (tok["min_steps"], tok["max_steps"]) == (0, 3)  # i % 4 over 0..5
    assert (tok["min_length"], tok["max_length"]) == (0, 2)  # t % 3 values
    assert tok["present"] == 6
    emb = feats["emb"]
    assert emb["sequence"] is True and emb["kind"] == "float"
    assert (emb["min_steps"], emb["max_steps"], emb["present"]) == (1, 3, 5)
    assert emb["shape"] == [2] and emb["min_length"] == emb["max_length"] == 2
    assert "sequence" not in feats["id"] and feats["id"]["shape"] == []
    assert feats["label"]["presence"] == 0.5


def test_schema_spec_parses_every_record(seq_file, tmp_path, capsys):
    spec_path = str(tmp_path / "spec.json")
    assert main(["schema", seq_file, "--json", spec_path, "-q"]) == 0
    spec = pl.io.load_spec(spec_path)
    assert set(spec.context_features) == {"id", "label"} and set(spec) == {
        "id",
        "label",
    }
    assert set(spec.sequence_features) == {"tok", "emb", "word"}
    emb = spec.sequence_features["emb"]
    assert isinstance(emb, pl.io.FixedLenSequenceFeature)
    assert list(emb.shape) == [2] and emb.allow_missing
    assert isinstance(spec.sequence_features["tok"], pl.io.VarLenFeature)
    assert isinstance(spec.context_features["id"], pl.io.FixedLenFeature)
    for record in RECORDS:
        context, lists = pl.io.parse_single_sequence_example(
            serialize(record), spec.context_features, spec.sequence_features
        )
        assert int(context["id"]) == record["context"]["id"][0]
        want = record["lists"].get("emb", [])
        got = np.asarray(lists["emb"], np.float32).reshape(-1, 2)
        np.testing.assert_array_equal(got, np.array(want, np.float32).reshape(-1, 2))
        assert _parsed_steps(lists["tok"]) == record["lists"]["tok"]


def test_schema_table_has_steps_column(seq_file, capsys):
    assert main(["schema", seq_file]) == 0
    out = capsys.readouterr().out
    assert "steps" in out and "0..3" in out and "fixed 2 per step" in out
    assert "6 records, 5 features (3 feature lists)" in out


def test_stats_cover_steps_and_mark_sequence_features(seq_file, capsys):
    assert main(["stats", seq_file, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["records"] == 6
    tok = doc["features"]["tok"]
    values = [v for r in RECORDS for step in r["lists"]["tok"] for v in step]
    steps = [len(r["lists"]["tok"]) for r in RECORDS]
    assert tok["sequence"] is True and tok["numbers"]["count"] == len(values)
    assert tok["numbers"]["max"] == max(values) and tok["numbers"]["min"] == min(values)
    assert (tok["min_steps"], tok["max_steps"]) == (min(steps), max(steps))
    assert tok["mean_steps"] == pytest.approx(sum(steps) / 6)
    assert tok["mean_length"] == pytest.approx(len(values) / sum(steps))
    assert tok["present"] == 6 and tok["missing"] == 0
    emb = doc["features"]["emb"]
    assert emb["present"] == 5 and emb["missing"] == 1
    assert emb["numbers"]["count"] == 2 * sum(i % 3 + 1 for i in range(6) if i != 2)
    assert doc["features"]["id"]["sequence"] is False
    assert "min_steps" not in doc["features"]["id"]


def test_stats_table_marks_lists(seq_file, capsys):
    assert main(["stats", seq_file]) == 0
    out = capsys.readouterr().out
    assert "int64 list" in out and "float list" in out
    assert "word (feature list)" in out


def test_count_counts_records(seq_file, capsys):
    assert main(["count", seq_file, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == len(RECORDS)


def test_verify_passes_a_sound_file(seq_file, capsys):
    assert main(["verify", seq_file]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 file, 6 records, 0 problems"


def _offsets(records: list[bytes]) -> list[int]:
    """Each record's byte offset in a TFRecord file (12 + 4 framing bytes)."""
    return [int(x) for x in np.cumsum([0] + [len(r) + 16 for r in records])[:-1]]


def test_verify_reports_a_corrupt_feature_list(tmp_path, capsys):
    good = [serialize(r) for r in RECORDS[:3]]
    bad = b"\x12\x02\x0a\x05"  # feature_lists holds an entry cut short
    records = [good[0], good[1], bad, good[2]]
    path = _write(tmp_path / "bad.tfrecord", records)
    with pytest.raises(pl.errors.InvalidArgumentError):  # the library agrees
        pl.io.parse_single_sequence_example(
            bad, sequence_features={"tok": pl.io.VarLenFeature(pl.int64)}
        )
    assert main(["verify", path]) == 1
    out = capsys.readouterr().out.splitlines()
    where = f"{path}: record 2 (byte {_offsets(records)[2]}): not a SequenceExample"
    assert out[0].startswith(where) and "feature_lists" in out[0]
    assert out[-1] == "1 file, 3 records, 1 problem, 1 unreadable record"


def _field(number: int, payload: bytes) -> bytes:
    assert len(payload) < 128
    return bytes([number << 3 | 2, len(payload)]) + payload


def test_verify_reports_a_bad_step(tmp_path, capsys):
    step = _field(2, _field(1, b"\x00"))  # a float_list of 1 byte: not whole floats
    entry = _field(1, b"a") + _field(2, _field(1, step))  # FeatureList "a": 1 step
    bad = _field(2, _field(1, entry))
    with pytest.raises(pl.errors.InvalidArgumentError):
        pl.io.parse_single_sequence_example(
            bad, sequence_features={"a": pl.io.VarLenFeature(pl.float32)}
        )
    records = [serialize(RECORDS[1]), bad]
    path = _write(tmp_path / "step.tfrecord", records)
    assert main(["verify", path]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(
        f"{path}: record 1 (byte {_offsets(records)[1]}): not a SequenceExample: "
    )


def test_verify_reports_a_sequence_example_among_examples(tmp_path, capsys):
    example = pl.io.Example(
        pl.io.Features({"id": _feature("int64", [1])})
    ).SerializeToString()
    records = [example, example, serialize(RECORDS[1])]
    path = _write(tmp_path / "mixed.tfrecord", records)
    assert main(["verify", path]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"{path}: record 2 (byte {_offsets(records)[2]}): a tf.train.SequenceExample "
        "(it has feature_lists) in a file of tf.train.Example records (the file's "
        "first record has none): the file mixes the two kinds"
    )


def test_head_of_a_mixed_file_fails_naming_the_record(tmp_path, capsys):
    example = pl.io.Example(
        pl.io.Features({"id": _feature("int64", [1])})
    ).SerializeToString()
    path = _write(tmp_path / "mixed.tfrecord", [example, serialize(RECORDS[1])])
    assert main(["head", path, "--json"]) != 0
    err = capsys.readouterr().err
    assert f"record 1 of {path!r}" in err and "mixes the two kinds" in err


def test_stats_leave_out_a_corrupt_record(tmp_path, capsys):
    records = [serialize(RECORDS[1]), b"\x12\x02\x0a\x05", serialize(RECORDS[3])]
    path = _write(tmp_path / "bad.tfrecord", records)
    assert main(["stats", path, "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["records"] == 2
    assert doc["unreadable"][path]["unreadable_records"] == 1
    assert doc["features"]["tok"]["numbers"]["max"] == 31


def test_convert_to_csv_is_refused_naming_the_lists(seq_file, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["convert", seq_file, "--to", "csv", "--out", str(out)]) != 0
    err = capsys.readouterr().err.strip()
    assert "cannot convert SequenceExample feature lists 'emb', 'tok', 'word'" in err
    assert "use --to parquet" in err and len(err.splitlines()) == 1
    assert not out.exists() or not list(out.iterdir())


def test_convert_to_tfrecord_writes_the_same_sequence_examples(
    seq_file, tmp_path, capsys
):
    out = tmp_path / "out"
    args = ["convert", seq_file, "--to", "tfrecord", "--out", str(out), "-q"]
    assert main([*args, "--shards", "2"]) == 0
    capsys.readouterr()
    shards = sorted(str(p) for p in out.iterdir())
    written = [r for path in shards for r in pl.data.TFRecordDataset(path)]
    assert [bytes(r) for r in written] == [serialize(r) for r in RECORDS]


def test_convert_to_parquet_keeps_lists(seq_file, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["convert", seq_file, "--to", "parquet", "--out", str(out), "-q"]) == 0
    capsys.readouterr()
    (shard,) = out.iterdir()
    table = pq.read_table(shard).to_pylist()
    for row, record in zip(table, RECORDS, strict=True):
        assert row["tok"] == record["lists"]["tok"]
        assert row["emb"] == record["lists"].get("emb")
        words = record["lists"].get("word")
        want = None if words is None else [[w.decode() for w in s] for s in words]
        assert row["word"] == want
        assert row["id"] == record["context"]["id"][0]
    assert main(["verify", str(shard)]) == 0
    capsys.readouterr()
    assert _head_json(str(shard), capsys) == [
        {k: (v[0] if k in ("id", "label") else v) for k, v in r.items()}
        for r in _head_json(seq_file, capsys)
    ]


def test_verify_reports_a_feature_list_with_mixed_step_types(tmp_path, capsys):
    mixed = pl.io.SequenceExample(
        feature_lists=pl.io.FeatureLists(
            {"a": pl.io.FeatureList([_feature("int64", [1]), _feature("float", [2])])}
        )
    ).SerializeToString()
    spec = {"a": pl.io.VarLenFeature(pl.int64)}
    with pytest.raises(pl.errors.InvalidArgumentError):  # no spec reads it
        pl.io.parse_single_sequence_example(mixed, sequence_features=spec)
    records = [serialize(RECORDS[3]), mixed]
    path = _write(tmp_path / "mixed_steps.tfrecord", records)
    assert main(["verify", path]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        f"{path}: record 1 (byte {_offsets(records)[1]}): not a SequenceExample: "
        "feature list 'a': step 1 is float_list, step 0 is int64_list (a feature list "
        "holds one list type)"
    )


def test_lists_without_context_are_detected_and_shown(tmp_path, capsys):
    only_lists = {"context": {}, "lists": {"tok": [[1], [2, 3]]}}
    path = _write(tmp_path / "lists.tfrecord", [serialize(only_lists)] * 2)
    assert detect(path).format == "tfrecord"  # starts with field 2, not field 1
    assert _head_json(path, capsys) == [{"tok": [[1], [2, 3]]}] * 2


def test_html_report_names_feature_lists(seq_file, tmp_path, capsys):
    page = tmp_path / "r.html"
    assert main(["stats", seq_file, "--html", str(page), "-q"]) == 0
    html = page.read_text()
    assert '<span class="kind">int64 feature list</span>' in html
    assert '<span class="kind">int64</span>' in html  # the context feature id


# Made by TensorFlow 2.21 (tf.train.SequenceExample, deterministic
# serialization): context {len: [3], who: [b"bob"]}, feature lists
# {ids: [[1, 2], [], [7]], w: [[0.5], [1.5], [2.5]]}. TF's
# parse_single_sequence_example gave ids (VarLen) indices
# [[0, 0], [0, 1], [2, 0]], values [1, 2, 7], dense_shape [3, 2], and w
# (FixedLenSequenceFeature([], float32)) [0.5, 1.5, 2.5].
TF_RECORD = bytes.fromhex(
    "0a1e0a0c0a036c656e12051a030a01030a0e0a0377686f12070a050a03626f6212410a1a0a03"
    "69647312130a061a040a0201020a021a000a051a030a01070a230a0177121e0a0812060a0400"
    "00003f0a0812060a040000c03f0a0812060a0400002040"
)


def test_a_tensorflow_made_record(tmp_path, capsys):
    path = _write(tmp_path / "tf.tfrecord", [TF_RECORD])
    (row,) = _head_json(path, capsys)
    assert row == {
        "len": [3],
        "who": ["bob"],
        "ids": [[1, 2], [], [7]],
        "w": [[0.5], [1.5], [2.5]],
    }
    spec_path = str(tmp_path / "spec.json")
    assert main(["schema", path, "--json", spec_path, "-q"]) == 0
    spec = pl.io.load_spec(spec_path)
    context, lists = pl.io.parse_single_sequence_example(
        TF_RECORD, spec.context_features, spec.sequence_features
    )
    assert int(context["len"]) == 3 and context["who"].tolist() == b"bob"
    assert lists["w"].tolist() == [0.5, 1.5, 2.5]  # TF's FixedLenSequenceFeature
    assert np.asarray(lists["ids"].indices).tolist() == [[0, 0], [0, 1], [2, 0]]
    assert lists["ids"].values.tolist() == [1, 2, 7]
    assert np.asarray(lists["ids"].dense_shape).tolist() == [3, 2]
    assert main(["verify", path]) == 0


def test_bench_parses_feature_lists(seq_file, capsys, no_thread_leak):
    from pipeline.cli.bench import build

    ds = build([detect(seq_file)], 4, 1)
    with iter(ds) as it:
        batches = list(it)
    assert [b["tok"].dense_shape[0] for b in batches] == [4, 2]
    want = [v for r in RECORDS[:4] for step in r["lists"]["tok"] for v in step]
    assert batches[0]["tok"].values.tolist() == want == [20, 30, 30, 31]
    assert batches[0]["emb"].shape == (4, 2, 2)  # [batch, most steps (i % 3 + 1), 2]
    assert main(["bench", seq_file, "--json", "-q"]) == 0
    assert json.loads(capsys.readouterr().out)["records"] == 6
