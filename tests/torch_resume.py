"""Resuming a StatefulDataLoader in a new process (shared by the torch tests)."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import textwrap

from torchdata.stateful_dataloader import StatefulDataLoader

import pipeline as pl


def ids(batch):
    return [int(r) for r in batch]


_RESUME = textwrap.dedent(
    """
    import json, pickle, sys
    import torch
    from torchdata.stateful_dataloader import StatefulDataLoader
    import pipeline as pl

    files, state_path, kind = json.loads(sys.argv[1])
    if kind == "global":
        ds = pl.data.global_shuffle(files, seed=5, block_records=2, window_blocks=2)
    else:
        ds = pl.data.TFRecordDataset(files).shuffle(6, seed=5)
    loader = StatefulDataLoader(ds.batch(3).to_torch(), batch_size=None, num_workers=2)
    with open(state_path, "rb") as f:
        loader.load_state_dict(pickle.load(f))
    print(json.dumps([[int(r) for r in b] for b in loader]))
    """
)


def resume_matches(tmp_path, files, kind, stop):
    def make():
        if kind == "global":
            ds = pl.data.global_shuffle(files, seed=5, block_records=2, window_blocks=2)
        else:
            ds = pl.data.TFRecordDataset(files).shuffle(6, seed=5)
        return StatefulDataLoader(
            ds.batch(3).to_torch(), batch_size=None, num_workers=2
        )

    full = [ids(b) for b in make()]
    loader, head = make(), []
    for batch in loader:
        head.append(ids(batch))
        if len(head) == stop:
            break
    state_path = tmp_path / "state.pkl"
    state_path.write_bytes(pickle.dumps(loader.state_dict()))
    del loader
    args = json.dumps([files, str(state_path), kind])
    proc = subprocess.run(
        [sys.executable, "-c", _RESUME, args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    rest = json.loads(proc.stdout.strip().splitlines()[-1])
    assert head == full[:stop]
    assert rest == full[stop:]
    return full
