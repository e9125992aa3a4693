"""Distributed data-parallel training in PyTorch fed by a `pipeline` dataset.

Two processes (gloo, on this machine's CPU) train one linear model with
``torch.nn.parallel.DistributedDataParallel``. Each builds the same dataset;
``pl.data.distribute`` (ranks from ``torch.distributed``) gives each its
share, ``to_torch()`` splits that share among the DataLoader's workers, and
``equal=True`` gives both ranks the same number of batches, so neither waits
forever at the last all-reduce.

    python examples/torch_ddp.py            # launches 2 processes
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.distributed as dist

import pipeline as pl

WORLD = 2


def make_dataset(n: int = 1000) -> pl.data.Dataset:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 3)).astype(np.float32)
    y = (x @ np.array([[2.0], [-1.0], [0.5]], np.float32) + 0.3).astype(np.float32)
    return pl.data.Dataset.from_tensor_slices((x, y)).shuffle(n).batch(32)


def train(rank: int, port: int, out: str) -> None:
    """One rank: join the group, train 3 epochs, write its weights and steps."""
    dist.init_process_group(
        "gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=WORLD
    )
    try:
        torch.manual_seed(0)
        model = torch.nn.parallel.DistributedDataParallel(torch.nn.Linear(3, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        data = pl.data.distribute(make_dataset(), equal=True).to_torch()
        loader = torch.utils.data.DataLoader(data, batch_size=None, num_workers=2)
        steps = 0
        for epoch in range(3):
            data.set_epoch(epoch)
            for x, y in loader:
                optimizer.zero_grad()
                torch.nn.functional.mse_loss(model(x), y).backward()
                optimizer.step()
                steps += 1
        weights = [p.detach().numpy().ravel().tolist() for p in model.parameters()]
        with open(out, "w") as f:
            json.dump({"rank": rank, "steps": steps, "weights": weights}, f)
    finally:
        dist.destroy_process_group()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> list[dict]:
    """Run both ranks as subprocesses; return what each reports."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        outs = [os.path.join(tmp, f"rank{r}.json") for r in range(WORLD)]
        procs = [
            subprocess.Popen([sys.executable, __file__, str(r), str(port), outs[r]])
            for r in range(WORLD)
        ]
        codes = [p.wait(timeout=300) for p in procs]
        if any(codes):
            raise RuntimeError(f"a rank failed: exit codes {codes}")
        results = []
        for path in outs:
            with open(path) as f:
                results.append(json.load(f))
    for r in results:
        print(f"rank {r['rank']}: {r['steps']} steps, weights {r['weights']}")
    return results


if __name__ == "__main__":
    if len(sys.argv) == 4:
        train(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
    else:
        main()
