"""The seed course's taxi model: TFRecord shards -> feature columns -> wide and deep.

Writes a small synthetic taxi-fare table as TFRecord shards of Examples, reads
it back with ``list_files -> TFRecordDataset -> map(parse_single_example) ->
shuffle(1000).repeat().batch()`` and trains with ``steps_per_epoch`` as the
course does. The fare depends on the pickup/dropoff cell (a feature cross),
the distance and the hour.

    python examples/taxi_wide_deep.py [DATA_DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile

import numpy as np

import pipeline as pl

fc = pl.feature_column
_SHARDS = 4
FEATURES = {
    "pickup_lat": pl.io.FixedLenFeature([], np.float32),
    "pickup_lon": pl.io.FixedLenFeature([], np.float32),
    "dropoff_lat": pl.io.FixedLenFeature([], np.float32),
    "dropoff_lon": pl.io.FixedLenFeature([], np.float32),
    "hour": pl.io.FixedLenFeature([], np.int64),
    "day": pl.io.FixedLenFeature([], pl.string, default_value=b"Mon"),
    "fare": pl.io.FixedLenFeature([], np.float32),
}
_DAYS = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"]


def write_shards(directory: str, rows: int = 8000, seed: int = 0) -> str:
    """Writes ``taxi.tfrecord-0000k-of-00004``; returns the glob pattern."""
    rng = np.random.default_rng(seed)
    lat = rng.uniform(40.6, 40.9, (rows, 2)).astype(np.float32)
    lon = rng.uniform(-74.1, -73.8, (rows, 2)).astype(np.float32)
    hour = rng.integers(0, 24, rows)
    day = rng.integers(0, 7, rows)
    distance = np.hypot(lat[:, 0] - lat[:, 1], lon[:, 0] - lon[:, 1])
    same_cell = (lat[:, 0] > 40.75) == (lon[:, 0] > -73.95)
    fare = (
        3 + 60 * distance + 4 * same_cell + 2 * (hour >= 17) + rng.normal(0, 0.3, rows)
    )
    for k in range(_SHARDS):
        name = os.path.join(directory, f"taxi.tfrecord-{k:05d}-of-{_SHARDS:05d}")
        with pl.io.TFRecordWriter(name) as writer:
            for i in range(k, rows, _SHARDS):
                writer.write(
                    pl.io.serialize_example(
                        {
                            "pickup_lat": lat[i, :1], "dropoff_lat": lat[i, 1:],
                            "pickup_lon": lon[i, :1], "dropoff_lon": lon[i, 1:],
                            "hour": hour[i : i + 1].astype(np.int64),
                            "day": np.array([_DAYS[day[i]]], dtype=object),
                            "fare": np.array([fare[i]], np.float32),
                        }
                    )
                )  # fmt: skip
    return os.path.join(directory, "taxi.tfrecord-*")


def read_dataset(pattern: str, batch_size: int = 256, repeat: bool = True):
    def parse(record):
        features = pl.io.parse_single_example(record, FEATURES)
        return features, features.pop("fare")

    files = pl.data.Dataset.list_files(pattern, shuffle=False)
    ds = pl.data.TFRecordDataset(files).map(parse)
    if repeat:
        ds = ds.shuffle(1000, seed=1).repeat()
    return ds.batch(batch_size).prefetch(pl.data.AUTOTUNE)


def _scale_lat(x):
    return (x - 40.75) / 0.1


def _scale_lon(x):
    return (x + 73.95) / 0.1


def feature_columns():
    lat_buckets = list(np.linspace(40.6, 40.9, 9)[1:-1])
    lon_buckets = list(np.linspace(-74.1, -73.8, 9)[1:-1])
    plat = fc.bucketized_column(fc.numeric_column("pickup_lat"), lat_buckets)
    plon = fc.bucketized_column(fc.numeric_column("pickup_lon"), lon_buckets)
    pickup_cell = fc.crossed_column([plat, plon], hash_bucket_size=64)
    hour = fc.categorical_column_with_identity("hour", 24)
    day = fc.categorical_column_with_vocabulary_list("day", _DAYS)
    wide = [fc.indicator_column(pickup_cell), fc.indicator_column(hour)]
    deep = [
        fc.embedding_column(pickup_cell, dimension=3),
        fc.indicator_column(day),
        *(
            fc.numeric_column(k, normalizer_fn=_scale_lat)
            for k in ("pickup_lat", "dropoff_lat")
        ),
        *(
            fc.numeric_column(k, normalizer_fn=_scale_lon)
            for k in ("pickup_lon", "dropoff_lon")
        ),
    ]
    return wide, deep


class WideAndDeep(pl.nn.Model):
    """A linear part over the wide columns plus a DNN over the deep ones, added."""

    def __init__(self) -> None:
        super().__init__()
        wide, deep = feature_columns()
        self.wide = fc.LinearModel(wide)
        self.deep_inputs = fc.DenseFeatures(deep)
        self.hidden = [pl.nn.layers.Dense(32, activation="relu") for _ in range(2)]
        self.head = pl.nn.layers.Dense(1)

    def call(self, features, training=None):
        x = self.deep_inputs(features)
        for layer in self.hidden:
            x = layer(x)
        return self.head(x) + self.wide(features)


def main(directory: str | None = None) -> tuple[float, float]:
    directory = directory or tempfile.mkdtemp(prefix="taxi-")
    pattern = write_shards(directory)
    model = WideAndDeep()
    model.compile(optimizer=pl.nn.optimizers.Adam(0.01), loss="mse",
                  metrics=["root_mean_squared_error"])  # fmt: skip
    model.fit(read_dataset(pattern), epochs=10, steps_per_epoch=40, verbose=0)
    valid = read_dataset(pattern, repeat=False)
    rmse = model.evaluate(valid, verbose=0, return_dict=True)["root_mean_squared_error"]
    labels = np.concatenate([y for _, y in valid])
    baseline = float(np.sqrt(np.mean((labels - labels.mean()) ** 2)))
    print(f"RMSE {rmse:.3f} against {baseline:.3f} for predicting the mean")
    return float(rmse), baseline


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
