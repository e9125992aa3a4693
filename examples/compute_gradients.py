"""The seed course's linear regression by hand: GradientTape fits w0 and w1.

python examples/compute_gradients.py
"""

from __future__ import annotations

import numpy as np

import pipeline as pl


def compute_gradients(x, y, w0, w1):
    """d(loss)/d(w0, w1) of the mean squared error of ``w0 * x + w1``."""
    with pl.nn.GradientTape() as tape:
        loss = pl.nn.ops.mean(pl.nn.ops.square(y - (w0 * x + w1)))
    return tape.gradient(loss, [w0, w1]), loss


def main() -> float:
    x = pl.nn.constant(np.arange(10, dtype=np.float32))
    y = 2 * x + 10
    w0, w1 = pl.nn.Variable(0.0), pl.nn.Variable(0.0)
    learning_rate = 0.02
    for step in range(1000):
        (dw0, dw1), loss = compute_gradients(x, y, w0, w1)
        w0.assign_sub(learning_rate * dw0.numpy())
        w1.assign_sub(learning_rate * dw1.numpy())
        if step % 250 == 0:
            print(f"step {step}: loss {float(loss.numpy()):.4f}")
    print(f"w0 = {float(w0.numpy()):.3f}, w1 = {float(w1.numpy()):.3f}")
    return float(loss.numpy())


if __name__ == "__main__":
    main()
