"""Turns ``fit``/``evaluate``/``predict`` inputs into batches.

Numpy inputs (arrays, lists or dicts of arrays) are sliced into batches,
shuffled per epoch when asked; any other iterable (a ``pl.data.Dataset``, a
generator, a list of batches) is iterated as ``(x, y)`` or ``(x, y,
sample_weight)`` tuples, or bare ``x`` for ``predict``.

Example:
    >>> import numpy as np
    >>> data = ArrayData(np.arange(5.0), np.arange(5.0), batch_size=2)
    >>> [len(x) for x, y, w in data.batches(shuffle=False)]
    [2, 2, 1]
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from pipeline.nn.layers._symbolic import flatten, map_structure
from pipeline.nn.tensor import Tensor

_DEFAULT_BATCH_SIZE = 32


def is_array_data(x: Any) -> bool:
    """Whether ``x`` is numpy-like data (array, Tensor, or list/dict of them).

    Example:
        >>> is_array_data(np.zeros(3)), is_array_data(iter([]))
        (True, False)
    """
    if isinstance(x, np.ndarray | Tensor):
        return True
    if isinstance(x, dict):
        # None: an optional input left out (Keras's Input(optional=True)).
        return all(v is None or is_array_data(v) for v in x.values())
    if isinstance(x, list | tuple):
        return len(x) > 0 and all(
            v is None or isinstance(v, np.ndarray | Tensor) for v in x
        )
    return False


def _as_numpy(x: Any) -> Any:
    if x is None:
        return None
    return map_structure(
        lambda a: (
            None
            if a is None
            else (a.numpy() if isinstance(a, Tensor) else np.asarray(a))
        ),
        x,
    )


def _length(x: Any, *others: Any) -> int:
    for leaf in flatten(x) + [v for o in others for v in flatten(o)]:
        if leaf is not None:
            return len(leaf)
    return 0


def class_weights_for(y: Any, class_weight: dict[int, float]) -> np.ndarray:
    """Per-sample weights from a ``{class: weight}`` dict (one-hot or int labels).

    Example:
        >>> class_weights_for(np.array([0, 1, 1]), {0: 1.0, 1: 2.0}).tolist()
        [1.0, 2.0, 2.0]
    """
    labels = np.asarray(flatten(y)[0])
    if labels.ndim > 1 and labels.shape[-1] > 1:
        labels = labels.argmax(axis=-1)
    labels = labels.reshape(len(labels), -1)[:, 0].astype(np.int64)
    return np.array([class_weight.get(int(c), 1.0) for c in labels], np.float32)


class ArrayData:
    """Batches of in-memory arrays.

    Args:
        x, y, sample_weight: arrays or nested structures of arrays.
        batch_size: defaults to 32.

    Example:
        >>> ArrayData(np.zeros((10, 2)), batch_size=4).steps
        3
    """

    def __init__(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        batch_size: int | None = None,
    ):
        self.x, self.y, self.sample_weight = (
            _as_numpy(x),
            _as_numpy(y),
            _as_numpy(sample_weight),
        )
        self.size = _length(self.x, self.y)
        self.batch_size = int(batch_size or _DEFAULT_BATCH_SIZE)
        if self.batch_size <= 0:
            raise ValueError(
                "`batch_size` must be a positive integer. "
                f"Received: batch_size={batch_size}"
            )
        self.steps = math.ceil(self.size / self.batch_size)

    def split(self, validation_split: float) -> tuple[ArrayData, ArrayData]:
        """The training part and the last ``validation_split`` fraction (unshuffled).

        Example:
            >>> a, b = ArrayData(np.zeros(10)).split(0.2)
            >>> a.size, b.size
            (8, 2)
        """
        cut = int(self.size * (1.0 - validation_split))

        def part(s: slice) -> Any:
            return lambda v: None if v is None else map_structure(lambda a: a[s], v)

        head, tail = part(slice(0, cut)), part(slice(cut, None))
        parts = []
        for cut_at in (head, tail):
            parts.append(
                ArrayData(
                    cut_at(self.x),
                    cut_at(self.y),
                    cut_at(self.sample_weight),
                    self.batch_size,
                )
            )
        return parts[0], parts[1]

    def batches(
        self, shuffle: bool = False, rng: Any = None
    ) -> Iterator[tuple[Any, Any, Any]]:
        """Yields ``(x, y, sample_weight)`` batches.

        Example:
            >>> next(ArrayData(np.arange(3.0)).batches())[0].tolist()
            [0.0, 1.0, 2.0]
        """
        order = (
            (rng or np.random.default_rng()).permutation(self.size) if shuffle else None
        )
        for start in range(0, self.size, self.batch_size):
            if order is None:
                index: Any = slice(start, start + self.batch_size)
            else:
                index = order[start : start + self.batch_size]

            def take(v: Any, index: Any = index) -> Any:
                return (
                    None if v is None else map_structure(lambda a: _rows(a, index), v)
                )

            yield take(self.x), take(self.y), take(self.sample_weight)


def _rows(array: Any, index: Any) -> Any:
    # np.take gathers shuffled rows ~15% faster than fancy indexing
    if array is None:
        return None
    if isinstance(index, slice) or not isinstance(array, np.ndarray):
        return array[index]
    return np.take(array, index, axis=0)


def unpack(element: Any) -> tuple[Any, Any, Any]:
    """``(x, y, sample_weight)`` from an iterable's element.

    Example:
        >>> unpack((1, 2))
        (1, 2, None)
    """
    if isinstance(element, tuple) and len(element) in (2, 3):
        return (element[0], element[1], element[2] if len(element) == 3 else None)
    if isinstance(element, tuple) and len(element) == 1:
        return element[0], None, None
    return element, None, None


class IterableData:
    """Batches from an iterable; re-iterated each epoch unless it is an iterator.

    Example:
        >>> data = IterableData([(np.zeros(2), np.ones(2))])
        >>> [y.tolist() for _, y, _ in data.batches()]
        [[1.0, 1.0]]
    """

    def __init__(self, data: Any, steps: int | None = None) -> None:
        self.data = data
        self.steps = steps
        self._iterator: Iterator[Any] | None = None

    def batches(
        self, shuffle: bool = False, rng: Any = None
    ) -> Iterator[tuple[Any, Any, Any]]:
        is_iterator = iter(self.data) is self.data
        if self.steps is None or not is_iterator or self._iterator is None:
            self._iterator = iter(self.data)
        for i, element in enumerate(self._iterator):
            yield tuple(_as_numpy(part) for part in unpack(element))  # type: ignore[misc]
            if self.steps is not None and i + 1 >= self.steps:
                return


def adapt(
    x: Any,
    y: Any = None,
    sample_weight: Any = None,
    batch_size: int | None = None,
    steps: int | None = None,
) -> Any:
    """``ArrayData`` for arrays, else ``IterableData``.

    Example:
        >>> type(adapt(np.zeros(2))).__name__, type(adapt([(1, 2)])).__name__
        ('ArrayData', 'IterableData')
        >>> adapt("unsupported_data")
        Traceback (most recent call last):
        ...
        ValueError: Unrecognized data type: x='unsupported_data' (of type <class 'str'>)
    """
    if is_array_data(x):
        return ArrayData(x, y, sample_weight, batch_size)
    if isinstance(x, str | bytes | int | float) or not hasattr(x, "__iter__"):
        raise ValueError(f"Unrecognized data type: x={x!r} (of type {type(x)})")
    if y is not None:
        raise ValueError(
            "`y` must be None when `x` is a dataset or an iterable; "
            "the dataset should yield (x, y) pairs."
        )
    return IterableData(x, steps)
