"""Every command on every sample kind shaped like the real files of issue 15.

The samples (``real_world_samples``) are written once per module; each test runs
one command in-process through ``pipeline.cli.main`` and checks the exit code,
that no traceback was printed, and the facts that were wrong on the real files:
record counts, kinds, missing counts (an empty ``Feature{}`` is missing), values
exactly as written after a conversion (carat 0.23 stays 0.23), sidecars that
shard patterns do not list.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet as pq
import pytest

import pipeline as pl
from pipeline.cli import main
from pipeline.errors import DataLossError
from tests.cli.real_world_samples import WRITERS, Sample

pytestmark = pytest.mark.slow
NAMES = list(WRITERS)
#: float features stored as float32 in the samples (Example FloatLists, Parquet
#: float); every other float is float64 and must stay so in Parquet output.
FLOAT32 = {"tfx": {"fare", "trip_miles"}, "parquet": {"depth"}}


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, Sample]:
    root = tmp_path_factory.mktemp("real_world")
    made = {}
    for name, write in WRITERS.items():
        (root / name).mkdir()
        made[name] = write(root / name)
    return made


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # rich's width for captured output


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """``pipeline ARGV`` in-process: (exit code, stdout, stderr), no traceback."""
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err, err
    return code, out, err


def ok(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, f"pipeline {' '.join(argv)} -> {code}: {err.strip()}"
    return out


def shown(value):
    """A one-value list as ``head --json`` shows an Example's feature: the value."""
    if isinstance(value, list) and len(value) == 1 and not isinstance(value[0], list):
        return value[0]
    return value


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def check_first(rows: list[dict], sample: Sample) -> None:
    got = {k: shown(rows[0].get(k)) for k in sample.first}
    assert got == sample.first


@pytest.mark.parametrize("name", NAMES)
def test_head(samples, capsys, name):
    s = samples[name]
    out = ok(capsys, "head", s.pattern, *s.options)
    for text in s.shown:
        assert text in out


def test_head_of_65_columns_names_every_column_at_80_columns(
    samples, capsys, monkeypatch
):
    monkeypatch.setenv("COLUMNS", "80")
    s = samples["wide"]
    out = ok(capsys, "head", s.pattern, "-n", "2")
    for column in s.kinds:
        assert re.search(rf"(^|\W){column}(\W|$)", out, re.M), column
    assert "0.64" in out and "1.64" in out


@pytest.mark.parametrize("name", NAMES)
def test_head_json(samples, capsys, name):
    s = samples[name]
    rows = json_lines(ok(capsys, "head", s.pattern, "--json", *s.options))
    assert len(rows) == min(5, s.records)
    check_first(rows, s)


@pytest.mark.parametrize("name", NAMES)
def test_schema(samples, capsys, name):
    s = samples[name]
    out = ok(capsys, "schema", s.pattern, "-q", *s.options)
    assert f"{s.records} records, {len(s.kinds)} features" in out
    for feature, kind in s.kinds.items():
        assert re.search(rf"{feature}\s.*\b{kind}\b", out), (feature, kind)


def schema_doc(capsys, pattern: str, *options: str) -> dict:
    return json.loads(ok(capsys, "schema", pattern, "-q", "--json", *options))


def stats_doc(capsys, pattern: str, *options: str) -> dict:
    return json.loads(ok(capsys, "stats", pattern, "-q", "--json", *options))


def pct(s: Sample, feature: str) -> str:
    return f"{100 * s.missing[feature] / s.records:.1f}%"


@pytest.mark.parametrize("name", NAMES)
def test_schema_json(samples, capsys, name):
    s = samples[name]
    doc = schema_doc(capsys, s.pattern, *s.options)
    assert doc["records"] == s.records
    assert {k: f["kind"] for k, f in doc["features"].items()} == s.kinds
    for feature, missing in s.missing.items():
        assert doc["features"][feature]["present"] == s.records - missing, feature


def test_tfx_spec_parses_the_shards_it_came_from(samples, capsys, tmp_path):
    s = samples["tfx"]
    spec_path = str(tmp_path / "spec.json")
    ok(capsys, "schema", s.pattern, "-q", "--json", spec_path)
    spec = pl.io.load_spec(spec_path)
    files = sorted(str(p) for p in Path(s.pattern).parent.glob("data_tfrecord-*"))
    ds = pl.data.TFRecordDataset(files, compression_type="GZIP").batch(100)
    (batch,) = [pl.io.parse_example(records, spec) for records in ds]
    assert len(batch["fare"]) == s.records
    with pytest.raises(DataLossError, match=r"compression_type=\"GZIP\".*" + files[0]):
        list(pl.data.TFRecordDataset(files[0]))  # gzip read as plain: says so
    ok(capsys, "bench", s.pattern, "-q", "--batch-size", "8")


@pytest.mark.parametrize("name", NAMES)
def test_sample_reads_only_the_first_records(samples, capsys, name):
    s = samples[name]
    doc = stats_doc(capsys, s.pattern, "--sample", "3", *s.options)
    assert (doc["records"], doc["sample"]) == (min(3, s.records), 3)
    doc = schema_doc(capsys, s.pattern, "--sample", "3", *s.options)
    assert doc["records"] == min(3, s.records)
    out = ok(capsys, "verify", s.pattern, "--sample", "3", *s.options)
    assert f"{min(3, s.records)} records, 0 problems" in out and "sample" in out


@pytest.mark.parametrize("name", NAMES)
def test_columns_selects_features_in_the_order_given(samples, capsys, name):
    s = samples[name]
    picked = list(s.kinds)[-1:-3:-1]  # the last two, last first
    argv = ["head", s.pattern, "--json", "--columns", ",".join(picked), *s.options]
    rows = json_lines(ok(capsys, *argv))
    assert len(rows) == min(5, s.records)
    assert list(rows[0]) == picked
    for row in rows:  # a missing value leaves its feature out of the line
        assert list(row) == [k for k in picked if k in row], row


@pytest.mark.parametrize("name", NAMES)
def test_stats(samples, capsys, name):
    s = samples[name]
    out = ok(capsys, "stats", s.pattern, "-q", *s.options)
    lines = out.splitlines()
    for feature in s.missing:
        (row,) = [line for line in lines if re.search(rf"\W{feature}\W", line)]
        assert pct(s, feature) in row, row


@pytest.mark.parametrize("name", NAMES)
def test_stats_json(samples, capsys, name):
    s = samples[name]
    doc = stats_doc(capsys, s.pattern, *s.options)
    assert doc["records"] == s.records
    assert {k: f["kind"] for k, f in doc["features"].items()} == s.kinds
    for feature, missing in s.missing.items():
        assert doc["features"][feature]["missing"] == missing, feature


@pytest.mark.parametrize("name", NAMES)
def test_stats_html(samples, capsys, tmp_path, name):
    s = samples[name]
    page = tmp_path / "report.html"
    ok(capsys, "stats", s.pattern, "-q", "--html", str(page), *s.options)
    html = page.read_text(encoding="utf-8")
    for feature in s.kinds:
        assert feature in html
    for feature, missing in s.missing.items():
        assert f"{missing} ({pct(s, feature)})" in html, feature


@pytest.mark.parametrize("name", NAMES)
def test_count(samples, capsys, name):
    s = samples[name]
    assert f"total: {s.records}\n" in ok(capsys, "count", s.pattern, *s.options)
    doc = json.loads(ok(capsys, "count", s.pattern, "--json", *s.options))
    assert doc["total"] == s.records


@pytest.mark.parametrize("name", NAMES)
def test_verify(samples, capsys, name):
    s = samples[name]
    out = ok(capsys, "verify", s.pattern, *s.options)
    assert out.rstrip().endswith(f"{s.records} records, 0 problems"), out


def parquet_float_types(s: Sample, folder: Path) -> dict[str, pa.DataType]:
    schema = pq.read_schema(next(folder.glob("*.parquet")))
    return {f.name: f.type for f in schema if s.kinds.get(f.name) == "float"}


def check_converted(capsys, s: Sample, to: str, folder: Path) -> None:
    """The output of ``convert --to TO``: sound, same records, kinds, values."""
    pattern = str(folder / "*")
    ok(capsys, "verify", pattern)
    assert json.loads(ok(capsys, "count", pattern, "--json"))["total"] == s.records
    kinds = {k: f["kind"] for k, f in schema_doc(capsys, pattern)["features"].items()}
    assert kinds == s.kinds
    doc = stats_doc(capsys, pattern)
    assert {k: f["kind"] for k, f in doc["features"].items()} == s.kinds
    for feature, missing in s.missing.items():
        assert doc["features"][feature]["missing"] == missing, feature
    check_first(json_lines(ok(capsys, "head", pattern, "--json")), s)
    if to == "csv":
        text = "".join(p.read_text(encoding="utf-8") for p in folder.glob("*"))
        assert not re.search(r"\d\.\d*(0000000|9999999)\d", text)  # float32 noise
    if to == "parquet" and not s.sequence:
        want = {
            k: pa.float32() if k in FLOAT32.get(s.name, ()) else pa.float64()
            for k, kind in s.kinds.items()
            if kind == "float"
        }
        assert parquet_float_types(s, folder) == want


@pytest.mark.parametrize("to", ["tfrecord", "csv", "parquet"])
@pytest.mark.parametrize("name", NAMES)
def test_convert(samples, capsys, tmp_path, name, to):
    s = samples[name]
    out = tmp_path / "out"
    argv = ["convert", s.pattern, "--to", to, "--out", str(out), "-q", *s.options]
    if s.sequence and to == "csv":  # feature lists have no CSV form: refused
        code, _, err = run(capsys, *argv)
        assert code == 1 and "CSV" in err and len(err.strip().splitlines()) == 1
        return
    code, _, err = run(capsys, *argv)
    assert code == 0, err
    warned = [line for line in err.splitlines() if "precision" in line]
    if to == "tfrecord":  # FloatList is float32: one warning per feature that lost
        assert sorted(re.findall(r"feature '(\w+)'", "\n".join(warned))) == sorted(
            s.lossy
        )
    else:
        assert warned == []
    check_converted(capsys, s, to, out)


def test_csv_to_csv_keeps_carat_exact(samples, capsys, tmp_path):
    s = samples["diamonds"]
    ok(capsys, "convert", s.pattern, "--to", "csv", "--out", str(tmp_path), "-q")
    (written,) = tmp_path.glob("*.csv*")
    table = pyarrow.csv.read_csv(written)  # an independent reader
    assert table.column("carat").to_pylist() == [0.23, 0.21, 0.23, 0.29, 0.31]
    assert table.column("price").type == pa.int64()


def copy_sample(s: Sample, tmp_path: Path) -> str:
    """A copy of the sample's folder under ``tmp_path``; the copied pattern."""
    folder = Path(s.pattern).parent
    shutil.copytree(folder, tmp_path / "copy")
    return str(tmp_path / "copy" / Path(s.pattern).name)


@pytest.mark.parametrize("name", NAMES)
def test_index(samples, capsys, tmp_path, name):
    s = samples[name]
    pattern = copy_sample(s, tmp_path)
    folder, glob = os.path.split(pattern)
    before = sorted(os.listdir(folder))
    code, _, err = run(capsys, "index", pattern, *s.options)
    if s.not_indexed:  # a clear refusal, naming the file
        assert code == 1 and s.not_indexed in err, err
        assert os.path.basename(glob.replace("*", "00000")) in err
        return
    assert code == 0, err
    matched = [n for n in os.listdir(folder) if fnmatch.fnmatch(n, glob)]
    assert sorted(matched) == [n for n in before if fnmatch.fnmatch(n, glob)]
    doc = json.loads(ok(capsys, "count", pattern, "--json", *s.options))
    assert doc["total"] == s.records
    if "tfrecord" in glob:  # count reads TFRecord sidecars instead of the records
        assert {f["how"] for f in doc["files"]} == {"index"}


@pytest.mark.parametrize("name", NAMES)
def test_bench(samples, capsys, name, no_thread_leak):
    s = samples[name]
    ok(capsys, "bench", s.pattern, "-q", "--batch-size", "4", *s.options)
    argv = ["bench", s.pattern, "-q", "--batch-size", "4", "--json", *s.options]
    assert json.loads(ok(capsys, *argv))["records"] == s.records


MIXED_COMMANDS = [
    ["head"],
    ["schema", "-q"],
    ["stats", "-q"],
    ["bench", "-q"],
    ["convert", "--to", "parquet", "-q", "--out"],
]


@pytest.mark.parametrize("command", MIXED_COMMANDS, ids=lambda c: c[0])
def test_csv_files_with_different_headers_are_refused_naming_both(
    samples, capsys, tmp_path, command
):
    penguins, export = samples["penguins"].pattern, samples["bom_quotes"].pattern
    argv = [*command, str(tmp_path)] if command[-1] == "--out" else command
    code, out, err = run(capsys, *argv, penguins, export)
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert "different headers" in err and penguins in err and export in err
    assert not list(tmp_path.iterdir())  # convert wrote nothing


def test_count_and_verify_read_csv_files_with_different_headers_one_by_one(
    samples, capsys
):
    penguins, export = samples["penguins"].pattern, samples["bom_quotes"].pattern
    lines = ok(capsys, "count", penguins, export).splitlines()
    assert sorted(lines) == [f"{export}: 5", f"{penguins}: 12", "total: 17"]
    out = ok(capsys, "verify", penguins, export)
    assert out.rstrip().endswith("2 files, 17 records, 0 problems")


@pytest.mark.parametrize(
    "command, expected",
    [(["head"], "Flash Cab"), (["stats", "-q"], "34.6%"), (["verify"], "0 problems")],
    ids=["head", "stats", "verify"],
)
def test_the_installed_command_on_tfx_shards(samples, command, expected):
    """The ``pipeline`` script itself, writing to pipes as in a shell."""
    script = Path(sys.executable).with_name("pipeline")
    done = subprocess.run(
        [str(script), *command, samples["tfx"].pattern],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "COLUMNS"},
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert expected in done.stdout
