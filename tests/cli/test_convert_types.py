"""``pipeline convert`` keeps each column's type (issue 15, first defect).

Inputs are shaped like real files (diamonds, palmerpenguins, Parquet with
float64 and float32 columns, Examples with FloatLists); outputs are read back
with pandas, pyarrow and the Example message codec, and every expected value
comes from the inputs the tests write, never from the code under test.
"""

from __future__ import annotations

import json
import struct

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.io.example_message import Example
from pipeline.io.tfrecord import iter_records
from pipeline.io.tfrecord_writer import TFRecordWriter

CUTS = ["Ideal", "Premium", "Good", "Very Good", 'Fair, "old" scale']


def _diamonds(path, n=9000, seed=7):
    """A diamonds-like CSV; returns its columns as Python values."""
    rng = np.random.default_rng(seed)
    cols = {
        "carat": [round(float(v), 2) for v in rng.uniform(0.2, 5.01, n)],
        "cut": [CUTS[i] for i in rng.integers(0, len(CUTS), n)],
        "price": [int(v) for v in rng.integers(326, 18823, n)],
        "x": [round(float(v), 2) for v in rng.uniform(3.7, 10.7, n)],
        "half": [int(v) / 2 for v in rng.integers(0, 40, n)],  # exact in float32
    }
    cols["carat"][0] = 0.23
    lines = ["carat,cut,price,x,half"]
    for i in range(n):
        cut = '"' + cols["cut"][i].replace('"', '""') + '"'
        lines.append(
            f"{cols['carat'][i]!r},{cut},{cols['price'][i]},{cols['x'][i]!r},"
            f"{cols['half'][i]!r}"
        )
    path.write_text("\n".join(lines) + "\n")
    return cols


PENGUINS = """\
species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year
Adelie,Torgersen,39.1,18.7,181,3750,male,2007
Adelie,Torgersen,39.5,17.4,186,3800,female,2007
Adelie,Torgersen,,,,,,2007
Gentoo,Biscoe,46.1,13.2,211,4500,female,2007
Chinstrap,Dream,46.5,17.9,192,3500,female,2007
Gentoo,Biscoe,50.0,16.3,230,5700,male,2008
"""


def _convert(src, to, out, *extra):
    argv = ["convert", *map(str, src if isinstance(src, list) else [src])]
    assert main([*argv, "--to", to, "--out", str(out), "-q", *extra]) == 0
    return sorted(out.iterdir())


def _examples(paths):
    """The features of every Example in ``paths``: name -> (list kind, values)."""
    out = []
    for path in paths:
        for record in iter_records(str(path)):
            features = Example.FromString(record).features.feature
            row = {}
            for name, f in features.items():
                kind = f.WhichOneof("kind")
                row[name] = (kind, getattr(f, kind).value)
            out.append(row)
    return out


def _warnings(err):
    return [line for line in err.splitlines() if "warning" in line]


def test_csv_to_csv_keeps_float64_text_and_types(tmp_path, capsys):
    src = tmp_path / "diamonds.csv"
    cols = _diamonds(src)
    (out,) = _convert(src, "csv", tmp_path / "out")
    assert _warnings(capsys.readouterr().err) == []
    lines = out.read_text().splitlines()
    assert lines[0] == "carat,cut,price,x,half"
    assert lines[1].startswith("0.23,")  # not 0.23000000417232513
    carats = [line.split(",", 1)[0] for line in lines[1:]]
    assert carats == [repr(v) for v in cols["carat"]]
    got, want = pd.read_csv(out), pd.read_csv(src)
    pd.testing.assert_frame_equal(got, want)
    assert got["half"].dtype == np.float64  # "2.0" stays a float, not "2"
    assert got["price"].dtype == np.int64


def test_csv_to_parquet_is_float64_int64_string(tmp_path, capsys):
    src = tmp_path / "diamonds.csv"
    cols = _diamonds(src)
    (out,) = _convert(src, "parquet", tmp_path / "out", "--shards", "1")
    table = pq.read_table(out)
    assert table.schema.field("carat").type == pa.float64()
    assert table.schema.field("price").type == pa.int64()
    assert table.schema.field("cut").type == pa.string()
    for name, values in cols.items():
        assert table.column(name).to_pylist() == values, name
    assert _warnings(capsys.readouterr().err) == []


def test_penguins_like_csv_round_trips_through_csv_and_parquet(tmp_path):
    src = tmp_path / "penguins.csv"
    src.write_text(PENGUINS)
    want = pcsv.read_csv(src)
    (via_csv,) = _convert(src, "csv", tmp_path / "csv")
    assert pcsv.read_csv(via_csv).equals(want)
    (via_pq,) = _convert(src, "parquet", tmp_path / "pq")
    got = pq.read_table(via_pq)
    for name in want.column_names:
        expected = want.column(name).to_pylist()
        if want.schema.field(name).type == pa.string():  # empty field: missing
            expected = [v or None for v in expected]
        assert got.column(name).to_pylist() == expected, name
    assert got.schema.field("bill_length_mm").type == pa.float64()
    assert got.schema.field("flipper_length_mm").type == pa.int64()
    (back,) = _convert(via_pq, "csv", tmp_path / "back")
    assert pcsv.read_csv(back).equals(want)


def _typed_table():
    f32 = np.array([6.45, 0.1, -1.5e-3, 3.4028235e38, np.nan], np.float32)
    return pa.table(
        {
            "f64": pa.array([0.23, 0.1, None, 1e300, -0.0], pa.float64()),
            "f32": pa.array(f32, pa.float32(), mask=np.array([0, 0, 1, 0, 0], bool)),
            "i64": pa.array([1, None, 2**62, -7, 0], pa.int64()),
            "s": pa.array(["a", 'b,"c"', None, "", "é"]),
            "l32": pa.array(
                [[1.1, 2.2], [], None, [0.3], [5.5]], pa.list_(pa.float32())
            ),
        }
    )


def test_parquet_to_parquet_keeps_float32_and_float64(tmp_path):
    src = tmp_path / "typed.parquet"
    table = _typed_table()
    pq.write_table(table, src)
    (out,) = _convert(src, "parquet", tmp_path / "out")
    got = pq.read_table(out)
    for name in ("f64", "f32", "i64", "s"):
        assert got.schema.field(name).type == table.schema.field(name).type, name
    assert got.schema.field("l32").type == pa.list_(pa.float32())
    for name in ("f64", "f32", "l32"):  # bit for bit, NaN included
        want = table.column(name).combine_chunks()
        have = got.column(name).combine_chunks()
        if pa.types.is_list(want.type):
            assert have.offsets.equals(want.offsets)
            want, have = want.flatten(), have.flatten()
        mask = want.is_valid().to_numpy(zero_copy_only=False)
        assert (have.is_valid().to_numpy(zero_copy_only=False) == mask).all()
        a = want.to_numpy(zero_copy_only=False)[mask]
        b = have.to_numpy(zero_copy_only=False)[mask]
        assert a.tobytes() == b.tobytes(), name
    assert got.column("i64").to_pylist() == table.column("i64").to_pylist()


def test_parquet_to_csv_writes_each_float_at_its_precision(tmp_path):
    src = tmp_path / "typed.parquet"
    table = _typed_table().drop(["l32"])
    pq.write_table(table, src)
    (out,) = _convert(src, "csv", tmp_path / "out")
    lines = out.read_text().splitlines()
    assert lines[1] == '0.23,6.45,1,"a"'  # the float32's shortest text, not 6.4499...
    assert lines[5].startswith("-0.0,nan,0,")
    got = pd.read_csv(out, keep_default_na=False, na_values=[""])
    f64 = table.column("f64").to_pandas()
    pd.testing.assert_series_equal(got["f64"], f64, check_names=False)
    f32 = table.column("f32").to_numpy(zero_copy_only=False)
    have = got["f32"].to_numpy().astype(np.float32)
    assert have.tobytes() == f32.tobytes()


def test_csv_to_tfrecord_warns_once_per_feature_that_loses_precision(tmp_path, capsys):
    src = tmp_path / "diamonds.csv"
    cols = _diamonds(src)
    paths = _convert(src, "tfrecord", tmp_path / "out", "--shards", "2")
    warnings = _warnings(capsys.readouterr().err)
    assert len(warnings) == 2, warnings  # carat and x; half, price, cut: none
    for name, line in zip(["carat", "x"], warnings):
        lost = sum(float(np.float32(v)) != v for v in cols[name])
        assert f"'{name}'" in line
        assert f"{lost} of {len(cols[name])} values lost precision" in line
        assert "float32" in line
    assert warnings[0].endswith("e.g. 0.23 -> 0.23000000417232513")
    rows = _examples(paths)
    assert [r["carat"] for r in rows[:1]] == [("float_list", pytest.approx([0.23]))]
    for name in ("carat", "x", "half"):
        have = np.array([r[name][1][0] for r in rows], np.float32)
        assert have.tobytes() == np.array(cols[name], np.float32).tobytes()
        assert {r[name][0] for r in rows} == {"float_list"}
    assert [r["price"][1][0] for r in rows] == cols["price"]


def _float32_examples(path, values):
    """Examples with one float feature ``v``, encoded by hand (wire format)."""
    with TFRecordWriter(str(path)) as w:
        for v in values:
            packed = struct.pack("<f", v)
            floats = b"\x12" + bytes([len(packed) + 2]) + b"\x0a\x04" + packed
            entry = b"\x0a\x01v" + b"\x12" + bytes([len(floats)]) + floats
            w.write(
                b"\x0a"
                + bytes([len(entry) + 2])
                + b"\x0a"
                + bytes([len(entry)])
                + entry
            )


def test_examples_to_csv_and_parquet_stay_float32(tmp_path, capsys):
    src = tmp_path / "ex.tfrecord"
    values = [6.45, 0.1, 2.0, -3.75]
    _float32_examples(src, values)
    (csv_out,) = _convert(src, "csv", tmp_path / "csv")
    assert csv_out.read_text().splitlines() == ["v", "6.45", "0.1", "2.0", "-3.75"]
    (pq_out,) = _convert(src, "parquet", tmp_path / "pq")
    col = pq.read_table(pq_out).column("v")
    assert col.type == pa.float32()
    want = np.array(values, np.float32)
    assert col.to_numpy().tobytes() == want.tobytes()
    tf_out = _convert(pq_out, "tfrecord", tmp_path / "tf")
    assert [r["v"][1].tolist() for r in _examples(tf_out)] == [[v] for v in want]
    assert _warnings(capsys.readouterr().err) == []  # float32 in: nothing lost


def test_float32_parquet_and_exact_floats_to_tfrecord_do_not_warn(tmp_path, capsys):
    src = tmp_path / "exact.parquet"
    f32 = np.array([6.45, 0.1, 1e-30], np.float32)
    pq.write_table(pa.table({"f32": f32, "f64": [0.5, 2.0, -1024.25]}), src)
    paths = _convert(src, "tfrecord", tmp_path / "out")
    assert _warnings(capsys.readouterr().err) == []
    rows = _examples(paths)
    assert np.array([r["f32"][1][0] for r in rows]).tobytes() == f32.tobytes()
    assert [r["f64"][1][0] for r in rows] == [0.5, 2.0, -1024.25]


def test_schema_spec_does_not_force_float32(tmp_path, capsys):
    src = tmp_path / "diamonds.csv"
    cols = _diamonds(src, n=50)
    assert main(["schema", str(src), "-q", "--json", str(tmp_path / "spec.json")]) == 0
    spec = json.loads((tmp_path / "spec.json").read_text())
    assert spec["features"]["carat"]["kind"] == "float"
    with_spec = ["--schema", str(tmp_path / "spec.json")]
    (csv_out,) = _convert(src, "csv", tmp_path / "csv", *with_spec)
    pd.testing.assert_frame_equal(pd.read_csv(csv_out), pd.read_csv(src))
    (pq_out,) = _convert(src, "parquet", tmp_path / "pq", *with_spec)
    table = pq.read_table(pq_out)
    assert table.schema.field("half").type == pa.float64()
    assert table.column("carat").to_pylist() == cols["carat"]
    capsys.readouterr()
    tf_out = _convert(src, "tfrecord", tmp_path / "tf", *with_spec)
    assert len(_warnings(capsys.readouterr().err)) == 2
    carats = [r["carat"][1][0] for r in _examples(tf_out)]
    assert carats == [float(np.float32(v)) for v in cols["carat"]]


def test_csv_and_float32_parquet_together_give_float64_parquet(tmp_path):
    (tmp_path / "a.csv").write_text("v\n0.1\n0.23\n")
    pq.write_table(
        pa.table({"v": np.array([6.45], np.float32)}), tmp_path / "b.parquet"
    )
    srcs = [tmp_path / "a.csv", tmp_path / "b.parquet"]
    (out,) = _convert(srcs, "parquet", tmp_path / "out")
    col = pq.read_table(out).column("v")
    assert col.type == pa.float64()
    assert col.to_pylist() == [0.1, 0.23, float(np.float32(6.45))]


SPECIAL = ["nan", "inf", "-inf", "-0.0", "5e-324", "1.7976931348623157e+308",
           "1e+16", "123456789.0", "0.30000000000000004"]  # fmt: skip


def test_special_floats_round_trip_and_count_what_float32_changes(tmp_path, capsys):
    src = tmp_path / "special.csv"
    src.write_text("v\n" + "\n".join(SPECIAL) + "\n")
    (csv_out,) = _convert(src, "csv", tmp_path / "csv")
    back = [float(t) for t in csv_out.read_text().splitlines()[1:]]
    want = [float(t) for t in SPECIAL]
    assert np.array(back).tobytes() == np.array(want).tobytes()  # -0.0, NaN too
    (pq_out,) = _convert(src, "parquet", tmp_path / "pq")
    have = pq.read_table(pq_out).column("v").to_numpy()
    assert have.tobytes() == np.array(want).tobytes()
    capsys.readouterr()
    _convert(src, "tfrecord", tmp_path / "tf")
    (line,) = _warnings(capsys.readouterr().err)
    with np.errstate(over="ignore"):
        narrow = np.array(want).astype(np.float32).astype(np.float64)
    changed = sum(1 for a, b in zip(want, narrow) if a != b and not np.isnan(a))
    assert changed == 5  # 5e-324, 1.79e308 (inf), 1e16, 123456789.0, 0.3...04
    assert f"'v': {changed} of {len(SPECIAL)} values lost precision" in line


def test_warning_names_are_shown_as_data(tmp_path, capsys):
    src = tmp_path / "odd.csv"
    src.write_text('"a\x1b[31mb"\n0.1\n')
    _convert(src, "tfrecord", tmp_path / "tf")
    (line,) = _warnings(capsys.readouterr().err)
    assert "\x1b" not in line
    assert "a\\x1b[31mb" in line
