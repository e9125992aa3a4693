"""`distribute`: one replica's share of a dataset (tf.data's auto-sharding).

``distribute(ds, num_replicas, rank)`` rewrites the graph so that replica
``rank`` reads only its share of the input (see ``pipeline.graph.sharding``
for where the graph is cut). Which policy a dataset gets:

- ``"FILE"``: the files feeding the reader are dealt out, file ``i`` to shard
  ``i % shards``: no replica reads another's bytes. Needs at least as many
  files as shards.
- ``"DATA"``: every replica reads the whole input and keeps every
  ``shards``-th record. Used for in-memory data (``from_tensor_slices``,
  ``range``) and when there are fewer files than shards. Over indexed,
  uncompressed TFRecord files, shard ``k`` instead reads only a contiguous
  range of the records, through the index (``DATA via index``; see
  ``pipeline.data.index_shard``).
- ``"AUTO"`` (the default): ``FILE`` when there are at least as many files as
  shards, else ``DATA``. ``"OFF"``: no sharding.

The sharding is on records, below ``map``/``filter``/``batch``/``shuffle``/
``repeat``, so a record lands in exactly one replica. When the dataset is fed
through ``to_torch()`` and a DataLoader with ``W`` workers, the rank's share
is split again: there are ``num_replicas * W`` shards and worker ``w`` of rank
``r`` reads shard ``r * W + w`` (the policy is chosen for that count).

``equal`` makes every shard yield the same number of elements, because a
replica that runs out first makes DDP hang at its next all-reduce:
``"drop"`` (or True) cuts every shard to the smallest share (with ``DATA``,
the last ``records mod shards`` records of the epoch are left out; via the
index, the last of each of the first ``records mod shards`` ranges); ``"pad"``
fills every shard up to the largest share by repeating its first records;
False leaves the shares as they fall. Equalizing needs the record counts: the
cardinality when known, else the record index sidecars of TFRecord files
(``pipeline index``), else one counting pass over the input when
``distribute`` is called (``pipeline.data.shard_counts``).

``explain()`` shows the choice on the ``distribute(...)`` stage.

Example:
    >>> import pipeline as pl
    >>> ds = pl.data.Dataset.range(10).batch(2)
    >>> part = pl.data.distribute(ds, num_replicas=3, rank=1, equal="drop")
    >>> [b.tolist() for b in part]
    [[1, 4], [7]]
    >>> stage = part.explain(print_plan=False).splitlines()[1].strip()
    >>> for part in stage.split(", "):
    ...     print(part)
    distribute(replica=1/3
    shards=3
    policy=AUTO -> DATA (not read from files)
    equal=drop 3 records)
"""

from __future__ import annotations

import dataclasses
import sys
from typing import Any

from pipeline.data.dataset import Dataset
from pipeline.data.index_shard import indexed_share
from pipeline.data.shard_counts import shard_sizes
from pipeline.errors import InvalidArgumentError
from pipeline.executor.options import Options
from pipeline.graph.base import UNKNOWN, Node
from pipeline.graph.sharding import (
    POLICIES,
    Cut,
    DistributeNode,
    choose_policy,
    cut_point,
    shard_at,
)

__all__ = ["distribute", "replica_context", "shard_for_worker"]


def replica_context(
    num_replicas: int | None = None, rank: int | None = None, backend: str | None = None
) -> tuple[int, int]:
    """``(num_replicas, rank)``: given ones, else from the running framework.

    Read from ``torch.distributed`` when it is initialized, else from
    ``jax.process_count()``/``jax.process_index()`` when JAX is running
    (``jax.distributed`` initialized or its backends started: a JAX only
    imported is not started here, so forked DataLoader workers stay safe); a
    framework is consulted only when already imported, or when named by
    ``backend`` ("torch" or "jax"). Neither: one replica, rank 0.

    Raises:
        ValueError: a bad count or rank.

    Example:
        >>> replica_context(4, 1)
        (4, 1)
    """
    found = _from_framework(backend) if num_replicas is None or rank is None else None
    count = num_replicas if num_replicas is not None else (found or (1, 0))[0]
    index = rank if rank is not None else (found or (1, 0))[1]
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(
            "`num_replicas` must be a positive integer. "
            f"Received: num_replicas={count!r}"
        )
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < count:
        raise ValueError(
            f"`rank` must be in [0, num_replicas={count}). Received: rank={index!r}"
        )
    return count, index


def _from_framework(backend: str | None) -> tuple[int, int] | None:
    if backend is not None and backend not in ("torch", "jax"):
        raise ValueError(f"`backend` must be 'torch' or 'jax'. Received: {backend!r}")
    if backend == "torch" or "torch" in sys.modules:
        import torch.distributed as dist

        if dist.is_available() and dist.is_initialized():
            return dist.get_world_size(), dist.get_rank()
    if backend == "jax" or ("jax" in sys.modules and _jax_started()):
        import jax

        return int(jax.process_count()), int(jax.process_index())
    return None


def _jax_started() -> bool:
    """Whether JAX is already running (distributed, or its backends made):
    asking a merely imported JAX would start its threads, and a DataLoader
    worker forked after that may deadlock."""
    import jax

    if jax.distributed.is_initialized():
        return True
    try:
        from jax._src import xla_bridge
    except ImportError:  # pragma: no cover - a JAX without the private module
        return True
    return bool(xla_bridge.backends_are_initialized())


def _equal_mode(equal: Any) -> str | None:
    if equal is True or equal == "drop":
        return "drop"
    if equal == "pad":
        return "pad"
    if equal is False or equal is None:
        return None
    raise ValueError(
        f"`equal` must be True, False, 'drop' or 'pad'. Received: {equal!r}"
    )


@dataclasses.dataclass
class DistributePlan:
    """How a graph is cut for a replica; redone for other worker counts.

    ``counts`` caches record counts: ``"total"`` (records at the shard point)
    and ``"files"`` (per file, when shares add up file by file).
    """

    original: Node
    num_replicas: int
    rank: int
    policy: str
    equal: str | None
    counts: dict[str, Any] = dataclasses.field(default_factory=dict)
    shown: dict[str, Any] = dataclasses.field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        """What ``explain()`` shows on the ``distribute`` stage."""
        return {"replica": f"{self.rank}/{self.num_replicas}", **self.shown}

    def resolve(self, workers: int = 1, worker: int = 0) -> Node:
        """The graph of this replica's worker ``worker`` of ``workers``."""
        shards = self.num_replicas * workers
        index = self.rank * workers + worker
        cut = cut_point(self.original)
        chosen, why = choose_policy(self.policy, cut, shards)
        _check_seeded(cut, chosen)
        keep = None
        if self.equal is not None and chosen != "OFF" and shards > 1:
            keep = self._keep(cut, chosen, shards)
        own, why = indexed_share(cut, chosen, shards, index, why)
        node = shard_at(cut, chosen, shards, index, keep, own)
        if keep is not None and node.cardinality() == UNKNOWN:
            raise InvalidArgumentError(
                "`equal` needs every shard to yield a known number of elements, "
                f"but a stage between the shard point and the output ({_path(cut)}) "
                "makes it unknown (a filter?); pass equal=False, or filter before "
                "the records are read."
            )
        self.shown = {"shards": shards, "policy": why}
        if keep is not None:
            self.shown["equal"] = f"{self.equal} {keep[0]} records"
        return DistributeNode((node,), plan=self)

    def _keep(self, cut: Cut, policy: str, shards: int) -> tuple[int, bool]:
        sizes = shard_sizes(cut, policy, shards, self.counts)
        pad = self.equal == "pad"
        if pad and min(sizes) == 0:
            raise InvalidArgumentError(
                f"equal='pad' cannot fill a shard with no records: the shares of "
                f"{shards} shards are {sizes}; use fewer shards or equal='drop'."
            )
        return (max(sizes) if pad else min(sizes)), pad


def _path(cut: Cut) -> str:
    return " <- ".join(node.op for node in cut.path) or "none"


def _check_seeded(cut: Cut, policy: str) -> None:
    """Shards must agree on the order of what they cut: a shuffling reader
    needs a seed."""
    source = cut.source
    if policy == "DATA" and getattr(source, "shuffle_buffer", None):
        if getattr(source, "seed", 0) is None:
            raise InvalidArgumentError(
                f"{source} shuffles its rows without a seed, so replicas would "
                "disagree on which records are theirs; pass shuffle_seed=..."
            )


def distribute(
    dataset: Dataset,
    num_replicas: int | None = None,
    rank: int | None = None,
    policy: str = "auto",
    equal: bool | str = True,
    seed: int = 0,
) -> Dataset:
    """Replica ``rank``'s share of ``dataset`` (the module docstring tells how).

    Args:
        dataset: the whole dataset, as every replica builds it.
        num_replicas: how many replicas (default: ``torch.distributed``'s
            world size when initialized, else ``jax.process_count()`` when jax
            is imported, else 1).
        rank: this replica's index (default: from the same place, else 0).
        policy: ``"auto"`` (default), ``"file"``, ``"data"`` or ``"off"``.
            ``DATA`` over indexed, uncompressed TFRecord files gives each
            shard a contiguous range of the records, read through the index
            (no shard reads another's records); otherwise every ``S``-th.
        equal: True or ``"drop"`` (default: cut every shard to the smallest
            share), ``"pad"`` (repeat records up to the largest share), or
            False (uneven shares).
        seed: root seed used when ``dataset`` has none, so that every replica
            shuffles alike (default 0; vary it per run).

    Returns:
        A `Dataset` over this replica's records; ``to_torch()`` splits it
        further among DataLoader workers.

    Raises:
        ValueError: bad arguments.
        InvalidArgumentError: ``policy="file"`` with fewer files than shards,
            ``equal`` on an infinite input or past a filter, ``"pad"`` with an
            empty shard.

    Example:
        >>> import pipeline as pl
        >>> ds = pl.data.Dataset.range(5)
        >>> [int(x) for x in distribute(ds, 2, 1, equal="pad")]
        [1, 3, 1]
    """
    if not hasattr(dataset, "_node"):  # a pipeline Dataset
        raise TypeError(f"`dataset` must be a Dataset; got {type(dataset).__name__}.")
    count, index = replica_context(num_replicas, rank)
    name = str(policy).upper()
    if name not in POLICIES:
        raise ValueError(
            "`policy` must be one of 'auto', 'file', 'data', 'off'. "
            f"Received: policy={policy!r}"
        )
    plan = DistributePlan(dataset._node, count, index, name, _equal_mode(equal))
    options = dataset.options()
    if options.seed is None:
        options = options.merge(Options(seed=int(seed)))
    return Dataset(plan.resolve(), options)


def shard_for_worker(dataset: Dataset, workers: int, worker: int) -> Dataset:
    """The share of DataLoader worker ``worker`` of ``workers``.

    A distributed dataset's replica share is cut again into
    ``num_replicas * workers`` shards (worker ``w`` of rank ``r`` takes shard
    ``r * workers + w``); any other dataset is cut into ``workers`` shards with
    the AUTO policy and no equalizing.

    Example:
        >>> ds = Dataset.range(6)
        >>> [int(x) for x in shard_for_worker(ds, 2, 1)]
        [1, 3, 5]
        >>> [int(x) for x in shard_for_worker(distribute(ds, 3, 2), 2, 1)]
        [5]
    """
    if workers == 1:
        return dataset
    memo: dict[int, Node] = {}
    found: list[bool] = []
    node = _reshard(dataset._node, workers, worker, memo, found)
    if not found:
        cut = cut_point(dataset._node)
        chosen, why = choose_policy("AUTO", cut, workers)
        own, _ = indexed_share(cut, chosen, workers, worker, why)
        node = shard_at(cut, chosen, workers, worker, None, own)
    return Dataset(node, dataset.options())


def _reshard(node: Node, workers: int, worker: int, memo: dict, found: list) -> Node:
    key = id(node)
    if key not in memo:
        if isinstance(node, DistributeNode):
            found.append(True)
            memo[key] = node.plan.resolve(workers, worker)
        else:
            parents = tuple(
                _reshard(p, workers, worker, memo, found) for p in node.parents
            )
            changed = any(a is not b for a, b in zip(parents, node.parents))
            memo[key] = node.replace(parents=parents) if changed else node
    return memo[key]
