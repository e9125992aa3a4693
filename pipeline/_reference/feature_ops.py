"""Batch kernels of the feature columns, in plain Python/numpy.

The living spec of ``_ext/feature_ops.pyx``: same names, results and errors.

* ``StringVocab(vocab)`` / ``IntVocab(vocab)``: vocabulary lookup tables;
  ``lookup(values, default_value, num_oov_buckets)`` gives int64 ids: the
  position in the vocabulary, else ``len(vocab) + Fingerprint64(s) %
  num_oov_buckets`` when ``num_oov_buckets > 0`` (``s`` the string, or the
  decimal text of an integer), else ``default_value``.
* ``bucketize(values, boundaries)``: the number of boundaries ``<= x``.
* ``cross(splits, values, hash_key, num_buckets)``: TensorFlow's hashed feature
  cross. Input ``i`` is ragged: ``values[i][splits[i][r]:splits[i][r+1]]`` are
  row r's uint64 values. Per row, every combination (last input varying
  fastest) hashes to ``FingerprintCat64`` chained from ``hash_key``, modulo
  ``num_buckets``. Returns ``(row_splits, ids)``.

Example:
    >>> StringVocab([b"a", b"b"]).lookup([b"b", b"z"], -1, 0).tolist()
    [1, -1]
    >>> bucketize(np.array([0.0, 1.0, 2.0]), np.array([1.0])).tolist()
    [0, 1, 1]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from pipeline._reference import farmhash


def _text(value: Any, index: int) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    raise TypeError(
        f"expected bytes or str at index {index}, got {type(value).__name__}"
    )


def _check_lookup_args(default_value: int, num_oov_buckets: int) -> None:
    if num_oov_buckets < 0:
        raise ValueError(f"num_oov_buckets must be >= 0, got {num_oov_buckets}")


class StringVocab:
    """A string vocabulary: entry -> position.

    Args:
        vocab: the entries (``bytes`` or ``str``), without duplicates.

    Raises:
        ValueError: a duplicate entry, naming it and both positions.

    Example:
        >>> len(StringVocab(["x", "y"]))
        2
    """

    def __init__(self, vocab: Sequence[Any]) -> None:
        self._index: dict[bytes, int] = {}
        for i, entry in enumerate(vocab):
            key = _text(entry, i)
            if key in self._index:
                raise ValueError(
                    f"duplicate vocabulary entry {key!r} at positions "
                    f"{self._index[key]} and {i}"
                )
            self._index[key] = i

    def __len__(self) -> int:
        return len(self._index)

    def lookup(
        self, values: Sequence[Any], default_value: int, num_oov_buckets: int
    ) -> np.ndarray:
        """int64 ids of ``values`` (see the module docstring).

        Example:
            >>> StringVocab(["a"]).lookup(["a", "q"], 7, 0).tolist()
            [0, 7]
        """
        _check_lookup_args(default_value, num_oov_buckets)
        n = len(self._index)
        out = np.empty(len(values), dtype=np.int64)
        for i, value in enumerate(values):
            key = _text(value, i)
            found = self._index.get(key)
            if found is not None:
                out[i] = found
            elif num_oov_buckets > 0:
                out[i] = n + farmhash.fingerprint64(key) % num_oov_buckets
            else:
                out[i] = default_value
        return out


class IntVocab:
    """An integer vocabulary: entry -> position.

    Args:
        vocab: int64 entries, without duplicates.

    Raises:
        ValueError: a duplicate entry, naming it and both positions.

    Example:
        >>> IntVocab([10, 20]).lookup(np.array([20, 5]), -1, 0).tolist()
        [1, -1]
    """

    def __init__(self, vocab: Any) -> None:
        self._index: dict[int, int] = {}
        for i, entry in enumerate(np.asarray(vocab, dtype=np.int64).tolist()):
            if entry in self._index:
                raise ValueError(
                    f"duplicate vocabulary entry {entry} at positions "
                    f"{self._index[entry]} and {i}"
                )
            self._index[entry] = i

    def __len__(self) -> int:
        return len(self._index)

    def lookup(
        self, values: Any, default_value: int, num_oov_buckets: int
    ) -> np.ndarray:
        """int64 ids of integer ``values`` (OOV hashed as decimal strings).

        Example:
            >>> int(IntVocab([1]).lookup(np.array([-1]), 0, 3)[0]) in (1, 2, 3)
            True
        """
        _check_lookup_args(default_value, num_oov_buckets)
        n = len(self._index)
        ints = np.asarray(values, dtype=np.int64).reshape(-1).tolist()
        out = np.empty(len(ints), dtype=np.int64)
        for i, value in enumerate(ints):
            found = self._index.get(value)
            if found is not None:
                out[i] = found
            elif num_oov_buckets > 0:
                fp = farmhash.fingerprint64(str(value).encode())
                out[i] = n + fp % num_oov_buckets
            else:
                out[i] = default_value
        return out


def bucketize(values: Any, boundaries: Any) -> np.ndarray:
    """int64 bucket of each value: how many boundaries are ``<= x``.

    Both arrays are float64; NaN goes to the last bucket.

    Example:
        >>> bucketize(np.array([-5.0, 0.0, 9.0]), np.array([0.0, 5.0])).tolist()
        [0, 1, 2]
    """
    x = np.asarray(values, dtype=np.float64).reshape(-1)
    b = np.asarray(boundaries, dtype=np.float64).reshape(-1)
    out = np.empty(len(x), dtype=np.int64)
    for i, v in enumerate(x.tolist()):
        out[i] = sum(1 for edge in b.tolist() if not v < edge)
    return out


def _check_ragged(splits: list[np.ndarray], values: list[np.ndarray]) -> int:
    if len(splits) != len(values) or not splits:
        raise ValueError("cross needs as many splits as values, at least one")
    rows = len(splits[0]) - 1
    for i, s in enumerate(splits):
        if len(s) - 1 != rows:
            raise ValueError(f"input {i} has {len(s) - 1} rows, expected {rows}")
    for i, (s, v) in enumerate(zip(splits, values)):
        if s[0] != 0 or np.any(s[1:] < s[:-1]) or s[-1] != len(v):
            raise ValueError(f"input {i} has bad row splits")
    return rows


def cross(
    splits: Sequence[Any], values: Sequence[Any], hash_key: int, num_buckets: int
) -> tuple[np.ndarray, np.ndarray]:
    """Hashed cartesian product per row of ragged uint64 inputs.

    Example:
        >>> s, ids = cross([[0, 2], [0, 1]], [[1, 2], [3]], 0xDECAFCAFFE, 10)
        >>> s.tolist(), len(ids)
        ([0, 2], 2)
    """
    if num_buckets < 1:
        raise ValueError(f"num_buckets must be >= 1, got {num_buckets}")
    sp = [np.asarray(s, dtype=np.int64) for s in splits]
    vals = [np.asarray(v, dtype=np.uint64) for v in values]
    rows = _check_ragged(sp, vals)
    total = 0
    for r in range(rows):
        total += math.prod(int(s[r + 1] - s[r]) for s in sp)
        if total > _CROSS_LIMIT:
            raise ValueError("the cross product has more than 2**62 ids")
    out_splits = [0]
    ids: list[int] = []
    for r in range(rows):
        groups = [v[s[r] : s[r + 1]].tolist() for s, v in zip(sp, vals)]
        for combo in itertools.product(*groups):
            h = hash_key
            for value in combo:
                h = farmhash.fingerprint_cat64(h, value)
            ids.append(h % num_buckets)
        out_splits.append(len(ids))
    return np.array(out_splits, dtype=np.int64), np.array(ids, dtype=np.int64)


_COMBINERS = ("sum", "mean", "sqrtn")
#: Ids a cross may produce (the kernel's int64 sizes stay exact below it).
_CROSS_LIMIT = 1 << 62


def _check_segments(splits: np.ndarray, ids: np.ndarray, weights: Any) -> None:
    if len(splits) == 0:
        raise ValueError("row splits must have at least one entry")
    if splits[0] < 0 or np.any(splits[1:] < splits[:-1]):  # no diff: it overflows
        raise ValueError("bad row splits")
    if splits[-1] > ids.shape[0]:
        raise ValueError("row splits run past the ids")
    if weights is not None and len(weights) != ids.shape[0]:
        raise ValueError("weights and ids differ in length")


def segment_combine(
    splits: Any, ids: Any, weights: Any, table: Any, combiner: str
) -> tuple[np.ndarray, int]:
    """[rows, dim] float32 of TF's safe embedding lookup -> (out, bad_position).

    Per row, entries with id < 0 are skipped, and for ``mean``/``sqrtn`` those
    with weight <= 0; the rest add ``w * table[id]`` in order (float32), then
    ``mean`` divides by ``Σw`` and ``sqrtn`` by ``sqrt(Σw²)``. ``bad_position``
    is -1, or the index of the first id >= the table's rows.

    Example:
        >>> t = np.array([[1.0], [3.0]], np.float32)
        >>> out, bad = segment_combine([0, 2, 2], [0, 1], None, t, "mean")
        >>> out.tolist(), bad
        ([[2.0], [0.0]], -1)
    """
    if combiner not in _COMBINERS:
        raise ValueError(f"unknown combiner {combiner!r}")
    sp = np.asarray(splits, dtype=np.int64)
    iv = np.asarray(ids, dtype=np.int64)
    tb = np.asarray(table, dtype=np.float32)
    w = None if weights is None else np.asarray(weights, dtype=np.float32)
    _check_segments(sp, iv, w)
    out = np.zeros((len(sp) - 1, tb.shape[1]), dtype=np.float32)
    for r in range(len(sp) - 1):
        sw = sw2 = np.float32(0)
        for e in range(sp[r], sp[r + 1]):
            weight = np.float32(1) if w is None else w[e]
            if iv[e] < 0 or (combiner != "sum" and weight <= 0):
                continue
            if iv[e] >= tb.shape[0]:
                return out, e
            out[r] += tb[iv[e]] * weight
            sw += weight
            sw2 += weight * weight
        if combiner == "mean" and sw > 0:
            out[r] /= sw
        elif combiner == "sqrtn" and sw2 > 0:
            out[r] /= np.sqrt(sw2)
    return out, -1


def indicator(splits: Any, ids: Any, weights: Any, depth: int) -> np.ndarray:
    """[rows, depth] float32: per row, the count (or weight sum) of each id.

    Ids outside ``[0, depth)`` are skipped.

    Example:
        >>> indicator([0, 2], [1, 1], None, 3).tolist()
        [[0.0, 2.0, 0.0]]
    """
    sp = np.asarray(splits, dtype=np.int64)
    iv = np.asarray(ids, dtype=np.int64)
    w = None if weights is None else np.asarray(weights, dtype=np.float32)
    _check_segments(sp, iv, w)
    out = np.zeros((len(sp) - 1, depth), dtype=np.float32)
    for r in range(len(sp) - 1):
        for e in range(sp[r], sp[r + 1]):
            if 0 <= iv[e] < depth:
                out[r, iv[e]] += np.float32(1) if w is None else w[e]
    return out


def nonempty(values: Sequence[Any]) -> np.ndarray:
    """bool array: which strings (bytes or str) are not empty.

    Example:
        >>> nonempty([b"", "a", b"\\x00"]).tolist()
        [False, True, True]
    """
    return np.array([len(_text(v, i)) > 0 for i, v in enumerate(values)], dtype=bool)
