"""Deterministic taxi-fare table for the CSV and TFRecord benchmarks.

Columns: pickup/dropoff longitude and latitude (float), passenger_count and
hour_of_day (int), day_of_week, payment_type and vendor_id (strings; about
1,000 vendors), trip_distance (float) and the label fare_amount (float). About
3% of the cells are empty. Rows ``[start, start + n)`` are the same whatever
the sharding: they are drawn in fixed chunks, each from its own seed.

    python -m benchmarks.taxi_data --out /tmp/taxi --rows 2000000 --shards 8

writes ``taxi.csv-00000-of-00008`` ... with a header. The TFRecord benchmark
writes the same rows as Examples from `taxi_columns`.
"""

from __future__ import annotations

import argparse
import os

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

COLUMNS = [
    "pickup_longitude",
    "pickup_latitude",
    "dropoff_longitude",
    "dropoff_latitude",
    "passenger_count",
    "hour_of_day",
    "day_of_week",
    "payment_type",
    "vendor_id",
    "trip_distance",
    "fare_amount",
]
LABEL = "fare_amount"
DTYPES = {
    "pickup_longitude": np.float32,
    "pickup_latitude": np.float32,
    "dropoff_longitude": np.float32,
    "dropoff_latitude": np.float32,
    "passenger_count": np.int32,
    "hour_of_day": np.int32,
    "day_of_week": object,
    "payment_type": object,
    "vendor_id": object,
    "trip_distance": np.float32,
    "fare_amount": np.float32,
}
#: decode_csv record_defaults for the table, in column order.
RECORD_DEFAULTS = [[0.0], [0.0], [0.0], [0.0], [0], [0], [""], [""], [""], [0.0], [0.0]]
_CHUNK_ROWS = 1 << 16
_MISSING_RATE = 0.03
_DAYS = np.array([b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"], dtype=object)
_PAYMENTS = np.array([b"CASH", b"CARD", b"NO_CHARGE", b"DISPUTE"], dtype=object)
_VENDORS = np.array([f"V{i:04d}".encode() for i in range(1000)], dtype=object)


def taxi_columns(
    num_rows: int, *, seed: int = 0, start: int = 0
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Rows ``[start, start + num_rows)``: ``(values, missing)`` dicts of columns.

    ``values[name]`` is a numpy array (object arrays of bytes for strings);
    ``missing[name]`` is a bool mask of the empty cells (their value is
    meaningless).
    """
    first, last = start // _CHUNK_ROWS, (start + num_rows - 1) // _CHUNK_ROWS
    parts = [_chunk(seed, c) for c in range(first, last + 1)] if num_rows else []
    lo = start - first * _CHUNK_ROWS
    values, missing = {}, {}
    for name in COLUMNS:
        if not parts:
            values[name] = np.empty(0, DTYPES[name])
            missing[name] = np.empty(0, bool)
            continue
        values[name] = np.concatenate([p[0][name] for p in parts])[lo : lo + num_rows]
        missing[name] = np.concatenate([p[1][name] for p in parts])[lo : lo + num_rows]
    return values, missing


def _chunk(seed: int, index: int) -> tuple[dict, dict]:
    rng = np.random.default_rng([seed, index])
    n = _CHUNK_ROWS
    plon = np.round(-74.0 + rng.normal(0, 0.05, n), 6)
    plat = np.round(40.75 + rng.normal(0, 0.04, n), 6)
    dlon = np.round(plon + rng.normal(0, 0.03, n), 6)
    dlat = np.round(plat + rng.normal(0, 0.03, n), 6)
    dist = np.round(
        np.hypot(dlon - plon, dlat - plat) * 69.0 + rng.exponential(0.3, n), 2
    )
    fare = np.round(2.5 + 2.5 * dist + rng.exponential(1.0, n), 2)
    values = {
        "pickup_longitude": plon.astype(np.float32),
        "pickup_latitude": plat.astype(np.float32),
        "dropoff_longitude": dlon.astype(np.float32),
        "dropoff_latitude": dlat.astype(np.float32),
        "passenger_count": rng.integers(1, 7, n).astype(np.int32),
        "hour_of_day": rng.integers(0, 24, n).astype(np.int32),
        "day_of_week": _DAYS[rng.integers(0, 7, n)],
        "payment_type": _PAYMENTS[rng.integers(0, 4, n)],
        "vendor_id": _VENDORS[np.minimum(rng.zipf(1.3, n) - 1, 999)],
        "trip_distance": dist.astype(np.float32),
        "fare_amount": fare.astype(np.float32),
    }
    missing = {
        name: (rng.random(n) < _MISSING_RATE) if name != LABEL else np.zeros(n, bool)
        for name in COLUMNS
    }
    return values, missing


def _arrow_table(values: dict, missing: dict) -> pa.Table:
    arrays = []
    for name in COLUMNS:
        col = values[name]
        if col.dtype == object:
            arrays.append(
                pa.array(col, pa.binary(), mask=missing[name]).cast(pa.string())
            )
        else:
            arrays.append(pa.array(col, mask=missing[name]))
    return pa.table(arrays, names=COLUMNS)


def shard_names(out_dir: str, num_shards: int, prefix: str = "taxi.csv") -> list[str]:
    """The shard paths ``<out_dir>/<prefix>-0000i-of-0000N``."""
    return [
        os.path.join(out_dir, f"{prefix}-{i:05d}-of-{num_shards:05d}")
        for i in range(num_shards)
    ]


def shard_ranges(num_rows: int, num_shards: int) -> list[tuple[int, int]]:
    """``(start, count)`` of each shard's rows."""
    bounds = np.linspace(0, num_rows, num_shards + 1).astype(int)
    return [(int(a), int(b - a)) for a, b in zip(bounds[:-1], bounds[1:])]


def write_csv_shards(
    out_dir: str, num_rows: int = 2_000_000, num_shards: int = 8, seed: int = 0
) -> list[str]:
    """Write the table as CSV shards with a header; returns their paths.

    Existing shards with the same size and seed are kept (a marker file
    records what was written).
    """
    os.makedirs(out_dir, exist_ok=True)
    paths = shard_names(out_dir, num_shards)
    marker = os.path.join(out_dir, f".taxi-{num_rows}-{num_shards}-{seed}")
    if os.path.exists(marker) and all(os.path.exists(p) for p in paths):
        return paths
    options = pacsv.WriteOptions(include_header=True, quoting_style="none")
    for path, (start, count) in zip(paths, shard_ranges(num_rows, num_shards)):
        table = _arrow_table(*taxi_columns(count, seed=seed, start=start))
        tmp = path + ".tmp"
        pacsv.write_csv(table, tmp, options)
        os.replace(tmp, path)
    open(marker, "w").close()
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/pipeline-bench/taxi")
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    paths = write_csv_shards(args.out, args.rows, args.shards, args.seed)
    total = sum(os.path.getsize(p) for p in paths)
    print(f"wrote {len(paths)} shards, {args.rows} rows, {total / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
