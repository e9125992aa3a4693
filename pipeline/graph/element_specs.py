"""Specs of the non-tensor components an element may hold: datasets and None.

tf.data lets an element hold a dataset (a dataset of datasets, flattened by
``flat_map(lambda d: d)``) or ``None``; their specs are `DatasetSpec` and
`NoneTensorSpec`.

Example:
    >>> from pipeline.types import TensorSpec
    >>> DatasetSpec(TensorSpec((), "int64")).element_spec.shape
    ()
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["DatasetSpec", "NoneTensorSpec", "is_dataset"]


class DatasetSpec:
    """The spec of a dataset held in an element: its ``element_spec``.

    ``shape`` is ``()`` for one dataset, the array's shape for an array of them.

    Example:
        >>> from pipeline.types import TensorSpec
        >>> DatasetSpec(TensorSpec((), "int64"))
        DatasetSpec(TensorSpec(shape=(), dtype=int64, name=None), shape=())
    """

    dtype = np.dtype(object)

    def __init__(self, element_spec: Any, shape: tuple[int, ...] = ()) -> None:
        self.element_spec = element_spec
        self.shape = tuple(shape)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, DatasetSpec)
            and self.shape == other.shape
            and self.element_spec == other.element_spec
        )

    def __hash__(self) -> int:
        return hash(self.shape)

    def __repr__(self) -> str:
        return f"DatasetSpec({self.element_spec!r}, shape={self.shape})"


class NoneTensorSpec:
    """The spec of a ``None`` component of an element.

    Example:
        >>> NoneTensorSpec() == NoneTensorSpec(), NoneTensorSpec().shape
        (True, ())
    """

    dtype = None
    shape = ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoneTensorSpec)

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "NoneTensorSpec()"


def is_dataset(value: Any) -> bool:
    """Whether ``value`` is a dataset (a `pl.data.Dataset`) used as a value.

    Example:
        >>> is_dataset(np.int64(1))
        False
    """
    return getattr(type(value), "_is_dataset", False) is True
