"""``pipeline stats``."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pipeline.cli import main


def _stats_json(capsys, *argv):
    assert main(["stats", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_csv_numbers_and_strings(data, capsys):
    doc = _stats_json(capsys, str(data / "a.csv"), str(data / "b.csv.gz"))
    assert doc["records"] == 24
    ids = np.array([i for i in range(12)] * 2, dtype=float)
    n = doc["features"]["id"]["numbers"]
    assert (n["min"], n["max"], n["count"]) == (0.0, 11.0, 24)
    assert n["mean"] == pytest.approx(ids.mean())
    assert n["std"] == pytest.approx(ids.std())
    assert n["zeros_pct"] == pytest.approx(100 * 2 / 24)
    assert sum(n["histogram"]["counts"]) == 24
    city = doc["features"]["city"]
    assert city["missing"] == 8 and city["missing_pct"] == pytest.approx(100 / 3)
    assert city["strings"]["distinct"] == 2
    assert city["strings"]["top"] == [["paris", 8], ["rome", 8]]


def test_tsv_and_parquet(data, capsys):
    doc = _stats_json(capsys, str(data / "c.tsv"))
    assert doc["features"]["score"]["numbers"]["max"] == 5.5
    doc = _stats_json(capsys, str(data / "t.parquet"))
    f = doc["features"]
    assert f["x"]["missing"] == 1 and f["x"]["numbers"]["mean"] == pytest.approx(7 / 3)
    assert f["y"]["numbers"]["nan"] == 1
    assert (f["v"]["min_length"], f["v"]["max_length"], f["v"]["present"]) == (0, 2, 3)


def test_invalid_values_after_the_kind_sample_are_counted(tmp_path, capsys):
    # kinds come from the first 10,000 records; "oops" comes later
    rows = "".join(f"{i}\n" for i in range(10_010)) + "oops\n"
    (tmp_path / "n.csv").write_text("n\n" + rows)
    doc = _stats_json(capsys, str(tmp_path / "n.csv"))
    n = doc["features"]["n"]
    assert (n["kind"], n["invalid"], n["missing"]) == ("int64", 1, 1)


def test_tables(data, capsys):
    assert main(["stats", str(data / "a.csv")]) == 0
    out = capsys.readouterr().out
    assert "numeric features" in out and "string features" in out
    assert "paris (4)" in out and "12 records" in out


def test_html_report_written(data, tmp_path, capsys):
    out = tmp_path / "r.html"
    assert main(["stats", str(data / "a.csv"), "--html", str(out)]) == 0
    html = out.read_text()
    assert html.count('<svg class="chart"') == 3


def test_empty_file_is_an_error(data, capsys):
    assert main(["stats", str(data / "empty.csv")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no records" in err


def _strings_csv(tmp_path, values: list[str]):
    path = tmp_path / "s.csv"
    path.write_text("s\n" + "".join(f"{v}\n" for v in values))
    return str(path)


def test_a_long_top_value_is_cut_with_an_ellipsis_and_whole_in_json(tmp_path, capsys):
    long = "abcdefghij" * 6  # 60 characters
    path = _strings_csv(tmp_path, [long] * 3 + ["short"])
    assert main(["stats", path]) == 0
    out = capsys.readouterr().out
    assert f"{long[:23]}… (3), short (1)" in out
    assert long[:24] not in out
    doc = _stats_json(capsys, path)
    assert doc["features"]["s"]["strings"]["top"] == [[long, 3], ["short", 1]]


def test_more_top_values_than_shown_end_in_an_ellipsis(tmp_path, capsys):
    values = [f"v{i}" for i in range(7) for _ in range(7 - i)]  # v0 x7 ... v6 x1
    path = _strings_csv(tmp_path, values)
    assert main(["stats", path]) == 0
    out = capsys.readouterr().out
    assert "v0 (7), v1 (6), v2 (5), v3 (4), v4 (3), …" in out
    doc = _stats_json(capsys, path)
    assert len(doc["features"]["s"]["strings"]["top"]) == 7


def test_five_top_values_or_fewer_have_no_ellipsis(tmp_path, capsys):
    path = _strings_csv(tmp_path, [f"v{i}" for i in range(5)])
    assert main(["stats", path]) == 0
    out = capsys.readouterr().out
    assert "v0 (1), v1 (1), v2 (1), v3 (1), v4 (1)" in out
    assert "…" not in out
