"""The seed course's housing example: decode_csv, feature columns, a Dense model.

Prices depend on ``sq_footage`` and on ``type`` (house or apt).

    python examples/housing.py
"""

from __future__ import annotations

import numpy as np

import pipeline as pl

fc = pl.feature_column
CSV_COLUMNS = ["sq_footage", "type", "price"]
DEFAULTS = [[0.0], ["house"], [0.0]]


def make_lines(n: int, seed: int = 0) -> np.ndarray:
    """CSV lines ``sq_footage,type,price`` (price in thousands)."""
    rng = np.random.default_rng(seed)
    sq = rng.uniform(500, 3000, n).round()
    kind = rng.choice(["house", "apt"], n)
    price = sq * 0.1 + np.where(kind == "house", 50.0, 0.0)
    return np.array(
        [f"{s:.0f},{k},{p:.1f}".encode() for s, k, p in zip(sq, kind, price)],
        dtype=object,
    )


def parse_line(line):
    columns = pl.io.decode_csv(line, record_defaults=DEFAULTS)
    features = dict(zip(CSV_COLUMNS, columns))
    label = features.pop("price")
    features["sq_footage"] = features["sq_footage"] / 1000.0
    return features, label


def main() -> float:
    dataset = (
        pl.data.Dataset.from_tensor_slices(make_lines(512))
        .map(parse_line)
        .shuffle(512, seed=1)
        .batch(32)
    )
    columns = [
        fc.numeric_column("sq_footage"),
        fc.indicator_column(
            fc.categorical_column_with_vocabulary_list("type", ["house", "apt"])
        ),
    ]
    model = pl.nn.Sequential([fc.DenseFeatures(columns), pl.nn.layers.Dense(1)])
    model.compile(optimizer=pl.nn.optimizers.Adam(0.5), loss="mse")
    history = model.fit(dataset, epochs=200, verbose=0)
    test = {
        "sq_footage": np.array([1.5, 1.5], np.float32),
        "type": np.array([b"house", b"apt"], dtype=object),
    }
    predicted = model.predict(test, verbose=0).ravel()
    print(f"final loss {history.history['loss'][-1]:.3f}")
    print(f"1500 sq ft house: {predicted[0]:.1f}k (true 200.0k)")
    print(f"1500 sq ft apt:   {predicted[1]:.1f}k (true 150.0k)")
    return float(history.history["loss"][-1])


if __name__ == "__main__":
    main()
