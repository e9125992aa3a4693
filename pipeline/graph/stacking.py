"""Stack elements into batches, split batches into elements, pad to a shape.

Example:
    >>> batch = stack_elements([(np.int64(1), b"a"), (np.int64(2), b"b")])
    >>> batch[0], batch[1].tolist()
    (array([1, 2]), [b'a', b'b'])
    >>> unstack_element(batch)[1]
    (np.int64(2), b'b')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pipeline.errors import DataLossError, InvalidArgumentError
from pipeline.graph.structure import flatten, flattener, pack, packer
from pipeline.ragged import RaggedTensor
from pipeline.types import SparseTensor


def stack_leaves(values: Sequence[Any], component: int = 0) -> Any:
    """Stack one component of several elements along a new first axis.

    Example:
        >>> stack_leaves([np.float32(1), np.float32(2)]).dtype
        dtype('float32')
    """
    first = values[0]
    if isinstance(first, np.ndarray):
        shape = first.shape
        for i, v in enumerate(values):
            if v.shape != shape:
                raise _shape_error(component, shape, i, v.shape)
        return np.stack(values)
    if isinstance(first, SparseTensor):
        return _stack_sparse(values)
    if isinstance(first, RaggedTensor):
        return _stack_ragged(values, component)
    if isinstance(first, (bytes, str)) or not isinstance(first, np.generic):
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    return np.array(values)


def _shape_error(component: int, first: tuple, index: int, got: tuple) -> Exception:
    return InvalidArgumentError(
        f"Cannot batch tensors with different shapes in component {component}. "
        f"First element had shape {list(first)} and element {index} had shape "
        f"{list(got)}."
    )


def _stack_sparse(values: Sequence[SparseTensor]) -> SparseTensor:
    rank = values[0].dense_shape.shape[0]
    dense = np.max(np.stack([v.dense_shape for v in values]), axis=0)
    indices = [
        np.concatenate([np.full((v.indices.shape[0], 1), i, np.int64), v.indices], 1)
        for i, v in enumerate(values)
    ]
    return SparseTensor(
        np.concatenate(indices).reshape(-1, rank + 1),
        np.concatenate([v.values for v in values]),
        np.concatenate([[len(values)], dense]),
    )


def _stack_ragged(values: Sequence[Any], component: int) -> RaggedTensor:
    """Ragged values as one ragged value with a ragged batch dimension in front."""
    depth = values[0].ragged_rank
    if any(not isinstance(v, RaggedTensor) or v.ragged_rank != depth for v in values):
        raise InvalidArgumentError(
            f"Cannot batch ragged tensors of different ragged ranks in component "
            f"{component}."
        )
    dtype = values[0].row_splits_dtype
    outer = np.cumsum([0] + [v.nrows() for v in values]).astype(dtype)
    levels = []
    for d in range(depth):
        parts, offset = [np.zeros(1, dtype)], 0
        for v in values:
            splits = np.asarray(v.nested_row_splits[d])
            parts.append(splits[1:] + offset)
            offset += int(splits[-1])
        levels.append(np.concatenate(parts).astype(dtype))
    flat = np.concatenate([np.asarray(v.flat_values) for v in values])
    return RaggedTensor.from_nested_row_splits(flat, [outer, *levels], validate=False)


def stack_elements(elements: Sequence[Any]) -> Any:
    """Batch a list of same-structure elements leaf by leaf.

    Example:
        >>> stack_elements([{"x": np.int32(1)}, {"x": np.int32(2)}])
        {'x': array([1, 2], dtype=int32)}
    """
    first = elements[0]
    if not isinstance(first, (tuple, dict)):
        return stack_leaves(elements)
    flat = flattener(first)
    columns = zip(*[flat(e) for e in elements])
    return packer(first)([stack_leaves(list(c), i) for i, c in enumerate(columns)])


def unstack_leaf(value: Any) -> list[Any]:
    """Split a leaf along its first axis into element leaves.

    Example:
        >>> unstack_leaf(np.array([[1, 2], [3, 4]]))[1]
        array([3, 4])
    """
    if isinstance(value, SparseTensor):
        return _unstack_sparse(value)
    if isinstance(value, RaggedTensor):
        return [value[i] for i in range(value.nrows())]
    if not isinstance(value, np.ndarray) or value.ndim == 0:
        raise InvalidArgumentError(
            "Input element must have a non-scalar value in each component."
        )
    if value.ndim == 1:
        return value.tolist() if value.dtype == object else list(value)
    return list(value)


def _unstack_sparse(value: SparseTensor) -> list[SparseTensor]:
    out = []
    for i in range(int(value.dense_shape[0])):
        rows = value.indices[:, 0] == i
        out.append(
            SparseTensor(
                value.indices[rows, 1:], value.values[rows], value.dense_shape[1:]
            )
        )
    return out


def unstack_element(batch: Any) -> list[Any]:
    """Split a batched element into its elements (all leaves share dim 0).

    Example:
        >>> unstack_element((np.array([1, 2]), np.array([b"a", b"b"], dtype=object)))
        [(np.int64(1), b'a'), (np.int64(2), b'b')]
    """
    if not isinstance(batch, (tuple, dict)):
        return unstack_leaf(batch)
    leaves = flatten(batch)
    columns = [None if leaf is None else unstack_leaf(leaf) for leaf in leaves]
    present = [c for c in columns if c is not None]
    n = len(present[0]) if present else 0
    columns = [[None] * n if c is None else c for c in columns]
    if any(len(c) != n for c in columns):
        raise InvalidArgumentError(
            "Input elements must have the same leading dimension; got "
            f"{[len(c) for c in columns]}."
        )
    return [pack(batch, row) for row in zip(*columns)]


def pad_leaves(values: Sequence[Any], shape: Any, pad_value: Any) -> np.ndarray:
    """Stack leaves padded to ``shape`` (None or -1: the longest in the batch).

    Example:
        >>> pad_leaves([np.array([1]), np.array([2, 3])], None, 0).tolist()
        [[1, 0], [2, 3]]
    """
    if any(isinstance(v, SparseTensor) for v in values):
        raise TypeError("`padded_batch` is only supported for dense tensors.")
    arrays = [np.asarray(v) if not isinstance(v, bytes) else _obj(v) for v in values]
    rank = arrays[0].ndim
    for i, a in enumerate(arrays):
        if a.ndim != rank:
            raise InvalidArgumentError(
                f"Cannot pad tensors of different ranks: element 0 has rank {rank} "
                f"and element {i} has rank {a.ndim}."
            )
    longest = [max(a.shape[d] for a in arrays) for d in range(rank)]
    target = longest if shape is None else _resolve(shape, longest, arrays)
    dtype = arrays[0].dtype
    if pad_value is None:
        pad_value = b"" if dtype.kind == "O" else 0
    out = np.full([len(arrays), *target], pad_value, dtype=dtype)
    for i, a in enumerate(arrays):
        out[(i, *[slice(0, n) for n in a.shape])] = a
    return out


def _obj(v: bytes) -> np.ndarray:
    out = np.empty((), dtype=object)
    out[()] = v
    return out


def _resolve(shape: Any, longest: list[int], arrays: list[np.ndarray]) -> list[int]:
    shape = list(shape)
    if len(shape) != len(longest):
        raise InvalidArgumentError(
            f"The padded shape {shape} is not compatible with the rank "
            f"{len(longest)} of the element."
        )
    target = []
    for d, want in enumerate(shape):
        if want is None or want == -1:
            target.append(longest[d])
        elif longest[d] > want:
            raise DataLossError(
                f"Attempted to pad to a smaller size than the input element: "
                f"dimension {d} has size {longest[d]} > padded size {want}."
            )
        else:
            target.append(int(want))
    return target
