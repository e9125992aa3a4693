"""The ``pipeline`` command on sharded TFRecords: count (with and without the index),
index, stats (time and peak memory); TensorFlow's way to count alongside.

Data: the taxi table of `benchmarks.taxi_data` as 8 TFRecord shards of Examples
(`benchmarks.bench_tfrecord.write_shards`). Counting in TensorFlow means
reading every record: ``TFRecordDataset(files).batch(4096).reduce(0, +len)``. Passes
alternate between ours and TF's; the best pass of each counts.

``count (index)`` counts from the index sidecars, which ``pipeline index``
wrote beforehand, outside its timer; the build is timed on its own (``index
(write sidecars)``, sidecars deleted before each pass) and together with the
count that follows it (``index then count``), and the table says so next to
the count. Each count checks how the CLI counted each file (``framing`` or
``index``), so a sidecar left by an earlier run cannot speed up the framing
row. ``count`` with the index is also timed as a fresh process (``python -m
pipeline count``), interpreter start included. ``verify`` checks every CRC and
that every
record parses. ``stats`` runs in a child process on 2 shards and
on all 8, to show its peak memory does not grow with the data.

Records/s of ``verify``, ``stats`` and ``schema`` (in this process, the best
pass) are printed against the goals of issue 15 (verify >= 1M records/s,
stats >= 300k) on the taxi shards and on TFX-style shards: the same rows as 12
gzip shards where every record names every feature and a missing value is an
empty ``Feature{}``, about a third of them in three columns.

    .venv-bench/bin/python -m benchmarks.bench_cli --rows 2000000 --passes 3
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import time

import numpy as np

from benchmarks.bench_tfrecord import write_shards
from benchmarks.taxi_data import COLUMNS, taxi_columns

#: the rows of counting with the index (their ``what`` in the JSON lines)
COUNT_INDEXED = "count (index)"
INDEX_BUILD = "index (write sidecars)"
INDEX_THEN_COUNT = "index then count (build timed)"
#: what each row's label adds in the printed table
_NOTES = {
    COUNT_INDEXED: "sidecars built beforehand by `pipeline index`, untimed",
    INDEX_THEN_COUNT: "`pipeline index` + `pipeline count`, one timer",
}
#: records/s goals of issue 15 (it sets none for schema)
GOALS = {"verify": 1_000_000, "stats": 300_000}
_TFX_SHARDS = 12
#: columns where TFX-style shards leave about a third of the values empty
_TFX_SPARSE = ("passenger_count", "payment_type", "trip_distance")


def _quiet_main(argv: list[str]) -> str:
    from pipeline.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(argv)
    assert code == 0, (argv, code)
    return out.getvalue()


def _varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _ld(field: int, payload: bytes) -> bytes:
    """A length-delimited field."""
    return bytes([field << 3 | 2]) + _varint(len(payload)) + payload


def _tfx_entries(name: str, values: np.ndarray, missing: np.ndarray) -> list[bytes]:
    """The map entry of feature ``name`` in each record (``Feature{}`` if missing)."""
    key = _ld(1, name.encode())
    empty = _ld(1, key + _ld(2, b""))
    if values.dtype == object:  # BytesList
        lists = [_ld(1, _ld(1, v)) for v in values.tolist()]
    elif values.dtype.kind == "f":  # FloatList, packed
        raw = values.astype("<f4").tobytes()
        lists = [_ld(2, _ld(1, raw[4 * i : 4 * i + 4])) for i in range(len(values))]
    else:  # Int64List, packed (the taxi ints are >= 0)
        lists = [_ld(3, _ld(1, _varint(v))) for v in values.tolist()]
    return [
        empty if gone else _ld(1, key + _ld(2, feature))
        for feature, gone in zip(lists, missing.tolist())
    ]


def _tfx_columns(start: int, stop: int) -> tuple[dict, dict]:
    """Taxi rows ``[start, stop)``, with about a third of the values of
    `_TFX_SPARSE` missing too."""
    values, missing = taxi_columns(stop - start, start=start)
    rng = np.random.default_rng([7, start])
    for name in _TFX_SPARSE:
        missing[name] = missing[name] | (rng.random(stop - start) < 1 / 3)
    return values, missing


def _tfx_records(values: dict, missing: dict) -> list[bytes]:
    """Rows as TFX writes them: every feature in every record, a missing
    value an empty ``Feature{}``; keys sorted, as TF serializes a map."""
    columns = [_tfx_entries(n, values[n], missing[n]) for n in sorted(COLUMNS)]
    return [_ld(1, b"".join(entries)) for entries in zip(*columns)]


def _check_tfx_encoding(records: list[bytes], values: dict, missing: dict) -> None:
    """The hand encoding equals the library's (TF-identical) serializer."""
    from pipeline.io.example_message import serialize_example

    for i, record in enumerate(records):
        row = {}
        for n in COLUMNS:
            v = values[n][i : i + 1]
            row[n] = (
                None
                if missing[n][i]
                else v.astype(np.int64)
                if v.dtype.kind == "i"
                else v
            )
        assert record == serialize_example(row), f"record {i} differs"


def write_tfx_shards(out_dir: str, rows: int) -> list[str]:
    """Write (once) the taxi rows TFX-style: 12 gzip shards with ``Feature{}``."""
    from pipeline.io.tfrecord_writer import TFRecordWriter

    os.makedirs(out_dir, exist_ok=True)
    names = [
        os.path.join(out_dir, f"data_tfrecord-{i:05d}-of-{_TFX_SHARDS:05d}.gz")
        for i in range(_TFX_SHARDS)
    ]
    bounds = np.linspace(0, rows, _TFX_SHARDS + 1).astype(int)
    for name, lo, hi in zip(names, bounds[:-1], bounds[1:]):
        if os.path.exists(name):
            continue
        values, missing = _tfx_columns(int(lo), int(hi))
        records = _tfx_records(values, missing)
        _check_tfx_encoding(records[:200], values, missing)
        with TFRecordWriter(name + ".part", "GZIP") as w:
            for record in records:
                w.write(record)
        os.replace(name + ".part", name)
    return names


def _count_doc(files: list[str], how: str) -> dict:
    """``pipeline count --json`` of ``files``, each file counted by ``how``."""
    doc = json.loads(_quiet_main(["count", *files, "--json", "-q"]))
    used = {f["how"] for f in doc["files"]}
    assert used == {how}, f"expected every file counted by {how}, got {used}"
    return doc


def _ours_count(files: list[str]) -> tuple[float, int]:
    """Count from the framing (no sidecars)."""
    start = time.perf_counter()
    doc = _count_doc(files, "framing")
    return time.perf_counter() - start, doc["total"]


def _indexed_count(files: list[str]) -> tuple[float, int]:
    """Count from the sidecars, written beforehand (not timed here)."""
    start = time.perf_counter()
    doc = _count_doc(files, "index")
    return time.perf_counter() - start, doc["total"]


def _index_then_count(files: list[str]) -> tuple[float, int]:
    """``pipeline index`` (sidecars deleted first), then the count, one timer."""
    _drop_indexes(files)
    start = time.perf_counter()
    _quiet_main(["index", *files, "-q"])
    doc = _count_doc(files, "index")
    return time.perf_counter() - start, doc["total"]


def _build_index(files: list[str], passes: int) -> list[float]:
    """Seconds of each ``pipeline index`` pass, sidecars deleted first."""
    seconds = []
    for _ in range(passes):
        _drop_indexes(files)
        start = time.perf_counter()
        _quiet_main(["index", *files, "-q"])
        seconds.append(time.perf_counter() - start)
    return seconds


def _tf_count(files: list[str]) -> tuple[float, int]:
    import tensorflow as tf

    def add_batch(count, batch):
        return count + tf.shape(batch, tf.int64)[0]

    start = time.perf_counter()
    ds = tf.data.TFRecordDataset(files).batch(4096)  # per-record reduce: ~30x slower
    n = ds.reduce(tf.constant(0, tf.int64), add_batch)
    return time.perf_counter() - start, int(n)


def _drop_indexes(files: list[str]) -> None:
    """Delete the sidecars of ``files`` (where `pipeline index` writes them,
    and where older versions did)."""
    from pipeline.io.index import index_path_of, old_index_path_of

    for f in files:
        for sidecar in (index_path_of(f), old_index_path_of(f)):
            with contextlib.suppress(FileNotFoundError):
                os.remove(sidecar)


# Prints the process's own peak RSS (KiB) on stderr after running the command.
_WRAPPER = (
    "import resource, sys; from pipeline.cli import main; code = main(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); "
    "sys.exit(code)"
)


def _child(argv: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS MiB) of the command in a fresh process.

    The process is started from a small shell (not forked from this big one,
    whose peak RSS a forked child would inherit) and reports its own peak.
    """
    start = time.perf_counter()
    done = subprocess.run(
        ["sh", "-c", '"$0" "$@"; exit $?', sys.executable, "-c", _WRAPPER, *argv],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seconds = time.perf_counter() - start
    return seconds, int(done.stderr.strip().splitlines()[-1]) / 1024


def _passes(fn, files, passes, rows) -> list[float]:
    """Seconds of each of ``passes`` calls of ``fn``, which must count ``rows``."""
    out = []
    for _ in range(passes):
        seconds, n = fn(files)
        assert n == rows, (fn.__name__, n, rows)
        out.append(seconds)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--data", default="benchmarks/data")
    parser.add_argument("--no-tf", action="store_true", help="ours only")
    parser.add_argument("--no-stats", action="store_true", help="skip stats")
    parser.add_argument(
        "--rates-only",
        action="store_true",
        help="only the records/s of verify, stats and schema against the goals",
    )
    args = parser.parse_args(argv)
    if args.rates_only:
        _all_rates(args)
        return 0
    files = write_shards(os.path.join(args.data, f"tfrecord-{args.rows}"), args.rows)
    size_mb = sum(os.path.getsize(f) for f in files) / 1e6
    results = _count_results(files, args)
    start = time.perf_counter()
    _quiet_main(["verify", *files, "-q"])
    results["verify (CRCs + Examples)"] = [time.perf_counter() - start]
    _report(results, args.rows, size_mb)
    if not args.no_stats:
        _stats_memory(files, args.rows)
    _all_rates(args)
    return 0


def _count_results(
    files: list[str], args: argparse.Namespace
) -> dict[str, list[float]]:
    """Seconds of each pass of each way to count ``files`` (`_report`'s rows)."""
    _drop_indexes(files)
    _quiet_main(["count", files[0], "-q"])  # warm up: the command's imports
    results: dict[str, list[float]] = {"count (framing)": []}
    tf: list[float] = []
    for _ in range(args.passes):  # alternate ours and TF pass by pass
        results["count (framing)"] += _passes(_ours_count, files, 1, args.rows)
        if not args.no_tf:
            tf += _passes(_tf_count, files, 1, args.rows)
    results["count (framing), new process"] = [
        _child(["count", *files, "-q"])[0] for _ in range(args.passes)
    ]
    if not args.no_tf:
        results["tf reduce count"] = tf
    results[INDEX_THEN_COUNT] = _passes(
        _index_then_count, files, args.passes, args.rows
    )
    results[INDEX_BUILD] = _build_index(files, args.passes)  # leaves the sidecars
    results[COUNT_INDEXED] = _passes(_indexed_count, files, args.passes, args.rows)
    results[f"{COUNT_INDEXED}, new process"] = [
        _child(["count", *files, "-q"])[0] for _ in range(args.passes)
    ]
    return results


def _all_rates(args: argparse.Namespace) -> None:
    taxi = write_shards(os.path.join(args.data, f"tfrecord-{args.rows}"), args.rows)
    tfx = write_tfx_shards(os.path.join(args.data, f"tfx-{args.rows}"), args.rows)
    for label, files in (("taxi, 8 shards", taxi), ("TFX-style gzip, 12", tfx)):
        _rates(label, files, args.rows, args.passes)


def _read_only(files: list[str]) -> None:
    """Read every record (framing, CRCs, gzip inflate): the floor under verify."""
    from pipeline.io import tfrecord

    for path in files:
        for _ in tfrecord.iter_blocks(path, "AUTO", skip_corrupt=True):
            pass


def _rates(label: str, files: list[str], rows: int, passes: int) -> None:
    """Records/s of verify, stats and schema on ``files`` (best of ``passes``,
    in this process), against `GOALS` where one is set; and of reading alone."""
    commands = ("verify", "stats", "schema")
    steps = {
        c: (lambda c=c: _quiet_main([c, *files, "--json", "-q"])) for c in commands
    }
    steps["read only"] = lambda: _read_only(files)
    for command in commands:  # warm up: the command's imports, untimed
        _quiet_main([command, files[0], "--json", "-q"])
    for what, step in steps.items():
        seconds = []
        for _ in range(passes):
            start = time.perf_counter()
            step()
            seconds.append(time.perf_counter() - start)
        best = min(seconds)
        rate, goal = rows / best, GOALS.get(what)
        verdict = "" if goal is None else "meets" if rate >= goal else "BELOW"
        versus = "" if goal is None else f"  {verdict} the goal of {goal:,}"
        print(f"{what:<9} ({label}): {best:7.3f} s {rate:>12,.0f} records/s{versus}")
        doc = {"bench": "cli", "what": f"{what} ({label})", "rows": rows}
        doc.update(seconds=round(best, 4), rows_per_s=round(rate))
        doc.update(rows_per_s_passes=[round(rows / s) for s in seconds])
        if goal is not None:
            doc["goal_rows_per_s"] = goal
        print(json.dumps(doc))


def _note(what: str, results: dict[str, list[float]]) -> str:
    """What the printed table says next to a row (the index build, for counts)."""
    build = min(results[INDEX_BUILD]) if INDEX_BUILD in results else None
    if what.startswith(COUNT_INDEXED) and build is not None:
        return f"sidecars built beforehand in {build:.3f} s, untimed"
    return _NOTES.get(what, "")


def _report(results: dict[str, list[float]], rows: int, size_mb: float) -> None:
    """The table (best pass of each row) and a JSON line per row, every pass."""
    passes = results
    results = {what: min(s) for what, s in passes.items()}
    base = results["count (framing)"]
    tf_s = results.get("tf reduce count")
    build = results.get(INDEX_BUILD)
    print(f"{rows:,} records, {size_mb:.0f} MB in 8 shards")
    print(
        f"{'what':<32}{'seconds':>10}{'records/s':>14}{'vs framing':>12}"
        f"{'vs TF':>8}  note"
    )
    for what, seconds in results.items():
        vs_tf = tf_s / seconds if tf_s else float("nan")
        print(
            f"{what:<32}{seconds:>10.3f}{rows / seconds:>14,.0f}"
            f"{base / seconds:>12.1f}{vs_tf:>8.2f}  {_note(what, passes)}"
        )
        doc = {"bench": "cli", "what": what, "rows": rows}
        doc.update(seconds=round(seconds, 4), rows_per_s=round(rows / seconds))
        doc.update(rows_per_s_passes=[round(rows / s) for s in passes[what]])
        doc.update(
            speedup_vs_framing=round(base / seconds, 2), ratio_vs_tf=round(vs_tf, 3)
        )
        if what.startswith(COUNT_INDEXED) and build is not None:
            doc.update(index_built="beforehand, untimed")
            doc.update(index_build_seconds=round(build, 4))
        print(json.dumps(doc))


def _stats_memory(files: list[str], rows: int) -> None:
    for part in (files[:2], files):
        seconds, peak = _child(["stats", *part, "--json", "-q"])
        n = rows * len(part) // len(files)
        print(
            f"stats on {len(part)} shards (~{n:,} records): {seconds:.2f} s, "
            f"{n / seconds:,.0f} records/s, peak RSS {peak:.0f} MiB"
        )
        print(
            json.dumps(
                {
                    "bench": "cli",
                    "what": f"stats {len(part)} shards",
                    "rows": n,
                    "seconds": round(seconds, 3),
                    "rows_per_s": round(n / seconds),
                    "peak_rss_mib": round(peak),
                }
            )
        )


if __name__ == "__main__":
    raise SystemExit(main())
