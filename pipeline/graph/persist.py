"""Nodes that read saved datasets and write or read snapshots.

``load`` reads the shard files of a saved folder (``pipeline.io.dataset_files``)
through a reader function: by default an interleave over the shards, one
element from each in turn, which gives back the order of a round-robin save.
``snapshot`` writes its input into ``path/<fingerprint>/<run>/`` while passing
the elements on; once a run is complete (``snapshot.metadata`` names it),
later iterations read it instead of running the input.

Example:
    >>> import tempfile
    >>> from pipeline.graph.sources import RangeNode
    >>> path = tempfile.mkdtemp()
    >>> node = SnapshotNode((RangeNode((), 0, 3, 1),), path, "", None, None, "f1")
    >>> [int(x) for x in IterContext().build(node)]
    [0, 1, 2]
    >>> sorted(os.listdir(os.path.join(path, "f1")))[-1]
    'snapshot.metadata'
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import secrets
from collections.abc import Callable
from typing import Any

import numpy as np

from pipeline.errors import DataLossError, InvalidArgumentError, NotFoundError
from pipeline.graph.base import (
    IterContext,
    Node,
    NodeIterator,
    call_fn,
    node_of,
    wrap_dataset,
)
from pipeline.graph.combining import InterleaveNode
from pipeline.graph.element_specs import DatasetSpec
from pipeline.graph.failures import ElementFailure
from pipeline.graph.sources import ListIterator
from pipeline.io import dataset_files as files

SNAPSHOT_METADATA = "snapshot.metadata"
_RUN_NAME = re.compile(r"^[0-9a-f]{16}$")


@dataclasses.dataclass(frozen=True, eq=False)
class ShardFileNode(Node):
    """The elements of one saved shard file."""

    path: str = ""
    metadata: dict = dataclasses.field(repr=False, default_factory=dict)
    count: int = -1
    op = "shard_file"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return ShardIterator(self)

    def cardinality(self) -> int:
        return self.count

    def compute_spec(self) -> Any:
        return self.metadata["element_spec"]


class ShardIterator(NodeIterator):
    """Reads a shard file; the state is the number of elements read."""

    def __init__(self, node: ShardFileNode) -> None:
        super().__init__()
        self.node, self.index, self.records = node, 0, None

    def __next__(self) -> Any:
        if self.records is None:
            node = self.node
            self.records = files.read_shard(node.path, node.metadata, node.count)
        elem = next(self.records)
        self.index += 1
        return elem

    def get_state(self) -> dict[str, Any]:
        return {"index": self.index}

    def set_state(self, state: dict[str, Any]) -> None:
        self.close()
        self.index = 0
        for _ in range(state["index"]):
            next(self)

    def close(self) -> None:
        if self.records is not None:
            self.records.close()
            self.records = None


@dataclasses.dataclass(frozen=True, eq=False)
class DatasetsNode(Node):
    """A dataset whose elements are datasets (the shards a reader gets)."""

    datasets: tuple = dataclasses.field(repr=False, default=())
    spec: Any = dataclasses.field(repr=False, default=None)
    op = "shard_datasets"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return ListIterator(self.datasets)

    def cardinality(self) -> int:
        return len(self.datasets)

    def compute_spec(self) -> Any:
        return DatasetSpec(self.spec)

    def args(self) -> dict[str, Any]:
        return {"shards": len(self.datasets)}


@dataclasses.dataclass(frozen=True, eq=False)
class LoadedNode(Node):
    """The reader's output, with the saved element spec and cardinality."""

    spec: Any = dataclasses.field(repr=False, default=None)
    count: int = -2
    op = "load"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return ctx.build(self.parents[0])

    def cardinality(self) -> int:
        return self.count

    def compute_spec(self) -> Any:
        return self.spec


def _identity(dataset: Any) -> Any:
    return dataset


def reader_node(
    folder: str, metadata: dict[str, Any], reader_func: Callable[..., Any] | None
) -> Node:
    """The node reading a saved ``folder`` (``metadata`` from its metadata file)."""
    shards = tuple(
        wrap_dataset(ShardFileNode((), files.join(folder, name), metadata, count))
        for name, count in metadata["shards"]
    )
    datasets = DatasetsNode((), shards, metadata["element_spec"])
    if reader_func is None:
        cycle = max(1, len(shards))
        node: Node = InterleaveNode((datasets,), _identity, cycle, 1)
    else:
        node = node_of(reader_func(wrap_dataset(datasets)), "reader_func")
    return LoadedNode((node,), metadata["element_spec"], metadata["cardinality"])


def shard_index(shard_func: Callable[..., Any] | None, elem: Any, index: int) -> int:
    """The shard of the ``index``-th element: ``shard_func(elem)``, or round robin
    over the CPUs when it is None.

    Example:
        >>> shard_index(lambda x: x % 2, np.int64(5), 0)
        1
    """
    if shard_func is None:
        return index % (os.cpu_count() or 1)
    value = np.asarray(call_fn(shard_func, elem))
    if value.shape != () or value.dtype.kind not in "iu":
        raise TypeError(
            f"`shard_func` must return a scalar int64; got {value!r} for element "
            f"{index}."
        )
    if int(value) < 0:
        raise InvalidArgumentError(
            f"`shard_func` must return a shard index >= 0; got {int(value)}."
        )
    return int(value)


def finished_run(meta_path: str) -> dict[str, Any] | None:
    """The metadata of a snapshot's finished run, or None when there is none."""
    if not files.fs.exists(meta_path):
        return None
    meta = files.read_metadata(meta_path)
    run = meta.get("run")
    if not isinstance(run, str) or not _RUN_NAME.match(run):
        raise DataLossError(
            f"bad snapshot metadata in {meta_path!r}: run {run!r:.40} is not a "
            "16-digit hex name",
            path=meta_path,
        )
    return meta


@dataclasses.dataclass(frozen=True, eq=False)
class SnapshotNode(Node):
    """``snapshot(path, compression, reader_func, shard_func)``."""

    path: str = ""
    compression: str = ""
    reader_func: Callable[..., Any] | None = None
    shard_func: Callable[..., Any] | None = None
    fingerprint: str = ""
    op = "snapshot"

    def make_iterator(self, ctx: IterContext) -> NodeIterator:
        return SnapshotIterator(ctx, self)

    def folder(self) -> str:
        """``path/<fingerprint>``."""
        return files.join(self.path, self.fingerprint)


class SnapshotIterator(NodeIterator):
    """Reads the finished run, or runs the input and writes a new run."""

    def __init__(self, ctx: IterContext, node: SnapshotNode) -> None:
        super().__init__()
        self.ctx, self.node = ctx, node
        self.it: NodeIterator | None = None
        self.writer: files.ShardWriter | None = None
        self.mode, self.run, self.count = "", "", 0

    def _start(self, mode: str | None = None, run: str = "") -> None:
        node = self.node
        path = files.join(node.folder(), SNAPSHOT_METADATA)
        meta = finished_run(path)
        if mode == "read" and (meta is None or meta["run"] != run):
            raise NotFoundError(
                f"the snapshot run {run!r} this state reads is no longer the "
                f"finished run in {path!r}",
                path=path,
            )
        if meta is not None and mode in (None, "read"):
            self.mode, self.run = "read", meta["run"]
            folder = files.join(node.folder(), self.run)
            self.it = self.ctx.build(reader_node(folder, meta, node.reader_func))
            return
        self.it = self.ctx.build(node.parents[0])
        self.mode = mode or "write"
        if self.mode == "write":
            files.compression_name(node.compression)  # raises for SNAPPY
            self.run = secrets.token_hex(8)
            folder = files.join(node.folder(), self.run)
            files.make_folder(folder)
            self.writer = files.ShardWriter(folder, node.compression)

    def __next__(self) -> Any:
        if self.it is None:
            self._start()
        try:
            elem = next(self.it)
        except StopIteration:
            self._finish()
            raise
        if self.writer is not None and not isinstance(elem, ElementFailure):
            shard = shard_index(self.node.shard_func, elem, self.count)
            self.writer.write(shard, elem)
            self.count += 1
        return elem

    def _finish(self) -> None:
        if self.writer is None:
            return
        shards, self.writer = self.writer.close(), None
        spec = self.node.parents[0].element_spec()
        meta = files.new_metadata(shards, self.node.compression, spec, run=self.run)
        path = files.join(self.node.folder(), SNAPSHOT_METADATA)
        files.write_metadata(path, meta)
        self.mode = "done"

    def get_state(self) -> dict[str, Any]:
        if self.it is None:
            return {"mode": "", "it": None}
        mode = "read" if self.mode == "read" else "pass"
        return {"mode": mode, "run": self.run, "it": self.it.get_state()}

    def set_state(self, state: dict[str, Any]) -> None:
        """Resume reading a finished run, or pass the input through: a partial
        run is not resumed (a later iteration writes a new one)."""
        self.close()
        if state["it"] is not None:
            self._start(state["mode"], state.get("run", ""))
            self.it.set_state(state["it"])

    def close(self) -> None:
        if self.writer is not None:
            self.writer.abort()
            self.writer = None
        if self.it is not None:
            self.it.close()
            self.it = None


def fingerprint(node: Node) -> str:
    """A stable hash of a graph: its ops, arguments, data and functions' code
    (bytecode, names, constants and closure values; not where it is written).

    Example:
        >>> from pipeline.graph.sources import RangeNode
        >>> a, b = RangeNode((), 0, 3, 1), RangeNode((), 0, 4, 1)
        >>> fingerprint(a) == fingerprint(RangeNode((), 0, 3, 1)) != fingerprint(b)
        True
    """
    h = hashlib.sha256()
    _feed(h, node, set())
    return h.hexdigest()[:16]


def _feed(h: Any, value: Any, seen: set[int]) -> None:
    if isinstance(value, Node):
        h.update(f"<{type(value).__name__}>".encode())
        for f in dataclasses.fields(value):
            _feed(h, getattr(value, f.name), seen)
    elif isinstance(value, np.ndarray):
        h.update(f"{value.dtype}{value.shape}".encode())
        h.update(value.tobytes() if value.dtype != object else repr(value).encode())
    elif isinstance(value, (tuple, list)):
        h.update(b"(")
        for v in value:
            _feed(h, v, seen)
        h.update(b")")
    elif isinstance(value, dict):
        for k, v in value.items():
            h.update(repr(k).encode())
            _feed(h, v, seen)
    elif hasattr(value, "_node"):
        _feed(h, value._node, seen)
    elif callable(value) and hasattr(value, "__code__"):
        if id(value) in seen:  # a function that refers to itself
            return
        seen.add(id(value))
        _feed_code(h, value.__code__)
        for cell in value.__closure__ or ():
            _feed(h, _cell_value(cell), seen)
    elif hasattr(value, "__dict__") and id(value) not in seen:
        seen.add(id(value))
        h.update(type(value).__qualname__.encode())
        _feed(h, dict(vars(value)), seen)
    else:
        h.update(repr(value).encode())


def _cell_value(cell: Any) -> Any:
    try:
        return cell.cell_contents
    except ValueError:  # an empty cell
        return None


def _feed_code(h: Any, code: Any) -> None:
    """The code's bytes, the names it uses and its constants (not its line)."""
    h.update(code.co_code)
    h.update(repr(code.co_names).encode())
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            _feed_code(h, const)
        else:
            h.update(repr(const).encode())
