"""PyTorch: a `pipeline` dataset as a ``torch.utils.data.IterableDataset``.

``ds.to_torch()`` wraps a dataset for ``torch.utils.data.DataLoader`` (use
``batch_size=None``: the dataset batches). Numeric leaves become tensors
through ``torch.from_numpy`` (no copy); string leaves stay numpy object arrays
of ``bytes``; a `pipeline.SparseTensor` becomes a sparse COO tensor.

With ``num_workers=W`` each worker reads its own share of the input, so every
record is read once per epoch: worker ``w`` takes shard ``w`` of ``W`` (for a
``pl.data.distribute`` share of rank ``r`` of ``R``: shard ``r * W + w`` of
``R * W``), cut by file when there are enough files, else by record (see
``pipeline.data.replicas``). ``set_epoch(e)`` reshuffles per epoch, as
``DistributedSampler.set_epoch`` does. In workers, a batch's numeric leaves
travel to the main process in one shared-memory buffer
(`pipeline.integrations.torch_pack`), not one per tensor.

``state_dict()``/``load_state_dict()`` follow the
``torchdata.stateful_dataloader`` protocol: a ``StatefulDataLoader`` saves
each worker's iterator state (``get_state``) with every batch, and a new
process restores it (``set_state``) to go on at the next batch.

Example:
    >>> import pipeline as pl
    >>> import torch
    >>> ds = pl.data.Dataset.from_tensor_slices({"x": [1.0, 2.0, 3.0]}).batch(2)
    >>> loader = torch.utils.data.DataLoader(ds.to_torch(), batch_size=None)
    >>> [b["x"].tolist() for b in loader]
    [[1.0, 2.0], [3.0]]
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import torch
import torch.utils.data

from pipeline.data.dataset import Dataset
from pipeline.data.replicas import shard_for_worker
from pipeline.errors import FailedPreconditionError
from pipeline.executor.runner import DatasetIterator
from pipeline.integrations.torch_pack import pack as pack_batch
from pipeline.types import SparseTensor

__all__ = ["TorchIterableDataset", "to_tensors", "to_torch"]


def to_tensors(element: Any, device: Any = None) -> Any:
    """``element`` with its numeric leaves as torch tensors (see the module).

    Example:
        >>> out = to_tensors({"a": np.arange(3), "s": np.array([b"x"], object)})
        >>> out["a"].tolist(), out["s"].tolist()
        ([0, 1, 2], [b'x'])
    """
    if isinstance(element, dict):
        return {k: to_tensors(v, device) for k, v in element.items()}
    if isinstance(element, tuple):
        return tuple(to_tensors(v, device) for v in element)
    if isinstance(element, list):
        return [to_tensors(v, device) for v in element]
    out = _leaf(element)
    if device is not None and isinstance(out, torch.Tensor):
        out = out.to(device)
    return out


def _leaf(value: Any) -> Any:
    if isinstance(value, SparseTensor):
        return _sparse(value)
    if isinstance(value, np.generic):
        value = np.asarray(value)
    if not isinstance(value, np.ndarray) or value.dtype.kind in "OSUV":
        return value
    return _from_numpy(value)


def _from_numpy(array: np.ndarray) -> torch.Tensor:
    if not array.dtype.isnative or any(s < 0 for s in array.strides):
        array = np.ascontiguousarray(array.astype(array.dtype.newbyteorder("=")))
    if array.flags.writeable:
        return torch.from_numpy(array)
    with warnings.catch_warnings():  # read-only buffers are shared as they are
        warnings.simplefilter("ignore", UserWarning)
        return torch.from_numpy(array)


def _sparse(value: SparseTensor) -> Any:
    if value.values.dtype.kind in "OSU":
        return value  # torch has no sparse strings
    indices = torch.from_numpy(np.ascontiguousarray(value.indices.T))
    size = tuple(int(d) for d in value.dense_shape)
    return torch.sparse_coo_tensor(
        indices, _from_numpy(value.values), size, check_invariants=True
    )


def _worker() -> tuple[int, int]:
    info = torch.utils.data.get_worker_info()
    return (1, 0) if info is None else (int(info.num_workers), int(info.id))


class _Batches:
    """The iterator one worker (or the main process) runs."""

    def __init__(self, it: DatasetIterator, where: tuple[int, int], epoch: int,
                 device: Any, pack: bool = False) -> None:  # fmt: skip
        self.it, self.where, self.epoch, self.device = it, where, epoch, device
        self.pack = pack

    def __iter__(self) -> _Batches:
        return self

    def __next__(self) -> Any:
        if self.pack:
            return pack_batch(next(self.it), to_tensors)
        return to_tensors(next(self.it), self.device)

    def state(self) -> dict[str, Any]:
        workers, worker = self.where
        return {
            "epoch": self.epoch,
            "workers": workers,
            "worker": worker,
            "iterator": self.it.get_state(),
        }

    def close(self) -> None:
        self.it.close()


class TorchIterableDataset(torch.utils.data.IterableDataset):
    """A `Dataset` for ``torch.utils.data.DataLoader`` (``ds.to_torch()``).

    Args:
        dataset: the `pipeline.data.Dataset` (batched as the loop wants it).
        device: move tensors there as they are produced (default None). With
            DataLoader workers keep None and use ``pin_memory=True`` and
            ``.to(device, non_blocking=True)`` in the loop instead.
        pack: in DataLoader workers (with ``device=None``), send each batch's
            numeric leaves as one buffer (default True; see
            `pipeline.integrations.torch_pack`). A custom ``collate_fn`` then
            gets a `PackedBatch`: call its ``unpack()``, or pass False.

    Example:
        >>> import pipeline as pl
        >>> tds = TorchIterableDataset(pl.data.Dataset.range(3))
        >>> [int(x) for x in tds]
        [0, 1, 2]
    """

    def __init__(self, dataset: Dataset, device: Any = None, pack: bool = True) -> None:
        if not hasattr(dataset, "_node"):  # a pipeline Dataset
            raise TypeError(
                f"`dataset` must be a Dataset; got {type(dataset).__name__}."
            )
        self.dataset = dataset
        self.device = None if device is None else torch.device(device)
        self.pack, self.epoch = bool(pack), 0
        self._pending: dict[str, Any] | None = None
        self._live: _Batches | None = None

    def set_epoch(self, epoch: int) -> None:
        """Use epoch ``epoch``'s shuffle order on the next iteration."""
        self.epoch = int(epoch)

    def __iter__(self) -> _Batches:
        where = _worker()
        part = shard_for_worker(self.dataset, *where)
        state, self._pending = self._pending, None
        epoch = self.epoch if state is None else int(state["epoch"])
        it = DatasetIterator(part._node, part.options(), run=epoch)
        if state is not None:
            _check_worker(state, where)
            if state["iterator"] is not None:
                it.set_state(state["iterator"])
        if self._live is not None:
            self._live.close()
        in_worker = torch.utils.data.get_worker_info() is not None
        pack = self.pack and in_worker and self.device is None
        self._live = _Batches(it, where, epoch, self.device, pack)
        return self._live

    def state_dict(self) -> dict[str, Any]:
        """The state of the running iterator (``torchdata`` Stateful protocol)."""
        if self._live is not None:
            return self._live.state()
        if self._pending is not None:
            return dict(self._pending)
        workers, worker = _worker()
        return {"epoch": self.epoch, "workers": workers, "worker": worker,
                "iterator": None}  # fmt: skip

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Resume the next iteration where ``state_dict`` was taken."""
        self._pending = dict(state_dict)
        self.epoch = int(state_dict["epoch"])


def _check_worker(state: dict[str, Any], where: tuple[int, int]) -> None:
    saved = (state["workers"], state["worker"])
    if saved != where:
        raise FailedPreconditionError(
            f"the state was saved by worker {saved[1]} of {saved[0]}, but it is "
            f"restored in worker {where[1]} of {where[0]}: resume with the same "
            "num_workers"
        )


def to_torch(
    dataset: Dataset, device: Any = None, pack: bool = True
) -> TorchIterableDataset:
    """``dataset`` as a torch ``IterableDataset`` (``Dataset.to_torch``).

    Example:
        >>> import pipeline as pl
        >>> [t.tolist() for t in to_torch(pl.data.Dataset.range(4).batch(2))]
        [[0, 1], [2, 3]]
    """
    return TorchIterableDataset(dataset, device, pack)
