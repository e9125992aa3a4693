"""``pl.data.experimental``: the ``tf.data.experimental`` names, over `Dataset`.

The transformations return a function ``dataset -> dataset`` for
``Dataset.apply``, as in TensorFlow; each resolves the `Dataset` method it
stands for when it is applied.

Example:
    >>> import pipeline as pl
    >>> ds = pl.data.Dataset.range(5).apply(
    ...     pl.data.experimental.scan(np.int64(0), lambda s, x: (s + x, s)))
    >>> [int(x) for x in ds]
    [0, 0, 1, 3, 6]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from pipeline.data.csv_dataset import CsvDataset, make_csv_dataset
from pipeline.data.dataset import INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset
from pipeline.data.experimental_grouping import (
    Transformation,
    _method,
    bucket_by_sequence_length,
    dense_to_ragged_batch,
    dense_to_sparse_batch,
    group_by_window,
    load,
    save,
    snapshot,
)
from pipeline.data.random_access import at
from pipeline.executor.optional import Optional
from pipeline.executor.options import (
    AutotuneOptions,
    DistributeOptions,
    OptimizationOptions,
    ThreadingOptions,
)
from pipeline.graph.base import AUTOTUNE
from pipeline.graph.checks import AssertCardinalityNode
from pipeline.graph.legacy_interleave import ParallelInterleaveNode


def sample_from_datasets(
    datasets: Sequence[Dataset],
    weights: Any = None,
    seed: int | None = None,
    stop_on_empty_dataset: bool = False,
) -> Dataset:
    """`Dataset.sample_from_datasets`.

    Example:
        >>> ds = sample_from_datasets([Dataset.range(2)], seed=1)
        >>> [int(x) for x in ds]
        [0, 1]
    """
    return Dataset.sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset)


def choose_from_datasets(
    datasets: Sequence[Dataset],
    choice_dataset: Dataset,
    stop_on_empty_dataset: bool = False,
) -> Dataset:
    """`Dataset.choose_from_datasets`; as TF's experimental endpoint, an
    exhausted dataset is skipped by default (``stop_on_empty_dataset=False``).

    Example:
        >>> choice = Dataset.from_tensor_slices(np.array([0, 0]))
        >>> [int(x) for x in choose_from_datasets([Dataset.range(5)], choice)]
        [0, 1]
    """
    return Dataset.choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)


def Counter(start: int = 0, step: int = 1, dtype: Any = np.int64) -> Dataset:  # noqa: N802
    """`Dataset.counter`.

    Example:
        >>> [int(x) for x in Counter(5, -1).take(2)]
        [5, 4]
    """
    return Dataset.counter(start, step, dtype)


def RandomDataset(  # noqa: N802
    seed: int | None = None,
    rerandomize_each_iteration: bool | None = None,
    name: str | None = None,
) -> Dataset:
    """`Dataset.random`.

    Example:
        >>> len(list(RandomDataset(seed=3).take(2)))
        2
    """
    return Dataset.random(seed, rerandomize_each_iteration, name)


def scan(initial_state: Any, scan_func: Callable[..., Any]) -> Transformation:
    """`Dataset.scan` as a transformation.

    Example:
        >>> ds = Dataset.range(3).apply(scan(np.int64(10), lambda s, x: (s + x, s)))
        >>> [int(x) for x in ds]
        [10, 10, 11]
    """
    return _method("scan", initial_state, scan_func)


def rejection_resample(
    class_func: Callable[..., Any],
    target_dist: Any,
    initial_dist: Any = None,
    seed: int | None = None,
) -> Transformation:
    """`Dataset.rejection_resample` as a transformation.

    Example:
        >>> f = rejection_resample(lambda x: x % 2, [0.0, 1.0], [0.5, 0.5], seed=1)
        >>> sorted({int(c) for c, _ in Dataset.range(10).apply(f)})
        [1]
    """
    return _method("rejection_resample", class_func, target_dist, initial_dist, seed)


def ignore_errors(log_warning: bool = False) -> Transformation:
    """`Dataset.ignore_errors` as a transformation.

    Example:
        >>> ds = Dataset.from_tensor_slices([1.0, 0.0]).map(lambda x: 1 / int(x))
        >>> [float(x) for x in ds.apply(ignore_errors())]
        [1.0]
    """
    return _method("ignore_errors", log_warning)


def unique() -> Transformation:
    """`Dataset.unique` as a transformation.

    Example:
        >>> ds = Dataset.from_tensor_slices([1, 1, 2]).apply(unique())
        >>> [int(x) for x in ds]
        [1, 2]
    """
    return _method("unique")


def unbatch() -> Transformation:
    """`Dataset.unbatch` as a transformation.

    Example:
        >>> [int(x) for x in Dataset.range(3).batch(2).apply(unbatch())]
        [0, 1, 2]
    """
    return _method("unbatch")


def take_while(predicate: Callable[..., Any]) -> Transformation:
    """`Dataset.take_while` as a transformation.

    Example:
        >>> [int(x) for x in Dataset.range(5).apply(take_while(lambda x: x < 2))]
        [0, 1]
    """
    return _method("take_while", predicate)


def enumerate_dataset(start: int = 0) -> Transformation:
    """`Dataset.enumerate` as a transformation.

    Example:
        >>> [tuple(map(int, e)) for e in Dataset.range(2).apply(enumerate_dataset(5))]
        [(5, 0), (6, 1)]
    """
    return _method("enumerate", start)


def parallel_interleave(
    map_func: Callable[..., Any],
    cycle_length: int,
    block_length: int = 1,
    sloppy: bool | None = False,
    buffer_output_elements: int | None = None,
    prefetch_input_elements: int | None = None,
) -> Transformation:
    """Interleave as TF's legacy ``parallel_interleave``: ``interleave``'s
    order, and an input that fails to open takes its slot's turn (see
    `pipeline.graph.legacy_interleave`). The order never depends on thread
    timing, so ``sloppy`` and the buffer sizes change nothing.

    Example:
        >>> f = parallel_interleave(lambda x: Dataset.from_tensors(x).repeat(2), 2)
        >>> [int(x) for x in Dataset.range(2).apply(f)]
        [0, 1, 0, 1]
    """
    if not callable(map_func):
        raise TypeError(f"`map_func` must be callable. Received: {map_func!r}")
    for name, value in (("cycle_length", cycle_length), ("block_length", block_length)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(
                f"`{name}` must be a positive integer. Received: {name}={value!r}"
            )

    def apply(dataset: Dataset) -> Dataset:
        node = ParallelInterleaveNode(
            (dataset._node,),
            fn=map_func,
            cycle_length=cycle_length,
            block_length=block_length,
        )
        return dataset._chain(node)

    return apply


def shuffle_and_repeat(
    buffer_size: int, count: int | None = None, seed: int | None = None
) -> Transformation:
    """``shuffle(buffer_size, seed).repeat(count)`` as a transformation.

    Example:
        >>> ds = Dataset.range(3).apply(shuffle_and_repeat(3, count=2, seed=1))
        >>> sorted(int(x) for x in ds)
        [0, 0, 1, 1, 2, 2]
    """

    def apply(dataset: Dataset) -> Dataset:
        return dataset.shuffle(buffer_size, seed=seed).repeat(count)

    return apply


def map_and_batch(
    map_func: Callable[..., Any],
    batch_size: int,
    num_parallel_batches: int | None = None,
    drop_remainder: bool = False,
    num_parallel_calls: int | None = None,
) -> Transformation:
    """``map(map_func).batch(batch_size)`` as a transformation.

    Example:
        >>> [b.tolist() for b in Dataset.range(3).apply(map_and_batch(lambda x: -x, 2))]
        [[0, -1], [-2]]
    """
    calls = num_parallel_calls or num_parallel_batches

    def apply(dataset: Dataset) -> Dataset:
        mapped = dataset.map(map_func, num_parallel_calls=calls)
        return mapped.batch(batch_size, drop_remainder=drop_remainder)

    return apply


def cardinality(dataset: Dataset) -> int:
    """`Dataset.cardinality`: -1 when infinite, -2 when unknown.

    Example:
        >>> cardinality(Dataset.range(4)), cardinality(Dataset.range(1).repeat())
        (4, -1)
    """
    return dataset.cardinality()


def assert_cardinality(expected_cardinality: int) -> Transformation:
    """A transformation that declares the cardinality and checks it while
    reading: `FailedPreconditionError` when the input has fewer or more
    elements.

    Example:
        >>> ds = Dataset.range(3).filter(lambda x: True)
        >>> ds.apply(assert_cardinality(3)).cardinality()
        3
    """

    def apply(dataset: Dataset) -> Dataset:
        node = AssertCardinalityNode((dataset._node,), int(expected_cardinality))
        return dataset._chain(node)

    return apply


def get_single_element(dataset: Dataset) -> Any:
    """`Dataset.get_single_element`.

    Example:
        >>> get_single_element(Dataset.from_tensors(b"x"))
        b'x'
    """
    return dataset.get_single_element()


def get_next_as_optional(iterator: Any) -> Optional:
    """``iterator.get_next_as_optional()``: the next element, or an empty Optional.

    Example:
        >>> it = iter(Dataset.range(1))
        >>> [get_next_as_optional(it).has_value() for _ in range(2)]
        [True, False]
    """
    return iterator.get_next_as_optional()


def get_structure(dataset: Dataset) -> Any:
    """The element spec of ``dataset``.

    Example:
        >>> get_structure(Dataset.range(2))
        TensorSpec(shape=(), dtype=int64, name=None)
    """
    return dataset.element_spec


__all__ = [
    "AUTOTUNE",
    "AutotuneOptions",
    "Counter",
    "CsvDataset",
    "DistributeOptions",
    "INFINITE_CARDINALITY",
    "OptimizationOptions",
    "Optional",
    "RandomDataset",
    "ThreadingOptions",
    "UNKNOWN_CARDINALITY",
    "assert_cardinality",
    "at",
    "bucket_by_sequence_length",
    "cardinality",
    "choose_from_datasets",
    "dense_to_ragged_batch",
    "dense_to_sparse_batch",
    "enumerate_dataset",
    "get_next_as_optional",
    "get_single_element",
    "get_structure",
    "group_by_window",
    "ignore_errors",
    "load",
    "make_csv_dataset",
    "map_and_batch",
    "parallel_interleave",
    "rejection_resample",
    "sample_from_datasets",
    "save",
    "scan",
    "shuffle_and_repeat",
    "snapshot",
    "take_while",
    "unbatch",
    "unique",
]
