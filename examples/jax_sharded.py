"""Train a linear model with `jax.jit` on batches sharded over the devices.

``as_jax_iterator(sharding=...)`` puts each batch on the devices ahead of the
step, split along the batch axis by a `NamedSharding` over a one-axis mesh
(with several processes, each feeds its own rows: ``pl.data.distribute``).
Run as a script it asks XLA for 2 host devices, so the sharding shows on CPU.

    .venv/bin/python examples/jax_sharded.py
"""

from __future__ import annotations

import os

os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=2")

import jax  # noqa: E402  (XLA_FLAGS must be set before jax starts)
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax.sharding import Mesh, NamedSharding  # noqa: E402
from jax.sharding import PartitionSpec as P  # noqa: E402

import pipeline as pl  # noqa: E402


@jax.jit
def train_step(w, batch):
    def loss_fn(w):
        return jnp.mean((batch["x"] @ w - batch["y"]) ** 2)

    loss, grad = jax.value_and_grad(loss_fn)(w)
    return w - 0.1 * grad, loss


def main() -> dict:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1024, 3)).astype(np.float32)
    y = x @ np.array([2.0, -1.0, 0.5], np.float32)
    mesh = Mesh(np.array(jax.devices()), ("data",))
    sharding = NamedSharding(mesh, P("data"))
    # each JAX process reads its own rows (process_index of process_count,
    # taken from jax by `distribute`) and feeds its part of each global batch
    rows = pl.data.distribute(pl.data.Dataset.from_tensor_slices({"x": x, "y": y}))
    local_batch = 64 // jax.process_count()
    batches = (
        rows.shuffle(1024, seed=1).batch(local_batch, drop_remainder=True).repeat(5)
    )
    w = jnp.zeros(3)
    with batches.as_jax_iterator(sharding=sharding, prefetch=2) as it:
        for batch in it:
            w, loss = train_step(w, batch)
    print(f"{len(jax.devices())} devices, batch sharding {batch['x'].sharding.spec}")
    print(f"final loss {float(loss):.6f}, w = {np.round(np.asarray(w), 3)}")
    return {
        "loss": float(loss),
        "w": np.asarray(w),
        "devices": len(jax.devices()),
        "shards": len(batch["x"].addressable_shards),
    }


if __name__ == "__main__":
    main()
