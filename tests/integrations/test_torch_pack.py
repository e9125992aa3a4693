"""to_torch() in DataLoader workers: one shared buffer per batch, same batches."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import torch

import pipeline as pl
from pipeline.integrations.torch import to_torch
from pipeline.integrations.torch_pack import PackedBatch, pack

pytestmark = [
    pytest.mark.filterwarnings("ignore:'set_vital' is deprecated"),
]


def mixed(n=10):
    """Batches of every kind of leaf, nested."""
    return pl.data.Dataset.from_tensor_slices(
        {
            "f": np.arange(n, dtype=np.float32) / 4,
            "i": np.arange(n, dtype=np.int64) * 3,
            "b": np.arange(n) % 3 == 0,
            "u": np.arange(2 * n, dtype=np.uint8).reshape(n, 2),
            "s": np.array([b"s%d" % k for k in range(n)], dtype=object),
            "t": (np.arange(n, dtype=np.int16), np.arange(n, dtype=np.float64)),
        }
    ).batch(4)


def flat(batch):
    """(path, kind, dtype, shape, values) of every leaf, for comparison."""
    out = []
    for key in sorted(batch):
        leaves = batch[key] if isinstance(batch[key], list) else [batch[key]]
        for j, leaf in enumerate(leaves):
            kind = type(leaf).__name__
            dtype = str(leaf.dtype)
            out.append((key, j, kind, dtype, tuple(leaf.shape), leaf.tolist()))
    return out


def test_worker_batches_equal_in_process_batches():
    alone = [flat(b) for b in torch.utils.data.DataLoader(mixed().to_torch(), None)]
    loader = torch.utils.data.DataLoader(mixed().to_torch(), None, num_workers=1)
    batches = list(loader)
    assert [flat(b) for b in batches] == alone
    assert alone[0][0][2:4] == ("Tensor", "torch.bool")
    assert isinstance(batches[0]["t"], list) and batches[0]["s"].dtype == object
    # every numeric leaf views one buffer: one shared-memory transfer per batch
    numeric = [batches[0][k] for k in "fibu"] + list(batches[0]["t"])
    assert len({t.untyped_storage().data_ptr() for t in numeric}) == 1


def test_pack_false_sends_each_tensor_on_its_own():
    loader = torch.utils.data.DataLoader(
        to_torch(mixed(), pack=False), None, num_workers=1
    )
    batch = next(iter(loader))
    numeric = [batch[k] for k in "fibu"]
    assert len({t.untyped_storage().data_ptr() for t in numeric}) == 4
    assert batch["i"].tolist() == [0, 3, 6, 9]


def test_a_custom_collate_fn_gets_a_packed_batch_to_unpack():
    def collate(item):  # runs in the worker
        return type(item).__name__, item.unpack()

    loader = torch.utils.data.DataLoader(
        mixed().to_torch(), None, num_workers=1, collate_fn=collate
    )
    batches = list(loader)
    assert {name for name, _ in batches} == {"PackedBatch"}
    assert batches[0][1]["f"].tolist() == [0.0, 0.25, 0.5, 0.75]
    assert isinstance(batches[0][1]["t"], tuple)  # unpack(): as the dataset made it


def test_pack_round_trip_aligns_every_leaf():
    batch = (np.arange(3, dtype=np.int8), np.arange(3, dtype=np.float64), b"x")
    packed = pack(batch, lambda v: v)
    assert isinstance(packed, PackedBatch)
    assert [offset for offset, *_ in packed.layout] == [0, 8]
    back = packed.unpack()
    assert back[0].dtype == torch.int8 and back[1].tolist() == [0.0, 1.0, 2.0]
    assert back[2] == b"x"
    empty = pickle.loads(pickle.dumps(pack({"e": np.zeros((0, 2))}, lambda v: v)))
    assert tuple(empty["e"].shape) == (0, 2)
