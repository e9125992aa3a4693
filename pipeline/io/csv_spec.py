"""Column specs for CSV decoding: `record_defaults` normalisation, options, errors.

A ``record_defaults`` entry (DESIGN.md) becomes a `ColumnSpec`: its dtype
(int32, int64, float32, float64 or ``pl.string``), its default value and
whether the column is required (no default).

Example:
    >>> import numpy as np
    >>> [str(s) for s in column_specs([[0], ["house"], np.array([], np.float64)])]
    ['int32=0', "string=b'house'", 'float64 (required)']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.errors import InvalidArgumentError

__all__ = ["ColumnSpec", "CsvOptions", "column_specs", "csv_error", "dtype_name"]

_STRING = np.dtype(object)
_ALLOWED = {
    np.dtype(np.int32): "int32",
    np.dtype(np.int64): "int64",
    np.dtype(np.float32): "float32",
    np.dtype(np.float64): "float64",
    _STRING: "string",
}
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1


def dtype_name(dtype: np.dtype) -> str:
    """TF's name of a supported CSV dtype (``string`` for object).

    Example:
        >>> dtype_name(np.dtype(object))
        'string'
    """
    return _ALLOWED[np.dtype(dtype)]


@dataclass(frozen=True)
class ColumnSpec:
    """How one output column is typed and filled.

    Args:
        dtype: numpy dtype of the column (object for byte strings).
        default: the value a missing field takes; ignored when required.
        required: whether a missing field is an error.

    Example:
        >>> ColumnSpec(np.dtype(np.int64), 7, False).kind
        'int'
    """

    dtype: np.dtype
    default: Any = None
    required: bool = True

    def __post_init__(self) -> None:
        kind = {"i": "int", "f": "float"}.get(self.dtype.kind, "string")
        object.__setattr__(self, "kind", kind)
        bits = 0 if kind == "string" else self.dtype.itemsize * 8
        object.__setattr__(self, "bits", bits)

    #: ``'int'``, ``'float'`` or ``'string'``.
    kind: str = dataclasses.field(init=False, repr=False, compare=False)
    #: Width in bits of a numeric column (0 for strings).
    bits: int = dataclasses.field(init=False, repr=False, compare=False)

    def __str__(self) -> str:
        name = dtype_name(self.dtype)
        if self.required:
            return f"{name} (required)"
        default = self.default
        return (
            f"{name}={default!r}" if isinstance(default, bytes) else f"{name}={default}"
        )


@dataclass(frozen=True)
class CsvOptions:
    """Splitting options shared by the decoders (validated by `make`).

    Example:
        >>> CsvOptions.make(",", True, "NA", None).na_value
        b'NA'
    """

    delim: bytes = b","
    use_quote_delim: bool = True
    na_value: bytes = b""
    select_cols: tuple[int, ...] | None = None
    #: CsvDataset's rules: an empty line is one empty field (decode_csv: none),
    #: every field of a record is scanned (decode_csv stops after the last
    #: selected one), and ``exclude_cols`` keeps every other column.
    empty_is_field: bool = False
    scan_all: bool = False
    exclude_cols: tuple[int, ...] | None = None

    def selected(self, ncols: int, num_outputs: int) -> list[int] | None:
        """The field indices to keep from a record of ``ncols`` fields, or None
        when they cannot make ``num_outputs`` columns.

        Example:
            >>> CsvOptions(exclude_cols=(1,)).selected(3, 2)
            [0, 2]
        """
        if self.exclude_cols is not None:
            keep = [c for c in range(ncols) if c not in self.exclude_cols]
        elif self.select_cols is not None:
            keep = list(self.select_cols)
            if keep[-1] >= ncols:
                return None
        else:
            keep = list(range(ncols))
        return keep if len(keep) == num_outputs else None

    @classmethod
    def make(
        cls,
        field_delim: str | bytes,
        use_quote_delim: bool,
        na_value: str | bytes,
        select_cols: Sequence[int] | None,
        num_columns: int | None = None,
    ) -> CsvOptions:
        """Validated options, with TF's errors for a bad delimiter or selection."""
        delim = _as_bytes(field_delim)
        if len(delim) != 1:
            raise InvalidArgumentError("field_delim should be only 1 char")
        cols = None
        if select_cols is not None:
            cols = tuple(int(c) for c in np.asarray(select_cols).reshape(-1))
            if any(b <= a for a, b in zip(cols, cols[1:])):
                raise ValueError("select_cols is not strictly increasing.")
            if cols and cols[0] < 0:
                raise ValueError("select_cols contains negative values.")
            if num_columns is not None and len(cols) != num_columns:
                raise ValueError(
                    "Length of select_cols and record_defaults do not match."
                )
            cols = cols or None  # TF: an empty selection selects every column
        return cls(delim, bool(use_quote_delim), _as_bytes(na_value), cols)


def csv_error(
    message: str,
    *,
    record: int,
    column: int | None = None,
    path: str | None = None,
    line: int | None = None,
) -> InvalidArgumentError:
    """An InvalidArgumentError with TF's message plus where, as text and attributes.

    Example:
        >>> e = csv_error("Expect 2 fields but have 1 in record 0", record=0,
        ...               path="a.csv", line=3)
        >>> str(e)
        "Expect 2 fields but have 1 in record 0 (file 'a.csv', line 3)"
        >>> e.line, e.record_index
        (3, 0)
    """
    where = []
    if path is not None:
        where.append(f"file {path!r}")
    if line is not None:
        where.append(f"line {line}")
    if path is not None and column is not None:
        where.append(f"column {column}")
    text = f"{message} ({', '.join(where)})" if where else message
    return InvalidArgumentError(
        text, record_index=record, column=column, path=path, line=line
    )


def column_specs(record_defaults: Sequence[Any]) -> list[ColumnSpec]:
    """One `ColumnSpec` per ``record_defaults`` entry (see the module docstring).

    Example:
        >>> [str(s) for s in column_specs([np.int64, 1.5, b"x"])]
        ['int64 (required)', 'float32=1.5', "string=b'x'"]
    """
    if isinstance(record_defaults, (str, bytes)) or not hasattr(
        record_defaults, "__len__"
    ):
        raise TypeError(
            "`record_defaults` must be a list with one entry per column. "
            f"Received: record_defaults={record_defaults!r}"
        )
    return [_spec(entry, i) for i, entry in enumerate(record_defaults)]


def _spec(entry: Any, index: int) -> ColumnSpec:
    if isinstance(entry, (type, np.dtype)) and not isinstance(entry, np.ndarray):
        return ColumnSpec(_check_dtype(np.dtype(entry), index))
    if hasattr(entry, "numpy") and not isinstance(entry, np.ndarray):
        entry = np.asarray(entry.numpy())  # a tensor (pl.constant)
    if isinstance(entry, np.ndarray):
        return _from_array(entry, index)
    if isinstance(entry, (list, tuple)):
        if len(entry) > 1:
            raise InvalidArgumentError(
                f"record_defaults[{index}] must have at most one element. "
                f"Received: {entry!r}"
            )
        if not entry:  # TF: [] is an empty float32 tensor, a required float
            return ColumnSpec(np.dtype(np.float32))
        entry = entry[0]
        if isinstance(entry, (list, tuple)):
            raise _rank_error(index, 2)
    return _from_scalar(entry, index)


def _rank_error(index: int, rank: int) -> InvalidArgumentError:
    return InvalidArgumentError(
        f"Each record default should be at most rank 1: record_defaults[{index}] "
        f"has rank {rank}"
    )


def _from_array(arr: np.ndarray, index: int) -> ColumnSpec:
    if arr.ndim > 1:
        raise _rank_error(index, arr.ndim)
    if arr.size > 1:
        raise InvalidArgumentError(
            f"record_defaults[{index}] must have at most one element. "
            f"Received: shape={arr.shape}"
        )
    dtype = _STRING if arr.dtype.kind in "OUS" else arr.dtype
    dtype = _check_dtype(dtype, index)
    if arr.size == 0:
        return ColumnSpec(dtype)
    return ColumnSpec(dtype, _typed_default(arr.reshape(-1)[0], dtype), False)


def _from_scalar(value: Any, index: int) -> ColumnSpec:
    if isinstance(value, np.ndarray):
        return _from_array(value, index)
    if isinstance(value, np.generic):
        return _from_array(np.asarray(value), index)
    if isinstance(value, bool) or value is None:
        raise InvalidArgumentError(
            f"record_defaults[{index}] has an unsupported value {value!r}: use an "
            "int, float, str or bytes default"
        )
    if isinstance(value, int):
        fits = _INT32_MIN <= value <= _INT32_MAX
        dtype = np.dtype(np.int32 if fits else np.int64)
    elif isinstance(value, float):
        dtype = np.dtype(np.float32)
    elif isinstance(value, (str, bytes)):
        dtype = _STRING
    else:
        raise InvalidArgumentError(
            f"record_defaults[{index}] has an unsupported value {value!r}"
        )
    return ColumnSpec(dtype, _typed_default(value, dtype), False)


def _check_dtype(dtype: np.dtype, index: int) -> np.dtype:
    if dtype.kind in "US":
        dtype = _STRING
    if dtype not in _ALLOWED:
        raise InvalidArgumentError(
            f"record_defaults[{index}] has dtype {dtype}; decode_csv supports "
            "int32, int64, float32, float64 and string"
        )
    return dtype


def _typed_default(value: Any, dtype: np.dtype) -> Any:
    if dtype == _STRING:
        return _as_bytes(value)
    return dtype.type(value)


def _as_bytes(value: Any) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, np.bytes_)):
        return bytes(value)
    raise TypeError(f"expected str or bytes, got {type(value).__name__}: {value!r}")
