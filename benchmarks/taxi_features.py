"""The issue's taxi feature set, written once for ours and TensorFlow's columns.

Columns: 5 numerics (pickup/dropoff lon/lat, trip_distance), pickup latitude
and longitude bucketized into 16 buckets each, their cross into 256 hash
buckets as an embedding of dimension 8, ``day_of_week`` from a vocabulary list
as an indicator, ``vendor_id`` hashed into 1,000 buckets as an embedding of
dimension 8, and ``hour_of_day`` as an identity column of 24 as an indicator.

Both sides get the same embedding tables (`table_initializer`), so their
outputs can be compared value for value.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from benchmarks.taxi_data import COLUMNS, RECORD_DEFAULTS, taxi_columns

BATCH = 256
NUMERIC = [
    "pickup_longitude",
    "pickup_latitude",
    "dropoff_longitude",
    "dropoff_latitude",
    "trip_distance",
]
FEATURES = [*NUMERIC, "day_of_week", "vendor_id", "hour_of_day"]
_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_LAT_EDGES = list(np.linspace(40.65, 40.85, 15))
_LON_EDGES = list(np.linspace(-74.12, -73.88, 15))


def table_initializer(shape: Any, dtype: Any = None, **_: Any) -> np.ndarray:
    """A deterministic float32 table for ``shape`` (the same on both sides)."""
    rows, dim = (int(s) for s in shape)
    rng = np.random.default_rng([rows, dim])
    return (rng.standard_normal((rows, dim)) / np.sqrt(dim)).astype(np.float32)


def build_columns(fc: Any) -> list[Any]:
    """The taxi feature set from ``fc`` (``pipeline.feature_column`` or TF's)."""
    lat = fc.bucketized_column(fc.numeric_column("pickup_latitude"), _LAT_EDGES)
    lon = fc.bucketized_column(fc.numeric_column("pickup_longitude"), _LON_EDGES)
    cross = fc.crossed_column([lat, lon], hash_bucket_size=256)
    vendor = fc.categorical_column_with_hash_bucket("vendor_id", 1000)
    day = fc.categorical_column_with_vocabulary_list("day_of_week", _DAYS)
    hour = fc.categorical_column_with_identity("hour_of_day", 24)
    return [
        *(fc.numeric_column(n) for n in NUMERIC),
        lat,
        lon,
        fc.embedding_column(cross, 8, initializer=table_initializer),
        fc.embedding_column(vendor, 8, initializer=table_initializer),
        fc.indicator_column(day),
        fc.indicator_column(hour),
    ]


def parsed_batches(rows: int) -> list[dict[str, np.ndarray]]:
    """Full batches of 256 parsed rows (empty cells filled as the CSV parser would)."""
    values, missing = taxi_columns(rows)
    cols = {}
    for name in FEATURES:
        col = values[name].copy()
        col[missing[name]] = b"" if col.dtype == object else 0
        cols[name] = col
    cols["hour_of_day"] = cols["hour_of_day"].astype(np.int64)
    return [
        {k: v[i : i + BATCH].reshape(-1, 1) for k, v in cols.items()}
        for i in range(0, rows - BATCH + 1, BATCH)
    ]


def csv_defaults(tf: Any = None) -> list[Any]:
    """The taxi CSV's record defaults (hour_of_day as int64, for the identity)."""
    out: list[Any] = []
    for name, default in zip(COLUMNS, RECORD_DEFAULTS):
        if name != "hour_of_day":
            out.append([default[0]])
        elif tf is None:
            out.append([np.int64(0)])
        else:
            out.append(tf.constant([0], tf.int64))
    return out
