"""The main job on built-in data: shards -> CLI look -> pipeline -> adapt -> train.

Steps (``python -m pipeline.demo [DATA_DIR]``):

1. write the taxi shards once (CSV with header + TFRecord twins; git ignores data/);
2. ``pipeline schema`` and ``pipeline stats`` on the validation shards;
3. the seed course's input pipeline ``list_files -> interleave(TextLineDataset)
   -> batch -> decode_csv -> shuffle -> prefetch``, with its rows/s;
4. ``adapt`` fits normalizers and the vendor vocabulary in one pass; a wide
   (linear) plus deep (DNN) model trains with validation, early stopping and
   TensorBoard logs; validation RMSE against predicting the mean;
5. the model is saved, reloaded in a fresh process, and predicts rows read from
   the TFRecord shards, giving the same predictions.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from io import BytesIO

import numpy as np

from pipeline import cli, data, io, nn
from pipeline import feature_column as fc
from pipeline.demo.taxi import COLUMNS, RECORD_DEFAULTS, ensure_data

LABEL = "fare"
_NUMERIC = ("pickup_lon", "pickup_lat", "dropoff_lon", "dropoff_lat", "passengers")


def parse_batch(lines):
    """``decode_csv`` over a batch of lines -> (features dict, label)."""
    features = dict(zip(COLUMNS, io.decode_csv(lines, RECORD_DEFAULTS)))
    return features, features.pop(LABEL)


def csv_dataset(pattern: str, batch_size: int = 256, shuffle: bool = True):
    files = data.Dataset.list_files(pattern, shuffle=False)
    ds = files.interleave(
        lambda f: data.TextLineDataset(f).skip(1), cycle_length=4, block_length=64
    )
    ds = ds.batch(batch_size).map(parse_batch)
    if shuffle:
        ds = ds.shuffle(16, seed=0)
    return ds.prefetch(data.AUTOTUNE)


def pending_columns():
    lat = list(np.linspace(40.6, 40.9, 9)[1:-1])
    lon = list(np.linspace(-74.1, -73.8, 9)[1:-1])
    plat = fc.bucketized_column(fc.numeric_column("pickup_lat"), lat)
    plon = fc.bucketized_column(fc.numeric_column("pickup_lon"), lon)
    cell = fc.crossed_column([plat, plon], hash_bucket_size=64)
    hour = fc.categorical_column_with_identity("hour", 24)
    day = fc.categorical_column_with_vocabulary_list(
        "day_of_week", ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    )
    vendor = fc.categorical_column_with_hash_bucket("vendor_id", 64)
    wide = [
        fc.indicator_column(cell),
        fc.indicator_column(hour),
        fc.indicator_column(day),
    ]
    deep = [
        fc.embedding_column(cell, dimension=3),
        fc.embedding_column(vendor, dimension=4),
        fc.indicator_column(day),
        *(fc.normalized_numeric_column(k) for k in _NUMERIC),
    ]
    return wide, deep


def build_model(wide, deep) -> nn.Model:
    """Wide-and-deep: ``LinearModel(wide) + DNN(DenseFeatures(deep))``."""
    return WideAndDeep(wide, deep)


@nn.layers.register
class WideAndDeep(nn.Model):
    """A linear part over ``wide`` columns plus a DNN over ``deep`` ones, added.

    Its config holds the fitted columns, so ``nn.load_model`` rebuilds it.
    """

    def __init__(self, wide, deep, units: int = 32, **kwargs) -> None:
        super().__init__(**kwargs)
        self.units = units
        self.linear = fc.LinearModel(wide)
        self.deep_inputs = fc.DenseFeatures(deep)
        self.hidden = [nn.layers.Dense(units, activation="relu") for _ in range(2)]
        self.head = nn.layers.Dense(1)

    def call(self, features, training=None):
        x = self.deep_inputs(features)
        for layer in self.hidden:
            x = layer(x)
        return self.head(x) + self.linear(features)

    def get_config(self) -> dict:
        return {
            "units": self.units,
            "wide": [fc.serialize_feature_column(c) for c in self.linear._columns],
            "deep": [fc.serialize_feature_column(c) for c in self.deep_inputs._columns],
        }

    @classmethod
    def from_config(cls, config: dict) -> WideAndDeep:
        wide = [fc.deserialize_feature_column(c) for c in config["wide"]]
        deep = [fc.deserialize_feature_column(c) for c in config["deep"]]
        return cls(wide, deep, config["units"])


def _read_speed(ds) -> tuple[int, float]:
    """Rows in one pass over ``ds``, and rows per second."""
    start, rows = time.perf_counter(), 0
    for _, label in ds:
        rows += len(label)
    return rows, rows / (time.perf_counter() - start)


def _rmse(model, ds) -> tuple[float, np.ndarray]:
    """The model's RMSE over ``ds`` and the labels it saw."""
    preds, labels = [], []
    for features, label in ds:
        preds.append(model.predict(features, verbose=0).ravel())
        labels.append(label)
    pred, label = np.concatenate(preds), np.concatenate(labels)
    return float(np.sqrt(np.mean((pred - label) ** 2))), label


def train(directory: str):
    """Steps 3-4: the pipeline, adapt, fit; returns (model, validation dataset)."""
    train_ds = csv_dataset(os.path.join(directory, "train.csv-*"))
    valid_ds = csv_dataset(os.path.join(directory, "valid.csv-*"), shuffle=False)
    rows, speed = _read_speed(train_ds)
    print(f"== input pipeline: {speed:,.0f} rows/s read, parsed and batched "
          f"(one pass over the {rows:,} training rows of 8 CSV shards)")  # fmt: skip
    wide, deep = pending_columns()
    fitted = fc.adapt(wide + deep, train_ds).columns
    model = build_model(fitted[: len(wide)], fitted[len(wide) :])
    model.compile(optimizer=nn.optimizers.Adam(0.01), loss="mse")
    callbacks = [
        nn.callbacks.EarlyStopping(patience=2, restore_best_weights=True),
        nn.callbacks.TensorBoard(log_dir=os.path.join(directory, "logs")),
    ]
    start = time.perf_counter()
    history = model.fit(
        train_ds, validation_data=valid_ds, epochs=8, callbacks=callbacks, verbose=0
    )
    seconds = time.perf_counter() - start
    epochs = len(history.history["loss"])
    examples = epochs * sum(len(y) for _, y in train_ds)
    print(f"== training: {epochs} epochs in {seconds:.1f} s, {examples / seconds:,.0f} "
          "training examples/s (validation passes included in the time)")  # fmt: skip
    print(f"   TensorBoard logs in {directory}/logs")
    return model, valid_ds


def _tfrecord_rows(directory: str, n: int = 5):
    """The first ``n`` validation rows, read from the TFRecord twins."""
    kinds = {"passengers": np.int64, "hour": np.int64}
    kinds.update(day_of_week=object, vendor_id=object)
    features = {k: io.FixedLenFeature([], kinds.get(k, np.float32)) for k in COLUMNS}
    pattern = os.path.join(directory, "valid.tfrecord-*")
    files = data.Dataset.list_files(pattern, shuffle=False)
    records = next(iter(data.TFRecordDataset(files).batch(n)))
    batch = io.parse_example(records, features)
    return batch, batch.pop(LABEL)


def predict_saved(path: str, directory: str) -> np.ndarray:
    """Step 5 (in a fresh process): reload the model, predict TFRecord rows."""
    model = nn.load_model(path, compile=False)
    features, _ = _tfrecord_rows(directory)
    return model.predict(features, verbose=0).ravel()


def run_job(directory: str = "data/taxi") -> int:
    """Runs steps 1-5; returns the exit code (1 if the model is not clearly better)."""
    if ensure_data(directory):
        print(f"== wrote the taxi data into {directory}/: 8 training and 2 validation "
              "CSV shards, and their TFRecord twins")  # fmt: skip
    valid_csv = os.path.join(directory, "valid.csv-*")
    print(f"== pipeline schema '{valid_csv}' --sample 1000: kinds from 1,000 records")
    cli.main(["schema", valid_csv, "--sample", "1000"])
    valid_0 = os.path.join(directory, "valid.csv-00000-of-00002")
    print(f"== pipeline stats {valid_0}: per-feature statistics of one shard")
    cli.main(["stats", valid_0, "--quiet"])
    model, valid_ds = train(directory)
    rmse, labels = _rmse(model, valid_ds)
    baseline = float(np.sqrt(np.mean((labels - labels.mean()) ** 2)))
    print(f"== validation RMSE (root mean squared error of the fare): ${rmse:.3f} "
          f"for the model, ${baseline:.3f} for predicting the mean fare")  # fmt: skip
    path = os.path.join(directory, "wide_and_deep.zip")
    model.save(path)
    features, label = _tfrecord_rows(directory)
    here = model.predict(features, verbose=0).ravel()
    code = (
        "import sys, numpy as np; from pipeline.demo.job import predict_saved; "
        "np.save(sys.stdout.buffer, predict_saved(sys.argv[1], sys.argv[2]))"
    )
    out = subprocess.run([sys.executable, "-c", code, path, directory],
                         check=True, capture_output=True).stdout  # fmt: skip
    there = np.load(BytesIO(out))
    print("== the first 5 validation rows, read from the TFRecord shards (fares in $):")
    print("true fare | predicted here | predicted after reloading, in a new process")
    for f, a, b in zip(label, here, there):
        print(f"{f:9.2f} | {a:14.3f} | {b:14.3f}")
    same = np.allclose(here, there)
    print("reloaded model gives the same predictions" if same else "MISMATCH")
    return 0 if same and rmse < 0.5 * baseline else 1
