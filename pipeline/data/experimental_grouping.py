"""The ``tf.data.experimental`` grouping, batching and saving names.

Each resolves the `Dataset` method it stands for when it is applied (or
called), so it works with whatever that method supports.

Example:
    >>> from pipeline.data.dataset import Dataset
    >>> ds = Dataset.range(4).apply(group_by_window(lambda x: x % 2,
    ...     lambda k, w: w.batch(2), window_size=2))
    >>> [b.tolist() for b in ds]
    [[0, 2], [1, 3]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from pipeline.data.dataset import Dataset

Transformation = Callable[[Dataset], Dataset]


def _method(name: str, *args: Any, **kwargs: Any) -> Transformation:
    """``dataset -> dataset.<name>(*args, **kwargs)``, looked up when applied."""

    def apply(dataset: Dataset) -> Dataset:
        method = getattr(dataset, name, None)
        if method is None:
            raise NotImplementedError(f"`Dataset.{name}` is not available.")
        return method(*args, **kwargs)

    apply.__name__ = name
    return apply


def dense_to_ragged_batch(
    batch_size: int, drop_remainder: bool = False, row_splits_dtype: Any = np.int64
) -> Transformation:
    """`Dataset.ragged_batch` as a transformation.

    Example:
        >>> ds = Dataset.range(1, 3).map(lambda x: np.full([x], x))
        >>> next(iter(ds.apply(dense_to_ragged_batch(2)))).to_list()
        [[1], [2, 2]]
    """
    return _method("ragged_batch", batch_size, drop_remainder, row_splits_dtype)


def dense_to_sparse_batch(batch_size: int, row_shape: Any) -> Transformation:
    """`Dataset.sparse_batch` as a transformation.

    Example:
        >>> ds = Dataset.range(1, 3).map(lambda x: np.full([x], x))
        >>> next(iter(ds.apply(dense_to_sparse_batch(2, [2])))).values.tolist()
        [1, 2, 2]
    """
    return _method("sparse_batch", batch_size, row_shape)


def group_by_window(
    key_func: Callable[..., Any],
    reduce_func: Callable[..., Any],
    window_size: int | None = None,
    window_size_func: Callable[..., Any] | None = None,
) -> Transformation:
    """`Dataset.group_by_window` as a transformation (see the module example)."""
    return _method(
        "group_by_window",
        key_func,
        reduce_func,
        window_size=window_size,
        window_size_func=window_size_func,
    )


def bucket_by_sequence_length(
    element_length_func: Callable[..., Any],
    bucket_boundaries: Sequence[int],
    bucket_batch_sizes: Sequence[int],
    padded_shapes: Any = None,
    padding_values: Any = None,
    pad_to_bucket_boundary: bool = False,
    no_padding: bool = False,
    drop_remainder: bool = False,
) -> Transformation:
    """`Dataset.bucket_by_sequence_length` as a transformation.

    Example:
        >>> ds = Dataset.from_tensor_slices(np.array([[1, 0], [2, 2]]))
        >>> f = bucket_by_sequence_length(lambda x: 2, [5], [2, 2])
        >>> [b.tolist() for b in ds.apply(f)]
        [[[1, 0], [2, 2]]]
    """
    return _method(
        "bucket_by_sequence_length",
        element_length_func,
        bucket_boundaries,
        bucket_batch_sizes,
        padded_shapes=padded_shapes,
        padding_values=padding_values,
        pad_to_bucket_boundary=pad_to_bucket_boundary,
        no_padding=no_padding,
        drop_remainder=drop_remainder,
    )


def snapshot(
    path: str,
    compression: str | None = "AUTO",
    reader_func: Callable[..., Any] | None = None,
    shard_func: Callable[..., Any] | None = None,
) -> Transformation:
    """`Dataset.snapshot` as a transformation.

    Example:
        >>> import tempfile
        >>> ds = Dataset.range(3).apply(snapshot(tempfile.mkdtemp()))
        >>> [int(x) for x in ds]
        [0, 1, 2]
    """
    return _method(
        "snapshot",
        path,
        compression=compression,
        reader_func=reader_func,
        shard_func=shard_func,
    )


def save(
    dataset: Dataset,
    path: str,
    compression: str | None = None,
    shard_func: Callable[..., Any] | None = None,
    checkpoint_args: Any = None,
) -> None:
    """`Dataset.save`; `load` reads it back.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "saved")
        >>> save(Dataset.range(3), path)
        >>> [int(x) for x in load(path)]
        [0, 1, 2]
    """
    _method(
        "save",
        path,
        compression=compression,
        shard_func=shard_func,
        checkpoint_args=checkpoint_args,
    )(dataset)


def load(
    path: str,
    element_spec: Any = None,
    compression: str | None = None,
    reader_func: Callable[..., Any] | None = None,
) -> Dataset:
    """`Dataset.load` (see `save` for an example)."""
    load_method = getattr(Dataset, "load", None)
    if load_method is None:
        raise NotImplementedError("`Dataset.load` is not available.")
    return load_method(
        path,
        element_spec=element_spec,
        compression=compression,
        reader_func=reader_func,
    )
