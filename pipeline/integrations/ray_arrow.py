"""Columns between our numpy form and the Arrow blocks Ray Data moves.

Our columns become Arrow arrays with numpy-compatible types: a 1-D numeric
column a primitive array (zero copy), an object column of ``bytes`` a
``binary`` array, a numeric column of shape ``(rows, d1, ...)`` Ray's tensor
extension (``ArrowTensorArray``, read back as one ndarray), and a
`pl.SparseTensor` (a `VarLenFeature`) a list array of each row's values. Back
from Ray, string columns become object arrays of ``bytes``, our form.

Example:
    >>> table = to_table({"x": np.arange(3), "s": np.array([b"a", b"b", b""], object)})
    >>> table.schema.types
    [DataType(int64), DataType(binary)]
    >>> as_pipeline_batch({"s": np.array(["a", "b"], object)})["s"].tolist()
    [b'a', b'b']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from pipeline.types import SparseTensor, TensorSpec, string

__all__ = ["as_pipeline_batch", "spec_of_type", "to_arrow", "to_table"]


def _ragged(rows: np.ndarray, values: np.ndarray, n: int) -> pa.Array:
    counts = np.bincount(rows, minlength=n) if n else np.zeros(0, np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), to_arrow(values))


def to_arrow(column: Any) -> pa.Array:
    """One column (rows on the first axis) as an Arrow array.

    Example:
        >>> to_arrow(np.array([1.5], np.float32)).type
        DataType(float)
    """
    if isinstance(column, SparseTensor):
        indices = np.asarray(column.indices)
        n = int(column.dense_shape[0])
        return _ragged(indices[:, 0], np.asarray(column.values), n)
    arr = np.asarray(column)
    if arr.dtype == object or arr.dtype.kind in "SU":
        if arr.ndim == 1:
            return _binary(arr)
        n = arr.shape[0]
        flat = arr.reshape(n, -1)
        rows = np.repeat(np.arange(n), flat.shape[1])
        return _ragged(rows, flat.ravel(), n)
    if arr.ndim <= 1:
        return pa.array(arr)
    from ray.data.extensions import ArrowTensorArray

    return ArrowTensorArray.from_numpy(np.ascontiguousarray(arr))


def _binary(arr: np.ndarray) -> pa.Array:
    """A 1-D object or ``S`` column as a ``binary`` array: Arrow converts
    ``bytes`` and ``str`` (UTF-8) itself; anything else goes row by row."""
    if arr.dtype.kind != "U":
        try:
            out = pa.array(arr, type=pa.binary())
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            out = None
        if out is not None and not out.null_count:
            return out
    return pa.array([_as_bytes(v) for v in arr], type=pa.binary())


def _as_bytes(value: Any) -> bytes:
    return value.encode() if isinstance(value, str) else bytes(value)


def to_table(columns: Mapping[str, Any]) -> pa.Table:
    """A dict of columns as an Arrow table (Ray's block)."""
    return pa.table({name: to_arrow(col) for name, col in columns.items()})


def as_pipeline_batch(batch: Mapping[str, Any]) -> dict[str, Any]:
    """A Ray numpy batch in our form: text columns as object arrays of bytes.

    Example:
        >>> as_pipeline_batch({"n": np.arange(2)})["n"].tolist()
        [0, 1]
    """
    out = {}
    for name, col in batch.items():
        arr = np.asarray(col)
        if arr.dtype.kind == "U" or (
            arr.dtype == object and arr.size and isinstance(arr.flat[0], str)
        ):
            arr = np.array([_as_bytes(v) for v in arr.ravel()], object).reshape(
                arr.shape
            )
        out[name] = arr
    return out


def spec_of_type(dtype: pa.DataType, batched: bool) -> TensorSpec:
    """The `TensorSpec` of a Ray column of Arrow type ``dtype``.

    Args:
        dtype: the column's Arrow type.
        batched: whether elements are batches (a leading unknown dimension).

    Example:
        >>> spec_of_type(pa.float32(), True)
        TensorSpec(shape=(None,), dtype=float32, name=None)
        >>> spec_of_type(pa.large_string(), False).dtype == string
        True
    """
    lead = (None,) if batched else ()
    if pa.types.is_binary(dtype) or pa.types.is_string(dtype):
        return TensorSpec(lead, string)
    if pa.types.is_large_binary(dtype) or pa.types.is_large_string(dtype):
        return TensorSpec(lead, string)
    shape = getattr(dtype, "shape", None)
    if shape is not None and hasattr(dtype, "scalar_type"):  # Ray's tensor type
        inner = tuple(None if d is None or d < 0 else d for d in shape)
        return TensorSpec(lead + inner, dtype.scalar_type.to_pandas_dtype())
    if pa.types.is_list(dtype) or pa.types.is_large_list(dtype):
        return TensorSpec(lead, object)  # ragged rows: object arrays of arrays
    return TensorSpec(lead, dtype.to_pandas_dtype())
