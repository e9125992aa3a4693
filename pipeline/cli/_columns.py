"""Arrow arrays to ragged `Column` values (CSV strings, Parquet columns).

Example:
    >>> import pyarrow as pa
    >>> c = strings_to_column(pa.array(["1", "", "3"]))
    >>> c.kind, c.values.tolist(), c.lengths.tolist()
    ('int64', [1, 3], [1, -1, 1])
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.io.schema import Column

_INT = r"^[-+]?\d{1,18}$"
_FLOAT = r"(?i)^[-+]?((\d+\.?\d*|\.\d+)(e[-+]?\d+)?|inf|infinity|nan)$"


def _matches(arr: pa.Array, pattern: str) -> pa.Array:
    return pc.fill_null(pc.match_substring_regex(arr, pattern), False)


def infer_kind(arr: pa.Array) -> str:
    """The narrowest kind of the non-empty strings of ``arr``.

    Example:
        >>> infer_kind(pa.array(["1", "2.5", None]))
        'float'
    """
    arr = pc.utf8_trim_whitespace(arr.drop_null())
    arr = arr.filter(pc.not_equal(pc.utf8_length(arr), 0))
    if len(arr) == 0:
        return "string"
    if pc.all(_matches(arr, _INT)).as_py():
        return "int64"
    if pc.all(_matches(arr, _FLOAT)).as_py():
        return "float"
    return "string"


def strings_to_column(arr: pa.Array, kind: str | None = None) -> Column:
    """One value per record; empty or null strings are missing.

    Args:
        arr: a string array.
        kind: the kind to convert to; None (the default) infers it. Values
            that do not convert count as missing and as ``invalid``.

    Example:
        >>> c = strings_to_column(pa.array(["1", "x"]), "int64")
        >>> c.values.tolist(), c.invalid
        ([1], 1)
    """
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = arr.cast(pa.string())
    if kind is None:
        kind = infer_kind(arr)
    trimmed = pc.utf8_trim_whitespace(arr) if kind != "string" else arr
    present = pc.fill_null(pc.not_equal(pc.utf8_length(trimmed), 0), False)
    if kind == "string":
        ok = present
        values = arr.filter(ok).cast(pa.binary()).to_numpy(zero_copy_only=False)
        values = values.astype(object)
    else:
        ok = pc.and_(present, _matches(trimmed, _INT if kind == "int64" else _FLOAT))
        target = pa.int64() if kind == "int64" else pa.float64()
        values = pc.cast(trimmed.filter(ok), target).to_numpy(zero_copy_only=False)
    ok_np = ok.to_numpy(zero_copy_only=False)
    invalid = int(np.count_nonzero(present.to_numpy(zero_copy_only=False) & ~ok_np))
    lengths = np.where(ok_np, 1, -1).astype(np.int64)
    return Column(kind, values, lengths, invalid, scalar=True)


def _kind_of_type(t: pa.DataType) -> str | None:
    if pa.types.is_integer(t) or pa.types.is_boolean(t):
        return "int64"
    if pa.types.is_floating(t):
        return "float"
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "string"
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return "string"
    return None


def _flat_values(arr: pa.Array, kind: str | None) -> tuple[str, np.ndarray]:
    if kind is None:
        arr, kind = arr.cast(pa.string()), "string"
    arr = arr.drop_null()
    if kind == "string":
        return kind, arr.cast(pa.binary()).to_numpy(zero_copy_only=False).astype(object)
    return kind, arr.cast(_numeric_target(arr.type)).to_numpy(zero_copy_only=False)


def _numeric_target(t: pa.DataType) -> pa.DataType:
    """int64 for integers; a float column keeps its precision: float16 and
    float32 as float32 (exact), float64 as float64.

    Example:
        >>> _numeric_target(pa.float32()), _numeric_target(pa.int8())
        (DataType(float), DataType(int64))
    """
    if pa.types.is_floating(t):
        return pa.float64() if t.bit_width == 64 else pa.float32()
    return pa.int64()


def _is_list(t: pa.DataType) -> bool:
    return (
        pa.types.is_list(t)
        or pa.types.is_large_list(t)
        or (pa.types.is_fixed_size_list(t))
    )


def _steps_column(arr: pa.Array) -> Column | None:
    """A ``list<list<...>>`` column (``pipeline convert``'s feature lists) as a
    feature-list `Column`; None when a step is null (not a feature list)."""
    steps = pc.fill_null(pc.list_value_length(arr), -1)
    inner = arr.filter(pc.is_valid(arr)).flatten()
    if inner.null_count:
        return None
    col = arrow_to_column(inner)
    if col.sequence or len(col.lengths) != len(inner):
        return None
    steps_np = steps.to_numpy(zero_copy_only=False).astype(np.int64)
    return Column(col.kind, col.values, col.lengths, col.invalid, steps=steps_np)


def arrow_to_column(arr: pa.Array | pa.ChunkedArray) -> Column:
    """A typed Arrow column (scalars or lists) as a `Column`; nulls are missing.
    A list of lists is a feature list (values per time step).

    Example:
        >>> c = arrow_to_column(pa.array([[1, 2], None, []]))
        >>> c.kind, c.values.tolist(), c.lengths.tolist()
        ('int64', [1, 2], [2, -1, 0])
        >>> s = arrow_to_column(pa.array([[[1], []], None]))
        >>> s.steps.tolist(), s.lengths.tolist(), s.values.tolist()
        ([2, -1], [1, 0], [1])
    """
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    t = arr.type
    if _is_list(t) and _is_list(t.value_type):
        col = _steps_column(arr)
        if col is not None:
            return col
    if _is_list(t):
        lengths = pc.fill_null(pc.list_value_length(arr), -1)
        flat = arr.filter(pc.is_valid(arr)).flatten()
        if pa.types.is_dictionary(flat.type):
            flat = flat.dictionary_decode()
        kind, values = _flat_values(flat, _kind_of_type(flat.type))
        lengths_np = lengths.to_numpy(zero_copy_only=False).astype(np.int64)
        if len(values) != int(lengths_np[lengths_np > 0].sum()):
            return arrow_to_column(arr.cast(pa.string()))  # nulls inside lists
        return Column(kind, values, lengths_np)
    kind, values = _flat_values(arr, _kind_of_type(t))
    valid = pc.is_valid(arr).to_numpy(zero_copy_only=False)
    lengths = np.where(valid, 1, -1).astype(np.int64)
    return Column(kind, values, lengths, scalar=True)
