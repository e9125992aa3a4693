"""`Grouping`: the `Dataset` methods that group elements or persist a dataset.

tf.data's ``group_by_window``, ``bucket_by_sequence_length``, ``sparse_batch``,
``ragged_batch``, ``save``/``load`` and ``snapshot``. Saved datasets and
snapshots use our own safe format (`pipeline.io.dataset_files`): numpy
buffers in CRC-checked TFRecord files and a JSON element spec, never pickle.

Example:
    >>> import pipeline as pl
    >>> ds = pl.data.Dataset.range(6).group_by_window(
    ...     lambda x: x % 2, lambda k, w: w.batch(3), window_size=3)
    >>> [b.tolist() for b in ds]
    [[0, 2, 4], [1, 3, 5]]
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from pipeline.data.dataset_buckets import bucket_by_sequence_length
from pipeline.graph.base import Node
from pipeline.graph.grouping import GroupByWindowNode
from pipeline.graph.persist import SnapshotNode, fingerprint, reader_node
from pipeline.graph.sparse_batching import RaggedBatchNode, SparseBatchNode
from pipeline.io import dataset_files as files

_METADATA = "dataset.metadata"
_CHECKPOINT_KEYS = frozenset(
    {
        "directory",
        "max_to_keep",
        "keep_checkpoint_every_n_hours",
        "checkpoint_name",
        "step_counter",
        "checkpoint_interval",
        "init_fn",
    }
)


def _positive(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(
            f"`{name}` must be a positive integer. Received: {name}={value!r}"
        )
    return int(value)


def _folder(path: Any, what: str = "path") -> str:
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise TypeError(
            f"`{what}` must be a string path. Received: {type(path).__name__}"
        )
    path = os.fspath(path)
    return path.decode() if isinstance(path, bytes) else path


class Grouping:
    """Mixin of `Dataset`: grouping into windows and buckets, saving, snapshots."""

    _node: Node

    def _chain(self, node: Node) -> Any:
        raise NotImplementedError

    def group_by_window(
        self,
        key_func: Callable[..., Any],
        reduce_func: Callable[..., Any],
        window_size: int | None = None,
        window_size_func: Callable[..., Any] | None = None,
        name: str | None = None,
    ) -> Any:
        """Group elements by key and reduce each window of a group to a dataset.

        Each element goes to the group ``key_func(element)`` (an int64 scalar).
        When a group holds ``window_size`` elements (or
        ``window_size_func(key)``), ``reduce_func(key, window)`` gets them as a
        dataset and returns the dataset whose elements come out. Groups left
        over at the end are reduced in key order.

        Args:
            key_func: element -> int64 key.
            reduce_func: ``(key, window dataset) -> dataset``.
            window_size: elements per window; give this or ``window_size_func``.
            window_size_func: key -> window size.
            name: unused (tf.data's op name).

        Raises:
            ValueError: both or neither of ``window_size`` and
                ``window_size_func`` are given.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> ds = Dataset.range(5).group_by_window(
            ...     lambda x: x % 2, lambda k, w: w.batch(2), window_size=2)
            >>> [b.tolist() for b in ds]
            [[0, 2], [1, 3], [4]]
        """
        if (window_size is None) == (window_size_func is None):
            raise ValueError(
                "Either the `window_size` argument or the `window_size_func` "
                "argument must be specified."
            )
        if window_size_func is None:
            size = np.int64(window_size)

            def window_size_func(_key: Any) -> np.int64:
                return size

        for what, fn in (("key_func", key_func), ("reduce_func", reduce_func)):
            if not callable(fn):
                raise TypeError(f"`{what}` must be callable. Received: {fn!r}")
        return self._chain(
            GroupByWindowNode((self._node,), key_func, reduce_func, window_size_func)
        )

    def bucket_by_sequence_length(
        self,
        element_length_func: Callable[..., Any],
        bucket_boundaries: Sequence[int],
        bucket_batch_sizes: Sequence[int],
        padded_shapes: Any = None,
        padding_values: Any = None,
        pad_to_bucket_boundary: bool = False,
        no_padding: bool = False,
        drop_remainder: bool = False,
        name: str | None = None,
    ) -> Any:
        """Batch elements of similar length together (padded per bucket).

        Bucket ``i`` holds lengths in ``[bucket_boundaries[i-1],
        bucket_boundaries[i])`` and batches ``bucket_batch_sizes[i]`` of them,
        padded with ``padded_batch`` (or batched as they are with
        ``no_padding=True``). See `pipeline.data.dataset_buckets`.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> ds = Dataset.range(1, 5).map(lambda n: np.arange(n))
            >>> ds = ds.bucket_by_sequence_length(len, [3], [2, 2], [None])
            >>> [b.tolist() for b in ds]
            [[[0, 0], [0, 1]], [[0, 1, 2, 0], [0, 1, 2, 3]]]
        """
        return bucket_by_sequence_length(
            self,
            element_length_func,
            bucket_boundaries,
            bucket_batch_sizes,
            padded_shapes,
            padding_values,
            pad_to_bucket_boundary,
            no_padding,
            drop_remainder,
        )

    def sparse_batch(
        self, batch_size: int, row_shape: Sequence[int | None], name: str | None = None
    ) -> Any:
        """Batch dense elements into `SparseTensor` values of ``[n, *row_shape]``.

        Every position of each element becomes an entry. A ``None`` (or -1) in
        ``row_shape`` takes the batch's largest size in that dimension.

        Raises:
            ValueError: a dimension of ``row_shape`` below -1.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> ds = Dataset.range(1, 3).map(lambda n: np.full(n, n))
            >>> st = next(iter(ds.sparse_batch(2, [3])))
            >>> st.indices.tolist(), st.values.tolist(), st.dense_shape.tolist()
            ([[0, 0], [1, 0], [1, 1]], [1, 2, 2], [2, 3])
        """
        size = _positive("batch_size", batch_size)
        dims = []
        for d in np.asarray(row_shape, dtype=object).reshape(-1).tolist():
            d = -1 if d is None else int(d)
            if d < -1:
                raise ValueError(f"Dimension {d} must be >= 0")
            dims.append(d)
        return self._chain(SparseBatchNode((self._node,), size, tuple(dims)))

    def ragged_batch(
        self,
        batch_size: int,
        drop_remainder: bool = False,
        row_splits_dtype: Any = np.int64,
        name: str | None = None,
    ) -> Any:
        """Batch elements of different shapes into `RaggedTensor` values.

        A component whose element spec has dimensions of unknown size is
        batched into a `RaggedTensor`, ragged up to the last such dimension;
        other components (fully known shapes, sparse and ragged values) are
        batched as ``batch`` does (ragged ones gain a ragged dimension).

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> ds = Dataset.range(4).map(lambda n: np.arange(n)).ragged_batch(2)
            >>> [b.to_list() for b in ds]
            [[[], [0]], [[0, 1], [0, 1, 2]]]
        """
        size = _positive("batch_size", batch_size)
        splits = np.dtype(getattr(row_splits_dtype, "as_numpy_dtype", row_splits_dtype))
        if splits not in (np.dtype(np.int32), np.dtype(np.int64)):
            raise ValueError(
                "`row_splits_dtype` must be int32 or int64. "
                f"Received: row_splits_dtype={row_splits_dtype!r}"
            )
        node = RaggedBatchNode((self._node,), size, bool(drop_remainder), splits)
        return self._chain(node)

    def save(
        self,
        path: str,
        compression: str | None = None,
        shard_func: Callable[..., Any] | None = None,
        checkpoint_args: dict[str, Any] | None = None,
    ) -> None:
        """Write every element under the folder ``path``, for `load`.

        Elements go to shard files (round robin over the CPUs, or
        ``shard_func(element)``), then the metadata file is written: a save
        cut short leaves no loadable dataset. The format is our own (not
        TensorFlow's): CRC-checked TFRecord files of numpy buffers and a JSON
        element spec; nothing in it is code.

        Args:
            path: the folder (created if needed).
            compression: None or ``"GZIP"``.
            shard_func: element -> int64 shard number (default round robin).
            checkpoint_args: accepted for tf.data compatibility (its keys are
                checked); a save is all-or-nothing, so none is written.

        Example:
            >>> import tempfile
            >>> from pipeline.data.dataset import Dataset
            >>> d = tempfile.mkdtemp()
            >>> Dataset.range(3).save(d, compression="GZIP")
            >>> [int(x) for x in Dataset.load(d)]
            [0, 1, 2]
        """
        from pipeline.graph.persist import shard_index

        folder = _folder(path)
        kind = files.compression_name(compression)
        unknown = set(checkpoint_args or {}) - _CHECKPOINT_KEYS
        if unknown:
            raise TypeError(f"Unknown `checkpoint_args`: {sorted(unknown)}")
        files.make_folder(folder)
        files.discard(files.join(folder, _METADATA))  # an old save stops loading
        writer = files.ShardWriter(folder, kind)
        try:
            with iter(self) as it:
                for i, elem in enumerate(it):
                    writer.write(shard_index(shard_func, elem, i), elem)
        except BaseException:
            writer.abort()
            raise
        shards = writer.close()
        meta = files.new_metadata(shards, kind, self.element_spec)
        files.write_metadata(files.join(folder, _METADATA), meta)

    @staticmethod
    def load(
        path: str,
        element_spec: Any = None,
        compression: str | None = None,
        reader_func: Callable[..., Any] | None = None,
        wait: bool = False,
    ) -> Any:
        """The dataset `save` wrote under ``path``.

        Args:
            path: the folder.
            element_spec: the element spec (default: the saved one).
            compression: ignored: the saved metadata says how shards are stored.
            reader_func: dataset of shard datasets -> dataset (default: one
                element from each shard in turn, the saved order).
            wait: accepted for tf.data compatibility: the metadata file is
                written last, so a loadable save is always a finished one.

        Raises:
            NotFoundError: ``path`` holds no saved dataset.
            DataLossError: a file is damaged or edited (named in the message).

        Example:
            >>> import tempfile
            >>> from pipeline.data.dataset import Dataset
            >>> d = tempfile.mkdtemp()
            >>> Dataset.from_tensor_slices({"a": [1, 2]}).save(d)
            >>> Dataset.load(d).element_spec
            {'a': TensorSpec(shape=(), dtype=int32, name=None)}
        """
        from pipeline.data.dataset import Dataset

        folder = _folder(path)
        files.compression_name(compression)
        meta = files.read_metadata(files.join(folder, _METADATA))
        if element_spec is not None:
            meta["element_spec"] = element_spec
        return Dataset(reader_node(folder, meta, reader_func))

    def snapshot(
        self,
        path: str,
        compression: str | None = "AUTO",
        reader_func: Callable[..., Any] | None = None,
        shard_func: Callable[..., Any] | None = None,
        name: str | None = None,
    ) -> Any:
        """Persist this dataset's output under ``path`` and reuse it later.

        The first full iteration writes a run into ``path/<fingerprint>/``
        (the fingerprint hashes this dataset's graph); once complete, every
        later iteration of an equal graph reads it instead. An iteration that
        stops early leaves its run unfinished, and the next one writes anew.

        Args:
            path: the snapshot folder.
            compression: ``"AUTO"`` (none), None or ``"GZIP"``. A finished
                run is read as its metadata says; ``"SNAPPY"`` can read one,
                but writing a new run with it raises `UnimplementedError`.
            reader_func: as in `load`.
            shard_func: element -> int64 shard number (default round robin).
            name: unused (tf.data's op name).

        Example:
            >>> import tempfile
            >>> from pipeline.data.dataset import Dataset
            >>> ds = Dataset.range(3).snapshot(tempfile.mkdtemp())
            >>> [int(x) for x in ds], [int(x) for x in ds]
            ([0, 1, 2], [0, 1, 2])
        """
        folder = _folder(path)
        kind = compression.upper() if isinstance(compression, str) else ""
        if kind == "AUTO":
            kind = ""
        elif kind != "SNAPPY":  # SNAPPY can read a finished run; writing raises
            kind = files.compression_name(compression)
        _check_reader(reader_func, self.element_spec)
        if shard_func is not None and not callable(shard_func):
            raise TypeError(f"`shard_func` must be callable. Received: {shard_func!r}")
        node = SnapshotNode(
            (self._node,),
            folder,
            kind,
            reader_func,
            shard_func,
            fingerprint(self._node),
        )
        return self._chain(node)


def _check_reader(reader_func: Any, spec: Any) -> None:
    """Raise TypeError now when ``reader_func`` does not return a dataset."""
    if reader_func is None:
        return
    meta = {"shards": [], "element_spec": spec, "cardinality": 0}
    reader_node("", meta, reader_func)
