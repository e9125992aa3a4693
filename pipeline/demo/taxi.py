"""A deterministic taxi-fare table for the demo, as CSV shards and TFRecord twins.

The fare depends on distance, on whether pickup and dropoff share a city cell
(a feature cross), on rush hour and on the day, plus noise, so a model that
uses the feature columns beats predicting the mean.

Example:
    >>> cols = taxi_columns(5)
    >>> sorted(cols)[:3], len(cols["fare"])
    (['day_of_week', 'dropoff_lat', 'dropoff_lon'], 5)
"""

from __future__ import annotations

import os

import numpy as np

from pipeline.io import serialize_example
from pipeline.io.tfrecord_writer import TFRecordWriter

COLUMNS = [
    "pickup_lon", "pickup_lat", "dropoff_lon", "dropoff_lat", "passengers",
    "hour", "day_of_week", "vendor_id", "fare",
]  # fmt: skip
#: decode_csv record_defaults, in column order (the seed course's form).
RECORD_DEFAULTS = [[0.0], [0.0], [0.0], [0.0], [1], [0], ["Mon"], [""], [0.0]]
_DAYS = np.array([b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"], object)


def taxi_columns(rows: int, seed: int = 0) -> dict[str, np.ndarray]:
    """The table as numpy columns (strings as object arrays of bytes)."""
    rng = np.random.default_rng(seed)
    lat = rng.uniform(40.6, 40.9, (2, rows))
    lon = rng.uniform(-74.1, -73.8, (2, rows))
    hour = rng.integers(0, 24, rows)
    day = rng.integers(0, 7, rows)
    distance = np.hypot(lat[0] - lat[1], lon[0] - lon[1])
    same_cell = (lat[0] > 40.75) == (lon[0] > -73.95)
    fare = 3 + 60 * distance + 4 * same_cell + 2 * (hour >= 17) + 1.5 * (day >= 5)
    fare = fare + rng.normal(0, 0.5, rows)
    vendors = np.array([f"V{i:03d}".encode() for i in rng.integers(0, 300, rows)])
    f32 = np.float32
    return {
        "pickup_lon": lon[0].astype(f32), "pickup_lat": lat[0].astype(f32),
        "dropoff_lon": lon[1].astype(f32), "dropoff_lat": lat[1].astype(f32),
        "passengers": rng.integers(1, 5, rows).astype(np.int64),
        "hour": hour.astype(np.int64), "day_of_week": _DAYS[day],
        "vendor_id": vendors.astype(object), "fare": fare.astype(np.float32),
    }  # fmt: skip


def _csv_line(cols: dict[str, np.ndarray], i: int) -> str:
    cells = []
    for name in COLUMNS:
        value = cols[name][i]
        if isinstance(value, bytes):
            cells.append(value.decode())
        elif isinstance(value, np.floating):
            cells.append(f"{value:.5f}")
        else:
            cells.append(str(value))
    return ",".join(cells)


def write_split(directory: str, split: str, rows: int, shards: int, seed: int) -> None:
    """Writes ``{split}.csv-0000k-of-0000n`` and ``{split}.tfrecord-...`` twins."""
    cols = taxi_columns(rows, seed)
    for k in range(shards):
        stem = f"{k:05d}-of-{shards:05d}"
        rows_k = range(k, rows, shards)
        tmp = os.path.join(directory, f".{split}.csv-{stem}.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(",".join(COLUMNS) + "\n")
            f.writelines(_csv_line(cols, i) + "\n" for i in rows_k)
        os.replace(tmp, os.path.join(directory, f"{split}.csv-{stem}"))
        with TFRecordWriter(os.path.join(directory, f"{split}.tfrecord-{stem}")) as w:
            for i in rows_k:
                w.write(serialize_example({n: cols[n][i : i + 1] for n in COLUMNS}))


def ensure_data(directory: str, rows: int = 40_000) -> bool:
    """Writes the demo data once (8 train + 2 validation shards); True if written."""
    if os.path.exists(os.path.join(directory, "_SUCCESS")):
        return False
    os.makedirs(directory, exist_ok=True)
    write_split(directory, "train", rows, 8, seed=0)
    write_split(directory, "valid", rows // 4, 2, seed=1)
    open(os.path.join(directory, "_SUCCESS"), "w").close()
    return True
