"""Filling output columns of ``parse_example`` from located feature lists.

:func:`~pipeline.io.example.parse_example` locates every feature of every
record with the ``example`` kernel; the functions here check the kinds and
counts against the spec (vectorized over the batch), raise TensorFlow's errors
with the record index, and decode the values into the output arrays.

Example:
    >>> from pipeline import _kernels
    >>> kernel = _kernels.load("example")
    >>> rec = bytes.fromhex("0a0c0a0a0a016112051a030a0101")  # {"a": [1]}
    >>> kind, count, start, stop, *_ = kernel.index_features([rec], [b"a"])
    >>> loc = Located(kernel, [rec], "a", kind[0], count[0], start[0], stop[0])
    >>> fill_sparse(loc, np.dtype(np.int64)).values.tolist()
    [1]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline import _kernels
from pipeline.errors import InvalidArgumentError
from pipeline.io.example_spec import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    default_array,
    tf_dtype_name,
)
from pipeline.types import SparseTensor

__all__ = [
    "DensePlan",
    "Located",
    "fill_dense_all",
    "fill_sequence",
    "fill_sparse",
    "shape_text",
    "single_record_message",
    "with_record_name",
]

_STRING = np.dtype(object)
_KIND_NAMES = {1: "string", 2: "float", 3: "int64"}
_LIST_NAMES = {"string": "bytes", "float": "float", "int64": "int64"}


def shape_text(shape: tuple) -> str:
    """A shape as TF's messages write it: ``[?,2,1]``.

    Example:
        >>> shape_text(("?", 2, 1))
        '[?,2,1]'
    """
    return "[" + ",".join(str(d) for d in shape) + "]"


@dataclass
class Located:
    """Where one feature's list lies in each record of a batch (kernel output).

    Example:
        >>> from pipeline import _kernels
        >>> kernel = _kernels.load("example")
        >>> kind, count, start, stop, *_ = kernel.index_features([b""], [b"a"])
        >>> Located(kernel, [b""], "a", kind[0], count[0], start[0], stop[0]).key
        'a'
    """

    kernel: Any
    records: list[bytes]
    key: str
    kind: np.ndarray
    count: np.ndarray
    start: np.ndarray
    stop: np.ndarray

    def decode(self, rows: np.ndarray, dest: np.ndarray, out: np.ndarray) -> None:
        """Decode the lists of ``rows`` into flat ``out`` at offsets ``dest``."""
        if rows.size == 0:
            return
        k = self.kernel
        if out.dtype == _STRING:
            decode = k.decode_bytes
        else:
            decode = k.decode_int64 if out.dtype == np.int64 else k.decode_float32
        args = (self.start[rows], self.stop[rows], dest, self.count[rows], out)
        decode(self.records, rows, *args)


def _expected_kind(dtype: np.dtype) -> int:
    if dtype == _STRING:
        return 1
    return 2 if dtype == np.float32 else 3


def _error(loc: Located, row: int, what: str) -> InvalidArgumentError:
    return InvalidArgumentError(
        f"Key: {loc.key}, Index: {row}.  {what}", record_index=row, feature=loc.key
    )


def _check_kinds(loc: Located, dtype: np.dtype, extra_bad=None, message=None) -> None:
    """Raise for the first present record with the wrong list type or ``extra_bad``.

    ``message(row)`` words the ``extra_bad`` error.
    """
    present = loc.kind != 0
    wrong = present & (loc.kind != _expected_kind(dtype))
    bad = wrong if extra_bad is None else wrong | (present & extra_bad)
    if not bad.any():
        return
    row = int(np.argmax(bad))
    if not wrong[row]:
        raise _error(loc, row, message(row))
    found = _KIND_NAMES[int(loc.kind[row])]
    raise _error(
        loc,
        row,
        f"Data types don't match. Data type: {found} but expected type: "
        f"{tf_dtype_name(dtype)}",
    )


def _required(loc: Located, dtype: np.dtype, missing: np.ndarray) -> None:
    if missing.any():
        row = int(np.argmax(missing))
        raise InvalidArgumentError(
            f"Feature: {loc.key} (data type: {tf_dtype_name(dtype)}) is required but "
            f"could not be found (record {row}).",
            record_index=row,
            feature=loc.key,
        )


def _empty(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    return np.empty(shape, dtype=dtype)


class DensePlan:
    """What ``fill_dense_all`` needs about a set of FixedLenFeatures, computed once.

    ``positions[j]`` is the row of ``keys[j]`` in the ``index_features`` arrays.

    Example:
        >>> spec = FixedLenFeature([2], "int64", default_value=0)
        >>> plan = DensePlan([0], ["a"], [spec])
        >>> plan.sizes, plan.defaults[0].tolist()
        ([2], [0, 0])
    """

    def __init__(
        self, positions: list[int], keys: list[str], specs: list[FixedLenFeature]
    ) -> None:
        self.positions, self.keys, self.specs = positions, keys, specs
        self.sizes = [math.prod(spec.shape) for spec in specs]
        self.defaults = [spec.flat_default(key) for key, spec in zip(keys, specs)]
        self.expected = [_expected_kind(spec.dtype) for spec in specs]


def fill_dense_all(
    records: list, index: tuple, plan: DensePlan
) -> dict[str, np.ndarray]:
    """The ``[B] + shape`` columns of FixedLenFeatures, in one kernel call.

    ``index`` is ``(kind, count, start, stop)`` from ``index_features``.

    Raises:
        InvalidArgumentError: wrong list type or count in a present record, or a
            missing record without a default.

    Example:
        >>> from pipeline import _kernels
        >>> kernel = _kernels.load("example")
        >>> rec = bytes.fromhex("0a0c0a0a0a016112051a030a0101")  # {"a": [1]}
        >>> index = kernel.index_features([rec, b""], [b"a"])[:4]
        >>> plan = DensePlan([0], ["a"], [FixedLenFeature([], "int64", -1)])
        >>> fill_dense_all([rec, b""], index, plan)["a"].tolist()
        [1, -1]
    """
    batch = len(records)
    outs = [
        np.empty(batch * n, dtype=spec.dtype) for n, spec in zip(plan.sizes, plan.specs)
    ]
    dense = _kernels.load("example_dense")
    status, j, row = dense.fill_dense(
        records, *index, plan.positions, plan.expected, plan.sizes, outs, plan.defaults
    )
    if status != dense.DENSE_OK:
        raise _dense_error(
            dense, status, row, plan.keys[j], plan.specs[j], index, plan.positions[j]
        )
    return {
        key: out.reshape((batch, *spec.shape)) if spec.shape else out
        for key, spec, out in zip(plan.keys, plan.specs, outs)
    }


def _dense_error(kernel, status, row, key, spec, index, f) -> InvalidArgumentError:
    kind, count = int(index[0][f, row]), int(index[1][f, row])
    dtype = tf_dtype_name(spec.dtype)
    if status == kernel.DENSE_MISSING:
        return InvalidArgumentError(
            f"Feature: {key} (data type: {dtype}) is required but could not be "
            f"found (record {row}).",
            record_index=row,
            feature=key,
        )
    if status == kernel.DENSE_WRONG_KIND:
        what = (
            f"Data types don't match. Data type: {_KIND_NAMES[kind]} but expected "
            f"type: {dtype}"
        )
    else:
        what = (
            f"Number of {dtype} values != expected.  Values size: {count} but "
            f"output shape: {shape_text(spec.shape)}"
        )
    return InvalidArgumentError(
        f"Key: {key}, Index: {row}.  {what}", record_index=row, feature=key
    )


def fill_sparse(loc: Located, dtype: np.dtype) -> SparseTensor:
    """The `SparseTensor` of a `VarLenFeature` (indices ``[b, j]``, row-major).

    Example:
        >>> from pipeline import _kernels
        >>> kernel = _kernels.load("example")
        >>> kind, count, start, stop, *_ = kernel.index_features([b""], [b"a"])
        >>> loc = Located(kernel, [b""], "a", kind[0], count[0], start[0], stop[0])
        >>> fill_sparse(loc, np.dtype(np.float32)).dense_shape.tolist()
        [1, 0]
    """
    _check_kinds(loc, dtype)
    batch = len(loc.records)
    counts = np.where(loc.kind != 0, loc.count, 0)
    ends = np.cumsum(counts)
    starts = ends - counts
    total = int(ends[-1]) if batch else 0
    values = _empty((total,), dtype)
    rows = np.flatnonzero(counts)
    loc.decode(rows, starts[rows], values)
    row_ids = np.repeat(np.arange(batch, dtype=np.int64), counts)
    cols = np.arange(total, dtype=np.int64) - np.repeat(starts, counts)
    width = int(counts.max()) if batch else 0
    return SparseTensor(
        np.stack([row_ids, cols], axis=1), values, np.array([batch, width], np.int64)
    )


def fill_sequence(loc: Located, spec: FixedLenSequenceFeature) -> np.ndarray:
    """The ``[B, T] + shape`` column of a `FixedLenSequenceFeature`, padded.

    Example:
        >>> from pipeline import _kernels
        >>> from pipeline.io.example_spec import FixedLenSequenceFeature
        >>> kernel = _kernels.load("example")
        >>> rec = bytes.fromhex("0a0c0a0a0a016112051a030a0101")  # {"a": [1]}
        >>> kind, count, start, stop, *_ = kernel.index_features([rec, b""], [b"a"])
        >>> loc = Located(kernel, [rec, b""], "a", kind[0], count[0], start[0], stop[0])
        >>> spec = FixedLenSequenceFeature([], "int64", allow_missing=True)
        >>> fill_sequence(loc, spec).tolist()
        [[1], [0]]
    """
    size = int(np.prod(spec.shape))
    if size == 0:
        raise InvalidArgumentError(
            f"Feature {loc.key!r}: FixedLenSequenceFeature needs a non-empty shape "
            f"of items. Received: shape={list(spec.shape)}"
        )
    present = loc.kind != 0
    _check_kinds(
        loc,
        spec.dtype,
        loc.count % size != 0,
        lambda row: (
            f"Number of {_LIST_NAMES[tf_dtype_name(spec.dtype)]} values is not a "
            f"multiple of stride length. Saw {int(loc.count[row])} values but "
            f"output shape is: {shape_text(('?', *spec.shape))}"
        ),
    )
    if not spec.allow_missing:
        _required(loc, spec.dtype, ~present)
    batch = len(loc.records)
    steps = np.where(present, loc.count // size, 0)
    width = int(steps.max()) if batch else 0
    out = _empty((batch, width, size), spec.dtype)
    out[...] = _padding(spec, loc.key)
    rows = np.flatnonzero(steps)
    loc.decode(rows, rows * (width * size), out.reshape(-1))
    return out.reshape((batch, width, *spec.shape))


def _padding(spec: FixedLenSequenceFeature, key: str) -> np.ndarray:
    value = spec.default_value
    if value is None:
        value = b"" if spec.dtype == _STRING else 0
    return default_array(value, spec.dtype, spec.shape, key).reshape(-1)


def with_record_name(err: InvalidArgumentError, names: Any) -> InvalidArgumentError:
    """``err`` with TF's ``Name: <record name>, `` prefix (batch parsing).

    Example:
        >>> err = InvalidArgumentError("Key: a, Index: 1.  bad", record_index=1)
        >>> with_record_name(err, ["r0", "r1"]).message
        'Name: r1, Key: a, Index: 1.  bad'
    """
    message = err.message
    if err.record_index is None or not message.startswith(("Key: ", "Feature: ")):
        return err
    record_name = "<unknown>"
    if names is not None:
        names = np.asarray(names).reshape(-1)
        if err.record_index < names.size:
            record_name = _text(names[err.record_index])
    where = {k: v for k, v in vars(err).items() if k not in ("message", "args")}
    return InvalidArgumentError(f"Name: {record_name}, {message}", **where)


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def single_record_message(err: InvalidArgumentError) -> InvalidArgumentError:
    """``err`` worded as TF's single-record parser words it.

    Example:
        >>> err = InvalidArgumentError(
        ...     "Key: a, Index: 0.  Number of float values != expected.", feature="a")
        >>> single_record_message(err).message[:42]
        "Key: a.  Can't parse serialized Example: N"
    """
    message, key = err.message, getattr(err, "feature", None)
    prefix = f"Key: {key}, Index: 0.  "
    if key is None or not message.startswith(prefix):
        return err
    rest = message[len(prefix) :]
    if "values != expected" in rest:
        message = f"Key: {key}.  Can't parse serialized Example: {rest}"
    elif "multiple of stride length" in rest:
        message = f"Error while parsing feature with key {key}: {rest}"
    else:
        return err
    where = {k: v for k, v in vars(err).items() if k not in ("message", "args")}
    return InvalidArgumentError(message, **where)
