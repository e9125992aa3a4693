"""``--sample N`` for ``stats`` and ``verify``: the first N records only, said so."""

from __future__ import annotations

import json

import pytest

from pipeline.cli import main
from pipeline.io import fs
from pipeline.io.tfrecord_writer import TFRecordWriter
from tests.cli.conftest import encode_example


class _Counting:
    """A file object that adds up the bytes read through it."""

    def __init__(self, f, tally: list[int]) -> None:
        self._f, self._tally = f, tally

    def __enter__(self):
        self._f.__enter__()
        return self

    def __exit__(self, *exc):
        return self._f.__exit__(*exc)

    def read(self, *args):
        data = self._f.read(*args)
        self._tally.append(len(data))
        return data

    def readinto(self, buffer):
        got = self._f.readinto(buffer)
        self._tally.append(got or 0)
        return got

    def __iter__(self):
        for line in self._f:
            self._tally.append(len(line))
            yield line

    def __getattr__(self, name):
        return getattr(self._f, name)


@pytest.fixture
def bytes_read(monkeypatch):
    """A list that gets the size of every read of any input file."""
    tally: list[int] = []
    real = fs.open_input
    monkeypatch.setattr(
        fs, "open_input", lambda *a, **k: _Counting(real(*a, **k), tally)
    )
    return tally


def _csv(path, rows: int, bad_every: int = 0) -> None:
    """``n,name`` rows ``i, "v{i % 3}"``; every ``bad_every``-th row (i > 0)
    has one field only."""
    lines = ["n,name"]
    for i in range(rows):
        lines.append(
            f"{i}" if bad_every and i and i % bad_every == 0 else f"{i},v{i % 3}"
        )
    path.write_text("\n".join(lines) + "\n")


def _tfrecord(path, ids, pad: int = 0) -> None:
    with TFRecordWriter(str(path)) as w:
        for i in ids:
            name = f"v{i % 3}".encode() + b"-" * pad
            w.write(encode_example({"id": [i], "name": [name]}))


# ---------------------------------------------------------------- verify


def test_verify_sample_reports_only_the_first_records(tmp_path, capsys):
    _csv(tmp_path / "a.csv", 100, bad_every=7)  # bad rows: 7, 14, ..., 98
    assert main(["verify", str(tmp_path / "a.csv"), "--sample", "10"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[1] for line in out[:-2]] == [" record 7 (line 9, byte 42)"]
    assert out[-2] == f"{tmp_path / 'a.csv'}: 9 records read, 1 unreadable record"
    assert out[-1] == (
        "1 file, 9 records, 1 problem, 1 unreadable record "
        "(a sample: only the first 10 records were read)"
    )


def test_verify_sample_json_has_a_last_line_with_the_sample(tmp_path, capsys):
    _csv(tmp_path / "a.csv", 100, bad_every=7)
    argv = ["verify", str(tmp_path / "a.csv"), "--sample", "20", "--json"]
    assert main(argv) == 1
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [p["record"] for p in lines[:-1]] == [7, 14]
    assert lines[-1] == {"sample": 20, "files": 1, "records": 18, "problems": 2}


def test_verify_sample_across_files_stops_in_the_first(tmp_path, capsys):
    _tfrecord(tmp_path / "a.tfrecord", range(50))
    _tfrecord(tmp_path / "b.tfrecord", range(50))
    (tmp_path / "b.tfrecord").write_bytes(b"not a tfrecord at all, never read")
    files = [str(tmp_path / "a.tfrecord"), str(tmp_path / "b.tfrecord")]
    assert main(["verify", *files, "--sample", "50"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == (
        "1 file, 50 records, 0 problems (a sample: only the first 50 records were read)"
    )
    assert main(["verify", *files, "--sample", "51"]) == 1
    assert "2 files, 50 records, 1 problem" in capsys.readouterr().out


def test_verify_sample_larger_than_the_data_says_all_were_read(tmp_path, capsys):
    _tfrecord(tmp_path / "a.tfrecord", range(30))
    assert main(["verify", str(tmp_path / "a.tfrecord"), "--sample", "1000"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "1 file, 30 records, 0 problems "
        "(sample of 1000 asked: all 30 records were read)"
    )


def test_verify_sample_leaves_out_damage_after_the_sample(tmp_path, capsys):
    path = tmp_path / "a.tfrecord"
    _tfrecord(path, range(40))
    blob = bytearray(path.read_bytes())
    blob[-3] ^= 0xFF  # the data CRC of the last record
    path.write_bytes(bytes(blob))
    assert main(["verify", str(path), "--sample", "39"]) == 0
    assert main(["verify", str(path), "--sample", "40"]) == 1
    out = capsys.readouterr().out
    assert "record 39 " in out and "39 records read, 1 unreadable record" in out


def _big_file(tmp_path, kind: str):
    """A file of over 4 MiB (600k CSV rows, or 30k padded Examples) and its size."""
    path = tmp_path / f"big.{kind}"
    if kind == "csv":
        _csv(path, 600_000)
    else:
        _tfrecord(path, range(30_000), pad=150)
    size = path.stat().st_size
    assert size > 4 << 20
    return path, size


@pytest.mark.parametrize("kind", ["csv", "tfrecord"])
def test_verify_sample_reads_in_proportion_to_n(tmp_path, capsys, bytes_read, kind):
    path, size = _big_file(tmp_path, kind)
    assert main(["verify", str(path), "--sample", "100", "-q"]) == 0
    assert "100 records" in capsys.readouterr().out
    assert 0 < sum(bytes_read) < 1.5 * (1 << 20)  # one read chunk (1 MiB), not the file
    bytes_read.clear()
    assert main(["verify", str(path), "-q"]) == 0  # the counter sees a full read
    assert sum(bytes_read) >= size


# ---------------------------------------------------------------- usage


@pytest.mark.parametrize("command", ["stats", "verify"])
@pytest.mark.parametrize("value", ["0", "-3", "ten"])
def test_sample_must_be_a_positive_number(data, capsys, command, value):
    assert main([command, str(data / "a.csv"), f"--sample={value}"]) == 2
    err = capsys.readouterr().err
    assert f"argument --sample: must be a whole number > 0, got '{value}'" in err


# ---------------------------------------------------------------- stats


def _stats_json(capsys, *argv):
    assert main(["stats", *argv, "--json", "-q"]) == 0
    return json.loads(capsys.readouterr().out)


def test_stats_sample_covers_the_first_records(tmp_path, capsys):
    _csv(tmp_path / "a.csv", 5000)
    doc = _stats_json(capsys, str(tmp_path / "a.csv"), "--sample", "100")
    assert (doc["records"], doc["sample"]) == (100, 100)
    n = doc["features"]["n"]
    assert (n["numbers"]["min"], n["numbers"]["max"], n["numbers"]["count"]) == (
        0.0,
        99.0,
        100,
    )
    assert doc["features"]["name"]["strings"]["top"] == [
        ["v0", 34],
        ["v1", 33],
        ["v2", 33],
    ]
    assert main(["stats", str(tmp_path / "a.csv"), "--sample", "100"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert (
        first
        == "100 records, 2 features (a sample: only the first 100 records were read)"
    )


def test_stats_without_sample_says_null(data, capsys):
    doc = _stats_json(capsys, str(data / "a.csv"))
    assert (doc["records"], doc["sample"]) == (12, None)


def test_stats_sample_across_files_in_order(tmp_path, capsys):
    _tfrecord(tmp_path / "a.tfrecord", range(50))
    _tfrecord(tmp_path / "b.tfrecord", range(1000, 1050))
    files = [str(tmp_path / "a.tfrecord"), str(tmp_path / "b.tfrecord")]
    doc = _stats_json(capsys, *files, "--sample", "60")
    ids = doc["features"]["id"]["numbers"]
    assert (doc["records"], ids["min"], ids["max"], ids["count"]) == (60, 0, 1009, 60)
    (tmp_path / "b.tfrecord").write_bytes(b"damaged, and after the sample")
    doc = _stats_json(capsys, *files, "--sample", "50")
    assert (doc["records"], doc["unreadable"]) == (50, {})


def test_stats_sample_larger_than_the_data(data, capsys, tmp_path):
    doc = _stats_json(capsys, str(data / "a.csv"), "--sample", "1000")
    assert (doc["records"], doc["sample"]) == (12, 1000)
    page = tmp_path / "r.html"
    argv = ["stats", str(data / "a.csv"), "--sample", "1000", "--html", str(page)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "12 records, 3 features (sample of 1000 asked: all 12 records"
    )
    assert "sample of 1000 asked: all 12 records were read</div>" in page.read_text()


def test_stats_sample_in_the_html_report(tmp_path, capsys):
    _csv(tmp_path / "a.csv", 500)
    page = tmp_path / "r.html"
    argv = ["stats", str(tmp_path / "a.csv"), "--sample", "40", "--html", str(page)]
    assert main(argv) == 0
    html = page.read_text()
    assert "40 records &middot; 2 features &middot; a sample: only the first 40" in html


@pytest.mark.parametrize("kind", ["csv", "tfrecord"])
def test_stats_sample_reads_in_proportion_to_n(tmp_path, capsys, bytes_read, kind):
    path, size = _big_file(tmp_path, kind)
    assert _stats_json(capsys, str(path), "--sample", "100")["records"] == 100
    # CSV: one 1 MiB chunk for the kinds, one for the figures; not the file
    assert 0 < sum(bytes_read) < 2.5 * (1 << 20)
    bytes_read.clear()
    assert _stats_json(capsys, str(path))["records"] > 100
    assert sum(bytes_read) >= size


@pytest.mark.parametrize(
    ("name", "feature", "figure", "expected"),
    [
        ("b.csv.gz", "id", "max", 2.0),  # ids 0..11
        ("c.tsv", "score", "max", 1.0),  # scores i / 2
        ("t.parquet", "x", "max", 2.0),  # x 1, 2, None, 4
        ("ex.tfrecord.gz", "score", "max", 0.5),  # scores i / 4
    ],
)
def test_stats_sample_of_each_format(data, capsys, name, feature, figure, expected):
    doc = _stats_json(capsys, str(data / name), "--sample", "3")
    assert (doc["records"], doc["sample"]) == (3, 3)
    assert doc["features"][feature]["numbers"][figure] == expected


def test_stats_sample_of_text_lines(data, capsys):
    doc = _stats_json(capsys, str(data / "lines.txt"), "--sample", "2")
    assert doc["records"] == 2
    assert doc["features"]["line"]["strings"]["top"] == [
        ["hello world", 1],
        ["second line", 1],
    ]


def test_stats_sample_of_sequence_examples(tmp_path, capsys):
    from tests.cli.test_sequence_examples import RECORDS, serialize

    path = tmp_path / "seq.tfrecord"
    with TFRecordWriter(str(path)) as w:
        for r in RECORDS:
            w.write(serialize(r))
    doc = _stats_json(capsys, str(path), "--sample", "4")
    tok = doc["features"]["tok"]
    values = [v for r in RECORDS[:4] for step in r["lists"]["tok"] for v in step]
    steps = [len(r["lists"]["tok"]) for r in RECORDS[:4]]
    assert doc["records"] == 4 and tok["numbers"]["count"] == len(values)
    assert tok["numbers"]["max"] == max(values)
    assert (tok["min_steps"], tok["max_steps"]) == (min(steps), max(steps))
    emb = doc["features"]["emb"]
    assert emb["numbers"]["count"] == 2 * sum(i % 3 + 1 for i in range(4) if i != 2)
