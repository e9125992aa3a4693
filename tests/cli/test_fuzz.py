"""Damaged files never crash a command: exit 0 or 1, at most one error line."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import main

_SOURCES = [
    "a.csv",
    "b.csv.gz",
    "ex.tfrecord",
    "ex.tfrecord.gz",
    "t.parquet",
    "c.tsv",
    "raw.tfrecord",
    "lines.txt",
]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    source=st.sampled_from(_SOURCES),
    command=st.sampled_from(
        ["head", "schema", "stats", "count", "verify", "index", "convert"]
    ),
    cut=st.floats(0, 1),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), max_size=3),
)
def test_damaged_files_give_clean_exits(
    data, tmp_path_factory, capsys, source, command, cut, flips
):
    original = (data / source).read_bytes()
    blob = bytearray(original[: int(len(original) * cut) + 1])
    for where, mask in flips:
        blob[min(int(where * len(blob)), len(blob) - 1)] ^= mask
    path = tmp_path_factory.mktemp("case") / source
    path.write_bytes(bytes(blob))
    argv = [command, str(path), "-q"]
    if command == "convert":
        argv += ["--to", "tfrecord", "--out", str(path.parent / "out")]
    code = main(argv)
    err = capsys.readouterr().err
    assert code in (0, 1), err
    assert "Traceback" not in err and err.count("\n") <= 1, err
