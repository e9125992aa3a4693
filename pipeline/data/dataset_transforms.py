"""The transformation methods of `Dataset` (tf.data names and arguments).

Each method checks its arguments (Keras-style messages) and returns a new
dataset over a new graph node.

Example:
    >>> from pipeline.data.dataset import Dataset
    >>> [b.tolist() for b in Dataset.range(5).batch(2, drop_remainder=True)]
    [[0, 1], [2, 3]]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline.data.dataset_batching import (
    BatchingTransforms,
    _positive,
    check_unique_spec,
)
from pipeline.data.transform_args import (
    callable_arg,
    integer,
    interleave_args,
    shard_args,
    shuffle_buffer,
)
from pipeline.errors import InvalidArgumentError
from pipeline.graph.base import AUTOTUNE, Node
from pipeline.graph.caching import CacheNode, PrefetchNode
from pipeline.graph.combining import (
    FlatMapNode,
    InterleaveNode,
    check_compatible,
    concatenated,
)
from pipeline.graph.elementwise import (
    EnumerateNode,
    FilterNode,
    MapNode,
    RandomMapNode,
    TakeWhileNode,
    UniqueNode,
)
from pipeline.graph.recovery import IgnoreErrorsNode
from pipeline.graph.shuffling import ShuffleNode, fixed_order_seed
from pipeline.graph.slicing import RepeatNode, ShardNode, SkipNode, TakeNode


def _parallel(value: Any) -> int | None:
    if value is None or value == AUTOTUNE:
        return value
    return _positive("num_parallel_calls", value)


class Transforms(BatchingTransforms):
    """Mixin of `Dataset`'s transformations; ``_chain(node)`` wraps a node."""

    _node: Node

    def _chain(self, node: Node) -> Any:
        raise NotImplementedError

    def map(
        self,
        map_func: Callable[..., Any],
        num_parallel_calls: int | None = None,
        deterministic: bool | None = None,
        name: str | None = None,
    ) -> Any:
        """Apply ``map_func`` to each element (a tuple is passed unpacked).

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> ds = Dataset.from_tensor_slices(([1, 2], [3, 4]))
            >>> ds = ds.map(lambda a, b: a + b)
            >>> [int(x) for x in ds]
            [4, 6]
        """
        return self._chain(
            MapNode(
                (self._node,),
                fn=callable_arg("map_func", map_func),
                num_parallel_calls=_parallel(num_parallel_calls),
                deterministic=deterministic,
            )
        )

    def random_map(
        self,
        map_func: Callable[..., Any],
        seed: int | None = None,
        num_parallel_calls: int | None = None,
    ) -> Any:
        """Like ``map``, with a numpy ``Generator`` as last argument.

        The generator is derived from (seed, epoch, element index): results are
        reproducible whatever the thread count.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> draw = lambda x, rng: rng.integers(10)
            >>> ds = Dataset.range(3).random_map(draw, seed=1)
            >>> [int(v) for v in ds] == [int(v) for v in ds]
            True
        """
        return self._chain(
            RandomMapNode(
                (self._node,),
                fn=callable_arg("map_func", map_func),
                num_parallel_calls=_parallel(num_parallel_calls),
                seed=seed,
            )
        )

    def filter(self, predicate: Callable[..., Any], name: str | None = None) -> Any:
        """Keep the elements for which ``predicate`` is True.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> [int(x) for x in Dataset.range(4).filter(lambda x: x > 1)]
            [2, 3]
        """
        return self._chain(
            FilterNode((self._node,), callable_arg("predicate", predicate))
        )

    def take_while(self, predicate: Callable[..., Any], name: str | None = None) -> Any:
        """Elements up to (not including) the first for which ``predicate`` fails.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> [int(x) for x in Dataset.range(9).take_while(lambda x: x < 3)]
            [0, 1, 2]
        """
        node = TakeWhileNode((self._node,), callable_arg("predicate", predicate))
        return self._chain(node)

    def unique(self, name: str | None = None) -> Any:
        """Drop elements seen before (scalar ints or strings).

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> [int(x) for x in Dataset.from_tensor_slices([1, 2, 1, 3]).unique()]
            [1, 2, 3]
        """
        check_unique_spec(self._node.element_spec())
        return self._chain(UniqueNode((self._node,)))

    def enumerate(self, start: int = 0, name: str | None = None) -> Any:
        """Pair each element with its int64 index from ``start``.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> [(int(i), x) for i, x in Dataset.from_tensor_slices(["a"]).enumerate(5)]
            [(5, b'a')]
        """
        return self._chain(EnumerateNode((self._node,), start=int(start)))

    def flat_map(self, map_func: Callable[..., Any], name: str | None = None) -> Any:
        """Map each element to a dataset and concatenate them.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> ds = Dataset.range(1, 3).flat_map(lambda x: Dataset.range(x))
            >>> [int(v) for v in ds]
            [0, 0, 1]
        """
        fn = callable_arg("map_func", map_func)
        return self._chain(FlatMapNode((self._node,), fn=fn))

    def interleave(
        self,
        map_func: Callable[..., Any],
        cycle_length: int | None = None,
        block_length: int | None = None,
        num_parallel_calls: int | None = None,
        deterministic: bool | None = None,
        name: str | None = None,
    ) -> Any:
        """Map elements to datasets and interleave them (TF's order).

        ``cycle_length`` datasets are open at once (default: the CPU count, or
        ``num_parallel_calls`` when smaller, as TF); ``block_length``
        consecutive elements come from each in turn. Non-positive lengths, or
        more parallel calls than a fixed ``cycle_length``, raise
        `InvalidArgumentError`. With ``num_parallel_calls``, each open dataset
        is read ahead by a thread of its own, in blocks of elements, in TF's
        deterministic order; with ``deterministic=False`` (here or in
        `Options`) runs of elements come from whichever input has some at
        hand, as TF's non-deterministic order allows.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> ds = Dataset.range(1, 4).interleave(
            ...     lambda x: Dataset.from_tensors(x).repeat(2), cycle_length=2)
            >>> [int(v) for v in ds]
            [1, 2, 1, 2, 3, 3]
        """
        cycle, block, calls = interleave_args(
            cycle_length, block_length, num_parallel_calls
        )
        return self._chain(
            InterleaveNode(
                (self._node,),
                fn=callable_arg("map_func", map_func),
                cycle_length=cycle,
                block_length=block,
                num_parallel_calls=calls,
                deterministic=deterministic,
            )
        )

    def shuffle(
        self,
        buffer_size: int,
        seed: int | None = None,
        reshuffle_each_iteration: bool = True,
        name: str | None = None,
    ) -> Any:
        """Shuffle with a buffer of ``buffer_size`` elements (uniform draws).

        ``buffer_size`` must be positive (-2, TF's unknown cardinality, buffers
        the whole input); otherwise `InvalidArgumentError`. With
        ``reshuffle_each_iteration=False`` and no seed, one order is drawn for
        this dataset and kept by every epoch and iterator, as TF.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> sorted(int(x) for x in Dataset.range(5).shuffle(5, seed=1))
            [0, 1, 2, 3, 4]
        """
        size = shuffle_buffer(buffer_size)
        reshuffle = bool(reshuffle_each_iteration)
        node = ShuffleNode(
            (self._node,), size, seed, reshuffle, fixed_order_seed(seed, reshuffle)
        )
        return self._chain(node)

    def repeat(self, count: int | None = None, name: str | None = None) -> Any:
        """Repeat ``count`` times (None or negative: forever).

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> [int(x) for x in Dataset.range(2).repeat(2)]
            [0, 1, 0, 1]
        """
        count = None if count is None else integer("count", count)
        forever = count is None or count < 0
        return self._chain(RepeatNode((self._node,), None if forever else count))

    def take(self, count: int, name: str | None = None) -> Any:
        """The first ``count`` elements (negative: all).

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> [int(x) for x in Dataset.range(9).take(2)]
            [0, 1]
        """
        count = integer("count", count)
        return self._chain(TakeNode((self._node,), -1 if count < 0 else count))

    def skip(self, count: int, name: str | None = None) -> Any:
        """All but the first ``count`` elements (negative: none).

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> [int(x) for x in Dataset.range(4).skip(2)]
            [2, 3]
        """
        count = integer("count", count)
        return self._chain(SkipNode((self._node,), -1 if count < 0 else count))

    def shard(self, num_shards: int, index: int, name: str | None = None) -> Any:
        """Every ``num_shards``-th element, starting at ``index``.

        `InvalidArgumentError` unless ``num_shards > 0`` and
        ``0 <= index < num_shards``.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> [int(x) for x in Dataset.range(7).shard(3, 1)]
            [1, 4]
        """
        num, index = shard_args(num_shards, index)
        return self._chain(ShardNode((self._node,), num, index))

    def concatenate(self, dataset: Any, name: str | None = None) -> Any:
        """This dataset's elements, then ``dataset``'s.

        The two must have the same structure and dtypes (`TypeError` naming
        both specs otherwise); differing shapes relax to unknown dimensions.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> [int(x) for x in Dataset.range(2).concatenate(Dataset.range(5, 6))]
            [0, 1, 5]
        """
        if not isinstance(getattr(dataset, "_node", None), Node):
            raise TypeError(
                "`dataset` must be a Dataset. Received: "
                f"dataset of type {type(dataset).__name__}"
            )
        node = dataset._node
        check_compatible(self._node.element_spec(), node.element_spec())
        out = self._chain(concatenated(self._node, node))
        other = getattr(dataset, "_options", None)
        if other is not None:  # as TF: the options of both inputs, merged
            out._options = self._options.merge(other)
        return out

    def cache(self, filename: str = "", name: str | None = None) -> Any:
        """Keep the elements of the first full pass, in memory or in ``filename``.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> [int(x) for x in Dataset.range(2).cache().repeat(2)]
            [0, 1, 0, 1]
        """
        return self._chain(CacheNode((self._node,), str(filename)))

    def prefetch(self, buffer_size: int, name: str | None = None) -> Any:
        """Produce up to ``buffer_size`` elements ahead in a background thread.

        ``None`` or -1 (``AUTOTUNE``) sizes the buffer automatically; below -1
        is an `InvalidArgumentError`.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> [int(x) for x in Dataset.range(3).prefetch(2)]
            [0, 1, 2]
        """
        if buffer_size is None:
            buffer_size = AUTOTUNE
        size = integer("buffer_size", buffer_size)
        if size < AUTOTUNE:
            raise InvalidArgumentError(
                "`buffer_size` must be >= 0, or -1 (AUTOTUNE) to tune it. "
                f"Received: buffer_size={buffer_size!r}"
            )
        return self._chain(PrefetchNode((self._node,), size))

    def ignore_errors(
        self,
        log_warning: bool = False,
        max_bad_records: int | None = None,
        quarantine: str | None = None,
        name: str | None = None,
    ) -> Any:
        """Drop elements whose production failed, counting them.

        Args:
            log_warning: log each dropped element (default False).
            max_bad_records: fail with `DataLossError` once more than this many
                were dropped (default None: no limit).
            quarantine: path of a TFRecord file receiving each bad record's raw
                bytes with its file, offset and reason (default None).

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> ds = Dataset.from_tensor_slices([1, 0, 2])
            >>> ds = ds.map(lambda x: {1: 5, 2: 6}[x])
            >>> [int(v) for v in ds.ignore_errors()]
            [5, 6]
        """
        if max_bad_records is not None and max_bad_records < 0:
            raise ValueError(
                "`max_bad_records` must be >= 0. "
                f"Received: max_bad_records={max_bad_records}"
            )
        return self._chain(
            IgnoreErrorsNode(
                (self._node,), bool(log_warning), max_bad_records, quarantine
            )
        )

    def apply(self, transformation_func: Callable[[Any], Any]) -> Any:
        """``transformation_func(self)``, which must return a dataset.

        Example:
            >>> from pipeline.data.dataset import Dataset
            >>> [int(x) for x in Dataset.range(3).apply(lambda ds: ds.skip(2))]
            [2]
        """
        out = transformation_func(self)
        if not isinstance(getattr(out, "_node", None), Node):
            raise TypeError("`transformation_func` must return a Dataset.")
        return out
