"""Numpy cores of indicator and embedding outputs (TF's safe embedding lookup).

``embedding_entries`` prunes and weighs the ids of a batch the way
``tf.nn.safe_embedding_lookup_sparse`` does: ids < 0 are removed; for the
``mean`` and ``sqrtn`` combiners entries with weight <= 0 are removed too (``sum``
keeps zero and negative weights). Row r's output is ``Σ w·E[id] / d_r`` with
``d_r = 1`` (sum), ``Σ w`` (mean) or ``sqrt(Σ w²)`` (sqrtn); an empty row is
zero. ``coefficients`` gives ``w / d_r`` per entry: the gradient with respect
to ``E[id]`` is that times the row's upstream gradient.

Example:
    >>> from pipeline.feature_column._inputs import Ragged
    >>> ids = Ragged(np.array([0, 2, 2]), np.array([0, 1]))
    >>> table = np.array([[1.0], [3.0]], np.float32)
    >>> combine(embedding_entries(ids, "mean", 2), table, "mean", None).tolist()
    [[2.0], [0.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline import _kernels
from pipeline.errors import InvalidArgumentError
from pipeline.feature_column._inputs import Ragged

__all__ = [
    "Entries",
    "coefficients",
    "combine",
    "combine_ragged",
    "embedding_entries",
    "indicator",
]

COMBINERS = ("mean", "sqrtn", "sum")


def indicator(ids: Ragged, depth: int) -> np.ndarray:
    """``[rows, depth]`` float32: counts of each id per row (weights summed).

    Ids outside ``[0, depth)`` contribute nothing, like a one-hot of them.

    Example:
        >>> indicator(Ragged(np.array([0, 2]), np.array([1, 1])), 3).tolist()
        [[0.0, 2.0, 0.0]]
    """
    ops = _kernels.load("feature_ops")
    return ops.indicator(ids.splits, ids.values, ids.weights, depth)


def _bad_id(ids: np.ndarray, position: int, vocab_size: int) -> InvalidArgumentError:
    return InvalidArgumentError(
        f"indices[{position}] = {int(ids[position])} is not in [0, {vocab_size}): an "
        f"id outside the embedding table (categorical column with num_buckets="
        f"{vocab_size}); give the column a default_value to map such ids"
    )


def combine_ragged(ids: Ragged, table: np.ndarray, combiner: str, max_norm: Any) -> Any:
    """``[rows, dim]`` float32 combined embeddings straight from the ids.

    Raises:
        InvalidArgumentError: an id >= the table's rows.
    """
    check_combiner(combiner)
    if max_norm is not None:
        entries = embedding_entries(ids, combiner, table.shape[0])
        return combine(entries, table, combiner, max_norm)
    ops = _kernels.load("feature_ops")
    out, bad = ops.segment_combine(ids.splits, ids.values, ids.weights, table, combiner)
    if bad >= 0:
        raise _bad_id(ids.values, bad, table.shape[0])
    return out


class Entries:
    """The kept (row, id, weight) entries of one batch, rows ascending."""

    __slots__ = ("rows", "row_of", "ids", "weights")

    def __init__(self, rows: int, row_of: np.ndarray, ids: np.ndarray, weights: Any):
        self.rows = rows
        self.row_of = row_of
        self.ids = ids
        self.weights = weights


def check_combiner(combiner: str) -> None:
    """TF checks the combiner when the lookup runs, not when the column is made."""
    if combiner not in COMBINERS:
        raise ValueError(
            f"combiner must be one of 'mean', 'sqrtn' or 'sum', got {combiner!r}"
        )


def embedding_entries(ids: Ragged, combiner: str, vocab_size: int) -> Entries:
    """Prunes the entries as ``safe_embedding_lookup_sparse`` does.

    Raises:
        InvalidArgumentError: an id >= ``vocab_size`` (TF's lookup fails there).
    """
    check_combiner(combiner)
    row_of = ids.row_ids()
    v = ids.values
    keep = v >= 0
    w = None
    if ids.weights is not None:
        w = np.asarray(ids.weights, dtype=np.float32)
        if combiner != "sum":
            keep &= w > 0
        w = w[keep]
    too_big = v >= vocab_size
    if np.any(too_big & keep):
        raise _bad_id(v, int(np.argmax(too_big & keep)), vocab_size)
    row_of, v = row_of[keep], v[keep]
    return Entries(ids.rows, row_of, v, w)


def _row_sums(entries: Entries, values: np.ndarray) -> np.ndarray:
    """Per-row sums of ``values`` ([n] or [n, d]) in entry order, float32."""
    shape = (entries.rows,) + values.shape[1:]
    out = np.zeros(shape, dtype=np.float32)
    if entries.row_of.size:
        starts = np.flatnonzero(np.diff(entries.row_of, prepend=-1))
        sums = np.add.reduceat(values.astype(np.float32, copy=False), starts, axis=0)
        out[entries.row_of[starts]] = sums
    return out


def _denominators(entries: Entries, combiner: str) -> np.ndarray | None:
    if combiner == "sum":
        return None
    w = (
        entries.weights
        if entries.weights is not None
        else np.ones(entries.ids.shape[0], np.float32)
    )
    if combiner == "mean":
        return _row_sums(entries, w)
    return np.sqrt(_row_sums(entries, w * w))


def clip_rows(emb: np.ndarray, max_norm: float | None) -> np.ndarray:
    """Rows scaled to L2 norm at most ``max_norm``, as TF's ``clip_by_norm``.

    ``row * max_norm / max(norm(row), max_norm)`` in float32 (None: unchanged).

    Example:
        >>> clip_rows(np.array([[3.0, 4.0]], np.float32), 1.0).tolist()
        [[0.6000000238418579, 0.800000011920929]]
    """
    if max_norm is None:
        return emb
    emb = emb.astype(np.float32, copy=False)
    clip = np.float32(max_norm)
    norms = np.sqrt(np.sum(emb * emb, axis=1, keepdims=True, dtype=np.float32))
    return (emb * clip) / np.maximum(norms, clip)


def combine(
    entries: Entries, table: np.ndarray, combiner: str, max_norm: Any
) -> np.ndarray:
    """``[rows, dim]`` float32 combined embeddings (see the module docstring)."""
    emb = clip_rows(table[entries.ids], max_norm)
    if entries.weights is not None:
        emb = emb * entries.weights[:, None]
    out = _row_sums(entries, emb)
    denom = _denominators(entries, combiner)
    if denom is not None:
        nonzero = denom > 0
        out[nonzero] /= denom[nonzero][:, None]
    return out


def coefficients(entries: Entries, combiner: str) -> np.ndarray:
    """Per-entry ``w / d_r``: d(output[r]) / d(E[id]) for each kept entry."""
    w = (
        entries.weights
        if entries.weights is not None
        else np.ones(entries.ids.shape[0], np.float32)
    )
    denom = _denominators(entries, combiner)
    if denom is None:
        return w
    d = denom[entries.row_of]
    return np.where(d > 0, w / np.where(d > 0, d, 1.0), 0.0).astype(np.float32)
