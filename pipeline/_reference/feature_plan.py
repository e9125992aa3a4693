"""Kernels of DenseFeatures' plan, in plain Python/numpy.

The living spec of ``_ext/feature_plan.pyx``: same names, results and errors.

A batch of a categorical column in its dense form is ``ids``: ``rows * k``
int64 values, row r's ids at ``[r * k, (r + 1) * k)``, where `MISSING` marks a
dropped input (``""`` or ``-1``). Every consumer skips ids < 0, so `MISSING`
counts for nothing, as a value dropped from a ragged row does. The writers
fill a block of columns ``[col, col + width)`` of a preallocated float32
``[rows, total]`` output, zeroing it first. `Program` runs a whole
DenseFeatures layer (its inputs, id ops and write ops) in one call.

Example:
    >>> ids = mark_missing(np.array([b"", b"x"], object), np.array([3, 1]))
    >>> out = np.full((2, 4), 7.0, np.float32)
    >>> indicator_into(ids, 1, 3, out, 1).tolist()
    [[7.0, 0.0, 0.0, 0.0], [7.0, 0.0, 1.0, 0.0]]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from pipeline._reference import farmhash, feature_ops

__all__ = [
    "MISSING",
    "Program",
    "bucket_ids",
    "combine_into",
    "cross_dense",
    "hash_ids",
    "indicator_into",
    "mark_missing",
]

#: The id of a dropped (missing) input.
MISSING = -(2**63)
_COMBINERS = ("sum", "mean", "sqrtn")


def mark_missing(values: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Sets ``ids[i] = MISSING`` where ``values[i]`` is ``""`` (strings) or -1.

    ``values`` is a 1-D object array of bytes/str or an int64 array; ``ids``
    an int64 array of the same length, changed in place and returned.

    Example:
        >>> mark_missing(np.array([-1, 4]), np.array([5, 6])).tolist()
        [-9223372036854775808, 6]
    """
    n = ids.shape[0]
    if values.shape[0] != n:
        raise ValueError(f"values ({values.shape[0]}) and ids ({n}) differ in length")
    if values.dtype != object:
        ids[np.asarray(values, dtype=np.int64) == -1] = MISSING
        return ids
    for i, item in enumerate(values.tolist()):
        if not isinstance(item, (bytes, str)):
            raise TypeError(
                f"expected bytes or str at index {i}, got {type(item).__name__}"
            )
        if len(item) == 0:
            ids[i] = MISSING
    return ids


def hash_ids(values: np.ndarray, num_buckets: int) -> np.ndarray:
    """``Fingerprint64(s) % num_buckets`` of each string, ``MISSING`` for ``""``.

    ``values`` is a 1-D object array of bytes/str (str hashes as UTF-8).

    Example:
        >>> int(hash_ids(np.array([b"a", b""], object), 7)[1]) == MISSING
        True
    """
    if num_buckets < 1:
        raise ValueError(f"num_buckets must be >= 1, got {num_buckets}")
    out = np.empty(len(values), dtype=np.int64)
    items = values.tolist()
    texts = [feature_ops._text(item, i) for i, item in enumerate(items)]
    for i, text in enumerate(texts):
        out[i] = farmhash.fingerprint64(text) % num_buckets if text else MISSING
    return out


def bucket_ids(values: np.ndarray, boundaries: np.ndarray, depth: int) -> np.ndarray:
    """Bucket ids of float32 ``[rows, width]`` values: ``bucket + column * depth``.

    A value's bucket is the number of ``boundaries`` (float64, ascending)
    ``<= value``; NaN goes to the last bucket.

    Example:
        >>> x = np.array([[0.5, 2.0]], np.float32)
        >>> bucket_ids(x, np.array([1.0]), 2).tolist()
        [0, 3]
    """
    if values.dtype != np.float32 or values.ndim != 2:
        raise ValueError("values must be a 2-D float32 array")
    buckets = feature_ops.bucketize(values.astype(np.float64), boundaries)
    width = values.shape[1]
    return buckets + np.tile(np.arange(width, dtype=np.int64) * depth, values.shape[0])


def cross_dense(
    values: list[np.ndarray], ks: list[int], rows: int, hash_key: int, num_buckets: int
) -> np.ndarray:
    """TF's hashed cross of dense inputs: input j holds ``rows * ks[j]`` uint64.

    Row r's ids are every combination of its values (the last input varying
    fastest), each ``FingerprintCat64`` chained from ``hash_key``, modulo
    ``num_buckets``: ``rows * prod(ks)`` int64 ids.

    Example:
        >>> a = np.array([1, 2], np.uint64)
        >>> cross_dense([a, a], [1, 1], 2, 0, 10).shape
        (2,)
    """
    if num_buckets < 1:
        raise ValueError(f"num_buckets must be >= 1, got {num_buckets}")
    if not values or len(ks) != len(values):
        raise ValueError("cross_dense needs as many widths as inputs, at least one")
    total = 1
    for j, (v, k) in enumerate(zip(values, ks)):
        if k < 1 or len(v) != rows * k:
            raise ValueError(f"input {j} does not hold {rows} rows of {k}")
        if total > (1 << 40) // k:
            raise ValueError("the cross product has more than 2**40 ids per row")
        total *= k
    splits = [np.arange(rows + 1, dtype=np.int64) * k for k in ks]
    arrays = [np.asarray(v, dtype=np.uint64) for v in values]
    return feature_ops.cross(splits, arrays, hash_key, num_buckets)[1]


def _check_block(n_ids: int, rows: int, k: int, col: int, width: int, total: int):
    if k < 0 or n_ids != rows * k:
        raise ValueError(f"{n_ids} ids are not {rows} rows of {k}")
    if col < 0 or width < 0 or col + width > total:
        raise ValueError(f"columns [{col}, {col + width}) are outside [0, {total})")


def indicator_into(
    ids: np.ndarray, k: int, depth: int, out: np.ndarray, col: int
) -> np.ndarray:
    """``out[r, col:col+depth]``: per row, the count of each id in ``[0, depth)``.

    Example:
        >>> out = np.zeros((1, 3), np.float32)
        >>> indicator_into(np.array([2, 2, -5]), 3, 3, out, 0).tolist()
        [[0.0, 0.0, 2.0]]
    """
    rows = out.shape[0]
    _check_block(ids.shape[0], rows, k, col, depth, out.shape[1])
    block = out[:, col : col + depth]
    block[:] = 0
    for r in range(rows):
        for v in ids[r * k : (r + 1) * k].tolist():
            if 0 <= v < depth:
                block[r, v] += np.float32(1)
    return out


def combine_into(
    ids: np.ndarray, k: int, table: np.ndarray, combiner: str, out: np.ndarray, col: int
) -> int:
    """``out[r, col:col+dim]``: TF's safe embedding lookup of row r's ids.

    Ids < 0 are skipped; the rest add ``table[id]`` in order (float32), then
    ``mean`` divides by their count and ``sqrtn`` by its square root. Returns
    -1, or the position in ``ids`` of the first id >= the table's rows (the
    block is then incomplete).

    Example:
        >>> out = np.zeros((1, 1), np.float32)
        >>> t = np.array([[1.0], [3.0]], np.float32)
        >>> combine_into(np.array([0, 1]), 2, t, "mean", out, 0), out.tolist()
        (-1, [[2.0]])
    """
    if combiner not in _COMBINERS:
        raise ValueError(f"unknown combiner {combiner!r}")
    rows, dim = out.shape[0], table.shape[1]
    _check_block(ids.shape[0], rows, k, col, dim, out.shape[1])
    block = out[:, col : col + dim]
    for r in range(rows):
        block[r] = 0
        count = np.float32(0)
        for e in range(r * k, (r + 1) * k):
            if ids[e] < 0:
                continue
            if ids[e] >= table.shape[0]:
                return e
            block[r] += table[ids[e]] * np.float32(1)
            count += np.float32(1)
        if combiner == "mean" and count > 0:
            block[r] /= count
        elif combiner == "sqrtn" and count > 0:
            block[r] /= np.sqrt(count)  # Σw² = count when every w is 1
    return -1


# -- Program: a layer's whole plan, run in one call ---------------------------

_KINDS = ("float", "int", "string", "raw")
_MAX_CROSS_WIDTH = 1 << 20  # ids per row of a planned cross


def _input(v: Any, kind: str, rows: int) -> np.ndarray | None:
    """The input as the ops want it, or None: float32 [rows, k], else flat."""
    if type(v) is not np.ndarray or v.ndim == 0 or v.shape[0] != rows:
        return None
    if v.size == 0 or v.size % rows:
        return None
    c = v.dtype.kind
    if kind == "float" and c in "fiu":
        return np.ascontiguousarray(v, dtype=np.float32).reshape(rows, -1)
    if (kind == "int" and c == "i") or (kind == "raw" and c in "iu"):
        return np.ascontiguousarray(v, dtype=np.int64).reshape(-1)
    if kind in ("string", "raw") and c == "O":
        return np.ascontiguousarray(v).reshape(-1)
    return None


class Program:
    """A layer's plan: typed inputs, then ops writing ids and output blocks.

    ``inputs`` is a list of ``(feature key, kind)``: ``"float"`` (numbers, read
    as float32 ``[rows, k]``), ``"int"`` (signed integers), ``"string"``
    (bytes/str objects) or ``"raw"`` (either, for a cross: strings as their
    Fingerprint64, integers as their bits). ``ops`` run in order; an id op
    fills id slot ``ids`` with ``(rows * k int64 ids, k)``:

    * ``("bucket", slot, width, edges, depth, ids)``: `bucket_ids`;
    * ``("identity", slot, n, default, ids)``: the value, ``MISSING`` for -1,
      ``default`` (if >= 0) outside ``[0, n)``;
    * ``("hash", slot, n, ids)`` / ``("hash_int", slot, n, ids)``:
      ``Fingerprint64`` of the string (of an integer's decimal text) ``% n``;
    * ``("vocab", slot, table, default, oov, ids)``: ``table.lookup``;
    * ``("cross", [("ids", i) | ("raw", slot), ...], key, n, ids)``: `cross_dense`.

    A write op fills columns of the float32 ``[rows, width]`` output:
    ``("numeric", slot, width, col)``, ``("indicator", ids, depth, col)`` and
    ``("combine", ids, table, combiner, col)`` (``tables[table]``).
    ``""``/-1 inputs of the id ops are ``MISSING``, except in a cross.

    Example:
        >>> p = Program([("x", "float")], [("numeric", 0, 1, 0)], 1)
        >>> p.run({"x": np.array([1.5, 2.0])}, [])[0].tolist()
        [[1.5], [2.0]]
    """

    def __init__(self, inputs: list, ops: list, width: int) -> None:
        if not inputs:
            raise ValueError("a program needs at least one input")
        self.inputs = [(key, kind) for key, kind in inputs]
        if any(kind not in _KINDS for _, kind in self.inputs):
            raise KeyError(f"unknown input kind in {self.inputs}")
        self.ops = [tuple(op) for op in ops]
        for op in self.ops:
            _check_op(op)
        self.width = width
        for op in self.ops:
            if op[0] in ("numeric", "indicator"):
                _check_block(0, 0, 0, op[3], op[2], width)
        slots = [op[-1] for op in self.ops if op[0] in _ID_OPS]
        self.n_ids = 1 + max(slots, default=-1)

    def run(self, features: dict, tables: list) -> tuple | None:
        """``(out [rows, width] float32, [(ids, k) per id slot])``, or None."""
        first = features.get(self.inputs[0][0])
        if type(first) is not np.ndarray or first.ndim == 0 or first.shape[0] == 0:
            return None
        rows = first.shape[0]
        arrays = [_input(features.get(key), kind, rows) for key, kind in self.inputs]
        if any(a is None for a in arrays):
            return None
        ks = [a.shape[1] if a.ndim == 2 else a.shape[0] // rows for a in arrays]
        out = np.empty((rows, self.width), dtype=np.float32)
        ids: list = [None] * self.n_ids
        for op in self.ops:
            if not _step(op, arrays, ks, ids, tables, out, rows):
                return None
        return out, ids


_ID_OPS = ("bucket", "identity", "hash", "hash_int", "vocab", "cross")
_ALL_OPS = (*_ID_OPS, "numeric", "indicator", "combine")


def _check_op(op: tuple) -> None:
    if op[0] not in _ALL_OPS:
        raise ValueError(f"unknown op {op[0]!r}")
    if op[0] in ("hash", "hash_int", "cross") and op[-2] < 1:
        raise ValueError(f"num_buckets must be >= 1, got {op[-2]}")
    if op[0] == "combine" and op[3] not in _COMBINERS:
        raise ValueError(f"unknown combiner {op[3]!r}")


def _step(op: tuple, arrays: list, ks: list, ids: list, tables: list, out, rows):
    name = op[0]
    if name == "numeric":
        _, slot, width, col = op
        if ks[slot] != width:
            return False
        out[:, col : col + width] = arrays[slot]
        return True
    if name == "indicator":
        found, k = ids[op[1]]
        indicator_into(found, k, op[2], out, op[3])
        return True
    if name == "combine":
        found, k = ids[op[1]]
        table = tables[op[2]]
        return len(table) > 0 and combine_into(found, k, table, op[3], out, op[4]) < 0
    made = _ids_of(op, arrays, ks, ids, rows)
    if made is None:
        return False
    ids[op[-1]] = made
    return True


def _ids_of(op: tuple, arrays: list, ks: list, ids: list, rows: int):
    name = op[0]
    if name == "cross":
        return _cross(op, arrays, ks, ids, rows)
    values, k = arrays[op[1]], ks[op[1]]
    try:
        if name == "bucket":
            return (bucket_ids(values, op[3], op[4]), k) if k == op[2] else None
        if name == "hash":
            return hash_ids(values, op[2]), k
        if name == "vocab":
            return mark_missing(values, op[2].lookup(values, op[3], op[4])), k
    except TypeError:  # an item neither bytes nor str
        return None
    if name == "identity":
        n, default = op[2], op[3]
        outside = (values < 0) | (values >= n)
        found = np.where(outside & (default >= 0), np.int64(default), values)
    else:  # hash_int
        text = [str(v).encode() for v in values.tolist()]
        found = np.array([farmhash.fingerprint64(t) % op[2] for t in text], np.int64)
    return mark_missing(values, found.astype(np.int64)), k


def _cross(op: tuple, arrays: list, ks: list, ids: list, rows: int):
    values, widths = [], []
    for source, index in op[1]:
        if source == "ids":
            found, k = ids[index]
            if np.any(found == MISSING):  # rows of other lengths: not the plan's
                return None
        else:
            found, k = arrays[index], ks[index]
            if found.dtype == object:
                try:
                    texts = [feature_ops._text(v, i) for i, v in enumerate(found)]
                except TypeError:
                    return None
                found = np.array([farmhash.fingerprint64(t) for t in texts], np.uint64)
        values.append(np.asarray(found).view(np.uint64))
        widths.append(k)
        if math.prod(widths) > _MAX_CROSS_WIDTH:
            return None
    return cross_dense(values, widths, rows, op[2], op[3]), math.prod(widths)
