"""Feeding a PyTorch training loop from a `pipeline` Dataset.

The same CSV lines as the housing example are parsed by ``decode_csv`` in a
``pl.data`` pipeline (batch first, then a vectorized parse); each batch becomes
torch tensors with ``torch.from_numpy`` (no copy) and trains a torch model.

    python examples/torch_training_loop.py      # needs the torch extra
"""

from __future__ import annotations

import numpy as np
import torch

import pipeline as pl

DEFAULTS = [[0.0], ["house"], [0.0]]


def make_lines(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    sq = rng.uniform(500, 3000, n).round()
    kind = rng.choice(["house", "apt"], n)
    price = sq * 0.1 + np.where(kind == "house", 50.0, 0.0)
    lines = [f"{s:.0f},{k},{p:.1f}" for s, k, p in zip(sq, kind, price)]
    return np.array([line.encode() for line in lines], dtype=object)


def to_features(lines):
    sq, kind, price = pl.io.decode_csv(lines, record_defaults=DEFAULTS)
    x = np.stack([sq / 1000.0, (kind == b"house").astype(np.float32)], axis=1)
    return x.astype(np.float32), price.reshape(-1, 1)


def main() -> float:
    torch.manual_seed(0)
    dataset = (
        pl.data.Dataset.from_tensor_slices(make_lines(1024))
        .shuffle(1024, seed=0)
        .batch(64)
        .map(to_features)
        .prefetch(2)
    )
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=1.0)
    loss_fn = torch.nn.MSELoss()
    for epoch in range(150):
        total, count = 0.0, 0
        for x, y in dataset:
            x, y = torch.from_numpy(x), torch.from_numpy(y)
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            total, count = total + loss.item() * len(x), count + len(x)
        if epoch % 50 == 0:
            print(f"epoch {epoch}: loss {total / count:.3f}")
    print(f"final loss {total / count:.4f}")
    return total / count


if __name__ == "__main__":
    main()
