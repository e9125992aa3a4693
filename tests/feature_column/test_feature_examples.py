"""Acceptance: the seed's housing example and a taxi-like model beat baselines."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline as pl

fc = pl.feature_column
nn = pl.nn


class FeatureModel(nn.Model):
    """DenseFeatures -> Dense layers, as a subclassed model."""

    def __init__(self, columns, hidden=()):
        super().__init__()
        self.features = fc.DenseFeatures(columns)
        self.hidden = [nn.layers.Dense(h, activation="relu") for h in hidden]
        self.out = nn.layers.Dense(1)

    def call(self, x, training=None):
        h = self.features(x)
        for layer in self.hidden:
            h = layer(h)
        return self.out(h)


def test_housing_trains_to_the_prices():
    rng = np.random.default_rng(0)
    n = 200
    sq = rng.uniform(1000, 3000, n).astype(np.float32)
    kind = np.array([b"house", b"apt"], dtype=object)[rng.integers(0, 2, n)]
    price = (sq * 0.1 + np.where(kind == b"house", 50.0, 0.0)).astype(np.float32)
    columns = [
        fc.numeric_column(
            "sq_footage", normalizer_fn=fc.Normalization(2000.0, 577.0**2)
        ),
        fc.indicator_column(
            fc.categorical_column_with_vocabulary_list("type", ["house", "apt"])
        ),
    ]
    model = FeatureModel(columns)
    model.compile(optimizer=nn.optimizers.SGD(learning_rate=0.1), loss="mse")
    history = model.fit(
        {"sq_footage": sq, "type": kind}, price, epochs=60, batch_size=32, verbose=0
    )
    assert history.history["loss"][-1] < history.history["loss"][0] / 100
    test = {
        "sq_footage": np.array([1000.0, 2000.0, 3000.0], np.float32),
        "type": np.array([b"house", b"apt", b"house"], dtype=object),
    }
    np.testing.assert_allclose(
        model.predict(test, verbose=0).ravel(), [150, 200, 350], rtol=0.05
    )


def _taxi(n, seed):
    rng = np.random.default_rng(seed)
    lat = rng.uniform(40.6, 40.9, n).astype(np.float32)
    lon = rng.uniform(-74.1, -73.8, n).astype(np.float32)
    dist = rng.exponential(3.0, n).astype(np.float32)
    day = np.array([b"Mon", b"Tue", b"Sat", b"Sun"], dtype=object)[
        rng.integers(0, 4, n)
    ]
    vendor = np.array([f"v{i}".encode() for i in rng.integers(0, 20, n)], dtype=object)
    # a checkerboard surcharge over the location cells: no linear function of
    # latitude and longitude can express it, their crossed buckets can
    cell = (np.floor((lat - 40.6) / 0.075) + np.floor((lon + 74.1) / 0.075)) % 2
    fare = (
        3.0
        + 2.0 * dist
        + 8.0 * cell
        + np.where(np.isin(day, [b"Sat", b"Sun"]), 2.0, 0.0)
    )
    feats = {"lat": lat, "lon": lon, "dist": dist, "day": day, "vendor": vendor}
    return feats, fare.astype(np.float32)


def _write_csv_shards(path, feats, fare, shards=2):
    n = len(fare)
    names = []
    for s in range(shards):
        name = path / f"taxi-{s}.csv"
        rows = ["lat,lon,dist,day,vendor,fare"]
        for i in range(s, n, shards):
            num = [float(feats[k][i]) for k in ("lat", "lon", "dist")] + [
                float(fare[i])
            ]
            day, vendor = feats["day"][i].decode(), feats["vendor"][i].decode()
            rows.append(f"{num[0]!r},{num[1]!r},{num[2]!r},{day},{vendor},{num[3]!r}")
        name.write_text("\n".join(rows) + "\n")
        names.append(str(name))
    return names


@pytest.mark.slow
def test_taxi_cross_embedding_beats_linear_baseline(tmp_path):
    train, train_y = _taxi(3000, 0)
    test, test_y = _taxi(1000, 1)
    edges = list(np.arange(40.6 + 0.075, 40.9, 0.075))
    lon_edges = list(np.arange(-74.1 + 0.075, -73.8, 0.075))
    lat_b = fc.bucketized_column(fc.numeric_column("lat"), edges)
    lon_b = fc.bucketized_column(fc.numeric_column("lon"), lon_edges)
    adapted = fc.adapt(
        [
            fc.normalized_numeric_column("dist"),
            fc.normalized_numeric_column("lat"),
            fc.normalized_numeric_column("lon"),
        ],
        [train],
    )
    dist, lat, lon = adapted.columns
    deep_columns = [
        dist,
        lat,
        lon,
        fc.embedding_column(fc.crossed_column([lat_b, lon_b], 64), dimension=3),
        fc.embedding_column(fc.categorical_column_with_hash_bucket("vendor", 32), 2),
        fc.indicator_column(
            fc.categorical_column_with_vocabulary_list(
                "day", ["Mon", "Tue", "Sat", "Sun"]
            )
        ),
    ]
    files = _write_csv_shards(tmp_path, train, train_y)
    dataset = pl.data.make_csv_dataset(
        files,
        batch_size=64,
        label_name="fare",
        num_epochs=1,
        shuffle=True,
        shuffle_seed=1,
    )
    deep = FeatureModel(deep_columns, hidden=(32,))
    deep.compile(optimizer=nn.optimizers.Adam(learning_rate=0.02), loss="mse")
    deep.fit(dataset, epochs=25, verbose=0)
    linear = FeatureModel([dist, lat, lon])
    linear.compile(optimizer=nn.optimizers.Adam(learning_rate=0.05), loss="mse")
    linear.fit(train, train_y, epochs=25, batch_size=64, verbose=0)

    def mse(model):
        return float(np.mean((model.predict(test, verbose=0).ravel() - test_y) ** 2))

    deep_mse, linear_mse = mse(deep), mse(linear)
    assert deep_mse < 0.5 * linear_mse, (deep_mse, linear_mse)
